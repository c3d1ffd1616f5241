"""Writing results safely: a file appears whole or not at all.

Every output (reports, new protocol files, PDFs, bundles) goes through `write_atomic`: the
content is written to a temporary file in the same folder, flushed to disk, and renamed over the
target, so a crash or a full disk never leaves a half-written file behind.

Before that, a command that writes where the user says (`-o`) calls `refuse_to_replace`: an
output path that is one of the command's own inputs, or an existing file that is not what the
command writes, is refused, because a slip of the keyboard (`-o protocol.json`) would otherwise
replace a protocol with a PDF. `writable_folder` checks a folder before any work is done in it.

What `refuse_to_replace` found (`Seen`) goes to `write_atomic`, which replaces the file only if
it is still that: of two commands writing one file at once (a script started twice, two CI jobs,
`render -o sheet.pdf` of two protocols), the second to finish is refused, where both said
"wrote sheet.pdf" and one sheet was silently lost (H868). Where the system can (Linux), the
finished file is swapped with the one it replaces in one step, and the one taken away looked at
after, so that a program that takes no lock (an editor) and writes in the moment after the last
look is not silently replaced either (H1345).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from protocol_kit.cache import FOLDER_ONLY
from protocol_kit.errors import OutputError
from protocol_kit.untrusted.files import link_to_nothing

# The files this run has written and kept (`write_atomic`, an import's moves), each once, in
# order: when the command's report then cannot be written (standard output on a full disk, a
# closed pipe), the error says what was done, so that nobody takes finished work for undone
# (`cli.main`). A set, so that the workbench saving one file all day does not grow it.
_written: dict[Path, None] = {}


def record_written(path: str | os.PathLike[str]) -> None:
    _written[Path(path)] = None


def written_files() -> list[Path]:
    return list(_written)


def forget_written() -> None:
    _written.clear()


def write_atomic(
    path: str | os.PathLike[str],
    content: bytes | str | Iterable[str] | Iterable[bytes],
    *,
    overwrite: bool = True,
    private: bool = False,
    seen: Seen | None = None,
) -> Path:
    """Write `content` to `path` atomically; text is encoded as UTF-8. A `private` file (a
    secret key) is readable by its owner only. `content` may also be pieces of text or bytes,
    written as they come, so that a long report or a large bundle is never held whole in
    memory. `seen` is the file as the command found it before making the content (else as
    it is now): another program's file written there since is never replaced.

    Raises OutputError when the folder is missing or not writable, when the file exists and
    `overwrite` is false, or when another program wrote the file since `seen`.
    """
    target = Path(path)
    seen = seen if seen is not None else seen_now(target)
    pieces = _encoded(content)
    if not overwrite and os.path.lexists(target):
        dangling = link_to_nothing(target)
        if dangling:
            raise OutputError(f"{target}: {dangling}; nothing written")
        raise OutputError(f"{target}: already exists (use --force to replace it)")
    special = _special_file(target)
    if special:
        # A device or a pipe (`-o /dev/stdout`, `/dev/null`, a FIFO) is written into, never
        # renamed over: replacing /dev/full with a file would "succeed" and break the device.
        return _write_into(target, pieces, special)
    _refuse_locked(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
    try:
        # mkstemp makes the file private (0600); a sheet or a report gets the permissions any
        # new file would get, or keeps those of the file it replaces.
        os.chmod(temporary, 0o600 if private else _mode_for(target))
        with os.fdopen(handle, "wb") as stream:
            stream.writelines(pieces)
            stream.flush()
            os.fsync(stream.fileno())
        _put_in_place(temporary, target, seen, overwrite)
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
    finally:
        # (lexists: the file swapped out may be a link, to nothing)
        if os.path.lexists(temporary):
            os.unlink(temporary)
    record_written(target)
    return target


@dataclass(frozen=True)
class Seen:
    """A file as a command found it: its device, inode, size and last modification and change
    times, or None where there was no file. A rename keeps none of them, so a file written
    since differs; the change time moves on every write and no program can set it back, so
    an edit in place whose modification time was put back (`touch -r`, a copy made with
    `cp -p`) differs too (H1613). `content`, when the command read the file, is a digest of
    the bytes it read: the file taken away is compared by them too, since a write of the
    same size in the same tick of the file system's clock leaves every time as it was."""

    state: tuple[int, ...] | None
    content: str | None = field(default=None, compare=False)

    def holding(self, data: bytes | None) -> Seen:
        """This file as the command found it, holding `data` (the bytes it read)."""
        import hashlib

        return Seen(self.state, None if data is None else hashlib.sha256(data).hexdigest())


