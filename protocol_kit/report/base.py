"""What every reporter shares: the context it is given and how a location is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from protocol_kit.findings import Finding, RunReport
from protocol_kit.untrusted.text import printable

INFORMATION_URI = "https://schemas.protocol-kit.org/"


@dataclass(frozen=True)
class ReportContext:
    """What a reporter may need beyond the findings."""

    color: bool = False
    rule_summaries: Mapping[str, str] = field(default_factory=dict)
    tool_name: str = "protokit"


def location(finding: Finding) -> str:
    path = printable(finding.path)
    if finding.line is None:
        return path
    return f"{path}:{finding.line}:{finding.column or 1}"


def shown(finding: Finding) -> Finding:
    """The finding with its code, message and pointer as one visible line each (see
    protocol_kit.untrusted.text): a newline, escape or NUL from a file name, a key or a value
    never forges a report line. The path is kept as it is, for the formats that need the file's
    real name (a SARIF URI); `location` shows it."""
    return replace(
        finding,
        code=printable(finding.code),
        message=printable(finding.message),
        pointer=printable(finding.pointer),
    )


Reporter = Callable[[RunReport, ReportContext], str]
