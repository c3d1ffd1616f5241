"""Cases of the thirty-fifth sitting's clinical review (docs/safety/clinical-review.md, "Clinical
review of the thirty-fifth sitting", hazards H1660-H1662): a knee or shoulder that feels hot
after exercise, with no other sign, is not the infected joint's emergency (H1660); not being able
to get up after a fall, even with help, is the emergency (H1661), and a falls sheet starts with
it; on a blood thinner's sheet, concussion symptoms getting worse are the knock to the head's
emergency (H1662). Each plainly and in the words a therapist might use; safe sheets stay quiet."""

from __future__ import annotations

import pytest
from lint_helpers import ANTICOAGULANT_CODING as _ANTICOAGULANT
from lint_helpers import FALLS_CODING, ICD, coding, named_en, sheet_routing
from lint_helpers import KNEE_OA_CODING as _KNEE

from protocol_kit.redflags import red_flag_sets

_SHOULDER = coding(ICD, "M75.01", "Adhesive capsulitis of right shoulder")


# -- "Hot" after exercise, with no other sign (H1660) ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Does your knee feel hot after exercise? Put an ice pack on it for 10 minutes.",
        "Your knee may feel hot after exercise: that is normal.",
        "After a long walk your knee may feel hot and a little swollen; rest it and use ice.",
        "Your shoulder may feel hot after the exercises; this settles within an hour.",
        "Your hip can feel hot during the programme; slow down a little.",
    ],
)
def test_a_joint_hot_after_exercise_alone_is_not_the_infected_joint(tmp_path, text):
    # Fails without H1660: the infected joint's 'emergency' (an error on a safe sheet).
    assert "joint-infection" not in named_en(text)
    assert "shoulder-infection" not in named_en(text)
    assert sheet_routing(tmp_path, [_KNEE, _SHOULDER], text) == []


@pytest.mark.parametrize(
    "text",
    [
        "If your knee becomes hot and red after exercise, tell us at your next visit.",
        "If your knee suddenly becomes hot after exercise, tell us at your next visit.",
        "If your knee is hot and swollen after exercise and you have a temperature, ring us.",
        "If your shoulder feels hot after the exercises and you feel unwell, ring us tomorrow.",
        "If your knee feels hot, tell us at your next visit.",
        "Is your knee hot and swollen? Mention it at your next session.",
    ],
)
def test_a_hot_joint_with_another_sign_or_not_after_exercise_is_still_the_emergency(
    tmp_path, text
):
    found = sheet_routing(tmp_path, [_KNEE, _SHOULDER], text)
    assert any("may be infected" in f.message for f in found), text
    assert any("needs 'emergency'" in f.message for f in found)


# -- Not able to get up after a fall (H1661) -------------------------------------------------------


def test_a_falls_sheet_starts_with_not_getting_up_after_a_fall():
    from protocol_kit.starter.conditions import starting_red_flags

    started = [flag["covers"][0] for flag in starting_red_flags([FALLS_CODING])[0]]
    assert "fall-cannot-get-up" in started
    item = red_flag_sets().items["fall-cannot-get-up"]
    assert item.action == "emergency"
    assert "fall-cannot-get-up" in named_en(item.summary)


@pytest.mark.parametrize(
    "text",
    [
        "If you fall and cannot get up, press your pendant alarm and keep warm.",
        "If you fall and are not able to get up, stay warm and call for help; tell us next time.",
        "If you can't get up off the floor after a fall, ring the clinic.",
        "If you have fallen and could not get up, even with help, see your GP the same day.",
    ],
)
def test_not_getting_up_after_a_fall_sent_lower_than_999_is_an_error(tmp_path, text):
    # Fails without H1661: the trauma item's 'urgent' at most.
    found = sheet_routing(tmp_path, [FALLS_CODING], text)
    assert any("you cannot get up off the floor, even with help" in f.message for f in found)
    assert any("needs 'emergency'" in f.message for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "If you fall and cannot get up, even with help, call 999 or press your alarm.",
        "If you cannot get up after a fall, call 999 for an ambulance.",
        "Practise getting up from the floor so that you know what to do if you fall.",
        "If you fell asleep and could not get up in time for the session, do it later.",
    ],
)
def test_a_fall_with_999_or_the_way_to_get_up_stays_quiet(tmp_path, text):
    found = sheet_routing(tmp_path, [FALLS_CODING], text)
    assert not any("cannot get up off the floor" in f.message for f in found), found


def test_not_getting_up_without_help_is_left_to_the_trauma_item():
    # The source's 999 is for not getting up even with help; "by yourself" is not it.
    text = "If you fall and cannot get up by yourself, ask a neighbour to help you."
    assert "fall-cannot-get-up" not in named_en(text)
    assert "trauma" in named_en(text)


# -- Concussion symptoms getting worse on a blood thinner (H1662) ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If your concussion symptoms get worse, see your GP.",
        "If the symptoms of your concussion get worse, ring us tomorrow.",
        "Worsening concussion symptoms: mention them at your next visit.",
    ],
)
def test_worse_concussion_on_a_blood_thinner_is_the_emergency(tmp_path, text):
    # Fails without H1662: valid (an assessed concussion was not read).
    found = sheet_routing(tmp_path, [_KNEE, _ANTICOAGULANT], text)
    assert any("while you take a blood thinner" in f.message for f in found), text
    assert any("needs 'emergency'" in f.message for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "If your concussion symptoms get worse, go to A&E straight away.",
        "Your concussion symptoms are not getting worse, so carry on gently.",
        "After your concussion, build up your walking.",
    ],
)
def test_an_assessed_concussion_sent_to_a_and_e_or_not_worse_stays_quiet(tmp_path, text):
    assert sheet_routing(tmp_path, [_KNEE, _ANTICOAGULANT], text) == []


def test_worse_concussion_without_a_blood_thinner_is_not_this_item(tmp_path):
    assert sheet_routing(tmp_path, [_KNEE], "If your concussion symptoms get worse, see your GP.") == []


# -- A falls programme's own words: strength and balance after a fall (H1663) ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Gentle strength exercises for your hips and legs after a fall, to help you feel steadier.",
        "Balance exercises after a fall help you feel steady on your feet.",
        "Exercises to build your strength after a fall.",
    ],
)
def test_a_falls_programme_described_after_a_fall_is_not_the_sign(tmp_path, text):
    # Fails without H1663: the trauma item's 'urgent' (an error on the programme's summary).
    assert "trauma" not in named_en(text)
    assert sheet_routing(tmp_path, [FALLS_CODING], text) == []


@pytest.mark.parametrize(
    "text",
    [
        "If your balance is worse after a fall, tell us next time.",
        "After a fall, if your hip hurts, do your strength exercises and tell us next time.",
        "After a fall, feel unsteady? Tell us next time.",
    ],
)
def test_strength_or_balance_with_a_sign_after_a_fall_is_still_the_trauma_item(tmp_path, text):
    assert "trauma" in named_en(text)
    assert any("needs 'urgent'" in f.message for f in sheet_routing(tmp_path, [FALLS_CODING], text))
