"""DOSE001 (beyond the safe limit) and DOSE002 (outside the usual range)."""

from lint_helpers import codes, exercise, library_exercise, lint, only


def stretch(**dosage):
    def change(data):
        ex = exercise(data)
        ex["type"] = "stretch"
        ex["dosage"] = {**ex["dosage"], **dosage}

    return change


def test_hold_of_600_seconds_is_an_error(tmp_path):
    findings = only(lint(tmp_path, stretch(hold_seconds=600)), "DOSE001")
    assert codes(findings) == [("DOSE001", "/exercises/0/dosage/hold_seconds")]
    assert findings[0].severity.value == "error"
    assert "a hold of 600 s is beyond the safe limit of 180" in findings[0].message


def test_forty_sets_is_an_error(tmp_path):
    assert codes(lint(tmp_path, stretch(sets=40))) == [("DOSE001", "/exercises/0/dosage/sets")]


def test_stretch_hold_outside_15_to_60_is_a_warning(tmp_path):
    for hold in (10, 90):
        findings = lint(tmp_path, stretch(hold_seconds=hold))
        assert codes(findings) == [("DOSE002", "/exercises/0/dosage/hold_seconds")]
        assert findings[0].severity.value == "warning"


def test_usual_stretch_is_fine(tmp_path):
    assert lint(tmp_path, stretch(hold_seconds=30)) == []


def test_library_default_is_reported_at_the_reference(tmp_path):
    library_exercise(tmp_path, lambda body: body["dosage"].update(sets=40))
    findings = lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}]))
    assert codes(findings) == [("DOSE001", "/exercises/0")]
    assert "library exercise 'cat-cow'" in findings[0].message
    assert "library/cat-cow.json" in findings[0].message
    fixed = lint(
        tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow", "dosage": {"sets": 2}}])
    )
    assert fixed == []


def test_override_is_reported_at_the_override(tmp_path):
    library_exercise(tmp_path)
    findings = lint(
        tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow", "dosage": {"sets": 40}}])
    )
    assert codes(findings) == [("DOSE001", "/exercises/0/dosage/sets")]
