"""Planning an import of a verified bundle's protocols into a folder: reads, never writes.

For each incoming protocol the plan decides what happens to the folder:

- `add`: no protocol with its id is there; it is written as `<id>.json`;
- `update`: the folder has an older version that an earlier import wrote, from the same
  publisher (and signing key), unchanged since; that file is replaced;
- `restore`: as `update` for a file changed here, when the user asked to replace local changes
  (`--replace-local-changes`): the local copy is kept beside it first;
- `unchanged`: the folder has the same version with the same content;
- `refuse`: anything else. A newer version (a downgrade is never silent); a file the clinic
  wrote or changed, or one from another publisher (see `provenance`); a read-only file or a
  folder the import cannot write into; the id twice; a file in the way.

Images go to `media/` beside the protocol that shows them. One refused protocol refuses the
whole import. Applying the plan, all or nothing, is `staging.apply_plan`.
"""

from __future__ import annotations

import functools
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any

from protocol_kit.bundle.planned_steps import PlannedSteps
from protocol_kit.bundle.provenance import (
    ImportRecord,
    Records,
    Source,
    content_digest,
    digest,
    file_content_digest,
    record_path,
    records_json,
    relative_name,
    review_in_words,
    same_publisher,
)
from protocol_kit.bundle.versions import compare_versions
from protocol_kit.files import may_write
from protocol_kit.package_data.kept import Stamp, state_of
from protocol_kit.untrusted.files import read_file
from protocol_kit.untrusted.text import quoted

REPLACE_OPTION = "--replace-local-changes"


class Action(str, Enum):
    ADD = "add"
    UPDATE = "update"
    RESTORE = "restore"
    UNCHANGED = "unchanged"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Incoming:
    """A protocol from a verified bundle, with the images it shows, read from the bundle when
    asked (`read(path in the bundle)`, which checks the content again against the SHA-256 it
    was verified with, and refuses a bundle changed since): an import of 10,000 protocols held
    every protocol, its parsed form and its images until the last file was written (issue 17).
    """

    id: str
    version: str
    path: str  # in the bundle
    # (path relative to the protocol, "media/<sha256>.png"; path in the bundle), each once
    media_paths: tuple[tuple[str, str], ...]
    read: Callable[[str], bytes] = field(repr=False, compare=False)

    @property
    def text(self) -> bytes:
        return self.read(self.path)

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.text)

    @property
    def media(self) -> Mapping[str, bytes]:
        """Path relative to the protocol -> the image's bytes, each read when asked for."""
        return _Read(dict(self.media_paths), self.read)

    def reader(self, path: str) -> FromBundle:
        """What reads the file at `path` in the bundle again when a write needs it."""
        return FromBundle(self.read, path)


@dataclass(frozen=True, slots=True)
class FromBundle:
    """A file's bytes read from the bundle when called (a plan keeps the path, not the bytes)."""

    read: Callable[[str], bytes] = field(repr=False, compare=False)
    path: str  # in the bundle

    def __call__(self) -> bytes:
        return self.read(self.path)


class _Read(Mapping[str, bytes]):
    """Names -> the bytes of their files in the bundle, read at each look-up."""

    def __init__(self, paths: dict[str, str], read: Callable[[str], bytes]) -> None:
        self._paths = paths
        self._read = read

    def __getitem__(self, name: str) -> bytes:
        return self._read(self._paths[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


@dataclass(frozen=True)
class Existing:
    """A protocol already in the target folder."""

    id: str
    version: str
    path: Path


# How the plan remembers the state it saw a file in: the one definition the kept data files
# and the workbench use (size, inode, modification and change time). Size and modification
# time alone miss an edit of the same size within one tick of the clock, or a copy made with
# `cp -p` moved over the file, and the import would overwrite that edit unseen.
FileState = Stamp


def file_state(path: Path) -> FileState | None:
    try:
        status = path.lstat()
    except FileNotFoundError:
        return None
    return state_of(status)


@dataclass(frozen=True)
class Write:
    """One file to write, the state the plan saw it in (None: absent), so that a file changed
    by someone else between planning and writing is never overwritten, and the permission bits
    to give it (None: those of a new file)."""

    path: Path
    # The bytes, or what reads them from the bundle when they are written (`Incoming.reader`):
    # a plan of 10,000 protocols holds none of them.
    source: bytes | Callable[[], bytes] = field(repr=False)
    seen: FileState | None
    mode: int | None = None

    @property
    def content(self) -> bytes:
        return self.source if isinstance(self.source, bytes) else self.source()


@dataclass(frozen=True)
class Step:
    action: Action
    incoming: Incoming
    destination: Path
    existing_version: str | None = None
    reason: str = ""
    writes: tuple[Write, ...] = field(default=(), repr=False)
    backup: Path | None = None  # where the local copy of a replaced changed file is kept


class ImportPlan:
    """What an import does, step by step (one step per incoming protocol, kept in a temporary
    file as they are planned: see `planned_steps`), and the import record as it will be after
    the import, made only when it is written (a dry run never makes it)."""

    def __init__(self, target: Path, steps: PlannedSteps, context: _Context | None = None):
        self.target = target
        self.steps = steps
        self._context = context
        # Seen when the plan is made, as every other file's state is: a record changed by
        # someone else between planning and writing is never overwritten.
        path = record_path(target)
        self._record_state = (file_state(path), _mode(path))

    @property
    def refused(self) -> list[Step]:
        if not self.steps.counts[Action.REFUSE]:
            return []
        return [s for s in self.steps if s.action is Action.REFUSE]

    def count(self, action: Action) -> int:
        return self.steps.counts[action]

    @property
    def backups(self) -> int:
        """How many steps keep a local copy beside their file."""
        return self.steps.backups

    @functools.cached_property
    def record(self) -> Write | None:
        """The import record as it will be after the import (None: unchanged)."""
        if self._context is None:
            return None
        seen, mode = self._record_state
        return _new_record(self.steps, self._context, seen, mode)

    def writes(self) -> list[Write]:
        """Every file to write, each once, in a fixed order; the record last, so that it is
        never ahead of the files it describes."""
        unique: dict[Path, Write] = {}
        for step in self.steps:
            for write in step.writes:
                unique.setdefault(write.path, write)
        ordered = [unique[path] for path in sorted(unique, key=str)]
        return ordered + [self.record] if ordered and self.record else ordered


# Whether an existing file holds the same protocol as the incoming one (same version): None
# when it does, else how it differs, to finish "PATH has the same version 1.0.0 as the
# bundle's protocol but ..." ("differs from it").
SameContent = Callable[[Path, Incoming], "str | None"]


@dataclass(frozen=True)
class _Context:
    target: Path
    existing: Mapping[str, list[Existing]]
    same_content: SameContent
    records: Records
    source: Source
    replace_local_changes: bool
    now: datetime


def plan_import(
    incoming: Iterable[Incoming],
    target: Path,
    existing: Mapping[str, list[Existing]],
    same_content: SameContent,
    *,
    records: Records,
    source: Source,
    now: datetime,
    replace_local_changes: bool = False,
) -> ImportPlan:
    """What importing `incoming` into `target` would do; reads the folder, writes nothing.

    `records` is what earlier imports wrote there (`provenance.read_records`), `source` who
    publishes this bundle, `now` the time to record and to name backups by.
    """
    context = _Context(target, existing, same_content, records, source, replace_local_changes, now)
    steps = PlannedSteps()
    for item in incoming:
        steps.append(_step(item, context))
    return ImportPlan(target, steps, context)


def _step(incoming: Incoming, context: _Context) -> Step:
    found = context.existing.get(incoming.id, [])
    if len(found) > 1:
        paths = ", ".join(str(e.path) for e in found)
        return _refuse(incoming, found[0].path, f"the folder has it more than once ({paths})")
    if not found:
        newer = _imported_newer(incoming, context.records)
        if newer is not None:
            return _refuse(
                incoming,
                context.target / f"{incoming.id}.json",
                f"version {newer.version} of {incoming.id} was imported into {context.target} "
                f"on {newer.imported[:10]} (the import record, {record_path(context.target)}), "
                f"and its file has since been deleted or moved: this bundle's {incoming.version} "
                "is older, and an import never downgrades a protocol. Ask the publisher for "
                "the current version",
                newer.version,
            )
        destination = context.target / f"{incoming.id}.json"
        if destination.exists() or destination.is_symlink():
            return _refuse(
                incoming, destination, f"{destination} is in the way: it is not this protocol"
            )
        return _with_writes(Step(Action.ADD, incoming, destination), b"", context)
    current = found[0]
    path, version = current.path, current.version
    try:
        order = compare_versions(incoming.version, version)
    except ValueError:
        return _refuse(
            incoming, path, f"{path} has version {quoted(version)}, which is not a semantic version"
        )
    if order < 0:
        return _refuse(
            incoming,
            path,
            f"{path} has the newer version {version}: an import never downgrades a protocol",
            version,
        )
    if order == 0:
        difference = context.same_content(path, incoming)
        if difference is None:
            return Step(Action.UNCHANGED, incoming, path, version)
        state = f"{path} has the same version {version} as the bundle's protocol but {difference}"
    else:
        state = f"{path} has version {version}"
    try:
        local = read_file(path)
    except OSError as error:
        return _refuse(incoming, path, f"{path} cannot be read ({error.strerror})", version)
    record = context.records.get(relative_name(path, context.target))
    if not context.replace_local_changes and _reviewed_here(
        local, record, incoming, order, context
    ):
        return _reviewed_step(incoming, path, version, order, local, context)
    problem = _provenance_problem(path, state, order, local, record, context)
    if problem is not None:
        return _refuse(incoming, path, problem, version)
    assert record is not None
    changed_here = digest(local) != record.sha256
    action = Action.UPDATE if order > 0 else Action.RESTORE
    backup = _backup_path(path, context.now) if changed_here else None
    step = Step(action, incoming, path, version, backup=backup)
    return _with_writes(step, local, context)


def _reviewed_here(
    local: bytes, record: ImportRecord | None, incoming: Incoming, order: int, context: _Context
) -> bool:
    """Whether the file, as an import from this bundle's publisher wrote it, was changed here
    only in its review (`provenance.REVIEW_FIELDS`: the clinic signed it off, or set its next
    review). A record written before it kept `content_sha256` tells it only for the same
    version, when the bundle's file is the one imported."""
    if record is None or not same_publisher(record, context.source):
        return False
    if digest(local) == record.sha256:
        return False  # not changed here at all: the ordinary update, or the same version
    mine = file_content_digest(local)
    if mine is None:
        return False
    if record.content_sha256 is not None:
        return mine == record.content_sha256
    bundled = incoming.text
    return (
        order == 0
        and digest(bundled) == record.sha256
        and mine == content_digest(json.loads(bundled))
    )


def _reviewed_step(
    incoming: Incoming, path: Path, version: str, order: int, local: bytes, context: _Context
) -> Step:
    """A protocol reviewed here: the same version stays as the clinic reviewed it; a newer one
    replaces it, the reviewed copy kept beside it, and is to be reviewed again (a review is of
    one version's content)."""
    if order == 0:
        return Step(Action.UNCHANGED, incoming, path, version, "reviewed here: your review is kept")
    backup = _backup_path(path, context.now)
    # What the update overwrites, said: the clinic's own sign-off goes, and the file then
    # carries the bundle's review (the publisher's status and sign-off, or none), which is
    # not the clinic's review of the new version.
    reason = (
        f"reviewed here: your review of {version} ({_review_of(local)}) is replaced by the "
        f"bundle's ({_review_of(incoming.text)}); yours was of {version}'s content: review "
        f"{incoming.version} and sign it off before a patient is given it"
    )
    return _with_writes(
        Step(Action.UPDATE, incoming, path, version, reason, backup=backup), local, context
    )


def _review_of(text: bytes) -> str:
    try:
        return review_in_words(json.loads(text))
    except ValueError:
        return "no review"


def _imported_newer(incoming: Incoming, records: Records) -> ImportRecord | None:
    """The record of a newer version of the protocol that an earlier import wrote, or None."""
    newest = None
    for record in records.values():
        if record.kind != "protocol" or record.id != incoming.id or record.version is None:
            continue
        try:
            if compare_versions(record.version, incoming.version) <= 0:
                continue
            if newest is None or compare_versions(record.version, newest.version or "") > 0:
                newest = record
        except ValueError:
            continue
    return newest


def _provenance_problem(
    path: Path,
    state: str,
    order: int,
    local: bytes,
    record: ImportRecord | None,
    context: _Context,
) -> str | None:
    """Why the file at `path` (as `state` describes it) may not be replaced, or None."""
    move = f"To import this one, move that file out of {context.target} or give it a new id"
    if record is None:
        return (
            f"{state}, and no import wrote it (it has no entry in "
            f"{record_path(context.target)}): it is the clinic's own file, which an import "
            f"never replaces. {move}"
        )
    if not same_publisher(record, context.source):
        return (
            f"{state}, and it came from {record.source.describe()} on {record.imported[:10]}, "
            f"but this bundle is from {context.source.describe()}: an import only replaces a "
            f"file from the same publisher and key. {move}"
        )
    if digest(local) != record.sha256:
        if context.replace_local_changes:
            return None
        return (
            f"{state}, and it was changed here since it was imported ({record.describe()}): "
            f"an import never overwrites local changes. {move}, or pass {REPLACE_OPTION} to "
            f"replace it and keep your copy beside it as {path.name}.local-YYYYMMDD-HHMMSS"
        )
    if order == 0:
        return (
            f"{state}, and it is as it was imported ({record.describe()}), not changed here: "
            "the publisher changed the protocol without raising its version, so ask them to "
            "publish it as a new version"
        )
    return None


def _backup_path(path: Path, now: datetime) -> Path:
    """`NAME.json.local-YYYYMMDD-HHMMSS` beside the file (local time): a name `validate` does
    not read as a protocol, next to the file it was, sorted by when."""
    stem = f"{path.name}.local-{now.astimezone():%Y%m%d-%H%M%S}"
    backup, number = path.with_name(stem), 1
    while backup.exists() or backup.is_symlink():
        number += 1
        backup = path.with_name(f"{stem}-{number}")
    return backup


def _refuse(
    incoming: Incoming, destination: Path, reason: str, existing_version: str | None = None
) -> Step:
    return Step(Action.REFUSE, incoming, destination, existing_version, reason)


def _with_writes(step: Step, local: bytes, context: _Context) -> Step:
    """The step with every file it writes (the protocol, its new images, the backup of a local
    copy), or refused when one of them cannot be written."""
    destination = step.destination
    mode = _mode(destination)
    if mode is not None and not mode & stat.S_IWUSR:
        return _refuse(
            step.incoming,
            destination,
            f"{destination} is read-only ({stat.filemode(mode)[1:]}): the clinic locked it, "
            "and an import never replaces a locked file. Make it writable (chmod u+w) if it "
            "should be updated",
            step.existing_version,
        )
    if mode is not None and not may_write(destination):
        return _refuse(
            step.incoming,
            destination,
            f"{destination} is another user's file, which you may not write "
            f"({stat.filemode(mode)[1:]}): an import never replaces it through the folder's "
            "permission; ask its owner to import, or make it yours",
            step.existing_version,
        )
    incoming = step.incoming
    writes = [Write(destination, incoming.reader(incoming.path), file_state(destination), mode)]
    if step.backup is not None:
        writes.append(Write(step.backup, local, None, mode))
    folder = destination.parent
    for name, bundled in sorted(incoming.media_paths):
        path = folder / name
        if path.is_symlink() or (path.exists() and not path.is_file()):
            return _refuse(step.incoming, destination, f"{path} is in the way")
        if path.exists():
            if read_file(path) != incoming.read(bundled):
                return _refuse(
                    step.incoming,
                    destination,
                    f"{path} exists with different content than the image of the same name",
                )
            continue
        writes.append(Write(path, incoming.reader(bundled), None))
    for path in [w.path for w in writes] + [record_path(context.target)]:
        problem = _cannot_write(path, context.target)
        if problem is not None:
            return _refuse(step.incoming, destination, problem, step.existing_version)
    return Step(
        step.action,
        step.incoming,
        destination,
        step.existing_version,
        step.reason,
        tuple(writes),
        step.backup,
    )


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def link_on_the_way(path: Path, target: Path) -> Path | None:
    """The first symbolic link among the folders from `target` down to `path`, and `path`
    itself, or None: writing through one (a `media` folder linked elsewhere) would write
    outside the target folder."""
    relative = Path(os.path.relpath(path, target))
    current = target
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return current
        if not current.exists():
            return None
    return None


def _cannot_write(path: Path, target: Path) -> str | None:
    """Why the import could not create or replace `path`, or None. The same check in a dry run
    and a real one, so that a dry run refuses what the real import would refuse."""
    link = link_on_the_way(path, target)
    if link is not None:
        return (
            f"{link} is a symbolic link (to {os.readlink(link)}): an import writes only inside "
            f"{target}, never through a link, so {path} cannot be written"
        )
    folder = path.parent
    while not folder.exists():
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"cannot write into the folder {folder} (no permission, or a read-only disk), so "
            f"{path} cannot be written"
        )
    if folder.stat().st_dev != target.stat().st_dev:
        return (
            f"{folder} is on another disk or mount than {target}: an import moves files within "
            f"one disk to be all or nothing, so import into {folder} on its own"
        )
    return None


def _new_record(
    steps: Iterable[Step], context: _Context, seen: FileState | None, mode: int | None
) -> Write | None:
    """The import record after the plan's writes: an entry for each protocol and image it
    writes (not for backups: they are the clinic's). `seen` and `mode`: the record file's
    state and permission bits when the plan was made."""
    records = dict(context.records)
    imported = context.now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    source = context.source
    for step in steps:
        for write in step.writes:
            if write.path == step.backup:
                continue
            protocol = write.path == step.destination
            content = write.content
            records[relative_name(write.path, context.target)] = ImportRecord(
                kind="protocol" if protocol else "image",
                sha256=digest(content),
                publisher=source.publisher,
                bundle_sha256=source.bundle_sha256,
                imported=imported,
                key=source.key,
                id=step.incoming.id if protocol else None,
                version=step.incoming.version if protocol else None,
                content_sha256=content_digest(json.loads(content)) if protocol else None,
            )
    if records == context.records:
        return None
    return Write(record_path(context.target), records_json(records), seen, mode)


# A step as one row of plain values in the plan's temporary file (`planned_steps`): its
# action, the incoming protocol (id, version, path in the bundle, images, which bundle reads
# it), where it goes, the version there, the reason, its writes and its backup.
Row = tuple


def row_of(step: Step, reader: int) -> Row:
    incoming = step.incoming
    return (
        step.action.value,
        (incoming.id, incoming.version, incoming.path, incoming.media_paths, reader),
        str(step.destination),
        step.existing_version,
        step.reason,
        tuple(_write_row(write) for write in step.writes),
        None if step.backup is None else str(step.backup),
    )


def _write_row(write: Write) -> Row:
    """A write's row: its content as bytes (a backup's local copy) or as the path in the
    bundle it is read from when written."""
    source = write.source
    if isinstance(source, FromBundle):
        content: tuple[bool, str | bytes] = (True, source.path)
    elif isinstance(source, bytes):
        content = (False, source)
    else:
        raise TypeError(f"a planned write of {write.path} is neither bytes nor from the bundle")
    return (str(write.path), content, write.seen, write.mode)


def step_of(row: Row, readers: list[Callable[[str], bytes]]) -> Step:
    action, (id_, version, path, media, reader), destination, existing, reason, writes, backup = row
    read = readers[reader]
    incoming = Incoming(id_, version, path, media, read)
    return Step(
        Action(action),
        incoming,
        Path(destination),
        existing,
        reason,
        tuple(
            Write(
                Path(written),
                FromBundle(read, content) if from_bundle else content,
                seen,
                mode,
            )
            for written, (from_bundle, content), seen, mode in writes
        ),
        None if backup is None else Path(backup),
    )
