"""The bundle's zip archive: written in exactly one canonical form, read within limits.

Writing. A bundle must be byte-identical whenever it is made from the same inputs, on any machine
and any Python version, so that two clinics can compare bundles by hash. The writer therefore
lays out the (simple, fully specified) ZIP structures itself rather than relying on the details
of `zipfile`'s output: entries sorted by name, stored uncompressed (DEFLATE output differs
between zlib builds), dated 1980-01-01 00:00, mode 0644, no extra fields, no comments, no data
descriptors. Images are already compressed, and protocols are small.

Reading. A bundle may come from a stranger. `scan_archive` parses it with `zipfile` and refuses,
before any entry's content is read, an archive that is too large, has too many entries, or has an
entry whose name could escape the target folder (absolute, `..`, backslashes, drive letters),
that is a link or folder, encrypted, compressed with an unknown method, too large or compressed
suspiciously well (a zip bomb), or that appears twice. Entries are then read one at a time (never
to disk), and the archive must be byte-identical to the canonical archive of those entries: a
changed byte anywhere, even in a header, timestamp or padding, is refused. Only each entry's
place, size and SHA-256 are kept; its content is read again when it is used, and must still have
that SHA-256 (`ScannedArchive.read`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import stat
import struct
import threading
import weakref
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from protocol_kit.bundle import BundleRefused
from protocol_kit.findings import shown
from protocol_kit.untrusted.files import NotARegularFile, open_regular

MiB = 1024 * 1024

# DOS date and time of 1980-01-01 00:00:00, the earliest a ZIP header can hold.
_DOS_DATE = (0 << 9) | (1 << 5) | 1
_DOS_TIME = 0
_VERSION = 20  # ZIP 2.0: stored entries, no zip64
_MADE_BY = (3 << 8) | _VERSION  # "Unix", so that the mode bits below are meaningful
_FILE_MODE = 0o100644  # a regular file, rw-r--r--
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_MAX_ENTRY_NAME = 255
_ZIP32_LIMIT = 0xFFFFFFFF

# A safe entry name: ASCII words of letters, digits, dot, dash and underscore joined by "/".
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*\Z")


# What to do with a bundle whose bytes are not the publisher's (a changed, missing or extra
# file, a damaged entry, a re-packed archive): nothing in it can be believed.
SEND_ORIGINAL = "ask the sender for the original file"


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """What a bundle may unpack to. The defaults hold thousands of protocols with images; raise
    them from the command line for a genuine bundle that needs more."""

    max_entries: int = 20_000
    max_total_bytes: int = 512 * MiB
    max_entry_bytes: int = 64 * MiB
    max_ratio: int = 100  # unpacked size / packed size, for compressed entries

    @property
    def max_archive_bytes(self) -> int:
        """The largest canonical archive within these limits: contents plus headers."""
        per_entry = _LOCAL.size + _CENTRAL.size + 2 * _MAX_ENTRY_NAME
        return self.max_total_bytes + self.max_entries * per_entry + _END.size


DEFAULT_LIMITS = ArchiveLimits()


def write_archive(files: Mapping[str, bytes]) -> bytes:
    """The canonical archive of `files` (entry name -> content)."""
    return b"".join(archive_pieces(files))


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """One entry to be written: its size and CRC-32, known before its content is, and its
    content as chunks, read only when the archive reaches it (from a spool file, for a large
    bundle: see `protocol_kit.bundle.spool`)."""

    size: int
    crc: int
    chunks: Callable[[], Iterable[bytes]]

    @classmethod
    def of(cls, content: bytes) -> StoredEntry:
        return cls(len(content), zlib.crc32(content), lambda: (content,))


def archive_pieces(files: Mapping[str, bytes]) -> Iterator[bytes]:
    """The canonical archive of `files` as pieces to write one after another, so that a large
    bundle is not held a second time, joined, in memory (issue 17: `bundle create` of 10,000
    protocols held its 262 MB archive beside the 262 MB of its entries). Everything that could
    refuse the archive is checked before the first piece, so that a refusal never leaves part
    of a bundle written (to a pipe, for example)."""
    return stored_archive_pieces({name: StoredEntry.of(data) for name, data in files.items()})


def stored_archive_pieces(entries: Mapping[str, StoredEntry]) -> Iterator[bytes]:
    """`archive_pieces` for entries whose content is read as the archive is written: the
    same bytes, with the same refusals before the first piece."""
    _refuse_unstorable({name: entry.size for name, entry in entries.items()})
    return _canonical_pieces(entries)


def _refuse_unstorable(sizes: Mapping[str, int]) -> None:
    """What `_canonical_pieces` would refuse, from the names and sizes alone."""
    if len(sizes) > 0xFFFF:
        raise BundleRefused(f"{len(sizes):,} files are more than one bundle can hold (65,535)")
    offset = 0
    for name in sorted(sizes):
        problem = name_problem(name)
        if problem:
            raise BundleRefused(f"cannot store {shown(name)} in a bundle: {problem}")
        offset += _LOCAL.size + len(name.encode("ascii")) + sizes[name]
        if offset > _ZIP32_LIMIT:
            raise BundleRefused("the bundle would be larger than 4 GiB; split it into several")


def _local_header(encoded: bytes, crc: int, size: int) -> bytes:
    """An entry's local header and name, as the canonical form has them."""
    return (
        _LOCAL.pack(
            b"PK\x03\x04", _VERSION, 0, 0, _DOS_TIME, _DOS_DATE, crc, size, size, len(encoded), 0
        )
        + encoded
    )


