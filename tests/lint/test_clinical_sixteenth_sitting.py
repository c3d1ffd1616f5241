"""Cases of the sixteenth sitting's clinical review (docs/safety/clinical-review.md, hazards
H748 to H752): a thoracic spine condition whose sheet need name no sign of the spinal cord
being pressed on or of a serious cause, a hip or knee replacement whose sheet need not name a
blood clot in the leg, "force it past the pain", and a hold of a minute and a half not read.
Each class has cases a rule must catch and safe texts it must not."""

import pytest
from lint_helpers import ICD, coding, lint, only, step

WHO = "http://hl7.org/fhir/sid/icd-10"


def _treats(system, code, display, keep=slice(None)):
    def change(data):
        data["indications"] = [coding(system, code, display)]
        data["safety"]["red_flags"] = data["safety"]["red_flags"][keep]

    return change


def _missing(findings):
    return {f.message.split(" (required")[0] for f in only(findings, "SAFE005")}


# -- H748: thoracic spine conditions had no red-flag family ---------------------------------


@pytest.mark.parametrize(
    ("system", "code", "display"),
    [
        (ICD, "M54.6", "Pain in thoracic spine"),
        (ICD, "M54.14", "Radiculopathy, thoracic region"),
        (ICD, "M43.04", "Spondylolysis, thoracic region"),
        (ICD, "M47.814", "Spondylosis without myelopathy or radiculopathy, thoracic region"),
        (ICD, "M48.04", "Spinal stenosis, thoracic region"),
        (WHO, "M54.6", "Pain in thoracic spine"),
        (WHO, "S23.3", "Sprain and strain of thoracic spine"),
    ],
)
def test_a_thoracic_condition_with_only_chest_pain_is_refused(tmp_path, system, code, display):
    missing = _missing(lint(tmp_path, _treats(system, code, display, slice(0, 1))))
    # The spinal cord pressed on (bladder, bowel, both legs, walking) and a serious cause.
    for sign in ("leaking urine", "both legs", "difficulty walking", "fever", "weight"):
        assert any(sign in m for m in missing), (code, sign, missing)
    # The cauda equina's own signs below the cord (the saddle, wiping, sex) are not asked.
    assert not any("saddle" in m or "wiping" in m or "sexual" in m for m in missing)


def test_a_thoracic_sheet_with_the_back_red_flags_passes(tmp_path):
    def change(data):
        _treats(ICD, "M54.6", "Pain in thoracic spine")(data)
        # A history of cancer too, since the seventeenth sitting (H779, NICE NG234).
        cancer = "You have had cancer and this pain is new: see a doctor the same day, or call 111."
        data["safety"]["red_flags"].append({"text": cancer, "action": "urgent"})

    assert only(lint(tmp_path, change), "SAFE005") == []


# -- H749: a hip or knee replacement's sheet need not name a blood clot ----------------------

_CLOT = (
    "A calf or leg that is newly swollen, painful, warm or red: see a doctor the same day, "
    "or call 111."
)


_LUNGS_AND_WOUND = [
    {"text": "Sudden breathlessness, chest pain or coughing up blood: call 999.",
     "action": "emergency"},
    {"text": "Redness spreading from the wound, pus or a high temperature: see a doctor today.",
     "action": "urgent"},
]  # fmt: skip

_KNEE_FALL = {
    "text": "After a fall, sudden severe pain in your knee or thigh, or you cannot stand on the "
    "leg: call 999 or go to A&E.",
    "action": "emergency",
}


