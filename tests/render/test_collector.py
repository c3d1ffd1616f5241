"""Python's cycle collector is paused while a sheet is written, and left as it was after it:
on after a sheet, after a sheet that fails, and off when it was off."""

from __future__ import annotations

import gc

import pytest
from sheet_helpers import EXAMPLE, render

from protocol_kit.render import sheet


def test_the_collector_is_paused_while_a_sheet_is_written_and_on_again_after(monkeypatch):
    seen = []
    write = sheet._Writer.write

    def recording(self):
        seen.append(gc.isenabled())
        return write(self)

    monkeypatch.setattr(sheet._Writer, "write", recording)
    assert gc.isenabled()
    render(EXAMPLE, fresh=True)
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_is_on_again_after_a_sheet_that_fails(monkeypatch):
    def failing(self):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(sheet._Writer, "write", failing)
    with pytest.raises(RuntimeError):
        render(EXAMPLE, fresh=True)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with sheet.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
