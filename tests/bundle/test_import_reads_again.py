"""An import reads each protocol and image from the bundle again when it writes it, instead of
holding a bundle's every protocol, parsed form and image until the last is written (issue 17):
the files written are the ones verified, and a bundle changed after it was verified is
refused, the folder left as it was (H580)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_helpers import CURRENT, ID, publish, snapshot

from protocol_kit.app import bundle_import
from protocol_kit.app.bundle import ImportOptions, VerifyOptions, import_bundle
from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import read_archive

OPTIONS = ImportOptions(verify=VerifyOptions(allow_unsigned=True))


def _spoil(bundle: Path, name: str) -> None:
    """One byte of entry `name`'s content changed in place (its size kept)."""
    content = read_archive(bundle).entries[name]
    data = bundle.read_bytes()
    at = data.index(content) + len(content) // 2
    spoiled = bytes([data[at] ^ 0x01])
    bundle.write_bytes(data[:at] + spoiled + data[at + 1 :])


def test_the_files_written_are_the_bundles(tmp_path):
    bundle = publish(tmp_path, CURRENT)
    entries = read_archive(bundle).entries
    target = tmp_path / "received"
    target.mkdir()
    result = import_bundle(bundle, target, OPTIONS)
    assert result.applied
    assert (target / f"{ID}.json").read_bytes() == entries[f"protocols/{ID}.json"]
    images = [name for name in entries if name.startswith("protocols/media/")]
    assert images
    for name in images:
        assert (target / name.removeprefix("protocols/")).read_bytes() == entries[name]


@pytest.mark.parametrize("when", ["plan_import", "apply_plan"])
def test_a_bundle_changed_after_it_was_verified_is_refused_and_nothing_written(
    tmp_path, monkeypatch, when
):
    bundle = publish(tmp_path, CURRENT)
    target = tmp_path / "received"
    target.mkdir()
    (target / "own.json").write_text("{}\n")
    before = snapshot(target)
    original = getattr(bundle_import, when)

    def changed_first(*args, **kwargs):
        _spoil(bundle, "protocols/second-programme.json")
        return original(*args, **kwargs)

    monkeypatch.setattr(bundle_import, when, changed_first)
    with pytest.raises(BundleRefused, match="changed while it was read"):
        import_bundle(bundle, target, OPTIONS)
    assert snapshot(target) == before


def test_the_manifest_changed_after_the_bundle_was_opened_is_refused_when_read_again(tmp_path):
    # The manifest's bytes are not held for the whole command (4 MB for 10,000 protocols):
    # the signature check reads them again, and must find the bytes the archive's check saw.
    from protocol_kit.bundle.reader import open_bundle

    bundle = publish(tmp_path, CURRENT)
    opened = open_bundle(bundle)
    assert opened.manifest_bytes == read_archive(bundle).entries["manifest.json"]
    _spoil(bundle, "manifest.json")
    with pytest.raises(BundleRefused, match="changed while it was read"):
        _ = opened.manifest_bytes
