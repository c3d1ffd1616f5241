"""The thirty-fourth sitting's users (s40-users): a therapist's own programme printed for a
patient (page 1 no longer ends blank above the first exercise), a patient seen twice from
one prescription (refused by `new prescription --from`, said at each follow-up by RX029, and
RX025 and RX004 worded for two), `export fhir` of a followed-up prescription worded for the
export, and `import fhir` of a prescription's export saying what it does not read back.

One clinic folder is made for the module the way the README makes it (`init --examples`,
`new protocol -c -e`, `new prescription`), and copied for each test that changes it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from conftest import run_protokit


def _data(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path, data):
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _run(folder, *arguments):
    return run_protokit(*arguments, cwd=folder)


CLINIC = """[clinic]
name = "Riverside Physio (not a real clinic)"
address = ["1 River Lane", "Leeds LS1 1AA"]
phone = "0113 496 0000"
email = "desk@riverside.invalid"
emergency_number = "999"
urgent_number = "111"
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A therapist's folder: init's example exercises, a low back pain programme of two of
    them (its TODOs written), and Kim's prescription with a changed dose, a note and a goal."""
    folder = tmp_path_factory.mktemp("therapist")
    assert _run(folder, "init", "--examples").code == 0
    (folder / "protokit.toml").write_text(CLINIC, encoding="utf-8")
    new = _run(folder, "new", "protocol", "back-care", "-c", "M54.50", "-e", "glute-bridge",
               "-e", "pelvic-tilt", "-o", "back-care.json")  # fmt: skip
    assert new.code == 0, new.stderr
    protocol = _data(folder / "back-care.json")
    protocol["title"] = "Low back pain: glute bridge and pelvic tilt"
    protocol["summary"] = (
        "Two gentle exercises for adults with low back pain: a pelvic tilt to ease stiffness "
        "and a bridge to strengthen the buttocks."
    )
    protocol["authors"][0].update(name="Sam Example", credentials="Physiotherapist (example)")
    protocol["safety"]["contraindications"][0]["description"] = (
        "A recent fracture of the spine or pelvis."
    )
    protocol["delivery"]["education"][0] = "Back pain usually settles. Staying active helps."
    _write(folder / "back-care.json", protocol)
    (folder / "prescriptions").mkdir()
    rx = folder / "prescriptions" / "kim.json"
    written = _run(folder, "new", "prescription", str(rx.relative_to(folder)), "--protocol",
                   "back-care.json", "--patient", "Kim Example", "--born", "1970-03-04",
                   "--therapist", "Sam Example", "--credentials", "Physiotherapist",
                   "--phone", "0113 496 0123")  # fmt: skip
    assert written.code == 0, written.stderr
    data = _data(rx)
    bridge = data["overrides"][0]
    data["overrides"] = [
        {**bridge, "dosage": {**bridge["dosage"], "repetitions": 8},
         "reason": "Kim tires after 8 bridges."}
    ]  # fmt: skip
    by = (dt.date.fromisoformat(data["date"]) + dt.timedelta(days=60)).isoformat()
    data["goals"] = [{"text": "Pick up my grandson without back pain", "by": by}]
    data["notes"] = ["Do the exercises after your morning walk."]
    _write(rx, data)
    checked = _run(folder, "validate", "prescriptions/kim.json")
    assert checked.code == 0, checked.stdout + checked.stderr
    return folder


@pytest.fixture
def clinic(made, tmp_path):
    folder = tmp_path / "clinic"
    shutil.copytree(made, folder)
    return folder


def _page_one(pdf):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, check=True)  # fmt: skip
    return " ".join(done.stdout.decode("utf-8").split())


