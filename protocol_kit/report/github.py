"""GitHub Actions workflow commands: each finding an annotation on its file."""

from __future__ import annotations

from protocol_kit.findings import RunReport, Severity
from protocol_kit.report.base import ReportContext


def _github_escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github_report(report: RunReport, context: ReportContext) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the file."""
    lines = []
    for finding in report.findings():
        props = [f"file={_github_escape(finding.path, True)}"]
        if finding.line is not None:
            props += [f"line={finding.line}", f"col={finding.column or 1}"]
        props.append(f"title={_github_escape(finding.code, True)}")
        where = f" [{finding.pointer}]" if finding.pointer else ""
        command = "error" if finding.severity is Severity.ERROR else "warning"
        lines.append(f"::{command} {','.join(props)}::{_github_escape(finding.message + where)}")
    return "\n".join(lines) + ("\n" if lines else "")
