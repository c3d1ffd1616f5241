"""Cases of the fourteenth sitting's clinical review (docs/safety/clinical-review.md, hazards
H690 to H697): an emergency sign whose call waits for it to "get bad", chest pain sent to
hospital by car or given a medicine, pins and needles called normal with "keep going", a dose
written in hours, a translation's "not" typed with another apostrophe, and the reviewer's own
probes. Each class has cases a rule must catch and safe texts it must not."""

import pytest
from lint_helpers import advice, codes, lint, only, red_flag, step, stop
from test_clinical_thirteenth_sitting import _advice as first_advice
from test_clinical_twelfth_sitting import translated

from protocol_kit.lint.rules._negation import drops_negation

# -- H690: an emergency sign whose call waits for the sign to get bad --------------------------


def _says_it_waits(message):
    """SAFE006's two ways of saying the words make the sign wait: its own played-down words,
    or words that put it off (the twelfth sitting's "tomorrow")."""
    return "plays it down" in message or "can wait" in message


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (3, "New difficulty passing urine: go to A&E if it gets bad."),
        (1, "New numbness between your legs: go to A&E if it gets worse."),
        (5, "You leak urine or cannot control your bladder: call 999 if it does not settle."),
        (6, "You cannot control your bowels: if it gets worse, go to A&E."),
        (8, "Pain or numbness going down both legs: call 999 if it lasts."),
        (9, "New weakness in a leg or foot: go to A&E if it is severe."),
        (4, "You cannot feel your bladder fill: go to A&E if it is still there tomorrow."),
        (2, "Less feeling when you wipe after the toilet: only go to A&E if it comes back."),
        (7, "Less feeling in your genitals during sex: if the numbness gets worse, call 999."),
    ],
)
def test_an_emergency_sign_made_to_wait_for_worse_is_refused(tmp_path, index, text):
    # The CES card: any of its signs, an emergency department straight away, not when it gets
    # bad; NG59 and CKS: new leg weakness is an emergency whatever its degree.
    findings = only(lint(tmp_path, red_flag(index, text)), "SAFE006")
    assert codes(findings) == [("SAFE006", f"/safety/red_flags/{index}/action")]
    assert _says_it_waits(findings[0].message)


@pytest.mark.parametrize(
    "text",
    [
        "If you notice numbness in your saddle area, call 999 if it persists.",
        "If your face droops or your speech is slurred, call 999 if it does not get better.",
        "If you faint during the exercises, go to A&E if it comes back.",
    ],
)
def test_advice_that_makes_an_emergency_sign_wait_is_refused(tmp_path, text):
    findings = only(lint(tmp_path, advice(text)), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/general_advice/0")]
    assert _says_it_waits(findings[0].message)


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (1, "New numbness between your legs: go to A&E straight away, even if it seems mild."),
        (3, "New difficulty passing urine: go to A&E straight away; call 999 if it gets worse."),
        (9, "New weakness in a leg or foot: go to A&E at once."),
        (12, "New back pain after a fall: see a doctor today, or go to A&E if it is severe."),
        (10, "Back pain with a fever: see a doctor today; call 999 if it gets worse."),
        (13, "Severe pain at night: see a doctor today; call 111 if it persists."),
    ],
)
def test_an_emergency_sign_sent_at_once_and_urgent_ladders_are_no_finding(tmp_path, index, text):
    assert only(lint(tmp_path, red_flag(index, text)), "SAFE006") == []


@pytest.mark.parametrize(
    "text",
    [
        # A known weakness that worsens is the sign itself ("new or worsening"): the right
        # escalation, not a wait.
        "If the weakness in your leg gets worse, go to A&E.",
        "If your back pain gets worse, call your physiotherapist.",
        "If your leg feels weak, go to A&E straight away; call 999 if you cannot get there.",
    ],
)
def test_advice_that_escalates_is_no_finding(tmp_path, text):
    assert only(lint(tmp_path, advice(text)), "SAFE006") == []


