"""Cases of the fifteenth sitting's clinical review (docs/safety/clinical-review.md, hazards
H709 to H716): an emergency sign whose call waits for the patient to be worried, a medicine
taken for the exercises, a dose written in words without a digit, the sheet's own stop box set
aside, a translation that keeps its "not" and changes its action, chest pain in other words,
lumbar and neck conditions whose codes were in no red-flag family, and an emergency call put
after an activity or to later in the day. Each class has cases a rule must catch and safe
texts it must not."""

import pytest
from lint_helpers import ICD, advice, codes, coding, lint, only, red_flag, step, stop
from test_clinical_thirteenth_sitting import _advice, _flag, _stop
from test_clinical_twelfth_sitting import translated

from protocol_kit.lint.rules._translation_meaning import meaning_lost
from protocol_kit.prescribing.notes import findings_without_protocol

# -- H709: an emergency sign whose call waits for the patient to be worried ---------------------


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness: go to A&E if you are worried."),
        (0, "Chest pain or tightness: call 999 if you are worried about it."),
        (0, "Chest pain: if you are unsure, call 999."),
        (0, "Chest pain: if in doubt, call 999."),
        (1, "New numbness between your legs: go to A&E if you are concerned."),
        (3, "New difficulty passing urine: go to A&E if it bothers you."),
        (9, "New weakness in a leg or foot: call 999 if you're frightened."),
    ],
)
def test_an_emergency_sign_whose_call_waits_for_worry_is_refused(tmp_path, index, text):
    # CKS chest pain and CG95: chest pain that may be cardiac is a 999 call, whatever the
    # patient makes of it; the CES card: an emergency department straight away. A patient who
    # is not worried (a heart attack read as indigestion) does not go.
    findings = only(lint(tmp_path, red_flag(index, text)), "SAFE006")
    assert codes(findings) == [("SAFE006", f"/safety/red_flags/{index}/action")]
    assert "plays it down" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "If you get chest pain, go to A&E if you are worried.",
        "If your face droops, call 999 if you're worried.",
    ],
)
def test_advice_whose_call_for_an_emergency_sign_waits_for_worry_is_refused(tmp_path, text):
    findings = only(lint(tmp_path, advice(text)), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/general_advice/0")]


@pytest.mark.parametrize(
    "change",
    [
        red_flag(0, "Chest pain: call 999, even if you are not worried."),
        red_flag(0, "Chest pain: call 999 even if you are unsure."),
        red_flag(0, "Chest pain: call 999 straight away; if you are unsure, still call."),
        # An urgent sign's ladder: worry is a reason to go higher, not a condition to go.
        red_flag(10, "Back pain with a fever: see a doctor today; call 999 if you are worried."),
        red_flag(13, "Severe pain at night: see a doctor today, or call 111 if you are worried."),
        advice("If you are worried about your back, call the clinic."),
    ],
)
def test_worry_that_escalates_or_names_no_emergency_sign_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


# -- H710: a medicine taken for the exercises ----------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        advice("Take ibuprofen before each session."),
        advice("Take two ibuprofen before each session so you can do the exercises."),
        advice("Take your painkillers so you can do the exercises."),
        advice("Take an anti-inflammatory before you exercise."),
        advice("Before each session, take two paracetamol."),
        advice("Use pain relief to get through the exercises."),
        advice("Take codeine if the pain is bad, then carry on."),
        step("Take paracetamol an hour before you start the exercises."),
    ],
)
def test_a_medicine_taken_for_the_exercises_is_refused(tmp_path, change):
    # The medicine hides the pain the stop box and pain guide are read by; and an NSAID's
    # risks (NG59: stomach, kidneys, heart, age) are weighed for one patient by a prescriber,
    # not printed for every patient on a protocol.
    findings = only(lint(tmp_path, change), "SAFE013")
    assert len(findings) == 1
    assert "ignore pain" in findings[0].message


def test_a_prescription_note_with_a_medicine_for_the_exercises_is_refused():
    note = "Take two ibuprofen before each session so you can finish the exercises."
    findings = list(findings_without_protocol({"notes": [note]}))
    assert [(f.code, f.pointer) for f in findings] == [("RX018", "/notes/0")]


@pytest.mark.parametrize(
    "change",
    [
        advice("Do not take painkillers before the exercises to hide the pain."),
        advice("Keep taking any pain relief your doctor has prescribed."),
        advice("Ask your GP or pharmacist about pain relief."),
        advice("Exercise helps back pain more than painkillers alone."),
        step("If you take aspirin or another blood-thinning medicine, use light pressure."),
    ],
)
def test_medicine_named_without_taking_it_for_the_exercises_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE013") == []


# -- H711: a dose written in words, without a digit ----------------------------------------------


