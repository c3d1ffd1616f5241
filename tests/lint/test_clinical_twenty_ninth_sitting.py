"""Cases of the twenty-ninth sitting's clinical review (docs/safety/clinical-review.md, hazards
H1176-H1181): a broken toe or finger is not a broken leg; "broken", "cracked" and "popped"
said of skin, a nail, a blister or sleep are no broken bone or torn tendon; severe knee pain
after a fall is a same-day sign on a knee without a replacement and an emergency on a sheet
after a joint replacement; "you think your leg is broken" is read as "you think you have broken
your leg"; a position an exercise avoids is no limb out of shape; a torn Achilles tendon is
read in either order of its words."""

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import HIP_REPLACEMENT_CODING as _HIP_REPLACEMENT
from lint_helpers import ICD, advice_routing, coding
from lint_helpers import KNEE_REPLACEMENT_CODING as _KNEE_REPLACEMENT

_ANKLE = coding(ICD, "S93.401A", "Sprain of unspecified ligament of right ankle, initial encounter")
_ACHILLES = coding(ICD, "M76.61", "Achilles tendinitis, right leg")
_KNEE_PAIN = coding(ICD, "M25.561", "Pain in right knee")


# -- A toe or a finger is not a broken leg (H1176) ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you think you have broken a bone in your toe, tape it to the next toe and see your "
        "GP if it is no better in a few days.",
        "You may have broken the bone of your little finger: go to a minor injuries unit today.",
        "If you tripped and heard a snap in your toe, tape it to the next toe.",
    ],
)
def test_a_broken_toe_or_finger_is_not_sent_to_the_emergency_department(tmp_path, text):
    # The NHS's broken toe page: cared for at home, the GP if it gets worse; its broken finger
    # page: 111 or an urgent treatment centre. Only a toe or finger out of shape, numb, blue or
    # with bone showing goes to A&E (fracture-emergency, injury-numb-cold: still read).
    assert advice_routing(tmp_path, _ANKLE, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "If you think you have broken a bone in your foot, see your GP this week.",
        "If you tripped and your toe is now bent at an odd angle, see your GP this week.",
        "If you went over on your ankle and heard a crack, see your GP this week.",
    ],
)
def test_a_foot_and_a_toe_out_of_shape_still_need_the_emergency_department(tmp_path, text):
    [found] = advice_routing(tmp_path, _ANKLE, text)
    assert "needs 'emergency'" in found.message


# -- "You think your leg is broken" (H1179) ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you think your leg is broken, call the clinic.",
        "If you think a bone in your wrist is broken, see your GP this week.",
        "If you think the bone around your new knee may be broken, call the clinic.",
    ],
)
def test_a_bone_said_to_be_broken_the_other_way_round_needs_the_emergency_department(
    tmp_path, text
):
    [found] = advice_routing(tmp_path, _ANKLE, text)
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Your ankle may be stiff for a few weeks, but it is not broken.",
        "You may do these exercises even though your ankle was broken last year.",
        "If you think a bone in your toe is broken, tape it to the next toe.",
    ],
)
def test_a_bone_not_broken_or_broken_long_ago_is_no_sign(tmp_path, text):
    assert advice_routing(tmp_path, _ANKLE, text) == []


# -- Broken skin, a popped blister, broken sleep (H1177) ----------------------------------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (_KNEE_REPLACEMENT, "Do not kneel on broken skin near your new knee until it has healed."),
        (_KNEE_REPLACEMENT, "If the skin is broken near the knee, cover it and call the clinic."),
        (_KNEE_REPLACEMENT, "Broken sleep is common around a knee replacement."),
        (_ACHILLES, "Cracked skin at the back of your heel: use a moisturising cream."),
        (_ACHILLES, "Do not pop a blister at the back of your heel; cover it with a plaster."),
    ],
)
def test_broken_skin_a_popped_blister_and_broken_sleep_are_no_broken_bone_or_torn_tendon(
    tmp_path, condition, text
):
    assert advice_routing(tmp_path, condition, text) == []


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (_ACHILLES, "A sudden snap at the back of your heel, as if kicked: call the clinic."),
        (
            _KNEE_REPLACEMENT,
            "After a fall, if you think the bone near your new knee is broken, call the clinic.",
        ),
    ],
)
def test_a_snap_at_the_heel_and_a_broken_bone_by_the_knee_still_need_the_emergency_department(
    tmp_path, condition, text
):
    found = advice_routing(tmp_path, condition, text)
    assert found and all("needs 'emergency'" in f.message for f in found)


