"""H649: letters joined into one character ("ﬂ", U+FB02) print as the letters and are read as
none: "If your heart ﬂutters and you feel light-headed, stop and rest ..." passed SAFE006,
which refuses the same words typed letter by letter."""

from __future__ import annotations

import pytest
from lint_helpers import codes, library_exercise, lint, only, stop

UNSAFE = (
    "If your heart flutters and you feel light-headed, stop and rest, and tell your "
    "physiotherapist at your next visit."
)


def test_the_plain_spelling_is_refused_by_the_red_flag_rule(tmp_path):
    assert only(lint(tmp_path, stop(UNSAFE)), "SAFE006")


@pytest.mark.parametrize("ligature, letters", [("\ufb02", "fl"), ("\ufb00", "ff")])
def test_a_ligature_is_an_error_naming_the_letters_to_type(tmp_path, ligature, letters):
    text = UNSAFE.replace("fl", ligature) if letters == "fl" else "Stop if your leg goes sti\ufb00."
    findings = only(lint(tmp_path, stop(text)), "TEXT004")
    assert codes(findings) == [("TEXT004", "/safety/stop_criteria/0")]
    assert f'type "{letters}"' in findings[0].message


def test_in_a_library_exercise_it_is_reported_at_the_reference(tmp_path):
    library_exercise(tmp_path, lambda body: body["steps"].__setitem__(0, "Re\ufb02ex test."))
    findings = only(lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}])), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0")]
