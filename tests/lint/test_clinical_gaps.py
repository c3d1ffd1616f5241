"""Cases of the eighth sitting's clinical review (docs/safety/clinical-review.md): a red flag
played down in its own words (H393: SAFE006, `plays_down` in protocol_kit/redflags/
red_flags.json), twisting under a load named without the word "weight" and the hip movements
the hip precautions name in other words (H395: SAFE012, protocol_kit/lint/data/
condition_movements.json), a step's amount the dosage does not set (H396: DOSE005), pain to
be ignored in more words (H392: SAFE013)."""

import pytest
from lint_helpers import HIP, OSTEOPOROSIS, advice, lint, only, red_flag, step, treated


# The minimal protocol's red flags: 0 chest pain, 3 trouble passing urine, 6 the bowels (all
# emergency), 10 a fever (urgent).
@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness. This is rarely an emergency."),
        (0, "Chest pain or tightness: it is probably muscular."),
        (0, "Chest pain or tightness. Wait to see if it settles before calling."),
        (3, "Trouble passing urine: rest for a day and see if it settles."),
        (6, "Loss of bowel control: try resting first."),
        (6, "Loss of bowel control, which is usually nothing to worry about."),
        (10, "Back pain with a fever: this is not usually serious."),
        (0, "Chest pain or tightness lasting more than an hour."),
    ],
)
def test_a_red_flag_whose_own_words_play_it_down(tmp_path, index, text):
    findings = only(lint(tmp_path, red_flag(index, text)), "SAFE006")
    assert [f.pointer for f in findings] == [f"/safety/red_flags/{index}/action"]
    assert "plays it down" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        advice("Chest pain during exercise is rarely serious, but call 999 if you have it."),
        lambda data: data["delivery"]["education"].append(
            "Chest pain is usually harmless, but if you have it, call 999."
        ),
    ],
)
def test_a_text_that_names_a_sign_and_plays_it_down_though_it_sends_it_right(tmp_path, change):
    findings = only(lint(tmp_path, change), "SAFE006")
    assert len(findings) == 1 and "plays it down" in findings[0].message


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness, even if it goes away. Do not wait to see if it settles."),
        (6, "Loss of bowel control: do not try resting first."),
        (3, "Trouble passing urine, even if it is not painful."),
    ],
)
def test_a_red_flag_that_says_not_to_wait_is_fine(tmp_path, index, text):
    assert only(lint(tmp_path, red_flag(index, text)), "SAFE006") == []


def test_reassurance_that_names_no_sign_is_not_judged(tmp_path):
    change = advice("Some mild discomfort is common and is rarely a sign of anything serious.")
    assert only(lint(tmp_path, change), "SAFE006") == []


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        # Twisting under a load, the load named as a clinic writes it (Sinaki 1984; ROS 2019).
        (OSTEOPOROSIS, "Holding a full shopping bag in each hand, turn your body to each side."),
        (OSTEOPOROSIS, "Rotate your trunk from side to side while holding a 5 kg bag."),
        (OSTEOPOROSIS, "Twist from side to side with a loaded barbell on your shoulders."),
        (OSTEOPOROSIS, "Hold a water bottle in both hands and twist your trunk to each side."),
        (OSTEOPOROSIS, "Pull the cable diagonally across your body, rotating your trunk."),
        (OSTEOPOROSIS, "With the resistance band in both hands, twist your upper body away."),
        # Turning the hip inwards, deep bending (Cochrane hip precautions).
        (HIP, "Turn your right foot inwards as far as it goes."),
        (HIP, "Sit back onto your heels."),
        (HIP, "Bend down to tie your shoe laces."),
        (HIP, "Pick the towel up from the floor."),
    ],
)
def test_a_movement_the_condition_needs_care_with_named_otherwise(tmp_path, condition, text):
    findings = only(lint(tmp_path, treated(*condition, text)), "SAFE012")
    assert [f.pointer for f in findings] == ["/exercises/0"]


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (OSTEOPOROSIS, "Rotate your trunk gently from side to side, without any weights."),
        (OSTEOPOROSIS, "Twist gently with no weight in your hands."),
        (OSTEOPOROSIS, "Hold a 2 kg weight against your chest and stand up."),
        (OSTEOPOROSIS, "Turn your body to face the wall."),
        (HIP, "Turn your head to look over your shoulder."),
        (HIP, "Stand with your feet pointing forwards."),
    ],
)
def test_a_movement_without_the_load_or_the_hip_position_needs_no_precaution(
    tmp_path, condition, text
):
    assert only(lint(tmp_path, treated(*condition, text)), "SAFE012") == []


@pytest.mark.parametrize(
    "text", ["Hold the stretch for 5 minutes.", "Hold each one for three minutes."]
)
def test_a_step_with_an_amount_the_dosage_does_not_set_beyond_the_limit(tmp_path, text):
    # H396: the minimal exercise is dosed in repetitions (2 x 8); a hold in its step was
    # compared with nothing, and the patient reads both.
    findings = only(lint(tmp_path, step(text)), "DOSE005")
    assert [f.pointer for f in findings] == ["/exercises/0/steps/2"]
    assert "beyond the safe limit of 120" in findings[0].message


def test_a_step_with_a_usual_hold_the_dosage_does_not_set_is_fine(tmp_path):
    assert only(lint(tmp_path, step("Hold for 5 seconds at the top.")), "DOSE005") == []


@pytest.mark.parametrize(
    "text",
    [
        "Finish all repetitions no matter what.",
        "Pain during the exercise is a sign it is working.",
        "Hurt does not mean harm, so keep going if it hurts.",
    ],
)
def test_pain_to_be_ignored_in_more_words_a_clinic_writes(tmp_path, text):
    findings = only(lint(tmp_path, step(text)), "SAFE013")
    assert [f.pointer for f in findings] == ["/exercises/0/steps/2"]


@pytest.mark.parametrize(
    "text",
    [
        "Only continue if it hurts less than before.",
        "Do not keep going if it hurts.",
        "Hurt does not always mean harm.",
    ],
)
def test_advice_about_pain_that_is_right_is_not_reported(tmp_path, text):
    assert only(lint(tmp_path, step(text)), "SAFE013") == []
