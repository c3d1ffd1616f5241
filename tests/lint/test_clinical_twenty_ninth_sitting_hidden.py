"""Hidden cases of the twenty-ninth sitting's second clinical review (s35-clinical2,
docs/safety/clinical-review.md, hazards H1210-H1213): a therapist's own words for a sign on a
neck, shoulder or pregnancy sheet ("see double", "suddenly cannot grip or feel your hand",
"your baby is quieter than usual") are the sign; "after a fall, if you suddenly ..." is no
fall without warning."""

import pytest
from lint_helpers import ICD, advice_routing, coding
from lint_helpers import PREGNANCY_CODING as _PREGNANCY

_NECK = coding(ICD, "M54.2", "Cervicalgia")
_SHOULDER = coding(ICD, "M75.01", "Adhesive capsulitis of right shoulder")


# -- "See double" is double vision (H1210) -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you feel sick, dizzy and see double when you turn your head, tell your physio at "
        "your next session.",
        "Seeing two of everything when you look up: mention it at your next appointment.",
    ],
)
def test_seeing_double_needs_the_emergency_department(tmp_path, text):
    [found] = advice_routing(tmp_path, _NECK, text)
    assert "signs of a stroke" in found.message and "needs 'emergency'" in found.message


def test_seeing_double_sent_to_999_is_valid(tmp_path):
    text = "If you see double, or have slurred speech or trouble swallowing, call 999 or go to A&E."
    assert advice_routing(tmp_path, _NECK, text) == []


# -- A hand suddenly not able to grip or feel (H1211) ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you suddenly cannot grip or feel your hand, ring the clinic tomorrow.",
        "If you are suddenly unable to use your hand, tell your physio next week.",
    ],
)
def test_a_hand_that_suddenly_cannot_grip_or_feel_needs_the_emergency_department(tmp_path, text):
    [found] = advice_routing(tmp_path, _SHOULDER, text)
    assert "sudden, severe weakness" in found.message and "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "If you suddenly cannot grip or feel your hand, call 999 or go to A&E.",
        "Grip the band firmly with both hands and pull your shoulder blades back.",
        "At first you may find you cannot grip as hard with your sore arm; this improves as the "
        "pain settles.",
    ],
)
def test_a_grip_in_an_exercise_or_routed_to_999_is_valid(tmp_path, text):
    assert advice_routing(tmp_path, _SHOULDER, text) == []


# -- "Your baby is quieter than usual" (H1212) -------------------------------------------------


def test_a_quieter_baby_needs_the_maternity_unit(tmp_path):
    text = "If your baby is quieter than usual, lie on your left side and wait until the morning."
    [found] = advice_routing(tmp_path, _PREGNANCY, text)
    assert "your baby moving less" in found.message and "needs 'maternity'" in found.message


def test_a_quieter_baby_sent_to_the_maternity_unit_is_valid(tmp_path):
    text = (
        "If your baby is quieter than usual, call your maternity unit straight away, day or night."
    )
    assert advice_routing(tmp_path, _PREGNANCY, text) == []


# -- "After a fall, if you suddenly ..." is no fall without warning (H1213) --------------------


def test_a_fall_then_a_sudden_loss_of_movement_is_not_a_drop_attack(tmp_path):
    # The rotator cuff tear's own sign in a therapist's words: the cuff item's 'urgent' is right.
    text = (
        "After a fall, if you suddenly cannot lift your arm as you could before, see a doctor "
        "the same day or call 111."
    )
    assert advice_routing(tmp_path, _SHOULDER, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Falling suddenly without warning: see your GP next week.",
        "If you collapse without warning, tell your physio.",
    ],
)
def test_a_fall_without_warning_still_needs_the_emergency_department(tmp_path, text):
    [found] = advice_routing(tmp_path, _NECK, text)
    assert "needs 'emergency'" in found.message
