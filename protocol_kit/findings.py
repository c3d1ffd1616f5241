"""What a check found: a frozen `Finding` per problem and the reports that collect them.

Checks (schema validation, lint rules) only produce findings; reporters turn them into text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# A file named for checking that could not be read: an I/O error, not a finding about content.
READ_ERROR = "IO001"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file.

    `pointer` is the RFC 6901 JSON pointer of the value at fault ("" for the whole document);
    `line` and `column` are 1-based and filled in only for files that have findings.
    """

    path: str
    code: str
    message: str
    severity: Severity = Severity.ERROR
    pointer: str = ""
    line: int | None = None
    column: int | None = None
    at_key: bool = False  # locate at the property's name rather than its value

    def located(self, line: int | None, column: int | None) -> Finding:
        return replace(self, line=line, column=column)

    @property
    def sort_key(self) -> tuple:
        return (self.line or 0, self.column or 0, self.pointer, self.code, self.message)


@dataclass(slots=True)
class FileReport:
    """Everything found in one file. `kind` is the document kind its `$schema` names."""

    path: str
    kind: str | None = None
    findings: list[Finding] = field(default_factory=list)
    seconds: float = field(default=0.0, compare=False)  # how long checking took (for JUnit)

    def errors(self, warnings_as_errors: bool = False) -> list[Finding]:
        if warnings_as_errors:
            return list(self.findings)
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors()


@dataclass(slots=True)
class RunReport:
    """The result of one run over many files, in the order the files were given."""

    files: list[FileReport] = field(default_factory=list)
    warnings_as_errors: bool = False
    # Paths named on the command line that could not be checked at all (no such file, a folder
    # without JSON files): not files with findings, but failures of the run (exit status 2).
    path_errors: list[Finding] = field(default_factory=list)
    seconds: float = field(default=0.0, compare=False)  # how long the whole run took

    def findings(self) -> Iterable[Finding]:
        for report in self.files:
            yield from report.findings

    @property
    def failed_files(self) -> list[FileReport]:
        return [r for r in self.files if r.errors(self.warnings_as_errors)]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings() if f.severity is severity)

    @property
    def exit_code(self) -> int:
        """0 when every file passes, 1 when some file has errors (or warnings, if strict), 2
        when a file could not be read at all: an I/O error, as everywhere in protokit (the
        other files are still checked and reported)."""
        if self.path_errors or any(f.code == READ_ERROR for f in self.findings()):
            return 2
        return 1 if self.failed_files else 0


def shown(value: object, limit: int = 60) -> str:
    """A value from a user's file, quoted for a one-line message.

    JSON quoting escapes newlines and control characters, so that file content can never break
    a report line, an annotation or an XML report.
    """
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 4] + '..."'
