"""Reporters: a RunReport in, text out. One name table serves schema errors and lint findings.

Each reporter is a function `(report, context) -> str`, one module per format; the command
prints or writes the result. What a format needs only when it runs is imported inside it, so
that start-up stays light.
"""

from __future__ import annotations

from protocol_kit.report.base import INFORMATION_URI, ReportContext, Reporter
from protocol_kit.report.github import github_report
from protocol_kit.report.json import json_report
from protocol_kit.report.junit import junit_report
from protocol_kit.report.sarif import sarif_report
from protocol_kit.report.text import summary_line, text_report

REPORTERS: dict[str, Reporter] = {
    "text": text_report,
    "json": json_report,
    "github": github_report,
    "sarif": sarif_report,
    "junit": junit_report,
}
FORMATS = tuple(REPORTERS)  # cli/validate.py names them too, to keep start-up light

__all__ = ["FORMATS", "INFORMATION_URI", "REPORTERS", "ReportContext", "Reporter", "summary_line"]
