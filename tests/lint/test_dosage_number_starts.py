"""DOSE005's numbers start at the first group of a number grouped by spaces, never again at each
later group (H541): reading the rest of a long run of groups ("111 111 111 ...") from every
group made the check's work grow with the square of the text's length (a 400 KB library
exercise of such steps took 83 s of CPU to validate, 1.4 s with the control)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_kit.lint.rules import dosage_text

PATTERNS = ("_AMOUNT", "_SETS_BY", "_SETS_OF", "_FREQUENCY", "_INTERVAL")
# The start as it was before H541: anywhere not inside a word or after ",", "." or "'".
BEFORE = r"(?<![\w.,'\u2019])"
SEPARATORS = f"[{dosage_text._SEPARATORS}]"
STARTS = re.compile(dosage_text._START + r"\d")


def test_a_run_of_groups_is_started_once():
    text = " ".join(["1"] + ["111"] * 2000) + " seconds"
    assert [m.start() for m in STARTS.finditer(text)] == [0]
    (found,) = dosage_text._AMOUNT.finditer(text)
    assert found.group("low") == text[: -len(" seconds")]  # read whole, as before


def test_a_group_read_otherwise_still_starts():
    # An exponent, a fraction or a group of four: not a group of the number before it.
    for text, low in (("1 123e5 sets", "123e5"), ("1234 567 seconds", "567")):
        (found,) = dosage_text._AMOUNT.finditer(text)
        assert found.group("low") == low
    assert [m.group("low") for m in dosage_text._AMOUNT.finditer("1 030 seconds")] == ["1 030"]


TOKENS = st.sampled_from(
    ["1", "12", "123", "1234", "030", " ", ",", ".", "'", "\u00a0", "\u202f", "-", "to",
     " seconds", " reps", " times a day", " sets", "sets of ", "every ", " hours", " x ",
     "e5", "twenty", "a", "rest "]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(TOKENS, max_size=14).map("".join))
def test_every_number_read_before_is_read_but_a_runs_last_groups(text):
    for name in PATTERNS:
        pattern = getattr(dosage_text, name)
        before = re.compile(pattern.pattern.replace(dosage_text._START, BEFORE), pattern.flags)
        now = {(m.span(), m.group(0)) for m in pattern.finditer(text)}
        then = {(m.span(), m.group(0)) for m in before.finditer(text)}
        assert now <= then
        for (start, _), _ in then - now:
            # Only a group after a group of a run: a number read by its last digits (H470).
            assert re.search(rf"\d{SEPARATORS}\d{{3}}{SEPARATORS}$", text[:start]), text