# -- H691, H692: chest pain driven to hospital, or given a medicine -----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Chest pain or tightness: drive yourself to A&E.",
        "Chest pain or tightness: get someone to drive you to the hospital.",
        "Chest pain or tightness: take an aspirin and lie down.",
        "Chest pain or tightness: call 999 and chew an aspirin while you wait.",
        "Chest pain or tightness: call 999, then take your painkillers while you wait.",
        "Chest pain or tightness: call 999; an antacid may help if it is indigestion.",
    ],
)
def test_chest_pain_driven_to_hospital_or_given_a_medicine_is_refused(tmp_path, text):
    # CKS chest pain and CG95: call 999 (an ambulance, whose crew treats on the way). Aspirin
    # is given by the professional who has asked about allergy and blood thinners; the sheet
    # gives no medicine advice (the lead's decision, fourteenth sitting).
    findings = only(lint(tmp_path, red_flag(0, text)), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/red_flags/0/action")]
    assert _says_it_waits(findings[0].message)


@pytest.mark.parametrize(
    "text",
    [
        "If you get chest pain, drive to A&E.",
        "If your face droops or your speech is slurred, drive yourself to A&E.",
        "If your heart races and you feel faint, drive yourself to hospital straight away.",
    ],
)
def test_advice_that_drives_a_999_sign_to_hospital_is_refused(tmp_path, text):
    findings = only(lint(tmp_path, advice(text)), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/general_advice/0")]


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness: call 999. Do not drive yourself to hospital."),
        (0, "Chest pain or tightness: call 999, even if it seems mild."),
        (0, "Chest pain or tightness: call 999, and use your GTN spray as your angina plan says."),
        (0, "Chest pain or tightness: call 999. Do not take painkillers and wait."),
        # The CES card says go to an emergency department, not how: being driven there is how
        # most patients go.
        (1, "New numbness between your legs: go to A&E straight away; ask someone to drive you."),
    ],
)
def test_chest_pain_sent_to_999_is_no_finding(tmp_path, index, text):
    assert only(lint(tmp_path, red_flag(index, text)), "SAFE006") == []


def test_advice_about_driving_without_a_sign_is_no_finding(tmp_path):
    change = advice("You may drive to your appointments once you can turn your head easily.")
    assert only(lint(tmp_path, change), "SAFE006") == []


# -- H693: pins and needles called normal, or "keep going" ---------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        advice("Pins and needles in your foot are normal, keep going."),
        advice("If you get tingling down your leg, just carry on."),
        step("If your toes start to tingle, keep going to the end of the set."),
        advice("Pins and needles down your leg are nothing to worry about."),
        advice("Tingling into your foot is just the nerve stretching."),
        advice("Numbness down your leg is normal during this stretch."),
    ],
)
def test_pins_and_needles_set_aside_is_refused(tmp_path, change):
    # Every example's stop box: "Pain, numbness or pins and needles spreading down your leg"
    # means stop (NG59: leg symptoms are the clinician's to assess).
    findings = only(lint(tmp_path, change), "SAFE013")
    assert len(findings) == 1
    assert "ignore pain or exercise through it" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        advice("Tingling in your foot during the nerve slide should fade within a minute."),
        advice("If you feel tingling, ease off, then continue."),
        advice("If you get pins and needles, stop and change position, then carry on."),
        advice("Mild tingling during the nerve slide is common; stop if it spreads down your leg."),
        advice("Do not keep going if you get pins and needles."),
        advice("If your foot tingles from kneeling, move it and continue."),
        advice("Pins and needles down your leg are not normal: stop and tell your therapist."),
    ],
)
def test_advice_to_stop_or_ease_for_tingling_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE013") == []


# -- H694: a dose written in hours ----------------------------------------------------------------


def _progression(text):
    return lambda data: data["exercises"][0].__setitem__("progression", text)


@pytest.mark.parametrize(
    "change",
    [
        step("Hold the arch for 2 hours."),
        step("Do this for three hours every day."),
        step("Keep moving like this for 1-2 hours."),
        _progression("When this feels easy, keep going for up to 2 hours."),
    ],
)
def test_a_dose_in_hours_is_refused(tmp_path, change):
    # A mobilisation's hold of more than 120 s is beyond DOSE001's limit; in hours it was no
    # amount at all, and the patient read "2 hours" beside a dosage line of 2 x 8.
    findings = only(lint(tmp_path, change), "DOSE005")
    assert len(findings) == 1
    assert "hour" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        step("Do not do this for 2 hours after a large meal."),
        step("Wait 2 hours after eating before you start."),
        _progression("If any extra pain has settled within 24 hours, do 10 repetitions."),
        _progression("If your pain is no worse after 24 hours, do 10 repetitions."),
        step("Rest for a couple of hours if your back aches afterwards."),
    ],
)
def test_a_time_in_hours_that_is_no_dose_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "DOSE005") == []


# -- H695: a translation's "not" typed with another apostrophe -----------------------------------


