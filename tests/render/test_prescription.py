"""A personalised sheet: the patient on every page, the dosage changed, exercises left out,
and overrides the dosage bounds reject refused."""

from __future__ import annotations

import json
import re

import pytest
from sheet_helpers import EXAMPLE, contains_words, pages_text, render, write_json

from conftest import run_protokit

PATIENT = "Zofia Wiśniewska-O'Brien"


@pytest.fixture(autouse=True)
def clinic_numbers(tmp_path):
    """`protokit render` in tmp_path finds a clinic with the numbers every sheet prints."""
    (tmp_path / "protokit.toml").write_text(
        '[clinic]\nphone = "0113 496 0000"\nemergency_number = "999"\nurgent_number = "111"\n',
        "utf-8",
    )


def prescription(**changes):
    data = {
        "$schema": "https://schemas.protocol-kit.org/v1/prescription.schema.json",
        "protocol": {"id": "psoas-stretch-glute-bridge"},
        "patient": {"name": PATIENT, "date_of_birth": "1968-04-02"},
        "therapist": {"name": "Sam Okafor", "credentials": "MCSP, HCPC PH123456"},
        "date": "2026-12-01",
        "start_date": "2026-12-02",
        "notes": ["Do the bridge on the bed for the first week <until it is easy>."],
        "overrides": [],
    }
    data.update(changes)
    # The example's screening questions, answered (an unanswered one is refused: RX009), last
    # so that the other fields keep their lines.
    data.setdefault(
        "screening",
        {
            "recent-surgery": "no",
            "kneeling-not-allowed": "no",
            "hip-replacement": "no",
            "pregnant": "no",
        },
    )
    return data


def test_personalised_sheet_names_the_patient_on_every_page(tmp_path):
    rx = write_json(tmp_path, "rx.json", prescription())
    pages = pages_text(render(EXAMPLE, prescription=str(rx)))
    assert len(pages) >= 2
    assert all(PATIENT in page for page in pages)
    first = pages[0]
    assert contains_words(first, f"Patient {PATIENT}")
    assert contains_words(first, "Prescribed by Sam Okafor, MCSP, HCPC PH123456")
    assert "1968-04-02" in first and "2026-12-02" in first
    # Said once: no sentence repeats the patient block.
    assert "\n".join(pages).count("Sam Okafor") == 1
    # (the notes may be in a column of "Before you start"'s two: lines break anywhere)
    text = " ".join("\n".join(pages).split())
    assert "Do the bridge on the bed for the first week <until it is easy>." in text


def test_unpersonalised_sheet_has_blank_lines_to_fill_in(tmp_path):
    from sheet_helpers import pdftotext

    first = pdftotext(render(EXAMPLE), tmp_path, layout=True)[0]
    lines = [" ".join(line.split()) for line in first.splitlines()]
    for label in ("Patient", "Date of birth", "Prescribed by", "Start date", "Next review",
                  "Therapist's signature"):  # fmt: skip
        assert any(line.startswith(label) or f" {label}" in line for line in lines), label


def test_overridden_dosage_is_printed_and_omitted_exercise_is_absent(tmp_path):
    overrides = [
        {"exercise": "glute-bridge", "omit": True, "reason": "Pregnant, 30 weeks"},
        {
            "exercise": "kneeling-hip-flexor-stretch",
            "dosage": {"sets": 3, "hold_seconds": 30, "sessions_per_day": 2},
            "reason": "Tolerates more",
        },
    ]
    rx = write_json(tmp_path, "rx.json", prescription(overrides=overrides))
    document = "\n".join(pages_text(render(EXAMPLE, prescription=str(rx))))
    assert contains_words(document, "Sets 3 Hold 30 s Side each side How often twice a day")
    assert "45 s" not in document
    assert "Glute bridge" not in document
    assert "Push through your heels" not in document


def test_override_beyond_the_dosage_bounds_is_refused(tmp_path):
    overrides = [
        {
            "exercise": "kneeling-hip-flexor-stretch",
            "dosage": {"hold_seconds": 600},
            "reason": "typo",
        }
    ]
    rx = write_json(tmp_path, "rx.json", prescription(overrides=overrides))
    output = tmp_path / "sheet.pdf"
    result = run_protokit("render", str(EXAMPLE), "--prescription", str(rx), "-o", str(output))
    assert result.code == 2
    assert result.stderr == (
        # The line, column and field of the value, as `protokit validate` reports them (RX006).
        f"protokit: error: {rx}:23:25: override (exercise "
        "'kneeling-hip-flexor-stretch'): a hold of 600 s is beyond the safe limit of 180 for a "
        "stretch exercise: check for a typing mistake [/overrides/0/dosage/hold_seconds]\n"
    )
    assert not output.exists()


