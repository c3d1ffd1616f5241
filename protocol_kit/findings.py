"""What a check found: a frozen `Finding` per problem and the reports that collect them.

Checks (schema validation, lint rules) only produce findings; reporters turn them into text.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from enum import Enum

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.record import Record, init, replace
from protocol_kit.untrusted.text import capped

if TYPE_CHECKING:
    from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# A file named for checking that could not be read: an I/O error, not a finding about content.
READ_ERROR = "IO001"


class LibraryPlace(Record):
    """Where in a library exercise's own file the text a protocol's finding is about lives:
    the file (as found, `shown_path` shows it), the exercise's id, the JSON pointer there, the
    value quoted in the message (as quoted there, or None), and the line and column, filled in
    with the finding's own (`app.check.locate_findings`). The reports read these, never the
    message's words (the message still says them, for a reader of one line)."""

    __slots__ = ("path", "exercise", "pointer", "value", "line", "column")
    path: str
    exercise: str
    pointer: str
    value: str | None
    line: int | None
    column: int | None

    def __init__(
        self,
        path: str,
        exercise: str,
        pointer: str,
        value: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        init(self, "path", path)
        init(self, "exercise", exercise)
        init(self, "pointer", pointer)
        init(self, "value", value)
        init(self, "line", line)
        init(self, "column", column)

    @property
    def said(self) -> str:
        """` (at POINTER, library exercise 'ID', FILE)`: how a message names this place."""
        return f" (at {self.pointer}, library exercise '{self.exercise}', {shown_path(self.path)})"



def place_fits(place: Any) -> bool:
    """Whether `place` is a `LibraryPlace`'s fields in order, as the answers kept between
    runs write them (`tuple(place.__getstate__())`; H588: a kept file is not trusted to)."""
    return (
        type(place) is tuple
        and len(place) == len(LibraryPlace.__slots__)
        and all(type(each) is str for each in place[:3])
        and (place[3] is None or type(place[3]) is str)
        and all(each is None or type(each) is int for each in place[4:])
    )

class Finding(Record):
    """One problem in one file.

    `pointer` is the RFC 6901 JSON pointer of the value at fault ("" for the whole document);
    `line` and `column` are 1-based and filled in only for files that have findings.
    `form_message`: the message in the workbench form's words, where it tells a file's author
    what to write (`"omit": true`) and the form does it another way (a tick); None when the
    message suits both.
    `library`: for a protocol's finding about what a library exercise's own file says (a `TODO`
    left in it), that file; a run that checks the library file too reports it there only.
    `in_library`: for a protocol's finding about a text that comes from a library exercise,
    where in that file the text is (`LibraryPlace`); the finding itself stays at the
    protocol's reference to the exercise (`pointer`).
    `quoted_value`: the value at the finding's own place as the message quotes it (GOV009's
    starting text), or None; the text report lists it without parsing the message.
    """

    __slots__ = (
        "path", "code", "message", "severity", "pointer", "line", "column", "at_key",
        "form_message", "library", "in_library", "quoted_value",
    )  # fmt: skip
    path: str
    code: str
    message: str
    severity: Severity
    pointer: str
    line: int | None
    column: int | None
    at_key: bool  # locate at the property's name rather than its value
    form_message: str | None
    library: str | None
    in_library: LibraryPlace | None
    quoted_value: str | None
    # The place in the library file and the value quoted are what the message says already:
    # not compared or shown.
    _not_compared = ("form_message", "library", "in_library", "quoted_value")
    _not_shown = ("form_message", "library", "in_library", "quoted_value")

    def __init__(
        self,
        path: str,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
        pointer: str = "",
        line: int | None = None,
        column: int | None = None,
        at_key: bool = False,
        form_message: str | None = None,
        library: str | None = None,
        in_library: LibraryPlace | None = None,
        quoted_value: str | None = None,
    ) -> None:
        init(self, "path", path)
        init(self, "code", code)
        init(self, "message", message)
        init(self, "severity", severity)
        init(self, "pointer", pointer)
        init(self, "line", line)
        init(self, "column", column)
        init(self, "at_key", at_key)
        init(self, "form_message", form_message)
        init(self, "library", library)
        init(self, "in_library", in_library)
        init(self, "quoted_value", quoted_value)

    def located(self, line: int | None, column: int | None) -> Finding:
        return replace(self, line=line, column=column)

    @property
    def sort_key(self) -> tuple:
        return (self.line or 0, self.column or 0, self.pointer, self.code, self.message)


def distinct(findings: Iterable[Finding]) -> list[Finding]:
    """`findings` with each one said once: a rule or check that meets the same problem twice
    at one place ("twice a day" written 750 times in one step) reports it once, since a
    report of identical lines hides the other findings and takes seconds to write (H286)."""
    said: set[tuple[Any, ...]] = set()
    kept = []
    for finding in findings:
        key = (finding.path, finding.code, finding.pointer, finding.message, finding.at_key,
               finding.line, finding.column, finding.severity)  # fmt: skip
        if key not in said:
            said.add(key)
            kept.append(finding)
    return kept


class FileReport(Record, frozen=False):
    """Everything found in one file. `kind` is the document kind its `$schema` names;
    `rules_waiting`: the lint rules that need the built protocol did not run, because the
    file has schema or reference errors (they run once those are fixed)."""

    __slots__ = ("path", "kind", "findings", "seconds", "rules_waiting")
    path: str
    kind: str | None
    findings: list[Finding]
    seconds: float  # how long checking took (for JUnit)
    rules_waiting: bool
    _not_compared = ("seconds",)

    def __init__(
        self,
        path: str,
        kind: str | None = None,
        findings: list[Finding] | None = None,
        seconds: float = 0.0,
        rules_waiting: bool = False,
    ) -> None:
        init(self, "path", path)
        init(self, "kind", kind)
        init(self, "findings", [] if findings is None else findings)
        init(self, "seconds", seconds)
        init(self, "rules_waiting", rules_waiting)

    def errors(self, warnings_as_errors: bool = False) -> list[Finding]:
        if warnings_as_errors:
            return list(self.findings)
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors()


class RunReport(Record, frozen=False):
    """The result of one run over many files, in the order the files were given."""

    __slots__ = ("files", "warnings_as_errors", "path_errors", "seconds")
    files: Sequence[FileReport]  # a list, or a run's compact `file_reports.FileReports`
    warnings_as_errors: bool
    # Paths named on the command line that could not be checked at all (no such file, a folder
    # without JSON files): not files with findings, but failures of the run (exit status 2).
    path_errors: list[Finding]
    seconds: float  # how long the whole run took
    _not_compared = ("seconds",)

    def __init__(
        self,
        files: Sequence[FileReport] | None = None,
        warnings_as_errors: bool = False,
        path_errors: list[Finding] | None = None,
        seconds: float = 0.0,
    ) -> None:
        init(self, "files", [] if files is None else files)
        init(self, "warnings_as_errors", warnings_as_errors)
        init(self, "path_errors", [] if path_errors is None else path_errors)
        init(self, "seconds", seconds)

    def findings(self) -> Iterable[Finding]:
        for report in self.reported():
            yield from report.findings

    def reported(self) -> Iterable[FileReport]:
        """The reports of the files with findings (or rules waiting), in order: a run's
        `FileReports` gives them without making a report for every other file."""
        with_findings = getattr(self.files, "with_findings", None)
        return self.files if with_findings is None else with_findings()

    def each_file(self) -> Iterable[FileReport]:
        """Every file's report in order, for reading only (see `FileReports.each`)."""
        each = getattr(self.files, "each", None)
        return self.files if each is None else each()

    @property
    def failed_files(self) -> list[FileReport]:
        return [r for r in self.reported() if r.errors(self.warnings_as_errors)]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings() if f.severity is severity)

    def tally(self) -> RunTally:
        """What the summaries, the exit status and the reports' heads say of the run."""
        tally = RunTally(self.warnings_as_errors, self.path_errors)
        for report in self.reported():
            tally.add(report)
        tally.files = len(self.files)
        # A report made by hand has no run time: its files' times, as JUnit shows them.
        tally.seconds = self.seconds or sum(f.seconds for f in self.each_file())
        return tally

    @property
    def exit_code(self) -> int:
        return self.tally().exit_code


