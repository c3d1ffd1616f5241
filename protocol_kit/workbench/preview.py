"""The sheet's preview beside the form, made fast by design rather than by a faster machine.

- The PDF is made by the server's own warm renderer (reportlab and the fonts loaded once, at
  start-up, by `warm_up`), never by a new process.
- Sheets are kept by what they are made from (the file's canonical text, the print size and
  the language): going back to a state already seen, or switching large print off and on
  again, costs nothing.
- The page shows each page of the PDF as a picture, and only the pages it scrolls to are
  drawn: PDFium (pypdfium2) draws one page in process, in tens of milliseconds, at the size
  the pane shows it; a drawn page is kept with its sheet.

Nothing here knows about the web: `app.py` asks for a sheet's key and page count, then for
pages by key and number.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

# The pane is about 500 CSS pixels wide: an A4 page (595 points) at 96 dpi is 794 pixels,
# sharp on a screen of twice the density when shown at half its size. JPEG at this size and
# quality is about a tenth of the PNG's time to encode; the picture is only a preview.
PAGE_SCALE = 96 / 72
JPEG_QUALITY = 85
KEPT_SHEETS = 16  # the states of the form a therapist goes back and forth between


@dataclass
class PreviewSheet:
    key: str
    pdf: bytes
    pages: int
    # What `render` would print of the sheet (the clinic's texts in another language, H876):
    # kept with it, since a sheet kept is not made again.
    warnings: tuple[str, ...] = ()
    images: dict[int, bytes] = field(default_factory=dict)


def sheet_key(text: str, large_print: bool, language: str | None) -> str:
    """What makes one sheet different from another: the file's canonical text (which holds
    its path, through `$schema` and what the checks read, only as text) and the options."""
    digest = hashlib.sha256()
    for part in (text, "large" if large_print else "normal", language or ""):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def page_count(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def page_image(pdf: bytes, number: int) -> bytes:
    """Page `number` (1-based) of `pdf` as a JPEG picture; IndexError when there is none."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        if not 1 <= number <= len(document):
            raise IndexError(number)
        page = document[number - 1]
        try:
            picture = page.render(scale=PAGE_SCALE).to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        document.close()
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


class Previews:
    """The sheets recently previewed, by key, with the pages drawn so far. PDFium is not
    made for several threads at once: one page is drawn at a time."""

    def __init__(self, kept: int = KEPT_SHEETS) -> None:
        self._sheets: OrderedDict[str, PreviewSheet] = OrderedDict()
        self._kept = kept
        self._lock = threading.Lock()
        self._drawing = threading.Lock()

    def sheet(self, key: str, make: Callable[[], tuple[bytes, tuple[str, ...]]]) -> PreviewSheet:
        """The sheet of `key`, made by `make()` (PDF bytes and the warnings of it) unless it
        is kept already."""
        with self._lock:
            found = self._sheets.get(key)
            if found is not None:
                self._sheets.move_to_end(key)
                return found
        pdf, warnings = make()
        with self._drawing:
            pages = page_count(pdf)
        made = PreviewSheet(key, pdf, pages, warnings)
        with self._lock:
            self._sheets[key] = made
            self._sheets.move_to_end(key)
            while len(self._sheets) > self._kept:
                self._sheets.popitem(last=False)
        return made

    def page(self, key: str, number: int) -> bytes | None:
        """Page `number` of a kept sheet as a picture; None when the sheet is no longer kept
        or has no such page."""
        with self._lock:
            sheet = self._sheets.get(key)
        if sheet is None or not 1 <= number <= sheet.pages:
            return None
        image = sheet.images.get(number)
        if image is None:
            with self._drawing:
                image = sheet.images.get(number) or page_image(sheet.pdf, number)
            sheet.images[number] = image
        return image


def warm_up() -> None:
    """Load what the first preview would otherwise wait for: reportlab and the sheet's fonts,
    and PDFium."""
    from protocol_kit.render.fonts import sheet_fonts
    from protocol_kit.render.sheet import render_sheet  # noqa: F401 (imports reportlab)

    sheet_fonts()
    import pypdfium2  # noqa: F401
