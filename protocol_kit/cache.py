"""The user's cache folder: results that are slow to work out and never change for one input.

Everything here is derived from installed packages or from the user's own files, and is safe
to delete at any time: the ICD-10-CM code index (half a second to build from `simple_icd_10_cm`)
and the readability grades of patient texts (the syllable counts behind them take a third of
a second to read), both SQLite files, so a run opens them in a millisecond and reads only
the rows it needs, and the answers each gave in the latest runs (`Recent`), so that a run that
asks only what was asked before opens neither; what each red-flag pattern needs
(`protocol_kit.pattern_needs`, also a `Recent`); the pose checks' findings for each set of
poses (`protocol_kit.illustration.verdicts`, a `Recent`); the documents that passed their
schema (`protocol_kit.validation.schema_verdicts`, a `Recent`), each of these three labelled by
`files_label`; and small values kept whole
(`stored`/`store`): the regular expressions' compiled code (`protocol_kit.patterns`) and the
parsed configuration file (`protocol_kit.config`), each a marshal file checked by its
checksum before it is read (the patterns' code itself lies after the value, each piece
checked when it is used: `stored_with_pieces`).

The cache is an optimisation only. Every function here gives up quietly when the folder
cannot be written or a file is damaged; the caller then works the answer out again.

A kept answer can skip a check (a schema verdict of "passed", a code the index knows), so the
cache is read and written only where nobody but this user could have put a file (H540): its
folder and each file must be the user's own and writable by no other account (a group
write is allowed for the user's private group alone), files are opened without following a
symbolic link, and a temporary file is made new (`O_EXCL`), never opened through a link
another account planted under its name.
"""

from __future__ import annotations

import _thread
import functools
import marshal
import os
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from zlib import crc32

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3
    from typing import Any

# A kept file's check: zlib's CRC-32 of its payload, 4 bytes, big-endian. It is there to find
# damage (a disk's, a copy's), not a change someone made on purpose: nobody but the user can
# write these files (H540), and whoever could would write the check too. CRC-32 finds every
# damage of up to 32 bits in a row and all but one in 4 billion others, at a fifth of the
# instructions of blake2b, which read the 650 KB of the patterns' file at every start-up
# (about 9 million instructions of a one-file `protokit validate`, issue 17; H630). A file
# of an earlier version (a 64-byte blake2b digest in this place) fails the check and is
# written again.
_CHECK = 4
# The length of a payload followed by pieces (`store_with_pieces`), 4 bytes, big-endian.
_SIZE = 4
_LARGEST_STORED = 16 * 1024 * 1024  # bytes of a `stored` file read at most


def cache_dir() -> Path:
    """`$PROTOKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/protokit`, else `~/.cache/protokit`."""
    explicit = os.environ.get("PROTOKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "protokit"


def _only_ours(status: os.stat_result) -> bool:
    """Whether a cache file or folder of this status could have been written by this user
    alone: owned by the user, not writable by others, and writable by its group only when
    that group is the user's private one (the usual umask 002 of a private group)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no owner and mode to compare
        return True
    if status.st_uid != getuid() or status.st_mode & 0o002:
        return False
    return not status.st_mode & 0o020 or _private_group(status.st_gid, status.st_uid)


@functools.cache
def _private_group(gid: int, uid: int) -> bool:
    """Whether group `gid` is user `uid`'s own: named as the user, with no other member."""
    try:
        import grp
        import pwd

        user, group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid)
    except (ImportError, KeyError, OSError):
        return False
    return group.gr_name == user and set(group.gr_mem) <= {user}


def usable_folder(folder: Path) -> bool:
    """Whether `folder` exists and is this user's alone (`_only_ours`), so that every file in
    it was put there by this user. A link to the folder is followed: what it names is what
    is checked."""
    try:
        status = os.stat(folder)
    except (OSError, ValueError):
        return False
    return stat.S_ISDIR(status.st_mode) and _only_ours(status)


