"""Issue 13's page targets, fourth round: what each change to the layout holds.

A card's purpose is one full-width line under its band (under the picture it took four or
five lines and made the head taller than the text beside it); the picture's column is as
wide as the picture is drawn; in large print a week of the log is one row, each day's tick
boxes over a box for the pain score, still large enough to write in.
"""

from __future__ import annotations

import dataclasses

import pytest
from sheet_helpers import EXAMPLE, clinic

from protocol_kit.app.check import load_protocol
from protocol_kit.app.render import RenderOptions, sheet_request
from protocol_kit.render.card import GAP, _unkept
from protocol_kit.render.document import SheetTable
from protocol_kit.render.log import log_flowables
from protocol_kit.render.sheet import _Writer, font_check
from protocol_kit.render.styles import PICTURE_WIDTH
from protocol_kit.sheet.content import build_sheet
from protocol_kit.sheet.document import Card, LogGrid, Section

MM = 72 / 25.4


def writer(large_print: bool = False) -> _Writer:
    request = sheet_request(
        load_protocol(str(EXAMPLE)), RenderOptions(clinic=clinic(), large_print=large_print)
    )
    return _Writer(build_sheet(request, font_check()))


def blocks_of(written: _Writer, kind: type) -> list:
    return [block for section in written.sheet.body if isinstance(section, Section)
            for block in section.blocks if isinstance(block, kind)]  # fmt: skip


def head(written: _Writer, card: Card) -> list:
    """The flowables of a card's head, which is never split."""
    return _unkept(written.cards.card(card, written.width)[:1])


def picture_row(flowables: list) -> SheetTable:
    """The table of the picture and the text beside it."""
    return next(f for f in flowables if isinstance(f, SheetTable) and len(f._colWidths) == 2)


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_a_cards_purpose_is_one_paragraph_at_the_full_width_under_its_band(large_print):
    written = writer(large_print)
    for card in blocks_of(written, Card):
        flowables = head(written, card)
        purposes = [f for f in flowables if getattr(f, "style", None) is not None
                    and f.style.name == "purpose"]  # fmt: skip
        assert [p.text for p in purposes] == [card.purpose]
        assert flowables.index(purposes[0]) < flowables.index(picture_row(flowables))


def test_the_pictures_column_is_as_wide_as_the_picture_is_drawn():
    written = writer()
    widths = {
        card.title: picture_row(head(written, card))._colWidths[0] - GAP
        for card in blocks_of(written, Card)
    }
    # The kneeling stretch is drawn taller than wide: its column is narrower, and the text
    # beside it wider; the bridge, lying, takes the whole 58 mm.
    assert widths["1. Kneeling hip flexor stretch"] < PICTURE_WIDTH * 0.8
    assert widths["2. Glute bridge"] == pytest.approx(PICTURE_WIDTH)


def test_a_large_print_log_week_is_one_row_with_the_days_ticks_over_a_pain_box():
    from protocol_kit.render.log import DayCell

    written = writer(large_print=True)
    [grid, *_] = blocks_of(written, LogGrid)
    sessions = dataclasses.replace(grid, boxes=2)  # two sessions a day
    flowables = log_flowables(written.blocks, sessions, written.width)
    [table] = [f for f in flowables if isinstance(f, SheetTable) and len(f._cellvalues) > 1]
    rows = table._cellvalues[1:]
    assert len(rows) == len(sessions.weeks)  # one row a week
    for row in rows:
        days = row[1:]
        assert len(days) == len(sessions.columns)
        assert all(isinstance(day, DayCell) and day.ticks.count == 2 for day in days)
        # the week's label says what each part is for: "Week 1 Sessions done", "Pain (0-10)"
        assert [p.getPlainText() for p in row[0]][1] == sessions.pain_label
    day = rows[0][1]
    day.wrap(1000, 1000)
    # A box to write a score in: at least 7 mm tall and 12 mm wide.
    assert day.line * 0.95 + day.extra >= 7 * MM
    assert day.box_width >= 12 * MM
