"""Where a JSON pointer's value (or its key) is in a document's text, found by walking down
the pointer only.

json-source-map maps every value of a document in pure Python, about 5 ms for a protocol,
to answer the one or two pointers a file's findings name. This walk follows the pointer
alone: at each level it reads the keys of one object (or skips to one item of an array)
with the json module's C scanner, which steps over each value it does not need whole. It
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
    try:
        return [_line_column(text, _offset(text, pointer, at_key)) for pointer, at_key in targets]
    except (_Unsure, ValueError, IndexError, StopIteration):
        return None


def _offset(text: str, pointer: str, at_key: bool) -> int:
    if _WRITTEN_OTHERWISE.search(pointer):
        raise _Unsure
    at = _SPACE.match(text, 0).end()
    key_at = None
    for token in pointer.split("/")[1:] if pointer else ():
        opener = text[at]
        if opener == "{":
            found = _member(text, at, token)
        elif opener == "[":
            found = _item(text, at, token)
        else:
            found = None
        if found is None:  # the nearest enclosing value, never its key
            return at
        key_at, at = found
    return key_at if at_key and key_at is not None else at


def _member(text: str, at: int, name: str) -> tuple[int, int] | None:
    """(key, value) offsets of member `name` of the object opening at `at`. Every key of the
    object is read: one json-source-map would name otherwise makes the walk unsure."""
    found = None
    at = _SPACE.match(text, at + 1).end()
    if text[at] == "}":
        return None
    while True:
        key_at = at
        key, at = _STRING(text, at + 1)
        if "\\" in text[key_at:at] or "/" in key:
            raise _Unsure
        at = _SPACE.match(text, at).end() + 1  # the colon
        at = _SPACE.match(text, at).end()
        if key == name:
            found = (key_at, at)
        at = _SPACE.match(text, _SCAN(text, at)[1]).end()
        if text[at] != ",":
            return found
        at = _SPACE.match(text, at + 1).end()


def _item(text: str, at: int, token: str) -> tuple[None, int] | None:
    """(None, value offset) of item `token` of the array opening at `at`."""
    if not token.isdigit() or (token != "0" and token.startswith("0")):
        return None
    index = int(token)
    at = _SPACE.match(text, at + 1).end()
    if text[at] == "]":
        return None
    for _ in range(index):
        at = _SPACE.match(text, _SCAN(text, at)[1]).end()
        if text[at] != ",":
            return None
        at = _SPACE.match(text, at + 1).end()
    return None, at


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
