"""Reporters: the same findings in every format, each one a tool can read."""

from __future__ import annotations

import json

from protocol_kit.findings import FileReport, Finding, RunReport, Severity
from protocol_kit.report import REPORTERS, ReportContext, summary_line


def sample() -> RunReport:
    bad = FileReport(
        "protocols/a.json",
        "protocol",
        [
            Finding(
                "protocols/a.json",
                "SCHEMA002",
                "missing required field 'stop_criteria'",
                pointer="/safety",
                line=12,
                column=5,
            ),
            Finding(
                "protocols/a.json",
                "TXT001",
                'text with "quotes", commas: and\nnewline',
                Severity.WARNING,
                "/title",
                3,
                14,
            ),
        ],
    )
    good = FileReport("protocols/b.json", "protocol", [])
    return RunReport([bad, good])


def test_text_lines_name_file_line_column_code_and_pointer():
    text = REPORTERS["text"](sample(), ReportContext())
    first = text.splitlines()[0]
    assert first == (
        "protocols/a.json:12:5: error SCHEMA002 missing required field 'stop_criteria' [/safety]"
    )


def test_text_has_colour_only_when_asked():
    assert "\x1b[" not in REPORTERS["text"](sample(), ReportContext(color=False))
    assert "\x1b[31m" in REPORTERS["text"](sample(), ReportContext(color=True))


def test_json_report_round_trips():
    payload = json.loads(REPORTERS["json"](sample(), ReportContext()))
    assert payload["summary"] == {
        "files": 2,
        "failed": 1,
        "errors": 1,
        "warnings": 1,
        "rules_waiting": 0,
    }
    first = payload["files"][0]["findings"][0]
    assert (first["line"], first["column"], first["pointer"]) == (12, 5, "/safety")
    assert payload["files"][1]["valid"] is True


def _as_one_document(text: str) -> str:
    # What the report printed before it was written in pieces: the whole payload dumped at once.
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_json_report_in_pieces_is_the_document_dumped_whole():
    from protocol_kit.report import report_pieces

    missing = Finding("nowhere.json", "IO001", 'no such file: \u00e9\u00e8 "quoted"\nline')
    reports = [
        sample(),
        RunReport(),
        RunReport(path_errors=[missing]),
        RunReport(sample().files * 3, warnings_as_errors=True, path_errors=[missing, missing]),
    ]
    for report in reports:
        pieces = list(report_pieces("json", report, ReportContext()))
        text = "".join(pieces)
        assert text == REPORTERS["json"](report, ReportContext())
        assert text == _as_one_document(text)
        # One piece per file between the head and the tail: never held whole.
        assert len(pieces) == len(report.files) + 3


def test_github_annotations_escape_special_characters():
    lines = REPORTERS["github"](sample(), ReportContext()).splitlines()
    assert lines[0].startswith("::error file=protocols/a.json,line=12,col=5,title=SCHEMA002::")
    assert lines[1].startswith("::warning ")
    # A line break from a file is shown, escaped, on the annotation's one line.
    assert "and\\nnewline" in lines[1] and "\n" not in lines[1] and len(lines) == 2


def test_warnings_as_errors_changes_the_exit_code():
    report = RunReport(
        [
            FileReport(
                "a.json",
                "protocol",
                [Finding("a.json", "TXT001", "hard to read", Severity.WARNING)],
            )
        ]
    )
    assert report.exit_code == 0
    report.warnings_as_errors = True
    assert report.exit_code == 1


def test_summary_line():
    assert summary_line(sample()) == "checked 2 files: 1 failed (1 error, 1 warning)"
    assert summary_line(RunReport([FileReport("a.json")])) == "checked 1 file: all valid"


def test_machine_reports_say_which_files_still_wait_for_the_safety_rules():
    """A file with schema or reference errors is not checked by the clinical safety rules yet
    (only its TODOs are listed): the text summary said so, but a CI job reading the JSON or
    SARIF report saw only the schema errors and could take a fixed file's next run, with new
    safety findings, for a regression."""
    from conftest import CASES, run_protokit

    waiting = CASES / "validate" / "invalid" / "schema-error-with-todos-left" / "protocol.json"
    valid = CASES.parent.parent / "protocols" / "psoas-stretch-glute-bridge.json"
    result = run_protokit("validate", "-f", "json", str(waiting), str(valid))
    payload = json.loads(result.stdout)
    assert payload["summary"]["rules_waiting"] == 1
    assert [f["rules_waiting"] for f in payload["files"]] == [True, False]
    result = run_protokit("validate", "-f", "sarif", str(waiting), str(valid))
    notes = json.loads(result.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["note"]
    assert notes[0]["descriptor"]["id"] == "rules-waiting"
    assert "clinical safety rules" in notes[0]["message"]["text"]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "schema-error-with-todos-left/protocol.json"
    )
    junit = run_protokit("validate", "-f", "junit", str(waiting), str(valid)).stdout
    assert junit.count("the clinical safety rules check this file once these are fixed") == 1
