"""A report's pieces kept on disk until the report's head can be written.

The JSON and JUnit reports start with the run's counts, known only once the last file is
checked. Written while the run goes on, their entries (a few hundred bytes a file) wait in an
unnamed temporary file rather than in memory, so that a run over 100,000 files holds what it
held over 1,000 (issue 17); the file is gone when it is closed, and if the run stops.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

# Read back this many characters at a time: few writes, little held.
CHUNK = 1 << 16


def spooled(pieces: Iterable[str]) -> Iterator[str]:
    """`pieces`, all taken now, given back in chunks that join into the same text."""
    # Lone surrogates (a file name that is not UTF-8, as Python reads it) come back as they
    # went; no newline is translated.
    spool = tempfile.TemporaryFile(  # noqa: SIM115 (closed by _chunks, or below on failure)
        "w+", encoding="utf-8", errors="surrogatepass", newline=""
    )
    try:
        spool.writelines(pieces)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return _chunks(spool)


def _chunks(spool: IO[str]) -> Iterator[str]:
    with spool:
        while chunk := spool.read(CHUNK):
            yield chunk
