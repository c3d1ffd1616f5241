"""An image for the PDF sheet, from the bytes protocol_kit.sheet.images checked."""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from typing import Any

from reportlab.platypus import Image

from protocol_kit.model import Origin
from protocol_kit.sheet.images import checked_image

# reportlab's readers of the images drawn last, by content: a clinic's logo is on every
# sheet of a run, and an exercise's photo on every sheet that has the exercise. A reader
# keeps the pixels once decoded, where a new one decodes the PNG again each time it is drawn
# (several times a sheet); a decoded photo can take megabytes, so only the few most recent
# are kept.
MOST_DECODED = 8
_READERS: OrderedDict[bytes, Any] = OrderedDict()


def sheet_image(path: str, max_width: float, max_height: float, where: Origin | str) -> Image:
    """An Image flowable of the PNG or JPEG at `path`, scaled to fit the box; TextError (at
    `where`) when it cannot be printed."""
    data, info = checked_image(path, where)
    scale = min(max_width / info.width, max_height / info.height)
    key = hashlib.sha256(data).digest()
    image = Image.__new__(Image)
    known = _READERS.get(key)
    if known is not None:  # the reader of an earlier Image of the same bytes, pixels decoded
        image._img = known
        _READERS.move_to_end(key)
    image.__init__(io.BytesIO(data), info.width * scale, info.height * scale, hAlign="LEFT")
    if known is None:
        _READERS[key] = image._img
        while len(_READERS) > MOST_DECODED:
            _READERS.popitem(last=False)
    return image
