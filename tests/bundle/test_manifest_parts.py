"""The manifest read in parts (`bundle.manifest_parts`, issue 17) takes exactly the manifests
the whole way takes, as the same records, and leaves every other to the whole way, which
refuses it with the words it always had: here with batches of two items, so that a fault is
met in a later batch than the first."""

from __future__ import annotations

import json

import pytest

from protocol_kit.bundle import BundleRefused, manifest_parts
from protocol_kit.bundle.manifest import (
    BundledFile,
    BundledProtocol,
    Manifest,
    Publisher,
    parse_manifest,
)
from protocol_kit.validation import SchemaChecker

SHA = "ab" * 32


def _manifest(count: int = 7) -> Manifest:
    protocols = tuple(
        BundledProtocol(f"knee-{n}", "1.0.0", "active", f"Knee programme {n}") for n in range(count)
    )
    files = tuple(BundledFile(p.path, 100 + n, SHA) for n, p in enumerate(protocols))
    files += (BundledFile(f"protocols/media/{SHA}.png", 5, SHA),)
    return Manifest(
        Publisher("Northside Physio", "desk@example.org"), "2026-11-22T09:30:00Z", protocols, files
    )


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(manifest_parts, "BATCH", 2)


def _whole(raw: bytes, monkeypatch) -> Manifest | str:
    """What the whole way alone makes of `raw`: the manifest, or its refusal."""
    with monkeypatch.context() as patched:
        patched.setattr(manifest_parts, "read_in_parts", lambda raw, checker: None)
        return _outcome(raw)


def _outcome(raw: bytes) -> Manifest | str:
    try:
        return parse_manifest(raw, "b.pkb")
    except BundleRefused as refused:
        return str(refused)


@pytest.mark.parametrize("written", ["canonical", "compact", "spaced"])
def test_a_valid_manifest_is_read_in_parts_as_the_whole_way_reads_it(written, monkeypatch):
    manifest = _manifest()
    raw = {
        "canonical": manifest.to_bytes(),
        "compact": json.dumps(manifest.to_json(), separators=(",", ":")).encode(),
        "spaced": json.dumps(manifest.to_json(), indent="\t").replace(",", " ,").encode(),
    }[written]
    assert manifest_parts.read_in_parts(raw, SchemaChecker()) == manifest
    assert parse_manifest(raw, "b.pkb") == manifest == _whole(raw, monkeypatch)


def test_an_empty_bundle_manifest_is_read_in_parts():
    manifest = _manifest(0)
    assert manifest_parts.read_in_parts(manifest.to_bytes(), SchemaChecker()) == manifest


def _edited(edit) -> bytes:
    data = _manifest().to_json()
    edit(data)
    return json.dumps(data, indent=2, ensure_ascii=False).encode()


def _set(path: tuple, value):
    def edit(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return edit


FAULTS = {
    "a digest not hexadecimal, fifth file": _edited(_set(("files", 4, "sha256"), "x" * 64)),
    "a size below zero, last file": _edited(_set(("files", 7, "size"), -1)),
    "a size as a fraction": _edited(_set(("files", 3, "size"), 1.5)),
    "a size as true": _edited(_set(("files", 3, "size"), True)),
    "a size of 2.0": _edited(_set(("files", 3, "size"), 2.0)),
    "a member the schema does not know": _edited(_set(("files", 5, "mode"), "0644")),
    "a protocol at another's path": _edited(
        _set(("protocols", 5, "path"), "protocols/knee-1.json")
    ),
    "a status not known": _edited(_set(("protocols", 6, "status"), "live")),
    "a title of 1,001 characters": _edited(_set(("protocols", 4, "title"), "a" * 1001)),
    "a title of 10,001 characters": _edited(_set(("protocols", 4, "title"), "a" * 10_001)),
    "a nested title": _edited(_set(("protocols", 4, "title"), [[[[[[["deep"]]]]]]])),
    "the 30th of February": _edited(_set(("created",), "2026-02-30T09:30:00Z")),
    "a newer format": _edited(_set(("format_version",), 2)),
    "no publisher": _edited(lambda data: data.pop("publisher")),
    "no files": _edited(lambda data: data.pop("files")),
    "files not a list": _edited(_set(("files",), {"a": 1})),
    "a member the manifest does not know": _edited(_set(("signed",), True)),
    "a repeated key in an item": _edited(lambda data: None).replace(
        b'"size": 105,', b'"size": 105, "size": 1,'
    ),
    "a repeated list": _edited(lambda data: None).replace(
        b'"protocols": [', b'"files": [], "protocols": ['
    ),
    "NaN as a size": _edited(lambda data: None).replace(b'"size": 105', b'"size": NaN'),
    "a huge number": _edited(lambda data: None).replace(b'"size": 105', b'"size": 1' + b"0" * 40),
    "a missing comma": _edited(lambda data: None).replace(b'"size": 105,', b'"size": 105'),
    "text after the object": _edited(lambda data: None) + b"{}",
    "a lone surrogate": _edited(lambda data: None).replace(b"Knee programme 5", b"Knee \\ud800"),
    "a control character": _edited(lambda data: None).replace(b"Knee programme 5", b"Knee\x01"),
    "not an object": b"[]",
    "a byte-order mark and CR line ends": b"\xef\xbb\xbf"
    + _manifest().to_bytes().replace(b"\n", b"\r"),
    "not UTF-8": _manifest().to_bytes().replace(b"Knee programme 5", b"Knee \xff"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_what_the_parts_doubt_the_whole_way_judges(fault, monkeypatch):
    raw = FAULTS[fault]
    whole = _whole(raw, monkeypatch)
    assert _outcome(raw) == whole
    if isinstance(whole, str):  # refused: never by the parts, and as the whole way words it
        assert whole.startswith("b.pkb: ")
        assert manifest_parts.read_in_parts(raw, SchemaChecker()) is None


def test_refusals_are_the_whole_ways_words():
    # What a user of a tampered bundle reads: the whole way's message, with its place.
    assert _outcome(FAULTS["a digest not hexadecimal, fifth file"]).startswith(
        "b.pkb: manifest.json is not a valid manifest at /files/4/sha256: "
    )
    assert _outcome(FAULTS["a repeated key in an item"]).startswith(
        "b.pkb: manifest.json is not valid JSON (line "
    )
    assert "newer than this protokit reads" in _outcome(FAULTS["a newer format"])
    assert _outcome(FAULTS["a protocol at another's path"]) == (
        "b.pkb: manifest.json lists protocol 'knee-5' at protocols/knee-1.json, not at "
        "protocols/knee-5.json"
    )


def test_a_schema_whose_lists_are_judged_whole_is_read_whole(monkeypatch):
    from protocol_kit import schemas

    real = schemas.all_schemas()

    def with_unique_files():
        changed = json.loads(json.dumps(real))
        uri = "https://schemas.protocol-kit.org/v1/bundle-manifest.schema.json"
        changed[uri]["properties"]["files"]["uniqueItems"] = True
        return changed

    monkeypatch.setattr(schemas, "all_schemas", with_unique_files)
    assert manifest_parts.read_in_parts(_manifest().to_bytes(), SchemaChecker()) is None
