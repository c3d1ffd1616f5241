"""Opening an untrusted bundle: every structural check, before anything is written.

`open_bundle` reads the archive within its limits (see `archive`), then checks that the manifest
is valid and describes the contents exactly: no file missing from it or extra to it, every size
and SHA-256 right, every file where the layout allows it, every image named by its own hash and
the manifest's protocol list matching the protocol files. A signature, when present, is parsed
here and checked by the caller against the trust policy. Validating the protocols is the
caller's job too (it needs the validation engine).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import TypeVar, overload

from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import (
    DEFAULT_LIMITS,
    SEND_ORIGINAL,
    ArchiveLimits,
    ScannedArchive,
    scan_archive,
)
from protocol_kit.bundle.manifest import (
    FHIR_PATH,
    MANIFEST,
    MEDIA_PATH,
    PROTOCOL_PATH,
    SIGNATURE,
    BundledFile,
    BundledProtocol,
    Manifest,
    parse_manifest,
)
from protocol_kit.bundle.rows import Rows
from protocol_kit.bundle.signing import Signature, parse_signature
from protocol_kit.findings import shown

T = TypeVar("T")


class BundleFiles(Mapping[str, bytes]):
    """Every file the manifest lists, by path, read from the checked archive when asked for
    (one at a time: a bundle of 10,000 protocols is not held in memory, issue 17), each
    checked again against the SHA-256 it had when the archive was checked."""

    def __init__(self, archive: ScannedArchive, names: list[str]):
        self._archive = archive
        self._names = {name: name for name in names}  # each name's one text (see `own`)

    def __getitem__(self, name: str) -> bytes:
        if name not in self._names:
            raise KeyError(name)
        return self._archive.read(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def own(self, name: str) -> str:
        """The archive's own text of `name` (one text for the name, however often it is
        kept), or `name` for a file the bundle does not hold."""
        return self._names.get(name, name)

    def manifest(self) -> bytes:
        """The manifest's bytes, read again (see `OpenedBundle.manifest_bytes`)."""
        return self._archive.read(MANIFEST)

    def listed(self, name: str) -> BundledFile:
        """The size and SHA-256 the file has in the archive, without reading it again."""
        entry = self._archive.entries[name]
        return BundledFile(name, entry.size, entry.sha256)


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle whose structure, manifest and hashes hold."""

    path: Path
    sha256: str
    manifest: Manifest
    signature: Signature | None
    files: BundleFiles  # every file the manifest lists, by path

    @property
    def manifest_bytes(self) -> bytes:
        """The manifest's bytes (what the signature signs), read from the bundle when asked
        and checked against the SHA-256 the archive's check found, so that a bundle changed
        since is refused: held for the whole command they were 4 MB for 10,000 protocols, in
        the run's process and every worker forked from it (issue 17)."""
        return self.files.manifest()

    def protocol_names(self) -> list[str]:
        return [self.files.own(p.path) for p in self.manifest.protocols]

    def media_names(self) -> list[str]:
        return [path for path in self.files if MEDIA_PATH.match(path)]


