"""Where a JSON pointer's value (or its key) is in a document's text, found by walking down
the pointer only.

json-source-map maps every value of a document in pure Python, about 5 ms for a protocol,
to answer the one or two pointers a file's findings name. This walk follows the pointer
alone: at each level it reads where the members of one object (or the items of one array)
start, with the json module's C scanner, which steps over each value whole; a container is
read once for all the pointers of a file. It
gives the places json-source-map gives (`loading.position_in`: the value's first character,
or its key's opening quote; the nearest enclosing value when the pointer names nothing).

Where the two could differ it gives no answer (None), and the caller asks json-source-map:
json-source-map names keys as they are written, escapes and all, so a key on the way that is
written with a backslash or holds a "/" (which its names do not escape), and a pointer with
an escape, a quote or a control character, are left to it.
"""

from __future__ import annotations

import json.decoder
import re
from typing import Any

_SPACE = re.compile(r"[ \t\n\r]*")
_SCAN = json.decoder.JSONDecoder().scan_once  # the C scanner: (value, end) of the value at i
_STRING = json.decoder.scanstring  # (text, end) of the string whose opening quote is at i - 1
# Pointers whose tokens json-source-map would look up in another written form.
_WRITTEN_OTHERWISE = re.compile(r'[~\\"\x00-\x1f]')


class _Unsure(Exception):
    """The walk met something whose place json-source-map might name differently."""


def positions(text: str, targets: list[tuple[str, bool]]) -> list[tuple[int, int]] | None:
    """(line, column), both 1-based, of each (pointer, at_key) in `text`, a document that
    parses as JSON; None when any of them must be left to json-source-map."""
    read: dict[int, Any] = {}  # each container on the way, read once for all the pointers
    try:
        return [line_column(text, _offset(text, p, at_key, read)) for p, at_key in targets]
    except (_Unsure, ValueError, IndexError, StopIteration):
        return None


def _offset(text: str, pointer: str, at_key: bool, read: dict[int, Any]) -> int:
    if _WRITTEN_OTHERWISE.search(pointer):
        raise _Unsure
    at = _SPACE.match(text, 0).end()
    key_at = None
    for token in pointer.split("/")[1:] if pointer else ():
        opener = text[at]
        found = None
        if opener == "{":
            members = read.get(at)
            if members is None:
                members = read[at] = _members(text, at)
            found = members.get(token)
        elif opener == "[":
            items = read.get(at)
            if items is None:
                items = read[at] = _items(text, at)
            if token.isdigit() and (token == "0" or not token.startswith("0")):
                index = int(token)
                found = (None, items[index]) if index < len(items) else None
        if found is None:  # the nearest enclosing value, never its key
            return at
        key_at, at = found
    return key_at if at_key and key_at is not None else at


def _members(text: str, at: int) -> dict[str, tuple[int, int]]:
    """Member name -> (key, value) offsets of the object opening at `at` (a repeated name:
    its last place, as json-source-map keeps). A key json-source-map would name otherwise
    makes the walk unsure."""
    members: dict[str, tuple[int, int]] = {}
    at = _SPACE.match(text, at + 1).end()
    if text[at] == "}":
        return members
    while True:
        key_at = at
        key, at = _STRING(text, at + 1)
        if "\\" in text[key_at:at] or "/" in key:
            raise _Unsure
        at = _SPACE.match(text, at).end() + 1  # the colon
        at = _SPACE.match(text, at).end()
        members[key] = (key_at, at)
        at = _SPACE.match(text, _SCAN(text, at)[1]).end()
        if text[at] != ",":
            return members
        at = _SPACE.match(text, at + 1).end()


def _items(text: str, at: int) -> list[int]:
    """The offsets of the items of the array opening at `at`."""
    items: list[int] = []
    at = _SPACE.match(text, at + 1).end()
    if text[at] == "]":
        return items
    while True:
        items.append(at)
        at = _SPACE.match(text, _SCAN(text, at)[1]).end()
        if text[at] != ",":
            return items
        at = _SPACE.match(text, at + 1).end()


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The line and column (both from 1, as an editor counts) of the character at `offset`."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
