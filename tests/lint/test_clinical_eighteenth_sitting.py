"""Cases of the eighteenth sitting's clinical review (docs/safety/clinical-review.md,
hazards H822 to H825): a hip or knee replacement's sheet that need not name a clot in the
lungs or an infected wound, a sudden arm weakness written with the arm first, and red flags
in a language the checks cannot read. Each class has cases a rule must catch and safe texts
it must not."""

import pytest
from lint_helpers import ICD, advice, coding, lint, minimal, only, stop
from test_clinical_twelfth_sitting import translated

from protocol_kit.lint.registry import RULES_BY_CODE
from protocol_kit.starter.conditions import starting_red_flags

_KNEE = coding(ICD, "Z96.651", "Presence of right artificial knee joint")
_CLOT = "A calf or leg that is newly swollen, painful, warm or red: see a doctor the same day."


def _knee(*flags):
    """The minimal protocol after a knee replacement: chest pain, a clot in the leg, and
    `flags`."""

    def change(data):
        data["indications"] = [dict(_KNEE)]
        data["safety"]["red_flags"] = data["safety"]["red_flags"][:1]
        data["safety"]["red_flags"].append({"text": _CLOT, "action": "urgent"})
        data["safety"]["red_flags"] += [dict(flag) for flag in flags]

    return change


def _missing(findings):
    return " ".join(f.message for f in only(findings, "SAFE005"))


def _safety(findings):
    return [f for f in findings if f.code in ("SAFE005", "SAFE006", "SAFE007", "SAFE008")]


# -- H822, H823: a clot in the lungs and an infected wound after a joint replacement ---------


def test_a_replacement_naming_only_the_leg_clot_is_refused(tmp_path):
    missing = _missing(lint(tmp_path, _knee()))
    assert "pulmonary embolism" in missing and "coughing up blood" in missing
    assert "infected wound" in missing and "pus" in missing


def test_the_starting_red_flags_of_a_replacement_pass_and_go_where_the_sources_say():
    flags, _ = starting_red_flags([_KNEE])
    by_item = {flag["covers"][0]: flag for flag in flags}
    assert by_item["dvt"]["action"] == "urgent"  # NHS DVT page: urgent GP or 111
    assert by_item["pulmonary-embolism"]["action"] == "emergency"  # NHS PE page: 999
    assert "coughing up blood" in by_item["pulmonary-embolism"]["text"]
    assert by_item["wound-infection"]["action"] == "urgent"  # NG125: the same day


def test_a_replacement_with_its_starting_red_flags_has_no_safety_finding(tmp_path):
    flags, _ = starting_red_flags([_KNEE])

    def change(data):
        data["indications"] = [dict(_KNEE)]
        data["safety"]["red_flags"] = data["safety"]["red_flags"][:1] + flags

    assert _safety(lint(tmp_path, change)) == []


@pytest.mark.parametrize(
    ("change", "needs"),
    [
        (stop("Coughing up blood."), "'emergency'"),
        (stop("Sudden breathlessness, or you cough up blood."), "'emergency'"),
        (
            advice("If you think you have a blood clot in your lungs, tell your physio."),
            "'emergency'",
        ),
        (stop("Redness spreading from the wound, or pus coming from it."), "'urgent'"),
        (stop("Your wound looks red or is oozing."), "'urgent'"),
        (advice("Signs of infection around the incision: ring the clinic."), "'urgent'"),
    ],
)
def test_a_clot_in_the_lungs_or_an_infected_wound_sent_to_the_physio_is_refused(
    tmp_path, change, needs
):
    findings = only(lint(tmp_path, change), "SAFE006")
    assert len(findings) == 1 and needs in findings[0].message, findings


