"""Cases of the seventh sitting's clinical review (docs/safety/clinical-review.md, H357 to H359):
a protocol a clinic writes says the same thing in other words than the rules' first examples.
Pain to be ignored: protocol_kit/lint/data/ignore_pain.json (SAFE013); movements a condition
needs care with: protocol_kit/lint/data/condition_movements.json (SAFE012); signs and where
they go: protocol_kit/redflags/red_flags.json (SAFE006)."""

import pytest
from lint_helpers import HIP, OSTEOPOROSIS, PREGNANCY, lint, only, step, stop, treated


@pytest.mark.parametrize(
    "text",
    [
        "Progress through pain.",
        "Push past the pain.",
        "Work into the pain a little each day.",
        "Keep going even if it is sore.",
        "Carry on even though it hurts.",
        "Hold the stretch even if it is painful.",
        "Continue despite the pain.",
        "Keep going regardless of pain.",
        "Stretch until it hurts.",
        "It should hurt a bit: that means it is working.",
        "The more it hurts, the better.",
        "Don't let the pain stop you.",
        "Some pain is fine, keep going.",
        "Go past the point of pain.",
        "Ignore the soreness.",
    ],
)
def test_pain_to_be_ignored_in_the_words_a_clinic_writes(tmp_path, text):
    findings = only(lint(tmp_path, step(text)), "SAFE013")
    assert [f.pointer for f in findings] == ["/exercises/0/steps/2"]


@pytest.mark.parametrize(
    "text",
    [
        "Move only through the pain-free range.",
        "Work through the pain-free range of movement.",
        "Rest until it hurts less.",
        "Never stretch into pain.",
        "Do not carry on even if it only hurts a little.",
        "Stop, even if you have not finished the set.",
        "It should not hurt.",
        "Do not let pain build up: stop and rest.",
        "Stop if you feel pain; never continue despite pain.",
        "Some mild discomfort is common and does not usually mean you are doing harm.",
    ],
)
def test_advice_to_stop_for_pain_is_not_reported(tmp_path, text):
    assert only(lint(tmp_path, step(text)), "SAFE013") == []


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        # Loaded or repeated spinal flexion, and twisting under a load (Sinaki 1984; ROS 2019).
        (OSTEOPOROSIS, "Lift your head and shoulders off the floor."),
        (OSTEOPOROSIS, "Hug both knees into your chest."),
        (OSTEOPOROSIS, "Holding a dumbbell, bend over and touch the floor."),
        (OSTEOPOROSIS, "Reach down towards your toes."),
        (OSTEOPOROSIS, "Slump forwards and let your head drop."),
        (OSTEOPOROSIS, "Roll down through your spine, one vertebra at a time."),
        (OSTEOPOROSIS, "Do a Russian twist with a weight."),
        (OSTEOPOROSIS, "Twist your upper body to the right while holding a weight."),
        # Hip flexion past 90 degrees, adduction across the body (Cochrane hip precautions).
        (HIP, "Bring your right knee up towards your chest."),
        (HIP, "Pull your knee across your body towards the opposite shoulder."),
        (HIP, "Cross your right ankle over your left knee and pull the left thigh towards you."),
        (HIP, "Cross one leg over the other."),
        (HIP, "Squat down as low as you can."),
        (HIP, "Sit on a low stool and lean forwards to reach your feet."),
        (HIP, "Pigeon pose: bring your right knee forward and lay your shin across the mat."),
        # Lying on the back (NHS pregnancy; ACOG 804).
        (PREGNANCY, "Lie down on your back with your knees bent."),
        (PREGNANCY, "Lie on the floor on your back."),
        (PREGNANCY, "Lie face up on the floor."),
        (PREGNANCY, "Lying supine, lift your bottom."),
        (PREGNANCY, "Start on your back, knees bent."),
    ],
)
def test_a_movement_the_condition_needs_care_with_in_other_words(tmp_path, condition, text):
    findings = only(lint(tmp_path, treated(*condition, text)), "SAFE012")
    assert [f.pointer for f in findings] == ["/exercises/0"]


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (OSTEOPOROSIS, "Tilt your pelvis so your lower back flattens onto the floor."),
        (OSTEOPOROSIS, "Bend your knees, feet flat on the floor."),
        (OSTEOPOROSIS, "Hinge forwards from your hips, keeping your back straight."),
        (HIP, "Sit on a high chair with your feet on the floor."),
        (PREGNANCY, "Sit upright with your back against the wall."),
    ],
)
def test_a_safe_movement_needs_no_precaution(tmp_path, condition, text):
    assert only(lint(tmp_path, treated(*condition, text)), "SAFE012") == []


