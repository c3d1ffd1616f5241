"""docs/walkthrough.md is followed as a therapist would: every command it shows is run in a new
folder and must print what the walkthrough says it prints, and every JSON or TOML it shows is
part of the finished example files in docs/examples/walkthrough/, which are valid."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest
from test_starter import codes

from conftest import REPO, run_protokit
from protocol_kit import __version__

DOC = REPO / "docs" / "walkthrough.md"
FINISHED = REPO / "docs" / "examples" / "walkthrough"
WRITTEN_ON = "2026-11-23"  # the date the walkthrough's files were written
STAGED = REPO / "docs" / "examples" / "prescription-staged.json"
STAGED_PROTOCOL = REPO / "protocols" / "psoas-stretch-glute-bridge.json"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def shown(text: str) -> str:
    """Output as the walkthrough shows it: written on its date, sizes as printed there. The
    page count is kept: a reader checks the sheet they printed against it (the walkthrough
    said 3 pages for a sheet of 2)."""
    text = text.replace(dt.date.today().isoformat(), WRITTEN_ON)
    return re.sub(r"\((\d+ pages?), \d+ KB\)", r"(\1, N KB)", text)


def in_walkthrough(output: str) -> None:
    document = shown(DOC.read_text(encoding="utf-8"))
    for line in shown(output).splitlines():
        assert line in document, f"the walkthrough does not show: {line}"


@pytest.mark.parametrize("block", blocks("json"), ids=lambda b: b.split(":")[0].strip())
def test_every_json_it_shows_is_in_the_finished_files(block):
    # Sections 1-10 build the files in docs/examples/walkthrough; section 11 shows the
    # repository's screened, staged example and the protocol it prescribes.
    shown_files = [*FINISHED.rglob("*.json"), STAGED, STAGED_PROTOCOL]
    files = [p.read_text(encoding="utf-8") for p in shown_files]
    assert any(squeezed(block) in squeezed(text) for text in files), block


def test_the_clinic_profile_it_shows_is_the_finished_one():
    assert blocks("toml") == [(FINISHED / "protokit.toml").read_text(encoding="utf-8")]


def test_every_place_the_text_sends_the_reader_to_is_one_the_output_shows():
    """The text said "go to line 47, column 5" of a finding the output shows at 53:5."""
    text = DOC.read_text(encoding="utf-8")
    places = re.findall(r"line (\d+), column (\d+)", text)
    assert places
    for line, column in places:
        assert re.search(rf"\.json:{line}:{column}: ", text), f"line {line}, column {column}"


def test_the_finished_files_are_valid():
    result = run_protokit("validate", ".", cwd=FINISHED)
    assert (result.code, result.stdout, result.stderr) == (0, "", "checked 4 files: all valid\n")


def run(folder, *args):
    result = run_protokit(*args, cwd=folder)
    return result.code, result.stdout + result.stderr


def test_every_command_prints_what_the_walkthrough_shows(tmp_path):
    assert run(tmp_path, "--version") == (0, f"protokit, version {__version__}\n")
    in_walkthrough(f"protokit, version {__version__}")
    # 2. The clinic's folder: refused until its TODOs are replaced.
    code, output = run(tmp_path, "init", "clinic-protocols")
    assert code == 0
    in_walkthrough(output)
    folder = tmp_path / "clinic-protocols"
    assert (folder / "library").is_dir()
    code, output = run(folder, "validate", ".")
    assert code == 2
    in_walkthrough(output)
    shutil.copy(FINISHED / "protokit.toml", folder / "protokit.toml")

    # 3. Start a protocol and its exercises.
    code, output = run(folder, "new", "protocol", "neck-stiffness")
    assert code == 0
    in_walkthrough(output)
    code, output = run(folder, "validate", "neck-stiffness.json")
    lines = output.splitlines()
    # 18 TODOs, the template's exercise values (GOV007), and the 11 starting texts marked for
    # review (GOV009); the chest pain red flag every sheet needs is there (no SAFE005).
    assert code == 1 and "(19 errors, 11 warnings)" in lines[-1]
    assert sum("TEXT003" in line for line in lines) == 18
    assert codes("\n".join(lines), "GOV009") == 11  # said once, each listed below
    assert not any("SAFE005" in line for line in lines)
    in_walkthrough("\n".join(lines[:2]))
    starting = next(i for i, line in enumerate(lines) if " GOV009 " in line)
    in_walkthrough("\n".join(lines[starting : starting + 3]))
    for exercise in ("chin-tuck", "upper-trapezius-stretch"):
        code, output = run(folder, "new", "exercise", exercise)
        assert code == 0
        in_walkthrough(output)

    # 4-5. The files filled in, with the walkthrough's three mistakes.
    def finished(name):
        shutil.copy(FINISHED / name, folder / name)
        return folder / name

    def change(path, old, new):
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    protocol = finished("neck-stiffness.json")
    change(protocol, '"stop_criteria"', '"stop_criterea"')
    change(finished("library/chin-tuck.json"), '["cervical-spine"]', '["neck"]')
    change(finished("library/upper-trapezius-stretch.json"), '"each"', '"both sides"')
    code, output = run(folder, "validate", ".")
    assert code == 1 and output.count("\n") == 5
    in_walkthrough(output)
    for name in ("neck-stiffness.json", "library/chin-tuck.json"):
        finished(name)
    finished("library/upper-trapezius-stretch.json")
    change(protocol, '{ "ref": "chin-tuck" }', '{ "ref": "chin-tuk" }')
    code, output = run(folder, "validate", "neck-stiffness.json")
    assert code == 1
    in_walkthrough(output.splitlines()[0])
    finished("neck-stiffness.json")
    assert run(folder, "validate", ".") == (0, "checked 3 files: all valid\n")

    # 7-8. The clinic profile, first with a wrong key, and the sheet.
    clinic = finished("protokit.toml")
    change(clinic, "phone = ", "telephone = ")
    code, output = run(folder, "render", "neck-stiffness.json", "-o", "neck-stiffness.pdf")
    assert code == 2
    in_walkthrough(output.replace(str(folder), "/home/jo/clinic-protocols"))
    finished("protokit.toml")
    code, output = run(folder, "render", "neck-stiffness.json", "-o", "neck-stiffness.pdf")
    assert code == 0
    in_walkthrough(output)

    # 9. The prescription: written, its TODOs listed, filled in, two mistakes.
    (folder / "prescriptions").mkdir()
    rx = "prescriptions/alex-example.json"
    code, output = run(folder, "new", "prescription", rx, "--protocol", "neck-stiffness.json")
    assert code == 0
    in_walkthrough(output)
    code, output = run(folder, "validate", rx)
    assert code == 1
    in_walkthrough(output)
    render = ("render", "neck-stiffness.json", "--prescription", rx)
    assert run(folder, *render, "-o", "x.pdf")[0] == 2
    prescription = finished(rx)
    assert run(folder, "validate", rx) == (0, "checked 1 file: all valid\n")
    change(prescription, '"start_date": "2026-11-24"', '"start_date": "2026-11-14"')
    code, output = run(folder, "validate", rx)
    assert code == 1
    in_walkthrough(output.splitlines()[0])
    finished(rx)
    change(prescription, '"omit": true,', '"omit": true,\n      "dosage": { "hold_seconds": 15 },')
    code, output = run(folder, "validate", rx)
    assert code == 1
    in_walkthrough(output.splitlines()[0])

    # 10. The patient's sheet.
    finished(rx)
    code, output = run(folder, *render, "-o", "alex-example.pdf")
    assert code == 0
    in_walkthrough(output)
    said_of_the_sheet(folder / "alex-example.pdf")


def said_of_the_sheet(pdf) -> None:
    """Section 10 says what the chin tuck's dosage reads on Alex's sheet: it is what the
    sheet prints (it quoted "2 × 5 repetitions, hold each for 5 s", which no sheet prints)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    import subprocess

    sheet = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    sheet = " ".join(sheet.split())
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    sentence = re.search(r"The chin tuck's dosage reads (.*?), and the stretch", text)
    assert sentence, "section 10 no longer says what the chin tuck's dosage reads"
    cells = re.findall(r"([A-Z][\w ]*?) \*\*(.+?)\*\*", sentence.group(1))
    assert len(cells) == 4
    printed = " ".join(f"{label} {value}" for label, value in cells)
    assert printed in sheet
    assert "Side of the neck stretch" not in sheet


