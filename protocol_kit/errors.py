"""The exception tree: every failure a user can see is one of these.

The command line prints `str(error)` as one line and exits with `exit_code`; nothing below the
CLI prints or exits.
"""

from __future__ import annotations


class ProtokitError(Exception):
    """A failure the user can act on. `str()` is the one-line message."""

    exit_code = 2


class UsageError(ProtokitError):
    """The command was called wrongly (bad option value, missing argument)."""


class ConfigError(ProtokitError):
    """The repository configuration (`protokit.toml`, `[tool.protokit]`) is invalid."""


class InputError(ProtokitError):
    """A file could not be read, or does not hold what the command needs."""


class OutputError(ProtokitError):
    """A result could not be written."""


class MissingTranslation(ProtokitError):
    """A patient-facing text has no version in the requested language."""

    def __init__(self, language: str, pointer: str = "") -> None:
        self.language = language
        self.pointer = pointer
        where = f" at {pointer}" if pointer else ""
        super().__init__(f"no '{language}' translation{where}")
