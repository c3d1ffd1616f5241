import pytest
from lint_helpers import ICD, codes, coding, exercise, lint


def precaution(management=None):
    def change(data):
        item = {
            "coding": coding(ICD, "M54.50", "Low back pain, unspecified"),
            "description": "Bending may aggravate pain.",
        }
        if management:
            item["management"] = management
        exercise(data)["precautions"] = [item]

    return change


def test_precaution_for_the_treated_condition_needs_management(tmp_path):
    findings = lint(tmp_path, precaution())
    assert codes(findings) == [("SAFE002", "/exercises/0/precautions/0")]
    assert "add 'management'" in findings[0].message


def test_managed_precaution_is_fine(tmp_path):
    assert lint(tmp_path, precaution("Start in the pain-free range.")) == []


@pytest.mark.parametrize("management", ["n/a", "-", "None.", "TBC", "Caution"])
def test_a_management_note_that_says_nothing_is_no_note(tmp_path, management):
    # H427: the rule judged that the field was there, not that it said anything.
    findings = lint(tmp_path, precaution(management))
    placeholder = [("TEXT003", "/exercises/0/precautions/0/management")]  # H989
    assert codes(findings) == [
        ("SAFE002", "/exercises/0/precautions/0"),
        *(placeholder if management == "TBC" else []),
    ]
