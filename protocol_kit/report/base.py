"""What every reporter shares: the context it is given and how a location is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from protocol_kit.findings import Finding, RunReport

INFORMATION_URI = "https://schemas.protocol-kit.org/"


@dataclass(frozen=True)
class ReportContext:
    """What a reporter may need beyond the findings."""

    color: bool = False
    rule_summaries: Mapping[str, str] = field(default_factory=dict)
    tool_name: str = "protokit"


def location(finding: Finding) -> str:
    if finding.line is None:
        return finding.path
    return f"{finding.path}:{finding.line}:{finding.column or 1}"


Reporter = Callable[[RunReport, ReportContext], str]
