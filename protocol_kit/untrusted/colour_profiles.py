"""Whether every reader takes a picture's colour profile alike.

A picture's ICC colour profile says how its pixels are to be shown; the PDF sheet turns them into
sRGB by it (LittleCMS, protocol_kit.sheet.images.in_srgb) and browsers show them by it (Chromium:
skcms). A profile that one reader follows and another refuses prints other colours than the
screen shows (H985). Measured (H1010): a profile cut short, one whose declared size is not its
length, one of version 0 or 5, and a JPEG's profile in parts numbered from 0 or placed after the
frame header were followed by one of Chromium and the sheet and not by the other (a red shown
green on one only). So a profile is taken only when it is whole and plainly formed, in the one
place the format gives it; any other is refused in one line by the picture's header walk
(protocol_kit.untrusted.images), in every path that reads a picture.
"""

from __future__ import annotations

# The classes and major versions of ICC.1 (v2) and ICC.1:2010 (v4) profiles that every reader
# reads for a picture; a header naming others is a profile some readers refuse (Chromium:
# version 0 and 5) and LittleCMS follows. A device link, an abstract or a named-colour profile
# is no picture's: Chromium followed a link's and an abstract's colours and LittleCMS refused
# them (H1042).
_CLASSES = {b"scnr", b"mntr", b"prtr", b"spac"}
_VERSIONS = {2, 4}
# The kinds of data each tag a screen reads a picture's colours by may hold (ICC.1:2010, 9.2):
# Chromium (skcms) ignores a whole profile holding one of another kind, which LittleCMS may
# follow or refuse (a 'B2A0' of text: followed by LittleCMS only, H1042).
_TAG_KINDS = {
    **dict.fromkeys((b"rXYZ", b"gXYZ", b"bXYZ", b"wtpt"), {b"XYZ "}),
    **dict.fromkeys((b"rTRC", b"gTRC", b"bTRC", b"kTRC"), {b"curv", b"para"}),
    **dict.fromkeys(
        (b"A2B0", b"A2B1", b"A2B2", b"B2A0", b"B2A1", b"B2A2"), {b"mft1", b"mft2", b"mAB ", b"mBA "}
    ),
}
_HEADER = 128  # then the number of tagged parts, and 12 bytes for each
# Pillow inflates a PNG's profile up to 1 MB and calls a larger one damaged (its SAFEBLOCK);
# the header walk inflates no more, so that a small chunk cannot make it allocate gigabytes.
MAX_PNG_PROFILE = 1024 * 1024
# A PNG's cICP chunk gives the picture's colours as video's code points (PNG's third edition):
# Chromium follows it before any profile (a red of 200 in Display P3's shown 218, in linear
# BT.709 229, 110, 110). Only sRGB's (BT.709 primaries, sRGB's transfer, RGB, full range) is
# printed as shown.
SRGB_CODE_POINTS = bytes((1, 13, 0, 1))


def profile_fault(profile: bytes) -> str | None:
    """Why readers may differ over the ICC profile `profile` (cut short, damaged, or of a kind
    some do not read), or None when it is whole and plainly formed."""
    if len(profile) < _HEADER + 4 or profile[36:40] != b"acsp":
        return "it is cut short or damaged"
    # Zero bytes after the profile's own length (a writer's padding) every reader ignores.
    declared = int.from_bytes(profile[:4], "big")
    if declared > len(profile) or profile[declared:].strip(b"\0"):
        return f"it says it is {declared:,} bytes long and is {len(profile):,}"
    if profile[8] not in _VERSIONS:
        return f"it is of version {profile[8]}, which some screens do not read"
    count = int.from_bytes(profile[_HEADER : _HEADER + 4], "big")
    table = _HEADER + 4
    if table + 12 * count > declared:
        return "it is cut short or damaged"
    named: set[bytes] = set()
    for at in range(table, table + 12 * count, 12):
        name = profile[at : at + 4]
        start = int.from_bytes(profile[at + 4 : at + 8], "big")
        if start + int.from_bytes(profile[at + 8 : at + 12], "big") > declared:
            return "it is cut short or damaged"
        if name in named:  # LittleCMS refuses the profile, Chromium follows it (H1042)
            return f"it gives its part {_tag_name(name)} twice"
        named.add(name)
        kinds = _TAG_KINDS.get(name)
        if kinds is not None and profile[start : start + 4] not in kinds:
            return f"its part {_tag_name(name)} is damaged"
    return None


def class_fault(profile: bytes) -> str | None:
    """Why readers may differ over a whole profile `profile` for the picture's own colours (its
    class), or None. Asked after the colours, which say more (an XYZ profile is abstract)."""
    if profile[12:16] not in _CLASSES:
        return "it is of a kind some screens do not read"
    return None


def _tag_name(name: bytes) -> str:
    return repr(name.decode("latin-1").strip())


class JpegProfile:
    """The ICC profile a JPEG carries in APP2 segments of at most 64 KB each, each numbered
    (1 to their count) and counted: gathered as the segments are walked. Readers differ over
    parts numbered otherwise (Pillow sorts and takes parts numbered 0 or twice; libjpeg-turbo
    and Chromium refuse them) and over parts after the frame header (Pillow stops looking there;
    Chromium reads on to the picture), so those make the profile a fault."""

    __slots__ = ("parts", "count", "fault")

    def __init__(self) -> None:
        self.parts: dict[int, bytes] = {}
        self.count = 0
        self.fault: str | None = None

    def found(self, segment: bytes, frame_seen: bool) -> None:
        """One APP2 segment's body, `ICC_PROFILE\\0`, its number, the count, then its part."""
        if len(segment) < 14:
            self.fault = self.fault or "it is cut short or damaged"
            return
        number, count = segment[12], segment[13]
        if frame_seen:
            self.fault = self.fault or "a part of it comes after the frame header"
        elif not 0 < number <= count or number in self.parts or self.count not in (0, count):
            self.fault = self.fault or "its parts are numbered out of order"
        self.parts[number] = segment[14:]
        self.count = count

    def profile(self) -> bytes | None:
        """The whole profile, or None when the JPEG carries none; `fault` is set when a part is
        missing."""
        if not self.parts:
            return None
        if self.fault is None and len(self.parts) != self.count:
            self.fault = "a part of it is missing"
        return b"".join(self.parts[number] for number in sorted(self.parts))
