"""Opening an image for the sheet: the one place the render package reads an image file.

The file is read once (a regular file only, see protocol_kit.untrusted.files), its structure and
size checked from its header (protocol_kit.untrusted.images) and then decoded whole, here, so
that a damaged or oversized image is one error naming the protocol's line and the file, never a
failure half way through writing the PDF or a warning from the image library on the terminal.
The flowable is made from the bytes that were checked, not from the path a second time.
"""

from __future__ import annotations

import io
import warnings

from reportlab.platypus import Image

from protocol_kit.model import Origin
from protocol_kit.render.text import TextError
from protocol_kit.untrusted.files import read_file
from protocol_kit.untrusted.images import MAX_IMAGE_FILE, ImageProblem, image_info
from protocol_kit.untrusted.text import printable


def sheet_image(path: str, max_width: float, max_height: float, where: Origin | str) -> Image:
    """An Image flowable of the PNG or JPEG at `path`, scaled to fit the box; TextError (at
    `where`, the place in the protocol that names the file) when it cannot be printed."""

    def refuse(reason: str) -> TextError:
        return TextError(where, f"cannot print the image {printable(path)}: {reason}")

    try:
        data = read_file(path, MAX_IMAGE_FILE)
    except OSError as error:
        raise refuse(f"cannot read it ({error.strerror or error})") from None
    try:
        info = image_info(data)
    except ImageProblem as problem:
        raise refuse(f"the file {problem}") from None
    _decode_whole(data, refuse)
    scale = min(max_width / info.width, max_height / info.height)
    return Image(io.BytesIO(data), info.width * scale, info.height * scale, hAlign="LEFT")


def _decode_whole(data: bytes, refuse) -> None:  # noqa: ANN001 (a local error factory)
    """Decode every pixel now (the size is already known to be printable), so that damage
    inside the compressed picture is found here; the library's warnings become errors."""
    from PIL import Image as PillowImage

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            with PillowImage.open(io.BytesIO(data)) as picture:
                picture.load()
        except Exception:  # Pillow reports damage with many exception types and warnings
            raise refuse("the file is damaged and cannot be decoded") from None
