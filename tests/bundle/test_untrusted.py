"""A bundle from a stranger is untrusted input: every malicious bundle is refused with one clear
line, a non-zero exit, and nothing written anywhere.

Each case builds a real malicious archive. Where the defect is in the content, the manifest is
re-hashed and re-signed with the trusted key, so that the defect itself, not a stale hash, is
what gets refused.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from bundle_helpers import (
    change_protocol,
    copy_examples,
    create,
    entries_of,
    make_keys,
    raw_zip,
    rebuild,
    snapshot,
)

from conftest import run_protokit
from protocol_kit import __version__

PROTOCOL = "protocols/psoas-stretch-glute-bridge.json"


@dataclass
class World:
    folder: Path
    good: Path
    key: Path
    trust: Path
    stranger_key: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    folder = tmp_path_factory.mktemp("untrusted")
    sources = copy_examples(folder)
    key, _, trust = make_keys(folder)
    stranger = folder / "stranger"
    stranger.mkdir()
    stranger_key, _, _ = make_keys(stranger, "Stranger")
    good = folder / "good.pkb"
    create(sources, good, "--sign", str(key))
    return World(folder, good, key, trust, stranger_key)


@pytest.fixture
def clinic(tmp_path, world) -> Path:
    """A receiving clinic's protocols folder with a protocol of its own."""
    target = tmp_path / "protocols"
    target.mkdir()
    own = (world.folder / "protocols" / "psoas-stretch-glute-bridge.json").read_text()
    (target / "own.json").write_text(own.replace('"id": "psoas-', '"id": "own-'))
    return target


