"""Reporters: a RunReport in, text out. One name table serves schema errors and lint findings.

Each reporter is a function `(report, context) -> str`, one module per format; the command
prints or writes the result. What a format needs only when it runs is imported inside it, so
that start-up stays light.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from protocol_kit.lean_imports import TYPE_CHECKING, import_module
from protocol_kit.report.base import INFORMATION_URI, ReportContext, Reporter
from protocol_kit.report.text import summary_line

if TYPE_CHECKING:
    from protocol_kit.findings import FileReport, RunReport, RunTally

# Format -> the module and function that writes it.
_REPORTER_FUNCTIONS = {
    "text": ("protocol_kit.report.text", "text_report"),
    "json": ("protocol_kit.report.json", "json_report"),
    "github": ("protocol_kit.report.github", "github_report"),
    "sarif": ("protocol_kit.report.sarif", "sarif_report"),
    "junit": ("protocol_kit.report.junit", "junit_report"),
}


# Formats whose reporter can also give the report in pieces, written as they come (a run over
# 100,000 files would otherwise hold its whole JSON report, and its dictionaries, in memory).
_PIECES_FUNCTIONS = {
    "json": ("protocol_kit.report.json", "json_report_pieces"),
}


def report_pieces(name: str, report: RunReport, context: ReportContext) -> Iterable[str]:
    """The report in format `name`, as pieces of text that join into `REPORTERS[name]`'s."""
    if name in _PIECES_FUNCTIONS:
        module, function = _PIECES_FUNCTIONS[name]
        return getattr(import_module(module), function)(report, context)
    return (REPORTERS[name](report, context),)


# Every format, written while the run goes on from each file's report as it is checked
# (`report_stream`): the text and GitHub reports line by line, the JSON and JUnit reports from
# a temporary file once their counts are known, SARIF from the files with findings only. A run
# over 100,000 files then holds what it holds over 1,000 (issue 17). Each, `NAME_stream` in the
# reporter's module, joins into what the reporter above writes of the run's `RunReport`.
def report_stream(
    name: str, files: Iterable[FileReport], tally: RunTally, context: ReportContext
) -> Iterator[str]:
    """The report in format `name` of `files`, pieces given as the files come: `tally` must
    count each file as it is given, and hold the run's time once the last one is (see
    `app.check.each_report`)."""
    module = import_module(_REPORTER_FUNCTIONS[name][0])
    return getattr(module, f"{name}_stream")(files, tally, context)


class _Reporters(Mapping[str, Reporter]):
    """Format -> reporter, each module imported when its format is first asked for: a run
    writes one format, and `protokit validate` of one file should not import the others."""

    def __getitem__(self, name: str) -> Reporter:
        module, function = _REPORTER_FUNCTIONS[name]
        return getattr(import_module(module), function)

    def __iter__(self) -> Iterator[str]:
        return iter(_REPORTER_FUNCTIONS)

    def __len__(self) -> int:
        return len(_REPORTER_FUNCTIONS)


REPORTERS: Mapping[str, Reporter] = _Reporters()
FORMATS = tuple(REPORTERS)  # cli/validate_run.py names them too, to keep start-up light

__all__ = [
    "FORMATS",
    "INFORMATION_URI",
    "REPORTERS",
    "ReportContext",
    "Reporter",
    "report_pieces",
    "report_stream",
    "summary_line",
]
