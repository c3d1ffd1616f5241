"""The files of a bundle being made, kept on disk until its archive is written.

The archive lists its entries sorted by name, and the manifest (`manifest.json`, among the
first) gives the SHA-256 of every protocol written after it, so no entry can be written to the
bundle before the last protocol is checked. Holding them all in memory until then made
`bundle create` of 10,000 protocols grow to 775 MB (issue 17). Each file is therefore written
to an anonymous temporary file as it is made, and only its name, size, CRC-32 and SHA-256 are
kept; the archive is then written from it in its canonical order (`stored_archive_pieces`).
The temporary file has no name (it is removed when closed, or when the process ends however it
ends), so that nothing is ever left behind, and is placed beside the bundle, where there must be
room for the bundle anyway.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from protocol_kit.bundle.archive import StoredEntry
from protocol_kit.bundle.manifest import BundledFile
from protocol_kit.errors import OutputError

_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Spooled:
    offset: int
    size: int
    crc: int
    sha256: str


class Spool:
    """Files by name, written to a temporary file as they are added. A file that cannot be
    written or read back (a full disk) is an OutputError naming the bundle (`output`), as
    writing the bundle itself would be."""

    def __init__(self, folder: Path | None, output: str) -> None:
        self._folder = folder
        self._output = output
        self._file: BinaryIO | None = None
        self._end = 0
        self._files: dict[str, _Spooled] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._files

    def add(self, name: str, content: bytes) -> None:
        if name in self._files:
            raise ValueError(f"{name} is already in the bundle")
        spooled = _Spooled(
            self._end, len(content), zlib.crc32(content), hashlib.sha256(content).hexdigest()
        )
        try:
            self._opened().write(content)
        except OSError as error:
            raise self._failed(error) from None
        self._end += len(content)
        self._files[name] = spooled

    def sizes(self) -> dict[str, int]:
        return {name: spooled.size for name, spooled in self._files.items()}

    def listed(self) -> dict[str, BundledFile]:
        """Each file's entry in the manifest."""
        return {
            name: BundledFile(name, spooled.size, spooled.sha256)
            for name, spooled in self._files.items()
        }

    def entries(self) -> dict[str, StoredEntry]:
        """Each file as the archive writer reads it."""
        if self._file is not None:
            try:
                self._file.flush()
            except OSError as error:
                raise self._failed(error) from None
        return {
            name: StoredEntry(spooled.size, spooled.crc, partial(self._chunks, spooled))
            for name, spooled in self._files.items()
        }

    def close(self) -> None:
        """Discard the spool. What its buffer still held is thrown away with it: a failure to
        write that out (a full disk) is no error of its own, and raised here, at the end, it
        replaced the one the command was reporting ("fd.zip: cannot write: File too large"
        became "cannot write the output", naming no file: H852)."""
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None

    def _chunks(self, spooled: _Spooled) -> Iterator[bytes]:
        assert self._file is not None
        left = spooled.size
        while left:
            try:
                self._file.seek(spooled.offset + spooled.size - left)
                chunk = self._file.read(min(left, _CHUNK))
            except OSError as error:
                raise self._failed(error) from None
            if not chunk:
                return  # cut short: the archive writer refuses the entry
            left -= len(chunk)
            yield chunk

    def _opened(self) -> BinaryIO:
        if self._file is None:
            self._file = _temporary(self._folder)
        return self._file

    def _failed(self, error: OSError) -> OutputError:
        return OutputError(f"{self._output}: cannot write: {error.strerror or error}")


def _temporary(folder: Path | None) -> BinaryIO:
    """An anonymous temporary file in `folder`, else in the system's temporary folder (the
    bundle's folder may be missing or read-only: that is reported when the bundle is written,
    in the words it always was)."""
    if folder is not None:
        try:
            return tempfile.TemporaryFile(dir=folder)
        except OSError:
            pass
    return tempfile.TemporaryFile()