@pytest.mark.parametrize(
    "change",
    [
        advice("Swelling around your new knee is normal for some weeks: raise your leg to rest."),
        advice("Once the wound has healed, warm up before you exercise."),
        advice("Keep the wound clean and dry until your stitches are out."),
        stop(
            "Coughing more than usual, or feeling more out of breath than the exercise makes you."
        ),
        advice("Redness spreading from the wound or pus: see a doctor or call 111 today."),
        advice("Coughing up blood: call 999 straight away."),
    ],
)
def test_ordinary_recovery_words_or_the_right_place_are_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


def test_a_red_flag_for_coughing_blood_may_not_be_played_down(tmp_path):
    text = "Coughing up blood: call 999 if it persists."
    findings = only(lint(tmp_path, _knee({"text": text, "action": "emergency"})), "SAFE006")
    assert findings and "plays it down" in findings[0].message


# -- H824: a sudden weakness written with the arm first -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Your arm suddenly goes weak or numb.",
        "An arm or leg that suddenly becomes weak.",
        "One side of your face suddenly droops.",
    ],
)
def test_a_sudden_weakness_with_the_limb_first_needs_the_emergency_number(tmp_path, text):
    findings = only(lint(tmp_path, stop(text)), "SAFE006")
    assert len(findings) == 1 and "stroke" in findings[0].message, text


@pytest.mark.parametrize(
    "text",
    ["Your arm feels weak after the exercise.", "Weakness or numbness spreading down one arm."],
)
def test_an_arm_weakness_that_is_not_sudden_stays_with_the_clinician(tmp_path, text):
    # One arm's pins and needles or weakness is the radiculopathy being treated; CKS's
    # myelopathy signs are both arms, clumsy hands and walking (the clinical lead's to widen).
    assert only(lint(tmp_path, stop(text)), "SAFE006") == []


# -- H825: red flags in a language the checks cannot read ------------------------------------

_WAIT_FR = "Douleur dans la poitrine : attendez le prochain rendez-vous."


def test_a_french_red_flag_that_waits_is_reported_as_unread(tmp_path):
    def french(data):
        data["language"] = "fr-FR"
        data["safety"]["red_flags"][0]["text"] = _WAIT_FR

    findings = lint(tmp_path, french)
    unread = only(findings, "SAFE016")
    assert [(f.pointer, f.severity.value) for f in unread] == [("/safety/red_flags", "warning")]
    assert "'fr-FR'" in unread[0].message and "'en'" in unread[0].message


def _flag(data):
    return data["safety"]["red_flags"][0]["text"]


@pytest.mark.parametrize(
    ("english", "translation"),
    [
        (
            "Chest pain: call 999 now.",
            "Douleur thoracique : le 999, ou attendez le prochain rendez-vous.",
        ),
        (
            "Chest pain: call 999 now.",
            "Douleur thoracique : appelez le 999 à votre prochaine séance.",
        ),
    ],
)
def test_a_translation_that_waits_for_the_next_appointment_is_reported(
    tmp_path, english, translation
):
    # The English is read (SAFE006); its translation is compared with it (SAFE015).
    findings = lint(tmp_path, translated(_flag, english, translation))
    assert only(findings, "SAFE016") == []
    said = [f.message for f in only(findings, "SAFE015")]
    assert len(said) == 1 and "puts it off to later" in said[0], said


def test_a_translation_that_says_not_to_wait_for_the_next_appointment_is_no_finding(tmp_path):
    english = "Back pain with a fever: see a doctor today. Do not wait for your next appointment."
    french = (
        "Mal de dos avec fièvre : voyez un médecin aujourd'hui. "
        "N'attendez pas le prochain rendez-vous."
    )
    findings = lint(tmp_path, translated(_flag, english, french))
    assert only(findings, "SAFE015") + only(findings, "SAFE016") == []


def test_red_flags_in_english_only_are_read(tmp_path):
    assert only(lint(tmp_path), "SAFE016") == []
    data = minimal()
    assert data["language"].startswith("en")


def test_the_unread_language_rule_cannot_be_turned_off():
    assert RULES_BY_CODE["SAFE016"].ignorable is False
