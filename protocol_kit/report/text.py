"""The text report for a terminal or a log, and the one-line summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from protocol_kit.findings import FileReport, Finding, LibraryPlace, RunReport, RunTally, Severity
from protocol_kit.report.base import (
    WARNINGS_COUNT,
    ReportContext,
    location,
    pointer_note,
    rules_waiting_words,
    shown,
    starting_texts,
    starting_texts_count,
)

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def text_report(report: RunReport, context: ReportContext) -> str:
    """`file:line:column: severity CODE message [pointer]`, one line a finding."""
    return "".join(text_stream(report.reported(), report.tally(), context))


def text_stream(
    files: Iterable[FileReport], tally: RunTally, context: ReportContext
) -> Iterator[str]:
    """The text report's lines, each file's as it comes (written while the run goes on)."""
    for file in files:
        for line in file_lines(file.findings, color=context.color):
            yield line + "\n"


def finding_line(finding: Finding, color: bool = False) -> str:
    """One finding as the text report prints it (also `render`'s warnings)."""
    finding = shown(finding)
    return _line(location(finding), finding, finding.message, pointer_note(finding), color)


def _line(where: str, finding: Finding, said: str, note: str, color: bool) -> str:
    """`where: severity CODE said note`, in colour for a terminal."""
    severity = finding.severity.value
    if color:
        return (
            f"{_BOLD}{where}{_RESET}: {_COLORS[finding.severity]}{severity}{_RESET} "
            f"{_BOLD}{finding.code}{_RESET} {said}{_DIM}{note}{_RESET}"
        )
    return f"{where}: {severity} {finding.code} {said}{note}"


def file_lines(
    findings: Iterable[Finding],
    listed_by: Callable[[str], str] | None = None,
    color: bool = False,
) -> Iterator[str]:
    """One file's findings as the text report prints them, each problem said once: a finding
    alone on its line as before, but where one problem is found at several places, the
    problem once and each place on a line of its own below it (as the workbench's Checks list
    names a part of the form once above its findings, H990: a therapist stopped reading a new
    protocol's 30 lines that said the same words):

    - the texts still as `protokit new` wrote them (GOV009, 11 to 24 in a new protocol), each
      below at its line and column; with `listed_by`, in one line with what lists them
      (`listed_by(path)`: render, build and bundle print them so, H784, H832);
    - a problem a protocol finds at several places of one library exercise, reported at the
      exercise's reference (a new exercise's 11 `TODO`s, each line said "(at /steps/0, library
      exercise 'wall-squat', library/wall-squat.json)"), each place in that file below.

    Only the words are grouped: every finding keeps its place, and the machine formats (json,
    sarif, github, junit) one entry each."""
    findings = list(findings)
    starting = starting_texts(findings)
    folded = {id(f) for f in starting}
    keys, groups = library_groups(findings)
    done: set[tuple] = set()
    for finding in findings:
        key = keys.get(id(finding))
        if id(finding) in folded:
            if finding is starting[0]:
                yield from _starting_texts(starting, listed_by, color)
        elif key is None or len(groups[key]) < 2:
            yield finding_line(finding, color)
        elif key not in done:
            done.add(key)
            yield from _library_places(groups[key], color)


def _starting_texts(
    found: list[Finding], listed_by: Callable[[str], str] | None, color: bool
) -> Iterator[str]:
    """A file's starting texts (GOV009): how many, what to do, and each at its place (or,
    with `listed_by`, what lists them)."""
    from protocol_kit.untrusted.text import printable

    first = found[0]
    path = printable(first.path)
    count = starting_texts_count(len(found))
    if listed_by is not None:
        said = (
            f"{count}: {listed_by(first.path)}; change them to fit this programme, or keep them "
            "(a sign_off records the review)"
        )
        yield _line(path, first, said, "", color=False)
        return
    said = f"{count}: read each, and change it to fit this programme or keep it (a sign_off "
    yield _line(path, first, said + "records the review):", "", color)
    for finding in found:
        finding = shown(finding)
        value = finding.message if finding.quoted_value is None else finding.quoted_value
        where = f"{_BOLD}{location(finding)}{_RESET}" if color else location(finding)
        yield f"  {where}: {value}{pointer_note(finding)}"


class _Said:
    """A finding's message about a place in a library exercise (`Finding.in_library`), in its
    parts: `head`, then the place's words (`LibraryPlace.said`), then the value quoted there,
    if any, and the rest (`tail`)."""

    __slots__ = ("head", "value", "tail")

    def __init__(self, head: str, value: str, tail: str) -> None:
        self.head, self.value, self.tail = head, value, tail


def _library_said(finding: Finding) -> _Said | None:
    """The parts of a finding about a place in a library exercise (`_Said`), cut where the
    message says the place and its value (the finding's `in_library` says what they are: the
    message is not parsed); None for a finding with no such place, or whose message does not
    say it as `LibraryPlace.said` does."""
    place = finding.in_library
    if place is None:
        return None
    head, said, tail = finding.message.partition(place.said)
    if not said:
        return None
    value = ""
    if place.value is not None and tail.startswith(f": {place.value}"):
        value, tail = place.value, tail[len(place.value) + 2 :]
    return _Said(head, value, tail)


def library_groups(
    findings: list[Finding],
) -> tuple[dict[int, tuple], dict[tuple, list[tuple[Finding, _Said]]]]:
    """Each finding about a place in a library exercise, by `id`: its group's key
    (`_library_group`); and each group's findings, with their message's parts. A group of
    two or more is one problem at several places of one library exercise."""
    keys: dict[int, tuple] = {}
    groups: dict[tuple, list[tuple[Finding, _Said]]] = {}
    for finding in findings:
        said = None if finding.in_library is None else _library_said(finding)
        if said is not None:
            key = keys[id(finding)] = _library_group(finding, said)
            groups.setdefault(key, []).append((finding, said))
    return keys, groups


def library_places_header(group: list[tuple[Finding, _Said]]) -> str:
    """The words of one problem at several places of a library exercise, said once:
    `HEAD in N places of library exercise 'ID' (FILE)TAIL`."""
    from protocol_kit.findings import shown_path
    from protocol_kit.untrusted.text import printable

    first, said = group[0]
    place = first.in_library
    named = f"library exercise '{place.exercise}' ({shown_path(place.path)})"
    return printable(f"{said.head} in {len(group)} places of {named}{said.tail}")


def in_file_order(group: list[tuple[Finding, _Said]]) -> list[tuple[LibraryPlace, str]]:
    """A group's places in the library file, each with its value, in the file's order (line
    0: not known)."""
    return sorted(((f.in_library, each.value) for f, each in group), key=_in_file_order)


def _library_group(finding: Finding, said: _Said) -> tuple:
    """What the findings said once about one library exercise share: the place in the
    protocol, the rule, the library file and every word but the place in it and its value."""
    place = finding.in_library
    return (finding.code, finding.severity, finding.line, finding.column, finding.pointer,
            said.head, place.exercise, place.path, said.tail)  # fmt: skip


def _library_places(group: list[tuple[Finding, _Said]], color: bool) -> Iterator[str]:
    """One problem at several places of a library exercise: once, then each place, at its
    line and column in the library file (as the starting texts are listed) when known."""
    from protocol_kit.untrusted.text import printable

    first = shown(group[0][0])
    yield _line(location(first), first, library_places_header(group), pointer_note(first), color)
    # In the library file's order, as its starting texts are listed.
    for place, value in in_file_order(group):
        yield printable(_library_place_line(place, value))


def _in_file_order(placed: tuple[LibraryPlace, str]) -> tuple[int, int]:
    return placed[0].line or 0, placed[0].column or 0


def _library_place_line(place: LibraryPlace, value: str) -> str:
    """`  FILE:LINE:COLUMN: VALUE [POINTER]` for a place in a library file, as a file's
    starting texts are listed (an editor opens it at the place); `  at POINTER: VALUE` when
    its line is not known."""
    from protocol_kit.findings import shown_path

    if place.line is None:
        return f"  at {place.pointer}{': ' + value if value else ''}"
    where = f"{shown_path(place.path)}:{place.line}:{place.column or 1}"
    return f"  {where}{': ' + value if value else ''} [{place.pointer}]"


def validate_lists_each(path: str) -> str:
    """What lists each starting text of a file the user has (render, build, bundle create)."""
    from protocol_kit.untrusted.text import advised_command

    return f"{advised_command('protokit validate', path)} lists each"


def folded_report(report: RunReport, listed_by: Callable[[str], str]) -> str:
    """The text report with each file's starting texts in one line (`file_lines` with
    `listed_by`)."""
    return "".join(
        line + "\n" for file in report.reported() for line in file_lines(file.findings, listed_by)
    )


def summary_line(report: RunReport | RunTally) -> str:
    """A one-line summary for stderr."""
    tally = report.tally() if isinstance(report, RunReport) else report
    files = tally.files
    errors, warnings = tally.errors, tally.warnings
    noun = "file" if files == 1 else "files"
    unchecked = len(tally.path_errors)
    not_all = (
        f"; {unchecked} path{'s' * (unchecked != 1)} could not be checked" if unchecked else ""
    )
    if not errors and not warnings:
        verdict = "all valid" if not unchecked else "no problems found"
        return f"checked {files} {noun}: {verdict}{not_all}"
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    return (
        f"checked {files} {noun}: {tally.failed} failed ({', '.join(parts)}){not_all}"
        f"{_strict(tally)}{waiting(tally.rules_waiting)}"
    )


def _strict(tally: RunTally) -> str:
    """Said when warnings fail the run: "1 failed (0 errors, 10 warnings)" left a clinic lead
    looking for the error in a CI log (and annotations) of warnings only."""
    if not (tally.warnings_as_errors and tally.warnings):
        return ""
    return f"; {WARNINGS_COUNT} (--warnings-as-errors, or warnings_as_errors in the configuration)"


def waiting(files: int) -> str:
    """Said when some files were not checked by every rule: the findings come in rounds (the
    schema, the references, then the rules), and a reader who fixes the first should know
    that more may follow."""
    if not files:
        return ""
    which = "1 file has" if files == 1 else f"{files} files have"
    its = "its" if files == 1 else "their"
    return f"; {which} schema or reference errors: {rules_waiting_words(its)}"
