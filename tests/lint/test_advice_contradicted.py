"""TEXT006 advice-contradicted: an exercise text tells the patient to do what the protocol's
general advice forbids (H394)."""

import pytest
from lint_helpers import library_exercise, lint, only

from protocol_kit.lint.rules.advice_contradicted import _forbidden, _says

NO_BOUNCING = "Move slowly and smoothly; never bounce into a stretch."
BREATHE = "Breathe normally; do not hold your breath."


def sheet(advice, field, text):
    def change(data):
        data["safety"]["general_advice"] = [advice]
        exercise = data["exercises"][0]
        if field == "steps":
            exercise["steps"].append(text)
        elif field == "intensity":
            exercise["dosage"]["intensity"] = text
        else:
            exercise[field] = [text] if field == "cues" else text  # a list as given

    return change


@pytest.mark.parametrize(
    ("advice", "field", "text", "pointer"),
    [
        (NO_BOUNCING, "steps", "Bounce gently at the end of the stretch.", "/exercises/0/steps/2"),
        (NO_BOUNCING, "cues", "A few small bounces help.", None),
        (BREATHE, "steps", "Hold your breath as you lift.", "/exercises/0/steps/2"),
        (BREATHE, "regression", "Lift halfway, holding your breath.", "/exercises/0/regression"),
        ("Move slowly and smoothly.", "steps", "Snap your knee up as fast as you can.",
         "/exercises/0/steps/2"),
    ],
)  # fmt: skip
def test_an_exercise_text_that_says_what_the_advice_forbids(tmp_path, advice, field, text, pointer):
    findings = only(lint(tmp_path, sheet(advice, field, text)), "TEXT006")
    assert len(findings) == 1, findings
    if pointer is not None:
        assert findings[0].pointer == pointer
    assert "but the general advice says" in findings[0].message


@pytest.mark.parametrize(
    ("advice", "field", "text"),
    [
        (NO_BOUNCING, "steps", "Do not bounce at the end of the stretch."),
        (BREATHE, "steps", "Lift your hips, without holding your breath."),
        # "Avoid" names the mistake: it agrees with the advice.
        (NO_BOUNCING, "common_mistakes", ["Bouncing into the stretch."]),
        # The advice does not forbid it: the rule judges the sheet's consistency only.
        ("Warm up first.", "steps", "Bounce gently at the end of the stretch."),
    ],
)
def test_a_text_that_agrees_with_the_advice_or_advice_that_says_nothing(
    tmp_path, advice, field, text
):
    assert only(lint(tmp_path, sheet(advice, field, text)), "TEXT006") == []


def test_a_library_exercise_that_contradicts_the_protocols_advice(tmp_path):
    exercise_id = library_exercise(
        tmp_path, lambda body: body["steps"].append("Hold your breath as you lift.")
    )

    def protocol(data):
        data["safety"]["general_advice"] = [BREATHE]
        data["exercises"] = [{"ref": exercise_id}]

    findings = only(lint(tmp_path, protocol), "TEXT006")
    assert len(findings) == 1 and "library/cat-cow.json" in findings[0].message


BOUNCE = "Bounce gently at the end of the stretch."


def test_a_text_judged_once_is_judged_again_under_other_advice(tmp_path):
    # A text's answer is kept for the run (issue 17): under the advice that forbade it, not
    # under advice that forbids nothing it says.
    assert len(only(lint(tmp_path, sheet(NO_BOUNCING, "steps", BOUNCE)), "TEXT006")) == 1
    assert only(lint(tmp_path, sheet("Warm up first.", "steps", BOUNCE)), "TEXT006") == []
    assert only(lint(tmp_path, sheet(BREATHE, "steps", BOUNCE)), "TEXT006") == []
    assert len(only(lint(tmp_path, sheet(NO_BOUNCING, "steps", BOUNCE)), "TEXT006")) == 1


def test_a_text_judged_once_is_judged_again_in_another_language():
    # The same words read as English and as French: the rule knows English words only, so
    # the French text says nothing, however often the English one was judged before.
    forbidden = _forbidden(((("en-GB", NO_BOUNCING),),))
    assert forbidden
    for _ in range(2):
        assert _says(BOUNCE, "en", forbidden) is not None
        assert _says(BOUNCE, "fr", forbidden) is None
