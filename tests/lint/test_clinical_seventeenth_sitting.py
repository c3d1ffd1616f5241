"""Cases of the seventeenth sitting's clinical review (docs/safety/clinical-review.md, hazards
H775 to H779): a red flag that tells the patient to wait for their next appointment or to
wait some days, "Ig-nore the pain", "see your G P", and a thoracic sheet that need not name a
history of cancer. Each class has cases a rule must catch and safe texts it must not."""

import pytest
from lint_helpers import ICD, advice, coding, lint, only, red_flag, step

# The minimal protocol's red flags: 3 is new difficulty passing urine (emergency), 10 back
# pain with a fever (urgent).
URINE, FEVER = 3, 10


def _sheet_says_both(findings):
    """SAFE006's findings on the red flags, each as the red flag's place."""
    places = (f.pointer.removesuffix("/action") for f in only(findings, "SAFE006"))
    return [p for p in places if p.startswith("/safety/red_flags/")]


# -- H775: "wait for your next appointment" -------------------------------------------------


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (URINE, "New difficulty passing urine: you can wait for the next appointment."),
        (URINE, "New difficulty passing urine. Wait for your next physio appointment."),
        (FEVER, "Back pain with a fever. You can wait for your next appointment."),
        (FEVER, "Back pain with a fever: waiting until the next review is fine."),
    ],
)
def test_a_red_flag_that_waits_for_the_next_appointment_is_refused(tmp_path, index, text):
    places = _sheet_says_both(lint(tmp_path, red_flag(index, text)))
    assert places == [f"/safety/red_flags/{index}"], text


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (FEVER, "Back pain with a fever. Do not wait for your next appointment."),
        (FEVER, "Back pain with a fever. Don't wait for your next appointment."),
        (FEVER, "Back pain with a fever: there is no need to wait for your next appointment."),
        (FEVER, "Back pain with a fever: see a doctor today without waiting for your next visit."),
        (URINE, "New difficulty passing urine. Go to A&E now; never wait for the next session."),
    ],
)
def test_a_red_flag_that_says_not_to_wait_is_no_finding(tmp_path, index, text):
    assert _sheet_says_both(lint(tmp_path, red_flag(index, text))) == [], text


# -- H776: "if it persists for 2 days" -------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (URINE, "New difficulty passing urine that persists for 2 days."),
        (URINE, "New difficulty passing urine, if it lasts a few hours."),
        (FEVER, "Back pain with a fever that persists for three days."),
        (FEVER, "Back pain with a fever that is still there after 2 days."),
        (FEVER, "Back pain with a fever that has not settled within a couple of days."),
        (FEVER, "Back pain with a fever: give it the weekend."),
        (FEVER, "Back pain with a fever: if it is still there in the morning, see a doctor."),
        # H793: left to be watched
        (URINE, "New difficulty passing urine: keep an eye on it."),
        (FEVER, "Back pain with a fever. Leave it a bit before you call anyone."),
        (FEVER, "Back pain with a fever: see how it goes, then see a doctor."),
        (FEVER, "Back pain with a fever; keep a close eye on things and see a doctor today."),
    ],
)
def test_a_red_flag_that_waits_some_days_is_refused(tmp_path, index, text):
    findings = lint(tmp_path, red_flag(index, text))
    assert _sheet_says_both(findings) == [f"/safety/red_flags/{index}"], text
    assert "plays it down" in only(findings, "SAFE006")[0].message


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (FEVER, "Back pain with a fever or a high temperature, or you feel generally unwell."),
        (URINE, "New difficulty passing urine, even for a few minutes: go to A&E straight away."),
        (FEVER, "Back pain with a fever: do not wait to see if it lasts a few days."),
        (URINE, "New difficulty passing urine. Do not just keep an eye on it: go to A&E now."),
        (FEVER, "Back pain with a fever: don't leave it a bit, see a doctor today."),
        (FEVER, "Back pain with a fever. See a doctor today; do not wait to see how it goes."),
    ],
)
def test_a_red_flag_without_a_wait_is_no_finding(tmp_path, index, text):
    assert _sheet_says_both(lint(tmp_path, red_flag(index, text))) == [], text


def test_advice_naming_a_sign_and_a_wait_of_days_is_refused(tmp_path):
    text = "If you have new difficulty passing urine that persists for 3 days, call 999."
    assert only(lint(tmp_path, advice(text)), "SAFE006")