def read_kept(path: Path, limit: int) -> bytes | None:
    """At most `limit + 1` bytes of the cache file at `path`; None when it is missing, is not
    a regular file of this user's alone in a folder of this user's alone, or is a link."""
    if not usable_folder(path.parent):
        return None
    try:
        descriptor = os.open(path, _KEPT_READ)
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or not _only_ours(status):
            return None
        # Asked for the file's size (and one byte more, to see one that grew past it), not
        # for `limit`: a read of up to 16 MB sets aside a buffer that large first, and
        # reading the 800 kB patterns file that way took 3 ms instead of 0.05 (kernel time
        # that instruction counts do not show; issue 17). A file that grew since is read in
        # part and fails its check.
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(min(status.st_size, limit) + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)


_NO_LINK = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# Read without blocking: a named pipe put in place of a cache file never hangs a run.
_KEPT_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _NO_LINK
_KEPT_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_LINK


def _new_file(path: Path) -> int:
    """A descriptor of a new file at `path`, readable and writable by this user alone;
    FileExistsError when anything (a link another account planted) is there already."""
    return os.open(path, _KEPT_NEW, 0o600)


def _made_folder(folder: Path) -> bool:
    """`folder` made when missing (readable by this user alone), and whether it may be used."""
    try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        pass
    return usable_folder(folder)


def package_version(distribution: str, package: str) -> str:
    """The installed version of `distribution` (whose import name is `package`), for the
    name of a cache file derived from it (`lean_imports.installed.dist_info_version`)."""
    from protocol_kit.lean_imports import installed_spec
    from protocol_kit.lean_imports.installed import dist_info_version

    spec = installed_spec(package)
    beside = ()
    if spec is not None and spec.origin and spec.submodule_search_locations:
        beside = (os.path.dirname(os.path.dirname(spec.origin)),)
    return dist_info_version(distribution, beside)


def open_table(
    name: str, create: str, fill: Callable[[], Iterable[tuple]] | None = None
) -> sqlite3.Connection | None:
    """A connection to the cache file `name`, made (and filled from `fill`) when missing.

    A filled table is built in a temporary file and renamed into place, so a reader never
    sees half of it, and two workers that both build it just replace one copy by another.
    None when the cache folder cannot be used.
    """
    import sqlite3  # only where a table is opened: 1 ms of every start-up otherwise

    path = cache_dir() / name
    try:
        if not _made_folder(path.parent):
            return None
        if not os.path.lexists(path):
            _build(path, create, fill)
        elif os.path.islink(path) or not _only_ours(os.stat(path)):
            return None  # not this user's file: never read, never replaced
        connection = sqlite3.connect(path, timeout=2, check_same_thread=False)
        # A cache: losing the last writes in a power cut costs a recomputation, nothing more.
        connection.execute("PRAGMA synchronous=OFF")
        try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
            # Each new grade is its own transaction; with a write-ahead log that is an append,
            # not a journal file made and deleted (which cost 0.6 ms a row). A read-only
            # cache stays in its mode and is still read.
            connection.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error:
            pass
        if _shape(connection) != _shape_of(create) or (
            fill is not None and not connection.execute("SELECT 1 FROM t LIMIT 1").fetchall()
        ):
            # A file of this name made otherwise (another version's layout, an emptied
            # table): every query would fail, or find nothing (H231).
            connection.close()
            raise sqlite3.DatabaseError(f"{path}: not the table this version makes")
        _close_at_exit(connection)
        return connection
    except (OSError, sqlite3.OperationalError):  # read-only folder, busy file
        return None
    except sqlite3.Error:
        try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
            path.unlink()  # damaged: the next run builds it again
        except OSError:
            pass
        return None


def _close_at_exit(connection: sqlite3.Connection) -> None:
    """Close `connection` when the process that opened it ends (not in a forked worker, which
    opens its own). A connection holds itself in a reference cycle (its statement cache), so
    nothing but the garbage collector would close it, and `protokit validate` leaves what is
    alive at exit to the system (cli/main.py `_pause_for_setup`): the table's write-ahead log
    would be left beside it, not written back."""
    import atexit

    opener = os.getpid()

    def close() -> None:
        if os.getpid() == opener:
            connection.close()

    atexit.register(close)