class RunTally(Record, frozen=False):
    """A run's counts, added up file by file as they are checked: what a report written while
    the run goes on keeps of the files (issue 17), and all the summary line, the exit status
    and the heads of the JSON and JUnit reports need."""

    __slots__ = (
        "warnings_as_errors",
        "path_errors",
        "files",
        "failed",
        "errors",
        "warnings",
        "rules_waiting",
        "read_errors",
        "seconds",
    )
    warnings_as_errors: bool
    path_errors: list[Finding]
    files: int
    failed: int  # files with errors (with warnings too, when they count as errors)
    errors: int
    warnings: int
    rules_waiting: int  # files whose rules wait for their schema or reference errors
    read_errors: int  # files that could not be read (READ_ERROR)
    seconds: float  # how long the whole run took, once it is over

    def __init__(
        self,
        warnings_as_errors: bool = False,
        path_errors: list[Finding] | None = None,
        files: int = 0,
        failed: int = 0,
        errors: int = 0,
        warnings: int = 0,
        rules_waiting: int = 0,
        read_errors: int = 0,
        seconds: float = 0.0,
    ) -> None:
        init(self, "warnings_as_errors", warnings_as_errors)
        init(self, "path_errors", [] if path_errors is None else path_errors)
        init(self, "files", files)
        init(self, "failed", failed)
        init(self, "errors", errors)
        init(self, "warnings", warnings)
        init(self, "rules_waiting", rules_waiting)
        init(self, "read_errors", read_errors)
        init(self, "seconds", seconds)

    def add(self, report: FileReport) -> None:
        """Count one more file."""
        self.files += 1
        if not report.findings and not report.rules_waiting:
            return
        errors = sum(1 for f in report.findings if f.severity is Severity.ERROR)
        self.errors += errors
        self.warnings += len(report.findings) - errors
        self.failed += bool(report.findings if self.warnings_as_errors else errors)
        self.rules_waiting += report.rules_waiting
        self.read_errors += any(f.code == READ_ERROR for f in report.findings)

    @property
    def exit_code(self) -> int:
        """0 when every file passes, 1 when some file has errors (or warnings, if strict), 2
        when a file could not be read at all: an I/O error, as everywhere in protokit (the
        other files are still checked and reported)."""
        if self.path_errors or self.read_errors:
            return 2
        return 1 if self.failed else 0


def shown(value: object, limit: int = 60) -> str:
    """A value from a user's file, quoted for a one-line message.

    JSON quoting escapes newlines and control characters, so that file content can never break
    a report line, an annotation or an XML report.
    """
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)
    return capped(text, limit, '"' if isinstance(value, str) else "")


def shown_path(path: str | os.PathLike[str]) -> str:
    """A file or folder as the user would name it: relative to the working folder when inside
    it. Library folders and the configuration file are found by resolved paths, so a message
    quoting such a path as it is named the user's whole working folder (REF003, H420)."""
    relative = os.path.relpath(path)
    return os.fspath(path) if relative.startswith("..") else relative
