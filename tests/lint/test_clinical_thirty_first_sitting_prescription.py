"""Cases of the thirty-first sitting's review of the exercise prescription itself
(docs/safety/clinical-review.md, "The prescription itself (s37-clinical2)"; hazards
H1325-H1328): a progression told as a step up ("add two repetitions", "hold 5 seconds longer")
is a progression, not a total below the dose (H1325); hopping, jumping, jogging or skipping
after a hip or knee replacement must name the replacement in a precaution (H1326); a
balance exercise whose starting position holds a support is the supported exercise, unless
a step lets go of it, and "lift one foot off the floor" or "balance on the other foot" is
standing on one leg (H1327); lying "face to the ceiling" is lying on the back in pregnancy
(H1328); "take a deep breath in and hold it" is holding the breath, against the starting
advice "never hold your breath" (H1329); with osteoporosis, rounding the back, or reaching down to
pick something up, is bending the spine forwards unless the back is kept straight (H1330)."""

from __future__ import annotations

import pytest
from lint_helpers import FALLS_CODING as _FALLS
from lint_helpers import HIP_REPLACEMENT_CODING as _HIP_REPLACEMENT
from lint_helpers import KNEE_REPLACEMENT_CODING as _KNEE_REPLACEMENT
from lint_helpers import OSTEOPOROSIS_CODING as _OSTEOPOROSIS
from lint_helpers import PREGNANCY_CODING as _PREGNANCY
from lint_helpers import exercise, lint, only


def _with(progression=None, regression=None, hold=None):
    def change(data):
        body = exercise(data)
        if hold is not None:
            body["dosage"].pop("repetitions")
            body["dosage"]["hold_seconds"] = hold
        if progression is not None:
            body["progression"] = progression
        if regression is not None:
            body["regression"] = regression

    return change


# -- A progression told as a step up is a progression (H1325) ----------------------------------


@pytest.mark.parametrize(
    ("text", "hold"),
    [
        ("When it feels easy for a week, add two repetitions.", None),
        ("When it feels easy, add 2 repetitions each week.", None),
        ("Each week, add another 2 repetitions.", None),
        ("When it feels easy, increase it by 2 repetitions.", None),
        ("When it feels easy, hold 5 seconds longer.", 20),
        ("Once that is easy, add 5 seconds to the hold each week.", 20),
        ("When it feels easy, add an extra 10 seconds.", 30),
    ],
)
def test_a_progression_told_as_a_step_up_is_a_progression(tmp_path, text, hold):
    assert only(lint(tmp_path, _with(progression=text, hold=hold)), "DOSE005") == []


@pytest.mark.parametrize(
    "text",
    [
        "If it hurts, take off 2 repetitions.",
        "If it hurts, do 2 repetitions fewer.",
        "If it hurts, reduce it by 3 repetitions.",
    ],
)
def test_a_regression_told_as_a_step_down_is_a_regression(tmp_path, text):
    assert only(lint(tmp_path, _with(regression=text)), "DOSE005") == []


@pytest.mark.parametrize(
    ("progression", "regression"),
    [
        # A total that is not more than the dose (8 repetitions) is still no progression.
        ("When it feels easy, do 8 repetitions.", None),
        ("When it feels easy, add more: up to 8 repetitions.", None),
        # A step the wrong way is compared as a total.
        ("When it feels easy, reduce it by 2 repetitions.", None),
        (None, "If it hurts, add 10 repetitions."),
    ],
)
def test_a_total_or_a_step_the_wrong_way_is_still_compared(tmp_path, progression, regression):
    findings = only(lint(tmp_path, _with(progression, regression)), "DOSE005")
    assert len(findings) == 1
    assert "no progression" in findings[0].message or "no regression" in findings[0].message


# -- High impact after a hip or knee replacement (H1326) ---------------------------------------