def stored(name: str, label: str) -> Any | None:
    """The value `store(name, label, ...)` kept in the cache file `name`; None when there is
    none, or the file is damaged, truncated or written under another `label` (the label
    names everything the value depends on besides its key: an interpreter, a format)."""
    return stored_at(cache_dir() / name, label)


def stored_with_pieces(name: str, label: str) -> tuple[Any, memoryview] | None:
    """The value and the pieces `store_with_pieces(name, label, ...)` kept in the cache file
    `name`, or None as `stored` says. The value is checked as `stored` checks it; the pieces
    are not: whoever uses one checks it first (its CRC-32, kept in the value), so that a run
    that uses a third of them checks a third (the patterns' code, `protocol_kit.patterns`)."""
    return stored_at(cache_dir() / name, label, pieces=True)


def stored_at(path: Path, label: str, pieces: bool = False) -> Any | None:
    """`stored` of the file at `path` (`stored_with_pieces` with `pieces`)."""
    try:
        # A regular file of this user's, of a sane size: a named pipe put there never hangs
        # a run, and a huge file is not read whole.
        kept = read_kept(path, _LARGEST_STORED)
        if kept is None or len(kept) > _LARGEST_STORED:
            return None
        # The label's line, the payload's check, the payload: a payload is read only when it
        # is exactly as written. The payload is checked and read where it lies, not copied
        # out twice (the patterns' 900 kB file: two copies, about 450 new pages of memory
        # at every start; issue 17).
        end = kept.find(b"\n")
        if end < 0 or kept[:end] != label.encode():
            return None
        payload = memoryview(kept)[end + 1 + _CHECK :]
        rest = None
        if pieces:  # the payload's length before it, the pieces after it
            length = _SIZE + int.from_bytes(payload[:_SIZE], "big")
            payload, rest = payload[:length], payload[length:]
            if len(payload) != length:
                return None
        if _check(payload) != kept[end + 1 : end + 1 + _CHECK]:
            return None
        if rest is None:
            return marshal.loads(payload)
        return marshal.loads(payload[_SIZE:]), rest
    except Exception:  # noqa: BLE001 (any damage: the cache is not used)
        return None


def store(name: str, label: str, value: Any) -> None:
    """Keep `value` (plain data: marshal's types) in the cache file `name`, written whole to a
    temporary file and renamed into place; nothing when the folder cannot be written."""
    store_at(cache_dir() / name, label, value)


def store_with_pieces(name: str, label: str, value: Any, pieces: bytes) -> None:
    """`store`, with `pieces` after the value: bytes that `stored_with_pieces` gives back
    unchecked, each to be checked where it is used (each piece's CRC-32, kept in `value`)."""
    store_at(cache_dir() / name, label, value, pieces)


def store_at(path: Path, label: str, value: Any, pieces: bytes | tuple | None = None) -> None:
    """`store` in the file at `path` (`store_with_pieces` with `pieces`). `pieces` may be a
    tuple of buffers (arrays, memoryviews), written one after the other as if joined."""
    temporary = _temporary(path)
    try:
        payload = marshal.dumps(value)
        if pieces is not None:
            payload = len(payload).to_bytes(_SIZE, "big") + payload
        if not _made_folder(path.parent):
            return
        with os.fdopen(_new_file(temporary), "wb") as handle:
            # The payload written as it is, not first copied after the label (a 2 MB file of
            # the lint's answers was a 2 MB copy more at a worker's end, issue 17).
            handle.write(b"%s\n%s" % (label.encode(), _check(payload)))
            handle.write(payload)
            # Each piece written from where it lies: the lint's answers (two arrays of up to
            # 131,072 digests) were a 2.6 MB copy in bytes at a first run's end (issue 17).
            for piece in pieces if type(pieces) is tuple else (() if pieces is None else (pieces,)):
                handle.write(piece)
        os.replace(temporary, path)
    except (OSError, ValueError):  # a read-only or full folder, a value marshal cannot write
        try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
            temporary.unlink()  # ours, or one a killed run of this name left
        except OSError:
            pass


