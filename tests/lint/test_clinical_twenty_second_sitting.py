"""Cases of the twenty-second sitting's clinical review (docs/safety/clinical-review.md, hazard
H920): a pregnancy's emergency signs (heavy bleeding from the vagina or passing blood clots, a
sharp or constant tummy pain that does not come and go) go to 999, are required on a sheet for
a pregnant patient and routed wherever a text names them; the signs for the maternity unit
(lighter bleeding, the baby moving less) have their own action since the twenty-third sitting
(tests/lint/test_clinical_twenty_third_sitting.py). Each class has cases a rule must catch and
sound texts it must not."""

import pytest
from lint_helpers import ICD, coding, lint, only, pregnant

from protocol_kit.starter.conditions import starting_red_flags

_SIGNS = (
    "Heavy bleeding from your vagina or passing blood clots, or a sharp or constant pain in "
    "your tummy that does not come and go."
)
_PREGNANT = [
    ("O26.892", "Other specified pregnancy related conditions, second trimester"),
    ("O26.712", "Subluxation of symphysis (pubis) in pregnancy, second trimester"),
    ("O99.891", "Other specified diseases and conditions complicating pregnancy"),
    ("Z33.1", "Pregnant state, incidental"),
]


def _pregnant(code, display, *, red_flag=None, stop=None):
    def change(data):
        pregnant(data, code, display)
        if red_flag is not None:
            data["safety"]["red_flags"].append(red_flag)
        if stop is not None:
            data["safety"]["stop_criteria"].append(stop)

    return change


def _missing(findings):
    # The 999 item's (the maternity unit's items are the twenty-third sitting's).
    return [f for f in only(findings, "SAFE005") if "heavy bleeding" in f.message]


@pytest.mark.parametrize(("code", "display"), _PREGNANT)
def test_a_pregnant_patients_sheet_must_carry_the_999_signs(tmp_path, code, display):
    assert len(_missing(lint(tmp_path, _pregnant(code, display)))) == 1


def test_the_999_signs_in_the_emergency_box_are_enough(tmp_path):
    flag = {"text": _SIGNS, "action": "emergency", "covers": ["pregnancy-emergency"]}
    findings = lint(tmp_path, _pregnant(*_PREGNANT[0], red_flag=flag))
    assert _missing(findings) == []
    # The maternity unit's signs are still asked for, and nothing else.
    assert {f.code for f in findings if f.code.startswith("SAFE")} == {"SAFE005"}
    assert all("'maternity'" in f.message for f in only(findings, "SAFE005"))


@pytest.mark.parametrize(
    ("code", "display"),
    [
        ("O26.72", "Subluxation of symphysis (pubis) in childbirth"),
        ("O99.893", "Other specified diseases and conditions complicating puerperium"),
    ],
)
def test_after_the_birth_the_pregnancy_signs_are_not_required(tmp_path, code, display):
    assert _missing(lint(tmp_path, _pregnant(code, display))) == []


@pytest.mark.parametrize(
    "text",
    [
        "Heavy bleeding from your vagina: call your midwife.",
        "If you are pregnant and bleeding heavily, ring the clinic.",
        "You pass blood clots: tell your therapist.",
        "A constant pain in your tummy while you are pregnant: contact the clinic.",
    ],
)
def test_the_999_signs_sent_to_the_clinic_are_an_error_on_any_sheet(tmp_path, text):
    findings = only(lint(tmp_path, lambda data: data["safety"]["stop_criteria"].append(text)),
                    "SAFE006")  # fmt: skip
    assert len(findings) == 1
    assert "emergency" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "A heavy bag can make your back ache: carry it in both hands.",
        "Some bleeding from a graze is normal: keep it clean.",
        "Tummy muscles can feel sore for a day or two after a new exercise.",
    ],
)
def test_other_bleeding_and_tummy_aches_are_not_the_sign(tmp_path, text):
    findings = lint(tmp_path, lambda data: data["safety"]["stop_criteria"].append(text))
    assert only(findings, "SAFE006") == []


def test_protokit_new_starts_a_pregnancy_sheet_with_the_999_signs(tmp_path):
    flags, titles = starting_red_flags([coding(ICD, *_PREGNANT[0])])
    assert flags[0]["covers"] == ["pregnancy-emergency"]
    assert flags[0]["action"] == "emergency"
    assert any("pregnan" in t for t in titles)

    # The starting texts name every part of the signs, and nothing plays them down (the
    # maternity unit's items follow it: the twenty-third sitting's).
    def change(data):
        _pregnant(*_PREGNANT[0])(data)
        data["safety"]["red_flags"].extend(flags)

    findings = lint(tmp_path, change)
    assert [f for f in findings if f.code.startswith("SAFE")] == []


@pytest.mark.parametrize(
    ("then", "errors"),
    [
        # Under "Call 999" the sheet would also say the midwife: the patient rings the one
        # they know, and heavy bleeding waits for a call back.
        (" Call your midwife or the maternity unit.", 1),
        (" Call 999, then tell your maternity unit.", 0),
    ],
)
def test_the_999_signs_sent_to_the_midwife_in_the_emergency_box(tmp_path, then, errors):
    flag = {"text": _SIGNS + then, "action": "emergency"}
    findings = only(lint(tmp_path, _pregnant(*_PREGNANT[0], red_flag=flag)), "SAFE006")
    assert len(findings) == errors
    assert all("plays it down" in f.message for f in findings)


# -- The urgent box and a suspected broken bone (the twenty-first sitting's open item) --------


@pytest.mark.parametrize(("action", "errors"), [("emergency", 0), ("urgent", 1)])
def test_a_suspected_fracture_naming_the_nhs_place(tmp_path, action, errors):
    # The box prints "see a doctor the same day ... 111" under every urgent sign; a GP cannot
    # X-ray, so the therapist named the NHS's place in the red flag itself. Since the
    # twenty-eighth sitting (H1133) the sign is the emergency box's (the NHS's broken ankle and
    # broken leg pages, nidirect: A&E), and the emergency box takes the same words.
    flag = {
        "text": "After a fall or a twist you cannot put weight on your ankle or take four "
        "steps: go to an urgent treatment centre or A&E today.",
        "action": action,
    }
    findings = lint(tmp_path, lambda data: data["safety"]["red_flags"].append(flag))
    assert len([f for f in findings if f.code.startswith("SAFE")]) == errors


def test_the_bleeding_and_the_pain_are_each_reason_enough(tmp_path):
    # The NHS trust's page sends either one to 999; "and" would make the patient wait for both.
    text = "Heavy bleeding from your vagina and a constant pain in your tummy while pregnant."
    flag = {"text": text, "action": "emergency", "covers": ["pregnancy-emergency"]}
    findings = only(lint(tmp_path, _pregnant(*_PREGNANT[0], red_flag=flag)), "SAFE008")
    assert len(findings) == 1


def test_blood_elsewhere_joined_by_and_is_not_the_pregnancy_sign(tmp_path):
    text = "Blood in your poo and a constant pain in your tummy: see a doctor the same day."
    flag = {"text": text, "action": "urgent"}
    findings = lint(tmp_path, lambda data: data["safety"]["red_flags"].append(flag))
    assert only(findings, "SAFE008") == []
