"""The text report for a terminal or a log, and the one-line summary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from protocol_kit.findings import FileReport, Finding, RunReport, RunTally, Severity
from protocol_kit.report.base import (
    WARNINGS_COUNT,
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
    return "".join(text_stream(report.reported(), report.tally(), context))


def text_stream(
    files: Iterable[FileReport], tally: RunTally, context: ReportContext
) -> Iterator[str]:
    """The text report's lines, each file's as it comes (written while the run goes on)."""
    for file in files:
        for finding in file.findings:
            yield finding_line(finding, context.color) + "\n"


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


def summary_line(report: RunReport | RunTally) -> str:
    """A one-line summary for stderr."""
    tally = report.tally() if isinstance(report, RunReport) else report
    files = tally.files
    errors, warnings = tally.errors, tally.warnings
    noun = "file" if files == 1 else "files"
    unchecked = len(tally.path_errors)
    not_all = (
        f"; {unchecked} path{'s' * (unchecked != 1)} could not be checked" if unchecked else ""
    )
    if not errors and not warnings:
        verdict = "all valid" if not unchecked else "no problems found"
        return f"checked {files} {noun}: {verdict}{not_all}"
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    return (
        f"checked {files} {noun}: {tally.failed} failed ({', '.join(parts)}){not_all}"
        f"{_strict(tally)}{waiting(tally.rules_waiting)}"
    )


def _strict(tally: RunTally) -> str:
    """Said when warnings fail the run: "1 failed (0 errors, 10 warnings)" left a clinic lead
    looking for the error in a CI log (and annotations) of warnings only."""
    if not (tally.warnings_as_errors and tally.warnings):
        return ""
    return f"; {WARNINGS_COUNT} (--warnings-as-errors, or warnings_as_errors in the configuration)"


def waiting(files: int) -> str:
    """Said when some files were not checked by every rule: the findings come in rounds (the
    schema, the references, then the rules), and a reader who fixes the first should know
    that more may follow."""
    if not files:
        return ""
    which = "1 file has" if files == 1 else f"{files} files have"
    its = "its" if files == 1 else "their"
    return f"; {which} schema or reference errors: {rules_waiting_words(its)}"