def seen_now(path: str | os.PathLike[str]) -> Seen:
    try:
        found = os.lstat(path)
    except (OSError, ValueError):
        return Seen(None)
    return Seen((found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns))


def _put_in_place(temporary: str, target: Path, seen: Seen, overwrite: bool) -> None:
    """Rename the finished `temporary` to `target` if `target` is still as `seen`. Each step
    is one the system does at once: a file that was not there is created by a hard link, which
    fails if another program made one meanwhile; one that was is replaced holding its lock,
    which every protokit writing it takes, after checking that it is still the same file."""
    if seen.state is None or not overwrite:
        _create(temporary, target, overwrite)
        return
    with _held(target):
        now = seen_now(target)
        if now.state is None:
            _create(temporary, target, overwrite)
        elif now != seen:
            raise WrittenMeanwhile(_written_meanwhile(target))
        elif not _exchanged_if_unchanged(temporary, target, seen):
            # Where files cannot be swapped (not Linux), the bytes are compared before the
            # rename: on a file system without change times an edit in place of the same size,
            # its time set back, left every time as it was and was replaced (H1672).
            if not _holds(str(target), seen.content):
                raise WrittenMeanwhile(_written_meanwhile(target))
            if _open_for_writing(target):
                raise HeldOpen(_held_open(target))
            os.replace(temporary, target)


def _exchanged_if_unchanged(temporary: str, target: Path, seen: Seen) -> bool:
    """Put `temporary` in `target`'s place by swapping the two in one step, then look at what
    was taken away: the file as `seen`, it is removed with the temporary name; another one (an
    editor, which takes no lock, wrote `target` after the last look), it is swapped back and
    WrittenMeanwhile raised (H1345). A rename cannot do this: it destroys what it replaces,
    which can then no longer be looked at. False where the system cannot swap (not Linux, a
    file system without RENAME_EXCHANGE): the caller renames, after the look, a moment apart."""
    ours = os.lstat(temporary).st_ino
    try:
        _exchange(temporary, target)
    except OSError as error:
        if error.errno in _CANNOT_EXCHANGE:
            return False
        raise
    refusal: OutputError
    if _moved_from(seen_now(temporary), seen) and _holds(temporary, seen.content):
        if not _open_for_writing(temporary):
            return True  # the temporary name now holds the old file, which write_atomic removes
        # A program holding the old file open for writing would write into a file no name
        # leads to any more, which write_atomic then removes: its next save lost without a
        # word (H1614). Swapped back, its writes reach the file; this one is refused.
        refusal = HeldOpen(_held_open(target))
    else:
        refusal = WrittenMeanwhile(_written_meanwhile(target))
    _exchange(temporary, target)
    if os.lstat(temporary).st_ino != ours:
        # Written again in the moment between the two swaps: that file is not removed either.
        kept = _kept_beside(temporary, target)
        raise WrittenMeanwhile(
            f"{_written_meanwhile(target)}; another save made meanwhile is kept as {kept.name}"
        )
    raise refusal


def _moved_from(taken: Seen, seen: Seen) -> bool:
    """Whether the file the swap took away is the one `seen`: its change time is not
    compared, as the swap itself sets it (the bytes are, when they were read)."""
    return taken.state is not None and seen.state is not None and taken.state[:4] == seen.state[:4]


