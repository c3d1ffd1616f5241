"""The canonical layout of protocol-kit JSON files (`protokit fmt`, and every save of the
workbench).

One layout for every file, so that a diff shows what changed and nothing else: two-space
indentation, one member or item per line, the keys in the order the author wrote them (the
`$schema` line stays where it is, normally first), numbers exactly as written (`1.50` stays
`1.50`: a formatter must not change a dosage's digits), text as UTF-8 characters, except those a
reader cannot see (control and formatting characters such as a right-to-left override or a
zero-width space, and the others Unicode calls default-ignorable, such as the variation selector
U+FE0F: `unseen_characters.json`), which are written as `\\u` escapes so that a reviewer sees
them in the diff; no byte-order mark, `\\n` line ends and one final newline. A space that is
not U+0020 (a no-break space) shows as a space and is written as it is.

The text is first read as strictly as `protokit validate` reads it (duplicate keys, `NaN`,
invalid UTF-8, limits): a file that is not strict JSON is not formatted, and the problem is
reported with its line and column.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from protocol_kit.loading import Limits, decode, parse

INDENT = "  "


@dataclass(frozen=True, slots=True)
class _Number:
    """A number token as the author wrote it."""

    token: str


def canonical_text(text: str, limits: Limits = Limits()) -> str:
    """`text` (one JSON object) in the canonical layout. Raises loading.JsonProblem (with line
    and column) when the text is not strict JSON."""
    return _value(_strict_data(text, limits), 0) + "\n"


def migrated_text(text: str, limits: Limits = Limits()) -> tuple[str, tuple[str, ...]]:
    """`text` in the canonical layout with its retired fields written as today's format has
    them (`protokit fmt --migrate`), and what was changed, in words."""
    from protocol_kit.formatting.migration import migrate

    data = _strict_data(text, limits)
    changes = migrate(data)
    return _value(data, 0) + "\n", changes


def _strict_data(text: str, limits: Limits) -> Any:
    parse(text, limits)  # the strict reading: the same refusals as `protokit validate`
    return json.loads(text, parse_int=_Number, parse_float=_Number)


def canonical_bytes(raw: bytes, limits: Limits = Limits()) -> bytes:
    """Raw file content (UTF-8, a byte-order mark allowed) in the canonical layout."""
    return canonical_text(decode(raw), limits).encode("utf-8")


def dumps(data: Any) -> str:
    """Data (as built in memory, for example from a form) in the canonical layout."""
    return _value(data, 0) + "\n"


def _value(value: Any, depth: int) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = INDENT * (depth + 1)
        members = [f"{inner}{_string(str(k))}: {_value(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(members) + "\n" + INDENT * depth + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = INDENT * (depth + 1)
        items = [inner + _value(item, depth + 1) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + INDENT * depth + "]"
    if isinstance(value, _Number):
        return value.token
    if isinstance(value, str):
        return _string(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return json.dumps(value, allow_nan=False)
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _string(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    if all(_visible(c) for c in text):
        return quoted
    return "".join(c if _visible(c) else _escaped(c) for c in quoted)


def _visible(character: str) -> bool:
    # Cc: control characters (json.dumps escapes most of them already); Cf: formatting ones
    # (bidi overrides, zero-width space and joiners, soft hyphen); Zl/Zp: the line and
    # paragraph separators some editors treat as line ends; then the letters and marks that
    # show as nothing (U+FE0F after an emoji: written raw, a diff showed no change, H1346).
    if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
        return character in "\n\t"
    return character.isascii() or ord(character) not in _unseen()


@functools.cache
def _unseen() -> frozenset[int]:
    from protocol_kit.package_data import read_json

    listed = read_json("protocol_kit.formatting", "unseen_characters.json")["ranges"]
    return frozenset(
        code for first, last in listed for code in range(int(first, 16), int(last, 16) + 1)
    )


def _escaped(character: str) -> str:
    code = ord(character)
    if code > 0xFFFF:  # outside the basic plane: a surrogate pair, as JSON writes it
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"
