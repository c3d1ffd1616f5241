"""`bundle verify` says the same things whether its protocols are checked here or on worker
processes, which send back a summary of each valid protocol (`bundle_verify.Received`), not its
model: the sign-off, the next review, an overdue review, a missing image (placed in the file
at its line and column, H223) and an extra one."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import pytest
from bundle_helpers import PNG, change_protocol, entries_of, publish, rebuild

from conftest import run_protokit
from protocol_kit import __version__
from protocol_kit.app import check

MAIN = "protocols/psoas-stretch-glute-bridge.json"
SECOND = "protocols/second-programme.json"
SIGN_OFF = {
    "name": "A. Reviewer",
    "profession": "physiotherapist",
    "registration": {"body": "HCPC", "number": "PH100001"},
    "date": "2026-01-10",
}


def media_of(entries: dict[str, bytes]) -> str:
    [name] = [n for n in entries if n.startswith("protocols/media/")]
    return name


def drop_image(entries: dict[str, bytes]) -> None:
    del entries[media_of(entries)]


def overdue_and_signed(entries: dict[str, bytes]) -> None:
    due = dt.date.today() - dt.timedelta(days=10)

    def edit(data: dict) -> None:
        data["updated"] = (due - dt.timedelta(days=365)).isoformat()
        data["next_review"] = due.isoformat()
        data["sign_off"] = SIGN_OFF

    change_protocol(entries, MAIN, edit)


def extra_image(entries: dict[str, bytes]) -> None:
    other = PNG + b"\0"
    entries[f"protocols/media/{hashlib.sha256(other).hexdigest()}.png"] = other


CHANGES = {
    "as-made": lambda entries: None,
    "missing-image": drop_image,
    "overdue-signed": overdue_and_signed,
    "extra-image": extra_image,
}


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("received")
    made = publish(folder, "1.1.0")
    return {name: rebuild(made, folder / f"{name}.pkb", change) for name, change in CHANGES.items()}


def verify(bundle, monkeypatch, workers: bool):
    with monkeypatch.context() as patched:
        if workers:
            patched.setattr(check, "PARALLEL_THRESHOLD", 1)
            patched.setattr(check, "worker_count", lambda jobs, items: 2)
        return run_protokit("bundle", "verify", str(bundle), "--allow-untrusted")


@pytest.mark.parametrize("name", CHANGES)
def test_workers_report_what_one_process_reports(bundles, monkeypatch, name):
    here = verify(bundles[name], monkeypatch, workers=False)
    on_workers = verify(bundles[name], monkeypatch, workers=True)
    assert "Traceback" not in here.stderr + on_workers.stderr
    assert on_workers == here


def test_what_the_report_says_of_each_protocol(bundles, monkeypatch):
    result = verify(bundles["overdue-signed"], monkeypatch, workers=True)
    assert result.code == 0, result.stdout + result.stderr
    assert "(draft, valid, signed off 2026-01-10, next review " in result.stdout
    assert "its review was due on" in result.stdout
    extra = verify(bundles["extra-image"], monkeypatch, workers=True)
    assert extra.code == 1 and "is not shown by any protocol: an extra file" in extra.stderr


def test_a_missing_image_is_placed_at_its_line_and_column(bundles, monkeypatch, tmp_path):
    bundle = bundles["missing-image"]
    result = verify(bundle, monkeypatch, workers=True)
    assert result.code == 1
    found = re.search(rf"{re.escape(SECOND)}:(\d+):(\d+): error BDL003 the image ", result.stdout)
    assert found, result.stdout
    # The place is the image's path in the file as bundled.

    text = entries_of(bundle)[SECOND].decode()
    line, column = int(found[1]), int(found[2])
    assert text.splitlines()[line - 1][column - 1 :].startswith('"media/')
    assert f"the first: {bundle}/{SECOND}:{line}:{column}: the image" in result.stderr
    assert json.loads(text)["exercises"][0]["media"][0]["path"].startswith("media/")


def _display_p3_png() -> bytes:
    """A 1 x 1 red PNG whose cICP chunk gives Display P3's code points: taken by protokit
    before H1011, refused since."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)),
            chunk(b"cICP", bytes((12, 13, 0, 1))),
            chunk(b"IDAT", zlib.compress(b"\x00\xc8\x28\x28")),
            chunk(b"IEND", b""),
        )
    )


def test_a_picture_refused_in_a_received_bundle_is_the_publisher_s_to_mend(bundles, tmp_path):
    """H1013: a picture an earlier protokit took and a check added since refuses (H981-H985,
    H1010, H1011) was refused in a received bundle with the words for its author ("save a copy
    in sRGB (an image editor's export)"), naming it by its SHA-256 only: a receiving clinic that
    followed them changed a publisher's file, which then fails the manifest. Now the protocol
    showing it is named, and the fix is the publisher's, with the version that made it."""
    picture = _display_p3_png()

    def made_by_an_earlier_protokit(entries: dict[str, bytes]) -> None:
        old = media_of(entries).removeprefix("protocols/")
        new = f"media/{hashlib.sha256(picture).hexdigest()}.png"
        del entries["protocols/" + old]
        entries["protocols/" + new] = picture
        entries[SECOND] = entries[SECOND].replace(old.encode(), new.encode())
        manifest = json.loads(entries["manifest.json"])
        manifest["generator"]["version"] = "0.1.0"
        entries["manifest.json"] = json.dumps(manifest).encode()

    older = rebuild(bundles["as-made"], tmp_path / "older.pkb", made_by_an_earlier_protokit)
    result = run_protokit("bundle", "verify", str(older), "--allow-untrusted")
    assert result.code == 1
    assert f".png (shown by {SECOND}) says its pixels are to be shown" in result.stderr
    assert (
        "The fix is the publisher's: send them this (protokit bundle verify lists every "
        "problem) and ask for a corrected bundle (it was made with protocol-kit 0.1.0, this "
        f"is {__version__}: a check added or changed since may refuse what passed there)"
    ) in result.stderr
