"""An image for the PDF sheet, from the bytes protocol_kit.sheet.images checked."""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from typing import Any

from reportlab.platypus import Image

from protocol_kit.model import Origin
from protocol_kit.sheet.images import checked_image, in_srgb

# reportlab's readers of the images drawn last, by content: a clinic's logo is on every
# sheet of a run, and an exercise's photo on every sheet that has the exercise. A reader
# keeps the pixels once decoded, where a new one decodes the PNG again each time it is drawn
# (several times a sheet); a decoded photo can take megabytes, so only the few most recent
# are kept.
MOST_DECODED = 8
_READERS: OrderedDict[bytes, Any] = OrderedDict()


def sheet_image(path: str, max_width: float, max_height: float, where: Origin | str) -> Image:
    """An Image flowable of the PNG or JPEG at `path`, shown upright as every viewer shows it
    and scaled to fit the box; TextError (at `where`) when it cannot be printed."""
    data, info = checked_image(path, where)
    width, height = info.shown_size()
    scale = min(max_width / width, max_height / height)
    key = hashlib.sha256(data).digest()
    image = Image.__new__(Image) if info.orientation == 1 else UprightImage.__new__(UprightImage)
    if isinstance(image, UprightImage):
        image.orientation = info.orientation
    known = _READERS.get(key)
    if known is not None:  # the reader of an earlier Image of the same bytes, pixels decoded
        image._img = known
        _READERS.move_to_end(key)
    else:  # read for a new reader only: its colours as screens show them
        data = in_srgb(data, info)
    image.__init__(io.BytesIO(data), width * scale, height * scale, hAlign="LEFT")
    if known is None:
        _READERS[key] = image._img
        while len(_READERS) > MOST_DECODED:
            _READERS.popitem(last=False)
    return image


# How the stored picture, drawn in its own box (width w, height h, origin at its lower left),
# is carried onto the box it is shown in, for each EXIF orientation: the matrix (a, b, c, d)
# and the offset in units of (w, h). The stored picture's top left corner ends where a viewer
# shows it: at the top right when turned a quarter clockwise (6), and so on (H980).
_TURNED = {
    2: ((-1, 0, 0, 1), (1, 0)),  # mirrored left to right
    3: ((-1, 0, 0, -1), (1, 1)),  # turned half way round
    4: ((1, 0, 0, -1), (0, 1)),  # mirrored top to bottom
    5: ((0, -1, -1, 0), (1, 1)),  # mirrored along the diagonal from the top left
    6: ((0, -1, 1, 0), (0, 1)),  # turned a quarter clockwise
    7: ((0, 1, 1, 0), (0, 0)),  # mirrored along the other diagonal
    8: ((0, 1, -1, 0), (1, 0)),  # turned a quarter anticlockwise
}


class UprightImage(Image):
    """A picture whose EXIF block says to turn or mirror it (a phone's portrait photo): drawn
    turned, so that the sheet shows it as screens do, its pixels (a JPEG's compressed data as
    it is) unchanged. `drawWidth` and `drawHeight` are the size shown."""

    orientation: int

    def draw(self) -> None:
        (a, b, c, d), (across, up) = _TURNED[self.orientation]
        crosswise = self.orientation >= 5
        width, height = (
            (self.drawHeight, self.drawWidth) if crosswise else (self.drawWidth, self.drawHeight)
        )
        offset_x, offset_y = (height, width) if crosswise else (width, height)
        canvas = self.canv
        canvas.saveState()
        canvas.translate(getattr(self, "_offs_x", 0), getattr(self, "_offs_y", 0))
        canvas.transform(a, b, c, d, across * offset_x, up * offset_y)
        canvas.drawImage(self._img, 0, 0, width, height, mask=self._mask)
        canvas.restoreState()