# -- Severe knee pain after a fall (H1178) ------------------------------------------------------

_KNEE_FALL_SAME_DAY = (
    "After a fall, if you have severe pain in your knee, see a doctor the same day or call 111."
)


def test_severe_knee_pain_after_a_fall_is_same_day_on_a_knee_not_replaced(tmp_path):
    # The NHS knee pain page (as summarised) sends a very painful knee after an injury to 111
    # or an urgent treatment centre the same day; East Lancashire's trust page sends to A&E or
    # the GP only a leg that cannot take weight, a knee that gives way or locks, or a fast
    # swelling. Not being able to stand or take weight is still the emergency's.
    assert advice_routing(tmp_path, _KNEE_PAIN, _KNEE_FALL_SAME_DAY) == []
    [lower] = advice_routing(
        tmp_path, _KNEE_PAIN, "After a fall, severe pain in your knee: call the clinic."
    )
    assert "needs 'urgent'" in lower.message
    [weight] = advice_routing(
        tmp_path, _KNEE_PAIN, "After a fall, if you cannot put weight on your leg, see your GP."
    )
    assert "needs 'emergency'" in weight.message


@pytest.mark.parametrize("condition", [_KNEE_REPLACEMENT, _HIP_REPLACEMENT])
def test_severe_knee_or_thigh_pain_after_a_fall_is_an_emergency_after_a_joint_replacement(
    tmp_path, condition
):
    # ORUK: the bone around a replaced joint breaks mostly in a fall, and the patient is
    # admitted as an emergency; the broken leg page: A&E at once.
    [found] = advice_routing(tmp_path, condition, _KNEE_FALL_SAME_DAY)
    assert found.pointer.startswith("/safety/general_advice/")
    assert "needs 'emergency'" in found.message


# -- A position to avoid is no deformity (H1180) ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Keep your toes pointing forwards, not turned out at an odd angle.",
        "Do not let your knee fall in at an odd angle as you lower.",
        "Don't let your wrist bend at an odd angle on the mat.",
    ],
)
def test_a_position_the_exercise_avoids_is_no_limb_out_of_shape(tmp_path, text):
    # An exercise's cue: the odd angle is one the patient is told not to take, not a limb
    # bent out of shape by an injury.
    assert advice_routing(tmp_path, _BACK, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Do not move your leg if it is at an odd angle; see your GP.",
        "Do not wait: if your ankle is at an odd angle after a fall, call the clinic.",
    ],
)
def test_a_limb_at_an_odd_angle_still_needs_the_emergency_department(tmp_path, text):
    found = advice_routing(tmp_path, _BACK, text)
    assert found and all("needs 'emergency'" in f.message for f in found)


# -- A torn Achilles tendon in the other order (H1181) ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you feel a sudden pain at the back of your ankle like someone kicked you, see your "
        "GP this week.",
        "If you can't go up on your toes any more after feeling a pop, call the clinic.",
    ],
)
def test_a_torn_achilles_tendon_said_the_other_way_round_needs_the_emergency_department(
    tmp_path, text
):
    # Bupa: a snap or pop, as if kicked in the back of the leg, then not able to stand on
    # tiptoe: straight to A&E. The item read the kick before the place and the pop before the
    # tiptoe only.
    [found] = advice_routing(tmp_path, _ACHILLES, text)
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "If you cannot stand on tiptoe yet after your operation, hold a chair.",
        "If you cannot rise onto your toes after a week of exercises, tell your therapist.",
        "Rest the back of your heel on a cushion, like a pillow.",
    ],
)
def test_tiptoe_as_a_dose_and_the_heel_at_rest_are_no_torn_tendon(tmp_path, text):
    assert advice_routing(tmp_path, _ACHILLES, text) == []
