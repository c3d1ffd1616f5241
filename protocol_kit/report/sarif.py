"""SARIF 2.1.0, for code-scanning interfaces."""

from __future__ import annotations

import json

from protocol_kit import __version__
from protocol_kit.findings import RunReport, Severity
from protocol_kit.report.base import INFORMATION_URI, ReportContext


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
    for finding in report.findings():
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
    from urllib.parse import quote

    return quote(path.replace("\\", "/"))
