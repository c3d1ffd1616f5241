"""Reading TOML files as people save them: the one place every TOML file is decoded.

TOML is UTF-8, but the files protokit reads (the trust file, `protokit.toml`, `pyproject.toml`)
are often saved by tools that do otherwise: Windows PowerShell 5.1 writes `protokit keys show
... > trust.toml` as UTF-16 with a byte order mark, and Notepad may start a UTF-8 file with one.
Those encodings are recognised by their byte order mark and decoded before parsing; any other
bytes that are not UTF-8 are one error naming the file, saying to save it as UTF-8.

The reading limits of `protocol_kit.loading` apply here too, for what TOML lets a file say: `nan`
(a number every comparison is false with) and `inf` (a number nothing reaches) are refused, as
a dosage bound or a rule's option either would turn a safety check off without a word; so are
an integer of thousands of digits (Python refuses to convert it) and nesting deeper than any
configuration needs (the parser would run out of stack). Each is one error naming the file,
never an internal error.
"""

from __future__ import annotations

import codecs
import math
from collections.abc import Sequence
from pathlib import Path

from protocol_kit.errors import Place, ProtokitError
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.untrusted.files import open_regular

if TYPE_CHECKING:
    from typing import Any

# A configuration or trust file is a few kilobytes; this only keeps a wrong path (a video, a
# device) from being read whole.
MAX_TOML_BYTES = 4 * 1024 * 1024

# No configuration or trust file nests tables or arrays more than a few levels deep.
MAX_TOML_DEPTH = 16

# Byte order marks and their encodings, longest first (no TOML file starts with a NUL byte, so
# UTF-32 needs no special case: its BOM is refused as not UTF-8).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_toml(raw: bytes, where: str, error: type[ProtokitError]) -> str:
    """The text of a TOML file: UTF-8, with or without a byte order mark, or UTF-16 with one."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raw, encoding = raw[len(bom) :], name
            break
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise error.at(
            Place(where),
            "is not readable text (not UTF-8, nor UTF-16 with a byte order mark): save it as UTF-8",
        ) from None


def read_toml_text(path: Path, error: type[ProtokitError], what: str = "") -> str:
    """The decoded text of the TOML file at `path`; `error` (naming the file) when it cannot be
    read. `what` names the file in messages ("the trust file")."""
    label = f" {what}" if what else ""
    try:
        with open_regular(path) as handle:
            raw = handle.read(MAX_TOML_BYTES + 1)
    except OSError as problem:
        unread = f"cannot read{label}: {problem.strerror or problem}"
        raise error.at(Place(str(path)), unread) from None
    if len(raw) > MAX_TOML_BYTES:
        # ("not a the trust file" when a name was given)
        too_large = (
            f"is larger than {MAX_TOML_BYTES:,} bytes: too large to be {what or 'a TOML file'}"
        )
        raise error.at(Place(str(path)), too_large)
    return decode_toml(raw, str(path), error)


def parse_toml(text: str, where: str, error: type[ProtokitError], what: str = "") -> dict[str, Any]:
    """The table in `text`; `error` naming the file and place of a syntax mistake."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    label = f"{what} is " if what else ""
    deep = _deep_key(text)
    if deep is not None:
        raise error.at(Place(where, *deep), f"{label}not usable: {_too_deep}")
    try:
        table = tomllib.loads(text, parse_float=_finite)
    except tomllib.TOMLDecodeError as problem:
        hint = _unquoted_text(text, str(problem))
        place, said = syntax_error_place(text, str(problem))
        raise error.at(Place(where, *place), f"{label}not valid TOML: {said}{hint}") from None
    except _NotANumber as refused:
        token = refused.args[0].lstrip("+-")
        if token == "nan":
            why = "nan, which is not a number (every comparison with it is false"
        else:  # inf, or a number too large for a float (1e400): a limit nothing reaches
            why = f"{token}, which is infinite (no number reaches it"
        raise error.at(
            Place(where, *_place_of(text, token)),
            f"{label}not usable: it holds {why}, so a limit set to it would check nothing)",
        ) from None
    except ValueError:  # an integer too long to convert ("Exceeds the limit (4300 digits)")
        raise error.at(
            Place(where), f"{label}not usable: it holds a number thousands of digits long"
        ) from None
    except RecursionError:
        raise error.at(Place(where), f"{label}not usable: {_too_deep}") from None
    if _depth(table) > MAX_TOML_DEPTH:
        raise error.at(Place(where), f"{label}not usable: {_too_deep}")
    return table


