"""The JSON report: every finding with its file, place, code and severity."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from protocol_kit import __version__
from protocol_kit.findings import (
    FileReport,
    Finding,
    LibraryPlace,
    RunReport,
    RunTally,
    shown_path,
)
from protocol_kit.report.base import ReportContext, shown
from protocol_kit.untrusted.text import printable


def json_report(report: RunReport, context: ReportContext) -> str:
    return "".join(json_report_pieces(report, context))


def json_report_pieces(report: RunReport, context: ReportContext) -> Iterator[str]:
    """The report as pieces of text, one file's entry at a time: a run over 100,000 files
    writes its report without holding it whole in memory (with its dictionaries, several times
    the size of the report's text). The pieces join into exactly what `json.dumps(payload,
    indent=2)` of the whole report would print."""
    tally = report.tally()
    yield _head(tally, context)
    yield from _entries(report.each_file(), tally.warnings_as_errors)
    yield from _tail(tally)


def json_stream(
    files: Iterable[FileReport], tally: RunTally, context: ReportContext
) -> Iterator[str]:
    """The same report of files given as they are checked: the summary comes first, so the
    entries wait in a temporary file (`spooled`) until the last file is counted."""
    from protocol_kit.report.spool import spooled

    entries = spooled(_entries(files, tally.warnings_as_errors))
    yield _head(tally, context)
    yield from entries
    yield from _tail(tally)


def _head(tally: RunTally, context: ReportContext) -> str:
    head = {
        "tool": {"name": context.tool_name, "version": __version__},
        "summary": {
            "files": tally.files,
            "failed": tally.failed,
            "errors": tally.errors,
            "warnings": tally.warnings,
            # Files whose clinical safety rules wait for their schema or reference errors to be
            # fixed: a CI step that fixes those should expect more findings, not a pass.
            "rules_waiting": tally.rules_waiting,
        },
    }
    return _dumps(head)[:-2] + ',\n  "files": ['


def _entries(files: Iterable[FileReport], warnings_as_errors: bool) -> Iterator[str]:
    for index, file in enumerate(files):
        entry = {
            "path": printable(file.path),
            "kind": file.kind,
            "valid": not file.errors(warnings_as_errors),
            "rules_waiting": file.rules_waiting,
            "findings": [_finding_dict(f) for f in file.findings],
        }
        # Nested two levels deep: every line of the entry moves right by four spaces. A
        # string value never holds a raw newline (JSON escapes it), so lines are entries'.
        yield ("," if index else "") + "\n    " + _dumps(entry).replace("\n", "\n    ")


def _tail(tally: RunTally) -> Iterator[str]:
    yield "\n  ]" if tally.files else "]"
    # Paths that could not be checked at all (no such file, a folder without JSON files).
    unchecked = [
        {"path": printable(f.path), "code": f.code, "message": f.message}
        for f in map(shown, tally.path_errors)
    ]
    yield ',\n  "unchecked": ' + _dumps(unchecked).replace("\n", "\n  ") + "\n}\n"


def _dumps(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _finding_dict(finding: Finding) -> dict:
    finding = shown(finding)
    entry = {
        "path": printable(finding.path),
        "line": finding.line,
        "column": finding.column,
        "pointer": finding.pointer,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
    }
    if finding.in_library is not None:
        # The text found comes from a library exercise: where it is in that file.
        entry["library"] = library_dict(finding.in_library)
    return entry


def library_dict(place: LibraryPlace) -> dict:
    """A place in a library exercise's file, as the JSON report and the workbench give it."""
    return {
        "path": printable(shown_path(place.path)),
        "exercise": printable(place.exercise),
        "pointer": printable(place.pointer),
        "line": place.line,
        "column": place.column,
    }
