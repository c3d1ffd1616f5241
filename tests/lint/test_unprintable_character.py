import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lint_helpers import codes, exercise, library_exercise, lint, only

from protocol_kit.lint.rules.unprintable_character import UNPRINTABLE, may_hold_unprintable


def test_an_escape_sequence_copied_into_the_title(tmp_path):
    findings = only(lint(tmp_path, lambda d: d.update(title="Back care \x1b[31mnow")), "TEXT004")
    assert codes(findings) == [("TEXT004", "/title")]
    assert "U+001B" in findings[0].message and (findings[0].line, findings[0].column) > (1, 1)


def test_a_direction_override_that_would_reorder_a_step(tmp_path):
    def change(data):
        exercise(data)["steps"][0] = "Lie on your back \u202ethen lift"

    findings = only(lint(tmp_path, change), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0/steps/0")]
    assert "RIGHT-TO-LEFT OVERRIDE" in findings[0].message


def test_a_character_lost_in_a_conversion(tmp_path):
    findings = only(lint(tmp_path, lambda d: d.update(summary="Caf\ufffd stretch")), "TEXT004")
    assert codes(findings) == [("TEXT004", "/summary")]


def test_in_a_library_exercise_it_is_reported_at_the_reference(tmp_path):
    library_exercise(tmp_path, lambda body: body.update(name="Cat\x07 cow"))
    findings = only(lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}])), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0")]
    assert "library exercise 'cat-cow'" in findings[0].message


def test_line_breaks_accents_and_greek_print(tmp_path):
    def change(data):
        data["summary"] = "Étirez-vous doucement.\nΑργά και ήρεμα: 5–10 λεπτά."

    assert only(lint(tmp_path, change), "TEXT004") == []


@pytest.mark.parametrize(
    "hidden, name",
    [("\u200b", "ZERO WIDTH SPACE"), ("\u00ad", "SOFT HYPHEN"), ("\ufeff", "ZERO WIDTH NO-BREAK")],
)
def test_an_invisible_character_that_splits_a_red_flag(tmp_path, hidden, name):
    # "chest pain" reads whole on the sheet, but a zero-width space hides it from every rule.
    findings = only(lint(tmp_path, lambda d: d.update(summary=f"chest{hidden} pain")), "TEXT004")
    assert codes(findings) == [("TEXT004", "/summary")] and name in findings[0].message


def test_a_combining_mark_on_a_digit_is_reported_and_accents_are_not(tmp_path):
    # "1̶0" (U+0336 after the 1) prints the dose struck through, and the dosage rules read "1",
    # a mark and "0" (H315). An accent written as a letter and a combining mark prints.
    def change(data):
        exercise(data)["steps"][0] = "Do 1\u03360 slow lifts, e\u0301lan"

    findings = only(lint(tmp_path, change), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0/steps/0")]
    assert findings[0].message.startswith(
        "a combining mark (U+0336 COMBINING LONG STROKE OVERLAY) after '1', which would be "
        "printed over it"
    )
    library_exercise(tmp_path, lambda body: body.update(name="Cat cow \u0336"))
    findings = only(lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}])), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0")]
    assert (
        "after ' '" in findings[0].message and "library exercise 'cat-cow'" in findings[0].message
    )
    assert (
        only(lint(tmp_path, lambda d: d.update(summary="Caf\u0065\u0301 \u00e9\u0308")), "TEXT004")
        == []
    )


def test_the_sheet_refuses_a_combining_mark_on_a_digit_as_a_last_line():
    from protocol_kit.sheet.text import TextCheck, TextError

    check = TextCheck()
    assert check("Cafe\u0301", "where") == "Caf\u00e9"
    with pytest.raises(TextError, match=r"after '9', which would be printed over it"):
        check("Call 9\u03369\u03369", "where")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "Do n\u0336o\u0336t\u0336 lift the leg",
            "after 'n', which would be drawn through it: the text would read as struck out",
        ),
        (
            "Lift slowly, Zo\u00eb\u0301\u0301\u0301\u0301\u0301",
            "after 3 others on one letter, which would be stacked over the lines around it",
        ),
    ],
    ids=["struck-out-word", "stack-of-marks"],
)
def test_a_mark_drawn_through_a_letter_or_stacked_past_any_language_is_reported(
    tmp_path, text, said
):
    """H353: a combining mark on a letter passed as an accent, whatever it was: U+0336 on
    "not" printed the word struck out ("Do not lift" read as "Do lift"), and a stack of
    eight accents on one letter (Zalgo text) was printed over the lines around it."""

    def change(data):
        exercise(data)["steps"][0] = text

    findings = only(lint(tmp_path, change), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0/steps/0")]
    assert said in findings[0].message, findings[0].message


def test_the_sheet_refuses_a_struck_out_word_as_a_last_line():
    from protocol_kit.sheet.text import TextCheck, TextError

    with pytest.raises(TextError, match="drawn through it"):
        TextCheck()("Do n\u0336o\u0336t lift", "where")


# What may hold an unprintable character is searched; the rest is skipped (issue 17): a skip
# must never hide one. Texts of letters, accents, combining marks (alone, on letters, stacked,
# overlays), control characters and characters the font lacks.
_PIECES = st.sampled_from(
    ["a", "E", "5", " ", ".", "\u00e9", "\u03b1", "\u0436", "\u2014", "\u0301", "\u0336",
     "\u20d2", "\ufe20", "\x07", "\x7f", "\u202e", "\ufffd", "\u4e2d", "\U0001f600"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_a_text_skipped_holds_nothing_unprintable(text):
    if UNPRINTABLE.search(text):
        assert may_hold_unprintable(text), ascii(text)


@pytest.mark.parametrize(
    "text", ["e\u0301\u0301\u0301\u0301", "5\u0336", "\u0301start", "no\u0336t", "bell\x07"]
)
def test_each_kind_of_unprintable_character_is_searched(text):
    assert UNPRINTABLE.search(text) and may_hold_unprintable(text)


def test_most_texts_are_skipped():
    assert not may_hold_unprintable("Étirez-vous doucement. Αργά και ήρεμα: 5–10 λεπτά.")
    assert not may_hold_unprintable("Lie on your back and lift one knee, 10 times.")


@pytest.mark.parametrize(
    "character, name",
    [
        ("\uffff", "not a character: unassigned, or a noncharacter"),
        ("\ue000", "a private-use character"),
    ],
)
def test_a_code_point_that_is_no_character_is_named_for_what_it_is(tmp_path, character, name):
    """H422: the font maps the noncharacter U+FFFF to a box with a question mark, so TEXT004
    passed it and the sheet printed "Chest⍰ pain" in a red flag; a code point without a name
    was called "a control character"."""
    findings = only(lint(tmp_path, lambda d: d.update(summary=f"chest{character} pain")), "TEXT004")
    assert codes(findings) == [("TEXT004", "/summary")]
    assert f"U+{ord(character):04X} ({name})" in findings[0].message
