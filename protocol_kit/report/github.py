"""GitHub Actions workflow commands: each finding an annotation on its file.

GitHub places an annotation by the path from the repository's root, so paths are given from
the root of the git repository protokit runs in (from a subfolder too); outside git, from the
current folder. A path that could not be checked is an error annotation without a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from protocol_kit.findings import FileReport, Finding, RunReport, RunTally
from protocol_kit.report.base import ReportContext, pointer_note, reported_level, shown
from protocol_kit.report.paths import ProjectRoot, project_root
from protocol_kit.untrusted.text import printable


def _github_escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def library_note(finding: Finding, root: ProjectRoot) -> str:
    """` (library/x.json:LINE:COLUMN)` after an annotation about a library exercise's text at
    a protocol: where to make the change, from the repository's root as annotations' files
    are (the message names the file from the working folder, and no line)."""
    place = finding.in_library
    if place is None or place.line is None:
        return ""
    return f" ({printable(root.shown(place.path))}:{place.line}:{place.column or 1})"


def github_report(report: RunReport, context: ReportContext) -> str:
    """One `::error` or `::warning` workflow command per finding."""
    return "".join(github_stream(report.reported(), report.tally(), context))


def github_stream(
    files: Iterable[FileReport], tally: RunTally, context: ReportContext
) -> Iterator[str]:
    """The annotations, each file's as it comes, then the paths that could not be checked."""
    root = project_root()
    for file in files:
        for finding in map(shown, file.findings):
            path = finding.path if finding.path == "-" else root.shown(finding.path)
            props = [f"file={_github_escape(printable(path), True)}"]
            if finding.line is not None:
                props += [f"line={finding.line}", f"col={finding.column or 1}"]
            command, note = reported_level(finding, tally.warnings_as_errors)
            props.append(f"title={_github_escape(finding.code + note, True)}")
            note = pointer_note(finding) + library_note(finding, root)
            message = _github_escape(finding.message + note)
            yield f"::{command} {','.join(props)}::{message}\n"
    for failure in tally.path_errors:
        message = printable(f"{failure.path}: {failure.message}")
        yield f"::error title={failure.code}::{_github_escape(message)}\n"
