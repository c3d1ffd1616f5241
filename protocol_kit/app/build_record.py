"""What `protokit build` wrote into its output folder, so that the next build can take away
what it no longer makes.

Whoever prints for patients prints from the folder. A sheet left there from an earlier build,
of a protocol that now fails its checks, was retired or was deleted, would be printed as if it
were current. So build records the files it writes (`DIR/.protokit-build.json`, written
atomically) and, on the next build into the folder, removes those it wrote before and did not
write again. A file build did not write is never removed: only names in the record are, and
only while the file is still of the kind build wrote (a PDF, a bundle).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from protocol_kit.errors import OutputError
from protocol_kit.files import PDF, ZIP, FileKind, write_atomic
from protocol_kit.untrusted.state import StateProblem, read_state

RECORD_NAME = ".protokit-build.json"
_FORMAT = "protokit-build/1"


@dataclass
class BuildRecord:
    """The files of one build: sheet file name -> the protocol file it was printed from, and
    the bundle's file name (None: no bundle)."""

    sheets: dict[str, str] = field(default_factory=dict)
    bundle: str | None = None

    @staticmethod
    def source_key(path: str) -> str:
        """A protocol file as the record names it: the same file whatever the folder build is
        run from, or however the path is written. A name that is not UTF-8 (a byte Python
        reads as a lone surrogate) is kept with that byte written `\\xff`: the record is UTF-8
        JSON, and such a name stopped the build with an internal error, before any sheet was
        written (H291)."""
        real = os.path.realpath(path)
        return real.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")

    def merged(self, other: BuildRecord) -> BuildRecord:
        return BuildRecord({**self.sheets, **other.sheets}, self.bundle or other.bundle)


@dataclass(frozen=True)
class Removal:
    """A file an earlier build wrote and this one did not: removed, or why not."""

    path: Path
    reason: str  # why it had to go
    outcome: str  # "removed"; "changed": no longer of the kind build wrote, left alone;
    # "failed": could not be removed (the next build tries again)


def read_record(folder: Path) -> BuildRecord:
    """The record of the last build into `folder` (empty when there is none). Raises
    OutputError for a file of that name that is not a build record: rather than guess which
    files are build's, nothing is removed and nothing is built."""
    path = folder / RECORD_NAME
    if not path.exists():
        return BuildRecord()
    try:
        data = read_state(path)  # read as any file from outside (untrusted.state)
    except (OSError, StateProblem) as error:
        reason = getattr(error, "strerror", None) or f"not readable JSON: {error}"
        raise OutputError(f"{path}: cannot read the record of the last build ({reason})") from None
    sheets = data.get("sheets") if isinstance(data, dict) else None
    bundle = data.get("bundle") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("format") != _FORMAT
        or not isinstance(sheets, dict)
        or not all(_plain_name(name) and isinstance(src, str) for name, src in sheets.items())
        or not (bundle is None or _plain_name(bundle))
    ):
        raise OutputError(
            f"{path}: is not a record written by protokit build; move it away or delete it"
        )
    return BuildRecord(dict(sheets), bundle)


def _plain_name(name: object) -> bool:
    # Only file names directly in the folder: a record cannot point build anywhere else.
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and os.path.basename(name) == name
        and "/" not in name
        and "\\" not in name
    )


def write_record(folder: Path, record: BuildRecord) -> None:
    data = {
        "format": _FORMAT,
        "note": "Files protokit build wrote here; the next build removes those it no longer makes.",
        "sheets": dict(sorted(record.sheets.items())),
        "bundle": record.bundle,
    }
    write_atomic(folder / RECORD_NAME, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def remove_stale(
    folder: Path, previous: BuildRecord, current: BuildRecord, reasons: dict[str, str]
) -> list[Removal]:
    """Remove the files `previous` wrote that `current` did not write again. `reasons` maps a
    protocol file (as `source_key` gives it) to why its sheet was not made this time; the
    bundle's reason is under ""."""
    stale: list[tuple[str, FileKind, str]] = []
    for name, source in sorted(previous.sheets.items()):
        if name not in current.sheets:
            reason = reasons.get(source) or (
                f"{_shown(source)} is not part of this build (deleted, moved or not under the "
                "paths given)"
            )
            stale.append((name, PDF, reason))
    if previous.bundle and previous.bundle != current.bundle:
        stale.append((previous.bundle, ZIP, reasons.get("", "this build wrote no bundle")))
    removals = [_remove(folder / name, kind, reason) for name, kind, reason in stale]
    return [removal for removal in removals if removal is not None]


def still_recorded(previous: BuildRecord, removals: list[Removal]) -> BuildRecord:
    """The files of `previous` that could not be removed: kept in the record, so that the
    next build tries again."""
    failed = {removal.path.name for removal in removals if removal.outcome == "failed"}
    sheets = {name: source for name, source in previous.sheets.items() if name in failed}
    return BuildRecord(sheets, previous.bundle if previous.bundle in failed else None)


def _remove(path: Path, kind: FileKind, reason: str) -> Removal | None:
    if not os.path.lexists(path):
        return None  # already gone
    try:
        if not path.is_file() or not kind.matches(path):
            return Removal(path, reason, "changed")
        path.unlink()
    except OSError as error:
        return Removal(path, f"{reason}; cannot remove it: {error.strerror or error}", "failed")
    return Removal(path, reason, "removed")


def _shown(source: str) -> str:
    """A recorded (absolute) protocol path, relative to the working folder when under it."""
    relative = os.path.relpath(source)
    return source if relative.startswith("..") else relative
