"""SAFE008 warns of signs joined by "and" (each sign alone is reason enough to act), not of the
steps a red flag tells the patient to take: the NHS's own chest-pain advice, "call 999, then
sit down and rest while you wait", was warned as a list of signs."""

from __future__ import annotations

import pytest
from lint_helpers import codes, lint, only, red_flag


@pytest.mark.parametrize(
    "text",
    [
        "Chest pain or tightness: call 999, then sit down and rest while you wait.",
        "Chest pain or tightness. Call 999, unlock the door and sit down while you wait.",
    ],
)
def test_steps_joined_by_and_are_no_finding(tmp_path, text):
    assert only(lint(tmp_path, red_flag(0, text)), "SAFE008") == []


@pytest.mark.parametrize(
    "text",
    [
        # A sign named in the list: the patient may wait for all three.
        "Call 999 if you have chest pain, sweating and breathlessness.",
        # A condition first: what follows it are signs, whatever the sets name.
        "Chest pain or tightness. Call 999 if you feel dizzy, sweaty and sick.",
        # Signs first, the call after them.
        "Chest pain, sweating and breathlessness: call 999.",
    ],
)
def test_signs_joined_by_and_are_still_reported(tmp_path, text):
    findings = only(lint(tmp_path, red_flag(0, text)), "SAFE008")
    assert codes(findings) == [("SAFE008", "/safety/red_flags/0/text")]