def _temporary(path: Path) -> Path:
    """The name of the file a write to `path` is made in before it is renamed into place:
    this process's and this thread's own. The workbench checks files in several threads at
    once; with the process's alone, two threads writing one cache file shared a name, the
    second found the first's file there and removed it in its clean-up, and the first's
    rename failed (H1163). No other running writer has this name, so a file found under it
    is one a killed run left: removed in the clean-up, as before."""
    return path.with_name(f".{path.name}.{os.getpid()}.{_thread.get_ident()}.tmp")


def _check(payload: bytes) -> bytes:
    """The check `store_at` writes before a payload."""
    return crc32(payload).to_bytes(_CHECK, "big")


def row_check(*values: str | int | float | None) -> int:
    """The CRC-32 of a cache table's row, kept in a column of its own and compared when the
    row is read. SQLite checks no page: a damaged byte of a row (a disk's, a copy's) read as
    another answer, a listed code's billable flag as a category header's, and a damaged page
    of the code index as "not an ICD-10-CM code" (H1186). Integers and floats are written as
    Python writes them, so a bool is to be given as the int SQLite gives back."""
    return crc32(repr(values).encode("utf-8", "surrogatepass"))


# How a folder is opened to be locked or synced (here and `files`' output folders): only as a
# folder, without blocking. A named pipe put in place of the cache folder (or a link to one)
# was opened for reading and waited for a writer for ever, and each worker of a large run
# saves its answers there as it ends, so `validate` of a folder hung (H1273); an output folder
# swapped for one after it was checked hung `build` and `bundle import` (H1306).
FOLDER_ONLY = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def locked_folder(folder: Path) -> int | None:
    """The cache folder locked against the other processes that use it until the returned
    descriptor is closed (an advisory lock on the folder itself: no file is made for it).
    Where there is no `flock` (Windows), or the folder cannot be opened, None: not locked,
    and two saves at once may then each keep only their own answers, which are asked again
    next time. (A function, not a `contextlib.contextmanager`: `validate` does not import
    contextlib, 3 million instructions, issue 17.)"""
    try:
        import fcntl

        descriptor = os.open(folder, FOLDER_ONLY)
    except (ImportError, OSError):
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def when_this_process_ends(save: Callable[[], None]) -> None:
    """Call `save` when this process ends: at exit, or for a worker forked by a large run
    (which never runs `atexit`) when multiprocessing ends it (its finalizers)."""
    if multiprocessing_worker():
        from multiprocessing import util

        util.Finalize(None, save, exitpriority=10)
    else:
        import atexit

        atexit.register(save)


def multiprocessing_worker() -> bool:
    """Whether this process was started by multiprocessing (a worker of a large run), where
    `atexit` never runs. Asked without importing multiprocessing: a process that has not
    imported it was not started by it."""
    module = sys.modules.get("multiprocessing")
    return module is not None and module.parent_process() is not None


# What `Recent.get` gives for a question not asked before.
UNKNOWN: Any = object()
_RECENT_LABEL = "protokit recent answers 1"


