"""Reporters: a RunReport in, text out. One name table serves schema errors and lint findings.

Each reporter is a function `(report, context) -> str`; the command prints the result to stdout.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from protocol_kit import __version__
from protocol_kit.findings import Finding, RunReport, Severity
from protocol_kit.untrusted.text import printable

INFORMATION_URI = "https://schemas.protocol-kit.org/"


@dataclass(frozen=True)
class ReportContext:
    """What a reporter may need beyond the findings."""

    color: bool = False
    rule_summaries: Mapping[str, str] = field(default_factory=dict)
    tool_name: str = "protokit"


def _location(finding: Finding) -> str:
    if finding.line is None:
        return printable(finding.path)
    return f"{printable(finding.path)}:{finding.line}:{finding.column or 1}"


_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def text_report(report: RunReport, context: ReportContext) -> str:
    """`file:line:column: severity CODE message [pointer]`, one line a finding."""
    lines = []
    for finding in map(_printable_finding, report.findings()):
        where = f" [{finding.pointer}]" if finding.pointer else ""
        severity = finding.severity.value
        if context.color:
            color = _COLORS[finding.severity]
            lines.append(
                f"{_BOLD}{_location(finding)}{_RESET}: {color}{severity}{_RESET} "
                f"{_BOLD}{finding.code}{_RESET} {finding.message}{_DIM}{where}{_RESET}"
            )
        else:
            lines.append(
                f"{_location(finding)}: {severity} {finding.code} {finding.message}{where}"
            )
    return "\n".join(lines) + ("\n" if lines else "")


def summary_line(report: RunReport) -> str:
    """A one-line summary for stderr."""
    files = len(report.files)
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    failed = len(report.failed_files)
    noun = "file" if files == 1 else "files"
    if not errors and not warnings:
        return f"checked {files} {noun}: all valid"
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    return f"checked {files} {noun}: {failed} failed ({', '.join(parts)})"


def _printable_finding(finding: Finding) -> Finding:
    """A finding whose texts are one visible line each (see protocol_kit.untrusted.text)."""
    from dataclasses import replace

    return replace(
        finding,
        code=printable(finding.code),
        message=printable(finding.message),
        pointer=printable(finding.pointer),
    )


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
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _finding_dict(finding: Finding) -> dict:
    finding = _printable_finding(finding)
    return {
        "path": printable(finding.path),
        "line": finding.line,
        "column": finding.column,
        "pointer": finding.pointer,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
    }


def _github_escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github_report(report: RunReport, context: ReportContext) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the file."""
    lines = []
    for finding in map(_printable_finding, report.findings()):
        props = [f"file={_github_escape(printable(finding.path), True)}"]
        if finding.line is not None:
            props += [f"line={finding.line}", f"col={finding.column or 1}"]
        props.append(f"title={_github_escape(finding.code, True)}")
        where = f" [{finding.pointer}]" if finding.pointer else ""
        command = "error" if finding.severity is Severity.ERROR else "warning"
        lines.append(f"::{command} {','.join(props)}::{_github_escape(finding.message + where)}")
    return "\n".join(lines) + ("\n" if lines else "")


def sarif_report(report: RunReport, context: ReportContext) -> str:
    """SARIF 2.1.0, for code-scanning interfaces."""
    codes = sorted({f.code for f in report.findings()} | set(context.rule_summaries))
    rule_index = {code: i for i, code in enumerate(codes)}
    rules = [
        {
            "id": code,
            "shortDescription": {"text": context.rule_summaries.get(code, code)},
        }
        for code in codes
    ]
    results = []
    for finding in map(_printable_finding, report.findings()):
        region = {}
        if finding.line is not None:
            region = {"startLine": finding.line, "startColumn": finding.column or 1}
        location: dict = {
            "physicalLocation": {"artifactLocation": {"uri": _sarif_uri(finding.path)}}
        }
        if region:
            location["physicalLocation"]["region"] = region
        if finding.pointer:
            location["logicalLocations"] = [
                {"fullyQualifiedName": finding.pointer, "kind": "member"}
            ]
        results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": rule_index[finding.code],
                "level": "error" if finding.severity is Severity.ERROR else "warning",
                "message": {"text": finding.message},
                "locations": [location],
            }
        )
    payload = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": context.tool_name,
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _sarif_uri(path: str) -> str:
    import os
    from urllib.parse import quote

    # The file's bytes, percent-encoded: a name that is not UTF-8 is still the right file.
    return quote(os.fsencode(path.replace("\\", "/")))


def junit_report(report: RunReport, context: ReportContext) -> str:
    """JUnit XML: one test case per file, failed when the file has errors."""
    # Imported here: xml.sax.saxutils pulls in urllib and http (15 ms at every start-up).
    from xml.sax.saxutils import escape as xml_escape
    from xml.sax.saxutils import quoteattr

    failures = len(report.failed_files)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="{context.tool_name}" tests="{len(report.files)}" '
        f'failures="{failures}">',
        f'  <testsuite name="{context.tool_name} validate" tests="{len(report.files)}" '
        f'failures="{failures}" errors="0">',
    ]
    for file in report.files:
        out.append(
            f"    <testcase classname={quoteattr(context.tool_name)} "
            f"name={quoteattr(printable(file.path))}>"
        )
        failing = file.errors(report.warnings_as_errors)
        findings = [_printable_finding(f) for f in file.findings]
        if failing:
            summary = f"{len(failing)} problem{'s' * (len(failing) != 1)}"
            body = "\n".join(
                f"{_location(f)}: {f.severity.value} {f.code} {f.message}"
                + (f" [{f.pointer}]" if f.pointer else "")
                for f in findings
            )
            out.append(
                f"      <failure message={quoteattr(summary)} "
                f"type={quoteattr(printable(failing[0].code))}>"
                f"{xml_escape(body)}</failure>"
            )
        elif file.findings:
            body = "\n".join(f"{_location(f)}: warning {f.code} {f.message}" for f in findings)
            out.append(f"      <system-out>{xml_escape(body)}</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(out)


Reporter = Callable[[RunReport, ReportContext], str]
REPORTERS: dict[str, Reporter] = {
    "text": text_report,
    "json": json_report,
    "github": github_report,
    "sarif": sarif_report,
    "junit": junit_report,
}
