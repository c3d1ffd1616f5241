"""An image for the PDF sheet, from the bytes protocol_kit.sheet.images checked."""

from __future__ import annotations

import io

from reportlab.platypus import Image

from protocol_kit.model import Origin
from protocol_kit.sheet.images import checked_image


def sheet_image(path: str, max_width: float, max_height: float, where: Origin | str) -> Image:
    """An Image flowable of the PNG or JPEG at `path`, scaled to fit the box; TextError (at
    `where`) when it cannot be printed."""
    data, info = checked_image(path, where)
    scale = min(max_width / info.width, max_height / info.height)
    return Image(io.BytesIO(data), info.width * scale, info.height * scale, hAlign="LEFT")