class Recent:
    """The answers a cache table gave in the latest runs, kept whole in a small file of their
    own (`stored_at`), so that a run whose questions were all asked before reads that file and
    neither imports sqlite3 nor opens the table: about 3 ms of a one-file `protokit validate`
    for the two tables (the ICD-10-CM index, the reading grades), a quarter of `python -c pass`.

    The answers are the table's own, in a file named by the same versions as the table, so
    either gives the same answer; a damaged file is not read (its CRC-32), and the table
    answers. New answers are added to the file when the process that asked ends: at exit, or
    for a worker forked by a large run (which never runs `atexit`) when multiprocessing ends
    it; each adds its own to what the file holds then (the workers ask most of a large run's
    questions: kept only by their parent, each run asked them of the table again, and a
    worker loaded the whole WHO list for them), with the cache folder locked while it reads
    and writes the file (`locked_folder`). The newest `most` are kept.
    """

    def __init__(
        self,
        name: str,
        most: int = 2048,
        label: str = _RECENT_LABEL,
        fits: Callable[[Any], bool] | None = None,
    ) -> None:
        self.path = cache_dir() / name
        self.most = most
        self.label = label  # names what the answers depend on besides their keys
        # Whether a kept answer has the shape the asker's code takes (H588): the user's own
        # account may have written the file (a cache restored from another build), and an
        # answer of another type ended the run in "internal error". One that does not fit is
        # not used; the question is worked out again. Checked when asked, not at reading: a
        # run asks for few of the answers a file keeps.
        self.fits = fits
        self._answers: dict[Any, Any] | None = None  # read on the first question
        self._added: dict[Any, Any] = {}  # what this process added, to save
        self._saver = 0  # the process that set itself to save them

    def get(self, key: Any) -> Any:
        """The answer kept for `key`, or `UNKNOWN` (also for one that does not fit)."""
        answer = self._read().get(key, UNKNOWN)
        if answer is not UNKNOWN and self.fits is not None and not answer_fits(self.fits, answer):
            return UNKNOWN  # worked out again, and replaced by `add`
        return answer

    def add(self, key: Any, answer: Any) -> None:
        """Keep `answer` (plain data: marshal's types) for `key`, in the file at exit."""
        answers = self._read()
        answers[key] = answer
        if len(answers) > 2 * self.most:  # a long run (the workbench): memory stays flat
            self._answers = self._newest(answers)
        if self._saver != os.getpid():
            # A forked worker starts with its parent's answers and registrations: its own
            # are saved by its own ending (multiprocessing runs its finalizers, not atexit).
            self._saver, self._added = os.getpid(), {}
            when_this_process_ends(self._save)
        self._added[key] = answer
        if len(self._added) > 2 * self.most:  # trimmed to `most`: rarely, not at each add
            self._added = self._newest(self._added)

    def _read(self) -> dict[Any, Any]:
        """The answers, read from the file on the first question."""
        if self._answers is None:
            self._answers = self._kept()
        return self._answers

    def _kept(self) -> dict[Any, Any]:
        """The answers in the file now."""
        found = stored_at(self.path, self.label)
        return found if isinstance(found, dict) else {}

    def _save(self) -> None:
        if os.getpid() != self._saver or not self._added:
            return  # registered by the process this one was forked from
        try:
            descriptor = locked_folder(self.path.parent)
            try:
                # The workers of a run end together: each reads the file and writes it back
                # with its own added while the folder is locked, so none writes over what
                # another added.
                if len(self._added) >= self.most:
                    answers = self._added  # the newest `most` are ours: the file's not read
                else:
                    answers = self._kept()
                    answers.update(self._added)  # the file as the other processes left it
                store_at(self.path, self.label, self._newest(answers))
            finally:
                if descriptor is not None:
                    os.close(descriptor)  # the lock goes with the descriptor
        except Exception:  # noqa: BLE001, S110 (nothing may reach the user from the cache)
            pass

    def _newest(self, answers: dict[Any, Any]) -> dict[Any, Any]:
        return answers if len(answers) <= self.most else dict(list(answers.items())[-self.most :])


def answer_fits(fits: Callable[[Any], bool], answer: Any) -> bool:
    """Whether `fits(answer)` says yes (an answer of a shape the test cannot take does not)."""
    try:
        return bool(fits(answer))
    except Exception:  # noqa: BLE001 (a shape the test itself cannot take does not fit)
        return False