@pytest.mark.parametrize(
    ("source", "text", "dropped"),
    [
        ("Donʼt bounce.", "Rebondissez doucement.", True),  # U+02BC: the "not" was unread
        ("Don‘t bounce.", "Rebondissez doucement.", True),  # U+2018
        ("Do not wait.", "Nʼattendez pas.", False),
        ("Do not wait.", "Nʼattendez.", False),  # " nʼ" is the French "not" (was reported)
        ("Do not wait.", "N‘attendez.", False),
        ("Do not wait.", "Attendez.", True),
    ],
)
def test_every_apostrophe_is_read_in_the_negation_words(source, text, dropped):
    # patterns.APOSTROPHES, as every prose pattern reads them (H648).
    assert drops_negation(source, "en-GB", text, "fr") is dropped


def test_a_translation_that_drops_a_not_typed_with_a_modifier_apostrophe_is_reported(tmp_path):
    change = translated(first_advice, "Donʼt hold your breath.", "Retenez votre souffle.")
    findings = only(lint(tmp_path, change), "SAFE015")
    assert len(findings) == 1 and 'leaves out its "not"' in findings[0].message


# -- H696: the reviewer's probes: an emergency sign sent somewhere slower, in new words ---------

_SADDLE = (
    "New numbness, tingling or loss of feeling between your legs, or around your genitals or back "
    "passage (the 'saddle' area)"
)
_URINE = "New difficulty passing urine or starting the flow, or you cannot pass urine at all"


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness: call the out-of-hours doctor."),
        (3, f"{_URINE}: go to the hospital outpatient clinic."),
        (3, f"{_URINE}: go to the pharmacy."),
        (1, f"{_SADDLE}: mention it to your GP."),
        (1, f"{_SADDLE}: ask for an urgent GP appointment."),
        (1, f"{_SADDLE}: go to A&E within 24 hours."),
        (1, f"{_SADDLE}: go to A&E in the next day or two."),
        (3, f"{_URINE}: go to A&E in the morning."),
        (3, "New difficulty passing urine: go to A&E after a night's rest."),
        (0, "Chest pain or tightness: finish the exercise, then call 999."),
        (0, "Chest pain or tightness: call 999 after you have finished your set."),
        (0, "Chest pain or tightness: sit down for ten minutes, then call 999."),
        (0, "Chest pain or tightness: call 999 if you think it is serious."),
        (0, "Chest pain or tightness: call 999 if you still have it after your rest."),
        (0, "Chest pain: call 999 if you are alone; otherwise ask someone to take you."),
    ],
)
def test_an_emergency_sign_sent_somewhere_slower_in_new_words_is_refused(tmp_path, index, text):
    # CKS chest pain, CG95: 999 now, whatever its severity; the CES card: an emergency
    # department straight away. The out-of-hours doctor, an outpatient clinic, a pharmacy, the
    # GP, the morning, or the end of the set is none of these.
    findings = only(lint(tmp_path, red_flag(index, text)), "SAFE006")
    assert codes(findings) == [("SAFE006", f"/safety/red_flags/{index}/action")]


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness: call 999 even if you think it is not serious."),
        (0, "Chest pain or tightness: stop at once, even in the middle of a set, and call 999."),
        (1, f"{_SADDLE}: go to A&E straight away, even at night; do not wait for a GP."),
        (10, "Back pain with a fever or a high temperature: see your GP or a doctor today."),
        (12, "New back pain after a fall: call your GP surgery today, or 111 out of hours."),
    ],
)
def test_an_emergency_sign_sent_now_is_no_finding(tmp_path, index, text):
    assert only(lint(tmp_path, red_flag(index, text)), "SAFE006") == []


# -- H697: the reviewer's probes: the stop advice argued away or emptied -----------------------


@pytest.mark.parametrize(
    "change",
    [
        advice("You do not need to stop for any pain."),
        advice("Stopping because of pain will slow your recovery."),
    ],
)
def test_advice_that_argues_against_stopping_for_pain_is_refused(tmp_path, change):
    findings = only(lint(tmp_path, change), "SAFE013")
    assert len(findings) == 1


@pytest.mark.parametrize(
    "change",
    [
        advice("You do not need to stop moving altogether: stay active; stop if pain is sharp."),
        advice("Stopping all activity because of pain is not needed: keep gently active."),
        advice("Stopping when the pain becomes sharp protects your back."),
    ],
)
def test_advice_about_staying_active_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE013") == []


@pytest.mark.parametrize("text", ["If you feel like it.", "As needed.", "Up to you."])
def test_a_stop_criterion_that_says_nothing_is_refused(tmp_path, text):
    findings = only(lint(tmp_path, stop(text)), "SAFE003")
    assert codes(findings) == [("SAFE003", "/safety/stop_criteria/0")]