def test_section_11_screened_staged_prescription_prints_what_it_shows(tmp_path):
    """Section 11 runs from the toolkit's folder: the same files, in a copy."""
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    shutil.copy(REPO / "protokit.toml", tmp_path / "protokit.toml")
    (tmp_path / "docs" / "examples").mkdir(parents=True)
    rx = tmp_path / "docs" / "examples" / "prescription-staged.json"
    shutil.copy(STAGED, rx)
    name = "docs/examples/prescription-staged.json"
    assert run(tmp_path, "validate", name) == (0, "checked 1 file: all valid\n")
    in_walkthrough("checked 1 file: all valid")
    render = ("render", "protocols/psoas-stretch-glute-bridge.json", "--prescription", name)
    code, output = run(tmp_path, *render, "--clinician", "-o", "robin-example.pdf")
    assert code == 0
    in_walkthrough(output)
    original = STAGED.read_text(encoding="utf-8")
    for old, new, lines in [
        ('"pregnant": "no"', '"pregnent": "no"', 2),
        ('"kneeling-not-allowed": "no"', '"kneeling-not-allowed": "yes"', 1),
        ('"value": 34,', '"value": 134,', 1),
        ('"from": 3,', '"from": 2,', 1),
    ]:
        assert old in original
        rx.write_text(original.replace(old, new, 1), encoding="utf-8")
        code, output = run(tmp_path, "validate", name)
        assert code == 1
        found = output.splitlines()[:-1]
        assert len(found) == lines
        in_walkthrough("\n".join(found))
    # Robin's yes to 'hip-replacement' keeps the stretch: without the override recording the
    # therapist's check, the sheet is refused (RX019).
    unrecorded = {**json.loads(original), "overrides": []}
    rx.write_text(json.dumps(unrecorded, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    code, output = run(tmp_path, "validate", name)
    assert code == 1 and "error RX019" in output
    in_walkthrough("\n".join(output.splitlines()[:-1]))
    rx.write_text(original.replace('"kneeling-not-allowed": "no"', '"kneeling-not-allowed": "yes"'))
    code, output = run(tmp_path, *render, "-o", "x.pdf")
    assert code == 2 and "rules out exercise 'kneeling-hip-flexor-stretch'" in output
