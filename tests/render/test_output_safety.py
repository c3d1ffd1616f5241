"""`-o` never destroys a file: not the protocol, prescription, configuration, logo or library
file the output is made from, and not an existing file of another kind. An earlier output (a
PDF for a sheet, an export for `export fhir`) is replaced, as documented."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import PROTOCOLS, REPO, run_protokit

EXAMPLE = "psoas-stretch-glute-bridge.json"
PRESCRIPTION = REPO / "docs" / "examples" / "prescription-psoas.json"
LOGO = REPO / "docs" / "images" / "sheet-psoas-stretch-glute-bridge-page1.png"


@pytest.fixture
def clinic(tmp_path):
    """A clinic folder: the example protocol, its library, a prescription, a logo and a
    configuration that names the logo."""
    shutil.copytree(PROTOCOLS / "library", tmp_path / "library")
    shutil.copyfile(PROTOCOLS / EXAMPLE, tmp_path / EXAMPLE)
    shutil.copyfile(PRESCRIPTION, tmp_path / "rx.json")
    shutil.copyfile(LOGO, tmp_path / "logo.png")
    (tmp_path / "protokit.toml").write_text(
        '[clinic]\nname = "Northside Physio"\nlogo = "logo.png"\n'
        'phone = "0113 496 0000"\nemergency_number = "999"\nurgent_number = "111"\n',
        "utf-8",
    )
    return tmp_path


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def snapshot(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("output", "what"),
    [
        (EXAMPLE, "the protocol"),
        ("rx.json", "the prescription"),
        ("protokit.toml", "the configuration"),
        ("logo.png", "the clinic logo"),
        ("library/glute-bridge.json", "a library exercise file"),
    ],
)
def test_render_never_writes_over_a_file_the_sheet_is_made_from(clinic, output, what):
    before = snapshot(clinic)
    result = run_protokit("render", EXAMPLE, "--prescription", "rx.json", "-o", output, cwd=clinic)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"protokit: error: {output}: is {what}")
    assert "would replace it; nothing written" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert snapshot(clinic) == before  # every input byte for byte, and no file left behind


def test_render_refuses_to_replace_a_file_that_is_not_a_pdf(clinic):
    notes = clinic / "alex-notes.pdf"
    notes.write_text("Alex: phone on Monday about the knee", "utf-8")
    result = run_protokit("render", EXAMPLE, "-o", "alex-notes.pdf", cwd=clinic)
    assert result.code == 2
    assert result.stderr == (
        "protokit: error: alex-notes.pdf: exists and is not a PDF: writing the sheet there "
        "would destroy what it holds; nothing written, choose another output file or move it "
        "away\n"
    )
    assert notes.read_text("utf-8") == "Alex: phone on Monday about the knee"


def test_render_replaces_an_earlier_sheet(clinic):
    first = run_protokit("render", EXAMPLE, "-o", "sheet.pdf", cwd=clinic)
    assert first.code == 0, first.stderr
    assert "Alex Example" not in pdf_text(clinic / "sheet.pdf")
    again = run_protokit(
        "render", EXAMPLE, "--prescription", "rx.json", "-o", "sheet.pdf", cwd=clinic
    )
    assert again.code == 0, again.stderr
    assert again.stdout.startswith("wrote sheet.pdf (")
    assert "Alex Example" in pdf_text(clinic / "sheet.pdf")


def test_export_never_writes_over_its_protocol_or_another_file_even_with_force(clinic):
    other = clinic / "other-protocol.json"
    shutil.copyfile(PROTOCOLS / "hip-flexor-stretch-programme.json", other)
    before = snapshot(clinic)
    for output, message in [
        (EXAMPLE, f"{EXAMPLE}: is the protocol that the export is made from"),
        ("library/glute-bridge.json", "library/glute-bridge.json: is a library exercise file"),
        ("other-protocol.json", "other-protocol.json: exists and is not a FHIR export"),
    ]:
        result = run_protokit("export", "fhir", EXAMPLE, "-o", output, "--force", cwd=clinic)
        assert result.code == 2
        assert result.stderr.startswith(f"protokit: error: {message}")
        assert result.stderr.count("\n") == 1
    assert snapshot(clinic) == before


def test_export_with_force_replaces_an_earlier_export(clinic):
    first = run_protokit("export", "fhir", EXAMPLE, "-o", "back.fhir.json", cwd=clinic)
    assert first.code == 0, first.stderr
    again = run_protokit("export", "fhir", EXAMPLE, "-o", "back.fhir.json", cwd=clinic)
    assert again.code == 2 and "already exists (use --force" in again.stderr
    forced = run_protokit("export", "fhir", EXAMPLE, "-o", "back.fhir.json", "--force", cwd=clinic)
    assert forced.code == 0, forced.stderr
    assert (
        (clinic / "back.fhir.json").read_text("utf-8").startswith('{\n  "resourceType": "Bundle"')
    )


def test_a_sheet_another_command_wrote_meanwhile_is_kept_and_the_run_fails(clinic, monkeypatch):
    # `render a.json -o sheet.html` and `render b.json -o sheet.html` at once (a script started
    # twice, two CI jobs): both said "wrote sheet.html", and the sheet there was one of them
    # (H868). The second to finish now fails in one line, and the other's sheet is kept.
    import protocol_kit.sheet.html as html

    made = html.write_html
    sheet = clinic / "sheet.html"

    def another_command_writes_first(*args, **kwargs):
        sheet.write_text("<!DOCTYPE html><p>the other protocol's sheet</p>", "utf-8")
        return made(*args, **kwargs)

    monkeypatch.setattr(html, "write_html", another_command_writes_first)
    result = run_protokit("render", EXAMPLE, "--format", "html", "-o", "sheet.html", cwd=clinic)
    assert result.code == 2, result
    assert result.stderr.startswith("protokit: error: sheet.html: was written by another program")
    assert len(result.stderr.splitlines()) == 1 and "wrote" not in result.stderr
    assert "the other protocol's sheet" in sheet.read_text("utf-8")


def test_render_without_o_writes_beside_the_prescription_or_the_protocol(clinic):
    # It stopped with "Missing option '-o' / '--output'" (H1154): the sheet now takes the
    # name of the file it is for, and the same checks keep every other file safe.
    (clinic / "patients").mkdir()
    shutil.move(clinic / "rx.json", clinic / "patients" / "alex.json")
    personal = run_protokit("render", EXAMPLE, "--prescription", "patients/alex.json", cwd=clinic)
    assert personal.code == 0, personal.stderr
    assert personal.stdout.startswith("wrote patients/alex.pdf (")
    assert "Alex Example" in pdf_text(clinic / "patients" / "alex.pdf")
    blank = run_protokit("render", EXAMPLE, "--format", "html", cwd=clinic)
    assert blank.code == 0, blank.stderr
    assert (clinic / "psoas-stretch-glute-bridge.html").read_bytes().startswith(b"<!DOCTYPE")
    # A file of that name that is not a sheet is kept, as with -o.
    (clinic / "psoas-stretch-glute-bridge.pdf").write_text("my notes", "utf-8")
    kept = run_protokit("render", EXAMPLE, cwd=clinic)
    assert kept.code == 2 and "exists and is not a PDF" in kept.stderr
    assert (clinic / "psoas-stretch-glute-bridge.pdf").read_text("utf-8") == "my notes"
