"""The strict parse's quickest way, for a run of many files: orjson reads the text, and the
file is taken only when the strict parse (`loading._strict_loads` and
`loading._check_depth_and_sizes`) would take it and read it to the same value; anything else
goes the json module's way (`loading._plainly_within`), and what that doubts the careful way,
which names the fault. So no refusal, message, line or column comes from here.

orjson makes the objects in about half the time `json.loads` takes. It refuses what JSON does
not allow (NaN and Infinity, a lone surrogate, a control character in a text, trailing text,
a byte-order mark, invalid UTF-8): those go the other ways. What it takes but the strict parse
would not, or would read otherwise, is ruled out here:

- a repeated key, whose first value orjson drops without a word. The text is compared with
  orjson's own indented writing of what it read (`written_as_read`), which is how
  `protokit fmt` and most editors write a file: a text holding a member that was dropped
  cannot be the writing of what is left. Other texts count their keys instead, as the json
  module's way does: the colons of the skeleton, one a key, against the members read;
- a number the strict parse refuses or reads as another type: an integer beyond the limit
  (orjson reads one beyond 64 bits as a float) and any float, which the strict parse reads
  from its token (`2.0` becomes the whole number 2, a float that does not keep its digits is
  refused). A float is read here only from a text written as orjson writes it, where its
  token is orjson's writing of it, given to the strict parse's own number hook;
- nesting, sizes and lengths beyond the limits. The data is gone through a level at a time
  by `gc.get_referents` (what each object and array holds, in one call a level): the levels
  that hold anything are the depth of nesting or one more (the values of the deepest
  containers), so at most `max_depth` of them is within the limit, as in the json module's
  way; the values of all levels bound every object's and array's size.

orjson's import brings dataclasses, inspect and uuid with it, tens of milliseconds: worth it
only in a run of many files, so `loading` imports this module once a process has parsed that
many (`loading.QUICK_READ_AFTER`), and never for one file.
"""

from __future__ import annotations

from gc import get_referents
from typing import Any

import orjson

from protocol_kit.loading import (
    Limits,
    _may_hold_long_text,
    _NumberPolicy,
    _skeleton,
    _TooLarge,
)


def read(
    text: str, limits: Limits, number: _NumberPolicy, utf8: bytes | None = None
) -> dict[str, Any] | None:
    """The object `text` holds, as the strict parse reads it, when it plainly takes it; else
    None (another way then judges it). `utf8`, when given, is `text`'s UTF-8 (the bytes it
    was decoded from), which is then not made again."""
    raw = text.encode("utf-8", "surrogatepass") if utf8 is None else utf8
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not dict or _may_hold_long_text(raw, len(text), limits.max_string):
        return None
    values = 0
    floats = False
    level: list[Any] = [data]
    for _ in range(limits.max_depth):
        level = get_referents(*level)
        if not level:
            break
        values += len(level)
        kinds = set(map(type, level))
        if int in kinds and max([abs(v) for v in level if type(v) is int]) > number.largest:
            return None
        floats = floats or float in kinds
    else:
        return None  # values inside `max_depth` containers: perhaps nested too deep
    # An object or array of more members than the limit has more values than that.
    if values > limits.max_items:
        return None
    if written_as_read(raw, data):
        return _floats_as_written(data, number) if floats else data
    if floats or _members(data) != _skeleton(raw).count(b":"):
        return None
    return data


def written_as_read(raw: bytes, data: dict[str, Any]) -> bool:
    """Whether `raw` is exactly orjson's indented writing of `data`, with or without a last
    line break: then every key and value of the text is in `data`, each number written as
    orjson writes it."""
    try:
        written = orjson.dumps(data, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:  # nested deeper than orjson writes
        return False
    if len(raw) == len(written) + 1:
        return raw.endswith(b"\n") and raw.startswith(written)
    return raw == written


def _floats_as_written(data: dict[str, Any], number: _NumberPolicy) -> dict[str, Any] | None:
    """`data` with each float read again by the strict parse's hook from its token (orjson's
    writing of it, which is the text's: `written_as_read`), in place; None when the hook
    refuses one."""
    pending: list[Any] = [data]
    try:
        while pending:
            container = pending.pop()
            places = container.items() if type(container) is dict else enumerate(container)
            for place, value in places:
                if type(value) is float:
                    # Same keys, new values: the object does not change size while it is read.
                    container[place] = number.real(orjson.dumps(value).decode("ascii"))
                elif type(value) is dict or type(value) is list:
                    pending.append(value)
    except _TooLarge:
        return None
    return data


def _members(data: dict[str, Any]) -> int:
    """The members of all the objects in `data`, counted a level at a time."""
    members = 0
    level: list[Any] = [data]
    while level:
        members += sum([len(value) for value in level if type(value) is dict])
        level = get_referents(*level)
    return members