def test_a_new_programme_s_first_exercise_starts_on_page_one_under_the_notes(made, tmp_path):
    """H1620: under the prescription's notes and goals, every layout's head was too tall by
    a few points (the purpose under the picture made its column the tallest part), and page 1
    ended 138 pt blank under "Before you start"; the head with the purpose in a line under the
    band fits there."""
    pdf = tmp_path / "kim.pdf"
    done = _run(made, "render", "back-care.json", "--prescription", "prescriptions/kim.json",
                "-o", str(pdf))  # fmt: skip
    assert done.code == 0, done.stderr
    first = _page_one(pdf)
    assert "1. Glute bridge" in first
    assert "once a day, 5 days a week" in first and "Take care" in first
    assert "Strengthens your buttocks" in first


def _two_follow_ups(clinic):
    """Kim seen again: a follow-up written from kim.json, and a second one copied from it (as
    `--from kim.json` wrote it before this sitting)."""
    done = _run(clinic, "new", "prescription", "--from", "prescriptions/kim.json", "-o",
                "prescriptions/kim-2.json")  # fmt: skip
    assert done.code == 0, done.stderr
    shutil.copy(clinic / "prescriptions" / "kim-2.json", clinic / "prescriptions" / "kim-3.json")


def test_a_second_follow_up_of_one_prescription_is_refused_naming_the_one_to_write_from(clinic):
    """H1622: `--from` the first prescription at the third visit copied the first visit's
    doses, not the second's, and left the patient two current prescriptions."""
    assert _run(clinic, "new", "prescription", "--from", "prescriptions/kim.json", "-o",
                "prescriptions/kim-2.json").code == 0  # fmt: skip
    again = _run(clinic, "new", "prescription", "--from", "prescriptions/kim.json", "-o",
                 "prescriptions/kim-3.json")  # fmt: skip
    assert again.code == 2
    assert again.stderr.count("\n") == 1
    assert "prescriptions/kim.json: 'kim-2.json' follows it already" in again.stderr
    assert "(--from prescriptions/kim-2.json)" in again.stderr
    assert not (clinic / "prescriptions" / "kim-3.json").exists()
    # The follow-up itself may be written again (--force), and the next from it.
    assert _run(clinic, "new", "prescription", "--from", "prescriptions/kim.json", "-o",
                "prescriptions/kim-2.json", "--force").code == 0  # fmt: skip
    assert _run(clinic, "new", "prescription", "--from", "prescriptions/kim-2.json", "-o",
                "prescriptions/kim-3.json").code == 0  # fmt: skip


def test_two_follow_ups_of_one_prescription_are_said_at_each(clinic):
    """RX029 at each follow-up's `follows`, at its line and column (H1622)."""
    _two_follow_ups(clinic)
    done = _run(clinic, "validate", "prescriptions/")
    lines = done.stdout.splitlines()
    second = [line for line in lines if "RX029" in line]
    assert len(second) == 2, done.stdout
    assert second[0].startswith("prescriptions/kim-2.json:")
    assert "warning RX029 follows 'kim.json'" in second[0] and "so does 'kim-3.json'" in second[0]
    assert second[1].startswith("prescriptions/kim-3.json:") and "'kim-2.json'" in second[1]
    line, column = second[0].split(":")[1:3]
    assert line.isdigit() and column.isdigit()


def _version_changed(clinic):
    protocol = _data(clinic / "back-care.json")
    protocol["version"] = "0.2.0"
    _write(clinic / "back-care.json", protocol)


def test_rx025_and_rx004_with_two_follow_ups_ask_to_keep_one(clinic, tmp_path):
    """H1623: "render the one the patient is on now" named neither of the two."""
    _two_follow_ups(clinic)
    _version_changed(clinic)
    checked = _run(clinic, "validate", "prescriptions/kim.json")
    assert "RX025" in checked.stdout
    assert "'kim-2.json' and 'kim-3.json' follow it" in checked.stdout
    assert "keep the follow-up the patient is on and delete the other" in checked.stdout
    printed = _run(clinic, "render", "back-care.json", "--prescription",
                   "prescriptions/kim.json", "-o", str(tmp_path / "kim.pdf"))  # fmt: skip
    assert printed.code != 0
    assert "render the one the patient is on now, and delete the other" in printed.stderr