def _progression(text):
    return lambda data: data["exercises"][0].__setitem__("progression", text)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (step("Hold for half an hour."), "half an hour"),
        (step("Hold for an hour."), "an hour"),
        (step("Keep going for a couple of hours."), "a couple of hours"),
        (step("Do this a couple of times a day."), "a couple of times a day"),
        (_progression("When this feels easy, hold for a couple of hours."), "a couple of hours"),
    ],
)
def test_a_dose_in_words_is_read(tmp_path, change, words):
    # The minimal exercise is a mobilisation of 2 x 8, once a day: a hold of half an hour is
    # beyond DOSE001's limit and "a couple of times a day" is not the dosage's once.
    findings = only(lint(tmp_path, change), "DOSE005")
    assert len(findings) == 1
    assert words in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        step("Take a minute to settle."),
        step("Rest for a couple of hours if your back aches afterwards."),
        advice("Wait an hour after eating before you exercise."),
        step("Do this once a day."),
        step("Hold for a couple of seconds."),
    ],
)
def test_words_that_are_no_dose_or_the_dose_are_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "DOSE005") == []


def test_half_an_hour_of_walking_is_the_dose_of_an_aerobic_exercise(tmp_path):
    def walking(data):
        exercise = data["exercises"][0]
        exercise["type"] = "aerobic"
        del exercise["dosage"]["repetitions"]
        exercise["dosage"].update({"sets": 1, "duration_seconds": 1800})
        exercise["steps"].append("Walk for half an hour at an easy pace.")

    assert only(lint(tmp_path, walking), "DOSE005") == []


# -- H712: the sheet's own stop box set aside ----------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        advice("You can ignore the stop box if you are used to exercise."),
        advice("The warning signs above do not apply to you."),
        advice("Experienced exercisers can skip the pain guide."),
        step("The red flags don't matter for this gentle exercise."),
    ],
)
def test_the_stop_box_set_aside_is_refused(tmp_path, change):
    findings = only(lint(tmp_path, change), "SAFE013")
    assert len(findings) == 1


@pytest.mark.parametrize(
    "change",
    [
        advice("Never ignore the warning signs above."),
        advice("If the warning signs do not apply to you, start gently."),
        advice("If none of the warning signs apply to you, you can start the exercises."),
        advice("Read the stop box before you start."),
    ],
)
def test_the_stop_box_read_or_screened_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE013") == []


# -- H713: a translation that keeps its "not" and changes its action ----------------------------


@pytest.mark.parametrize(
    ("where", "english", "french", "said"),
    [
        (_stop, "Stop if you feel dizzy.", "Continuez si vous avez des vertiges.", "stop"),
        (_advice, "Stop and rest.", "Continuez.", "stop"),
        (_flag, "Go to A&E straight away.", "Allez aux urgences demain.", "straight away"),
        (_flag, "Call 999 straight away.", "Appelez le 999 plus tard.", "straight away"),
        (_flag, "Chest pain: call 999.", "Douleur thoracique : appelez le 999 demain.", "later"),
    ],
)
def test_a_translation_that_changes_its_action_is_reported(tmp_path, where, english, french, said):
    findings = only(lint(tmp_path, translated(where, english, french)), "SAFE015")
    assert len(findings) == 1
    assert findings[0].pointer.endswith("/fr")
    assert said in findings[0].message


@pytest.mark.parametrize(
    ("where", "english", "french"),
    [
        (_stop, "Stop if you feel dizzy.", "Arrêtez si vous avez des vertiges."),
        (
            _advice,
            "Stopping when the pain becomes sharp protects your back.",
            "S'arrêter quand la douleur devient vive protège votre dos.",
        ),
        (_flag, "Go to A&E straight away.", "Allez immédiatement aux urgences."),
        (_flag, "Call 999 straight away.", "Appelez le 999 tout de suite."),
        (
            _advice,
            "If it has not settled by the next morning, contact your therapist.",
            "Si elle n'a pas disparu le lendemain matin, contactez votre kinésithérapeute.",
        ),
    ],
)
def test_a_translation_that_keeps_its_action_is_no_finding(tmp_path, where, english, french):
    assert only(lint(tmp_path, translated(where, english, french)), "SAFE015") == []


@pytest.mark.parametrize(
    ("source", "own", "text", "language", "lost"),
    [
        ("Stop and call 999.", "en-GB", "Deténgase y llame al 999.", "es", False),
        ("Stop and call 999.", "en-GB", "Siga y llame al 999.", "es", True),
        ("Call 999 immediately.", "en-GB", "Rufen Sie sofort 999 an.", "de", False),
        ("Call 999 immediately.", "en-GB", "Rufen Sie morgen 999 an.", "de", True),
        # A text left untranslated keeps the original's words.
        (
            "Stop and call 999 straight away.",
            "en-GB",
            "Stop and call 999 straight away.",
            "fr",
            False,
        ),
        # A language without words is not compared.
        ("Stop and call 999.", "en-GB", "Jatka ja soita 999.", "fi", False),
    ],
)
def test_the_action_words_are_read_per_language(source, own, text, language, lost):
    assert (meaning_lost(source, own, text, language) is not None) is lost


