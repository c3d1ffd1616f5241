"""The text report for a terminal or a log, and the one-line summary."""

from __future__ import annotations

from protocol_kit.findings import Finding, RunReport, Severity
from protocol_kit.report.base import (
    ReportContext,
    location,
    pointer_note,
    rules_waiting_words,
    shown,
)

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def text_report(report: RunReport, context: ReportContext) -> str:
    """`file:line:column: severity CODE message [pointer]`, one line a finding."""
    lines = [finding_line(finding, context.color) for finding in report.findings()]
    return "\n".join(lines) + ("\n" if lines else "")


def finding_line(finding: Finding, color: bool = False) -> str:
    """One finding as the text report prints it (also `render`'s warnings)."""
    finding = shown(finding)
    where = pointer_note(finding)
    severity = finding.severity.value
    if color:
        return (
            f"{_BOLD}{location(finding)}{_RESET}: {_COLORS[finding.severity]}{severity}{_RESET} "
            f"{_BOLD}{finding.code}{_RESET} {finding.message}{_DIM}{where}{_RESET}"
        )
    return f"{location(finding)}: {severity} {finding.code} {finding.message}{where}"


def summary_line(report: RunReport) -> str:
    """A one-line summary for stderr."""
    files = len(report.files)
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    failed = len(report.failed_files)
    noun = "file" if files == 1 else "files"
    unchecked = len(report.path_errors)
    not_all = (
        f"; {unchecked} path{'s' * (unchecked != 1)} could not be checked" if unchecked else ""
    )
    if not errors and not warnings:
        verdict = "all valid" if not unchecked else "no problems found"
        return f"checked {files} {noun}: {verdict}{not_all}"
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    return f"checked {files} {noun}: {failed} failed ({', '.join(parts)}){not_all}{waiting(report)}"


def waiting(report: RunReport) -> str:
    """Said when some files were not checked by every rule: the findings come in rounds (the
    schema, the references, then the rules), and a reader who fixes the first should know
    that more may follow."""
    files = sum(r.rules_waiting for r in report.reported())
    if not files:
        return ""
    which = "1 file has" if files == 1 else f"{files} files have"
    its = "its" if files == 1 else "their"
    return f"; {which} schema or reference errors: {rules_waiting_words(its)}"
