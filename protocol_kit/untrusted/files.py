"""Opening and walking untrusted paths.

A path given to protokit, or found in a folder, may name a named pipe (reading it waits for a
writer that never comes), a device (`/dev/zero` never ends) or a socket. Every read of a file
protokit did not write goes through `open_regular`, which refuses anything but a regular file
before reading a byte, and opens without blocking so that the check itself cannot hang.
A folder that cannot be read is an error (`walk`), never skipped: a skipped folder would let
CI report "all valid" for files it never saw.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from protocol_kit.errors import InputError
from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import BinaryIO

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


class NotARegularFile(OSError):
    """Raised where a regular file is needed; an OSError, so that every caller that reports
    `cannot read: <strerror>` reports this too, in the same words."""

    def __init__(self, what: str) -> None:
        reason = what if what.startswith("the path") else f"is {what}, not a regular file"
        super().__init__(reason)
        self.strerror = reason


def kind_of(mode: int) -> str | None:
    """What a file of this mode is, in words, when it is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def link_to_nothing(path: str | os.PathLike[str]) -> str | None:
    """`is a link to nothing (...)` when `path` is a symbolic link that leads to no file (or
    to links that go round), else None: where "no such file" (with a "did you mean" of the
    same name) or "File exists" was said of a name `ls` shows, naming neither the link nor
    where it leads."""
    try:
        if not os.path.islink(path):
            return None
        leads_to = os.readlink(path)
        os.stat(path)
    except FileNotFoundError:
        return f"is a link to nothing (it leads to {leads_to}, which does not exist)"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a link to nothing (its links go round)"
        return None
    except ValueError:  # a NUL in the name
        return None
    return None


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """`path` opened for reading in binary mode; raises OSError (NotARegularFile for a pipe,
    device, socket or folder, and for a path holding a NUL character) before reading."""
    descriptor, _ = _open_descriptor(path)
    try:
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _open_descriptor(
    path: str | os.PathLike[str], blocking: bool = True
) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file at `path` and its status; NotARegularFile for
    anything else, checked before opening and again on what was opened (the path may have
    been swapped since). Opened without blocking, so that what was swapped in (a named pipe)
    cannot hang the open itself; made blocking again when `blocking` (for a file object
    that may be read in any way), else left so: reading a regular file never waits, and
    `read_whole` saves the two system calls (issue 17)."""
    try:
        what = kind_of(os.stat(path).st_mode)
    except ValueError:  # "embedded null byte"
        raise NotARegularFile("the path holds a NUL character, which no file name can") from None
    if what:
        raise NotARegularFile(what)
    descriptor = os.open(path, _READ_FLAGS)
    try:
        status = os.fstat(descriptor)
        what = kind_of(status.st_mode)
        if what:
            raise NotARegularFile(what)
        if blocking and hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, status


class FileTooLarge(Exception):
    """Raised by `read_whole` for a file over its limit, before a byte is read."""

    def __init__(self, size: int) -> None:
        self.size = size


def read_whole(path: str, limit: int) -> bytes:
    """A regular file's bytes, as `open_regular` would give them, or FileTooLarge when it
    holds more than `limit` bytes. Read with the descriptor alone: a file object (a
    buffered reader over a raw one) costs two more system calls and two objects, a tenth
    of checking a protocol. The bytes asked for are the file's size and one more, to see
    whether it grew since it was measured."""
    descriptor, status = _open_descriptor(path, blocking=False)
    try:
        return read_opened(descriptor, status, limit)
    finally:
        os.close(descriptor)


def read_opened(descriptor: int, status: os.stat_result, limit: int) -> bytes:
    """`read_whole` of a regular file opened already (`status`: its `os.fstat`), from where
    the descriptor stands; the caller closes it."""
    if status.st_size > limit:
        raise FileTooLarge(status.st_size)
    raw = os.read(descriptor, status.st_size + 1)
    if len(raw) != status.st_size:
        # It grew since it was measured, or the read stopped short (a signal, a file of
        # gigabytes): read on to its end, up to `limit + 1` bytes, a mebibyte at a time.
        chunks, got = [raw], len(raw)
        while got <= limit:
            chunk = os.read(descriptor, min(limit + 1 - got, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        raw = b"".join(chunks)
    return raw


_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """At most `limit + 1` bytes of a regular file (the caller refuses what is longer)."""
    with open_regular(path) as handle:
        return handle.read(limit + 1)


def same_file(path: str | os.PathLike[str], other: str | os.PathLike[str]) -> bool:
    """Whether the two names are one file; False when either is not there (a link to
    nothing, a file deleted meanwhile, `-` for standard input): `os.path.samefile` raised, and
    a link to nothing beside a prescription, or the prescription read from standard input,
    ended `validate` with "No such file or directory" (H1522)."""
    try:
        return os.path.samefile(path, other)
    except (OSError, ValueError):
        return False


def is_regular(path: str | os.PathLike[str]) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def walk(
    folder: str | os.PathLike[str], keep_folder: Callable[[str], bool] = lambda name: True
) -> Iterator[tuple[str, list[str], list[str]]]:
    """`os.walk` in sorted order that raises InputError for a folder it cannot read, instead of
    skipping it. `keep_folder(name)` chooses the subfolders to enter."""

    def refuse(error: OSError) -> None:
        where = error.filename or folder
        raise InputError(
            f"{where}: cannot read the folder: {error.strerror or error} "
            "(its files would not be checked)"
        )

    for root, dirs, names in os.walk(folder, onerror=refuse):
        dirs[:] = sorted(d for d in dirs if keep_folder(d))
        yield root, dirs, sorted(names)


def files_under(
    folder: str | os.PathLike[str],
    suffix: str,
    keep_folder: Callable[[str], bool] = lambda name: True,
) -> Iterator[Path]:
    """Every file under `folder` whose name ends with `suffix`, in a stable order; see `walk`."""
    return map(Path, names_under(folder, suffix, keep_folder))


def names_under(
    folder: str | os.PathLike[str],
    suffix: str,
    keep_folder: Callable[[str], bool] = lambda name: True,
    keep_file: Callable[[str], bool] = lambda name: True,
) -> Iterator[str]:
    """`files_under`'s paths as the strings `str` gives of them, and only the files whose
    names `keep_file` keeps: `protokit validate` of a folder wants the names, and a `Path`
    made and written back for each file cost about 3.5 µs of a run's first process a file
    (issue 17). The path is already as `Path` writes it: normalised, with no empty or `.`
    part."""
    for head, names in runs_under(folder, suffix, keep_folder, keep_file):
        for name in names:
            yield head + name


def runs_under(
    folder: str | os.PathLike[str],
    suffix: str,
    keep_folder: Callable[[str], bool] = lambda name: True,
    keep_file: Callable[[str], bool] = lambda name: True,
) -> Iterator[tuple[str, list[str]]]:
    """`names_under`'s paths a folder at a time, in the same order: the folder's part of
    them (its normalised path and a separator, "" for the current folder) and the names
    of its files that are kept, for each folder that has any. A run's process keeps them
    so (`app.path_list.PathList`) without making each path and cutting it up again: a
    third of a walk of 10,500 files (issue 17)."""
    for root, _, names in walk(folder, keep_folder):
        # Normalised once a folder, not once a file: a name listed in a folder holds no
        # separator and is never "." or "..", so that `normpath(join(root, name))` is the
        # folder's normalised path, a separator, and the name.
        head = os.path.normpath(root)
        head = "" if head == os.curdir else os.path.join(head, "")
        kept = [name for name in names if name.endswith(suffix) and keep_file(name)]
        if kept:
            yield head, kept


# The largest file protokit reads whole where no tighter limit applies (a protocol in an import
# target, an image, a record): four times the largest entry a bundle may carry.
LARGEST_FILE = 256 * 1024 * 1024


def read_file(path: str | os.PathLike[str], limit: int = LARGEST_FILE) -> bytes:
    """The bytes of a regular file; OSError (with a `strerror` to print) for anything else or
    for a file larger than `limit`."""
    data = read_regular(path, limit)
    if len(data) > limit:
        error = OSError(f"is larger than {limit:,} bytes")
        error.strerror = f"is larger than {limit:,} bytes"
        raise error
    return data


# How far up protokit looks from a folder for what a project holds: its `protokit.toml` or
# `[tool.protokit]`, its `library/` folders, a prescription's protocol.
#
# Up to the top of the file system, or to (not into) the nearest folder named in
# $PROTOKIT_CEILING_DIRECTORIES, as git's GIT_CEILING_DIRECTORIES: a test suite, or a build that
# unpacks protocols into a temporary folder, says where its project ends, so that a protokit.toml,
# a library/ folder or protocols someone left above it (in /tmp, in a home folder) are not read as
# its own. Without the variable nothing changes: a clinic's protokit.toml above its protocols is
# found as before.
CEILING_VARIABLE = "PROTOKIT_CEILING_DIRECTORIES"


def folders_upwards(start: Path) -> list[Path]:
    """`start` and the folders above it, nearest first, stopping below a ceiling. `start`
    itself is searched even when it is a ceiling (a command run there is in its project),
    and nothing above it then."""
    ceilings = _ceilings(os.environ.get(CEILING_VARIABLE, ""))
    folders = [start]
    if start in ceilings:
        return folders
    for above in start.parents:
        if above in ceilings:
            break
        folders.append(above)
    return folders


@functools.lru_cache(maxsize=4)
def _ceilings(named: str) -> frozenset[Path]:
    """The folders named (separated by os.pathsep; relative names and empty entries are
    ignored, as git does), each as written and resolved, since callers walk up from either."""
    names = [name for name in named.split(os.pathsep) if os.path.isabs(name)]
    folders = [Path(os.path.abspath(name)) for name in names]
    return frozenset([*folders, *(folder.resolve() for folder in folders)])