def _central_entry(encoded: bytes, crc: int, size: int, offset: int) -> bytes:
    """An entry's record in the central directory, with its name."""
    return (
        _CENTRAL.pack(
            b"PK\x01\x02",
            _MADE_BY,
            _VERSION,
            0,
            0,
            _DOS_TIME,
            _DOS_DATE,
            crc,
            size,
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            _FILE_MODE << 16,
            offset,
        )
        + encoded
    )


def _end_record(count: int, directory_size: int, directory_offset: int) -> bytes:
    return _END.pack(b"PK\x05\x06", 0, 0, count, count, directory_size, directory_offset, 0)


def _canonical_pieces(entries: Mapping[str, StoredEntry]) -> Iterator[bytes]:
    """The canonical archive in order: each local header, name and content, then the central
    directory and its end record."""
    directory = bytearray()
    offset = 0
    for name in sorted(entries):
        entry = entries[name]
        encoded = name.encode("ascii")
        yield _local_header(encoded, entry.crc, entry.size)
        written = 0
        for chunk in entry.chunks():
            written += len(chunk)
            yield chunk
        if written != entry.size:  # a spool file cut short: never a bundle with a wrong entry
            raise BundleRefused(f"cannot store {shown(name)} in a bundle: its content was lost")
        directory += _central_entry(encoded, entry.crc, entry.size, offset)
        offset += _LOCAL.size + len(encoded) + entry.size
    yield bytes(directory)
    yield _end_record(len(entries), len(directory), offset)


def name_problem(name: str) -> str | None:
    """Why an entry name is unsafe to use as a path, or None when it is safe."""
    if not name:
        return "the name is empty"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "it is an absolute path"
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        return "its path climbs out of the bundle with '..'"
    if "\\" in name:
        return "it contains a backslash"
    if any(ord(c) < 32 or ord(c) > 126 for c in name):
        return "it contains characters other than printable ASCII"
    if len(name) > _MAX_ENTRY_NAME:
        return f"the name is longer than {_MAX_ENTRY_NAME} characters"
    if not _SAFE_NAME.match(name):
        return "only letters, digits, '.', '-', '_' and '/' between names are allowed"
    return None


