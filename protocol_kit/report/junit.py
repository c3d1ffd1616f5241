"""JUnit XML, for CI systems that show test reports."""

from __future__ import annotations

from protocol_kit.findings import RunReport
from protocol_kit.report.base import ReportContext, location


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
            f"    <testcase classname={quoteattr(context.tool_name)} name={quoteattr(file.path)}>"
        )
        failing = file.errors(report.warnings_as_errors)
        if failing:
            summary = f"{len(failing)} problem{'s' * (len(failing) != 1)}"
            body = "\n".join(
                f"{location(f)}: {f.severity.value} {f.code} {f.message}"
                + (f" [{f.pointer}]" if f.pointer else "")
                for f in file.findings
            )
            out.append(
                f"      <failure message={quoteattr(summary)} type={quoteattr(failing[0].code)}>"
                f"{xml_escape(body)}</failure>"
            )
        elif file.findings:
            body = "\n".join(f"{location(f)}: warning {f.code} {f.message}" for f in file.findings)
            out.append(f"      <system-out>{xml_escape(body)}</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(out)
