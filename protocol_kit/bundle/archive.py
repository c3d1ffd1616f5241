"""The bundle's zip archive: written in exactly one canonical form, read within limits.

Writing. A bundle must be byte-identical whenever it is made from the same inputs, on any machine
and any Python version, so that two clinics can compare bundles by hash. The writer therefore
lays out the (simple, fully specified) ZIP structures itself rather than relying on the details
of `zipfile`'s output: entries sorted by name, stored uncompressed (DEFLATE output differs
between zlib builds), dated 1980-01-01 00:00, mode 0644, no extra fields, no comments, no data
descriptors. Images are already compressed, and protocols are small.

Reading. A bundle may come from a stranger. `read_archive` parses it with `zipfile` and refuses,
before any entry's content is read, an archive that is too large, has too many entries, or has an
entry whose name could escape the target folder (absolute, `..`, backslashes, drive letters),
that is a link or folder, encrypted, compressed with an unknown method, too large or compressed
suspiciously well (a zip bomb), or that appears twice. Entries are then read in memory (never to
disk) and the archive must be byte-identical to the canonical archive of those entries: a changed
byte anywhere, even in a header, timestamp or padding, is refused.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

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


def archive_pieces(files: Mapping[str, bytes]) -> Iterator[bytes]:
    """The canonical archive of `files` as pieces to write one after another, so that a large
    bundle is not held a second time, joined, in memory (issue 17: `bundle create` of 10,000
    protocols held its 262 MB archive beside the 262 MB of its entries). Everything that could
    refuse the archive is checked before the first piece, so that a refusal never leaves part
    of a bundle written (to a pipe, for example)."""
    _refuse_unstorable(files)
    return _canonical_pieces(files)


def _refuse_unstorable(files: Mapping[str, bytes]) -> None:
    """What `_canonical_pieces` would refuse, from the names and sizes alone."""
    if len(files) > 0xFFFF:
        raise BundleRefused(f"{len(files):,} files are more than one bundle can hold (65,535)")
    offset = 0
    for name in sorted(files):
        problem = name_problem(name)
        if problem:
            raise BundleRefused(f"cannot store {shown(name)} in a bundle: {problem}")
        offset += _LOCAL.size + len(name.encode("ascii")) + len(files[name])
        if offset > _ZIP32_LIMIT:
            raise BundleRefused("the bundle would be larger than 4 GiB; split it into several")


def is_canonical(files: Mapping[str, bytes], data: bytes) -> bool:
    """Whether `data` is exactly the canonical archive of `files`, compared piece by piece
    (the archive is not built a second time in memory)."""
    view = memoryview(data)
    offset = 0
    for piece in _canonical_pieces(files):
        if view[offset : offset + len(piece)] != piece:
            return False
        offset += len(piece)
    return offset == len(data)


def _canonical_pieces(files: Mapping[str, bytes]) -> Iterator[bytes]:
    """The canonical archive in order: each local header, name and content, then the central
    directory and its end record."""
    if len(files) > 0xFFFF:
        raise BundleRefused(f"{len(files):,} files are more than one bundle can hold (65,535)")
    directory = bytearray()
    offset = 0
    for name in sorted(files):
        problem = name_problem(name)
        if problem:
            raise BundleRefused(f"cannot store {shown(name)} in a bundle: {problem}")
        data = files[name]
        encoded = name.encode("ascii")
        size = len(data)
        if offset + _LOCAL.size + len(encoded) + size > _ZIP32_LIMIT:
            raise BundleRefused("the bundle would be larger than 4 GiB; split it into several")
        crc = zlib.crc32(data)
        yield _LOCAL.pack(
            b"PK\x03\x04", _VERSION, 0, 0, _DOS_TIME, _DOS_DATE, crc, size, size, len(encoded), 0
        )
        yield encoded
        yield data
        directory += _CENTRAL.pack(
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
        directory += encoded
        offset += _LOCAL.size + len(encoded) + size
    count = len(files)
    yield bytes(directory)
    yield _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)


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
    where = str(path)
    data = _read_bounded(path, limits)
    archive = _open(data, where, limits)
    infos = archive.infolist()
    check_directory(infos, limits, where)
    entries = {info.filename: _read_entry(archive, info, where) for info in infos}
    if not is_canonical(entries, data):
        raise _refuse(
            where,
            "the archive is not in the canonical bundle form: bytes outside the files were "
            "changed, or it was re-packed by another tool (re-packing breaks the bundle's "
            f"seal, even with the same files): {SEND_ORIGINAL}",
        )
    return ArchiveContents(entries, hashlib.sha256(data).hexdigest())


def peek_archive(
    path: Path,
    names: tuple[str, ...] | Callable[[str], bool],
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    """The checked directory of a bundle and the content of the entries it holds that are in
    `names` (or for which `names(entry)` is true), without reading any other entry: for
    looking inside before verifying."""
    where = str(path)
    archive = _open(_read_bounded(path, limits), where, limits)
    infos = archive.infolist()
    check_directory(infos, limits, where)
    wanted = names if callable(names) else names.__contains__
    found: dict[str, bytes] = {}
    for info in infos:
        if wanted(info.filename):
            found[info.filename] = _read_entry(archive, info, where)
    return infos, found


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    try:
        with archive.open(info) as stream:
            content = stream.read(info.file_size + 1)
    # zipfile reports damaged input with many exception types (BadZipFile, zlib.error,
    # ValueError for impossible offsets, EOFError...): every one of them means "refuse".
    except Exception as error:
        raise _refuse(
            where,
            f"entry {shown(info.filename)} is damaged: {_entry_damage(error)}: {SEND_ORIGINAL}",
        ) from None
    if len(content) != info.file_size:
        raise _refuse(
            where, f"entry {shown(info.filename)} does not hold the size its header declares"
        )
    return content


# zipfile's complaints, by a clue in the exception's type or text, in plain words (no exception
# names: the reader of the message is a clinician, not a Python programmer). First match wins.
_ENTRY_DAMAGE = (
    (("crc",), "its CRC-32 check failed (the file was changed or corrupted)"),
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
            if not stat.S_ISREG(status.st_mode):
                raise _refuse(
                    str(path),
                    "is not a regular file (a device, a pipe or a socket): give the bundle file",
                )
            size = status.st_size
            if size > limits.max_archive_bytes:
                raise _refuse(
                    str(path),
                    f"the file is {size:,} bytes, more than a bundle within the limits can be "
                    "(raise --max-size if the bundle is genuine)",
                )
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
        if data.startswith(b"PK\x03\x04"):  # begins like a bundle: damaged or cut short
            raise _refuse(
                where,
                f"the bundle is damaged ({_archive_damage(error)}): it was probably cut short "
                f"in transfer: {_SEND_AGAIN}",
            ) from None
        raise _refuse(
            where, f"not a bundle, or it was cut short in transfer: {_SEND_AGAIN}"
        ) from None


# Every entry of the archive's directory starts with these bytes (zipfile refuses one that does
# not), so their count bounds the entries zipfile would build an object for.
_DIRECTORY_ENTRY = b"PK\x01\x02"


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
