from lint_helpers import TODAY, codes, exercise, lint

from protocol_kit.lint.engine import LintSettings

HARD = (
    "Facilitates neuromuscular re-education of the lumbopelvic stabilisation musculature, "
    "ameliorating intervertebral loading during functional activities. Concurrently, "
    "proprioceptive recalibration diminishes compensatory paravertebral hyperactivity, "
    "consequently optimising biomechanical efficiency throughout occupational and recreational "
    "movement patterns."
)
EASY = (
    "This gently moves your lower back. It helps the muscles that hold your spine to work "
    "well. Do it slowly. Stop if it hurts. Most people find it easier after a few days. "
    "You can do it on the floor or on a bed. Keep your breath slow and calm."
)


def purpose(text):
    return lambda data: exercise(data).update(purpose=text)


def test_hard_exercise_text_is_reported_at_the_exercise(tmp_path):
    findings = lint(tmp_path, purpose(HARD))
    assert codes(findings) == [("TEXT001", "/exercises/0")]
    assert findings[0].severity.value == "warning"
    assert "exercise 'cat-cow' reads at school grade" in findings[0].message


def test_plain_text_is_fine(tmp_path):
    assert lint(tmp_path, purpose(EASY)) == []


def test_short_passages_are_not_measured(tmp_path):
    settings = LintSettings(today=TODAY, options={"TEXT001": {"min_words": 1000}})
    assert lint(tmp_path, purpose(HARD), settings) == []


def test_only_english_is_measured(tmp_path):
    def change(data):
        data["language"] = "de"
        exercise(data)["purpose"] = HARD

    # SAFE016 says the red flags, in German, were not read (H825): not a reading level.
    assert [f for f in lint(tmp_path, change) if f.code != "SAFE016"] == []