def position_of(lines: Sequence[str], target: Sequence[str]) -> tuple[int, int, int] | None:
    """Where the key `target` (its parts: `["lint", "select"]`; an entry of an array of tables
    by its index from 0: `["key", "1", "fingerprint"]`) is written in a TOML file's `lines`:
    its line, the column of the key and that of its value (both the header's for a table),
    or None when it cannot be found. The parser gives no positions, so the lines are read for
    table headers and `key =` assignments; a key that is not there (a missing one) is placed
    at its table."""
    places: dict[tuple[str, ...], tuple[int, int, int]] = {}
    table: list[str] = []
    counted: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(lines, 1):
        text = line.strip()
        start = len(line) - len(line.lstrip()) + 1
        if text.startswith("["):
            array = text.startswith("[[")
            table = _key_parts(text.strip("[]"))
            for depth in range(1, len(table) + 1):  # [a.b] also places a
                places.setdefault(tuple(table[:depth]), (number, start, start))
            if array:  # [[key]]: the first is key.0, the next key.1
                index = counted.get(tuple(table), 0)
                counted[tuple(table)] = index + 1
                table = [*table, str(index)]
                places.setdefault(tuple(table), (number, start, start))
        elif "=" in text and not text.startswith("#"):
            key, _, value = line.partition("=")
            value_column = len(key) + 1 + (len(value) - len(value.lstrip())) + 1
            places.setdefault(tuple(table + _key_parts(key)), (number, start, value_column))
    for depth in range(len(target), 0, -1):
        if tuple(target[:depth]) in places:
            return places[tuple(target[:depth])]
    return None


def _key_parts(key: str) -> list[str]:
    return [part.strip().strip("\"'") for part in key.split(".")]


_too_deep = f"its tables or arrays are nested deeper than {MAX_TOML_DEPTH} levels"


class _NotANumber(ValueError):
    pass


def _finite(token: str) -> float:
    """A TOML float, refused when it is nan or infinite (`inf`, or `1e400`): as a dosage
    bound or a rule's option either turns a safety check off without a word (H216)."""
    value = float(token)
    if value != value or value in (math.inf, -math.inf):
        raise _NotANumber(token)
    return value


def _unquoted_text(text: str, problem: str) -> str:
    """How to write the value of the line a syntax error names, when it is text written
    without quotes (`phone = 0113 496 0000`, `name = Northside`): the parser's "Expected
    newline or end of document after a statement" told a therapist nothing. "" otherwise."""
    import re

    found = re.search(r"at line (\d+)", problem)
    lines = text.splitlines()
    if not found or not 1 <= int(found.group(1)) <= len(lines):
        return ""
    written = re.fullmatch(
        r"\s*([A-Za-z0-9_-]+)\s*=\s*([^\s\"'\[{#][^\"'#]*?)\s*(#.*)?",
        lines[int(found.group(1)) - 1],
    )
    if not written:
        return ""
    key, value = written.group(1), written.group(2)
    number = r"[+-]?(0|[1-9][0-9_]*)(\.[0-9_]+)?([eE][+-]?[0-9_]+)?"
    if value in ("true", "false") or re.fullmatch(number, value):
        return ""  # a value TOML reads: the mistake is elsewhere on the line
    return f': if this is text, put it in quotes: {key} = "{value}"'


def _place_of(text: str, token: str) -> tuple[int, int] | tuple[()]:
    """The line and column of the number `token` written as a value, () when it is not found."""
    import re

    found = re.search(rf"(?:=|[\[,])\s*(?P<number>[+-]?{re.escape(token)})\b", text)
    return _line_and_column(text, found.start("number")) if found else ()


def _line_and_column(text: str, index: int) -> tuple[int, int]:
    """The line and column of the character at `index`, for a message's place (error paths
    only)."""
    from protocol_kit.jsontext.positions import line_column

    return line_column(text, index)


