"""H686: an accent on a word of a red flag in an English text hid it from every check.

"If you get chést pain, stop and ring your physiotherapist tomorrow" reads to a patient as
chest pain, which SAFE006 sends to the emergency number; the red flags' English patterns read
"chést" as no word they know, and the text passed. TEXT004 now reads an English text again
without its accents and refuses it when that names a red flag the text as written does not.
"""

from __future__ import annotations

import pytest
from lint_helpers import codes, library_exercise, lint, only, stop

UNSAFE = "If you get chest pain, stop and ring your physiotherapist tomorrow."


@pytest.mark.parametrize(
    "plain, accented",
    [
        ("chest", "ch\u00e9st"),
        ("chest", "che\u0301st"),
        ("pain", "p\u00e0in"),
        ("pain", "pa\u00efn"),
    ],
    ids=["precomposed", "combining", "grave", "diaeresis"],
)
def test_an_accented_red_flag_in_an_english_text_is_an_error(tmp_path, plain, accented):
    assert only(lint(tmp_path, stop(UNSAFE)), "SAFE006")  # the control: the plain spelling
    findings = lint(tmp_path, stop(UNSAFE.replace(plain, accented, 1)))
    assert only(findings, "SAFE006") == []  # what the red flags read as written
    text = only(findings, "TEXT004")
    assert codes(text) == [("TEXT004", "/safety/stop_criteria/0")]
    assert f'"{accented}"' in text[0].message
    assert "chest-pain" in text[0].message and text[0].severity.value == "error"


@pytest.mark.parametrize(
    "text",
    [
        "Meet Zo\u00eb at the caf\u00e9 by the clinic; a na\u00efve r\u00e9sum\u00e9 of the plan.",
        "If you get chest pain at the caf\u00e9, call 999 at once.",
    ],
)
def test_accents_that_hide_no_red_flag_are_no_finding(tmp_path, text):
    assert only(lint(tmp_path, lambda d: d.update(summary=text)), "TEXT004") == []


def test_in_a_library_exercise_it_is_reported_at_the_reference(tmp_path):
    accented = "Stop if you get ch\u00e9st pain and ring your physiotherapist tomorrow."
    library_exercise(tmp_path, lambda body: body["steps"].__setitem__(0, accented))
    findings = only(lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}])), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0")]
    assert "library exercise 'cat-cow'" in findings[0].message and "/steps/0" in findings[0].message
