"""benchmarks/page_feet.py, the measure issue 13's large-print target is judged with
(docs/sheets.md): the heights it gives by part and the blanks at the page feet add up to
what the pages' frames hold, and it counts the pages the PDF has."""

from __future__ import annotations

import sys

import pytest
from sheet_helpers import EXAMPLE

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from page_feet import PARTS, measure_sheet  # noqa: E402


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_parts_and_blanks_add_up_to_the_pages(large_print):
    measure = measure_sheet(EXAMPLE, large_print)
    assert measure.pages == len(measure.blanks) == len(measure.heights)
    assert measure.cards == 2
    assert set(measure.parts) == set(PARTS) and measure.parts["cards"] > 0
    placed = sum(measure.parts.values()) + sum(measure.blanks)
    assert placed == pytest.approx(sum(measure.heights), abs=1.0)
    pairs = zip(measure.blanks, measure.heights, strict=True)
    assert all(0 <= blank < height for blank, height in pairs)