def syntax_error_place(text: str, problem: str) -> tuple[tuple[int, int] | tuple[()], str]:
    """The line and column of the TOML parser's error `problem` (() when it gives none) and its
    words without the place, so that the message starts `FILE:LINE:COLUMN:` as JSON's do and
    an editor jumps there. The
    parser says "(at end of document)" for a string, list or inline table never closed: the
    place is then where it starts (else the document's last character)."""
    import re

    found = re.search(r" \(at line (\d+), column (\d+)\)$", problem)
    if found:
        return (int(found.group(1)), int(found.group(2))), problem[: found.start()]
    if not problem.endswith(" (at end of document)"):
        return (), problem
    said = problem.removesuffix(" (at end of document)")
    opened = _left_open(text)
    if opened is None:
        last = max(len(text.rstrip()) - 1, 0)
        return _line_and_column(text, last), f"{said} at the end of the file"
    index, what = opened
    return _line_and_column(text, index), f"{said}: the {what} that starts here is never closed"


_OPENED = {"[": "list", "{": "inline table"}


def _left_open(text: str) -> tuple[int, str] | None:
    """Where the string, list or inline table that a TOML text leaves open starts, and which
    it is: a string is open when its line (or, written with three quotes, the text) ends
    before its closing quote. A plain reading of quotes, escapes, comments and brackets, for
    a text the parser has refused already."""
    opened: list[int] = []
    index, end = 0, len(text)
    while index < end:
        char = text[index]
        if text.startswith(('"""', "'''"), index):
            close = _closing(text, index + 3, text[index : index + 3], escapes=char == '"')
            if close < 0:
                return index, "text in three quotes"
            index = close + 3
            while index < min(end, close + 5) and text[index] == char:  # up to two quotes
                index += 1  # before the closing three belong to the text ('a""""' is 'a""')
            continue
        if char in "\"'":
            close = _closing(text, index + 1, char, escapes=char == '"', line=True)
            if close < 0:
                return index, "text in quotes"
            index = close + 1
            continue
        if char == "#":
            index = text.find("\n", index)
            if index < 0:
                break
        elif char in "[{":
            opened.append(index)
        elif char in "]}" and opened:
            opened.pop()
        index += 1
    return (opened[0], _OPENED[text[opened[0]]]) if opened else None


def _closing(text: str, start: int, quote: str, *, escapes: bool, line: bool = False) -> int:
    """The index of the `quote` that closes a string whose text starts at `start`; -1 when the
    text (or its line, for a one-line string) ends first. A backslash escapes the next
    character in a basic string (in double quotes)."""
    index = start
    while index < len(text):
        if escapes and text[index] == "\\":
            index += 2
        elif text.startswith(quote, index):
            return index
        elif line and text[index] == "\n":
            return -1
        else:
            index += 1
    return -1


def _deep_key(text: str) -> tuple[int, int] | None:
    """The line and column of a key or a table's name of more dotted parts than MAX_TOML_DEPTH
    allows, which would be nested too deep anyway: found before the file is parsed, as
    tomllib's time grows with the square of a key's parts (`a.a.a...b = 1` of 20,000 parts,
    40 KB, had not ended after a minute; H1617). The dots of a line before its `=` (all of a
    table's line) are counted, but for those in quotes."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if "=" in stripped:
            head = stripped.split("=", 1)[0]
        elif stripped.startswith("["):
            head = stripped
        else:
            continue
        if head.count(".") > MAX_TOML_DEPTH and _unquoted(head).count(".") > MAX_TOML_DEPTH:
            return number, len(line) - len(stripped) + 1
    return None


def _unquoted(head: str) -> str:
    """`head` without its text in quotes, whose dots are not a key's (looked at only for a
    line of many dots: no pattern compiled at every start)."""
    import re

    return re.sub(r""""[^"\n]*"|'[^'\n]*'""", "", head)


def _depth(value: Any) -> int:
    """How deeply tables and arrays nest in `value` (a walk with its own stack: no recursion)."""
    deepest, pending = 0, [(value, 0)]
    while pending:
        item, depth = pending.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
    return deepest


def read_toml(path: Path, error: type[ProtokitError], what: str = "") -> dict[str, Any]:
    """Read, decode and parse the TOML file at `path` (see the module's docstring)."""
    return parse_toml(read_toml_text(path, error, what), str(path), error, what)
