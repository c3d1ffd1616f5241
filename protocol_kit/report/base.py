"""What every reporter shares: the context it is given and how a location is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from protocol_kit.findings import Finding, RunReport, Severity
from protocol_kit.record import Record, init, replace
from protocol_kit.untrusted.text import QUOTED_LIMIT, capped, printable

INFORMATION_URI = "https://schemas.protocol-kit.org/"


class EarlierReport:
    """What `validate -o FILE` may replace: nothing, an empty file, or a report protokit wrote
    in any of its formats (a CI job writes one to the same path on every run). Anything else is
    refused (H233): `validate a.json -o b.json` replaced the protocol b.json with the report.
    Duck-typed as a `files.FileKind` for `files.refuse_to_replace`."""

    name = "a report protokit wrote"
    _STARTS = (
        b'{\n  "tool": {\n    "name": "protokit"',  # json
        b'{\n  "$schema": "https://json.schemastore.org/sarif',  # sarif
        b"::error ",  # github
        b"::warning ",
        b"::notice ",
    )

    def matches(self, path) -> bool:  # noqa: ANN001 (a path, as FileKind.matches takes)
        import re

        with open(path, "rb") as stream:
            head = stream.read(4096)
        if not head or head.startswith(self._STARTS):
            return True
        if head.startswith(b"<?xml") and b'<testsuites name="protokit"' in head:
            return True
        # text: `FILE:LINE:COLUMN: severity CODE message`, or `FILE: severity IO001 ...`
        first = head.split(b"\n", 1)[0]
        return re.match(rb".*?(:\d+:\d+)?: (error|warning) [A-Z]+[0-9]+ ", first) is not None


EARLIER_REPORT = EarlierReport()


class ReportContext(Record):
    """What a reporter may need beyond the findings."""

    __slots__ = ("color", "rule_summaries", "tool_name")
    color: bool
    rule_summaries: Mapping[str, str]
    tool_name: str

    def __init__(
        self,
        color: bool = False,
        rule_summaries: Mapping[str, str] | None = None,
        tool_name: str = "protokit",
    ) -> None:
        init(self, "color", color)
        init(self, "rule_summaries", {} if rule_summaries is None else rule_summaries)
        init(self, "tool_name", tool_name)


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


def rules_waiting_words(its: str = "its") -> str:
    """What every report says of a file whose clinical safety rules wait for its schema or
    reference errors to be fixed (`FileReport.rules_waiting`): more findings may follow."""
    return (
        f"the clinical safety rules check {its} content once they are fixed "
        f"({its} TODOs are listed now)"
    )


def pointer_note(finding: Finding) -> str:
    """` [pointer]` after a finding's message in the reports people read, shortened: a key of
    thousands of characters is a value from the file, and the line and column say where it is
    (the JSON and SARIF reports keep the whole pointer for tools)."""
    return f" [{capped(finding.pointer, 2 * QUOTED_LIMIT)}]" if finding.pointer else ""


Reporter = Callable[[RunReport, ReportContext], str]


# The rule that marks each starting text until a sign-off (`lint.rules.starter_text`): named
# here, not imported, so that the reports do not import the lint.
STARTER = "GOV009"


def starting_texts(findings: list[Finding]) -> list[Finding]:
    """A file's starting texts still to review (GOV009 warnings) when there are several, which
    the reports people read say once (text, `github`): [] for one or none."""
    found = [f for f in findings if f.code == STARTER and f.severity is Severity.WARNING]
    return found if len(found) > 1 else []


def starting_texts_count(count: int) -> str:
    return f"{count} texts are still the starting texts protokit new wrote, not yet reviewed"


# What a warning that fails the run is called where a report has only "error" and "warning"
# (GitHub annotations, SARIF levels, JUnit failures): a CI job failed by warnings alone showed
# only yellow warning annotations and a "warning" in code scanning, and the clinic lead looked
# for an error that was not there.
WARNINGS_COUNT = "warnings count as errors here"
COUNTED_AS_ERROR = f"a warning; {WARNINGS_COUNT}"


def reported_level(finding: Finding, warnings_as_errors: bool) -> tuple[str, str]:
    """The finding's level where a report has only "error" and "warning", and what is said
    after its title or message: a warning fails the run when warnings count as errors
    (--warnings-as-errors, or warnings_as_errors in the configuration), and is then an error
    said to be "a warning; warnings count as errors here"."""
    if finding.severity is Severity.ERROR:
        return "error", ""
    if warnings_as_errors:
        return "error", f" ({COUNTED_AS_ERROR})"
    return "warning", ""