def _treated(condition, name, start, *steps, precaution=None):
    def change(data):
        data["indications"].append(condition)
        body = exercise(data)
        body["name"] = name
        body["starting_position"] = start
        body["steps"] = list(steps)
        if precaution is not None:
            body["precautions"] = [precaution]

    return change


@pytest.mark.parametrize(
    ("condition", "name", "step"),
    [
        (_HIP_REPLACEMENT, "Hopping on the spot", "Hop on your operated leg, landing softly."),
        (_HIP_REPLACEMENT, "Jog on the spot", "Jog gently on the spot for two minutes."),
        (_HIP_REPLACEMENT, "Star jumps", "Do ten star jumps."),
        (_KNEE_REPLACEMENT, "Jump squats", "Bend your knees, then jump up and land softly."),
        (_KNEE_REPLACEMENT, "Skipping", "Skip with a rope for one minute."),
        (_KNEE_REPLACEMENT, "Running", "Run on the spot for 30 seconds."),
    ],
)
def test_high_impact_after_a_replacement_must_name_it(tmp_path, condition, name, step):
    findings = only(lint(tmp_path, _treated(condition, name, "Stand tall.", step)), "SAFE012")
    assert len(findings) == 1
    assert "high impact on the new joint" in findings[0].message
    replacement = "hip" if condition is _HIP_REPLACEMENT else "knee"
    assert f"for {replacement} replacement" in findings[0].message


@pytest.mark.parametrize(
    ("condition", "name", "step"),
    [
        # Walking, a step-up that says not to jump, and a precaution that names it: quiet.
        (_KNEE_REPLACEMENT, "Brisk walk", "Walk at a pace where you can talk but not sing."),
        (_KNEE_REPLACEMENT, "Step-ups", "Step up onto the stair, then step down; do not jump."),
        (_HIP_REPLACEMENT, "Heel slides", "Slide your heel up the bed, then back down."),
        # The impact words on a sheet with no replacement coded: quiet.
        (None, "Hopping on the spot", "Hop on one leg, landing softly."),
    ],
)
def test_low_impact_or_no_replacement_is_quiet(tmp_path, condition, name, step):
    if condition is None:

        def change(data):
            body = exercise(data)
            body["name"], body["starting_position"], body["steps"] = name, "Stand.", [step]

    else:
        change = _treated(condition, name, "Stand tall.", step)
    assert only(lint(tmp_path, change), "SAFE012") == []


def test_high_impact_with_a_precaution_naming_the_replacement_is_quiet(tmp_path):
    precaution = {
        "id": "knee-replacement",
        "description": "Knee replacement: hopping and jumping load the new joint.",
        "management": "Only from three months after the operation, with the surgeon's agreement.",
        "patient_advice": "Ask your physiotherapist before you start hopping.",
    }
    change = _treated(
        _KNEE_REPLACEMENT, "Hopping", "Stand tall.", "Hop on the spot.", precaution=precaution
    )
    assert only(lint(tmp_path, change), "SAFE012") == []


# -- Balance held on a support, and one leg in other words (H1327) ------------------------------


def _balance(start, *steps):
    return _treated(_FALLS, "One-leg stand", start, *steps)


@pytest.mark.parametrize(
    ("start", "step"),
    [
        ("Stand behind a sturdy chair, holding its back with both hands.", "Balance on one leg."),
        ("Stand at the kitchen worktop with your hands resting on the worktop.",
         "Stand on one leg for 10 seconds."),
        ("Hold the back of a sturdy chair.", "Lift one foot off the floor."),
    ],
)  # fmt: skip
def test_balance_holding_a_support_from_the_start_is_quiet(tmp_path, start, step):
    assert only(lint(tmp_path, _balance(start, step)), "SAFE012") == []


