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


def dose(kind, **dosage):
    def change(data):
        ex = exercise(data)
        ex["type"] = kind
        ex["dosage"] = {**ex["dosage"], **dosage}

    return change


def test_a_day_that_cannot_be_done_at_home_is_an_error(tmp_path):
    # H362: every number within its own limit (10 sets, 100 repetitions, 4 sessions), and the
    # day about 4.5 hours of one exercise.
    change = dose("strengthening", sets=10, repetitions=100, sessions_per_day=4)
    findings = only(lint(tmp_path, change), "DOSE001")
    assert codes(findings) == [("DOSE001", "/exercises/0/dosage/sessions_per_day")]
    assert "the day's dose takes about 273 minutes" in findings[0].message
    assert "beyond the safe limit of 120 minutes a day" in findings[0].message


def test_an_hour_of_stretching_each_side_a_day_is_an_error(tmp_path):
    # 10 holds of 60 s on each side, 6 times a day: each number at or within its limit.
    change = dose(
        "stretch", sets=10, repetitions=1, hold_seconds=60, sessions_per_day=6, side="each"
    )
    assert codes(only(lint(tmp_path, change), "DOSE001")) == [
        ("DOSE001", "/exercises/0/dosage/sessions_per_day")
    ]


def test_a_full_day_within_the_limit_passes(tmp_path):
    # 3 sets of 30 repetitions twice a day: about 13 minutes.
    change = dose("strengthening", sets=3, repetitions=30, sessions_per_day=2)
    assert only(lint(tmp_path, change), "DOSE001") == []


def test_one_number_beyond_its_limit_is_reported_once(tmp_path):
    change = dose("stretch", sets=20, repetitions=1, hold_seconds=60, sessions_per_day=6)
    assert codes(only(lint(tmp_path, change), "DOSE001")) == [
        ("DOSE001", "/exercises/0/dosage/sets")
    ]