@pytest.mark.parametrize(
    ("text", "needed"),
    [
        ("Stop if you get very short of breath suddenly.", "'emergency'"),
        ("Erectile dysfunction that is new.", "'emergency'"),
        # Exertional syncope: a cardiac cause until shown otherwise (NICE CG109); the NHS
        # tells the patient to call 999 (H431, the ninth sitting's decision).
        ("Stop if you faint.", "'emergency'"),
        ("Fainting or blacking out.", "'emergency'"),
        ("If you pass out during the exercise, tell your therapist.", "'emergency'"),
    ],
)
def test_a_sign_a_clinic_sends_to_the_physiotherapist_is_routed(tmp_path, text, needed):
    findings = only(lint(tmp_path, stop(text)), "SAFE006")
    assert [f.pointer for f in findings] == ["/safety/stop_criteria/0"]
    assert needed in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Dizziness, feeling faint, or feeling much more out of breath than the exercise "
        "should make you.",
        "Feeling dizzy or faint.",
        "You feel like fainting: sit down and rest.",
    ],
)
def test_feeling_faint_stays_with_the_clinician(tmp_path, text):
    assert only(lint(tmp_path, stop(text)), "SAFE006") == []


SADDLE_LATER = "If you notice numbness between your legs, tell your therapist at your next visit."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("purpose", SADDLE_LATER),
        ("starting_position", SADDLE_LATER),
        ("regression", SADDLE_LATER),
        ("common_mistakes", [SADDLE_LATER]),
    ],
)
def test_a_sign_in_any_exercise_text_the_patient_reads_is_routed(tmp_path, field, value):
    # H361: the sheet prints an exercise's purpose, starting position, "Avoid" and easier
    # version; SAFE006 read only its steps and tips.
    findings = only(
        lint(tmp_path, lambda data: data["exercises"][0].__setitem__(field, value)), "SAFE006"
    )
    pointer = f"/exercises/0/{field}" + ("/0" if isinstance(value, list) else "")
    assert [f.pointer for f in findings] == [pointer]
    assert "'emergency'" in findings[0].message


# The examples' emergency red flags as the large-print page 1 had shortened them (H363).
SHORTENED = {
    "ces-saddle-sensation": "Numbness around your genitals or back passage, when you wipe or "
    "during sex, or new erection problems.",
    "ces-bladder-sensation": "Trouble passing urine, not feeling urine pass, leaking, or loss "
    "of bowel control or feeling.",
}


def shortened(item_id):
    def change(data):
        flag = next(f for f in data["safety"]["red_flags"] if item_id in f["covers"])
        flag["text"] = SHORTENED[item_id]

    return change


@pytest.mark.parametrize(
    ("item_id", "left_out"),
    [
        ("ces-saddle-sensation", "tingling or pins and needles and between the legs"),
        ("ces-bladder-sensation", "not feeling the bladder fill"),
    ],
)
def test_a_cauda_equina_sign_shortened_past_the_patient_card_is_reported(
    tmp_path, item_id, left_out
):
    # The UK patient card names tingling and the inner thighs, not only numbness around the
    # genitals; a patient with early, incomplete cauda equina syndrome notices those first.
    findings = only(lint(tmp_path, shortened(item_id)), "SAFE007")
    assert findings, "the shortened red flag passed"
    assert any(f"leave out {left_out}," in f.message for f in findings), findings


def test_signs_named_across_two_red_flags_are_enough(tmp_path):
    def change(data):
        flag = next(f for f in data["safety"]["red_flags"] if "ces-saddle-sensation" in f["covers"])
        flag["text"] = "Numbness between your legs or around your back passage."
        data["safety"]["red_flags"].append(
            {"text": "Tingling around your genitals.", "action": "emergency"}
        )

    assert only(lint(tmp_path, change), "SAFE007") == []


def chest_pain_flag(text, action="emergency"):
    def change(data):
        data["safety"]["red_flags"][0]["text"] = text
        data["safety"]["red_flags"][0]["action"] = action

    return change


@pytest.mark.parametrize(
    ("text", "action", "lower"),
    [
        ("Chest pain or tightness, or sudden breathlessness: ring your physiotherapist.",
         "emergency", "'clinician'"),
        ("Chest pain or tightness, or sudden breathlessness: book an appointment with us.",
         "emergency", "'clinician'"),
        ("Chest pain or tightness, or sudden breathlessness: see your GP.", "emergency",
         "'urgent'"),
    ],
)  # fmt: skip
def test_a_red_flag_whose_own_words_send_the_patient_lower_than_its_box(
    tmp_path, text, action, lower
):
    # H364: the box says "call 999", the item "ring your physiotherapist": two instructions.
    findings = only(lint(tmp_path, chest_pain_flag(text, action)), "SAFE006")
    assert [f.pointer for f in findings] == ["/safety/red_flags/0/action"]
    assert f"send the patient to {lower}" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Chest pain or tightness, or sudden breathlessness: call 999, then tell your therapist.",
        "Chest pain or tightness, or sudden breathlessness, even if it goes away.",
    ],
)
def test_a_red_flag_that_also_names_its_own_level_is_fine(tmp_path, text):
    assert only(lint(tmp_path, chest_pain_flag(text)), "SAFE006") == []
