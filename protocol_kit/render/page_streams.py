"""The sheet's page contents compressed fast (issue 17, eighth sitting).

reportlab compresses each page's drawing commands with zlib at its default level (6), and
has no setting for the level. On a sheet whose texts are new that is about a tenth of the
sheet's CPU time; at level 1 it is about a quarter of that, and the pages' streams are
about 13 % larger (a four-page sheet about 5 KB more). The streams are still Flate, the
same commands: the pages draw the same, and the same sheet gives the same bytes.

reportlab's stream filters are objects with a PDF name and an `encode` method
(`pdfdoc.PDFZCompress`), and a page whose contents stream is set before the document is
written keeps it: `compress_pages` gives each page a stream of its commands with this
module's filter in place of reportlab's. The fonts keep reportlab's compression (they are
a quarter of the time and their size adds to every sheet).
"""

from __future__ import annotations

import zlib
from typing import Any

# zlib's fastest level: its time against its size on the example sheets' pages (level: ms,
# bytes of 357 KB of commands): 1: 1.8, 79 KB; 2: 2.0, 77 KB; 3: 2.3, 76 KB; 6: 6.8, 70 KB.
LEVEL = 1


class FastFlate:
    """A Flate filter for reportlab's streams at `LEVEL`: decoded by any PDF reader as
    reportlab's own."""

    pdfname = "FlateDecode"

    def encode(self, data: bytes | str) -> bytes:
        if isinstance(data, str):
            data = data.encode("utf-8")
        return zlib.compress(data, LEVEL)

    def decode(self, data: bytes) -> bytes:
        return zlib.decompress(data)


FAST_FLATE = FastFlate()


def compress_pages(document: Any) -> None:
    """Each page of reportlab's `document` (a PDFDocument) whose commands reportlab would
    compress gets its contents stream, compressed by `FAST_FLATE`; pages that have a stream
    already, or are written uncompressed, are left to reportlab."""
    from reportlab.pdfbase.pdfdoc import PDFStream

    for page in document.Pages.pages:
        if page.compression and not page.Contents and page.stream:
            page.Contents = PDFStream(content=page.stream, filters=[FAST_FLATE])