def files_label(
    title: str, version: int, folder: str, names: Iterable[str], extra: str = ""
) -> str | None:
    """The label of answers kept between runs that depend on the files `names` (paths with
    "/" relative to `folder`: the sources of the code that works them out, the data it
    reads) besides their keys: `title`, the `version` of what is kept, the interpreter's
    version, `extra` (the versions of anything else they depend on) and one digest of the
    files' contents. None when a file cannot be read (a zipped or frozen install): what
    another version worked out could not be told apart.

    Shared by every `Recent` whose answers are worked out by the package's own code and data,
    so that each is labelled the same careful way (issue 17).

    The digest is CRC-32, as the kept files' own check: it is there to tell one version of the
    files from another, which changes its bytes, not to resist a forger (one who can write
    the package's files or the cache needs no collision). blake2b of the files read at each
    start (the schemas, their code, `pattern_needs`) was 5.7 million instructions of a
    one-file `validate` (~2 %), CRC-32 about a fifth. Each file's name and length go into the
    CRC and the label holds their total, so a changed version would have to keep the total
    and the CRC of every name, length and byte to pass for the old one."""
    check = total = 0
    try:
        for name in names:
            with open(os.path.join(folder, *name.split("/")), "rb") as handle:
                content = handle.read()
            # Each file's name and length before it: no two sets of contents read alike.
            header = b"%s %d\n" % (name.encode(), len(content))
            check = crc32(content, crc32(header, check))
            total += len(content)
    except (OSError, TypeError, UnicodeEncodeError):
        return None
    versions = " ".join(sys.version.split())
    files = f"{check:08x}-{total}"
    parts = ("protokit", title, str(version), versions, extra, files)
    return " ".join(part for part in parts if part)


def kept_answers(
    title: str,
    version: int,
    folder: str,
    names: Iterable[str],
    most: int,
    extra: str = "",
    fits: Callable[[Any], bool] | None = None,
    keeper: Callable[..., Any] | None = None,
) -> Any:
    """The answers kept between runs under `files_label(...)`, in the cache file named by
    `title`, the interpreter and `version`, by `keeper` (`Recent`, or another class taking
    its arguments: `digest_answers.DigestAnswers`); answers for this run only when the files
    cannot be read."""
    label = files_label(title, version, folder, names, extra)
    if label is None:
        return ThisRunOnly()
    name = f"{title.replace(' ', '-')}-{sys.implementation.cache_tag}-{version}.marshal"
    return (keeper or Recent)(name, most=most, label=label, fits=fits)


class ThisRunOnly:
    """`Recent`'s questions, answered for this run only: for answers whose file could not be
    labelled with what they depend on (a module's source missing from a zipped or frozen
    install), since what another version worked out cannot be told from this one's."""

    def __init__(self) -> None:
        self.found: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        return self.found.get(key, UNKNOWN)

    def add(self, key: Any, answer: Any) -> None:
        self.found[key] = answer


def _build(path: Path, create: str, fill: Callable[[], Iterable[tuple]] | None) -> None:
    import contextlib  # only while the cache is made
    import sqlite3

    temporary = _temporary(path)
    try:
        os.close(_new_file(temporary))  # sqlite would follow a link put under this name
        with contextlib.closing(sqlite3.connect(temporary)) as building:
            # No rollback journal: a build that fails is thrown away whole, and a journal
            # was left beside it in the cache folder when the disk filled (its rollback
            # could not be written) or the process was killed, one per process.
            building.execute("PRAGMA journal_mode=OFF")
            building.execute(create)
            if fill is not None:
                placeholders = ",".join("?" * _columns(building))
                building.executemany(f"INSERT INTO t VALUES ({placeholders})", fill())
            building.commit()
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _shape(connection: sqlite3.Connection) -> list[tuple]:
    """The table's columns: name, type, whether NOT NULL and whether part of the key."""
    rows = connection.execute("PRAGMA table_info(t)").fetchall()
    return [(name, kind.upper(), notnull, key) for _, name, kind, notnull, _, key in rows]


@functools.cache  # one statement per table kind: worked out once per run, not per open
def _shape_of(create: str) -> list[tuple]:
    import contextlib  # only when a table is opened
    import sqlite3

    with contextlib.closing(sqlite3.connect(":memory:")) as scratch:
        scratch.execute(create)
        return _shape(scratch)


def _columns(connection: sqlite3.Connection) -> int:
    return len(connection.execute("PRAGMA table_info(t)").fetchall())