def _holds(path: str, content: str | None) -> bool:
    """Whether the file at `path` holds the bytes of digest `content` (None: not compared)."""
    if content is None:
        return True
    import hashlib

    digest = hashlib.sha256()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        handle = os.open(path, flags)
    except OSError:
        return False
    with os.fdopen(handle, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest() == content


# fcntl's F_SETLEASE and F_SETSIG (Linux), where the fcntl module does not name them.
_F_SETLEASE = 1024
_F_SETSIG = 10


def _open_for_writing(path: str | os.PathLike[str]) -> bool:
    """Whether another program (or another file of this one) has the file open for writing:
    Linux refuses a read lease then (EAGAIN). The lease is let go at once, not held, and its
    break is told by SIGURG, which a process ignores unless it asks for it: a program
    opening the file for writing while the lease is held has the holder sent SIGIO, which
    would end it. False where that cannot be told (not Linux, a file system without leases,
    another user's file)."""
    try:
        import fcntl
    except ModuleNotFoundError:
        return False
    if not sys.platform.startswith("linux"):
        return False
    import signal

    set_lease = getattr(fcntl, "F_SETLEASE", _F_SETLEASE)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        handle = os.open(path, flags)
    except OSError:
        return False
    try:
        fcntl.fcntl(handle, getattr(fcntl, "F_SETSIG", _F_SETSIG), signal.SIGURG)
        fcntl.fcntl(handle, set_lease, fcntl.F_RDLCK)
    except OSError as error:
        return error.errno == errno.EAGAIN
    else:
        fcntl.fcntl(handle, set_lease, fcntl.F_UNLCK)
        return False
    finally:
        os.close(handle)


def _kept_beside(temporary: str, target: Path) -> Path:
    """`temporary` under the first free name `TARGET.kept-N` beside `target`."""
    for number in range(1, 1000):
        kept = target.with_name(f"{target.name}.kept-{number}")
        try:
            os.link(temporary, kept)
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links: checked, then renamed
            if os.path.lexists(kept):
                continue
            os.rename(temporary, kept)
            return kept
        os.unlink(temporary)
        return kept
    raise OutputError(f"{target}: too many kept copies beside it; nothing written")


# renameat2(2)'s flag that swaps two names at once (Linux 3.15, glibc 2.28), and the errors
# that say the system or the file system cannot (a kernel or libc without it, NFS, some FUSE).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_CANNOT_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


@functools.cache
def _renameat2() -> Any:
    """The C library's renameat2, or None where there is none (ctypes, some milliseconds to
    load, is loaded the first time a run replaces a file, never by a run that writes none)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    call.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    call.restype = ctypes.c_int
    return call


def exchange_in_one_step() -> bool:
    """Whether this system has the call that swaps two files (a file system may still lack it)."""
    return _renameat2() is not None


def _exchange(one: str | os.PathLike[str], other: str | os.PathLike[str]) -> None:
    """Swap the files named `one` and `other` in one step; OSError(ENOSYS) where that cannot
    be done."""
    call = _renameat2()
    if call is None:
        raise OSError(errno.ENOSYS, "cannot swap two files in one step here")
    if call(_AT_FDCWD, os.fsencode(one), _AT_FDCWD, os.fsencode(other), _RENAME_EXCHANGE):
        import ctypes

        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(other))


def _create(temporary: str, target: Path, overwrite: bool) -> None:
    try:
        os.link(temporary, target)
    except FileExistsError:
        if not overwrite:  # (made since the command looked: `write_atomic` says so at its start)
            message = f"{target}: already exists (use --force to replace it)"
            raise WrittenMeanwhile(message) from None
        raise WrittenMeanwhile(_written_meanwhile(target)) from None
    except OSError:
        # A file system without hard links: checked, then renamed (a moment apart).
        if os.path.lexists(target):
            raise WrittenMeanwhile(_written_meanwhile(target)) from None
        os.replace(temporary, target)


@contextlib.contextmanager
def _held(target: Path) -> Iterator[None]:
    """An exclusive lock on the file `target` names, for the moment of checking and replacing
    it; held by another protokit, the file is being replaced: an OutputError at once. A file
    that cannot be opened to lock (a link, no read permission) is only compared."""
    try:
        import fcntl
    except ModuleNotFoundError:  # Windows: compared only
        yield
        return
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC
    try:
        handle = os.open(target, flags)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WrittenMeanwhile(_written_meanwhile(target)) from None
        yield
    finally:
        os.close(handle)  # releases the lock


class WrittenMeanwhile(OutputError):
    """The output was written by another program since the command looked at it."""


class HeldOpen(OutputError):
    """The file is held open for writing by another program, which would go on writing into
    the file replaced."""


def _held_open(target: Path) -> str:
    return (
        f"{target}: another program has it open for writing (an editor or a script), and "
        "would go on writing into the file this one replaces; nothing written: close it "
        "there, then write again"
    )


def _written_meanwhile(target: Path) -> str:
    return (
        f"{target}: was written by another program while protokit made its own (two commands "
        "writing one file?); nothing written: see what it holds, then run again"
    )


def _refuse_locked(target: Path) -> None:
    """Refuse to replace a file its owner may not write. A clinic locks a reviewed protocol
    (`chmod 444`) to keep it as it is, and a rename over it needs only the folder's
    permission: `fmt` (and `fmt --migrate`, which changes fields), `new --force` and every
    `-o` replaced a locked file without a word, where an import refuses to (H76, H473).
    Nor a file of another user that this one may not write: `fmt` in a shared folder made a
    colleague's protocol its runner's own, which its owner could then no longer change
    (H870)."""
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        return
    if stat.S_ISREG(mode) and not mode & stat.S_IWUSR:
        raise OutputError(
            f"{target}: is read-only ({stat.filemode(mode)[1:]}): it was locked, and protokit "
            "never replaces a locked file; make it writable (chmod u+w) if it should be replaced"
        )
    if stat.S_ISREG(mode) and not may_write(target):
        raise OutputError(
            f"{target}: is another user's file, which you may not write "
            f"({stat.filemode(mode)[1:]}): protokit never replaces it through the folder's "
            "permission; ask its owner, or write elsewhere"
        )


def may_write(path: str | os.PathLike[str]) -> bool:
    """Whether this process may write the file itself (not only replace it by a rename, which
    the folder's permission allows): as its owner, its group or anyone, or as root."""
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK, effective_ids=effective)


def _special_file(target: Path) -> str | None:
    """What `target` is when it exists and is not a regular file, else None."""
    from protocol_kit.untrusted.files import kind_of

    try:
        return kind_of(os.stat(target).st_mode)
    except (OSError, ValueError):
        return None


def _encoded(content: bytes | str | Iterable[str] | Iterable[bytes]) -> Iterable[bytes]:
    if isinstance(content, bytes):
        return (content,)
    if isinstance(content, str):
        return (content.encode("utf-8"),)
    return (piece.encode("utf-8") if isinstance(piece, str) else piece for piece in content)


def _write_into(target: Path, pieces: Iterable[bytes], what: str) -> Path:
    if what not in ("a character device", "a named pipe (FIFO)"):
        raise OutputError(f"{target}: is {what}, not a file: choose another output file")
    try:
        # Without blocking: a pipe that nobody reads is an error, not a hang.
        descriptor = os.open(target, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "wb") as stream:
            os.set_blocking(descriptor, True)
            stream.writelines(pieces)
            stream.flush()
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
    return target


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # The only way to read the umask is to set it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@dataclass(frozen=True)
class FileKind:
    """What a command writes, as far as recognising an earlier copy of its output goes: every
    file of the kind starts with `magic`, and holds `mark` near its start when the kind has
    one (a text format any program can write, such as Markdown, is told by the note protokit
    puts in it)."""

    name: str  # as in a sentence: "a PDF"
    magic: bytes
    mark: bytes = b""

    def matches(self, path: Path) -> bool:
        with open(path, "rb") as stream:
            head = stream.read(max(len(self.magic), 1024 if self.mark else 0))
        # An empty file holds nothing that replacing it could lose.
        return head == b"" or (head.startswith(self.magic) and self.mark in head)


PDF = FileKind("a PDF", b"%PDF-")
HTML = FileKind("an HTML sheet", b"<!DOCTYPE html>")
ZIP = FileKind("a bundle (a zip archive)", b"PK\x03\x04")
# Any protocol-kit JSON file (a protocol, a library exercise, a prescription): what
# `new --force` may start again.
PROTOKIT_JSON = FileKind("a protocol-kit JSON file", b"{", b"https://schemas.protocol-kit.org/v1/")
RULE_PAGE = FileKind("a page `protokit rules --docs` wrote", b"# ", b"`protokit rules --docs")


def refuse_to_replace(
    output: str | os.PathLike[str],
    inputs: Iterable[tuple[str, str | os.PathLike[str] | None]] = (),
    expected: FileKind | None = None,
    writing: str = "the output",
) -> Seen:
    """Raise OutputError when writing `writing` to `output` would lose a file: when `output`
    is (or is the same file as, through a link or another spelling) one of `inputs`, pairs of
    (what it is, path) such as ("the protocol", "back.json"); or when `output` exists and is not
    of the `expected` kind. A missing output, or an earlier output of the same kind, is fine.
    Returns the output as it was found, for `write_atomic`'s `seen`.
    """
    target = Path(output)
    seen = seen_now(target)
    if seen.state is None:
        return seen
    for what, path in inputs:
        if path is None or not os.path.exists(path):
            continue
        try:
            same = os.path.samefile(target, path)
        except OSError:
            continue
        if same:
            # Named when it is another name for the output (a link), as the user would write
            # it: a library's path is absolute, and "x.json: is the protocol (/home/...)
            # x.json)" named the same file twice, once by where this machine keeps it.
            shown = _as_given(path)
            named = "" if os.path.abspath(shown) == os.path.abspath(target) else f" ({shown})"
            raise OutputError(
                f"{target}: is {what}{named} that {writing} is made from: writing {writing} "
                "there would replace it; nothing written, choose another output file"
            )
    if expected is None or not target.exists():
        return seen
    try:
        recognised = target.is_file() and expected.matches(target)
    except OSError as error:
        raise OutputError(
            f"{target}: cannot check what the existing file holds ({error.strerror or error}); "
            "nothing written"
        ) from None
    if not recognised:
        raise OutputError(
            f"{target}: exists and is not {expected.name}: writing {writing} there would "
            "destroy what it holds; nothing written, choose another output file or move it away"
        )
    return seen


def _as_given(path: str | os.PathLike[str]) -> str:
    """`path` from the current folder when it is an absolute path below it, else as it is."""
    text = os.fspath(path)
    if not os.path.isabs(text):
        return text
    here = os.getcwd()
    relative = os.path.relpath(text, here)
    return text if relative.startswith(os.pardir) else relative


def writable_folder(folder: str | os.PathLike[str], create: bool = False) -> Path:
    """`folder`, after checking that a file can be written in it (created first with
    `create`), so that a command finds out before doing its work, not once per file."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: is a file, not a folder; give a folder for the output")
    dangling = link_to_nothing(path)
    if dangling:
        raise OutputError(f"{path}: {dangling}; give a folder for the output")
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(
                f"{path}: cannot create the folder: {error.strerror or error}"
            ) from None
    elif not path.is_dir():
        raise OutputError(f"{path}: no such folder")
    try:
        # Permissions alone do not tell (a read-only file system, root, network shares):
        # writing a file does.
        handle, probe = tempfile.mkstemp(prefix=".protokit-", suffix=".tmp", dir=path)
    except OSError as error:
        raise OutputError(
            f"{path}: cannot write in the folder: {error.strerror or error}"
        ) from None
    os.close(handle)
    os.unlink(probe)
    return path


def sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable where the platform allows syncing a folder."""
    try:
        handle = os.open(folder, FOLDER_ONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(handle)
    finally:
        os.close(handle)


@contextlib.contextmanager
def folder_locked(folder: Path, busy: Exception) -> Iterator[None]:
    """Hold an exclusive `flock` on `folder` itself (nothing is written for it) while one
    command writes into it; `busy` is raised at once when another holds it. The system
    releases the lock when the process ends, however it ends, so none is ever left stale.
    Used by `bundle import` (its target) and `build` (its output folder: two builds into one
    folder each removed the other's sheets as "from an earlier build", and one reported a
    sheet built that the other had just deleted, H424)."""
    try:
        import fcntl
    except ModuleNotFoundError:  # Windows: no flock; such commands are not serialised there
        yield
        return
    try:
        handle = os.open(folder, FOLDER_ONLY)
    except OSError as error:
        raise OutputError(f"{folder}: cannot open the folder: {error.strerror or error}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        yield
    finally:
        os.close(handle)  # releases the lock