def _refuse(where: str, message: str) -> BundleRefused:
    return BundleRefused(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class ArchiveContents:
    entries: dict[str, bytes]  # entry name -> content
    sha256: str  # of the whole archive: what two clinics compare


def read_archive(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> ArchiveContents:
    """Every entry of an untrusted bundle, checked; raises BundleRefused naming the first
    problem. Nothing is written anywhere."""
    scanned = scan_archive(path, limits)
    try:
        entries = {name: scanned.read(name) for name in scanned.entries}
    finally:
        scanned.close()
    return ArchiveContents(entries, scanned.sha256)


@dataclass(frozen=True, slots=True)
class ScannedEntry:
    """What a checked archive keeps of one entry: where its content is, its size and SHA-256."""

    offset: int  # of the content in the archive file
    size: int
    sha256: str


class ScannedArchive:
    """An untrusted archive whose every check held (see `scan_archive`), kept open: an entry's
    content is read again when it is asked for, one at a time, so that a large bundle is never
    held whole in memory (issue 17). What is read again must have the SHA-256 it had when the
    archive was checked: a file changed in between is refused, never half-believed."""

    def __init__(self, where: str, handle: BinaryIO, entries: dict[str, ScannedEntry], sha256: str):
        self.where = where
        self.entries = entries  # in the order of the archive's directory
        self.sha256 = sha256
        self._handle = handle
        # Entries may be read from a second thread (a process pool's feeder pickles the tasks).
        self._lock = threading.Lock()
        self._closer = weakref.finalize(self, handle.close)

    def read(self, name: str) -> bytes:
        entry = self.entries[name]
        try:
            content = _read_at(self._handle, entry.offset, entry.size, self._lock)
        except (OSError, ValueError) as error:  # ValueError: read after close
            raise BundleRefused(f"{self.where}: cannot read: {error}") from None
        if len(content) != entry.size or hashlib.sha256(content).hexdigest() != entry.sha256:
            raise _refuse(self.where, "the file changed while it was read: try again")
        return content

    def close(self) -> None:
        self._closer()


_CHUNK = 1024 * 1024


def scan_archive(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> ScannedArchive:
    """An untrusted bundle checked entry by entry, without holding it in memory: the same
    refusals, in the same order, as reading it whole. Refused before any entry's content is
    read: a file that is not regular or too large, too many entries, an unsafe or over-limit
    directory (`check_directory`). Then every entry is read through `zipfile` (a damaged entry
    is refused), its size and SHA-256 kept, and the archive must be exactly the canonical
    archive of those entries; the archive's SHA-256 is taken on the way."""
    where = str(path)
    handle, size = _open_bounded(path, limits)
    try:
        archive = _open_file(handle, size, where, limits)
        infos = archive.infolist()
        check_directory(infos, limits, where)
        entries, sha256 = _read_canonical(archive, infos, handle, size, where)
    except BaseException:
        handle.close()
        raise
    return ScannedArchive(where, handle, entries, sha256)


def _open_bounded(path: Path, limits: ArchiveLimits) -> tuple[BinaryIO, int]:
    """The file opened, and its size, refused as `_read_bounded` refuses it."""
    try:
        handle = open_regular(path)
    except NotARegularFile as error:
        raise _refuse(str(path), f"{error.strerror}: give the bundle file") from None
    except OSError as error:
        raise BundleRefused(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        status = os.fstat(handle.fileno())
        _refuse_unfit(path, status, limits)
    except BaseException:
        handle.close()
        raise
    return handle, status.st_size


def _refuse_unfit(path: Path, status: os.stat_result, limits: ArchiveLimits) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise _refuse(
            str(path),
            "is not a regular file (a device, a pipe or a socket): give the bundle file",
        )
    if status.st_size > limits.max_archive_bytes:
        raise _refuse(
            str(path),
            f"the file is {status.st_size:,} bytes, more than a bundle within the limits can be "
            "(raise --max-size if the bundle is genuine)",
        )


def _open_file(handle: BinaryIO, size: int, where: str, limits: ArchiveLimits) -> zipfile.ZipFile:
    """`_open` for an archive left on disk: the whole file is read once, in chunks, to count
    its directory entries (and to see that it is as long as it was)."""
    count = 0
    total = 0
    tail = b""
    try:
        handle.seek(0)
        while total <= size:
            chunk = handle.read(_CHUNK)
            if not chunk:
                break
            # The 3 bytes before the chunk find a signature split between two chunks.
            count += (tail + chunk).count(_DIRECTORY_ENTRY)
            tail = chunk[-3:]
            total += len(chunk)
        handle.seek(0)
        head = handle.read(len(_LOCAL_SIGNATURE))
    except OSError as error:
        raise BundleRefused(f"{where}: cannot read: {error.strerror or error}") from None
    if total != size:
        raise _refuse(where, "the file changed while it was read: try again")
    if not size:
        raise _refuse(where, f"the file is empty (0 bytes), not a bundle: {_SEND_AGAIN}")
    _refuse_too_many_entries(count, limits, where)
    try:
        return zipfile.ZipFile(handle)
    except Exception as error:  # any parse failure of an untrusted archive is a refusal
        raise _unreadable(head, error, where) from None


def _unreadable(head: bytes, error: Exception, where: str) -> BundleRefused:
    if head.startswith(_LOCAL_SIGNATURE):  # begins like a bundle: damaged or cut short
        return _refuse(
            where,
            f"the bundle is damaged ({_archive_damage(error)}): it was probably cut short "
            f"in transfer: {_SEND_AGAIN}",
        )
    return _refuse(where, f"not a bundle, or it was cut short in transfer: {_SEND_AGAIN}")


def _read_canonical(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    handle: BinaryIO,
    size: int,
    where: str,
) -> tuple[dict[str, ScannedEntry], str]:
    """Every entry read and kept as a `ScannedEntry`; refused unless the file is exactly the
    canonical archive of those entries. Where each entry's local header must be follows from
    the directory's names and sizes alone, so each header is compared as its entry is read;
    its content is where zipfile read it from once the directory is the canonical one too.
    A difference is refused only after every entry was read, as reading the whole archive
    first did: a damaged entry is named before a changed header."""
    names = [info.filename for info in infos]
    order = sorted(names)
    canonical = names == order  # the canonical directory lists the entries sorted
    place = {}
    offset = 0
    for info in sorted(infos, key=lambda info: info.filename):
        place[info.filename] = offset
        offset += _LOCAL.size + len(info.filename.encode("ascii")) + info.file_size
    digest = hashlib.sha256()
    entries: dict[str, ScannedEntry] = {}
    crcs: dict[str, int] = {}
    for info in infos:
        content = _read_entry(archive, info, where)
        name = info.filename
        crcs[name] = zlib.crc32(content)
        header = _local_header(name.encode("ascii"), crcs[name], len(content))
        entries[name] = ScannedEntry(
            place[name] + len(header), len(content), hashlib.sha256(content).hexdigest()
        )
        if canonical:
            canonical = _read_part(handle, place[name], len(header), where) == header
            digest.update(header)
            digest.update(content)
        del content
    _refuse_unstorable({name: entry.size for name, entry in entries.items()})
    if canonical:
        directory = b"".join(
            _central_entry(name.encode("ascii"), crcs[name], entries[name].size, place[name])
            for name in order
        )
        end = directory + _end_record(len(order), len(directory), offset)
        canonical = offset + len(end) == size and _read_part(handle, offset, len(end), where) == end
        digest.update(end)
    if not canonical:
        raise _refuse(
            where,
            "the archive is not in the canonical bundle form: bytes outside the files were "
            "changed, or it was re-packed by another tool (re-packing breaks the bundle's "
            f"seal, even with the same files): {SEND_ORIGINAL}",
        )
    return entries, digest.hexdigest()


def _read_at(
    handle: BinaryIO, offset: int, length: int, lock: threading.Lock | None = None
) -> bytes:
    """`length` bytes of the file at `offset` (fewer at its end), read from the file itself:
    never from the buffer of `handle`, which may hold what the file held before it changed.
    `lock`: the one the threads that read `handle` share (none while the archive is scanned,
    when only the scanning thread has it)."""
    descriptor = handle.fileno()
    pieces = []
    while length > 0:
        if hasattr(os, "pread"):
            piece = os.pread(descriptor, min(length, _CHUNK * 64), offset)
        else:  # Windows: no pread. The lock keeps another thread from moving the offset, and
            # the offset is put back where the handle's own buffered reads expect it.
            with lock or contextlib.nullcontext():
                saved = os.lseek(descriptor, 0, os.SEEK_CUR)
                try:
                    os.lseek(descriptor, offset, os.SEEK_SET)
                    piece = os.read(descriptor, min(length, _CHUNK * 64))
                finally:
                    os.lseek(descriptor, saved, os.SEEK_SET)
        if not piece:
            break
        pieces.append(piece)
        offset += len(piece)
        length -= len(piece)
    return b"".join(pieces)


def _read_part(handle: BinaryIO, offset: int, length: int, where: str) -> bytes:
    try:
        return _read_at(handle, offset, length)
    except OSError as error:
        raise BundleRefused(f"{where}: cannot read: {error.strerror or error}") from None


def peek_archive(
    path: Path,
    names: tuple[str, ...] | Callable[[str], bool],
    limits: ArchiveLimits = DEFAULT_LIMITS,
    keep: Callable[[str, bytes], Any] | None = None,
) -> tuple[list[zipfile.ZipInfo], dict[str, Any]]:
    """The checked directory of a bundle and the content of the entries it holds that are in
    `names` (or for which `names(entry)` is true), without reading any other entry: for
    looking inside before verifying. With `keep`, what `keep(name, content)` gives is kept
    instead of each content, read one at a time. The archive is read from the file, never
    whole into memory (a bundle of 10,000 protocols is 260 MB), with the same refusals in
    the same order."""
    where = str(path)
    handle, size = _open_bounded(path, limits)
    with handle:
        archive = _open_file(handle, size, where, limits)
        infos = archive.infolist()
        check_directory(infos, limits, where)
        wanted = names if callable(names) else names.__contains__
        found: dict[str, Any] = {}
        for info in infos:
            if wanted(info.filename):
                content = _read_entry(archive, info, where)
                found[info.filename] = content if keep is None else keep(info.filename, content)
    return infos, found


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    try:
        with archive.open(info) as stream:
            content = stream.read(info.file_size + 1)
    # zipfile reports damaged input with many exception types (BadZipFile, zlib.error,
    # ValueError for impossible offsets, EOFError...): every one of them means "refuse".
    except Exception as error:
        damage = _ALTERED if _record_altered(archive, info) else _entry_damage(error)
        raise _refuse(
            where, f"entry {shown(info.filename)} is damaged: {damage}: {SEND_ORIGINAL}"
        ) from None
    if len(content) != info.file_size:
        raise _refuse(
            where, f"entry {shown(info.filename)} does not hold the size its header declares"
        )
    return content


_ALTERED = (
    "the bundle was changed or damaged after it was made (its record of this file was "
    "altered), so it is not a valid bundle"
)


def _record_altered(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an entry that cannot be read is described otherwise than the canonical form
    describes it: its record in front of its content (the local header) differs from the one
    the archive's list of files implies, or that list claims compression or flags a bundle
    never has. zipfile reads the content from where the changed record puts it, and said
    only "Bad CRC-32" (H909): true, and to a clinic no clue that the bundle was altered."""
    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits:
        return True
    try:
        expected = _local_header(info.filename.encode("ascii"), info.CRC, info.file_size)
    except UnicodeEncodeError:  # a name no bundle has (check_directory refuses it first)
        return True
    try:
        archive.fp.seek(info.header_offset)
        return archive.fp.read(len(expected)) != expected
    except (OSError, ValueError):  # unreadable here too: say what zipfile says
        return False


# zipfile's complaints, by a clue in the exception's type or text, in plain words (no exception
# names: the reader of the message is a clinician, not a Python programmer). First match wins.
_ENTRY_DAMAGE = (
    (("crc",), "its content was changed or damaged after the bundle was made"),
    (("magic number", "truncated file header"), "its local header is missing or damaged"),
    (
        ("file name in directory",),
        "the name in its header differs from the name in the archive's directory",
    ),
    (("overlap",), "it overlaps another entry (a crafted or corrupted archive)"),
    (("zlib.error",), "its compressed data cannot be unpacked"),
    (("eof", "unexpected end"), "it ends before its data does (the file is truncated)"),
)
_ARCHIVE_DAMAGE = (
    (("not a zip file",), "its end is missing"),
    (("truncated", "eof"), "it stops too early"),
    (("zip64",), "its list of files is damaged"),
)
_SEND_AGAIN = "ask the sender to send it again"


def _plain_words(error: Exception, meanings: tuple, otherwise: str) -> str:
    kind = type(error)
    text = f"{kind.__module__}.{kind.__name__}: {error}".lower()
    return next((says for clues, says in meanings if any(c in text for c in clues)), otherwise)


def _entry_damage(error: Exception) -> str:
    """What zipfile's complaint about one entry means."""
    return _plain_words(error, _ENTRY_DAMAGE, "it cannot be read (the file is corrupted)")


def _archive_damage(error: Exception) -> str:
    """Why zipfile cannot open a file as an archive."""
    return _plain_words(error, _ARCHIVE_DAMAGE, "its list of files is damaged")


def _read_bounded(path: Path, limits: ArchiveLimits) -> bytes:
    """The whole file, refused before reading when it is not a regular file or too large. The
    size is taken from the file system and never more than that is read: a device such as
    /dev/zero, or a pipe, would otherwise be read up to the limit before being refused."""
    try:
        with open_regular(path) as handle:
            status = os.fstat(handle.fileno())
            _refuse_unfit(path, status, limits)
            size = status.st_size
            data = handle.read(size + 1)
    except NotARegularFile as error:
        raise _refuse(str(path), f"{error.strerror}: give the bundle file") from None
    except OSError as error:
        raise BundleRefused(f"{path}: cannot read: {error.strerror or error}") from None
    if len(data) != size:
        raise _refuse(str(path), "the file changed while it was read: try again")
    return data


def _open(data: bytes, where: str, limits: ArchiveLimits) -> zipfile.ZipFile:
    if not data:
        raise _refuse(where, f"the file is empty (0 bytes), not a bundle: {_SEND_AGAIN}")
    _refuse_too_many_entries(data.count(_DIRECTORY_ENTRY), limits, where)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:  # any parse failure of an untrusted archive is a refusal
        raise _unreadable(data, error, where) from None


# Every entry of the archive's directory starts with these bytes (zipfile refuses one that does
# not), so their count bounds the entries zipfile would build an object for.
_DIRECTORY_ENTRY = b"PK\x01\x02"
_LOCAL_SIGNATURE = b"PK\x03\x04"


def _refuse_too_many_entries(count: int, limits: ArchiveLimits, where: str) -> None:
    """Refuse more entries than the limit before zipfile reads the directory: it builds an
    object for every entry first, and a 100 MB archive listing two million empty entries took
    1.1 GB of memory and 40 seconds to be refused (H472)."""
    if count > limits.max_entries:
        raise _refuse(
            where,
            f"the archive has {count:,} entries, over the limit of {limits.max_entries:,} "
            "(raise --max-entries if the bundle is genuine)",
        )


def check_directory(infos: list[zipfile.ZipInfo], limits: ArchiveLimits, where: str) -> None:
    """Refuse a directory that is unsafe or over the limits, before any content is read."""
    _refuse_too_many_entries(len(infos), limits, where)
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.filename
        problem = name_problem(name.rstrip("/")) if name.endswith("/") else name_problem(name)
        if problem:
            raise _refuse(where, f"entry {shown(name)} is refused: {problem}")
        mode = info.external_attr >> 16
        if info.is_dir() or (mode and (mode & 0o170000) == 0o040000):
            raise _refuse(where, f"entry {shown(name)} is a folder; a bundle holds only files")
        if mode and (mode & 0o170000) == 0o120000:
            raise _refuse(where, f"entry {shown(name)} is a symbolic link")
        if mode and (mode & 0o170000) not in (0, 0o100000):
            raise _refuse(where, f"entry {shown(name)} is not a regular file")
        folded = name.lower()
        if folded in seen:
            earlier = seen[folded]
            same = (
                "appears twice"
                if earlier == name
                else f"differs from {shown(earlier)} only in case"
            )
            raise _refuse(where, f"entry {shown(name)} {same}: one would overwrite the other")
        seen[folded] = name
        if info.flag_bits & 0x1:
            raise _refuse(where, f"entry {shown(name)} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(where, f"entry {shown(name)} uses an unsupported compression method")
        if info.file_size > limits.max_entry_bytes:
            raise _refuse(
                where,
                f"entry {shown(name)} unpacks to {info.file_size:,} bytes, over the per-file "
                f"limit of {limits.max_entry_bytes:,} (raise --max-file-size if it is genuine)",
            )
        if info.compress_type != zipfile.ZIP_STORED and info.file_size > 0:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise _refuse(
                    where,
                    f"entry {shown(name)} is compressed {ratio:,.0f} to 1, over the limit of "
                    f"{limits.max_ratio} to 1: a zip bomb",
                )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _refuse(
                where,
                f"the archive unpacks to more than {limits.max_total_bytes:,} bytes, over the "
                "limit (raise --max-size if the bundle is genuine)",
            )
