"""Hidden cases of the thirtieth sitting's second clinical review (docs/safety/clinical-review.md,
"### Hidden cases (s36-clinical2)", hazards H1265-H1268), on the condition sets the first review
did not try: an Achilles tendon's sudden pain "as if kicked" in the calf, or a snap, then not able
to walk normally or put weight on it, is a torn tendon; a foot gone cold, pale or numb "after you
twist your ankle" (the injury told as a verb) is the injury's emergency; a calf that aches or
throbs and is hot, or a leg gone "puffy", in a boot is a clot's sign, but a warm bath or keeping
a cramp warm is not; redness or heat spreading around a scar is an infected wound, but spreading
a cream over it is not."""

import pytest
from lint_helpers import HIP_REPLACEMENT_CODING as _HIP_REPLACEMENT
from lint_helpers import ICD, advice_routing, coding
from lint_helpers import KNEE_REPLACEMENT_CODING as _KNEE_REPLACEMENT

_ACHILLES = coding(ICD, "M76.62", "Achilles tendinitis, left leg")
_ACHILLES_INJURY = coding(ICD, "S86.011A", "Strain of right Achilles tendon, initial encounter")
_ANKLE = coding(ICD, "M25.571", "Pain in right ankle and joints of right foot")


def _needs(condition: dict[str, str], text: str, tmp_path, summary: str, action: str) -> None:
    [found] = advice_routing(tmp_path, condition, text)
    assert summary in found.message
    assert f"needs '{action}'" in found.message


# -- A torn Achilles tendon in Bupa's and Cambridge's words (H1265) ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you feel a sudden sharp pain in your calf as if you had been hit, and cannot walk "
        "normally, see your GP next week.",
        "If your heel suddenly gives a crack and you can't put weight on it, rest and ice it.",
        "If you feel a sudden twang in your calf and then cannot walk properly, put ice on it and "
        "tell us next week.",
    ],
)
def test_a_sudden_pain_in_the_calf_then_not_walking_normally_needs_the_emergency_department(
    tmp_path, text
):
    _needs(
        _ACHILLES, text, tmp_path, "a sudden snap or bang at the back of your ankle", "emergency"
    )


@pytest.mark.parametrize(
    "text",
    [
        "If you get a sudden sharp pain in your calf during the hops and cannot walk normally "
        "afterwards, call 999 or go to A&E.",
        "Heel pain can come on suddenly after a long walk; if you cannot walk normally the next "
        "morning, rest for a day.",
        "Your calves may feel like you have been kicked the day after your first session; this is "
        "normal muscle soreness.",
        "Heel pain is often sharp with your first steps in the morning; you may not want to put "
        "full weight on it at first.",
        "If you cannot yet climb the stairs normally, go up one step at a time.",
    ],
)
def test_an_achilles_sheet_s_everyday_advice_or_the_sign_sent_right_is_valid(tmp_path, text):
    assert advice_routing(tmp_path, _ACHILLES, text) == []


# -- A foot gone cold, pale or numb after an injury told as a verb (H1266) ---------------------


@pytest.mark.parametrize(
    "text",
    [
        "If your foot goes cold and white after you twist your ankle, see your GP.",
        "If your toes go numb or cold after you go over on your ankle, see your GP in a few days.",
        "If your foot turns pale after you sprain your ankle, ring us tomorrow.",
    ],
)
def test_a_cold_pale_or_numb_foot_after_you_twist_it_needs_the_emergency_department(tmp_path, text):
    _needs(_ANKLE, text, tmp_path, "is numb, cold to the touch or pale", "emergency")


@pytest.mark.parametrize(
    "text",
    [
        "After you sprain your ankle, ice it for 15 minutes; it may feel numb from the cold.",
        "If your foot goes numb after you fall asleep on the sofa, move it and it will pass.",
        "If your foot feels cold after you roll your ankle in circles, put on warm socks.",
        "After you twist your ankle, the skin may look bruised and feel warm.",
    ],
)
def test_ice_sleep_or_an_ankle_circle_is_no_injury_s_emergency(tmp_path, text):
    assert advice_routing(tmp_path, _ANKLE, text) == []


# -- A clot in a leg in a boot, in the NHS's words for its pain; a warm bath is none (H1267) -----


@pytest.mark.parametrize(
    "text",
    [
        "If your calf aches and feels hot in the boot, tell us at your next visit.",
        "If your leg goes puffy and painful in the cast, mention it at your next appointment.",
    ],
)
def test_an_aching_hot_calf_or_a_puffy_leg_in_a_boot_needs_a_doctor_the_same_day(tmp_path, text):
    _needs(_ACHILLES_INJURY, text, tmp_path, "signs of a blood clot in a leg", "urgent")


