"""Issue 13's page targets, fourth round: what each change to the layout holds.

In standard print a card is laid out two ways and the shorter kept: its purpose under the
picture (58 mm column), or in a line under the band with the picture's column as wide as the
picture is drawn; in large print a week of the log is one row, each day's tick boxes over a
box for the pain score, still large enough to write in.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest
from sheet_helpers import (
    EXAMPLE,
    EXAMPLES,
    clinic,
    render,
    self_contained,
    with_pictures,
    write_json,
)

from protocol_kit.app.check import load_protocol
from protocol_kit.app.render import RenderOptions, sheet_request
from protocol_kit.render.card import EVERY_STEP_MOST, GAP, _height, _unkept
from protocol_kit.render.document import SheetTable
from protocol_kit.render.log import log_flowables
from protocol_kit.render.sheet import _Writer, font_check
from protocol_kit.render.styles import PICTURE_WIDTH
from protocol_kit.sheet.content import build_sheet
from protocol_kit.sheet.document import Card, LogGrid, Section

MM = 72 / 25.4


def writer(path: Path = EXAMPLE, large_print: bool = False) -> _Writer:
    request = sheet_request(
        load_protocol(str(path)), RenderOptions(clinic=clinic(), large_print=large_print)
    )
    return _Writer(build_sheet(request, font_check()))


def blocks_of(written: _Writer, kind: type) -> list:
    return [block for section in written.sheet.body if isinstance(section, Section)
            for block in section.blocks if isinstance(block, kind)]  # fmt: skip


def head(story: list) -> list:
    """The flowables of a card's head, which is never split."""
    return _unkept(story[:1])


def picture_row(flowables: list) -> SheetTable:
    """The table of the picture and the text beside it (the gap between them a column of
    its own when the card's further parts are under the picture)."""
    return next(f for f in flowables if isinstance(f, SheetTable) and len(f._colWidths) > 1)


def picture_column(flowables: list) -> float:
    """The width of the picture's column, without the gap."""
    return sum(picture_row(flowables)._colWidths[:-1]) - GAP


def purpose_at_full_width(flowables: list) -> bool:
    return any(getattr(f, "style", None) is not None and f.style.name == "purpose"
               for f in flowables)  # fmt: skip


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_card_in_standard_print_is_laid_out_the_shortest_of_three_ways(path):
    # The purpose under the picture or under the band; and every step beside the picture.
    written = writer(path)
    width = written.width
    every_step = 0
    for card in blocks_of(written, Card):
        story = written.cards.card(card, width)
        ways = [written.cards._card(card, width, under) for under in (True, False)]
        beside = written.cards._every_step_beside(card, width)
        besides = [beside] if beside is not None else []
        assert _height(story, width) == min(_height(way, width) for way in [*ways, *besides])
        flowables = head(story)
        column = picture_column(flowables)
        if purpose_at_full_width(flowables):  # the column as wide as the picture is drawn
            assert column <= PICTURE_WIDTH
        else:  # the purpose under the picture, in its 58 mm column
            assert column == pytest.approx(PICTURE_WIDTH)
        if beside is not None and _height(story, width) == _height(beside, width):
            every_step += 1
            # every step beside the picture, in the card's head, which is never split
            beside_picture = _unkept(picture_row(flowables)._cellvalues[0][-1])
            steps = [f for f in beside_picture if getattr(f, "style", None) is not None
                     and f.style.name == "step"]  # fmt: skip
            assert len(steps) == sum(len(b.items) for part in card.beside
                                     for b in part.blocks if hasattr(b, "items"))  # fmt: skip
    assert every_step >= 1  # every example has a card laid out this way


def test_a_standing_figure_gives_the_text_beside_it_more_room():
    # The ball release against a wall: laid out with the purpose in a line under the band,
    # the picture's column is as narrow as the standing figure (19 points shorter than in
    # the 58 mm column).
    [path] = [p for p in EXAMPLES if p.stem == "smr-dynamic-hip-mobility"]
    written = writer(path)
    [first, *_] = blocks_of(written, Card)
    flowables = head(written.cards._card(first, written.width, purpose_under=False))
    assert purpose_at_full_width(flowables)
    assert picture_column(flowables) < PICTURE_WIDTH * 0.8


def test_a_large_print_cards_purpose_is_under_its_band():
    written = writer(large_print=True)
    for card in blocks_of(written, Card):
        assert purpose_at_full_width(head(written.cards.card(card, written.width)))


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


def test_a_large_print_log_sets_its_scale_on_its_headings_line_with_each_score_readable():
    # Tenth sitting: "Weekly exercise log" and the 0-10 scale share a line in large print (in
    # English), a line less for the log; each score at 16 pt, "10" whole in its cell.
    from reportlab.pdfbase.pdfmetrics import stringWidth

    written = writer(large_print=True)
    [log] = [b for b in written.sheet.body if isinstance(b, Section) and b.kind == "log"]
    [beside], _ = written.log_head(log)
    heading, scale = beside._cellvalues[0]
    assert heading.getPlainText() == log.heading
    label, *scores = scale._cellvalues[0]
    assert [s.getPlainText() for s in scores] == [str(n) for n in range(11)]
    assert all(s.style.fontSize >= 16 for s in scores)
    ten = stringWidth("10", scores[-1].style.fontName, scores[-1].style.fontSize)
    assert min(scale._colWidths[1:]) >= ten * 1.35
    # Standard print's scale as it was: its cells 2.5 times its "10".
    standard = writer()
    [beside], _ = standard.log_head(log)
    _, scale = beside._cellvalues[0]
    ten = stringWidth("10", scale._cellvalues[0][1].style.fontName, 9)
    assert min(scale._colWidths[1:]) >= ten * 2.5


def test_a_long_card_is_not_one_block_beside_its_picture(tmp_path):
    # Thirty steps beside the picture would be one block of more than half a page, never
    # split: such a card keeps a head that starts where a page has room and runs on.
    data = with_pictures(self_contained(), tmp_path)
    stretch = data["exercises"][0]
    stretch["steps"] = [copy.deepcopy(stretch["steps"][0]) for _ in range(30)]
    written = writer(write_json(tmp_path, "long.json", data))
    card = blocks_of(written, Card)[0]
    assert written.cards._every_step_beside(card, written.width) is None
    story = written.cards.card(card, written.width)
    assert _height(head(story), written.width) < EVERY_STEP_MOST
    assert render(write_json(tmp_path, "long.json", data))[:5] == b"%PDF-"


def test_a_standard_print_log_is_lower_and_its_labels_9_pt():
    # The lead's decision (8th sitting, round 2, H401): a lower log, still a tick box per session
    # and a pain box a day, its labels at least 9 pt and room to write a score (4.5 mm).
    from protocol_kit.render.log import TickBoxes, week_grid

    written = writer()
    [grid, *_] = blocks_of(written, LogGrid)
    table = week_grid(written.blocks, grid, grid.weeks[:3], (written.width - GAP) / 2)
    table.wrap(written.width, 1000)

    def first(cell):
        return cell[0] if isinstance(cell, (list, tuple)) else cell

    assert all(first(row[0]).style.fontSize >= 9 for row in table._cellvalues)
    heights = table._rowHeights[1:]
    ticks, pains = heights[0::2], heights[1::2]
    days = [first(day) for row in table._cellvalues[1::2] for day in row[1:]]
    assert all(isinstance(day, TickBoxes) and day.count == grid.boxes and day.size >= 9
               for day in days)  # fmt: skip
    assert min(pains) >= 4.5 * MM
    assert sum(ticks) + sum(pains) <= 3 * 26  # a week 33.5 points high before


def test_a_narrow_figure_keeps_its_purpose_under_its_picture_where_that_head_is_lower():
    # The ball release against a wall (8th sitting, round 2): its purpose under the standing
    # figure, in the figure's narrow column, makes the head lower than the purpose in a line
    # under the band: the first card starts on page 1.
    [path] = [p for p in EXAMPLES if p.stem == "smr-dynamic-hip-mobility"]
    written = writer(path)
    [first, *_] = blocks_of(written, Card)
    narrow = head(written.cards._card(first, written.width, True, narrow=True))
    band = head(written.cards._card(first, written.width, purpose_under=False))
    assert not purpose_at_full_width(narrow)
    assert picture_column(narrow) == pytest.approx(picture_column(band))
    assert picture_column(narrow) < PICTURE_WIDTH * 0.8
    assert _height(narrow, written.width) < _height(band, written.width)
    assert len(written.cards.layouts(first, written.width)) == 4


def plain_texts(flowables: list) -> list[str]:
    """The paragraphs' texts in `flowables`, tables' cells included, in order."""
    found: list[str] = []
    for flowable in flowables:
        # (a cell's list of flowables is a tuple once reportlab has measured its table)
        if isinstance(flowable, list | tuple):
            found += plain_texts(flowable)
        elif isinstance(flowable, SheetTable):
            found += plain_texts([cell for row in flowable._cellvalues for cell in row])
        elif hasattr(flowable, "getPlainText"):
            found.append(flowable.getPlainText())
    return found


def test_the_cool_down_shares_the_columns_of_about_your_programme():
    # Ninth sitting: read after "About your programme", in its columns, each with its heading.
    from protocol_kit.render.sheet import _Columns

    [path] = [p for p in EXAMPLES if p.stem == "hip-flexor-stretch-programme"]
    written = writer(path)
    texts = [plain_texts(f._content) for f in written.story() if isinstance(f, _Columns)]
    [about] = [t for t in texts if "About your programme" in t]
    assert "Cool-down" in about
    assert about.index("About your programme") < about.index("Cool-down")
