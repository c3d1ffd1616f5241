"""TEXT005 safety-in-tips: a safety statement written as a tip (printed after the steps) or in
the harder version (printed on the clinician's copy only) is found at its place (H248)."""

from lint_helpers import codes, exercise, library_exercise, lint, lint_file, only


def test_a_safety_statement_in_a_tip_or_the_harder_version(tmp_path):
    def change(data):
        exercise(data)["cues"] = [
            "Keep your head in line with your back.",
            "If you feel numbness or tingling, move your hands: they are in the wrong place.",
        ]
        exercise(data)["progression"] = "Hold longer, but never into pain."

    found = only(lint(tmp_path, change), "TEXT005")
    assert codes(found) == [
        ("TEXT005", "/exercises/0/cues/1"),
        ("TEXT005", "/exercises/0/progression"),
    ]
    assert found[0].message.startswith("a tip says 'numbness', a safety statement: move it")
    assert "harder version says 'never'" in found[1].message


def test_tips_on_technique_and_a_pain_free_progression_are_fine(tmp_path):
    def change(data):
        exercise(data)["cues"] = ["Go slowly: slow is harder and safer than fast."]
        exercise(data)["progression"] = "When 8 feel easy and pain-free, do 10."

    assert only(lint(tmp_path, change), "TEXT005") == []


def test_a_library_file_is_checked_on_its_own(tmp_path):
    library_exercise(tmp_path, lambda body: body.update(cues=["Stop if you feel dizzy."]))
    found = only(lint_file(tmp_path / "library" / "cat-cow.json"), "TEXT005")
    assert codes(found) == [("TEXT005", "/cues/0")]
