"""Cases of the thirtieth sitting's clinical review (docs/safety/clinical-review.md, hazards
H1230-H1235): an accident told as the patient's past ("whiplash after a car accident", "a fall
last year") is no new one; a fall told as how an injury happened ("after a sudden fall onto
your shoulder") is no drop attack; on a pregnancy sheet a problem with the eyes, bad pain
below the ribs and blood "from down below" are read without a word for the pregnancy;
"wipe down the mat" is no numbness when wiping; a new ankle injury in a patient's words
("went over on it", "it gave way") then not able to take weight is a suspected broken bone;
"a headache, the worst you have ever had" is the stroke's sudden severe headache; sex named
without a change of feeling or function ("you can return to sex when you feel ready") is no
cauda equina sign; a gym partner "spotting you" is no bleed, nor a roll of toilet paper numbness
when wiping; a pillow between the legs, a bike saddle, fluid retention and slow bowels are no
cauda equina sign; weight lost on purpose, weak muscles to strengthen and clumsy crutches are
no red flag."""

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import HIP_REPLACEMENT_CODING as _HIP_REPLACEMENT
from lint_helpers import ICD, advice_routing, coding
from lint_helpers import KNEE_REPLACEMENT_CODING as _KNEE_REPLACEMENT
from lint_helpers import MID_BACK_CODING as _MID_BACK
from lint_helpers import PREGNANCY_CODING as _PREGNANCY

_NECK = coding(ICD, "M54.2", "Cervicalgia")
_WHIPLASH = coding(ICD, "S13.4XXA", "Sprain of ligaments of cervical spine, initial encounter")
_SHOULDER = coding(ICD, "M75.01", "Adhesive capsulitis of right shoulder")
_ANKLE = coding(ICD, "S93.401A", "Sprain of unspecified ligament of right ankle, initial encounter")


# -- An accident told as the patient's past is no new one (H1230) -----------------------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (_WHIPLASH, "Whiplash after a car accident usually gets better within a few weeks."),
        (_NECK, "Whiplash after a car accident usually gets better; keep your neck moving."),
        (_MID_BACK, "Back pain after a fall last year may take time to settle."),
        (_BACK, "Your back pain after a fall two years ago may flare up now and then."),
    ],
)
def test_an_accident_told_as_the_patient_s_past_is_no_new_one(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


@pytest.mark.parametrize(
    "text",
    [
        # A new, further or worse event in the same sentence is still the sign.
        "Whiplash after a car accident usually gets better, but if you have another accident "
        "and your neck hurts more, mention it at your next session.",
        "After a car accident, if your neck pain is worse, mention it at your next session.",
        "If you have new neck pain after a fall, mention it at your next session.",
        # A recent fall, or one not told as the past, is not history (NG59: recent trauma).
        "Your neck pain after a fall last week should settle with these exercises.",
        "Pain after a fall usually settles, so carry on with your exercises.",
    ],
)
def test_a_new_or_recent_accident_still_needs_a_doctor_the_same_day(tmp_path, text):
    [found] = advice_routing(tmp_path, _NECK, text)
    assert "after a new fall, knock or accident" in found.message
    assert "needs 'urgent'" in found.message


# -- A fall told as how an injury happened is no drop attack (H1231) ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "After a sudden fall onto your shoulder, see a doctor the same day.",
        "If you have a sudden fall down the stairs and your back pain is new, see a doctor the "
        "same day or call 111.",
    ],
)
def test_a_fall_told_as_the_cause_of_an_injury_is_no_drop_attack(tmp_path, text):
    assert advice_routing(tmp_path, _SHOULDER, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "If you have a sudden fall, tell your physio next time.",
        "If you suddenly fall down without warning, mention it at your next session.",
        "If you suddenly collapse, tell your physio.",
    ],
)
def test_a_sudden_fall_as_the_sign_itself_still_needs_the_emergency_department(tmp_path, text):
    [found] = advice_routing(tmp_path, _NECK, text)
    assert "artery in the neck" in found.message and "needs 'emergency'" in found.message


