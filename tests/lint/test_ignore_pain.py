"""SAFE013 ignore-pain: patient text that tells the patient to ignore pain or exercise through
it, against the sheet's own stop criteria and pain guide (hazard H207)."""

from __future__ import annotations

import pytest
from lint_helpers import codes, exercise, lint


@pytest.mark.parametrize(
    ("where", "text", "pointer"),
    [
        ("step", "Push through the pain to finish the set.", "/exercises/0/steps/2"),
        ("step", "No pain, no gain.", "/exercises/0/steps/2"),
        ("step", "Keep going even if it hurts.", "/exercises/0/steps/2"),
        ("advice", "Ignore any discomfort and finish the programme.", "/safety/general_advice/0"),
        ("guide", "Some pain is good: work through the pain.", "/safety/pain_guide/green"),
    ],
)
def test_words_that_tell_the_patient_to_ignore_pain(tmp_path, where, text, pointer):
    def change(data):
        if where == "step":
            exercise(data)["steps"].append(text)
        elif where == "advice":
            data["safety"]["general_advice"] = [text]
        else:
            data["safety"]["pain_guide"]["green"] = text

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE013", pointer)]
    assert "tells the patient to ignore pain" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Do not push through pain: stop and rest.",
        "Never ignore pain that spreads down your leg.",
        "Pain is a warning sign: do not ignore it.",
        "Stop the set if the pain goes above 3 out of 10.",
    ],
)
def test_advice_to_stop_is_fine(tmp_path, text):
    assert lint(tmp_path, lambda d: d["safety"].update(general_advice=[text])) == []


def test_pushing_through_pain_as_a_mistake_to_avoid_is_fine(tmp_path):
    def change(data):
        exercise(data)["common_mistakes"] = ["Pushing through pain."]

    assert lint(tmp_path, change) == []
