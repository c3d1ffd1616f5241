"""Cases of the tenth sitting's clinical review (docs/safety/clinical-review.md, hazards H465
to H469): chest pain told to wait for rest to fail (NICE CG95), chest pain played down as
muscles or indigestion, general advice that says how often to do the exercises, a
precaution's advice to the patient that says nothing, a leg crossed over the other after a
hip replacement, and a stool that is a seat."""

import json

import pytest
from lint_helpers import (
    HIP,
    advice,
    codes,
    exercise,
    library_exercise,
    lint,
    only,
    red_flag,
    stop,
    treated,
)

from protocol_kit.lint.rules.empty_safety_text import says_nothing
from protocol_kit.package_data import read_text

# -- H465: chest pain that waits for rest to fail, or is played down --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Chest pain or tightness that does not go away after rest, or sudden severe "
        "breathlessness.",
        "Chest pain, tightness or pressure that persists after resting for 10 minutes: call 999.",
        "Chest pain or tightness that doesn't settle when you stop exercising.",
        "Chest pain, tightness or pressure: stop and rest, and call 999 only if it has not "
        "gone after 10 minutes.",
        "Chest pain, tightness or pressure, or sudden breathlessness. It is probably your "
        "muscles, but call 999.",
        "Chest pain or tightness (often just indigestion), or sudden severe breathlessness.",
    ],
)
def test_chest_pain_told_to_wait_or_played_down_in_the_emergency_box(tmp_path, text):
    # NICE CG95: chest pain now or in the last 12 hours, with no ECG to hand, is an
    # emergency; a patient who rests until it passes has had it all the same.
    findings = only(lint(tmp_path, red_flag(0, text)), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/red_flags/0/action")]
    assert "plays it down" in findings[0].message


@pytest.mark.parametrize(
    ("index", "text"),
    [
        # The night-pain red flag: pain not eased by rest is the sign itself.
        (13, "Severe pain that is there all the time or is worse at night, or pain that does "
         "not ease when you rest or change position."),
        # A known angina's GTN plan (NHS: call 999 if it has not gone after the second dose).
        (0, "Chest pain or tightness that does not go away 5 minutes after your second dose of "
         "GTN spray, or sudden severe breathlessness: call 999."),
        (0, "Chest pain, tightness or pressure, or sudden severe breathlessness: call 999; do not "
         "wait to see if it goes away with rest."),
    ],
)  # fmt: skip
def test_rest_in_the_night_pain_flag_or_a_gtn_plan_is_not_played_down(tmp_path, index, text):
    assert only(lint(tmp_path, red_flag(index, text)), "SAFE006") == []


def test_pain_spreading_from_the_chest_is_chest_pain(tmp_path):
    text = "Pain spreading from your chest into your left arm: stop and rest."
    findings = only(lint(tmp_path, stop(text)), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/stop_criteria/0")]
    assert "'emergency'" in findings[0].message


def test_pain_spreading_into_the_arm_alone_stays_a_stop_criterion(tmp_path):
    text = "Pain or pins and needles spreading into your arm."
    assert only(lint(tmp_path, stop(text)), "SAFE006") == []


# -- H466: how often the general advice says to do the exercises --------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Do these exercises every hour while you are awake.", '"every hour"'),
        ("Repeat the programme hourly during the day.", '"hourly"'),
        ("Do all of the exercises three times a day.", '"three times a day"'),
        ("Do your exercises every two hours.", '"every two hours"'),
    ],
)
def test_general_advice_that_says_how_often_must_agree_with_the_dosage(tmp_path, text, said):
    findings = only(lint(tmp_path, advice(text)), "DOSE005")
    assert codes(findings) == [("DOSE005", "/safety/general_advice/0")]
    assert said in findings[0].message and "exercise 'cat-cow'" in findings[0].message
    assert "1 session a day" in findings[0].message


def test_education_that_says_how_often_is_read_too(tmp_path):
    def change(data):
        data["delivery"]["education"] = ["Do the exercises 3 days a week."]

    findings = only(lint(tmp_path, change), "DOSE005")
    assert codes(findings) == [("DOSE005", "/delivery/education/0")]
    assert "7 days a week" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Every hour, get up from your desk and walk around.",
        "Go for a short walk every day.",
        "Do these exercises every day.",  # the dosage is 7 days a week
        "Do these exercises once a day.",
    ],
)
def test_advice_that_agrees_or_is_not_about_the_exercises_is_no_finding(tmp_path, text):
    assert only(lint(tmp_path, advice(text)), "DOSE005") == []


def test_advice_every_hour_agrees_with_a_dosage_of_twelve_sessions(tmp_path):
    def change(data):
        advice("Do these exercises every hour while you are awake.")(data)
        exercise(data)["dosage"]["sessions_per_day"] = 12

    assert only(lint(tmp_path, change), "DOSE005") == []


