"""Reading a picture file for a sheet: the one place either writer reads an image.

The file is read once (a regular file only, see protocol_kit.untrusted.files), its structure and
size checked from its header (protocol_kit.untrusted.images) and then decoded whole, so that a
damaged or oversized image is one error naming the protocol's line and the file, never a
failure half way through writing the PDF or a warning from the image library on the terminal.
Both writers use the bytes that were checked, never the path a second time.
"""

from __future__ import annotations

import hashlib
import io
import warnings

from protocol_kit.model import Origin
from protocol_kit.sheet.text import TextError
from protocol_kit.untrusted.files import read_file
from protocol_kit.untrusted.images import MAX_IMAGE_FILE, ImageInfo, ImageProblem, image_info
from protocol_kit.untrusted.text import printable


def checked_image(path: str, where: Origin | str) -> tuple[bytes, ImageInfo]:
    """The bytes and the format and size of the PNG or JPEG at `path`; TextError (at `where`,
    the place in the protocol that names the file) when it cannot be printed."""

    def refuse(reason: str) -> TextError:
        return TextError(where, f"cannot print the image {printable(path)}: {reason}")

    try:
        data = read_file(path, MAX_IMAGE_FILE)
    except OSError as error:
        raise refuse(f"cannot read it ({error.strerror or error})") from None
    try:
        return data, printable_image(data)
    except ImageProblem as problem:
        raise refuse(f"the file {problem}") from None


def printable_image(data: bytes) -> ImageInfo:
    """The format and size of `data` when a sheet can print it (a complete PNG or JPEG of a
    printable size that decodes without damage); ImageProblem saying why not otherwise. The
    sheets' check, and the workbench's for a picture it is given to save."""
    if len(data) > MAX_IMAGE_FILE:
        raise ImageProblem(f"is larger than {MAX_IMAGE_FILE:,} bytes")
    # The same picture (a logo, an exercise's photo) is on many sheets of a run: the same
    # bytes are decoded and judged once.
    key = hashlib.sha256(data).digest()
    known = _PRINTABLE.get(key)
    if known is not None:
        return known
    info = image_info(data)
    # Decode every pixel now (the size is already known to be printable), so that damage
    # inside the compressed picture is found here; the library's warnings become errors.
    from PIL import Image as PillowImage

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            with PillowImage.open(io.BytesIO(data)) as picture:
                picture.load()
        except Exception:  # Pillow reports damage with many exception types and warnings
            raise ImageProblem("is damaged and cannot be decoded") from None
    if len(_PRINTABLE) >= 256:
        _PRINTABLE.clear()
    _PRINTABLE[key] = info
    return info


# sha256 of a picture's bytes -> its format and size, for the pictures found printable.
_PRINTABLE: dict[bytes, ImageInfo] = {}

# The picture's modes whose colours a profile can describe, with the mode of their colours (an
# alpha channel is kept as it is).
_COLOUR_MODES = {"RGB": "RGB", "L": "L", "CMYK": "CMYK", "RGBA": "RGB", "LA": "L", "P": "RGB"}
# How far (in 0-255 steps) a profile may move a colour from sRGB and still be taken for sRGB:
# copies of sRGB's profile differ by a step or two.
_SAME_COLOUR = 3


def in_srgb(data: bytes, info: ImageInfo) -> bytes:
    """The picture `data` (checked by `printable_image`) with the colours every screen shows:
    when it carries a colour profile (an ICC profile: a phone's Display P3, a print shop's
    CMYK, one made to show red as green) that shows its colours otherwise than sRGB, its pixels
    turned into sRGB by the profile, as browsers and photo viewers turn them; a PDF reader takes
    the pixels as sRGB, and printed them otherwise than the therapist saw (H985). `data` as it
    is when it has no profile, when its profile is sRGB's, or when the profile cannot be read
    for its colours (then screens do not follow it either)."""
    from PIL import Image as PillowImage
    from PIL import ImageCms

    with PillowImage.open(io.BytesIO(data)) as picture:
        profile = picture.info.get("icc_profile")
        colours = _COLOUR_MODES.get(picture.mode)
        if not profile or colours is None:
            return data
        try:
            transform = ImageCms.buildTransform(
                ImageCms.ImageCmsProfile(io.BytesIO(profile)), _srgb(), colours, "RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            return data
        if colours != "CMYK" and _as_srgb(transform, colours):
            return data
        if picture.mode == "P":
            picture = picture.convert("RGBA")
        shown = ImageCms.applyTransform(picture.convert(colours), transform)
        if "A" in picture.getbands():
            shown.putalpha(picture.getchannel("A"))
    buffer = io.BytesIO()
    if info.format == "JPEG":
        shown.save(buffer, "JPEG", quality=95)
    else:
        shown.save(buffer, "PNG")
    return buffer.getvalue()


def _srgb():  # noqa: ANN202 (an ImageCms profile)
    from PIL import ImageCms

    return ImageCms.createProfile("sRGB")


def _as_srgb(transform, colours: str) -> bool:  # noqa: ANN001 (an ImageCms transform)
    """Whether `transform` leaves every colour of a grid across `colours` where sRGB has it."""
    from PIL import Image as PillowImage
    from PIL import ImageChops, ImageCms

    steps = [min(255, 16 * step) for step in range(17)]
    if colours == "L":
        grid = PillowImage.new("L", (256, 1))
        grid.putdata(range(256))
    else:
        grid = PillowImage.new("RGB", (17**3, 1))
        grid.putdata([(r, g, b) for r in steps for g in steps for b in steps])
    moved = ImageChops.difference(ImageCms.applyTransform(grid, transform), grid.convert("RGB"))
    return max(high for _, high in moved.getextrema()) <= _SAME_COLOUR
