"""Rows of plain values kept in an anonymous temporary file, read back in order (issue 17).

What a command keeps of each of a bundle's protocols (an import's steps, a checked manifest's
list of protocols) grows with the bundle when held as objects; written here as rows it costs
the command a few bytes of memory each. The file is a `tempfile.SpooledTemporaryFile`: in
memory while it is small, then on disk in the system's temporary folder. It has no name, so
it is never left behind and never in a folder the command writes into (a dry run writes
nothing). The rows are `marshal`ed values (texts, numbers, bytes, tuples, None), never
objects that run code when read back; nothing but this process reads or writes the file.
"""

from __future__ import annotations

import marshal
import struct
import tempfile
from collections.abc import Iterator
from typing import Any

from protocol_kit.errors import OutputError

# Kept in memory up to this size (a bundle of a few hundred protocols), on disk past it.
IN_MEMORY = 1024 * 1024
_LENGTH = struct.Struct("<I")


class Rows:
    """Rows in the order they were added; read as often as needed (each reading keeps its
    own place in the file, so two may run at once)."""

    def __init__(self, what: str) -> None:
        self._what = what  # for the one line a failure to write it gives
        self._file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
        self._end = 0
        self._count = 0

    def append(self, row: Any) -> None:
        data = marshal.dumps(row)
        try:
            self._file.seek(self._end)
            self._file.write(_LENGTH.pack(len(data)) + data)
        except OSError as error:
            raise OutputError(
                f"cannot keep {self._what} in a temporary file ({error.strerror or error}); "
                "nothing was changed"
            ) from None
        self._end += _LENGTH.size + len(data)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Any]:
        at = 0
        while at < self._end:
            self._file.seek(at)
            (length,) = _LENGTH.unpack(self._file.read(_LENGTH.size))
            row = marshal.loads(self._file.read(length))
            at += _LENGTH.size + length
            yield row
