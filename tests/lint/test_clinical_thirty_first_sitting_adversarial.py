"""The adversarial review of the thirty-first sitting's relaxations (docs/safety/clinical-review.md,
"### Adversarial review of the relaxations (s37-clinical3)", hazards H1355-H1357): sentences a
therapist or patient could write that share the relaxed words and are still red flags. The chest
muscles aching "after" the exercises are chest pain again when the sentence names a heart
attack's company: the ache spreading to the arm, neck, jaw or back, a heavy, crushing or
squeezing feeling, sickness, sweating, light-headedness, breathlessness or a racing heart
(H1355). A fall told with how to get up is read again when the text names a sign the relaxation's
list left out (swelling, tenderness, a limp, numbness, confusion, drowsiness, sickness, a
headache, a struggle to walk or stand, a leg that won't take the weight) (H1356), or where the
patient landed, a pregnancy or a new joint (H1357). A one-leg stand holding a chair (H1327)
must name the falls risk again when its progression or a cue lets go of the chair, or a step
takes the hands off it or stands away from it (H1358). The relaxations' own sentences, the
getting-up advice as the falls services give it, and a cue that says not to let go stay
quiet."""

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import FALLS_CODING as _FALLS
from lint_helpers import HIP_REPLACEMENT_CODING as _HIP_REPLACEMENT
from lint_helpers import KNEE_REPLACEMENT_CODING as _KNEE_REPLACEMENT
from lint_helpers import MID_BACK_CODING as _MID_BACK
from lint_helpers import PREGNANCY_CODING as _PREGNANCY
from lint_helpers import advice_routing, exercise, lint, only

# -- The chest muscles aching after the exercises, with a heart attack's company (H1355) -------


@pytest.mark.parametrize(
    "text",
    [
        "If your chest muscles ache after the press-ups and the ache goes down your left arm, "
        "tell us next time.",
        "Your chest muscles may ache after the press-ups; if the ache spreads into your neck or "
        "arm, tell us next time.",
        "If your chest muscles ache after the press-ups and the ache goes into your back or "
        "between your shoulder blades, tell us next time.",
        "If your chest muscles ache after the press-ups and feel heavy or crushing, tell us next "
        "time.",
        "If your chest muscles feel squeezed after the press-ups, tell us next time.",
        "If your chest muscles ache after the press-ups and you feel nauseous and clammy, sit "
        "down until it passes.",
        "After the press-ups your chest muscles may ache, and you may feel sick; tell us next "
        "time.",
        "If your chest muscles ache after the press-ups and you feel light-headed or faint, sit "
        "down until it passes.",
        "If your chest muscles ache after the press-ups and your left arm feels heavy or numb, "
        "tell us next time.",
        "If your chest muscles ache after the press-ups and your heart is racing, tell us next "
        "time.",
        "If your chest muscles feel tight after the press-ups and you are wheezy or gasping, tell "
        "us next time.",
    ],
)
def test_the_chest_muscles_after_the_exercises_with_a_heart_attacks_company_are_999(tmp_path, text):
    findings = advice_routing(tmp_path, _MID_BACK, text)
    assert any("chest pain" in f.message and "needs 'emergency'" in f.message for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "Your chest muscles may ache for a day or two after the press-ups; that is normal.",
        "Your arm and chest muscles may ache after the press-ups.",
        "Your shoulder and chest muscles may ache the day after the wall press.",
        "Your back and chest muscles may ache after the rows.",
        "Your chest muscles may ache after the press-ups; breathe out as you push.",
        "Your chest muscles may feel a faint ache the day after the wall press.",
        "Your chest muscles may ache after the press-ups with the heavy band; that is normal.",
        "Your arms may feel heavy after the press-ups, and your chest muscles may ache the next "
        "day.",
        "Your chest muscles may ache after the press-ups; the ache goes away in two to five days.",
        "Your chest muscles may ache after the press-ups; keep your arms and back straight as you "
        "lower down.",
        # The company named and sent to 999: routed right.
        "Your chest muscles may ache after the press-ups; if the pain spreads to your arm or jaw, "
        "or you feel sick, sweaty or short of breath, call 999.",
    ],
)
def test_the_chest_muscles_aching_after_the_exercises_alone_stay_quiet(tmp_path, text):
    assert advice_routing(tmp_path, _MID_BACK, text) == []


