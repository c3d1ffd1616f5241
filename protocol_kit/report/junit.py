"""JUnit XML, for CI systems that show test reports (Jenkins, GitLab, Azure Pipelines).

One test case per file, failed when the file has errors; a path that could not be checked is a
test case with an error. Suites and cases carry the time checking took, in seconds. File names,
codes and messages are shown as every report shows them (`protocol_kit.untrusted.text`): a
control, format or line-break character, or a byte of a file name that is not UTF-8, is written
as a visible escape (`\\n`, `\\x01`, `\\u202e`, `\\xff`), never dropped, so that any name gives
well-formed XML and a CI page shows each name on one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from protocol_kit.findings import FileReport, RunReport, RunTally, Severity
from protocol_kit.report.base import WARNINGS_COUNT, ReportContext, location, shown
from protocol_kit.report.paths import readable
from protocol_kit.report.text import finding_line
from protocol_kit.untrusted.text import printable

# What XML 1.0 cannot hold, even as a character reference: C0 controls other than tab, line
# feed and carriage return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_TEXT_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTRIBUTE_ONLY = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def xml_safe(text: str) -> str:
    """`text` with every character XML cannot hold written as an escape, byte for byte (a
    guard: what reaches here has been made printable already)."""
    text = readable(text)
    return _NOT_XML.sub(lambda m: _visible(m.group()), text)


def _visible(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _text(value: str) -> str:
    """Character data: escaped, and `\\r` kept (a parser would turn it into a line feed)."""
    return "".join(_TEXT_ENTITIES.get(c, c) for c in xml_safe(value))


def _attribute(value: str) -> str:
    """A quoted attribute value; line breaks and tabs kept as references, not normalised."""
    safe = xml_safe(value)
    return '"' + "".join(_ENTITIES.get(c) or _ATTRIBUTE_ONLY.get(c) or c for c in safe) + '"'


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def junit_report(report: RunReport, context: ReportContext) -> str:
    """JUnit XML that Jenkins' JUnit schema accepts."""
    tally = report.tally()
    cases = _cases(report.each_file(), tally.warnings_as_errors, context.tool_name)
    return "".join((*_head(tally, context.tool_name), *cases, *_tail(tally, context.tool_name)))


def junit_stream(
    files: Iterable[FileReport], tally: RunTally, context: ReportContext
) -> Iterator[str]:
    """The same report of files given as they are checked: the counts and the run's time come
    first, so the test cases wait in a temporary file (`spooled`) until the run is over."""
    from protocol_kit.report.spool import spooled

    tool = context.tool_name
    cases = spooled(_cases(files, tally.warnings_as_errors, tool))
    yield from _head(tally, tool)
    yield from cases
    yield from _tail(tally, tool)


def _head(tally: RunTally, tool: str) -> Iterator[str]:
    tests = tally.files + len(tally.path_errors)
    counts = f'tests="{tests}" failures="{tally.failed}" errors="{len(tally.path_errors)}"'
    total = _seconds(tally.seconds)
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<testsuites name={_attribute(tool)} {counts} time="{total}">\n'
    yield f'  <testsuite name={_attribute(tool + " validate")} {counts} time="{total}">\n'


def _cases(files: Iterable[FileReport], warnings_as_errors: bool, tool: str) -> Iterator[str]:
    for file in files:
        out = [
            f"    <testcase classname={_attribute(tool)} name={_attribute(printable(file.path))} "
            f'time="{_seconds(file.seconds)}">'
        ]
        failing = file.errors(warnings_as_errors)
        body = "\n".join(finding_line(f) for f in file.findings)
        if failing:
            # Counted as the text report counts them: "4 problems" above five lines (one a
            # warning) read as a miscount.
            errors = sum(f.severity is Severity.ERROR for f in file.findings)
            warnings = len(file.findings) - errors
            summary = _counted(errors, "error") + (
                f", {_counted(warnings, 'warning')}" if warnings else ""
            )
            if warnings_as_errors and warnings:  # "1 error" above a line of one warning
                summary += f" ({WARNINGS_COUNT})"
            if file.rules_waiting:  # more findings may follow the fix (the text summary's words)
                summary += "; the clinical safety rules check this file once these are fixed"
            out.append(
                f"      <failure message={_attribute(summary)} "
                f"type={_attribute(printable(failing[0].code))}>"
                f"{_text(body)}</failure>"
            )
        elif file.findings:
            out.append(f"      <system-out>{_text(body)}</system-out>")
        out.append("    </testcase>")
        yield "".join(line + "\n" for line in out)


def _tail(tally: RunTally, tool: str) -> Iterator[str]:
    for failure in map(shown, tally.path_errors):
        yield (
            f"    <testcase classname={_attribute(tool)} "
            f'name={_attribute(printable(failure.path))} time="0.000">\n'
            f"      <error message={_attribute(failure.message)} type={_attribute(failure.code)}>"
            f"{_text(f'{location(failure)}: {failure.message}')}</error>\n"
            "    </testcase>\n"
        )
    yield "  </testsuite>\n</testsuites>\n"