# -- A pregnancy's signs without a word for the pregnancy, on a pregnancy sheet (H1232) --------


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("If your vision goes blurry, sit down and rest until it passes.", "pre-eclampsia"),
        ("If you get flashing lights in front of your eyes, rest and take paracetamol.",
         "pre-eclampsia"),
        ("If you get severe pain just below your ribs, rest and see your GP next week.",
         "pre-eclampsia"),
        ("If you lose any blood from down below, see your GP.", "any bleeding or spotting"),
        ("If you notice spots of blood in your pants, mention it at your next session.",
         "any bleeding or spotting"),
    ],
)  # fmt: skip
def test_a_pregnancy_s_sign_in_plain_words_needs_the_maternity_unit(tmp_path, text, item):
    [found] = advice_routing(tmp_path, _PREGNANCY, text)
    assert item in found.message and "needs 'maternity'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        # The moment's blur of standing up quickly (twenty-fourth sitting).
        "If you stand up too quickly your vision may go blurry for a second: get up slowly.",
        # Rib pain without the sources' "bad" or "severe": the growing bump's ache.
        "If you get pain just below your ribs, try sitting more upright.",
        "If your vision goes blurry, you see flashing lights or you lose any blood from down "
        "below, call your maternity unit straight away, day or night.",
    ],
)
def test_a_moment_s_blur_a_rib_ache_or_a_sign_sent_right_is_valid(tmp_path, text):
    assert advice_routing(tmp_path, _PREGNANCY, text) == []


@pytest.mark.parametrize("condition", [_BACK, _NECK])
def test_blood_from_down_below_or_a_blur_is_no_midwife_s_sign_on_another_sheet(tmp_path, condition):
    # On a back sheet "down below" is the back passage as often; a blur is not pre-eclampsia.
    for text in (
        "If you notice blood from down below, mention it at your next session.",
        "If your vision goes blurry, sit down and rest until it passes.",
    ):
        found = advice_routing(tmp_path, condition, text)
        assert not any("pregnant" in f.message for f in found)


# -- "Wipe" of a mat, a band or sweat is no numbness when wiping (H1233) -----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wipe down the mat after use.",
        "Wipe the sweat from your face and have a drink of water.",
        "Wipe your band clean and keep it out of the sun.",
    ],
)
def test_wiping_a_thing_is_no_sign_of_cauda_equina(tmp_path, text):
    assert advice_routing(tmp_path, _BACK, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "If you cannot feel the toilet paper when you wipe, mention it at your next session.",
        "Less feeling when you wipe yourself after the toilet: mention it next session.",
        "If wiping your bottom feels different, tell your physio.",
    ],
)
def test_numbness_when_wiping_still_needs_the_emergency_department(tmp_path, text):
    found = advice_routing(tmp_path, _BACK, text)
    assert found and all("needs 'emergency'" in f.message for f in found)


# -- A new ankle injury in a patient's words, then no weight (H1234) ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you go over on your ankle again and cannot put weight on it, see your GP next week.",
        "If your ankle gives way and you can't put any weight on it, mention it at your next "
        "session.",
        "If you twist your ankle again and can't walk on it, rest it for a week.",
    ],
)
def test_a_new_twist_then_no_weight_is_a_suspected_broken_bone(tmp_path, text):
    [found] = advice_routing(tmp_path, _ANKLE, text)
    assert "signs of a broken bone" in found.message and "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "If your ankle gives way during the balance exercise, hold on to the worktop and try "
        "again.",
        "You may not be able to put much weight on your ankle at first; use your crutches.",
    ],
)
def test_an_ankle_that_gives_way_in_an_exercise_is_no_sign(tmp_path, text):
    assert advice_routing(tmp_path, _ANKLE, text) == []


# -- "A headache, the worst you have ever had" (H1235) -----------------------------------------


def test_the_worst_headache_said_after_the_word_needs_the_emergency_department(tmp_path):
    text = "Is your headache the worst you have ever had? Tell your physio next week."
    [found] = advice_routing(tmp_path, _NECK, text)
    assert "signs of a stroke" in found.message and "needs 'emergency'" in found.message


def test_a_headache_at_its_worst_in_the_morning_is_no_sign(tmp_path):
    text = "If your headache is worst in the morning, do the stretches after lunch."
    assert advice_routing(tmp_path, _NECK, text) == []


