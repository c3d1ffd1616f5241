"""Colour contrast (WCAG 2.2): the clinic's accent colour is used for headings and for the
card bands with white text, so a pale accent is replaced by the sheet's ink where it would
fall below the 4.5:1 that normal text needs."""

from __future__ import annotations

INK = "#1A1A1A"
MINIMUM = 4.5


def luminance(colour: str) -> float:
    """Relative luminance of `#RRGGBB`."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_accent(accent: str) -> str:
    """`accent` when white text on it (and it on white) is readable, else the ink."""
    return accent if contrast(accent, "#FFFFFF") >= MINIMUM else INK
