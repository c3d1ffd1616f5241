"""Cases of the thirty-first sitting's clinical review (docs/safety/clinical-review.md, hazards
H1295-H1297): the chest muscles named as what aches after the exercises are no chest pain, but
they are when the sentence says when you walk, climb or hurry, or that it spreads (H1295); a fall
told with how to get up, and with no pain, injury, head knock, dizziness or inability, is the
falls services' getting-up advice, not the trauma sign, but "get up and carry on" still is
(H1296); a clunk from the hip, then not able to stand or take weight, is a dislocated hip with
no fall told (H1297). Kept, each with its reason in the review: swelling told as expected
without the exception (H837), a chest that feels tight explained as the muscles, and a blur on
standing up quickly on a pregnancy sheet."""

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import HIP_REPLACEMENT_CODING as _HIP_REPLACEMENT
from lint_helpers import ICD, advice_routing, coding
from lint_helpers import KNEE_REPLACEMENT_CODING as _KNEE_REPLACEMENT
from lint_helpers import MID_BACK_CODING as _MID_BACK
from lint_helpers import PREGNANCY_CODING as _PREGNANCY

_NECK = coding(ICD, "M54.2", "Cervicalgia")
_SHOULDER = coding(ICD, "M75.01", "Adhesive capsulitis of right shoulder")
_ANTICOAGULANT = coding(ICD, "Z79.01", "Long term (current) use of anticoagulants")
_ACHILLES_INJURY = coding(ICD, "S86.011A", "Strain of right Achilles tendon, initial encounter")


# -- The chest muscles aching after the exercises are no chest pain (H1295) --------------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (_MID_BACK, "Your chest muscles may ache after the press-ups."),
        (_MID_BACK, "Your chest muscles may ache for a day or two after the wall press-ups."),
        (_MID_BACK, "After the press-ups, your chest muscles may ache for a day or two."),
        (
            _SHOULDER,
            "Your chest muscles may feel sore the day after the wall press; that is normal.",
        ),
        (_PREGNANCY, "Your chest muscles may ache after the wall press-ups."),
    ],
)
def test_the_chest_muscles_aching_after_the_exercises_are_no_chest_pain(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


@pytest.mark.parametrize(
    "text",
    [
        # Angina's triggers and spread: the muscles named do not make it the muscles.
        "Pain in your chest muscles when you walk uphill, tell us next week.",
        "Your chest muscles may ache after the press-ups and when you climb the stairs; tell us "
        "next week.",
        "If your chest muscles feel tight, tell us next week.",
        # The chest itself, not its muscles, is the sign whatever the exercise.
        "If your chest aches after the press-ups, rest and see how you feel.",
        "If your chest hurts, tell us next week.",
        "If you feel a tight chest when you climb the stairs, tell us next session.",
    ],
)
def test_chest_pain_told_with_exertion_or_without_the_muscles_is_still_999(tmp_path, text):
    [found] = advice_routing(tmp_path, _MID_BACK, text)
    assert "chest pain" in found.message and "needs 'emergency'" in found.message


# -- A fall told with how to get up is the falls services' advice (H1296) ----------------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (_BACK, "If you fall, do not panic: roll onto your side and get up slowly."),
        (_BACK, "If you fall, do not panic. Roll onto your side and get up slowly."),
        (_HIP_REPLACEMENT, "If you have a fall, get up slowly; you may feel a little shaky."),
        (
            _HIP_REPLACEMENT,
            "Practise getting up from the floor with your physio first; if you fall, roll onto "
            "your side, crawl to a sturdy chair and get up slowly.",
        ),
        (
            _KNEE_REPLACEMENT,
            "If you fall, roll onto your side and get up slowly; then check your wound.",
        ),
        (_NECK, "If you fall, roll onto your side and get up slowly."),
        (_ANTICOAGULANT, "If you fall, roll onto your side and get up slowly."),
    ],
)
def test_a_fall_told_with_how_to_get_up_is_no_trauma_sign(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


@pytest.mark.parametrize(
    "text",
    [
        # H530: a fall told to carry on is the danger the item is there for.
        "If you fall, get up slowly and carry on with your exercises.",
        "If you have a fall, get up slowly and continue as normal.",
        "If you fall, carry on with your exercises.",
        # Pain, a knock, a head, dizziness or not being able to get up make it the sign.
        "If you fall and hurt your back, roll onto your side and get up slowly; mention it next "
        "time.",
        "If you fall, get up slowly and carry on; mention it next time if your back pain is worse.",
        "If you fall and bang your head, get up slowly and rest.",
        "If you fall, roll onto your side; if you cannot get up, press your pendant alarm and "
        "wait.",
        "If you fall and feel dizzy, get up slowly and sit for a while.",
    ],
)
def test_a_fall_told_to_carry_on_or_with_an_injury_still_needs_a_doctor(tmp_path, text):
    findings = advice_routing(tmp_path, _BACK, text)
    assert findings and all("needs" in f.message for f in findings)
    assert any("after a new fall, knock or accident" in f.message for f in findings)


# -- A clunk from the hip, then not able to stand, is a dislocation (H1297) --------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you hear a clunk from your hip and cannot stand, ring the ward in the morning.",
        "If you hear a clunk from your new hip and cannot stand, ring the ward tomorrow.",
        "If you cannot put weight on your leg after a clunk in your new hip, tell us next week.",
        "If you feel a clunk in your hip and then can't walk, see your GP.",
    ],
)
def test_a_clunk_from_the_hip_then_not_standing_is_a_999_call(tmp_path, text):
    [found] = advice_routing(tmp_path, _HIP_REPLACEMENT, text)
    assert "come out of its socket" in found.message and "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (_HIP_REPLACEMENT, "Your new hip may clunk or click a little as you walk; that is normal."),
        (_HIP_REPLACEMENT, "If you hear a clunk from your hip and cannot stand, call 999."),
        (
            _KNEE_REPLACEMENT,
            "Your knee may clunk as you bend it and you cannot yet walk far; that is normal.",
        ),
    ],
)
def test_a_clunk_alone_or_sent_to_999_is_no_finding(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


# -- Kept, each for its reason (docs/safety/clinical-review.md, thirty-first sitting) ----------


@pytest.mark.parametrize(
    ("condition", "text", "names"),
    [
        # H837: a reassurance about leg swelling must say which swelling is not normal.
        (
            _ACHILLES_INJURY,
            "Your leg may be swollen in the boot for a few weeks; keep it raised.",
            "blood clot in a leg",
        ),
        # The chest named as tight and explained as the muscles: the play-down's shape.
        (
            _MID_BACK,
            "If your chest feels tight across the front when you turn, that is the muscles "
            "stretching.",
            "chest pain",
        ),
        # A blur with feeling faint is among the HSE's reasons to contact a GP at once.
        (_PREGNANCY, "If you stand up quickly, your vision may blur.", "problems with your vision"),
    ],
)
def test_kept_reassurances_still_ask_for_the_exception(tmp_path, condition, text, names):
    [found] = advice_routing(tmp_path, condition, text)
    assert names in found.message


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        # The fix each kept finding asks for.
        (
            _ACHILLES_INJURY,
            "Your leg may be swollen in the boot for a few weeks; keep it raised. Calf pain, or "
            "swelling that is new or getting worse: see a doctor today or call 111.",
        ),
        (_MID_BACK, "You may feel a stretch across the front of your chest as you turn."),
    ],
)
def test_the_kept_reassurances_rewritten_pass(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []
