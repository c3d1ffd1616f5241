"""The import's journal and lock: an interrupted import is finished or rolled back by the next
one, and two imports never run into one folder at the same time.

Before `staging.apply_plan` moves the first file into place, it writes `journal.json` into its
staging folder (atomically, flushed to disk): every move it will make (the path, whether it
replaces a file, the SHA-256 of the new content) and the folders it will create. Older copies
go to `replaced/`, files not yet moved wait in `new/`, and the import record is moved last. So
whatever point a process was killed at (SIGKILL, a power cut), the next import can tell:

- every file was moved (nothing is left in `new/`): the import had happened, record included;
  it is finished by removing the staging folder;
- otherwise it is rolled back: each older copy is put back, each added file (if it still holds
  what the import wrote) is removed, each folder it made is removed if empty. A `rolling-back`
  mark is written first, so that a rollback killed half way is continued, never mistaken for
  a finished import.

Either way the files and the import record agree again, so a later update never fails with a
false reason ("changed here") because of a crash. Recovery is idempotent: killed during
recovery, the next run does the rest.

The lock is an exclusive `flock` on the target folder itself (nothing is written for it), held
from before the folder is read until the import has finished. The system releases it when the
process ends, however it ends, so a killed import never leaves a stale lock; a second import
into the same folder while one runs is refused at once, with a message saying so.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from protocol_kit.bundle import BundleRefused
from protocol_kit.errors import OutputError
from protocol_kit.files import folder_locked, sync_folder
from protocol_kit.untrusted.files import read_file
from protocol_kit.untrusted.state import StateProblem, inside_name, read_state, require

JOURNAL = "journal.json"
MOVING = "moving"
ROLLING_BACK = "rolling-back"
NEW, REPLACED = "new", "replaced"
JOURNAL_FORMAT = 1


@dataclass(frozen=True)
class Move:
    path: str  # relative to the target, "/" between folders
    replaces: bool  # an older file is moved to replaced/ first
    sha256: str  # of the new content


@dataclass(frozen=True)
class Journal:
    moves: tuple[Move, ...]
    folders: tuple[str, ...]  # made by the import, outermost first


def write_journal(staging: Path, journal: Journal) -> None:
    """Write the journal into the staging folder, durably, before any file is moved."""
    document = {
        "about": "What `protokit bundle import` is moving into the folder; the next import "
        "uses it to finish or roll back this one if it was killed. See README.txt.",
        "format_version": JOURNAL_FORMAT,
        "moves": [
            {"path": m.path, "replaces": m.replaces, "sha256": m.sha256} for m in journal.moves
        ],
        "folders": list(journal.folders),
    }
    temporary = staging / f".{JOURNAL}.tmp"
    with open(temporary, "x", encoding="utf-8") as stream:
        json.dump(document, stream, indent=2)
        stream.flush()
        os.fsync(stream.fileno())
    os.rename(temporary, staging / JOURNAL)
    sync_folder(staging)


def mark_moving(staging: Path) -> None:
    """Mark, durably, that every file is staged and the moves into place begin."""
    _mark(staging, MOVING)


def _mark(staging: Path, name: str) -> None:
    with open(staging / name, "w", encoding="utf-8") as mark:
        mark.write(f"{name}\n")
        mark.flush()
        os.fsync(mark.fileno())
    sync_folder(staging)


def read_journal(staging: Path) -> Journal | None:
    """The journal of a staging folder; None when there is none (an import killed before it
    moved anything, or made by an earlier protokit) or when it is not a journal protokit wrote
    (read as any file from outside is: see `protocol_kit.untrusted.state`), which is never
    acted on."""
    try:
        data = read_state(staging / JOURNAL)
        if data.get("format_version") != JOURNAL_FORMAT:
            return None
        moves = tuple(
            Move(
                require(m.get("path"), str, "path"),
                require(m.get("replaces"), bool, "replaces"),
                require(m.get("sha256"), str, "sha256"),
            )
            for m in (require(m, dict, "a move") for m in require(data.get("moves"), list, "moves"))
        )
        folders = tuple(
            require(f, str, "a folder") for f in require(data.get("folders"), list, "folders")
        )
    except (OSError, StateProblem):
        return None
    if not all(inside_name(name) for name in [m.path for m in moves] + list(folders)):
        return None  # not written by protokit: never acted on
    return Journal(moves, folders)


def recover(staging: Path, target: Path) -> str:
    """Finish or roll back the interrupted import whose journaled staging folder this is;
    returns what was done, as one line. Raises BundleRefused when a file cannot be put back
    (the staging folder is then kept, as the only copy of what it holds)."""
    from protocol_kit.bundle.importer import link_on_the_way

    journal = read_journal(staging)
    assert journal is not None
    link = link_on_the_way(staging, target)
    if link is not None:
        raise BundleRefused(
            f"{link} is a symbolic link: the staging folder {staging} is not inside {target}, "
            "so it is not acted on: an import writes only inside its folder, never through a "
            "link. Remove the link, then import again; nothing was changed"
        )
    if not (staging / MOVING).exists():
        shutil.rmtree(staging, ignore_errors=True)
        return (
            f"an earlier import into {target} was stopped before it had changed anything; "
            "its staging folder was removed"
        )
    rolling_back = (staging / ROLLING_BACK).exists()
    if not rolling_back and not any((staging / NEW / m.path).exists() for m in journal.moves):
        shutil.rmtree(staging, ignore_errors=True)
        return (
            f"an earlier import into {target} was stopped after every file was in place: "
            "it was complete, and its staging folder was removed"
        )
    if not rolling_back:
        _mark(staging, ROLLING_BACK)
    kept: list[str] = []
    for move in reversed(journal.moves):
        destination = target / move.path
        aside = staging / REPLACED / move.path
        if link_on_the_way(destination.parent, target) is not None:
            # Putting a file back through a folder linked elsewhere would write outside the
            # target: left for the user, with the staging folder that holds it.
            kept.append(move.path)
        elif move.replaces:
            if aside.exists():
                _replace(aside, destination)
        elif not (staging / NEW / move.path).exists() and os.path.lexists(destination):
            if _sha256(destination) == move.sha256:
                destination.unlink()
            else:
                kept.append(move.path)
    for folder in reversed(journal.folders):
        if link_on_the_way(target / folder, target) is None:
            with contextlib.suppress(OSError):
                (target / folder).rmdir()
    if kept:
        raise BundleRefused(
            f"{staging}: an earlier import into {target} was stopped before it finished and "
            f"was rolled back, except for {', '.join(kept)}, which was changed since (or is "
            "behind a symbolic link, through which nothing is written): check it, "
            "then delete the staging folder and import again"
        )
    shutil.rmtree(staging, ignore_errors=True)
    return (
        f"an earlier import into {target} was stopped before it finished: it was rolled back, "
        "and the folder is as it was before it"
    )


def _replace(source: Path, destination: Path) -> None:
    try:
        os.replace(source, destination)
    except OSError as error:
        raise OutputError(
            f"{destination}: cannot put back the older copy from {source} "
            f"({error.strerror or error}); the staging folder is kept"
        ) from None


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(read_file(path)).hexdigest()
    except OSError:
        return None


def target_locked(target: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the import lock of `target` (see the module's docstring); BundleRefused at once
    when another import holds it."""
    busy = BundleRefused(
        f"{target}: another import into this folder is running: wait until it has "
        "finished, then import again; nothing was changed"
    )
    return folder_locked(target, busy)