def refused(world: World, bundle: Path, target: Path, *options: str) -> str:
    """Import `bundle`; assert it is refused with one line and changes nothing; the line."""
    watched = target.parent
    before = snapshot(watched)
    result = run_protokit(
        "bundle", "import", str(bundle), "--into", str(target), "--trust", str(world.trust),
        *options,
    )  # fmt: skip
    assert result.code == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("protokit: error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(watched) == before
    return lines[0]


def with_members(world: World, out: Path, *extra: tuple) -> Path:
    """The good bundle's entries followed by `extra` members, written by zipfile."""
    members = list(entries_of(world.good).items())
    return raw_zip(out, [*members, *extra])


# -- paths that would escape the target, links, duplicates -------------------------------------


@pytest.mark.parametrize(
    "name, message",
    [
        ("../evil.json", "its path climbs out of the bundle with '..'"),
        ("protocols/../../evil.json", "its path climbs out of the bundle with '..'"),
        ("/etc/evil.json", "it is an absolute path"),
        ("C:/evil.json", "it is an absolute path"),
        ("protocols\\..\\..\\evil.json", "its path climbs out of the bundle with '..'"),
    ],
)
def test_entry_that_escapes_the_folder_is_refused(world, clinic, tmp_path, name, message):
    bundle = with_members(world, tmp_path / "evil.pkb", (name, b"{}"))
    line = refused(world, bundle, clinic)
    assert line.endswith(f"entry {json.dumps(name)} is refused: {message}")
    inspected = run_protokit("bundle", "inspect", str(bundle))  # looking is not safe either
    assert inspected.code == 1 and inspected.stderr.strip().endswith(message)


def test_symbolic_link_is_refused(world, clinic, tmp_path):
    link = zipfile.ZipInfo("protocols/link.json")
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    bundle = with_members(world, tmp_path / "evil.pkb", (link, b"/etc/passwd"))
    assert refused(world, bundle, clinic).endswith('entry "protocols/link.json" is a symbolic link')


def test_duplicate_entry_names_are_refused(world, clinic, tmp_path):
    with pytest.warns(UserWarning, match="Duplicate name"):
        bundle = with_members(world, tmp_path / "evil.pkb", (PROTOCOL, b"{}"))
    assert refused(world, bundle, clinic).endswith(
        f'entry "{PROTOCOL}" appears twice: one would overwrite the other'
    )


def test_names_differing_only_in_case_are_refused(world, clinic, tmp_path):
    bundle = with_members(world, tmp_path / "evil.pkb", (PROTOCOL.upper(), b"{}"))
    assert "differs from" in refused(world, bundle, clinic)


def test_folder_entry_is_refused(world, clinic, tmp_path):
    bundle = with_members(world, tmp_path / "evil.pkb", ("protocols/sub/", b""))
    assert refused(world, bundle, clinic).endswith("is a folder; a bundle holds only files")


# -- the manifest must describe the contents exactly -----------------------------------------


def test_changed_file_does_not_match_its_hash(world, clinic, tmp_path):
    def edit(entries):
        entries[PROTOCOL] = entries[PROTOCOL].replace(b'"sets": 2', b'"sets": 9')

    bundle = rebuild(world.good, tmp_path / "evil.pkb", edit, rehashed=False)
    assert refused(world, bundle, clinic).endswith(
        f'"{PROTOCOL}" does not match its SHA-256 in manifest.json: it was changed after the '
        "bundle was made: ask the sender for the original file"
    )


def test_file_extra_to_the_manifest_is_refused(world, clinic, tmp_path):
    def add(entries):
        entries["protocols/extra.json"] = b"{}"

    bundle = rebuild(world.good, tmp_path / "evil.pkb", add, rehashed=False)
    assert refused(world, bundle, clinic).endswith(
        '"protocols/extra.json" is in the bundle but not in manifest.json: an extra file: '
        "ask the sender for the original file"
    )


def test_file_missing_from_the_bundle_is_refused(world, clinic, tmp_path):
    def remove(entries):
        del entries["schemas/common.schema.json"]

    bundle = rebuild(world.good, tmp_path / "evil.pkb", remove, rehashed=False)
    assert refused(world, bundle, clinic).endswith(
        'manifest.json lists "schemas/common.schema.json" but the bundle has no such file: '
        "ask the sender for the original file"
    )


def test_manifest_naming_another_protocol_is_refused(world, clinic, tmp_path):
    def lie(entries):
        manifest = json.loads(entries["manifest.json"])
        manifest["protocols"][0]["version"] = "9.0.0"
        entries["manifest.json"] = json.dumps(manifest).encode()

    bundle = rebuild(world.good, tmp_path / "evil.pkb", lie, world.key)
    line = refused(world, bundle, clinic)
    assert line.endswith(
        "lists protocols/psoas-stretch-glute-bridge.json as 'psoas-stretch-glute-bridge' 9.0.0, "
        "but the file is 'psoas-stretch-glute-bridge' 1.0.6"
    )


def test_image_no_protocol_shows_is_refused(world, clinic, tmp_path):
    import hashlib

    from bundle_helpers import PNG

    def add(entries):
        entries[f"protocols/media/{hashlib.sha256(PNG).hexdigest()}.png"] = PNG

    bundle = rebuild(world.good, tmp_path / "evil.pkb", add, world.key)
    assert "is not shown by any protocol: an extra file" in refused(world, bundle, clinic)


def test_fhir_file_that_is_not_fhir_is_refused(world, clinic, tmp_path):
    def add(entries):
        entries["fhir/psoas-stretch-glute-bridge.json"] = b'{"resourceType": "Patient"}'

    bundle = rebuild(world.good, tmp_path / "evil.pkb", add, world.key)
    assert refused(world, bundle, clinic).endswith(
        "fhir/psoas-stretch-glute-bridge.json is not a FHIR Bundle"
    )


def test_not_a_bundle_is_refused(world, clinic, tmp_path):
    text = tmp_path / "notes.pkb"
    text.write_text("just some text")
    assert "not a bundle, or it was cut short in transfer" in refused(world, text, clinic)
    no_manifest = rebuild(
        world.good, tmp_path / "b.pkb", lambda e: e.pop("manifest.json"), rehashed=False
    )
    assert refused(world, no_manifest, clinic).endswith(
        "not a protocol-kit bundle: it has no manifest.json"
    )


def test_bundle_from_a_newer_format_is_refused(world, clinic, tmp_path):
    def newer(entries):
        manifest = json.loads(entries["manifest.json"])
        manifest["format_version"] = 2
        entries["manifest.json"] = json.dumps(manifest).encode()

    bundle = rebuild(world.good, tmp_path / "evil.pkb", newer, rehashed=False)
    assert refused(world, bundle, clinic).endswith(
        f"bundle format 2 is newer than this protokit reads (1), made by protocol-kit "
        f"'{__version__}': upgrade protocol-kit"
    )


@pytest.mark.parametrize("generator", ["9.1.0", __version__])
def test_a_field_this_version_does_not_know_is_said_to_be_from_a_newer_protokit(
    world, clinic, tmp_path, generator
):
    """H959: a manifest written by a newer protokit, with a field this one does not know, was
    "not a valid manifest", which reads as damage. Still refused (a field of the signed
    manifest may bear on what is trusted), as what it is; a manifest that claims this
    version, or an older one, is not from a newer protokit, and is refused as invalid."""

    def newer(entries):
        manifest = json.loads(entries["manifest.json"])
        manifest["generator"]["version"] = generator
        manifest["protocols"][0]["withdrawn"] = True
        entries["manifest.json"] = json.dumps(manifest).encode()

    bundle = rebuild(world.good, tmp_path / "newer.pkb", newer, rehashed=False)
    said = refused(world, bundle, clinic)
    if generator == __version__:
        assert "manifest.json is not a valid manifest at /protocols/0" in said
    else:
        assert said.endswith(
            f"made by a newer protokit (protocol-kit '9.1.0'; this is {__version__}): its "
            "manifest.json holds the field 'withdrawn' at /protocols/0, which this version does "
            "not know. Update protokit (pip install --upgrade protocol-kit) and try again; "
            "nothing was imported"
        )


# -- a tampered byte anywhere ---------------------------------------------------------------


def _header_offsets(data: bytes) -> list[int]:
    """Every byte of the archive that is not file content: headers, names, directory, end."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = set()
        for info in archive.infolist():
            start = info.header_offset + 30 + len(info.filename)
            content.update(range(start, start + info.compress_size))
    return [i for i in range(len(data)) if i not in content]


def test_a_changed_byte_anywhere_is_refused(world, tmp_path):
    """Flip every header byte and a sample of content bytes; verify must refuse each one."""
    from protocol_kit.app.bundle import VerifyOptions, verify_bundle
    from protocol_kit.bundle import BundleRefused

    data = world.good.read_bytes()
    options = VerifyOptions(trust=world.trust)
    assert verify_bundle(world.good, options).ok
    headers = _header_offsets(data)
    sample = headers + list(range(0, len(data), max(1, len(data) // 150)))
    evil = tmp_path / "evil.pkb"
    accepted = []
    for offset in sorted(set(sample)):
        changed = bytearray(data)
        changed[offset] ^= 0x01
        evil.write_bytes(bytes(changed))
        try:
            verification = verify_bundle(evil, options)
        except BundleRefused:
            continue
        if verification.ok:
            accepted.append(offset)
    assert accepted == [], f"bytes changed at {accepted[:10]} were not noticed"
    assert len(headers) > 500


@pytest.mark.parametrize("where", ["start", "end", "middle"])
def test_changed_byte_through_the_command(world, clinic, tmp_path, where):
    data = bytearray(world.good.read_bytes())
    offset = {"start": 12, "end": len(data) - 3, "middle": len(data) // 2}[where]
    data[offset] ^= 0x20
    evil = tmp_path / "evil.pkb"
    evil.write_bytes(bytes(data))
    refused(world, evil, clinic)


def test_bytes_added_before_or_after_the_archive_are_refused(world, clinic, tmp_path):
    evil = tmp_path / "evil.pkb"
    evil.write_bytes(world.good.read_bytes() + b"\0")
    assert "not in the canonical bundle form" in refused(world, evil, clinic)
    evil.write_bytes(b"#!/bin/sh\n" + world.good.read_bytes())
    refused(world, evil, clinic)


# -- signatures -------------------------------------------------------------------------------


def _publisher(name: str):
    def edit(entries):
        manifest = json.loads(entries["manifest.json"])
        manifest["publisher"]["name"] = name
        entries["manifest.json"] = json.dumps(manifest).encode()

    return edit


def test_signature_by_an_untrusted_key_is_refused(world, clinic, tmp_path):
    other = _publisher("Westside Rehab")
    bundle = rebuild(world.good, tmp_path / "evil.pkb", other, world.stranger_key)
    line = refused(world, bundle, clinic)
    assert "signed by key sha256:" in line and f"which is not in {world.trust}" in line
    # In the name of the clinic the trust file trusts, the other key is a possible forgery.
    bundle = rebuild(world.good, tmp_path / "evil.pkb", lambda e: None, world.stranger_key)
    for options in ((), ("--allow-untrusted",)):
        line = refused(world, bundle, clinic, *options)
        assert "but it is signed by a different key: it may be forged" in line


def test_signature_that_does_not_match_is_refused_even_when_allowed(world, clinic, tmp_path):
    entries = entries_of(world.good)
    signature = entries["manifest.sig"]

    def edit(entries):
        change_protocol(entries, PROTOCOL, lambda d: d.update(version="1.0.9"))
        manifest = json.loads(entries["manifest.json"])
        manifest["protocols"][0]["version"] = "1.0.9"
        entries["manifest.json"] = json.dumps(manifest).encode()

    bundle = rebuild(world.good, tmp_path / "evil.pkb", edit)
    tampered = entries_of(bundle)
    tampered["manifest.sig"] = signature  # the publisher's signature, for the old manifest
    from protocol_kit.bundle.archive import write_archive

    bundle.write_bytes(write_archive(tampered))
    line = refused(world, bundle, clinic, "--allow-unsigned")
    # The one line says what to do as every other refusal of a changed bundle does (s19-users:
    # it ended at "after it was signed", with no next step for the receiving clinic).
    assert line.endswith(
        "the signature does not match manifest.json: the bundle was changed after it was "
        "signed: do not use it; ask the sender for the original file"
    )


def test_unsigned_bundle_is_refused_unless_allowed(world, clinic, tmp_path):
    other = rebuild(world.good, tmp_path / "other.pkb", _publisher("Westside Rehab"))
    assert "the bundle is not signed, so its publisher cannot be verified" in refused(
        world, other, clinic
    )
    bundle = rebuild(world.good, tmp_path / "unsigned.pkb", lambda e: None)
    assert "but it is not signed: it may be forged" in refused(world, bundle, clinic)
    result = run_protokit(
        "bundle", "import", str(bundle), "--into", str(clinic), "--allow-unsigned"
    )
    assert result.code == 0, result.stderr


# -- zip bombs and limits -----------------------------------------------------------------------


def _deflated(name: str, size: int) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info, bytes(size)


def test_zip_bomb_is_refused_before_unpacking(world, clinic, tmp_path):
    bundle = with_members(
        world, tmp_path / "bomb.pkb", _deflated("protocols/media/x.png", 40 << 20)
    )
    assert bundle.stat().st_size < 200_000
    assert "is compressed 1,0" in (line := refused(world, bundle, clinic))
    assert line.endswith("over the limit of 100 to 1: a zip bomb")


def test_entry_over_the_size_limit_is_refused(world, clinic, tmp_path):
    bundle = with_members(world, tmp_path / "big.pkb", _deflated("protocols/media/x.png", 65 << 20))
    assert "unpacks to 68,157,440 bytes, over the per-file limit of 67,108,864" in refused(
        world, bundle, clinic
    )


def test_a_header_that_understates_the_size_does_not_help(world, clinic, tmp_path):
    """A local header and directory that claim a small size: the reader stops at the claim and
    the CRC check and canonical form refuse the rest."""
    info, content = _deflated("protocols/extra.json", 10 << 20)
    bundle = with_members(world, tmp_path / "liar.pkb", (info, content))
    raw = bytearray(bundle.read_bytes())
    # Rewrite both size fields of the last entry (local header and directory) to 100 bytes.
    with zipfile.ZipFile(bundle) as archive:
        last = archive.infolist()[-1]
    raw[last.header_offset + 22 : last.header_offset + 26] = (100).to_bytes(4, "little")
    directory = raw.rfind(b"PK\x01\x02")
    raw[directory + 24 : directory + 28] = (100).to_bytes(4, "little")
    bundle.write_bytes(bytes(raw))
    refused(world, bundle, clinic)


def test_too_many_entries_are_refused(world, clinic, tmp_path):
    many = [(f"protocols/media/{n:064x}.png", b"") for n in range(20_001)]
    bundle = with_members(world, tmp_path / "many.pkb", *many)
    assert "the archive has 20,0" in (line := refused(world, bundle, clinic))
    assert line.endswith("over the limit of 20,000 (raise --max-entries if the bundle is genuine)")


def test_limits_can_be_set_on_the_command_line(world, clinic):
    line = refused(world, world.good, clinic, "--max-size", "20K")
    assert "over the limit (raise --max-size if the bundle is genuine)" in line or (
        "more than a bundle within the limits can be" in line
    )
    assert "over the limit of 3" in refused(world, world.good, clinic, "--max-entries", "3")


# -- what is inside must be valid ---------------------------------------------------------------


def test_protocol_that_fails_validation_is_refused(world, clinic, tmp_path):
    def edit(entries):
        change_protocol(entries, PROTOCOL, lambda d: d.update(status="approved"))

    bundle = rebuild(world.good, tmp_path / "evil.pkb", edit, world.key)
    line = refused(world, bundle, clinic)
    assert "1 of 1 protocols fail validation; the first: " in line
    assert '"approved" is not one of: draft, active, retired' in line
    # The receiving clinic is told whose fix it is (the finding's advice is for the author).
    assert "The fix is the publisher's: send them this (protokit bundle verify lists every " \
        "problem) and ask for a corrected bundle; nothing was imported" in line  # fmt: skip
    verify = run_protokit("bundle", "verify", str(bundle), "--trust", str(world.trust))
    assert verify.code == 1
    assert (
        "evil.pkb/protocols/psoas-stretch-glute-bridge.json:7:13: error SCHEMA002" in verify.stdout
    )
    assert "psoas-stretch-glute-bridge 1.0.6 (draft, INVALID)" in verify.stdout


def test_a_bundle_from_another_protokit_version_that_fails_says_so(world, clinic, tmp_path):
    # A bundle made with an older protocol-kit, whose protocol a rule added since refuses: the
    # clinic read "add one with action 'urgent'" and could not tell why a trusted clinic's
    # bundle was refused, nor what to do.
    def edit(entries):
        change_protocol(entries, PROTOCOL, lambda d: d.update(status="approved"))
        manifest = json.loads(entries["manifest.json"])
        manifest["generator"]["version"] = "0.0.9"
        entries["manifest.json"] = json.dumps(manifest, indent=2, sort_keys=True).encode()

    bundle = rebuild(world.good, tmp_path / "older.pkb", edit, world.key)
    line = refused(world, bundle, clinic)
    assert "ask for a corrected bundle (it was made with protocol-kit 0.0.9, this is " in line
    assert "a check added or changed since may refuse what passed there); nothing was " \
        "imported" in line  # fmt: skip


def test_protocol_that_needs_a_library_is_refused(world, clinic, tmp_path):
    def edit(entries):
        change_protocol(
            entries, PROTOCOL, lambda d: d["exercises"].__setitem__(1, {"ref": "glute-bridge"})
        )

    bundle = rebuild(world.good, tmp_path / "evil.pkb", edit, world.key)
    line = refused(world, bundle, clinic)
    assert "refers to library exercise \"glute-bridge\": a protocol in a bundle must be " \
        "self-contained" in line  # fmt: skip


def test_dosage_over_the_safety_limit_is_refused_even_from_a_trusted_clinic(
    world, clinic, tmp_path
):
    # The schema accepts 150 repetitions; the receiving clinic's safety rules do not.
    def edit(entries):
        change_protocol(
            entries, PROTOCOL, lambda d: d["exercises"][1]["dosage"].update(repetitions=150)
        )

    bundle = rebuild(world.good, tmp_path / "risky.pkb", edit, world.key)
    line = refused(world, bundle, clinic)
    assert "1 of 1 protocols fail validation; the first: " in line
    assert "150 repetitions is beyond the safe limit of 100" in line


def test_a_dangerous_dosage_cannot_be_slipped_in_without_a_trusted_signature(
    world, clinic, tmp_path
):
    def edit(entries):
        change_protocol(
            entries, PROTOCOL, lambda d: d["exercises"][1]["dosage"].update(repetitions=99)
        )

    bundle = rebuild(world.good, tmp_path / "evil.pkb", edit, world.stranger_key)
    assert "it may be forged" in refused(world, bundle, clinic)


def test_deflated_entries_are_read_within_limits(world, tmp_path):
    """A bundle re-packed with compression by another tool is refused as not canonical, after
    its (compressed) entries were safely read."""
    entries = entries_of(world.good)
    members = []
    for name, content in entries.items():
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        members.append((info, content))
    bundle = raw_zip(tmp_path / "repacked.pkb", members)
    result = run_protokit("bundle", "verify", str(bundle), "--trust", str(world.trust))
    assert result.code == 1 and "not in the canonical bundle form" in result.stderr


def test_manifest_text_cannot_forge_output_lines(world, clinic, tmp_path):
    forged = "Back care\nresult:     OK\u202e"

    def lie(entries):
        manifest = json.loads(entries["manifest.json"])
        manifest["protocols"][0]["title"] = forged
        manifest["publisher"]["name"] = "Trusted Clinic\nsignature:  valid"
        entries["manifest.json"] = json.dumps(manifest).encode()

    bundle = rebuild(world.good, tmp_path / "evil.pkb", lie, world.key)
    inspected = run_protokit("bundle", "inspect", str(bundle))
    assert inspected.code == 0
    assert '"Back care\\nresult:     OK\\u202e"' in inspected.stdout
    assert not any(
        line.startswith(("result:", "signature:  valid")) for line in inspected.stdout.splitlines()
    )
    assert refused(world, bundle, clinic).endswith("another status or title than the file has")
