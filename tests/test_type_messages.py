"""A value of the wrong type is named with how to write it: a number or true/false written in
quotes (`"value": "6"`, what a therapist writes over a template's `"TODO: the score today"`) is
told to lose them, and nothing else is."""

from __future__ import annotations

import pytest

from protocol_kit.validation import _unquoted_hint


@pytest.mark.parametrize(
    ("value", "wanted", "hint"),
    [
        ("6", ["number"], ' "6": write 6 without the quotes'),
        ("2.5", ["number"], ' "2.5": write 2.5 without the quotes'),
        (" 10 ", ["integer"], ' " 10 ": write 10 without the quotes'),
        ("-1", ["integer"], ' "-1": write -1 without the quotes'),
        ("true", ["boolean"], ' "true": write true without the quotes'),
        ("2.5", ["integer"], ""),  # not a whole number: the quotes are not the only mistake
        ("six", ["number"], ""),
        ("1e3", ["number"], ""),
        ("07", ["integer"], ""),  # not how JSON writes a number
        ("yes", ["boolean"], ""),
        (6, ["string"], ""),
    ],
)
def test_text_that_reads_as_the_wanted_value_says_to_drop_the_quotes(value, wanted, hint):
    assert _unquoted_hint(value, wanted) == hint
