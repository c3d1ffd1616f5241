"""The engine: rule selection, severities, and the hook's picklability for worker processes."""

from __future__ import annotations

import pickle

from lint_helpers import TODAY, codes, exercise, lint

from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.lint.registry import RULES, RULES_BY_CODE


def long_hold(data):
    exercise(data)["type"] = "stretch"
    exercise(data)["dosage"]["hold_seconds"] = 90


def test_codes_are_unique_and_well_formed():
    assert len(RULES_BY_CODE) == len(RULES)
    for rule in RULES:
        assert rule.code.rstrip("0123456789").isalpha() and len(rule.code) <= 8
        assert rule.summary and rule.summary[0].islower() and not rule.summary.endswith(".")


def test_select_and_ignore_by_prefix():
    settings = LintSettings(select=("DOSE", "SAFE001"), ignore=("DOSE004",))
    assert settings.enabled("DOSE002") and settings.enabled("SAFE001")
    assert not settings.enabled("DOSE004") and not settings.enabled("CODE001")
    # A rule that keeps the patient safe runs whatever `select` leaves out (issue: safety rules
    # switched off by configuration).
    assert settings.enabled("SAFE002")
    assert LintSettings(select=("ALL",), ignore=("TEXT",)).enabled("GOV001")


def test_engine_stamps_the_configured_severity(tmp_path):
    settings = LintSettings(today=TODAY, severity={"DOSE002": "error"})
    (finding,) = lint(tmp_path, long_hold, settings)
    assert (finding.code, finding.severity.value) == ("DOSE002", "error")


def test_ignored_rule_does_not_run(tmp_path):
    assert lint(tmp_path, long_hold, LintSettings(today=TODAY, ignore=("DOSE",))) == []
    assert codes(lint(tmp_path, long_hold)) == [("DOSE002", "/exercises/0/dosage/hold_seconds")]


def test_linter_crosses_into_worker_processes():
    from conftest import CASES
    from protocol_kit.app.check import load_protocol
    from protocol_kit.loading import load

    path = str(CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json")
    linter = Linter(LintSettings(today=TODAY, ignore=("TEXT",)))
    document = load(path)
    assert linter(load_protocol(path), document) == []  # starts a git process in this repo
    copy = pickle.loads(pickle.dumps(linter))
    assert copy.settings == linter.settings
    assert copy(load_protocol(path), document) == []
