"""The pages' drawing commands are compressed fast (`protocol_kit.render.page_streams`): one
Flate filter at zlib's fastest level, no ASCII85 around it; the commands are the ones drawn,
and the same sheet is the same bytes."""

from __future__ import annotations

import io
import zlib

import pikepdf
import pytest
from sheet_helpers import EXAMPLE, EXAMPLES, render


def page_streams(pdf: bytes) -> list[tuple[list[str], bytes]]:
    """Each page's contents stream: its filters' names and its bytes as written."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        streams = [page.obj.Contents for page in document.pages]
        return [
            ([str(name) for name in stream.stream_dict.get("/Filter")], stream.read_raw_bytes())
            for stream in streams
        ]


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large print"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_page_is_flate_at_the_fastest_level_without_ascii85(path, large_print):
    streams = page_streams(render(path, large_print=large_print))
    assert streams
    for filters, raw in streams:
        assert filters == ["/FlateDecode"]
        # a zlib stream's second byte holds the level it was made at: 0x01 for level 1
        assert raw[:2] == b"\x78\x01"
        commands = zlib.decompress(raw)
        assert commands.startswith(b"1 0 0 1 0 0 cm")
        assert zlib.compress(commands, 1) == raw


def test_the_same_sheet_is_the_same_bytes():
    assert render(EXAMPLE, fresh=True) == render(EXAMPLE, fresh=True)