@pytest.mark.parametrize(
    ("start", "steps"),
    [
        # The support let go of, in a step.
        ("Stand behind a sturdy chair, holding its back.",
         ("Balance on one leg.", "When you feel steady, let go of the chair.")),
        # No support: one leg in other words.
        ("Stand in the middle of the room.",
         ("Lift one foot off the floor and balance on the other foot.",)),
        ("Stand in the middle of the room.", ("Raise your right foot off the floor.",)),
        # Hands on the hips, back against the wall: no support held.
        ("Stand with your back to the wall and your hands on your hips.",
         ("Balance on one leg.",)),
    ],
)  # fmt: skip
def test_balance_without_a_support_held_throughout_must_name_the_risk(tmp_path, start, steps):
    findings = only(lint(tmp_path, _balance(start, *steps)), "SAFE012")
    assert len(findings) == 1
    assert "poor balance" in findings[0].message


# -- Face to the ceiling is on the back (H1328) ------------------------------------------------


def test_lying_face_to_the_ceiling_in_pregnancy_must_name_it(tmp_path):
    change = _treated(
        _PREGNANCY,
        "Bridge",
        "Lie down with your knees bent and your feet flat on the floor, face to the ceiling.",
        "Squeeze your bottom and lift your hips.",
    )
    findings = only(lint(tmp_path, change), "SAFE012")
    assert len(findings) == 1
    assert "lying flat on the back" in findings[0].message


def test_looking_at_the_ceiling_standing_is_not_lying_on_the_back(tmp_path):
    change = _treated(
        _PREGNANCY, "Neck stretch", "Stand tall.", "Look up at the ceiling, then back down."
    )
    assert only(lint(tmp_path, change), "SAFE012") == []


# -- A breath taken and held is the breath held (H1329) ----------------------------------------

_BREATHE = "Move slowly and smoothly, do not bounce, and breathe normally: never hold your breath."


def _step_under_the_advice(step):
    def change(data):
        data["safety"]["general_advice"] = [_BREATHE]
        exercise(data)["steps"].append(step)

    return change


@pytest.mark.parametrize(
    "step",
    [
        "Take a deep breath in and hold it, then lift the kettlebell to your chest.",
        "Take a big breath and hold it as you lift.",
        "Breathe in and hold it while you push.",
    ],
)
def test_a_breath_taken_and_held_contradicts_the_advice(tmp_path, step):
    findings = only(lint(tmp_path, _step_under_the_advice(step)), "TEXT006")
    assert len(findings) == 1
    assert "hold the breath" in findings[0].message


@pytest.mark.parametrize(
    "step",
    [
        "Breathe in, then breathe out as you lift.",
        "Breathe in and hold it there for 10 seconds.",
        "Take a deep breath in, then reach up and hold the stretch.",
        "Do not take a deep breath and hold it.",
    ],
)
def test_a_held_position_or_a_breath_let_go_is_quiet(tmp_path, step):
    assert only(lint(tmp_path, _step_under_the_advice(step)), "TEXT006") == []


# -- Rounding the back with osteoporosis (H1330) -----------------------------------------------


@pytest.mark.parametrize(
    "step",
    [
        "Round your back and reach down to pick the bag up.",
        "Hunch your upper back as you pull the band towards you.",
        "Reach down to pick up the shopping bag, then stand up tall.",
    ],
)
def test_rounding_the_back_with_osteoporosis_must_name_it(tmp_path, step):
    change = _treated(_OSTEOPOROSIS, "Lift the shopping", "Stand tall.", step)
    findings = only(lint(tmp_path, change), "SAFE012")
    assert len(findings) == 1
    assert "osteoporosis" in findings[0].message


@pytest.mark.parametrize(
    "step",
    [
        "Bend your knees to pick the bag up; do not round your back.",
        "Keep your back straight; never round your back.",
        "Bend your knees and hips, without rounding your back.",
        "Reach down to pick the bag up, keeping your back straight.",
        "Do not bend or round your back.",
    ],
)
def test_a_back_kept_straight_with_osteoporosis_is_quiet(tmp_path, step):
    change = _treated(_OSTEOPOROSIS, "Lift the shopping", "Stand tall.", step)
    assert only(lint(tmp_path, change), "SAFE012") == []