def open_bundle(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> OpenedBundle:
    """Read and check an untrusted bundle; BundleRefused names the first problem."""
    archive = scan_archive(path, limits)
    try:
        return _checked(path, archive)
    except BaseException:
        archive.close()
        raise


def _checked(path: Path, archive: ScannedArchive) -> OpenedBundle:
    where = str(path)
    if MANIFEST not in archive.entries:
        raise BundleRefused(f"{where}: not a protocol-kit bundle: it has no {MANIFEST}")
    manifest = parse_manifest(archive.read(MANIFEST), where)
    raw_signature = archive.read(SIGNATURE) if SIGNATURE in archive.entries else None
    signature = parse_signature(raw_signature, where) if raw_signature is not None else None
    files = BundleFiles(archive, [n for n in archive.entries if n not in (MANIFEST, SIGNATURE)])
    check_contents(manifest, {name: files.listed(name) for name in files}, where)
    if _in_order(manifest.files):
        # The manifest lists the files the archive holds, sizes and SHA-256 alike (just
        # checked), in the archive's order (canonical: by name): read from the archive when
        # asked rather than held twice (about 3 MB at 10,000 protocols, in the run's process
        # and every worker forked from it: issue 17).
        manifest = replace(manifest, files=ArchivedFiles(files))
    # The protocols' records (id, version, status, title) as rows in a temporary file: read
    # in order by every command, never held (about 2.7 MB at 10,000 protocols).
    manifest = replace(manifest, protocols=ListedProtocols(manifest.protocols))
    return OpenedBundle(path, archive.sha256, manifest, signature, files)


class _MadeWhenRead(Sequence[T]):
    """A list a checked manifest holds, made again each time it is read (in order, by every
    command): indexing makes the whole list, and it equals another such list or a tuple with
    the same items (the manifest's records compare equal, as when it held tuples)."""

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        # Not used by the commands, which read the list in order: made on demand.
        return tuple(self)[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (_MadeWhenRead, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class ListedProtocols(_MadeWhenRead[BundledProtocol]):
    """A checked manifest's list of protocols, kept as rows (`rows.Rows`): the same records,
    in the same order, made again each time the list is read."""

    def __init__(self, protocols: Iterable[BundledProtocol]) -> None:
        self._rows = Rows("the bundle's list of protocols")
        for p in protocols:
            self._rows.append((p.id, p.version, p.status, p.title))

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[BundledProtocol]:
        return (BundledProtocol(*row) for row in self._rows)


def _in_order(files: Sequence[BundledFile]) -> bool:
    return all(one.path < after.path for one, after in pairwise(files))


class ArchivedFiles(_MadeWhenRead[BundledFile]):
    """A checked manifest's list of files, made from the archive's entries when read: the
    same records, in the same order, as the manifest lists them (see `_checked`)."""

    def __init__(self, files: BundleFiles) -> None:
        self._files = files

    def __len__(self) -> int:
        return len(self._files)

    def __iter__(self) -> Iterator[BundledFile]:
        return (self._files.listed(name) for name in self._files)


def check_contents(manifest: Manifest, entries: Mapping[str, BundledFile], where: str) -> None:
    """The manifest describes `entries` (every file but the manifest and signature, by path:
    its size and SHA-256) exactly."""
    listed: dict[str, BundledFile] = {}
    for item in manifest.files:
        if item.path in listed:
            raise BundleRefused(f"{where}: {MANIFEST} lists {shown(item.path)} twice")
        listed[item.path] = item
    for name in sorted(entries):
        if name not in listed:
            raise BundleRefused(
                f"{where}: {shown(name)} is in the bundle but not in {MANIFEST}: an extra file: "
                f"{SEND_ORIGINAL}"
            )
    for name in sorted(listed):
        if name not in entries:
            raise BundleRefused(
                f"{where}: {MANIFEST} lists {shown(name)} but the bundle has no such file: "
                f"{SEND_ORIGINAL}"
            )
        expected = listed[name]
        actual = entries[name]
        if actual.size != expected.size or actual.sha256 != expected.sha256:
            raise BundleRefused(
                f"{where}: {shown(name)} does not match its SHA-256 in {MANIFEST}: it was "
                f"changed after the bundle was made: {SEND_ORIGINAL}"
            )
        media = MEDIA_PATH.match(name)
        if media and media.group(1) != actual.sha256:
            raise BundleRefused(f"{where}: image {shown(name)} is not named by its SHA-256")
    protocol_files = {name for name in entries if PROTOCOL_PATH.match(name)}
    declared = [p.path for p in manifest.protocols]
    if len(set(declared)) != len(declared):
        raise BundleRefused(f"{where}: {MANIFEST} lists a protocol twice")
    if protocol_files != set(declared):
        odd = sorted(protocol_files.symmetric_difference(declared))[0]
        raise BundleRefused(
            f"{where}: the protocols in {MANIFEST} do not match the protocol files ({odd})"
        )
    ids = {p.id for p in manifest.protocols}
    for name in entries:
        fhir = FHIR_PATH.match(name)
        if fhir and fhir.group(1) not in ids:
            raise BundleRefused(f"{where}: {shown(name)} is a FHIR export of no bundled protocol")
