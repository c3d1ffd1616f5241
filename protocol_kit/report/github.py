"""GitHub Actions workflow commands: each finding an annotation on its file.

GitHub places an annotation by the path from the repository's root, so paths are given from
the root of the git repository protokit runs in (from a subfolder too); outside git, from the
current folder. A path that could not be checked is an error annotation without a file.
"""

from __future__ import annotations

from protocol_kit.findings import RunReport, Severity
from protocol_kit.report.base import ReportContext, pointer_note, shown
from protocol_kit.report.paths import project_root
from protocol_kit.untrusted.text import printable


def _github_escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github_report(report: RunReport, context: ReportContext) -> str:
    """One `::error` or `::warning` workflow command per finding."""
    root = project_root()
    lines = []
    for finding in map(shown, report.findings()):
        path = finding.path if finding.path == "-" else root.shown(finding.path)
        props = [f"file={_github_escape(printable(path), True)}"]
        if finding.line is not None:
            props += [f"line={finding.line}", f"col={finding.column or 1}"]
        props.append(f"title={_github_escape(finding.code, True)}")
        where = pointer_note(finding)
        command = "error" if finding.severity is Severity.ERROR else "warning"
        lines.append(f"::{command} {','.join(props)}::{_github_escape(finding.message + where)}")
    for failure in report.path_errors:
        message = printable(f"{failure.path}: {failure.message}")
        lines.append(f"::error title={failure.code}::{_github_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
