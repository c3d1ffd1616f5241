import copy

from lint_helpers import TODAY, codes, exercise, lint

from protocol_kit.lint.engine import LintSettings
from protocol_kit.lint.rules.session_time import SessionTime


def long_session(data):
    first = exercise(data)
    first["dosage"].update(sets=5, repetitions=30, rest_seconds=120)
    for index in range(1, 8):
        data["exercises"].append({**copy.deepcopy(first), "id": f"cat-cow-{index}"})


def test_long_session_is_reported_with_its_estimate(tmp_path):
    # 8 exercises x (5 sets x (30 x 4 s + 10 s set-up) + 4 rests x 120 s) = 9040 s
    findings = lint(tmp_path, long_session)
    assert codes(findings) == [("DOSE004", "/exercises")]
    assert "one session takes about 151 minutes, more than 45" in findings[0].message


def test_the_limit_is_an_option(tmp_path):
    settings = LintSettings(today=TODAY, options={"DOSE004": {"max_minutes": 200}})
    assert lint(tmp_path, long_session, settings) == []
    assert SessionTime.options == {"max_minutes": 45}


def test_minimal_session_is_fine(tmp_path):
    assert lint(tmp_path) == []
