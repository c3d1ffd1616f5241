"""In-file suppressions: SUP001 unused, SUP002 unknown rule, SUP003 pointer names nothing."""

from lint_helpers import codes, exercise, lint

REASON = "Hold agreed with the spinal team for this patient group."


def long_hold_suppressed(*suppressions):
    def change(data):
        exercise(data)["type"] = "stretch"
        exercise(data)["dosage"]["hold_seconds"] = 90
        data["suppress"] = list(suppressions)

    return change


def test_suppression_with_a_reason_hides_the_finding(tmp_path):
    rule = {"rule": "DOSE002", "at": "/exercises/0/dosage", "reason": REASON}
    assert lint(tmp_path, long_hold_suppressed(rule)) == []


def test_whole_file_suppression(tmp_path):
    assert lint(tmp_path, long_hold_suppressed({"rule": "DOSE002", "reason": REASON})) == []


def test_suppression_elsewhere_does_not_hide_it(tmp_path):
    rule = {"rule": "DOSE002", "at": "/safety", "reason": REASON}
    assert codes(lint(tmp_path, long_hold_suppressed(rule))) == [
        ("DOSE002", "/exercises/0/dosage/hold_seconds"),
        ("SUP001", "/suppress/0"),
    ]


def test_unused_suppression(tmp_path):
    def change(data):
        data["suppress"] = [{"rule": "DOSE001", "reason": REASON}]

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SUP001", "/suppress/0")]
    assert findings[0].severity.value == "warning"


def test_unknown_rule(tmp_path):
    findings = lint(tmp_path, long_hold_suppressed({"rule": "DOS002", "reason": REASON}))
    assert ("SUP002", "/suppress/0/rule") in codes(findings)
    assert ("DOSE002", "/exercises/0/dosage/hold_seconds") in codes(findings)


def test_reference_errors_cannot_be_suppressed(tmp_path):
    findings = lint(tmp_path, long_hold_suppressed({"rule": "REF001", "reason": REASON}))
    assert ("SUP002", "/suppress/0/rule") in codes(findings)


def test_pointer_that_names_nothing(tmp_path):
    rule = {"rule": "DOSE002", "at": "/exercises/7/dosage", "reason": REASON}
    assert ("SUP003", "/suppress/0/at") in codes(lint(tmp_path, long_hold_suppressed(rule)))


def test_suppression_without_a_reason_is_a_schema_error(tmp_path):
    import json

    from lint_helpers import minimal

    from protocol_kit.app.check import CheckOptions, FileChecker

    data = minimal()
    data["suppress"] = [{"rule": "DOSE002"}]
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(data))
    report = FileChecker(CheckOptions()).check(str(path))
    assert [(f.code, f.pointer) for f in report.findings] == [("SCHEMA002", "/suppress/0")]
    assert "reason" in report.findings[0].message
