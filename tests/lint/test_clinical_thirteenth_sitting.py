"""Cases of the thirteenth sitting's clinical review (docs/safety/clinical-review.md, hazards
H650 to H653): pain or a stop sign (dizziness, faintness, numbness) set aside in words the
twelfth sitting's phrases did not read, an emergency sign sent to a place that is not the
emergency department (an urgent treatment centre, the GP surgery, the clinic's answerphone),
a slower place put first or the call made to wait for the sign, and a translation that loses
its "not". Each class has cases a rule must catch and safe texts it must not."""

import pytest
from lint_helpers import advice, codes, lint, only, red_flag, step, stop
from test_clinical_twelfth_sitting import translated

from protocol_kit.lint.rules._negation import drops_negation
from protocol_kit.prescribing.notes import findings_without_protocol

# -- H650: pain, or a stop sign of the sheet, set aside in new words ----------------------------


@pytest.mark.parametrize(
    "change",
    [
        advice("Pain is part of the process: keep at it."),
        advice("Don't worry if it hurts, just keep going."),
        advice("If it hurts, just carry on with the set."),
        advice("No need to stop if the stretch becomes painful, just keep going."),
        advice("If pain shoots down your leg, that is just the nerve stretching: keep going."),
        advice("Shooting pain into your buttock is only the muscle releasing."),
        step("Breathe through any pain and hold the position."),
        advice("Tough it out if the stretch gets painful."),
        advice("A sharp twinge means the stretch is working."),
        step("Stretch past the point of discomfort into pain."),
        step("Work into the sharp pain a little further each day."),
        advice("Pain while you exercise is harmless, so do not stop."),
        advice("Pain is part of getting stronger, so do not stop."),
        advice("Expect sharp pain at first and keep going."),
        step("If pain spreads down your leg, carry on gently."),
        advice("Dizziness during this exercise is normal, just carry on."),
        advice("If you feel faint, keep going, it will pass."),
        advice("If you feel light-headed, carry on and it will pass."),
        advice("If your leg goes numb, keep going."),
    ],
)
def test_pain_or_a_stop_sign_set_aside_is_refused(tmp_path, change):
    # Every example's stop box says sharp or spreading pain, dizziness or feeling faint means
    # stop (practice; NG59: leg symptoms are assessed by the clinician; fainting during
    # exercise is an emergency item): a text that says to go on contradicts it.
    findings = only(lint(tmp_path, change), "SAFE013")
    assert len(findings) == 1
    assert "ignore pain or exercise through it" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        advice("If it hurts less each day, keep going with the programme."),
        advice("If pain rises above 5 out of 10, stop. Otherwise carry on."),
        advice("Don't worry if you cannot do all the repetitions at first: do what you can."),
        advice("If it hurts, stop: do the easier version, and tell your therapist."),
        advice("If the stretch feels painful, ease off to a gentle pull, then continue."),
        advice(
            "If you feel dizzy, stop and sit down until it passes, then carry on if you feel well."
        ),
        advice("If you feel light-headed when you stand up, wait a moment before you continue."),
        advice("If your foot goes numb from sitting on it, change position before you continue."),
        advice("Do not keep going if you feel faint."),
        advice("If you feel numbness, move the ball and continue."),
        advice("If you feel dizzy when you stand, it will pass in a few seconds."),
        advice("If you feel dizzy, sit down, then carry on when it has passed."),
        advice("Pain that spreads down your leg is not normal: stop and tell your therapist."),
        advice("A gentle pull means the stretch is working."),
        advice("Your muscles may feel sore and tired: this means they are working."),
        advice("Some muscle ache after exercise is part of getting stronger and eases in a day."),
        advice("Pain is not a sign of damage, and staying active helps; stop if it becomes sharp."),
        advice("Expect some muscle soreness for a day or two after the first sessions."),
        advice("Some people feel a stretch into the buttock: this is normal, keep it gentle."),
        advice("Tingling in your foot during the nerve slide should fade within a minute."),
        stop("Pain that spreads down your leg, or gets worse, while you exercise."),
    ],
)
def test_ordinary_advice_about_pain_and_stopping_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE013") == []