# -- H467: a precaution's advice to the patient that says nothing --------------------------------


def _precaution(advice_text, where="protocol"):
    def change(data):
        item = {"description": "Pregnancy after 16 weeks", "patient_advice": advice_text}
        if where == "protocol":
            data["safety"]["precautions"].append(item)
        else:
            exercise(data)["precautions"] = [item]

    return change


@pytest.mark.parametrize("text", ["n/a", "TBC", "-", "None.", "As above", "Not applicable"])
def test_a_precautions_advice_that_says_nothing_is_refused(tmp_path, text):
    findings = only(lint(tmp_path, _precaution(text)), "SAFE003")
    assert codes(findings) == [("SAFE003", "/safety/precautions/0/patient_advice")]
    assert "leave 'patient_advice' out" in findings[0].message


def test_an_exercises_precaution_advice_that_says_nothing_is_refused(tmp_path):
    findings = only(lint(tmp_path, _precaution("n/a", where="exercise")), "SAFE003")
    assert codes(findings) == [("SAFE003", "/exercises/0/precautions/0/patient_advice")]
    assert "exercise 'cat-cow'" in findings[0].message


def test_a_library_exercises_precaution_advice_is_reported_at_its_entry(tmp_path):
    def change(body):
        body["precautions"] = [{"description": "Pregnancy", "patient_advice": "TBC"}]

    library_exercise(tmp_path, change)
    findings = only(lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}])), "SAFE003")
    assert codes(findings) == [("SAFE003", "/exercises/0")]
    assert "library/cat-cow.json" in findings[0].message


def test_real_advice_or_none_at_all_is_no_finding(tmp_path):
    text = "After 16 weeks, do this propped up on pillows, not flat on your back."
    assert only(lint(tmp_path, _precaution(text)), "SAFE003") == []
    assert only(lint(tmp_path, lambda d: d["safety"]["precautions"].append(
        {"description": "Pregnancy"})), "SAFE003") == []  # fmt: skip


def test_the_phrases_that_say_nothing_are_the_data_files():
    data = json.loads(read_text("protocol_kit.lint", "data/says_nothing.json"))
    assert data["en"] and all(says_nothing(phrase) for phrase in data["en"])
    assert all(says_nothing(phrase.upper() + ".") for phrase in data["en"])
    assert not says_nothing("Keep your back straight.")


# -- H469: the leg crossed over the other after a hip replacement; a stool to sit on -----------


@pytest.mark.parametrize(
    "text",
    [
        "Cross your operated leg over the other.",
        "Lying on your side, bring your top leg over the other one.",
    ],
)
def test_crossing_the_leg_with_a_hip_replacement_needs_a_precaution(tmp_path, text):
    findings = only(lint(tmp_path, treated(*HIP, text)), "SAFE012")
    assert codes(findings) == [("SAFE012", "/exercises/0")]


@pytest.mark.parametrize(
    "text",
    [
        "Standing, place one hand over the other on your tummy.",
        "Roll over to the other side with a pillow between your knees.",
    ],
)
def test_a_hand_over_the_other_or_turning_to_the_other_side_is_no_finding(tmp_path, text):
    assert only(lint(tmp_path, treated(*HIP, text)), "SAFE012") == []


def test_a_stool_to_sit_or_stand_on_is_not_the_bowels(tmp_path):
    for text in ("Sit on a low stool and lean forward.", "Stand on a step stool."):
        assert only(lint(tmp_path, lambda d, t=text: d["exercises"][0]["steps"].append(t)),
                    "SAFE006") == []  # fmt: skip


def test_not_feeling_a_stool_pass_is_still_the_bowels(tmp_path):
    findings = only(lint(tmp_path, stop("You cannot feel when you pass a stool.")), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/stop_criteria/0")]
    assert "'emergency'" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Numbness between your legs and around your genitals and back passage, with tingling.",
        "New numbness, tingling or loss of feeling around your genitals and back passage, or "
        "between your legs.",
    ],
)
def test_saddle_places_joined_by_and_are_reported(tmp_path, text):
    # The CES card lists each place on its own: numbness around the back passage alone is
    # reason enough to go to an emergency department.
    findings = only(lint(tmp_path, red_flag(1, text)), "SAFE008")
    assert codes(findings) == [("SAFE008", "/safety/red_flags/1/text")]


def test_saddle_places_joined_by_or_are_no_finding(tmp_path):
    text = "New numbness and tingling between your legs, or around your genitals or back passage."
    assert only(lint(tmp_path, red_flag(1, text)), "SAFE008") == []