def test_export_of_a_followed_up_prescription_is_worded_for_the_export(clinic, tmp_path):
    """H1621: `export fhir` said "render that one" and "its sheet is not printed"."""
    assert _run(clinic, "new", "prescription", "--from", "prescriptions/kim.json", "-o",
                "prescriptions/kim-2.json").code == 0  # fmt: skip
    _version_changed(clinic)
    done = _run(clinic, "export", "fhir", "back-care.json", "--prescription",
                "prescriptions/kim.json", "-o", str(tmp_path / "kim.fhir.json"))  # fmt: skip
    assert done.code != 0
    # kim-2.json is of the version before the change too: "export that one" was refused in
    # turn (s41-users); the next follow-up is the one to export.
    assert (
        "'kim-2.json' follows it, of version 0.1.0 too: read what changed and write the next "
        "follow-up from that one (protokit new prescription --from it), then export the new one;"
    ) in done.stderr, done.stderr
    assert "it is not exported with another version" in done.stderr
    assert "render" not in done.stderr and "sheet" not in done.stderr
    assert not (tmp_path / "kim.fhir.json").exists()


def test_import_fhir_of_a_prescription_s_export_says_the_patient_is_not_read_back(made, tmp_path):
    """H1624: the protocol was written and the patient's CarePlan, goals and baselines left
    without a word."""
    export = tmp_path / "kim.fhir.json"
    done = _run(made, "export", "fhir", "back-care.json", "--prescription",
                "prescriptions/kim.json", "-o", str(export))  # fmt: skip
    assert done.code == 0, done.stderr
    back = _run(made, "import", "fhir", str(export), "-o", str(tmp_path / "back.json"))
    assert back.code == 0, back.stderr
    assert (
        f"{export}: note: the patient's resources it also holds (1 Patient, 1 Practitioner, "
        "1 CarePlan, 1 Goal) are not read back"
    ) in back.stderr
    assert _data(tmp_path / "back.json")["id"] == "back-care"
    protocol_only = tmp_path / "protocol.fhir.json"
    assert _run(made, "export", "fhir", "back-care.json", "-o", str(protocol_only)).code == 0
    plain = _run(made, "import", "fhir", str(protocol_only), "-o", str(tmp_path / "p.json"))
    assert plain.code == 0 and "note" not in plain.stderr


@pytest.fixture(scope="module")
def kim_pages(made, tmp_path_factory):
    """Kim's sheet's pages in standard and large print: {large_print: pages}."""
    from pypdf import PdfReader

    folder = tmp_path_factory.mktemp("kim-sheets")
    pages = {}
    for large_print in (False, True):
        pdf = folder / f"kim-{large_print}.pdf"
        done = _run(made, "render", "back-care.json", "--prescription", "prescriptions/kim.json",
                    *(["--large-print"] if large_print else []), "-o", str(pdf))  # fmt: skip
        assert done.code == 0, done.stderr
        pages[large_print] = len(PdfReader(str(pdf)).pages)
    return pages


def test_a_new_programme_keeps_to_its_page_count_in_both_sizes(kim_pages):
    """The README's two-exercise programme with a note and a goal: 2 pages, 5 in large print
    (thirty-fourth sitting, docs/sheets.md, "Large print against twice the standard count"):
    a change that makes it longer fails here and has to say why."""
    assert kim_pages[False] <= 2
    assert kim_pages[True] <= 5


@pytest.mark.xfail(
    strict=True,
    reason="issue 13 not reached: the 16 pt story after page 1 is 1,938 pt and pages 2 to 4 "
    "hold 2,010; page 2 ends 155 pt blank under 'Before you start' (the first card's head, "
    "never split, takes 337 pt with 'Your exercises'), and the rest (the cards, 'About your "
    "programme' and the log: 1,423 pt) is 82 pt more than pages 3 and 4 hold with no blank "
    "at all (s40-largeprint, docs/sheets.md)",
)
def test_a_new_programme_in_large_print_is_at_most_twice_its_standard_pages(kim_pages):
    assert kim_pages[True] <= 2 * kim_pages[False]
