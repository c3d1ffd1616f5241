"""A bundle, a sheet or a picture given where a protocol's JSON file is expected: the
receiving clinic ran `protokit render clinic.pkb` and read "not valid UTF-8: byte 0xa3 cannot
start a character here" at a line deep inside the archive (H434). The message now says what
the file is and which command reads it."""

from __future__ import annotations

import pytest
from bundle_helpers import raw_zip

from conftest import REPO, run_protokit

PROTOCOL = REPO / "protocols" / "psoas-stretch-glute-bridge.json"


@pytest.mark.parametrize("command", ["validate", "render", "fmt"])
def test_a_bundle_given_as_a_protocol_names_the_bundle_commands(tmp_path, command):
    bundle = raw_zip(tmp_path / "clinic.pkb", [("manifest.json", b"{}"), ("x", b"\xa3" * 40)])
    args = {"render": ("-o", str(tmp_path / "sheet.pdf"))}.get(command, ())
    result = run_protokit(command, str(bundle), *args)
    assert result.code in (1, 2)
    said = result.stdout + result.stderr
    assert f"{bundle}:1:1:" in said
    assert "protocol bundle" in said and "protokit bundle import" in said
    assert "UTF-8" not in said and "Traceback" not in said
    assert not (tmp_path / "sheet.pdf").exists()


def test_a_bundle_given_as_a_prescription_is_named(tmp_path):
    bundle = raw_zip(tmp_path / "clinic.pkb", [("manifest.json", b"{}")])
    result = run_protokit(
        "render", str(PROTOCOL), "--prescription", str(bundle), "-o", str(tmp_path / "s.pdf")
    )
    assert result.code == 2
    assert f"{bundle}:1:1: the file is a ZIP archive, such as a protocol bundle" in result.stderr


@pytest.mark.parametrize(
    ("head", "what"),
    [(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF"), (b"\x89PNG\r\n\x1a\n\x00", "a PNG picture")],
)
def test_a_sheet_or_a_picture_given_as_a_protocol_is_named(tmp_path, head, what):
    wrong = tmp_path / "knee.json"
    wrong.write_bytes(head + b"\xff" * 20)
    result = run_protokit("validate", str(wrong))
    assert result.code == 1
    assert f"{wrong}:1:1: error JSON004 the file is {what}" in result.stdout
