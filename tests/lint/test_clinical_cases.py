"""Cases a clinical reviewer tried that are not in the examples (docs/safety/clinical-review.md,
review of the sixth sitting): each a sign or an instruction a patient may read in other words
than the data knew. Red flags: protocol_kit/redflags/red_flags.json (SAFE006); pain to be
ignored: protocol_kit/lint/data/ignore_pain.json (SAFE013); movements a condition needs care
with: protocol_kit/lint/data/condition_movements.json (SAFE012)."""

import pytest
from lint_helpers import ICD, advice, coding, lint, only, step, stop


@pytest.mark.parametrize(
    ("text", "needed"),
    [
        ("Stop if you have accidents with your bladder.", "'emergency'"),
        ("A very bad headache that comes on suddenly.", "'emergency'"),
        ("Stop if your calf becomes painful, red and warm.", "'urgent'"),
        ("If you think you have a blood clot in your leg, stop.", "'urgent'"),
    ],
)
def test_a_sign_in_other_words_is_routed(tmp_path, text, needed):
    findings = only(lint(tmp_path, stop(text)), "SAFE006")
    assert [f.pointer for f in findings] == ["/safety/stop_criteria/0"]
    assert needed in findings[0].message


def test_advice_that_puts_a_suspected_clot_off_to_the_next_visit(tmp_path):
    text = "If you think you have a blood clot in your leg, tell your therapist next visit."
    findings = only(lint(tmp_path, advice(text)), "SAFE006")
    assert [f.pointer for f in findings] == ["/safety/general_advice/0"]


@pytest.mark.parametrize(
    "text",
    [
        "If you have had a blood clot in your leg, tell your therapist before you start.",
        "Warm up your calves with a short walk.",
        "A headache is common in the first days.",
        "Your calf may feel a gentle stretch.",
    ],
)
def test_a_history_or_ordinary_words_are_not_a_sign(tmp_path, text):
    assert only(lint(tmp_path, advice(text)), "SAFE006") == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Hurt does not mean harm, so carry on through the pain.", "carry on through the pain"),
        ("Keep going through the pain to the end of the set.", "Keep going through the pain"),
        ("Grit your teeth and finish the set.", "Grit your teeth"),
        ("Don't stop if it hurts.", "Don't stop if it hurts"),
    ],
)
def test_pain_to_be_ignored_in_other_words(tmp_path, text, phrase):
    findings = only(lint(tmp_path, step(text)), "SAFE013")
    assert len(findings) == 1 and phrase in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Do not carry on through the pain: stop and rest.",
        "Relax your jaw and do not grit your teeth.",
        "Never continue through pain.",
    ],
)
def test_advice_not_to_ignore_pain_is_fine(tmp_path, text):
    assert only(lint(tmp_path, step(text)), "SAFE013") == []


def test_rounding_the_back_up_with_osteoporosis_needs_a_precaution(tmp_path):
    # The minimal case's cat and cow: "Round your back up towards the ceiling" is the spine
    # bent forwards, repeated (ROS 2019: move the spine with care with osteoporosis).
    def change(data):
        display = "Age-related osteoporosis without current pathological fracture"
        data["indications"].append(coding(ICD, "M81.0", display))

    findings = only(lint(tmp_path, change), "SAFE012")
    assert [f.pointer for f in findings] == ["/exercises/0"]
    assert "Round your back up" in findings[0].message


def in_language(language, text):
    def change(data):
        data["language"] = language
        data["exercises"][0]["steps"].append(text)

    return change


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Continuez malgré la douleur."),
        ("fr", "Ignorez la douleur."),
        ("es", "Siga a pesar del dolor."),
        ("es", "Sin dolor no hay ganancia."),
        ("de", "Trainieren Sie trotz der Schmerzen weiter."),
        ("de", "Machen Sie weiter, auch wenn es wehtut."),
    ],
)
def test_pain_to_be_ignored_in_another_sheet_language(tmp_path, language, text):
    # A French, Spanish or German protocol passed with "push through the pain" in its words.
    findings = only(lint(tmp_path, in_language(language, text)), "SAFE013")
    assert len(findings) == 1


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Ne continuez pas malgré la douleur."),
        ("fr", "N'ignorez jamais la douleur."),
        ("es", "No siga a pesar del dolor."),
        ("de", "Trainieren Sie nicht trotz Schmerzen weiter."),
        ("de", "Machen Sie nicht weiter, auch wenn es nur leicht wehtut."),
    ],
)
def test_advice_not_to_ignore_pain_in_another_sheet_language(tmp_path, language, text):
    assert only(lint(tmp_path, in_language(language, text)), "SAFE013") == []