@pytest.mark.parametrize(
    ("code", "display"),
    [
        ("Z96.651", "Presence of right artificial knee joint"),
        ("Z96.642", "Presence of left artificial hip joint"),
        ("Z47.1", "Aftercare following joint replacement surgery"),
    ],
)
def test_a_joint_replacement_without_the_clot_signs_is_refused(tmp_path, code, display):
    missing = _missing(lint(tmp_path, _treats(ICD, code, display, slice(0, 1))))
    # Since the eighteenth sitting a clot in the lungs and a wound infection too (H822).
    # The DVT's wording since the nineteenth sitting: the signs told apart from the usual
    # swelling after the operation (H837).
    assert "no red flag for signs of a blood clot in a leg (deep vein thrombosis): " \
           "a throbbing or cramping pain or tenderness in your calf or thigh, or swelling of " \
           "your calf or leg that is new or getting worse, often with warm, red or darker " \
           "skin" in missing  # fmt: skip


def test_a_joint_replacement_with_the_clot_signs_passes(tmp_path):
    def change(data):
        _treats(ICD, "Z96.651", "Presence of right artificial knee joint", slice(0, 1))(data)
        data["safety"]["red_flags"].append({"text": _CLOT, "action": "urgent"})
        data["safety"]["red_flags"] += _LUNGS_AND_WOUND  # required since H822
        data["safety"]["red_flags"].append(_KNEE_FALL)  # a knee's, since H1134

    findings = lint(tmp_path, change)
    assert only(findings, "SAFE005") + only(findings, "SAFE006") == []


def test_a_knee_without_a_replacement_needs_no_clot_sign(tmp_path):
    change = _treats(ICD, "M17.11", "Unilateral primary osteoarthritis, right knee", slice(0, 1))
    # The knee's own set (H1640: a hot joint, a fever, a fall) is missing here; no clot sign is.
    missing = only(lint(tmp_path, change), "SAFE005")
    assert not [f for f in missing if "dvt" in f.message or "pulmonary-embolism" in f.message]


# -- H750: forcing a movement past the pain --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Force it past the pain to get the bend back.",
        "Force the knee through the pain.",
        "Keep forcing the bend beyond the pain.",
        "Bend the knee through the pain, as far as it will go.",
        "Straighten your knee past the pain.",
    ],
)
def test_forcing_past_the_pain_is_refused(tmp_path, text):
    assert only(lint(tmp_path, step(text)), "SAFE013"), text


@pytest.mark.parametrize(
    "text",
    [
        "Do not force the bend past the point of pain.",
        "Never force your knee through the pain.",
        "Bend the knee until you feel a stretch, then straighten it.",
        "Force of habit: keep the knee straight while you rest.",
        "Bend and straighten your knee through its pain-free range.",
    ],
)
def test_forcing_not_past_the_pain_is_no_finding(tmp_path, text):
    assert only(lint(tmp_path, step(text)), "SAFE013") == []


# -- H752: a hold of a minute and a half -----------------------------------------------------


def _held(seconds, text):
    def change(data):
        data["exercises"][0]["dosage"]["hold_seconds"] = seconds
        step(text)(data)

    return change


@pytest.mark.parametrize(
    "text",
    [
        "Hold for a minute and a half.",
        "Hold for 1½ minutes.",
        "Hold for 1 ½ minutes.",
        "Hold for one and a half minutes.",
        "Hold for 1 and a half minutes.",
        "Hold for 1 minute and a half.",
    ],
)
def test_a_hold_of_a_minute_and_a_half_is_read(tmp_path, text):
    assert only(lint(tmp_path, _held(30, text)), "DOSE005"), text
    assert only(lint(tmp_path, _held(90, text)), "DOSE005") == [], text


def test_an_hour_and_a_half_is_not_an_hour(tmp_path):
    # "an hour" alone was read as 3,600 s, so it agreed with an hour's hold: with its half it
    # is 5,400 s, and agrees with 90 minutes.
    text = "Hold for an hour and a half."
    finding = only(lint(tmp_path, _held(3600, text)), "DOSE005")
    assert finding and '"an hour and a half"' in finding[0].message
    assert only(lint(tmp_path, _held(5400, text)), "DOSE005") == []


def test_a_minute_alone_is_still_no_dose(tmp_path):
    assert only(lint(tmp_path, _held(30, "Take a minute to settle, then start.")), "DOSE005") == []
