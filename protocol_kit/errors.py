"""The exception tree: every failure a user can see is one of these.

The command line prints `str(error)` as one line and exits with `exit_code`; nothing below the
CLI prints or exits.
"""

from __future__ import annotations

from protocol_kit.record import Record, init


class Place(Record):
    """Where in a file a problem is: the file as messages name it, and its line and column
    (from 1; None when not known). `str()` is the message's start, `PATH:LINE:COLUMN`."""

    __slots__ = ("path", "line", "column")
    path: str
    line: int | None
    column: int | None

    def __init__(self, path: str, line: int | None = None, column: int | None = None) -> None:
        init(self, "path", path)
        init(self, "line", line)
        init(self, "column", column)

    def __str__(self) -> str:
        numbers = "".join(f":{n}" for n in (self.line, self.column) if n is not None)
        return f"{self.path}{numbers}"


class ProtokitError(Exception):
    """A failure the user can act on. `str()` is the one-line message."""

    exit_code = 2

    @classmethod
    def at(cls, place: Place, said: str) -> ProtokitError:
        """The error `said` at `place`, for code that raises whichever error its caller names
        (`protocol_kit.tomlfile`): its message starts with the place."""
        return cls(f"{place}: {said}")


class UsageError(ProtokitError):
    """The command was called wrongly (bad option value, missing argument)."""


class ConfigError(ProtokitError):
    """The repository configuration (`protokit.toml`, `[tool.protokit]`) is invalid.

    Carries where as data: `path`, `line`, `column` (None each when the message names no
    file, such as a git revision GOV004 cannot find, or no line), and `said`, the message
    without its place. The message, `PATH:LINE:COLUMN: SAID`, is made here alone: the reports
    that place the error (SARIF, JUnit, JSON, GitHub annotations; CONFIG001) read it from the
    data, never back out of the message (a path holding ": " or a line break was misread)."""

    def __init__(self, said: str, at: Place | None = None) -> None:
        super().__init__(f"{at}: {said}" if at is not None else said)
        self.said = said
        self.place = at

    @classmethod
    def at(cls, place: Place, said: str) -> ConfigError:
        return cls(said, place)

    def __reduce__(self) -> tuple[type[ConfigError], tuple[str, Place | None]]:
        # As raised, from a worker process too (GOV004 compares in the workers).
        return type(self), (self.said, self.place)

    @property
    def path(self) -> str | None:
        return self.place.path if self.place is not None else None

    @property
    def line(self) -> int | None:
        return self.place.line if self.place is not None else None

    @property
    def column(self) -> int | None:
        return self.place.column if self.place is not None else None


class InputError(ProtokitError):
    """A file could not be read, or does not hold what the command needs."""


class DamagedInstallation(ProtokitError):
    """A file protocol-kit ships with (a schema, a red-flag set, a translation) is missing,
    cut short or not what it should be: nothing the user wrote is at fault, and only a
    reinstall mends it."""

    @classmethod
    def at(cls, place: Place, said: str) -> DamagedInstallation:
        damaged = f"a file of protocol-kit's installation is damaged ({said})"
        return cls(f"{place}: {damaged}: {REINSTALL}")


REINSTALL = "reinstall protocol-kit (pip install --force-reinstall protocol-kit)"


class OutputError(ProtokitError):
    """A result could not be written."""


class MissingTranslation(ProtokitError):
    """A patient-facing text has no version in the requested language."""

    def __init__(self, language: str, pointer: str = "") -> None:
        self.language = language
        self.pointer = pointer
        where = f" at {pointer}" if pointer else ""
        super().__init__(f"no '{language}' translation{where}")
