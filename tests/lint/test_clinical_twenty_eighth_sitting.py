"""Cases of the twenty-eighth sitting's clinical review (docs/safety/clinical-review.md, hazards
H1133-H1134): a suspected broken bone (not able to take four steps, or to use an arm, after an
injury) goes to the emergency department, not to a doctor the same day; a knee replacement's
sheet carries the signs of a bone broken around it after a fall."""

import pytest
from lint_helpers import ICD, coding, family_sheet, lint, only
from lint_helpers import KNEE_REPLACEMENT_CODING as _KNEE_REPLACEMENT

from protocol_kit.starter.conditions import starting_red_flags

_ANKLE = coding(ICD, "S93.401A", "Sprain of unspecified ligament of right ankle, initial encounter")
_KNEE_PAIN = coding(ICD, "M25.561", "Pain in right knee")


def _sheet(condition, *extra, advice=(), stops=()):
    """`condition`'s sheet: the red flags `protokit new` starts with, then `extra`."""

    def change(data):
        family_sheet([condition], advice=advice, stops=stops)(data)
        data["safety"]["red_flags"] += list(extra)

    return change


# -- A suspected broken bone (H1133) ----------------------------------------------------------

_FOUR_STEPS = "After you went over on your ankle, you cannot put weight on it or take four steps."


@pytest.mark.parametrize(("action", "errors"), [("urgent", 1), ("emergency", 0)])
def test_not_able_to_take_four_steps_needs_the_emergency_department(tmp_path, action, errors):
    # The NHS's broken ankle and broken leg pages and nidirect send a suspected broken ankle,
    # leg or arm to A&E; the urgent box ("see a doctor the same day") sent it to a GP, who
    # cannot X-ray it.
    flag = {"text": _FOUR_STEPS, "action": action}
    findings = only(lint(tmp_path, _sheet(_ANKLE, flag)), "SAFE006")
    assert len(findings) == errors
    if errors:
        assert "needs 'emergency'" in findings[0].message
        assert "take four steps" in findings[0].message  # the item's summary


def test_every_ankle_sheet_starts_the_broken_bone_in_the_emergency_box():
    started, _ = starting_red_flags([_ANKLE])
    [flag] = [flag for flag in started if flag["covers"] == ["suspected-fracture"]]
    assert flag["action"] == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "After a fall, if you cannot put weight on your ankle, go to a minor injuries unit today.",
        "After a fall you cannot use your arm: see your GP today.",
        "If you think you have broken your leg, see a doctor the same day.",
    ],
)
def test_a_suspected_broken_ankle_leg_or_arm_sent_below_the_emergency_department(tmp_path, text):
    # nidirect: a minor injury unit for a toe or a finger; the emergency department for an arm
    # or a leg.
    [found] = only(lint(tmp_path, _sheet(_ANKLE, advice=[text])), "SAFE006")
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "If you think you have broken a toe, go to a minor injury unit today.",
        "If you cannot put weight on your leg yet, use your crutches as shown.",
        "Swelling and bruising around your ankle are normal for a few weeks after a sprain.",
        "After a fall, if you cannot put weight on your ankle, go to A&E today.",
    ],
)
def test_a_toe_crutches_and_the_right_place_are_no_error(tmp_path, text):
    assert only(lint(tmp_path, _sheet(_ANKLE, advice=[text])), "SAFE006") == []


# -- A fall on a knee replacement (H1134) ------------------------------------------------------


def test_a_knee_replacement_sheet_must_carry_a_fall_on_the_knee(tmp_path):
    def without(data):
        family_sheet([_KNEE_REPLACEMENT])(data)
        data["safety"]["red_flags"] = [
            flag
            for flag in data["safety"]["red_flags"]
            if "knee-replacement-fall" not in flag.get("covers", ())
        ]

    missing = only(lint(tmp_path, without), "SAFE005")
    assert [f for f in missing if "'knee-replacement-fall'" in f.message]


def test_the_knee_replacement_starting_red_flags_pass_every_red_flag_rule(tmp_path):
    started, titles = starting_red_flags([_KNEE_REPLACEMENT])
    [flag] = [flag for flag in started if flag["covers"] == ["knee-replacement-fall"]]
    assert flag["action"] == "emergency"
    assert "after a knee replacement" in titles
    findings = lint(tmp_path, _sheet(_KNEE_REPLACEMENT))
    assert [f for f in findings if f.code.startswith("SAFE")] == []


@pytest.mark.parametrize(
    "text",
    [
        "After a fall, sudden severe pain in your knee: call the clinic.",
        "Severe pain in your thigh after a knock: mention it at your next appointment.",
        "If you think the bone around your new knee is broken, call the clinic.",
    ],
)
def test_a_fall_on_the_knee_needs_the_emergency_department(tmp_path, text):
    [found] = only(lint(tmp_path, _sheet(_KNEE_REPLACEMENT, advice=[text])), "SAFE006")
    assert "needs 'emergency'" in found.message
    assert "knee replacement may be broken" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Take care not to fall while your new knee heals: keep the floor clear.",
        "Some pain in your knee after the exercises is normal and eases within an hour.",
        "Severe pain in your knee during an exercise: stop it and tell your therapist.",
        "A knock on the knee may leave a bruise; it fades in a week or two.",
    ],
)
def test_a_knees_everyday_words_are_not_a_fall_on_it(tmp_path, text):
    for condition in (_KNEE_REPLACEMENT, _KNEE_PAIN):
        assert only(lint(tmp_path, _sheet(condition, advice=[text])), "SAFE006") == []