@pytest.mark.parametrize(
    "text",
    [
        "If your calf is sore after the exercise, a warm bath may help.",
        "If your calf aches after the exercises, a warm shower may help.",
        "If your calf cramps, stretch it and keep it warm.",
        "If your leg aches, warm up more before you start.",
    ],
)
def test_a_warm_bath_or_keeping_a_cramp_warm_is_no_clot(tmp_path, text):
    assert advice_routing(tmp_path, _ACHILLES_INJURY, text) == []


# -- Redness or heat spreading around a scar is an infected wound (H1268) ----------------------


@pytest.mark.parametrize("condition", [_KNEE_REPLACEMENT, _HIP_REPLACEMENT])
def test_redness_spreading_around_a_scar_needs_a_doctor_the_same_day(tmp_path, condition):
    text = (
        "If the skin around your scar goes red and hot and spreads, tell us at your next session."
    )
    _needs(condition, text, tmp_path, "signs of an infected wound", "urgent")


@pytest.mark.parametrize(
    "text",
    [
        "Once your scar has healed, spread a little moisturiser over it each day.",
        "Massage the cream into your scar, spreading it in small circles.",
        "Your scar may look red for several months; this is normal and will fade.",
        "Spread the ice pack over the knee, not only the scar.",
    ],
)
def test_spreading_a_cream_over_a_healed_scar_is_no_infection(tmp_path, text):
    assert advice_routing(tmp_path, _KNEE_REPLACEMENT, text) == []


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (
            _ACHILLES,
            "If your heel suddenly gives a crack and you can't put weight on it, go to A&E "
            "straight away.",
        ),
        (
            _ANKLE,
            "If your foot goes cold and white after you twist your ankle, call 999 or go to A&E.",
        ),
        (
            _ACHILLES_INJURY,
            "If your calf aches and feels hot in the boot, see a doctor the same day or call 111.",
        ),
        (
            _KNEE_REPLACEMENT,
            "If the skin around your scar goes red and hot and spreads, see a doctor "
            "the same day or call 111.",
        ),
    ],
)
def test_each_newly_read_sign_sent_where_it_belongs_is_valid(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


# -- A fall told as a verb, then no weight: a broken hip, leg or ankle (H1269) ------------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (
            _KNEE_REPLACEMENT,
            "If you have a fall and cannot put weight on your leg, see a doctor the same day or "
            "call 111.",
        ),
        (
            _HIP_REPLACEMENT,
            "If you fall and cannot stand on your leg afterwards, see a doctor the same day or "
            "call 111.",
        ),
    ],
)
def test_a_fall_then_no_weight_on_the_leg_needs_the_emergency_department(tmp_path, condition, text):
    _needs(condition, text, tmp_path, "signs that your hip or leg is broken", "emergency")


@pytest.mark.parametrize(
    "text",
    [
        "If you fall and cannot put weight on your foot, see a doctor the same day.",
        "If your child falls and can't put weight on their foot, see your GP next week.",
    ],
)
def test_a_fall_then_no_weight_on_the_foot_needs_the_emergency_department(tmp_path, text):
    _needs(_ANKLE, text, tmp_path, "signs of a broken bone after a new fall", "emergency")


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (
            _HIP_REPLACEMENT,
            "If you fall and then cannot put weight on your leg, call 999 and try not to move.",
        ),
        (_ANKLE, "If you fall and cannot put weight on your ankle, go to A&E."),
        (
            _KNEE_REPLACEMENT,
            "If you fall asleep and cannot stand straight away, sit for a moment first.",
        ),
    ],
)
def test_a_fall_sent_to_999_or_falling_asleep_is_valid(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


# -- Sudden breathlessness and chest pain in plain words (H1270, H1271) -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you suddenly can't catch your breath, sit down and rest until it passes.",
        "If your chest hurts, rest and see how you feel.",
    ],
)
def test_suddenly_no_breath_or_a_chest_that_hurts_needs_the_emergency_department(tmp_path, text):
    _needs(_KNEE_REPLACEMENT, text, tmp_path, "chest pain, pressure or tightness", "emergency")


@pytest.mark.parametrize(
    "text",
    [
        "Open your chest so your shoulders don't hurt.",
        "If you cannot catch your breath during a brisk walk, slow down until you can talk.",
        "If you suddenly cannot get your breath, call 999.",
    ],
)
def test_breathing_on_a_brisk_walk_or_an_open_chest_is_no_emergency(tmp_path, text):
    assert advice_routing(tmp_path, _KNEE_REPLACEMENT, text) == []


# -- "Fall" in another sense is no accident (H1272) ---------------------------------------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (
            _KNEE_REPLACEMENT,
            "You may not be able to walk far at first; if you fall behind with "
            "the exercises, do what you can.",
        ),
        (_KNEE_REPLACEMENT, "If you fall into the habit of skipping a day, set a reminder."),
        (_ANKLE, "If you fall behind with the exercises, start again at the first level."),
        (
            coding(ICD, "Z33.1", "Pregnant state, incidental"),
            "If you fall pregnant again, tell your physio.",
        ),
    ],
)
def test_falling_behind_into_a_habit_or_pregnant_is_no_accident(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []
