"""Cases of the ninth sitting's clinical review (docs/safety/clinical-review.md), each a
protocol a careless clinician might write: a red flag or sign put off to a booked
appointment (H428: SAFE006), a step that repeats an exercise more often than the dosage
says or than any safe day holds (H429: DOSE005), a cauda equina red flag that leaves out the
genitals the patient card names (H430: SAFE007), fainting during exercise (H431: SAFE006),
a red flag put off to a later day (H432: SAFE006)."""

import pytest
from lint_helpers import advice, lint, only, red_flag, stop


# The minimal protocol's red flags: 0 chest pain (emergency), 10 a fever (urgent).
@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness: make an appointment with your GP."),
        (0, "Chest pain or tightness: book an appointment to see a doctor."),
        (10, "Back pain with a fever: make an appointment with your GP."),
        (10, "Back pain with a fever or feeling unwell: arrange a review with your doctor."),
    ],
)
def test_a_red_flag_put_off_to_a_booked_appointment(tmp_path, index, text):
    # H428: "make an appointment" counted as a doctor the same day; a booked appointment is
    # days or weeks away (CES card: go straight away; CKS-CP: call 999).
    findings = only(lint(tmp_path, red_flag(index, text)), "SAFE006")
    assert [f.pointer for f in findings] == [f"/safety/red_flags/{index}/action"]


@pytest.mark.parametrize(
    "change",
    [
        advice("If you get a fever with your back pain, make an appointment with your GP."),
        stop("Back pain with a fever: book an appointment with your GP."),
    ],
)
def test_a_sign_put_off_to_a_booked_appointment_outside_the_stop_box(tmp_path, change):
    assert len(only(lint(tmp_path, change), "SAFE006")) == 1


@pytest.mark.parametrize(
    "change",
    [
        red_flag(10, "Back pain with a fever: book an urgent appointment with your GP."),
        red_flag(10, "Back pain with a fever: make an appointment to see your GP today."),
        advice("If you get a fever with your back pain, get a same-day appointment with your GP."),
    ],
)
def test_an_appointment_the_same_day_is_urgent_enough(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


def sessions(per_day, text):
    def change(data):
        data["exercises"][0]["dosage"]["sessions_per_day"] = per_day
        data["exercises"][0]["steps"].append(text)

    return change


@pytest.mark.parametrize(
    ("per_day", "text"),
    [
        (1, "Repeat every hour through the day."),
        (1, "Do this hourly while you are awake."),
        (2, "Repeat every 2 hours."),
        (3, "Repeat the set every half hour."),
        (3, "Repeat every thirty minutes."),
    ],
)
def test_a_step_that_repeats_the_exercise_more_often_than_the_dosage(tmp_path, per_day, text):
    # H429: "repeat every hour" is 12 to 18 sessions in a waking day, beside a dosage line that
    # says once a day; no rule read an interval.
    findings = only(lint(tmp_path, sessions(per_day, text)), "DOSE005")
    assert [f.pointer for f in findings] == ["/exercises/0/steps/2"]
    assert "a day" in findings[0].message


@pytest.mark.parametrize(
    ("per_day", "text"),
    [
        (4, "Repeat every 3 hours."),
        (5, "Repeat every 3 hours."),
        (1, "Rest for an hour after the exercise."),
        (1, "Sit for half an hour before you start."),
    ],
)
def test_an_interval_the_dosage_agrees_with_or_no_interval(tmp_path, per_day, text):
    assert only(lint(tmp_path, sessions(per_day, text)), "DOSE005") == []


@pytest.mark.parametrize(
    "text",
    [
        "You faint or black out during or just after the exercises.",
        "You collapse while exercising.",
    ],
)
def test_fainting_during_exercise_in_the_urgent_box_is_routed_to_the_emergency(tmp_path, text):
    # H431: the NHS tells someone who fainted while exercising to call 999; the urgent box
    # (a doctor the same day) was enough before.
    def change(data):
        data["safety"]["red_flags"].append({"text": text, "action": "urgent"})

    findings = only(lint(tmp_path, change), "SAFE006")
    assert len(findings) == 1 and "'emergency'" in findings[0].message


def test_fainting_in_the_emergency_box_and_feeling_faint_with_the_clinician(tmp_path):
    def change(data):
        data["safety"]["red_flags"].append(
            {"text": "You faint or black out during the exercises.", "action": "emergency"}
        )
        data["safety"]["stop_criteria"] = ["Dizziness or feeling faint."]

    assert only(lint(tmp_path, change), "SAFE006") == []


def saddle(text):
    def change(data):
        flag = next(f for f in data["safety"]["red_flags"] if "ces-saddle-sensation" in f["covers"])
        flag["text"] = text
        # The minimal protocol's sexual-function red flag names the genitals too.
        data["safety"]["red_flags"][7]["text"] = (
            "A new change in your sex life: less feeling during sex, or difficulty getting an "
            "erection or ejaculating."
        )

    return change


@pytest.mark.parametrize(
    ("text", "left_out"),
    [
        (
            "Numbness or tingling between your legs or around your bottom, or when you wipe.",
            "the genitals",
        ),
        ("Numbness or tingling between your legs or around your genitals.", "the back passage"),
    ],
)
def test_a_saddle_red_flag_without_the_parts_the_card_names(tmp_path, text, left_out):
    # H430: the UK cauda equina card names "between your inner thighs or genitals" and "in or
    # around your back passage or buttocks"; the examples had dropped the genitals to save a
    # line in large print.
    findings = only(lint(tmp_path, saddle(text)), "SAFE007")
    assert len(findings) == 1 and f"leave out {left_out}" in findings[0].message


def test_a_saddle_red_flag_with_every_part_the_card_names(tmp_path):
    text = (
        "Numbness or tingling between your legs, around your genitals or bottom, or when you wipe."
    )
    assert only(lint(tmp_path, saddle(text)), "SAFE007") == []


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (10, "Back pain with a fever: see your GP this week."),
        (10, "Back pain with a fever: see your GP within a few days."),
        (10, "Back pain with a fever: call your GP tomorrow."),
        (10, "Back pain with a fever: see a doctor when it is convenient."),
        (0, "Chest pain or tightness: sit down and rest until it passes, then call 999."),
        (0, "Chest pain or tightness: wait until it settles before you call 999."),
    ],
)
def test_a_red_flag_put_off_to_a_later_day_or_until_it_passes(tmp_path, index, text):
    # H432: the urgent box says "a doctor the same day"; "this week" or "tomorrow" beside it
    # says something else, and resting until chest pain passes is a reason to wait (CKS-CP).
    findings = only(lint(tmp_path, red_flag(index, text)), "SAFE006")
    assert [f.pointer for f in findings] == [f"/safety/red_flags/{index}/action"]


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (10, "Back pain with a fever: see a doctor today; do not wait until tomorrow."),
        (0, "Chest pain or tightness: call 999; do not wait until it passes."),
    ],
)
def test_a_red_flag_that_says_not_to_wait_for_a_later_day_is_fine(tmp_path, index, text):
    assert only(lint(tmp_path, red_flag(index, text)), "SAFE006") == []
