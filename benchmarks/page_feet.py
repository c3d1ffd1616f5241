"""Measure: how full each page of the example sheets is, and where a sheet's height goes.

    python benchmarks/page_feet.py             # every example, standard and large print
    python benchmarks/page_feet.py --large     # large print only

For each sheet: its pages, the blank left at each page's foot (points: the room between the
last thing placed on the page and the foot of the body's frame), and the story's height by
part: page 1 before the cards (the stop box), the rest before the cards, the cards, and what
follows them ("About your programme", the cool-down, the credits, the log). The heights are
what reportlab placed, spaces included, so they add up to what the pages hold less their
blanks. Issue 13's large-print target (at most twice the standard pages) is judged with these
(docs/sheets.md, "Large print against twice the standard count").

It watches reportlab's `Frame.add` while the sheet is laid out; nothing it measures changes
the sheet.
"""

from __future__ import annotations

import argparse
import io
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARTS = ("page 1", "before the cards", "cards", "after the cards")


@dataclass
class Measure:
    """One sheet as laid out: its pages, the blank at each page's foot, heights by part."""

    pages: int = 0
    blanks: list[float] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)  # each page's body frame, for the story
    parts: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PARTS, 0.0))
    cards: int = 0


@contextmanager
def watched(measure: Measure):
    """Record every flowable reportlab places while the block runs."""
    from reportlab.platypus import frames

    from protocol_kit.render.document import CardMark

    original = frames.Frame.add
    lowest: dict[int, float] = {}
    room: dict[int, float] = {}
    where = ["before"]

    def add(frame, flowable, canvas, trySplit=0):  # noqa: N803 (reportlab's name)
        top = frame._y
        placed = original(frame, flowable, canvas, trySplit)
        if placed and frame.id == "body":  # not the frames inside balanced columns
            page = canvas.getPageNumber()
            lowest[page] = frame._y - frame._y1
            room.setdefault(page, frame._y2 - frame._y1 - frame._topPadding)
            if isinstance(flowable, CardMark):
                where[0] = "cards" if flowable.name else "after"
                measure.cards += bool(flowable.name)
            elif where[0] == "before":
                measure.parts["page 1" if page == 1 else "before the cards"] += top - frame._y
            else:
                # A card's closing space counts with the cards.
                part = "cards" if type(flowable).__name__ == "Spacer" else where[0]
                measure.parts["after the cards" if part == "after" else "cards"] += top - frame._y
        return placed

    frames.Frame.add = add
    try:
        yield
    finally:
        frames.Frame.add = original
        # (reportlab lets a flowable overhang the frame's foot by a fraction of a point)
        measure.blanks = [round(max(lowest[page], 0.0), 1) for page in sorted(lowest)]
        measure.heights = [round(room[page], 1) for page in sorted(room)]


def measure_sheet(path: Path, large_print: bool, prescription: str | None = None) -> Measure:
    from pypdf import PdfReader

    from protocol_kit.app.render import RenderOptions, clinic_profile, render_protocol
    from protocol_kit.config import load_config

    options = RenderOptions(clinic=clinic_profile(load_config(start=REPO)), large_print=large_print)
    measure = Measure()
    with watched(measure):
        sheet = render_protocol(str(path), options, prescription_path=prescription)
    measure.pages = len(PdfReader(io.BytesIO(sheet.data)).pages)
    return measure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", action="store_true", help="large print only")
    args = parser.parse_args(argv)
    sizes = (True,) if args.large else (False, True)
    for path in sorted((REPO / "protocols").glob("*.json")):
        for large_print in sizes:
            m = measure_sheet(path, large_print)
            parts = ", ".join(f"{name} {height:.0f}" for name, height in m.parts.items())
            size = "large" if large_print else "standard"
            print(f"{path.stem} {size}: {m.pages} pages; blank at the feet {m.blanks}; {parts} pt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