def test_bounds_come_from_the_repository_configuration(tmp_path):
    (tmp_path / "protokit.toml").write_text(
        '[clinic]\nphone = "0113 496 0000"\nemergency_number = "999"\nurgent_number = "111"\n'
        "[lint.bounds.stretch]\nhold_seconds = [15, 30, 40]\n",
        encoding="utf-8",
    )
    overrides = [
        {
            "exercise": "kneeling-hip-flexor-stretch",
            "dosage": {"hold_seconds": 50},
            "reason": "longer",
        }
    ]
    rx = write_json(tmp_path, "rx.json", prescription(overrides=overrides))
    result = run_protokit(
        "render", str(EXAMPLE), "--prescription", str(rx), "-o", "x.pdf", cwd=tmp_path
    )
    assert result.code == 2
    assert "safe limit of 40" in result.stderr


def test_prescription_for_another_protocol_or_exercise_is_refused(tmp_path):
    other = write_json(tmp_path, "other.json", prescription(protocol={"id": "neck-pain"}))
    result = run_protokit(
        "render", str(EXAMPLE), "--prescription", str(other), "-o", "x.pdf", cwd=tmp_path
    )
    assert result.code == 2
    assert "prescribes protocol 'neck-pain'" in result.stderr
    unknown = [{"exercise": "plank", "omit": True, "reason": "no"}]
    rx = write_json(tmp_path, "rx.json", prescription(overrides=unknown))
    result = run_protokit(
        "render", str(EXAMPLE), "--prescription", str(rx), "-o", "x.pdf", cwd=tmp_path
    )
    assert result.code == 2
    assert "(exercise 'plank'): protocol 'psoas-stretch-glute-bridge' version " in result.stderr
    assert "has no exercise 'plank'" in result.stderr


def test_invalid_prescription_is_a_one_line_error(tmp_path):
    data = prescription()
    del data["patient"]["date_of_birth"]
    rx = tmp_path / "rx.json"
    rx.write_text(json.dumps(data), encoding="utf-8")
    result = run_protokit(
        "render", str(EXAMPLE), "--prescription", str(rx), "-o", "x.pdf", cwd=tmp_path
    )
    assert result.code == 2
    assert result.stderr.startswith(f"protokit: error: {rx}:")
    assert result.stderr.count("\n") == 1


def _refusal(tmp_path, data):
    rx = tmp_path / "rx.json"
    rx.write_text(json.dumps(data, indent=2), encoding="utf-8")
    output = tmp_path / "sheet.pdf"
    result = run_protokit(
        "render", str(EXAMPLE), "--prescription", "rx.json", "-o", str(output), cwd=tmp_path
    )
    assert not output.exists()
    assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_a_start_before_the_prescription_date_is_refused(tmp_path):
    stderr = _refusal(tmp_path, prescription(start_date="2026-11-30"))
    assert stderr == (
        "protokit: error: rx.json:15:17: start_date 2026-11-30 is before date 2026-12-01: the "
        "programme would start before it was prescribed; check the dates [/start_date]\n"
    )


def test_a_review_before_the_start_is_refused(tmp_path):
    stderr = _refusal(tmp_path, prescription(review_date="2026-11-15"))
    assert stderr.startswith("protokit: error: rx.json:20:18: review_date 2026-11-15 is before")


@pytest.mark.parametrize(
    "birth, says",
    [("2090-04-02", "is in the future"), ("1890-04-02", "would make the patient 136 years old")],
)
def test_an_impossible_date_of_birth_is_refused(tmp_path, birth, says):
    stderr = _refusal(tmp_path, prescription(patient={"name": PATIENT, "date_of_birth": birth}))
    assert stderr.startswith(f"protokit: error: rx.json:8:22: date_of_birth {birth} {says}")


