"""The JSON report: every finding with its file, place, code and severity."""

from __future__ import annotations

import json

from protocol_kit import __version__
from protocol_kit.findings import Finding, RunReport, Severity
from protocol_kit.report.base import ReportContext, shown
from protocol_kit.untrusted.text import printable


def json_report(report: RunReport, context: ReportContext) -> str:
    payload = {
        "tool": {"name": context.tool_name, "version": __version__},
        "summary": {
            "files": len(report.files),
            "failed": len(report.failed_files),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
        },
        "files": [
            {
                "path": printable(file.path),
                "kind": file.kind,
                "valid": not file.errors(report.warnings_as_errors),
                "findings": [_finding_dict(f) for f in file.findings],
            }
            for file in report.files
        ],
        # Paths that could not be checked at all (no such file, a folder without JSON files).
        "unchecked": [
            {"path": printable(f.path), "code": f.code, "message": f.message}
            for f in map(shown, report.path_errors)
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _finding_dict(finding: Finding) -> dict:
    finding = shown(finding)
    return {
        "path": printable(finding.path),
        "line": finding.line,
        "column": finding.column,
        "pointer": finding.pointer,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
    }
