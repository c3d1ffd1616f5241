"""H647: a dot above (U+0307) on an i or j, or on the dotless i, prints as the plain letter:
"If you get chest pai̇n ..." printed exactly as "chest pain", which SAFE006 refuses, and passed
every rule (no pattern reads "pai", a mark and "n" as "pain")."""

from __future__ import annotations

import pytest
from lint_helpers import codes, lint, only, stop

from protocol_kit.sheet.text import TextCheck, TextError

UNSAFE = "If you get chest pain, stop and ring your physiotherapist tomorrow."


def test_the_plain_spelling_is_refused_by_the_red_flag_rule(tmp_path):
    assert only(lint(tmp_path, stop(UNSAFE)), "SAFE006")


@pytest.mark.parametrize(
    "spelling", ["pai\u0307n", "pa\u0131\u0307n"], ids=["dotted-i", "dotless-i"]
)
def test_a_dot_above_that_does_not_show_is_an_error(tmp_path, spelling):
    findings = only(lint(tmp_path, stop(UNSAFE.replace("pain", spelling))), "TEXT004")
    assert codes(findings) == [("TEXT004", "/safety/stop_criteria/0")]
    assert "U+0307 COMBINING DOT ABOVE" in findings[0].message


def test_a_dot_that_shows_passes(tmp_path):
    # On another letter it shows ("ṅ" written as n and U+0307); before an accent on an i it is
    # Lithuanian's own spelling.
    text = "Chi\u0307\u0300 and n\u0307 are written so."
    assert only(lint(tmp_path, lambda d: d.update(summary=text)), "TEXT004") == []


def test_the_sheet_refuses_it_as_a_last_line():
    # A configuration that turns TEXT004 off still never prints it.
    with pytest.raises(TextError, match=r"after 'i', which prints as the plain letter"):
        TextCheck()("chest pai\u0307n", "where")
