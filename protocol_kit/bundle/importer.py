"""Importing a verified bundle's protocols into a folder: planned first, then all or nothing.

Planning decides, for each incoming protocol, what happens to the folder:

- `add`: no protocol with its id is there; it is written as `<id>.json`;
- `update`: the folder has an older version (semantic version order); that file is replaced;
- `unchanged`: the folder has the same version with the same content;
- `refuse`: the folder has a newer version (a downgrade is never silent), the same version with
  different content (the publisher must raise the version), two files with that id, or a file in
  the way.

Images go to `media/` beside the protocol that shows them. One refused protocol refuses the whole
import.

Applying is all or nothing. Every new file is first written in full to a staging folder next to
the target (same file system, so moves are atomic renames); then each file is moved into place,
the file it replaces moved aside. If anything fails or is interrupted in the middle, every move
already made is undone, so the folder is left exactly as it was (names, bytes and modification
times); on success the replaced files are discarded with the staging folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from protocol_kit.bundle.versions import compare_versions
from protocol_kit.errors import OutputError


class Action(str, Enum):
    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Incoming:
    """A protocol from a verified bundle, with the images it shows."""

    id: str
    version: str
    text: bytes
    data: dict[str, Any]
    media: Mapping[str, bytes]  # path relative to the protocol ("media/<sha256>.png") -> bytes


@dataclass(frozen=True)
class Existing:
    """A protocol already in the target folder."""

    id: str
    version: str
    path: Path


# A file's size and modification time: how the plan remembers what it saw.
FileState = tuple[int, int]


def file_state(path: Path) -> FileState | None:
    try:
        status = path.lstat()
    except FileNotFoundError:
        return None
    return status.st_size, status.st_mtime_ns


@dataclass(frozen=True)
class Write:
    """One file to write, and the state the plan saw it in (None: absent), so that a file
    changed by someone else between planning and writing is never overwritten."""

    path: Path
    content: bytes = field(repr=False)
    seen: FileState | None


@dataclass(frozen=True)
class Step:
    action: Action
    incoming: Incoming
    destination: Path
    existing_version: str | None = None
    reason: str = ""
    writes: tuple[Write, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class ImportPlan:
    target: Path
    steps: tuple[Step, ...]

    @property
    def refused(self) -> list[Step]:
        return [s for s in self.steps if s.action is Action.REFUSE]

    def count(self, action: Action) -> int:
        return sum(1 for s in self.steps if s.action is action)

    def writes(self) -> list[Write]:
        """Every file to write, each once, in a fixed order."""
        unique: dict[Path, Write] = {}
        for step in self.steps:
            for write in step.writes:
                unique.setdefault(write.path, write)
        return [unique[path] for path in sorted(unique, key=str)]


# Whether an existing file holds the same protocol as the incoming one (same version): None
# when it does, else why not.
SameContent = Callable[[Path, Incoming], "str | None"]


def plan_import(
    incoming: list[Incoming],
    target: Path,
    existing: Mapping[str, list[Existing]],
    same_content: SameContent,
) -> ImportPlan:
    """What importing `incoming` into `target` would do; reads the folder, writes nothing."""
    return ImportPlan(target, tuple(_step(i, target, existing, same_content) for i in incoming))


def _step(
    incoming: Incoming,
    target: Path,
    existing: Mapping[str, list[Existing]],
    same_content: SameContent,
) -> Step:
    found = existing.get(incoming.id, [])
    if len(found) > 1:
        paths = ", ".join(str(e.path) for e in found)
        return _refuse(incoming, found[0].path, f"the folder has it more than once ({paths})")
    if not found:
        destination = target / f"{incoming.id}.json"
        if destination.exists() or destination.is_symlink():
            return _refuse(
                incoming, destination, f"{destination} is in the way: it is not this protocol"
            )
        return _with_media(Step(Action.ADD, incoming, destination))
    current = found[0]
    try:
        order = compare_versions(incoming.version, current.version)
    except ValueError:
        return _refuse(
            incoming,
            current.path,
            f"{current.path} has version {current.version!r}, which is not a semantic version",
        )
    if order > 0:
        return _with_media(Step(Action.UPDATE, incoming, current.path, current.version))
    if order < 0:
        return _refuse(
            incoming,
            current.path,
            f"{current.path} has the newer version {current.version}: an import never "
            "downgrades a protocol",
            current.version,
        )
    difference = same_content(current.path, incoming)
    if difference is None:
        return Step(Action.UNCHANGED, incoming, current.path, current.version)
    return _refuse(
        incoming,
        current.path,
        f"{current.path} has the same version {current.version} {difference}",
        current.version,
    )


def _refuse(
    incoming: Incoming, destination: Path, reason: str, existing_version: str | None = None
) -> Step:
    return Step(Action.REFUSE, incoming, destination, existing_version, reason)


def _with_media(step: Step) -> Step:
    writes = [Write(step.destination, step.incoming.text, file_state(step.destination))]
    folder = step.destination.parent
    for name, content in sorted(step.incoming.media.items()):
        path = folder / name
        if path.is_symlink() or (path.exists() and not path.is_file()):
            return _refuse(step.incoming, step.destination, f"{path} is in the way")
        if path.exists():
            if path.read_bytes() != content:
                return _refuse(
                    step.incoming,
                    step.destination,
                    f"{path} exists with different content than the image of the same name",
                )
            continue
        writes.append(Write(path, content, None))
    return Step(
        step.action, step.incoming, step.destination, step.existing_version, "", tuple(writes)
    )


def apply_plan(plan: ImportPlan) -> None:
    """Write the plan's files, all or nothing. The plan must have no refused step."""
    assert not plan.refused, "a refused plan is never applied"
    writes = plan.writes()
    if not writes:
        return
    parent = plan.target.resolve().parent
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{plan.target.name}.import-", dir=parent))
    except OSError as error:
        raise OutputError(
            f"{parent}: cannot create the staging folder for the import: "
            f"{error.strerror or error}; nothing was changed"
        ) from None
    try:
        staged = [(_stage(staging / f"new-{n}", w.content), w) for n, w in enumerate(writes)]
        _commit(staged, staging)
    except OSError as error:
        raise OutputError(
            f"{plan.target}: the import failed ({error.strerror or error}); the folder was "
            "left as it was"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _stage(path: Path, content: bytes) -> Path:
    with open(path, "xb") as stream:
        stream.write(content)
        stream.flush()
        os.fsync(stream.fileno())
    return path


def _commit(staged: list[tuple[Path, Write]], staging: Path) -> None:
    """Move each staged file into place; on any failure or interruption undo every move."""
    moved: list[tuple[Path, Path | None]] = []  # (destination, where its old file was put)
    created: list[Path] = []
    try:
        for number, (source, write) in enumerate(staged):
            destination = write.path
            if file_state(destination) != write.seen:
                raise OutputError(
                    f"{destination} changed while the import was running; nothing was changed "
                    "(run the import again)"
                )
            created.extend(_make_folders(destination.parent))
            backup = None
            if destination.exists() or destination.is_symlink():
                backup = staging / f"old-{number}"
                os.replace(destination, backup)
            moved.append((destination, backup))
            os.replace(source, destination)
    except BaseException:
        for destination, backup in reversed(moved):
            if backup is not None:
                os.replace(backup, destination)
            else:
                destination.unlink(missing_ok=True)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for folder in {write.path.parent for _, write in staged}:
        _sync_folder(folder)


def _make_folders(folder: Path) -> list[Path]:
    """Create `folder` and any missing parents; return those created, outermost first."""
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _sync_folder(folder: Path) -> None:
    """Make the renames durable where the platform allows syncing a folder."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(handle)
    finally:
        os.close(handle)