# -- H651: an emergency sign sent to a place that is not the emergency department --------------


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness: go to a walk-in centre."),
        (0, "Chest pain or tightness: go to an urgent treatment centre."),
        (1, "Numbness between your legs: go to your nearest walk-in centre."),
        (3, "New difficulty passing urine: go to a minor injuries unit."),
        (0, "Chest pain or tightness: ask someone to drive you to your GP surgery."),
        (0, "Chest pain or tightness: phone the surgery."),
        (0, "Chest pain or tightness: let the team know at the clinic."),
        (0, "Chest pain or tightness: leave a message on the clinic answerphone."),
        (0, "Chest pain or tightness: call the helpline number on this sheet."),
        (1, "Numbness between your legs: note it in your log and bring it next time."),
    ],
)
def test_an_emergency_sign_sent_to_a_slower_place_is_refused(tmp_path, index, text):
    # CKS chest pain: call 999; the CES card: go to an emergency department straight away. An
    # urgent treatment centre, walk-in centre, minor injuries unit or the GP surgery is
    # neither, and the clinic's answerphone is slower still.
    findings = only(lint(tmp_path, red_flag(index, text)), "SAFE006")
    assert codes(findings) == [("SAFE006", f"/safety/red_flags/{index}/action")]
    assert "'emergency' box" in findings[0].message and "send the patient to" in findings[0].message


def test_advice_that_sends_an_emergency_sign_to_a_minor_injuries_unit_is_refused(tmp_path):
    change = advice("If you notice numbness in your saddle area, go to the minor injuries unit.")
    findings = only(lint(tmp_path, change), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/general_advice/0")]


# -- H652: the slower place first, or the call made to wait for the sign -----------------------


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness: call your physiotherapist first, then 999 if needed."),
        (0, "Chest pain or tightness: call your GP first; if you cannot reach them, call 999."),
        (0, "Chest pain or tightness: ring the practice first, then call 999."),
        (0, "Chest pain: speak to your GP before you call an ambulance."),
        (9, "New weakness in a leg: ask your pharmacist first."),
        (0, "Chest pain or tightness: call 999 unless it settles within a few minutes."),
        (3, "New difficulty passing urine: call 999 unless it eases within an hour."),
        (0, "Chest pain or tightness: call 999 if the pain is severe."),
    ],
)
def test_a_call_that_waits_for_a_slower_place_or_the_sign_is_refused(tmp_path, index, text):
    # CKS chest pain and CG95 (any chest pain that may be cardiac: 999, however severe), the
    # CES card (any of its signs: the emergency department): the patient acts on the first
    # place named, and "unless it settles" or, for chest pain, "if it is severe" lets them wait.
    findings = only(lint(tmp_path, red_flag(index, text)), "SAFE006")
    assert codes(findings) == [("SAFE006", f"/safety/red_flags/{index}/action")]
    assert "plays it down" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        red_flag(0, "Chest pain or tightness: call 999 first, then tell your physiotherapist."),
        red_flag(0, "Chest pain or tightness: call 999 at once; do not phone the clinic first."),
        red_flag(0, "Chest pain or tightness, even if it seems mild: call 999."),
        red_flag(0, "Chest pain or tightness: call 999 now, do not wait to see if it settles."),
        red_flag(
            3, "New difficulty passing urine: go to A&E straight away, even if it seems minor."
        ),
        red_flag(10, "Back pain with a fever: see your GP today, or call 111."),
        red_flag(10, "Back pain with a fever: go to an urgent treatment centre today or call 111."),
        red_flag(
            10, "Back pain with a fever: see a doctor today; if your surgery is closed, call 111."
        ),
        # An urgent sign may name a slower first step, or the emergency number if it worsens.
        red_flag(10, "Back pain with a fever: see a doctor today; call 999 if it gets worse."),
        red_flag(10, "Back pain with a fever: call 111 first, or see a doctor today."),
        red_flag(10, "Back pain with a fever: see your GP first; if very unwell, call 999."),
        red_flag(10, "Back pain with a fever: call your GP before you call 111."),
        red_flag(12, "New back pain after a fall: see a doctor today, or A&E if it is severe."),
        advice("Call your physiotherapist first if you are unsure whether an exercise suits you."),
        advice("Let your therapist know if the exercises become too easy."),
        advice("Write your pain score in your log after each session."),
        advice("After your hip surgery, ask your surgeon before you bend the hip past 90 degrees."),
    ],
)
def test_the_call_first_and_ordinary_places_are_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