# -- H777: a hyphen inside a word of "ignore the pain" ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ig-nore the pain and finish the set.",
        "Ig- nore the pain and finish the set.",  # a line broken in a copied PDF
        "Push through the pa-in.",
        "Keep go-ing through the pain.",
    ],
)
def test_a_hyphen_inside_a_word_of_ignoring_pain_is_refused(tmp_path, text):
    findings = only(lint(tmp_path, step(text)), "SAFE013")
    assert findings, text
    assert "hyphen inside a word taken out" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Never ig-nore pain: stop and rest.",
        "Move through your pain-free range only.",
        "Warm-up first, then stretch gently; stop if it hurts.",
        "Do not push through the pa-in.",
    ],
)
def test_hyphens_that_hide_no_such_words_are_no_finding(tmp_path, text):
    assert only(lint(tmp_path, step(text)), "SAFE013") == [], text


def test_the_spelling_as_written_keeps_its_own_message(tmp_path):
    findings = only(lint(tmp_path, step("Ignore the pain.")), "SAFE013")
    assert findings and "hyphen" not in findings[0].message


# -- H778: "G P", "G. P", "G…P" --------------------------------------------------------------


@pytest.mark.parametrize("gp", ["G P", "G. P.", "G\u2026P"])
def test_an_emergency_red_flag_that_sends_to_a_spaced_gp_is_an_error(tmp_path, gp):
    plain = lint(tmp_path, red_flag(URINE, "New difficulty passing urine: see your GP."))
    assert only(plain, "SAFE006")  # the control: the plain spelling
    findings = lint(tmp_path, red_flag(URINE, f"New difficulty passing urine: see your {gp}."))
    refused = only(findings, "TEXT004")
    assert [f.pointer for f in refused] == [f"/safety/red_flags/{URINE}/action"], gp
    assert "SAFE006" in refused[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Plan B. Then walk for 10 minutes.",
        "Use the G P-shaped handle... or a towel.",
        "Vitamin D is made in sunlight; see your GP about it at your next appointment.",
    ],
)
def test_capitals_and_ellipses_that_hide_nothing_are_no_finding(tmp_path, text):
    assert only(lint(tmp_path, advice(text)), "TEXT004") == [], text


# -- H779: a thoracic sheet need not name a history of cancer --------------------------------

_CANCER = (
    "If you have ever had cancer and this pain is new or getting worse: see a doctor the same "
    "day, or call 111."
)


def _thoracic(data):
    data["indications"] = [coding(ICD, "M54.6", "Pain in thoracic spine")]


def test_a_thoracic_sheet_without_the_cancer_sign_is_refused(tmp_path):
    missing = [f.message for f in only(lint(tmp_path, _thoracic), "SAFE005")]
    assert len(missing) == 1 and "someone who has had cancer" in missing[0], missing


def test_a_thoracic_sheet_with_the_cancer_sign_passes(tmp_path):
    def change(data):
        _thoracic(data)
        data["safety"]["red_flags"].append({"text": _CANCER, "action": "urgent"})

    findings = lint(tmp_path, change)
    assert only(findings, "SAFE005") + only(findings, "SAFE006") == []


def test_a_low_back_sheet_still_need_not_name_cancer(tmp_path):
    assert only(lint(tmp_path), "SAFE005") == []


# -- H775, H776: the same words after the clinic's urgent number (H745's open item) ----------


@pytest.mark.parametrize(
    "number", ["111 or wait for your next appointment", "111 if it persists for a week"]
)
def test_an_urgent_number_whose_note_waits_is_refused(number):
    from test_clinic_texts_read_as_printed import refused

    line = refused(urgent_number=number)
    assert "urgent_number" in line and "tells the patient the sign can wait" in line


# -- H780: the sources written from memory say so, and claim no more than was checked --------


def test_a_joint_replacement_names_its_sources_as_unchecked():
    from protocol_kit.redflags import red_flag_sets

    sets = red_flag_sets()
    # The patient's routing for a clot has a named source; where the patient goes with the
    # breathlessness or chest pain of a clot in the lungs (999) is the chest-pain item's.
    assert "nhs-dvt" in sets.items["dvt"].sources and "nhs-dvt" in sets.sources
    assert sets.items["dvt"].action == "urgent" and sets.items["chest-pain"].action == "emergency"
    ng89, ng234 = sets.sources["ng89"], sets.sources["ng234"]
    assert "14 days" not in ng89 and "35 days" not in ng89  # the unchecked durations are gone
    assert "cancer" in ng234  # NG234's symptoms are those of a person with cancer
    for summary in (ng89, ng234, sets.sources["nhs-dvt"]):
        assert "clinical lead" in summary