# -- H714: chest pain in other words -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you get pain around your heart, tell your physiotherapist.",
        "If your heart hurts, stop and rest.",
        "A tight chest during exercise: slow down and tell your therapist.",
        "If you feel a heavy chest, sit down until it passes.",
    ],
)
def test_chest_pain_in_other_words_sent_to_the_clinician_is_refused(tmp_path, text):
    findings = only(lint(tmp_path, advice(text)), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/general_advice/0")]


@pytest.mark.parametrize(
    "change",
    [
        step("Stretch your tight chest muscles gently."),
        step("Feel a gentle stretch across your chest."),
        advice("Your heart rate will go up a little: that is normal."),
    ],
)
def test_the_chest_and_the_heart_named_without_pain_are_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


# -- H715: lumbar and neck conditions whose codes were in no red-flag family ---------------------


def _treats_without_cauda_equina_flags(code, display):
    def change(data):
        data["indications"] = [coding(ICD, code, display)]
        flags = data["safety"]["red_flags"]
        data["safety"]["red_flags"] = flags[:1] + flags[10:]  # chest pain, the urgent four

    return change


@pytest.mark.parametrize(
    ("code", "display"),
    [
        ("M47.896", "Other spondylosis, lumbar region"),
        ("M47.897", "Other spondylosis, lumbosacral region"),
        ("M43.06", "Spondylolysis, lumbar region"),
        ("M53.2X6", "Spinal instabilities, lumbar region"),
        ("M53.86", "Other specified dorsopathies, lumbar region"),
        ("M47.892", "Other spondylosis, cervical region"),
        ("M53.2X2", "Spinal instabilities, cervical region"),
    ],
)
def test_a_spinal_condition_of_the_lumbar_or_neck_region_needs_its_red_flags(
    tmp_path, code, display
):
    findings = only(lint(tmp_path, _treats_without_cauda_equina_flags(code, display)), "SAFE005")
    assert findings, f"{code} should require its region's red flags"


def test_a_condition_outside_the_spine_needs_only_chest_pain(tmp_path):
    # An elbow: a knee has its own set since H1640.
    change = _treats_without_cauda_equina_flags("M77.11", "Lateral epicondylitis, right elbow")
    assert only(lint(tmp_path, change), "SAFE005") == []


def test_the_examples_stop_box_still_passes(tmp_path):
    # The starting texts' stop criterion: no new word reads it as set aside or put off.
    change = stop("Sharp pain, or pain that rises into the red band.")
    assert only(lint(tmp_path, change), "SAFE013") == []


# -- H716: an emergency call put after an activity, or to later in the day -----------------------


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness: call 999 after your cool-down."),
        (0, "Chest pain or tightness: call 999 once you get home."),
        (0, "Chest pain: cool down slowly, then call 999."),
        (0, "Chest pain: phone a friend or family member, then call 999."),
        (0, "Chest pain: check your symptoms online, then call 999 if needed."),
        (3, "New difficulty passing urine: call 999 when you can."),
        (3, "New difficulty passing urine: go to A&E when it suits you."),
        (3, "New difficulty passing urine: go to A&E this evening."),
        (3, "New difficulty passing urine: go to A&E after work."),
        (3, "New difficulty passing urine: go to A&E at the weekend."),
    ],
)
def test_an_emergency_call_put_after_an_activity_or_later_is_refused(tmp_path, index, text):
    # CKS chest pain, CG95: 999 now; the CES card: an emergency department straight away.
    findings = only(lint(tmp_path, red_flag(index, text)), "SAFE006")
    assert codes(findings) == [("SAFE006", f"/safety/red_flags/{index}/action")]


@pytest.mark.parametrize(
    "text",
    [
        "If you get chest pain on your walk, call 999 when you get home.",
        "If you get chest pain while walking, finish your walk and then call 999.",
        "If your speech becomes slurred, lie down and rest, then call 999.",
    ],
)
def test_advice_that_puts_an_emergency_call_after_an_activity_is_refused(tmp_path, text):
    findings = only(lint(tmp_path, advice(text)), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/general_advice/0")]


@pytest.mark.parametrize(
    "change",
    [
        red_flag(0, "Chest pain: stop, tell someone nearby, then call 999."),
        red_flag(0, "Chest pain: stop and ask someone to call 999 for you."),
        red_flag(3, "New difficulty passing urine: go to A&E straight away, even at the weekend."),
        red_flag(0, "Chest pain: do not finish your walk; call 999."),
        advice("If you get chest pain on your walk, do not wait until you get home: call 999."),
        # An urgent sign may be seen tonight or at the weekend by 111.
        red_flag(10, "Back pain with a fever: see a doctor today, or call 111 tonight."),
        red_flag(10, "Back pain with a fever: see a doctor today; at the weekend, call 111."),
        advice("Finish each session with the cool-down, then write your pain score in your log."),
        advice("When you get home, do the stretches again."),
    ],
)
def test_an_emergency_call_now_and_ordinary_plans_are_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []
