"""Applying an import plan, all or nothing, through a staging folder inside the target.

Every file is first written in full into a staging folder, `TARGET/.protokit/staging-XXXX/new/`.
It is inside the target, so it is on the same disk as the files it replaces (moving a file in is
an atomic rename, also when the target is a mount point) and nothing is ever written outside the
target. Then each file is moved into place, the file it replaces first moved to `replaced/` in
the staging folder. If anything fails or is interrupted on the way (an error, Ctrl-C, SIGTERM),
every move already made is undone, with further signals held until that is done, and the folder
is left exactly as it was (names, bytes, modification times); on success the replaced files are
discarded with the staging folder.

A process killed outright (SIGKILL, a power cut) can undo nothing: it leaves the staging folder,
with a README.txt saying what the import was doing, its journal, and in `replaced/` the older
copies of the files it had replaced. The next import finishes or rolls it back from the journal
(`protocol_kit.bundle.journal`) before anything else; a staging folder without a journal (left
by an earlier protokit) is refused until a person has looked.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from protocol_kit.bundle.importer import ImportPlan, Write, file_state, link_on_the_way
from protocol_kit.bundle.journal import (
    NEW,
    REPLACED,
    Journal,
    Move,
    mark_moving,
    write_journal,
)
from protocol_kit.bundle.provenance import STATE_FOLDER, digest, relative_name
from protocol_kit.errors import OutputError
from protocol_kit.files import record_written, sync_folder
from protocol_kit.untrusted.text import printable

STAGING_PREFIX = "staging-"
README = "README.txt"


def leftover_staging(target: Path) -> list[Path]:
    """Staging folders of `target`: each left by an import that is running or was killed. Also
    those that earlier versions of protokit made beside the target (`.NAME.import-*`), where a
    killed import could leave the only copy of a replaced file."""
    found = _folders(target / STATE_FOLDER, f"{STAGING_PREFIX}*")
    absolute = Path(os.path.abspath(target))
    return found + _folders(absolute.parent, f".{absolute.name}.import-*")


def _folders(parent: Path, pattern: str) -> list[Path]:
    try:
        return sorted(p for p in parent.glob(pattern) if p.is_dir())
    except OSError:
        return []


def leftover_problem(folder: Path, target: Path) -> str:
    """What a leftover staging folder holds and what to do with it, as one line."""
    started = (
        f"{folder}: an import into {target} is running, or one was stopped before it finished "
        "(the process was killed or the computer stopped) and left this folder"
    )
    if not folder.name.startswith(STAGING_PREFIX):
        return (
            f"{started}. Its files named old-N are the older copies of files that the import "
            f"had already replaced in {target}, perhaps the only copies (an earlier protokit "
            "made it, without a list of which is which): compare them with the files in "
            f"{target}, put back what you need, then delete the folder and import again; "
            "nothing was changed"
        )
    replaced = _files_in(folder / REPLACED)
    if replaced:
        names = ", ".join(replaced[:3]) + (", ..." if len(replaced) > 3 else "")
        count = f"{len(replaced)} file" + ("" if len(replaced) == 1 else "s")
        return (
            f"{started}. It holds the older copies of {count} that the import had already "
            f"replaced in {target} ({names}), perhaps the only copies. Read its {README}: put "
            "back what you need, then delete the folder and import again; nothing was changed"
        )
    return (
        f"{started}. It holds no older copy of any file in {target}, only files the import had "
        f"not moved in yet. If no import into {target} is running, delete the folder and "
        "import again; nothing was changed"
    )


def _files_in(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(relative_name(p, folder) for p in folder.rglob("*") if not p.is_dir())


@dataclass
class Progress:
    """How far an import got, for a caller that is interrupted: `applied` is set the moment the
    last file (the record) is in place, with Ctrl-C and SIGTERM blocked around that move, so
    that an interruption is reported as what it is: before, the import was undone; after, it
    was complete."""

    applied: bool = False


def apply_plan(
    plan: ImportPlan, bundle: Path | None = None, progress: Progress | None = None
) -> None:
    """Write the plan's files, all or nothing. The plan must have no refused step.

    Raises OutputError naming the file that could not be written; the folder is then as it
    was. Ctrl-C and SIGTERM (as an exception, see `protocol_kit.cli.main`) are undone the same
    way and re-raised; one that arrives with the last move is delivered after it, when the
    import is complete (`progress.applied`). A journal in the staging folder lets the next
    import finish or roll back one that was killed (`protocol_kit.bundle.journal`).
    """
    progress = progress if progress is not None else Progress()
    assert not plan.refused, "a refused plan is never applied"
    writes = plan.writes()
    if not writes:
        return
    target = plan.target
    state_folder = target / STATE_FOLDER
    made_state_folder = not state_folder.exists()
    moves: list[tuple[Path, Path | None]] = []  # (destination, where its old file goes)
    created: list[Path] = []  # folders made in the target, outermost first
    staging = None
    try:
        staging = _make_staging(state_folder, target)
        write_journal(staging, _journal(writes, target))
        _write_readme(staging, plan, writes, bundle)
        staged = [(_stage(staging / NEW / relative_name(w.path, target), w), w) for w in writes]
        mark_moving(staging)
        _move_into_place(staged, staging, target, moves, created, progress)
    except BaseException as error:
        with signals_held():
            _unblock_signals()  # a signal blocked for the last move now reaches signals_held
            undone = _undo(moves, created)
            if undone and staging is not None and not _files_in(staging / REPLACED):
                shutil.rmtree(staging, ignore_errors=True)
            if undone and made_state_folder:
                with contextlib.suppress(OSError):
                    state_folder.rmdir()
        if not undone:
            raise OutputError(
                f"{staging}: the import into {target} failed ({_reason(error)}) and could not "
                f"be undone completely. The older copies of the files it replaced are kept in "
                f"{staging / REPLACED}: read {staging / README} and put them back"
            ) from None
        if isinstance(error, OSError):
            raise OutputError(
                f"{error.filename or target}: {_reason(error)}; the import was undone and "
                f"{target} was left as it was"
            ) from None
        raise
    # Every file is in place: the import has happened. Ctrl-C and SIGTERM are blocked since
    # the last move; they are delivered once the staging folder is gone, and the caller reports
    # them as coming after a complete import.
    try:
        for folder in {write.path.parent for write in writes}:
            sync_folder(folder)
        shutil.rmtree(staging, ignore_errors=True)
    finally:
        _unblock_signals()


def _journal(writes: list[Write], target: Path) -> Journal:
    moves = tuple(
        Move(relative_name(w.path, target), w.seen is not None, digest(w.content)) for w in writes
    )
    folders: list[str] = []
    for write in writes:
        missing: list[Path] = []
        folder = write.path.parent
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            name = relative_name(path, target)
            if name not in folders:
                folders.append(name)
    return Journal(moves, tuple(folders))


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _block_signals() -> None:
    with contextlib.suppress(AttributeError, ValueError, OSError):
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)


def _unblock_signals() -> None:
    with contextlib.suppress(AttributeError, ValueError, OSError):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def _make_staging(state_folder: Path, target: Path) -> Path:
    if state_folder.is_symlink():
        raise OutputError(
            f"{state_folder} is a symbolic link: an import writes only inside {target}, never "
            "through a link; nothing was changed"
        )
    try:
        state_folder.mkdir(exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=state_folder))
    except OSError as error:
        raise OutputError(
            f"{target}: cannot create the import's staging folder in {state_folder} inside the "
            f"target folder ({error.strerror or error}); nothing was changed"
        ) from None


def _write_readme(
    staging: Path, plan: ImportPlan, writes: list[Write], bundle: Path | None
) -> None:
    """What the import is doing, for whoever finds the folder after a hard crash."""
    target = plan.target
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = [
        f"This folder was made by `protokit bundle import` (process {os.getpid()}, {when})",
        # Names as `printable` shows them: a byte that is not UTF-8 in a folder's name
        # stopped the import with an internal error (H291).
        f"importing {printable(bundle or 'a bundle')} into {printable(os.path.abspath(target))}.",
        "",
        "If you can read this and that process is no longer running, the import did not",
        "finish: it was killed, or the computer stopped, while it moved files into place.",
        "(An error, Ctrl-C or a normal kill never leave this folder: the import undoes itself.)",
        "",
        f"{REPLACED}/  the files as they were before the import, at the same paths as in the",
        "           target folder: perhaps the only copy of the older version of a file the",
        "           import had already replaced.",
        f"{NEW}/       files the import had not moved into place yet.",
        "",
        "What the import was doing, each path relative to the target folder:",
    ]
    for write in writes:
        verb = "replace" if write.seen is not None else "add    "
        lines.append(f"  {verb} {printable(relative_name(write.path, target))}")
    lines += [
        "",
        "The next `protokit bundle import` into the target folder reads this folder's",
        "journal.json and finishes the import (when every file had been moved into place)",
        "or rolls it back (putting back every file from replaced/); then it imports.",
        "Do not change or delete anything here by hand before that.",
    ]
    (staging / README).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _stage(path: Path, write: Write) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "xb") as stream:
            stream.write(write.content)
            stream.flush()
            os.fsync(stream.fileno())
        if write.mode is not None:
            os.chmod(path, write.mode)  # a replaced file keeps its permission bits
    except OSError as error:
        raise OutputError(
            f"{write.path}: cannot write its new version into the staging folder "
            f"({_reason(error)}); nothing was changed"
        ) from None
    return path


def _move_into_place(
    staged: list[tuple[Path, Write]],
    staging: Path,
    target: Path,
    moves: list[tuple[Path, Path | None]],
    created: list[Path],
    progress: Progress,
) -> None:
    """Move each staged file into place, each old file aside first. Every move is listed in
    `moves` before it is made, so that an interruption at any point can be undone."""
    for number, (source, write) in enumerate(staged, 1):
        destination = write.path
        if file_state(destination) != write.seen:
            raise OutputError(
                f"{destination} changed while the import was running; the import was undone "
                "and nothing was changed (run the import again)"
            )
        link = link_on_the_way(destination, target)
        if link is not None:
            raise OutputError(
                f"{link} is a symbolic link: an import writes only inside {target}, never "
                "through a link; the import was undone and nothing was changed"
            )
        try:
            _make_folders(destination.parent, created)
        except OSError as error:
            folder = error.filename or destination.parent
            raise _failed(folder, "create the folder", error, target) from None
        aside = None
        if write.seen is not None:
            aside = staging / REPLACED / relative_name(destination, target)
            aside.parent.mkdir(parents=True, exist_ok=True)
        moves.append((destination, aside))
        if number == len(staged):
            _block_signals()  # the last move decides: see Progress
        try:
            if aside is not None:
                os.replace(destination, aside)
            os.replace(source, destination)
            record_written(destination)
        except OSError as error:
            doing = "replace it" if aside is not None else "write it"
            raise _failed(destination, doing, error, target) from None
    progress.applied = True


def _failed(path: object, doing: str, error: OSError, target: Path) -> OutputError:
    return OutputError(
        f"{path}: cannot {doing} ({_reason(error)}); the import was undone and {target} was "
        "left as it was"
    )


def _undo(moves: list[tuple[Path, Path | None]], created: list[Path]) -> bool:
    """Put every old file back and remove every new one; whether all of it could be done."""
    complete = True
    for destination, aside in reversed(moves):
        try:
            if aside is None:
                destination.unlink(missing_ok=True)
            elif aside.exists():
                os.replace(aside, destination)
            # else: the old file was never moved aside, so it is still in place
        except OSError:
            complete = False
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()
    return complete


def _make_folders(folder: Path, created: list[Path]) -> None:
    """Create `folder` and any missing parents, adding each to `created` as it is made."""
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        created.append(path)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error) or type(error).__name__


@contextlib.contextmanager
def signals_held(deliver: bool = True) -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while files are put back: an undo stopped half way would leave
    the very mix of old and new files it exists to prevent. A held signal is delivered
    afterwards when `deliver` is set."""
    held: list[int] = []
    previous: dict[int, object] = {}
    with contextlib.suppress(ValueError):  # not the main thread: no handler runs here anyway
        for number in (signal.SIGINT, signal.SIGTERM):
            previous[number] = signal.signal(number, lambda n, _frame: held.append(n))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)  # type: ignore[arg-type]
        if held and deliver:
            signal.raise_signal(held[0])
