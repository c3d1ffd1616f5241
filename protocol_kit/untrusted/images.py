"""An image's format and size, read from its bytes without decoding it.

The sheet prints PNG and JPEG images named by a protocol, and a bundle carries them to other
clinics. A truncated file makes the image library fail half way through a sheet; a small file
can declare 13,000 x 13,000 pixels and make it allocate gigabytes (a decompression bomb), after
printing its own warning on the terminal. `image_problem` reads the structure (PNG chunks with
their checksums up to IEND; JPEG segments up to the frame header and the end marker) and the
declared size, so that such a file is refused with one line before anything decodes it.
"""

from __future__ import annotations

import re

from protocol_kit.record import Record, init
from protocol_kit.untrusted.colour_profiles import (
    MAX_PNG_PROFILE,
    SRGB_CODE_POINTS,
    JpegProfile,
    class_fault,
    profile_fault,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
# A sheet prints an image a third of a page wide: 4,000 x 4,000 pixels is far more than it can
# show. 30 million pixels keeps every camera photograph (and decodes to at most ~120 MB).
MAX_PIXELS = 30_000_000
# A camera photograph is a few megabytes; a larger file is not a picture for a sheet.
MAX_IMAGE_FILE = 64 * 1024 * 1024
MAX_SIDE = 20_000
# A progressive JPEG is decoded once per scan, over the whole picture: cameras and editors write
# about ten (libjpeg's own progression: 10 for colour, 6 for grey). A crafted file of 160 KB
# with 1,000 empty scans over 5,000 x 5,000 pixels took 16 s of CPU to decode, and 64 MB of
# them hours (H915).
MAX_SCANS = 100

# JPEG frame headers (SOF0-SOF15 but DHT, JPG and DAC, which share the range).
_FRAME_MARKERS = {m for m in range(0xC0, 0xD0)} - {0xC4, 0xC8, 0xCC}
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 have no length
# A marker: 0xFF (any number: the rest are fill bytes) and a byte that is neither 0x00 (0xFF as
# a byte of compressed data) nor a restart marker (RST0-7, inside a scan). Searched for by the
# regular expression engine: a 64 MB file of nothing but 0xFF 0x00 takes 0.7 s (a loop over
# each 0xFF in Python, 10 s).
_MARKER = re.compile(rb"\xff+[\x01-\xcf\xd8-\xfe]")
# The frame headers of progressive JPEGs, decoded once per scan (a baseline JPEG's decoder stops
# at a scan too many).
_PROGRESSIVE = {0xC2, 0xC6, 0xCA, 0xCE}
# The JPEGs a PDF reader draws: DCTDecode is baseline and (since PDF 1.3) progressive, Huffman
# coded, 8 bits a sample. Pillow and browsers decode the other kinds too, and the sheet would
# carry them into the PDF as they are, where PDFium and poppler draw an arithmetic-coded one as
# a blank (H981); the kind's name for the refusal.
_DRAWN_BY_PDF_READERS = {0xC0, 0xC1, 0xC2}
_JPEG_KINDS = {
    **dict.fromkeys((0xC3, 0xC7, 0xCB, 0xCF), "a lossless"),
    **dict.fromkeys((0xC5, 0xC6, 0xCD, 0xCE), "a hierarchical"),
    **dict.fromkeys((0xC9, 0xCA), "an arithmetic-coded"),
}
# The colours an ICC profile is for (its header's colour space), by the picture's own: a profile
# for others (an XYZ or CMYK profile in an RGB PNG) is followed by some browsers (Chromium, in a
# PNG) and not by others, nor by the sheet's colour turning (protocol_kit.sheet.images.in_srgb),
# so the printed colours would differ from the screen's (H985).
_PROFILE_SPACES = {1: b"GRAY", 3: b"RGB ", 4: b"CMYK"}  # by JPEG components
_PNG_PROFILE_SPACES = {0: b"GRAY", 2: b"RGB ", 3: b"RGB ", 4: b"GRAY", 6: b"RGB "}
# A PNG without an sRGB or iCCP chunk may say how its pixels are to be shown: a gamma (gAMA)
# and, with it, primaries (cHRM). Chromium follows them (a red of 200 with a gamma of 0.1 shown
# 84); the sheet prints the pixels as sRGB's. A gamma from 1/2.6 to 1/1.8 (old Macs' PNGs) moves a
# mid grey by at most 19 of 255 from sRGB's (1/2.2), and primaries within 0.01 of sRGB's are
# sRGB's; others are refused (H985). In units of 1/100,000, as the chunks give them.
# Each is taken once and before the pixels, where viewers look (H1010); a cICP chunk only with
# sRGB's code points (protocol_kit.untrusted.colour_profiles.SRGB_CODE_POINTS).
_COLOUR_CHUNKS = {b"sRGB", b"iCCP", b"gAMA", b"cHRM", b"cICP"}
_SHOWN_BY_PROFILE = (b"sRGB", b"iCCP", b"cICP")
_SHOWN_ALIKE_GAMMAS = range(38_462, 55_556 + 1)
_SRGB_CHROMATICITIES = (31_270, 32_900, 64_000, 33_000, 30_000, 60_000, 15_000, 6_000)
_CHROMATICITY_SLACK = 1_000
# PNG colour type 0 (grey) at 16 bits a sample: reportlab reads it through Pillow's 16-bit mode
# and cuts each value to 255, so that a dark grey prints white (H983).
_GREY = 0


# The EXIF tag of the way a picture is to be turned or mirrored to be seen as it was taken: a
# phone stores a portrait photo sideways and says so here. Photo viewers, browsers (the HTML
# sheet, the workbench) and the therapist's own screen turn it; the PDF sheet turns it the same
# way when it draws it (protocol_kit.render.images, H953, H980).
_ORIENTATION = 0x0112
_UPRIGHT = 1
_TURNINGS = range(2, 9)  # 2-8: mirrored, turned, or both; any other value is read as upright
_CROSSWISE = range(5, 9)  # 5-8: turned a quarter, so its width is shown as its height


class ImageInfo(Record):
    __slots__ = ("format", "width", "height", "orientation")
    format: str  # "PNG" or "JPEG"
    width: int  # the pixels as stored
    height: int
    orientation: int  # EXIF's: 1 upright; 2-8 to be turned or mirrored to be seen as taken

    def __init__(self, format: str, width: int, height: int, orientation: int = _UPRIGHT) -> None:
        init(self, "format", format)
        init(self, "width", width)
        init(self, "height", height)
        init(self, "orientation", orientation if orientation in _TURNINGS else _UPRIGHT)

    def shown_size(self) -> tuple[int, int]:
        """Width and height as every viewer shows the picture: turned upright."""
        if self.orientation in _CROSSWISE:
            return self.height, self.width
        return self.width, self.height


class ImageProblem(ValueError):
    """Why the bytes are not a complete PNG or JPEG image of a printable size."""


def image_info(data: bytes) -> ImageInfo:
    """The format and declared size of a PNG or JPEG image; ImageProblem otherwise."""
    if data.startswith(PNG_SIGNATURE):
        info = _png(data)
    elif data.startswith(JPEG_SIGNATURE):
        info = _jpeg(data)
    else:
        raise ImageProblem("is not a PNG or JPEG file")
    if info.width < 1 or info.height < 1:
        raise ImageProblem(f"declares an empty picture ({info.width} x {info.height} pixels)")
    if info.width * info.height > MAX_PIXELS or max(info.width, info.height) > MAX_SIDE:
        raise ImageProblem(
            f"is {info.width:,} x {info.height:,} pixels, more than a sheet can print "
            f"(at most {MAX_PIXELS:,} pixels): save a smaller copy"
        )
    return info


def image_problem(data: bytes) -> str | None:
    """`image_info`'s reason for refusing `data`, or None."""
    try:
        image_info(data)
    except ImageProblem as problem:
        return str(problem)
    return None


_TRUNCATED = "is incomplete (cut short in saving or copying): save or copy it again"


def _png(data: bytes) -> ImageInfo:
    import struct  # here, not at the top: a valid protocol without images never needs them
    import zlib

    offset = len(PNG_SIGNATURE)
    size: tuple[int, int] | None = None
    turnings = _Turnings()
    colour_chunks: dict[bytes, bytes] = {}
    while True:
        if offset + 8 > len(data):
            raise ImageProblem(_TRUNCATED)
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        end = offset + 8 + length + 4
        if end > len(data):
            raise ImageProblem(_TRUNCATED)
        body = data[offset + 8 : end - 4]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise ImageProblem(f"is damaged (the {kind.decode('latin-1')!r} part fails its check)")
        if size is None:
            if kind != b"IHDR" or length != 13:
                raise ImageProblem("is damaged (no image header)")
            size = struct.unpack(">II", body[:8])
            colour_type = body[9]
            if colour_type not in _PNG_PROFILE_SPACES:
                raise ImageProblem("is damaged (its image header names no colour type)")
            if body[8] == 16 and colour_type == _GREY:
                raise ImageProblem(
                    "is a 16-bit grey PNG, which the sheet would print blank: save it as an "
                    "8-bit PNG (an image editor's export)"
                )
        if kind in _COLOUR_CHUNKS:
            _take_colour_chunk(kind, body, colour_chunks, turnings.picture_seen, colour_type)
        if kind == b"acTL":  # an animated PNG (APNG) announces its frames before the first
            raise ImageProblem(
                "is an animated PNG: screens play its frames, a printed sheet shows one picture "
                "that screens may never show; save a still picture (PNG or JPEG)"
            )
        if kind == b"eXIf":
            turnings.found(body)
        turnings.picture_seen = turnings.picture_seen or kind == b"IDAT"
        if kind == b"IEND":
            _refuse_shown_otherwise(colour_chunks)
            return ImageInfo("PNG", *size, turnings.orientation)
        offset = end


def _jpeg(data: bytes) -> ImageInfo:
    import struct

    offset = 2
    size: tuple[int, int] | None = None
    progressive = False
    turnings = _Turnings()
    profile = JpegProfile()
    components = 0
    while True:
        # Markers may be padded with any number of 0xFF bytes.
        while offset < len(data) and data[offset] == 0xFF:
            offset += 1
        if offset >= len(data):
            raise ImageProblem(_TRUNCATED)
        marker = data[offset]
        offset += 1
        if marker in _STANDALONE:
            continue
        if offset + 2 > len(data):
            raise ImageProblem(_TRUNCATED)
        (length,) = struct.unpack(">H", data[offset : offset + 2])
        if length < 2 or offset + length > len(data):
            raise ImageProblem(_TRUNCATED)
        if marker == 0xE2 and data[offset + 2 : offset + 14] == b"ICC_PROFILE\0":  # APP2
            profile.found(data[offset + 2 : offset + length], size is not None)
        if marker == 0xE1 and data[offset + 2 : offset + 8] == b"Exif\0\0":  # APP1: EXIF
            turnings.found(data[offset + 8 : offset + length])
        if marker in _FRAME_MARKERS:
            if length < 7:
                raise ImageProblem("is damaged (its frame header is too short)")
            height, width = struct.unpack(">HH", data[offset + 3 : offset + 7])
            size = (width, height)
            _refuse_undrawn(marker, data[offset + 2])
            components = data[offset + 7] if length > 7 else 0
            progressive = marker in _PROGRESSIVE
        if marker == 0xDA:  # start of scan: the compressed picture follows, then EOI
            if size is None:
                raise ImageProblem("is damaged (no frame header before the picture)")
            whole = profile.profile()
            _refuse_unreadable_profile(whole, profile.fault)
            if whole is not None and components in _PROFILE_SPACES:
                _refuse_profile_for_others(whole, _PROFILE_SPACES[components])
            if data.rfind(b"\xff\xd9") < offset + length:
                raise ImageProblem(_TRUNCATED)
            if progressive and _more_scans_than(data, offset, MAX_SCANS):
                raise ImageProblem(
                    f"is a progressive JPEG of more than {MAX_SCANS} scans, which takes minutes "
                    "to decode: save it again as a plain (baseline) JPEG"
                )
            return ImageInfo("JPEG", *size, turnings.orientation)
        offset += length


def _refuse_undrawn(marker: int, precision: int) -> None:
    """ImageProblem when a JPEG's frame header (`marker`, bits a sample) is of a kind that PDF
    readers do not draw: the printed sheet would show a blank or fail where screens show the
    picture (H981)."""
    if marker in _DRAWN_BY_PDF_READERS and precision == 8:
        return
    kind = _JPEG_KINDS.get(marker, f"a {precision}-bit")
    raise ImageProblem(
        f"is {kind} JPEG, which PDF readers are not made to draw (a printed sheet may show a "
        "blank where screens show the picture): save it again as an ordinary JPEG (an image "
        "editor's export)"
    )


def _refuse_shown_otherwise(chunks: dict[bytes, bytes]) -> None:
    """ImageProblem when a PNG's gAMA (or, with it, its cHRM) makes screens show its pixels
    otherwise than sRGB, and so otherwise than the printed sheet."""
    import struct

    if any(kind in chunks for kind in _SHOWN_BY_PROFILE) or len(chunks.get(b"gAMA", b"")) != 4:
        return  # screens show it as sRGB, or by its profile (H985's turning)
    (gamma,) = struct.unpack(">I", chunks[b"gAMA"])
    primaries = chunks.get(b"cHRM", b"")
    if gamma not in _SHOWN_ALIKE_GAMMAS:
        said = f"a gamma of {gamma / 100_000:.2f}, where sRGB's is 0.45"
    elif len(primaries) == 32 and any(
        abs(given - srgb) > _CHROMATICITY_SLACK
        for given, srgb in zip(struct.unpack(">8I", primaries), _SRGB_CHROMATICITIES, strict=True)
    ):
        said = "primary colours other than sRGB's"
    else:
        return
    raise ImageProblem(
        f"says its pixels are to be shown with {said}: screens show other colours than a "
        "printed sheet would; save a copy in sRGB (an image editor's export)"
    )


def _take_colour_chunk(
    kind: bytes, body: bytes, chunks: dict[bytes, bytes], picture_seen: bool, colour_type: int
) -> None:
    """Keep a PNG's chunk saying how its colours are shown (`chunks`, by kind), or ImageProblem
    when viewers would differ over it: after the pixels (Chromium and Pillow stop looking; a
    gamma of 0.1 before the pixels and an sRGB chunk after them was shown by its gamma and
    passed as sRGB's), twice (Pillow takes the last profile, Chromium did not), a profile that
    cannot be read alike, or video's code points other than sRGB's (H1010, H1011)."""
    name = kind.decode("latin-1")
    if picture_seen:
        raise ImageProblem(
            f"says how to show its colours (its {name!r} part) after its pixels, where viewers "
            f"do not look: {_SAVE_IN_SRGB}"
        )
    if kind in chunks:
        raise ImageProblem(
            f"says twice how to show its colours (two {name!r} parts), and viewers differ on "
            f"which they follow: {_SAVE_IN_SRGB}"
        )
    if kind == b"iCCP":
        profile = _png_profile(body)
        _refuse_unreadable_profile(profile, None)
        _refuse_profile_for_others(profile, _PNG_PROFILE_SPACES[colour_type])
    if kind == b"cICP" and body != SRGB_CODE_POINTS:
        raise ImageProblem(
            "says its pixels are to be shown in other colours than sRGB's (its 'cICP' part): "
            f"screens show other colours than a printed sheet would; {_SAVE_IN_SRGB}"
        )
    chunks[kind] = body


def _png_profile(body: bytes) -> bytes:
    """The ICC profile an iCCP chunk holds compressed (its name, a zero byte, the method, then
    zlib's stream), inflated to at most MAX_PNG_PROFILE bytes."""
    import zlib

    inflater = zlib.decompressobj()
    try:
        profile = inflater.decompress(body[body.find(b"\0") + 2 :], MAX_PNG_PROFILE)
    except zlib.error:
        raise ImageProblem("is damaged (its colour profile cannot be read)") from None
    if inflater.unconsumed_tail:
        raise ImageProblem(f"carries a colour profile larger than {MAX_PNG_PROFILE:,} bytes")
    if not inflater.eof:
        _refuse_unreadable_profile(profile, "it is cut short or damaged")
    return profile


def _refuse_unreadable_profile(profile: bytes | None, fault: str | None) -> None:
    """ImageProblem when a picture's ICC profile (None: it has none) is one that readers may
    follow or not (H1010): `fault` found in gathering it, or `profile_fault`'s."""
    if fault is None and profile is not None:
        fault = profile_fault(profile)
    if fault is not None:
        raise ImageProblem(
            f"carries a colour profile that screens read differently or not at all ({fault}): "
            f"{_SAVE_IN_SRGB}"
        )


def _refuse_profile_for_others(profile: bytes, own: bytes) -> None:
    """ImageProblem when the whole profile `profile` is not one for a picture of the colours
    `own` (its colour space, then its class)."""
    space = profile[16:20]
    if space != own:
        raise ImageProblem(
            f"carries a colour profile for other colours ({space.decode('latin-1').strip()!r}) "
            f"than its own ({own.decode('latin-1').strip()}), which screens follow or not: "
            f"{_SAVE_IN_SRGB}"
        )
    _refuse_unreadable_profile(profile, class_fault(profile))


_SAVE_IN_SRGB = "save a copy in sRGB (an image editor's export)"


class _Turnings:
    """The EXIF orientation of a picture's EXIF blocks, read as a file's parts are walked.
    The sheet turns the picture as a viewer would; when viewers could differ on how to turn it
    (two blocks that disagree, a PNG's block after its pixels, where the format says it does not
    belong and readers stop looking), the picture is refused: a printed sheet must show what
    the therapist saw on screen (H980)."""

    __slots__ = ("orientation", "blocks", "picture_seen")

    def __init__(self) -> None:
        self.orientation = _UPRIGHT
        self.blocks = 0
        self.picture_seen = False

    def found(self, tiff: bytes) -> None:
        orientation = _exif_orientation(tiff.removeprefix(b"Exif\0\0"))  # some PNG writers keep it
        if orientation not in _TURNINGS:
            orientation = _UPRIGHT
        if self.blocks and orientation != self.orientation:
            raise ImageProblem(
                f"holds two EXIF blocks that say different ways to show it (orientations "
                f"{self.orientation} and {orientation}), and viewers differ on which they "
                f"follow: {_SAVE_UPRIGHT}"
            )
        if self.picture_seen and orientation != _UPRIGHT:
            raise ImageProblem(
                f"says how to turn it (EXIF orientation {orientation}) after its pixels, where "
                f"some viewers do not look: {_SAVE_UPRIGHT}"
            )
        self.orientation = orientation
        self.blocks += 1


_SAVE_UPRIGHT = "save a copy with its pixels upright (an image editor's export)"


def _exif_orientation(tiff: bytes) -> int:
    """The orientation an EXIF block (a TIFF structure) gives in its first directory, or
    upright when it gives none or cannot be read (no viewer can read it either)."""
    import struct

    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return _UPRIGHT
    magic, first = struct.unpack(order + "HI", tiff[2:8])
    if magic != 42 or first + 2 > len(tiff):
        return _UPRIGHT
    (count,) = struct.unpack(order + "H", tiff[first : first + 2])
    for at in range(first + 2, min(first + 2 + 12 * count, len(tiff) - 11), 12):
        tag, kind = struct.unpack(order + "HH", tiff[at : at + 4])
        if tag == _ORIENTATION and kind in (3, 4):  # a SHORT or a LONG, as readers take
            value = tiff[at + 8 : at + (10 if kind == 3 else 12)]
            return struct.unpack(order + ("H" if kind == 3 else "I"), value)[0]
    return _UPRIGHT


def _more_scans_than(data: bytes, offset: int, limit: int) -> bool:
    """Whether the JPEG `data` holds more than `limit` scans, from the length of its first
    start-of-scan segment at `offset`: each segment is followed by the next marker (`_MARKER`),
    a scan's compressed bytes first."""
    import struct

    scans, marker = 0, 0xDA
    while True:
        if marker not in _STANDALONE:
            if offset + 2 > len(data):
                return False
            (length,) = struct.unpack(">H", data[offset : offset + 2])
            offset += length
        if marker == 0xDA:
            scans += 1
            if scans > limit:
                return True
        found = _MARKER.search(data, offset)
        if found is None:
            return False
        marker, offset = data[found.end() - 1], found.end()
        if marker == 0xD9:  # end of image
            return False
