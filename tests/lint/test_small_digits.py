"""H646: a number written in raised or lowered digits prints as the number, and no check reads
it: "Hold for ³⁰⁰ seconds" passed where "Hold for 300 seconds" is DOSE005's error."""

from __future__ import annotations

import pytest
from lint_helpers import codes, exercise, library_exercise, lint, only


def _step(text):
    def change(data):
        exercise(data)["steps"][0] = text

    return change


def test_the_plain_number_is_refused_by_the_dosage_rule(tmp_path):
    assert only(lint(tmp_path, _step("Hold for 300 seconds, then relax.")), "DOSE005")


@pytest.mark.parametrize("number", ["\u00b3\u2070\u2070", "\u2083\u2080\u2080"])
def test_a_dose_in_raised_or_lowered_digits_is_an_error(tmp_path, number):
    findings = only(lint(tmp_path, _step(f"Hold for {number} seconds, then relax.")), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0/steps/0")]
    assert f'"{number}"' in findings[0].message and 'write it "300"' in findings[0].message


def test_in_a_library_exercise_it_is_reported_at_the_reference(tmp_path):
    library_exercise(tmp_path, lambda body: body["steps"].__setitem__(0, "Hold \u00b3\u2070 s."))
    findings = only(lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}])), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0")]


@pytest.mark.parametrize(
    "text",
    ["Walk 10 m\u00b2 of floor.", "Aim for a VO\u2082max test.", "Keep it under 10\u00b3."],
    ids=["unit", "formula", "exponent"],
)
def test_an_exponent_a_unit_or_a_formula_passes(tmp_path, text):
    assert only(lint(tmp_path, lambda d: d.update(summary=text)), "TEXT004") == []