@pytest.mark.parametrize(
    ("note", "code"),
    [
        ("Chest pain: ring the practice first, then call 999 if needed.", "RX015"),
        ("Numbness between your legs: go to your nearest walk-in centre.", "RX015"),
        ("Chest pain: call 999 unless it settles within a few minutes.", "RX015"),
        ("If you feel dizzy during the exercises, carry on, it will pass.", "RX018"),
        ("If it hurts, just keep going.", "RX018"),
    ],
)
def test_a_prescription_note_reads_the_same_words(note, code):
    # The note prints under the clinician's name (H167): it reads the same data as the rules.
    findings = list(findings_without_protocol({"notes": [note]}))
    assert [(f.code, f.pointer) for f in findings] == [(code, "/notes/0")]


def test_a_prescription_note_that_calls_first_is_no_finding():
    notes = ["Call 999 first if you get chest pain, then let us know.", "Bring your log."]
    assert list(findings_without_protocol({"notes": notes})) == []


# -- H653: a translation that loses its "not" ---------------------------------------------------


def _advice(data):
    return data["safety"]["general_advice"][0]


def _stop(data):
    return data["safety"]["stop_criteria"][0]


def _flag(data):
    return data["safety"]["red_flags"][0]["text"]


@pytest.mark.parametrize(
    ("where", "english", "french"),
    [
        (_advice, "Do not bounce.", "Rebondissez doucement."),
        (_advice, "Never hold your breath.", "Retenez votre souffle."),
        (
            _flag,
            "Chest pain: call 999, do not wait.",
            "Douleur thoracique : appelez le 999, attendez.",
        ),
        (_stop, "Pain that does not ease when you rest.", "Douleur qui s'atténue au repos."),
    ],
)
def test_a_translation_that_loses_its_not_is_reported(tmp_path, where, english, french):
    # The same numbers and sentences: SAFE015 compared only those, and the sheet printed in
    # French told the patient to bounce.
    findings = only(lint(tmp_path, translated(where, english, french)), "SAFE015")
    assert len(findings) == 1
    assert findings[0].pointer.endswith("/fr") and 'leaves out its "not"' in findings[0].message


@pytest.mark.parametrize(
    ("where", "english", "french"),
    [
        (_advice, "Do not bounce.", "Ne rebondissez pas."),
        (_advice, "Never hold your breath.", "Ne retenez jamais votre souffle."),
        (_advice, "Move without bouncing.", "Bougez sans rebondir."),
        (_advice, "Move slowly and smoothly.", "Bougez lentement et en douceur."),
        (_stop, "Sharp pain that does not ease.", "FR Sharp pain that does not ease."),
    ],
)
def test_a_translation_that_keeps_its_not_is_no_finding(tmp_path, where, english, french):
    assert only(lint(tmp_path, translated(where, english, french)), "SAFE015") == []


@pytest.mark.parametrize(
    ("source", "own", "text", "language", "dropped"),
    [
        ("Do not bounce.", "en-GB", "Federn Sie.", "de", True),
        ("Do not bounce.", "en-GB", "Federn Sie nicht.", "de", False),
        ("Do not bounce.", "en", "No rebote.", "es", False),
        ("Do not bounce.", "en", "Rebote.", "es", True),
        ("Do not bounce.", "en", "Rebote.", "xx", False),  # a language without a word list
        ("Bounce.", "en", "Rebondissez.", "fr", False),  # nothing to lose
        ("Don’t bounce.", "en", "Rebondissez.", "fr", True),  # the typographic apostrophe
        ("Don't bounce.", "en", "N’arrêtez jamais.", "fr", False),
        ("Never do this.", "en", "Μην το κάνετε.", "el", False),
        ("Never do this.", "en", "Κάντε το.", "el", True),
    ],
)
def test_the_negation_words_are_read_per_language(source, own, text, language, dropped):
    assert drops_negation(source, own, text, language) is dropped
