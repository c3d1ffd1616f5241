"""The workbench's Browse list over protocols whose exercises are library references (every
example protocol, and every protocol `protokit new protocol -e` writes): each row names the
exercises and body regions the library gives, and the search finds them."""

from __future__ import annotations

import html
import re
import urllib.parse

import pytest
from workbench_helpers import served_fixture

served = pytest.fixture(scope="module")(served_fixture)

PROTOCOL = "mid-back-ankle-hip-mobility.json"  # three references, no exercise of its own


def _rows(body: bytes) -> dict[str, list[str]]:
    """Each row's cells, by the file it is about."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html.unescape(body.decode()), re.DOTALL):
        cells = [
            re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        if cells:
            rows[cells[0][-1]] = [" ".join(c) for c in cells]
    return rows


def test_a_protocol_of_library_references_is_listed_and_found_by_its_exercises(served):
    """The list showed a reference's id ("open-book-rotation") and no body region, so that
    searching "thoracic-spine" or an exercise's name found the library exercise and not the
    protocols using it (H1256)."""
    for query in ("thoracic-spine", "Open book: mid-back twist", "open-book-rotation"):
        status, _, body = served.request(f"/?q={urllib.parse.quote(query)}")
        assert status == 200
        assert PROTOCOL in _rows(body), query
    _, _, body = served.request(f"/?q={PROTOCOL}")
    row = _rows(body)[PROTOCOL]
    assert "thoracic-spine" in row[3] and "ankle" in row[3]
    assert "Open book: mid-back twist lying on your side" in row[4]
    assert "open-book-rotation" not in row[4]