def test_an_omitted_exercise_with_a_dosage_is_refused_not_dropped(tmp_path):
    overrides = [
        {
            "exercise": "glute-bridge",
            "omit": True,
            "dosage": {"repetitions": 5},
            "reason": "Pregnant",
        }
    ]
    stderr = _refusal(tmp_path, prescription(overrides=overrides))
    assert stderr == (
        'protokit: error: rx.json:23:17: an exercise left out ("omit": true) has no dosage: '
        'delete "dosage", or delete "omit" to change the dosage instead [/overrides/0/dosage]\n'
    )


def test_a_misspelt_override_field_gets_a_suggestion(tmp_path):
    overrides = [{"exercise": "glute-bridge", "dosage": {"hold": 5}, "reason": "Short holds"}]
    stderr = _refusal(tmp_path, prescription(overrides=overrides))
    assert stderr == (
        "protokit: error: rx.json:23:9: unknown field \"hold\" (did you mean 'hold_seconds'?) "
        "[/overrides/0/dosage/hold]\n"
    )


def test_a_misspelt_exercise_id_gets_a_suggestion(tmp_path):
    overrides = [{"exercise": "glute-brige", "omit": True, "reason": "Pregnant"}]
    stderr = _refusal(tmp_path, prescription(overrides=overrides))
    assert "has no exercise 'glute-brige' (did you mean " in stderr
    assert "'glute-bridge'?)" in stderr


@pytest.mark.parametrize(
    "field, date",
    [("date", "0000-01-01"), ("start_date", "9999-12-31"), ("review_date", "9999-12-31")],
)
def test_a_date_no_calendar_arithmetic_can_hold_is_refused_at_its_line(tmp_path, field, date):
    """H186: year 0000 passed the schema's date format and then failed Python's date; a start
    in 9999 failed adding the programme's weeks: `internal error: ValueError` or
    `OverflowError` from render and export. Years outside 1800-2199 are refused as dates."""
    stderr = _refusal(tmp_path, prescription(**{field: date}))
    assert f'"{date}" is not a real calendar date' in stderr and "1800 to 2199" in stderr
    assert re.match(r"protokit: error: rx\.json:\d+:\d+: ", stderr), stderr
    result = run_protokit(
        "export", "fhir", str(EXAMPLE), "--prescription", "rx.json", "-o", "out.json",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.code in (1, 2) and "internal error" not in result.stderr, result.stderr
    assert not (tmp_path / "out.json").exists()


def test_a_block_taller_than_a_page_is_split_never_an_error_or_cut(tmp_path):
    """H187: the patient's details are one block kept together; a patient identifier or a
    therapist's name of thousands of characters made it taller than a page, and reportlab
    stopped the sheet (`internal error: LayoutError`). Such a block is split over pages, and
    every character is printed."""
    identifier = "ID" + "7" * 6000
    therapist = "Sam " + "Q" * 6000
    rx = write_json(
        tmp_path,
        "rx.json",
        prescription(
            patient={"name": PATIENT, "identifier": identifier},
            therapist={"name": therapist, "credentials": "MCSP"},
        ),
    )
    text = "".join("\n".join(pages_text(render(EXAMPLE, prescription=str(rx)))).split())
    # Across pages, the running header and footer come between the parts of one text.
    for letter in "7Q":
        assert sum(len(run) for run in re.findall(f"{letter}{{20,}}", text)) == 6000, letter


def test_the_clinicians_page_records_every_change_as_written(tmp_path):
    """H1243: an override of the intensity alone was recorded "glute-bridge:  – reason" (the
    intensity left out of the line, so the change was not said), and a hold of 0.00001 s as
    "hold_seconds = 1e-05" (Python's text for the number, not the digits written)."""
    overrides = [
        {"exercise": "glute-bridge", "dosage": {"intensity": "Only a <b>gentle</b> squeeze"},
         "reason": "Sore after the first session"},
        {"exercise": "kneeling-hip-flexor-stretch", "dosage": {"hold_seconds": 0.00001},
         "reason": "Typed as written"},
    ]  # fmt: skip
    rx = write_json(tmp_path, "rx.json", prescription(overrides=overrides))
    pages = pages_text(render(EXAMPLE, prescription=str(rx), clinician=True))
    page = " ".join(pages[-1].split())
    assert "glute-bridge: intensity = Only a <b>gentle</b> squeeze – Sore after" in page
    assert "kneeling-hip-flexor-stretch: hold_seconds = 0.00001 – Typed as written" in page
    assert "1e-05" not in page
