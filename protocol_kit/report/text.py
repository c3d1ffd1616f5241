"""The text report for a terminal or a log, and the one-line summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

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


def starting_texts_folded(
    findings: Iterable[Finding], listed_by: Callable[[str], str]
) -> Iterator[str]:
    """The findings' lines as the text report prints them, but a file's warnings that a text
    is still a starting text of `protokit new` (GOV009) in one line where there are several:
    how many, and what lists each (`listed_by(path)`). A new protocol's sheet or build
    printed 11 to 24 of them, one per red flag, stop criterion and band, and a real warning
    among them went unread (H784, H832). Every error, and every other warning, is its own
    line as before."""
    from collections import Counter

    from protocol_kit.lint.rules.starter_text import StarterText
    from protocol_kit.untrusted.text import printable

    findings = list(findings)
    starter = StarterText.code  # the rule that marks each starting text until a sign-off
    folded = Counter(
        f.path for f in findings if f.code == starter and f.severity is Severity.WARNING
    )
    said: set[str] = set()
    for finding in findings:
        count = folded.get(finding.path, 0) if finding.code == starter else 0
        if finding.severity is not Severity.WARNING or count < 2:
            yield finding_line(finding)
        elif finding.path not in said:  # said once, where the first one was
            said.add(finding.path)
            yield (
                f"{printable(finding.path)}: warning {starter} {count} texts are still the "
                f"starting texts protokit new wrote, not yet reviewed: {listed_by(finding.path)}"
                "; change them to fit this programme, or keep them (a sign_off records the "
                "review)"
            )


def validate_lists_each(path: str) -> str:
    """What lists each starting text of a file the user has (render, build, bundle create)."""
    from protocol_kit.untrusted.text import advised_command

    return f"{advised_command('protokit validate', path)} lists each"


def folded_report(report: RunReport, listed_by: Callable[[str], str]) -> str:
    """The text report with each file's starting texts folded (`starting_texts_folded`)."""
    return "".join(
        line + "\n"
        for file in report.reported()
        for line in starting_texts_folded(file.findings, listed_by)
    )


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
