"""Cases of the thirty-second sitting's clinical review (docs/safety/clinical-review.md, hazards
H1405-H1408): a fall told with how to get up is the falls services' advice only where the
getting-up is in the fall's own sentence or starts the next one, not anywhere in the text
(H1405); words that tell the patient not to hop, jump, bend or lie on the back are not the
exercise doing it (H1406); on a pregnancy sheet a blur with feeling faint is a reason to act
even when it comes on standing up (H1407); "until your muscles are too tired to do one more"
is a dose to failure with no number (H1408). Kept, with its reason in the review: sweating
told after a semicolon beside the chest muscles' ache."""

from __future__ import annotations

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import FALLS_CODING as _FALLS
from lint_helpers import HIP_REPLACEMENT_CODING as _HIP_REPLACEMENT
from lint_helpers import KNEE_REPLACEMENT_CODING as _KNEE_REPLACEMENT
from lint_helpers import MID_BACK_CODING as _MID_BACK
from lint_helpers import OSTEOPOROSIS_CODING as _OSTEOPOROSIS
from lint_helpers import PREGNANCY_CODING as _PREGNANCY
from lint_helpers import advice_routing, exercise, family_sheet, lint, only

# -- The getting-up advice relaxes only the fall it is told with (H1405) ------------------------


@pytest.mark.parametrize(
    "text",
    [
        # A getting-up exercise elsewhere in the text is not how to get up after this fall.
        "If you fall, tell us at your next session. Practise getting up from a chair ten times "
        "a day.",
        "If you fall, tell us at your next session; practise getting up from a chair ten times "
        "a day.",
        "If you fall, tell us next time. We will practise getting up from the floor together.",
        "Practise getting up from the floor. If you fall, tell us next time.",
    ],
)
def test_a_fall_put_off_beside_a_getting_up_exercise_still_needs_a_doctor(tmp_path, text):
    [found] = advice_routing(tmp_path, _BACK, text)
    assert "after a new fall, knock or accident" in found.message
    assert "needs 'urgent'" in found.message


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        # The next sentence (or clause) starts with how to get up: the same advice.
        (_BACK, "If you fall, do not panic. Roll onto your side and get up slowly."),
        (_BACK, "If you fall, do not panic; roll onto your side and get up slowly."),
        (_BACK, "If you fall, stay calm. Then roll onto your side and get up slowly."),
        (_BACK, "If you fall, stay calm. Get onto your hands and knees and crawl to a chair."),
        (
            _HIP_REPLACEMENT,
            "Practise getting up from the floor with your physio first; if you fall, roll onto "
            "your side, crawl to a sturdy chair and get up slowly.",
        ),
        # On an osteoporosis sheet too: no source read sends a fall without pain to a doctor.
        (_OSTEOPOROSIS, "If you fall, roll onto your side and get up slowly."),
    ],
)
def test_getting_up_told_with_the_fall_is_still_the_falls_advice(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


# -- Told not to do it is not doing it (H1406) -------------------------------------------------


def _exercise(condition, name, *steps):
    def change(data):
        data["indications"].append(condition)
        body = exercise(data)
        body["name"], body["starting_position"], body["steps"] = name, "Stand tall.", list(steps)

    return change


@pytest.mark.parametrize(
    ("condition", "step"),
    [
        (_KNEE_REPLACEMENT, "Step up onto the stair, then step down; do not hop or jump."),
        (_KNEE_REPLACEMENT, "Step up onto the stair. No hopping or jumping yet."),
        (_KNEE_REPLACEMENT, "Step up onto the stair; avoid hopping, jumping or jogging for now."),
        (_KNEE_REPLACEMENT, "Step up; don't jog or run on the spot until your surgeon agrees."),
        (_KNEE_REPLACEMENT, "Step up; don\u2019t ever jump off the step."),
        (_HIP_REPLACEMENT, "March on the spot; never jump, hop or skip with a rope."),
        (_HIP_REPLACEMENT, "Sit on a high chair; do not cross your legs or bend past 90 degrees."),
        (_OSTEOPOROSIS, "Bend your knees to lift; do not bend forwards or twist."),
        (_OSTEOPOROSIS, "Never bend over or round your back."),
        (_PREGNANCY, "Lie on your side; do not lie flat on your back."),
        (_PREGNANCY, "Lie on your side, not on your back."),
        (_PREGNANCY, "Lie on your side rather than on your back."),
        (_FALLS, "Hold the back of the chair. Do not stand on one leg or close your eyes."),
    ],
)
def test_a_movement_told_not_to_do_is_not_the_exercise_doing_it(tmp_path, condition, step):
    assert only(lint(tmp_path, _exercise(condition, "Practice", step)), "SAFE012") == []


@pytest.mark.parametrize(
    ("condition", "step"),
    [
        # Something else between the negation and the movement: the movement is done.
        (_KNEE_REPLACEMENT, "Do not let your knee cave in as you jump."),
        (_KNEE_REPLACEMENT, "Do not rush, jump up and land softly."),
        (_KNEE_REPLACEMENT, "Step up; do not step down but jump down."),
        (_KNEE_REPLACEMENT, "Step up, then jump down; do not land hard."),
        (_FALLS, "Without holding on, stand on one leg."),
        (_PREGNANCY, "Lie down on your back with your knees bent."),
        # A pattern's own "not before" is its own: the weight is carried.
        (_OSTEOPOROSIS, "Sit tall and twist your trunk, holding a 2 kg weight; do not rush."),
    ],
)
def test_a_movement_after_other_words_is_still_done(tmp_path, condition, step):
    [found] = only(lint(tmp_path, _exercise(condition, "Practice", step)), "SAFE012")
    assert "names no precaution or contraindication" in found.message


def test_a_weight_told_as_none_is_still_no_load(tmp_path):
    step = "Sit tall and twist your trunk to the left with no weights."
    assert only(lint(tmp_path, _exercise(_OSTEOPOROSIS, "Practice", step)), "SAFE012") == []


# -- A blur with feeling faint in pregnancy (H1407) --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If your vision goes blurry and you feel faint when you stand up, sit down and tell us "
        "next session.",
        "If you feel faint and your vision blurs when you stand up, sit down and tell us at your "
        "next session.",
    ],
)
def test_a_blur_with_faintness_on_standing_in_pregnancy_needs_the_maternity_unit(tmp_path, text):
    [found] = advice_routing(tmp_path, _PREGNANCY, text)
    assert "needs 'maternity'" in found.message


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (
            _PREGNANCY,
            "If your vision goes blurry and you feel faint when you stand up, sit down and call "
            "your midwife straight away.",
        ),
        # The everyday advice, without faintness, stays quiet (the thirtieth sitting's).
        (_PREGNANCY, "If you stand up quickly your vision may blur for a moment: get up slowly."),
        (_PREGNANCY, "You may feel faint if you stand up too quickly; sit down until it passes."),
        # Pre-eclampsia is a pregnancy's sign: not read on a back sheet.
        (
            _BACK,
            "If your vision goes blurry and you feel faint when you stand up, sit down and tell us "
            "next session.",
        ),
    ],
)
def test_a_blur_routed_or_without_faintness_is_quiet(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


# -- Failure in plain words (H1408) -------------------------------------------------------------


def _dose_text(field, text):
    def change(data):
        data["indications"].append(_KNEE_REPLACEMENT)
        body = exercise(data)
        if field == "intensity":
            body["dosage"]["intensity"] = text
        else:
            body["steps"].append(text)

    return change


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("intensity", "Until your muscles are too tired to do one more."),
        ("step", "Repeat until your leg is exhausted."),
        ("step", "Keep going till you are completely worn out."),
    ],
)
def test_failure_in_plain_words_is_a_dose_with_no_number(tmp_path, field, text):
    [found] = only(lint(tmp_path, _dose_text(field, text)), "DOSE005")
    assert "a dose with no number" in found.message


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("step", "Walk until you feel tired, then turn back and walk home."),
        ("intensity", "Never carry on until you are too tired to do one more."),
        (
            "intensity",
            "The last 2 or 3 repetitions should feel hard, but you should be able to finish each "
            "set with good form.",
        ),
    ],
)
def test_tired_or_a_negated_failure_is_quiet(tmp_path, field, text):
    assert only(lint(tmp_path, _dose_text(field, text)), "DOSE005") == []


# -- Kept: sweating told after a semicolon beside the muscles' ache ----------------------------


def test_sweating_after_a_semicolon_beside_the_chest_muscles_is_still_read(tmp_path):
    text = "Your chest muscles may ache after the wall press-ups; you may sweat a bit, so drink."
    [found] = advice_routing(tmp_path, _MID_BACK, text)
    assert "needs 'emergency'" in found.message


def test_sweating_told_in_its_own_advice_is_quiet(tmp_path):
    advice = (
        "Your chest muscles may ache after the wall press-ups.",
        "You may sweat a bit, so have some water.",
    )
    findings = lint(tmp_path, family_sheet([_MID_BACK], advice=advice))
    assert only(findings, "SAFE006") == []