# -- A fall told with how to get up, and a sign the list left out (H1356) ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you fall and your wrist swells up, get up slowly and put ice on it.",
        "If you fall and your back is stiff and tender, get up slowly and rest.",
        "If you fall and you are limping, get up slowly and rest.",
        "If you fall, roll onto your side and get up slowly; if you feel confused or drowsy "
        "afterwards, have a lie down.",
        "If you fall, get up slowly, and if you get a headache later, take it easy.",
        "If you fall and are sick afterwards, get up slowly and have a lie down.",
        "If you fall and it is hard to walk afterwards, roll onto your side and get up slowly.",
        "If you fall and struggle to stand, roll onto your side and get up slowly.",
        "If you fall, roll onto your side and get up slowly, even if your leg won't take your "
        "weight.",
    ],
)
def test_a_fall_told_with_how_to_get_up_and_a_sign_of_injury_needs_a_doctor(tmp_path, text):
    findings = advice_routing(tmp_path, _BACK, text)
    assert any("after a new fall, knock or accident" in f.message for f in findings)


# -- A fall told with where the patient landed, in pregnancy or on a new joint (H1357) ---------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (
            _BACK,
            "If you fall and land heavily on your bottom, roll onto your side and get up slowly.",
        ),
        (_PREGNANCY, "If you fall onto your tummy, roll onto your side and get up slowly."),
        (_PREGNANCY, "If you fall while you are pregnant, roll onto your side and get up slowly."),
        (_HIP_REPLACEMENT, "If you fall on your new hip, roll onto your side and get up slowly."),
        (
            _HIP_REPLACEMENT,
            "If you fall onto your new hip, get up slowly and ring the ward tomorrow.",
        ),
        (_KNEE_REPLACEMENT, "If you fall on your new knee, roll onto your side and get up slowly."),
    ],
)
def test_a_fall_told_with_where_you_landed_in_pregnancy_or_on_a_new_joint_is_read(
    tmp_path, condition, text
):
    findings = advice_routing(tmp_path, condition, text)
    assert any("after a new fall, knock or accident" in f.message for f in findings)


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (
            _BACK,
            "If you fall, it can be hard to get up: roll onto your side, then onto your hands "
            "and knees.",
        ),
        (
            _BACK,
            "If you fall, stay calm: roll onto your side, crawl to a sturdy chair and get up "
            "slowly, then sit and rest.",
        ),
        (
            _BACK,
            "If you fall, try to land on your side, then roll onto your hands and knees and "
            "get up slowly.",
        ),
        (_BACK, "If you fall, roll onto your side and get up slowly; tell your GP about any fall."),
        (
            _KNEE_REPLACEMENT,
            "If you fall, roll onto your side and get up slowly; then check your wound.",
        ),
        (_BACK, "If you fall, roll onto your side; if you hit your head, call 999."),
    ],
)
def test_the_getting_up_advice_as_the_falls_services_give_it_stays_quiet(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


# -- A one-leg stand holding a chair, let go of in the progression or a cue (H1358) ------------

_HOLDING = "Stand behind a sturdy chair, holding its back."


def _one_leg_stand(start, steps, progression=None, cues=()):
    """A falls-risk protocol (R29.6) whose exercise is a one-leg stand as written here."""

    def change(data):
        data["indications"].append(_FALLS)
        body = exercise(data)
        body.update(name="One-leg stand", starting_position=start, steps=list(steps))
        if progression is not None:
            body["progression"] = progression
        if cues:
            body["cues"] = list(cues)

    return change


@pytest.mark.parametrize(
    ("start", "steps", "progression", "cues"),
    [
        (_HOLDING, ["Balance on one leg."], "When this is easy, do it without holding on.", ()),
        (_HOLDING, ["Balance on one leg."],
         "When this is easy, let go of the chair and close your eyes.", ()),
        (_HOLDING, ["Balance on one leg."], None, ["When you feel steady, let go of the chair."]),
        ("Hold the back of a sturdy chair.",
         ["Lift one foot off the floor.", "Lift your hands off the chair and hold for 10 seconds."],
         None, ()),
        ("Hold the back of a sturdy chair.",
         ["Lift one foot off the floor.", "Now stand away from the chair and repeat."], None, ()),
    ],
)  # fmt: skip
def test_a_one_leg_stand_let_go_of_in_its_progression_or_a_cue_must_name_the_risk(
    tmp_path, start, steps, progression, cues
):
    findings = only(lint(tmp_path, _one_leg_stand(start, steps, progression, cues)), "SAFE012")
    assert len(findings) == 1
    assert "poor balance" in findings[0].message


@pytest.mark.parametrize(
    ("progression", "cues"),
    [
        (None, ()),
        (None, ["Keep both hands on the chair; do not let go."]),
        ("When this is easy, hold the chair with one hand only.", ["Never let go of the chair."]),
        ("When this is easy, hold for 20 seconds; don't let go of the chair.", ()),
    ],
)
def test_a_one_leg_stand_held_on_a_chair_throughout_stays_quiet(tmp_path, progression, cues):
    change = _one_leg_stand(_HOLDING, ["Balance on one leg."], progression, cues)
    assert only(lint(tmp_path, change), "SAFE012") == []