# -- Sex named without a change of feeling or function (H1236) ---------------------------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (_BACK, "You can return to sex when you feel ready."),
        (_BACK, "Sex may be uncomfortable for a while; try lying on your side."),
        (_BACK, "Back problems can make sex uncomfortable; try lying on your side."),
        (_HIP_REPLACEMENT, "Sex may be difficult for a few weeks after your operation."),
        (_HIP_REPLACEMENT, "You can usually have sex again after six weeks; lying on your back "
         "is the safest position."),
    ],
)  # fmt: skip
def test_sex_named_without_a_change_is_no_sign_of_cauda_equina(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "If sex feels different or numb, tell your physio next week.",
        "If you notice sexual problems, tell us next time.",
        "Loss of sexual function: tell us next time.",
        "A new change in your sex life, or problems getting an erection: mention it next time.",
    ],
)
def test_a_change_in_sexual_function_still_needs_the_emergency_department(tmp_path, text):
    [found] = advice_routing(tmp_path, _BACK, text)
    assert "sexual function" in found.message and "needs 'emergency'" in found.message


# -- A gym partner spotting you, a roll of toilet paper (H1237) --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ask someone to help by spotting you when you first try the step-ups.",
        "Keep a roll of toilet paper or a towel under your knees for comfort.",
    ],
)
def test_spotting_a_lift_or_a_roll_of_toilet_paper_is_no_sign(tmp_path, text):
    assert advice_routing(tmp_path, _BACK, text) == []


def test_spotting_in_pregnancy_and_not_feeling_the_toilet_paper_are_still_read(tmp_path):
    [spotting] = advice_routing(
        tmp_path, _PREGNANCY, "If you notice any spotting, mention it at your next session."
    )
    assert "needs 'maternity'" in spotting.message
    [paper] = advice_routing(
        tmp_path, _BACK, "If you cannot feel the toilet paper, tell us next time."
    )
    assert "when wiping" in paper.message and "needs 'emergency'" in paper.message


# -- Everyday advice is no cauda equina sign (H1238) -------------------------------------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (_HIP_REPLACEMENT, "Sleep on your back, or on your side with a pillow between your legs."),
        (_PREGNANCY, "When you lie on your side, put a pillow between your legs."),
        (_KNEE_REPLACEMENT, "Set your bike saddle high enough that your knee is only slightly "
         "bent at the bottom."),
        (_PREGNANCY, "Swollen ankles from fluid retention are common in pregnancy; put your "
         "feet up."),
        (_HIP_REPLACEMENT, "Strong painkillers can slow your bowels; drink plenty of water and "
         "eat fibre."),
    ],
)  # fmt: skip
def test_sleeping_cycling_swelling_and_constipation_advice_is_no_sign(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Numbness between your legs: mention it at your next session.",
        "If you lose feeling in the saddle area, tell your physio next week.",
        "If you have urinary retention, tell your physio next week.",
        "If you cannot control your bowels, mention it at your next session.",
        "Constipation with loss of feeling when you open your bowels: tell us next time.",
    ],
)
def test_the_cauda_equina_signs_still_need_the_emergency_department(tmp_path, text):
    found = advice_routing(tmp_path, _BACK, text)
    assert found and all("needs 'emergency'" in f.message for f in found)


# -- Weight lost on purpose, weak muscles to strengthen, clumsy on crutches (H1239) ------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (_BACK, "Losing weight can take some load off your back."),
        (_KNEE_REPLACEMENT, "Losing some weight will ease the load on your new knee."),
        (_BACK, "These exercises strengthen weak muscles in your legs and hips."),
        (_HIP_REPLACEMENT, "You may feel clumsy on your crutches at first; practise with your "
         "physio."),
    ],
)  # fmt: skip
def test_an_aim_of_the_programme_is_no_red_flag(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []


@pytest.mark.parametrize(
    ("condition", "text", "needs"),
    [
        (_BACK, "If you are losing weight without trying, mention it at your next session.",
         "urgent"),
        (_BACK, "If you notice weight loss, tell us next time.", "urgent"),
        (_BACK, "New weakness in your legs: mention it at your next session.", "emergency"),
        (_BACK, "If you feel weak in your legs even after strengthening, tell us next time.",
         "emergency"),
        (_NECK, "If your hands become clumsy, tell us next time.", "emergency"),
    ],
)  # fmt: skip
def test_the_signs_themselves_are_still_read(tmp_path, condition, text, needs):
    found = advice_routing(tmp_path, condition, text)
    assert found and all(f"needs '{needs}'" in f.message for f in found)
