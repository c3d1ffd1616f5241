"""Strict JSON reading, and line/column lookup for the files that fail.

A protocol that is silently misread is a safety hazard: a duplicated key would drop one of two
dosages without a word. So the reader refuses anything the JSON standard leaves ambiguous or that
Python's `json` would accept by leniency: duplicate keys, `NaN`/`Infinity`, invalid UTF-8, a
document that is not an object, absurd nesting and oversized files.

`Limits` is the one policy for sizes, counts and numbers, applied here, as a file is read, so
that no later step (the schema check, the rules, the sheet, an import) ever meets a value it
cannot handle: a file is refused, with the line and column of the offending value, when it is
too large, nested too deep, holds a text or key longer than any patient text can be, an array
or object with more members than any protocol needs, or a number too large to be a dosage, a
count or a size (an integer of thousands of digits, a float that overflows to infinity).

Parsing is the hot path of `protokit validate`: valid files pay only for `json.loads` with two
small hooks and one walk for depth. Locations are computed (with json-source-map) only when a file
has something to report.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import sys
from collections.abc import Iterator
from gc import get_referents
from pathlib import Path

from protocol_kit.errors import InputError
from protocol_kit.findings import shown
from protocol_kit.jsontext.pointers import escape_token, pointer_tokens
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.patterns import compiled_as_is
from protocol_kit.record import Record, init
from protocol_kit.untrusted.files import FileTooLarge, kind_of, read_opened, read_whole

if TYPE_CHECKING:
    from typing import Any

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
# The most `--max-depth` accepts: Python's JSON parser runs out of stack near 1,000 levels.
DEEPEST_MAX_DEPTH = 500
# json-source-map descends by recursion, two Python frames a level, so a document nested as
# deep as DEEPEST_MAX_DEPTH needs more frames than Python's default limit of 1,000 leaves (its
# findings had no line and column from about 496 levels): the limit is raised while the map is
# made. Python's own calls do not use the C stack, so the higher limit is safe.
_SOURCE_MAP_FRAMES = 2 * DEEPEST_MAX_DEPTH + 100
# The longest patient text is a few hundred words; a text ten times longer is a mistake (a
# pasted document, a file written by a program gone wrong), and a single word that long cannot
# be laid out on a sheet in reasonable time.
DEFAULT_MAX_STRING = 10_000
# The largest arrays of a protocol (exercises, steps, translations) hold tens of items.
DEFAULT_MAX_ITEMS = 1_000
# No number in a protocol-kit file (a dosage, a count, a band, a size in a manifest) comes near
# a billion; an integer longer than this many digits is not converted at all.
DEFAULT_MAX_NUMBER = 10**9
STDIN_NAME = "-"
_BOM = "\ufeff"
_BOM_UTF8 = _BOM.encode("utf-8")


class Limits(Record):
    """Bounds on what the reader accepts: the file's size in bytes, the depth of nesting, the
    characters in one text or key, the members of one array or object, and the magnitude of a
    number. Size and depth can be raised from the command line, by the commands that offer
    `--max-bytes` and `--max-depth` (`raisable`): only their refusals advise raising them."""

    __slots__ = ("max_bytes", "max_depth", "max_string", "max_items", "max_number", "raisable")
    max_bytes: int
    max_depth: int
    max_string: int
    max_items: int
    max_number: int
    raisable: bool

    def __init__(
        self,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_depth: int = DEFAULT_MAX_DEPTH,
        max_string: int = DEFAULT_MAX_STRING,
        max_items: int = DEFAULT_MAX_ITEMS,
        max_number: int = DEFAULT_MAX_NUMBER,
        raisable: bool = False,
    ) -> None:
        init(self, "max_bytes", max_bytes)
        init(self, "max_depth", max_depth)
        init(self, "max_string", max_string)
        init(self, "max_items", max_items)
        init(self, "max_number", max_number)
        init(self, "raisable", raisable)

    def advice(self, option: str) -> str:
        """What a refusal adds about raising the limit `option` sets: nothing where the
        command has no such option (the advice would send the user looking for it)."""
        return f" (raise it with {option} if the file is genuine)" if self.raisable else ""


class JsonProblem(Exception):
    """Why a file is not a readable JSON object, and where (1-based; None when unknown)."""

    def __init__(
        self,
        code: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
        pointer: str = "",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.pointer = pointer

    def at(self, name: str) -> str:
        """The one-line refusal of the file `name`: where (when known), then why."""
        where = f":{self.line}:{self.column}" if self.line else ""
        return f"{name}{where}: {self.message}"


class Document(Record):
    """A parsed JSON object together with the text it came from (for locating findings)."""

    __slots__ = ("name", "data", "text")
    name: str
    data: dict[str, Any]
    text: str

    def __init__(self, name: str, data: dict[str, Any], text: str) -> None:
        init(self, "name", name)
        init(self, "data", data)
        init(self, "text", text)


def read_bytes(path: str, limits: Limits) -> bytes:
    """Read a file (or stdin for `-`), refusing one larger than `limits.max_bytes`.

    Raises InputError when the file cannot be read, JsonProblem when it is too large.
    """
    try:
        if path == STDIN_NAME:
            if sys.stdin is None:  # started with standard input closed (`0<&-`)
                raise InputError("-: cannot read: standard input is closed")
            raw = _read_at_most(sys.stdin.buffer, limits.max_bytes + 1)
        else:
            # A buffer of the file's size (and one byte to see if it grew), not of the limit:
            # reading a 5 kB file must not allocate 2 MiB.
            raw = read_whole(path, limits.max_bytes)
    except FileTooLarge as large:
        raise _too_large(large.size, limits) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(f"{path}: cannot read: {reason}") from None
    if len(raw) > limits.max_bytes:
        raise _too_large(len(raw), limits)
    return raw


def read_opened_file(descriptor: int, name: str, limits: Limits) -> bytes:
    """`read_bytes` of the file opened already as `descriptor` (named `name` in messages),
    which must be a regular file: read by the descriptor, not by a path that may lead
    elsewhere by now (H1523)."""
    try:
        status = os.fstat(descriptor)
        what = kind_of(status.st_mode)
        if what:
            raise InputError(f"{name}: cannot read: {what}")
        raw = read_opened(descriptor, status, limits.max_bytes)
    except FileTooLarge as large:
        raise _too_large(large.size, limits) from None
    except OSError as error:
        raise InputError(f"{name}: cannot read: {error.strerror or error}") from None
    if len(raw) > limits.max_bytes:
        raise _too_large(len(raw), limits)
    return raw


def _read_at_most(stream: Any, count: int) -> bytes:
    """Up to `count` bytes of `stream`, read a mebibyte at a time: `read(count)` sets aside
    `count` bytes first, and `--max-bytes` of 10**19 was `internal error: MemoryError` (or
    OverflowError) on standard input before a byte was read (H218)."""
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = stream.read(min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


_CHUNK = 1 << 20


def _too_large(size: int, limits: Limits) -> JsonProblem:
    return JsonProblem(
        "JSON007",
        f"file is {size:,} bytes, over the limit of {limits.max_bytes:,}"
        + limits.advice("--max-bytes"),
    )


# Files a clinic has beside its protocols that are not JSON text at all, by their first bytes:
# a bundle given to `render` or `validate` was "not valid UTF-8" at some line deep inside the
# archive, which told the receiving clinic nothing about what to do (H434).
_NOT_JSON = (
    (
        b"PK\x03\x04",
        "a ZIP archive, such as a protocol bundle (.pkb), not a JSON file: read a bundle with"
        " `protokit bundle inspect`, check it with `protokit bundle verify`, and add its protocols"
        " to a folder with `protokit bundle import BUNDLE --into FOLDER`",
    ),
    (b"%PDF-", "a PDF (a printed sheet?), not a JSON file: give the protocol's .json file"),
    (b"\x89PNG", "a PNG picture, not a JSON file: give the protocol's .json file"),
    (b"\xff\xd8\xff", "a JPEG picture, not a JSON file: give the protocol's .json file"),
)


_NOT_JSON_SIGNATURES = tuple(signature for signature, _ in _NOT_JSON)


def decode(raw: bytes) -> str:
    """UTF-8 to text; a leading byte-order mark is allowed and dropped."""
    if raw.startswith(_NOT_JSON_SIGNATURES):  # one question for all (issue 17)
        for signature, what in _NOT_JSON:
            if raw.startswith(signature):
                raise JsonProblem("JSON004", f"the file is {what}", 1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_column(raw[: error.start].decode("utf-8", "replace"))
        hint = _wide_hint(raw)
        raise JsonProblem(
            "JSON004",
            f"not valid UTF-8: byte 0x{raw[error.start]:02x} cannot start a character here{hint}",
            line,
            column,
        ) from None
    if "\x00" in text:
        # Valid UTF-8, but JSON text never holds a NUL: UTF-16 saved without a byte-order mark.
        line, column = _line_column(text[: text.index("\x00")])
        hint = _wide_hint(raw)
        raise JsonProblem(
            "JSON004", f"the file holds a NUL byte, which JSON text never does{hint}", line, column
        )
    return text[1:] if text.startswith(_BOM) else text


def _wide_hint(raw: bytes) -> str:
    """What to say of a file that looks saved in UTF-32 or UTF-16 (by its byte-order mark, or
    by the NUL bytes ASCII gets in them), or nothing. UTF-32's mark starts with UTF-16's: a
    UTF-32 file was called UTF-16 (H235)."""
    head = raw[:4]
    if head in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or (
        len(head) == 4 and (head[1:] == b"\x00\x00\x00" or head[:3] == b"\x00\x00\x00")
    ):
        found = "UTF-32"
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(raw) > 1 and b"\x00" in head):
        found = "UTF-16"
    else:
        return ""
    return f" (the file looks like {found}: save it as UTF-8)"


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


class _NonFinite(Exception):
    def __init__(self, token: str) -> None:
        self.token = token


def _refuse_constant(token: str) -> Any:
    raise _NonFinite(token)


class _TooLarge(Exception):
    def __init__(self, token: str) -> None:
        self.token = token


class _TooPrecise(_TooLarge):
    """A number with more digits than a float keeps: read as another number."""


class _TooSmall(_TooLarge):
    """A number nearer zero than any dose, count or angle: `1e-320` is kept as written, but a
    hold of it printed its 322 digits on the sheet and in every message quoting it."""


# A number of at most 15 significant digits and no exponent always reads back as written (IEEE
# 754 double, DBL_DIG); its token is then at most 16 characters (with its point), so only
# longer tokens, and any with an exponent (`1e-400` reads as 0), are looked at closely.
_ALWAYS_KEPT = 16


def _kept_as_written(token: str, value: float) -> bool:
    """Whether `value` is the number `token` says (`2.9999999999999999999` reads as 3, and
    `1e-400` as 0: the sheet would print another number than the therapist wrote)."""
    from decimal import Decimal, InvalidOperation  # only for the rare long token

    try:
        return Decimal(token) == Decimal(repr(value))
    except InvalidOperation:
        # An exponent of more digits than `decimal` takes (`0e-99999999999999999999`): the
        # double is 0 or the run stopped before (too large), so the token says the same
        # number only when every digit before its exponent is 0. It was an internal error.
        written = re.split("[eE]", token, maxsplit=1)[0]
        return value == 0 and not written.strip("+-.0")


def number_text(value: float) -> str:
    """A number read from a file as a person reads it: every digit it was written with, in
    plain decimal form. Python's `:g` keeps six digits and switches to an exponent (a hold of
    0.00001 s printed "1e-05 s", a score of 1234.567 "1234.57", of 1000000 "1e+06"), `str`
    switches to an exponent too; the shortest text that reads back as the value (`repr`) is
    what the file said, since JSON011 refuses a number a double does not keep as written."""
    if isinstance(value, int) or value.is_integer():
        return str(int(value))  # also -0.0, and 2.0 written with a point: "0", "2"
    from decimal import Decimal

    return format(Decimal(repr(value)), "f")


class _NumberPolicy:
    """`json.loads` hooks that refuse a number beyond `largest` in magnitude, an integer
    before it is converted (Python refuses to convert more than 4,300 digits, and converting
    fewer is already slow), a float that overflows to infinity, and one other than 0 nearer
    zero than 1 / `largest` (H425)."""

    def __init__(self, largest: int) -> None:
        self.largest = largest
        self.smallest = 1 / largest  # nearest zero a number but 0 may be, the mirror image
        self.digits = len(str(largest)) + 1  # and a minus sign

    def integer(self, token: str) -> int:
        if len(token) > self.digits or abs(value := int(token)) > self.largest:
            raise _TooLarge(token)
        return value

    def real(self, token: str) -> float | int:
        value = float(token)
        if not math.isfinite(value) or abs(value) > self.largest:
            raise _TooLarge(token)
        if value and abs(value) < self.smallest:
            raise _TooSmall(token)
        if (len(token) > _ALWAYS_KEPT or "e" in token or "E" in token) and not _kept_as_written(
            token, value
        ):
            raise _TooPrecise(token)
        # JSON has one kind of number: `2.0` is the number 2, which the schemas accept where a
        # whole number belongs. Kept a Python float it printed as "2.0 sets" on the sheet.
        return int(value) if value.is_integer() else value


@functools.lru_cache(maxsize=8)
def _number_policy(largest: int) -> _NumberPolicy:
    """The number hooks for `largest`, made once (they keep nothing of a file): a run's
    files all have the same limits."""
    return _NumberPolicy(largest)


def _number_message(token: str, limits: Limits, refusal: type[_TooLarge]) -> str:
    digits = sum(character.isdigit() for character in token)
    shown_token = token if len(token) <= 24 else f"a number of {digits:,} digits"
    if refusal is _TooPrecise:
        return (
            f"{shown_token} cannot be kept as written: it would be read as "
            f"{repr(float(token)).removesuffix('.0')}; write it with at most 15 significant digits"
        )
    if refusal is _TooSmall:
        return (
            f"{shown_token} is too small: no number in a protocol-kit file but 0 is nearer "
            f"zero than {number_text(1 / limits.max_number)}"
        )
    return (
        f"{shown_token} is too large: no number in a protocol-kit file is above "
        f"{limits.max_number:,}"
    )


def _locate_number(
    text: str, token: str, limits: Limits, refusal: type[_TooLarge] = _TooLarge
) -> JsonProblem:
    message = _number_message(token, limits, refusal)
    code = "JSON011" if refusal is _TooPrecise else "JSON009"
    policy = _NumberPolicy(limits.max_number)

    def marked(check: Any) -> Any:
        def hook(value: str) -> Any:
            try:
                return check(value)
            except _TooLarge:
                return _Marker()

        return hook

    try:
        data = json.loads(
            text,
            parse_int=marked(policy.integer),
            parse_float=marked(policy.real),
            parse_constant=lambda _: None,
        )
    except (ValueError, RecursionError):
        return JsonProblem(code, message)
    pointer = _find_marker(data)
    if pointer is None:
        return JsonProblem(code, message)
    line, column = locate(text, pointer)
    if line is None:  # json-source-map cannot read the number either: find it in the text
        found = re.search(rf"(?<![\w.\"]){re.escape(token)}(?![\w.])", text)
        line, column = _line_column(text[: found.start()]) if found else (None, None)
    return JsonProblem(code, message, line, column, pointer)


# Strings (skipped whole, unrolled so a long one is one run of C), brackets and commas: the
# structure of a text, read without parsing it (how deep it nests, how many values it holds).
_STRUCTURE = compiled_as_is(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]')


def _too_deep(text: str, limits: Limits) -> JsonProblem:
    """JSON006 at the bracket that opens the first level beyond the limit."""
    message = f"nested deeper than the limit of {limits.max_depth} levels" + limits.advice(
        "--max-depth"
    )
    depth = 0
    for match in _STRUCTURE.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > limits.max_depth:
                return JsonProblem("JSON006", message, *_line_column(text[: match.start()]))
        elif bracket in "]}":
            depth -= 1
    return JsonProblem("JSON006", message)


# More values than any protocol-kit file or export holds (an export's size is its pictures'
# texts): each value takes tens of bytes of memory once parsed, so 256 MB of `{},` (a FHIR
# import's size limit) took gigabytes and minutes before its array was found too long (H421).
MAX_VALUES = 1_000_000


def _too_many_values(text: str, limits: Limits) -> JsonProblem | None:
    """JSON010 for a large text before it is parsed: at the first array or object with more
    members than the limit, or where the text passes `MAX_VALUES` values in all; None when
    neither (the parse then judges it as any other)."""
    openings: list[tuple[int, int]] = []  # (where each open container starts, its commas)
    values = 0
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token == ",":
            if openings:
                start, commas = openings[-1]
                openings[-1] = (start, commas + 1)
                if commas + 1 >= limits.max_items:
                    what = "an object of" if text[start] == "{" else "an array of"
                    noun = "members" if text[start] == "{" else "items"
                    message = (
                        f"{what} more than {limits.max_items:,} {noun}: more than a protocol-kit "
                        f"file holds (the limit is {limits.max_items:,})"
                    )
                    return JsonProblem("JSON010", message, *_line_column(text[:start]))
        elif token in "[{":
            openings.append((match.start(), 0))
        elif token in "]}":
            if openings:
                openings.pop()
        else:
            continue
        values += 1
        if values > MAX_VALUES:
            message = (
                f"more than {MAX_VALUES:,} values (arrays, objects and their members) by this "
                "point: more than any protocol-kit file or export holds"
            )
            return JsonProblem("JSON010", message, *_line_column(text[: match.start()]))
    return None


def _check_depth_and_sizes(text: str, data: Any, limits: Limits) -> None:
    """Refuse a document nested too deep (JSON006), then a text, key, array or object beyond
    the limits, at its place in the file (JSON010)."""
    # An array of n items has n - 1 commas outside strings, and a text or key takes at least
    # as many bytes between its quotes as it holds characters (an escape takes two or more for
    # one): files that cannot break either size limit have only their depth judged, from the
    # skeleton (the cheaper way); the others are walked once for both.
    raw = text.encode("utf-8", "surrogatepass")
    skeleton = _skeleton(raw)
    sizes = skeleton.count(b",") >= limits.max_items or _may_hold_long_text(
        raw, len(text), limits.max_string
    )
    if sizes:
        too_deep, oversized = _beyond_limits(data, limits, sizes)
    else:
        too_deep, oversized = _nested_beyond(skeleton, limits.max_depth), False
    if too_deep:
        raise _too_deep(text, limits)
    if not oversized:
        return
    pointer, at_key, message = _size_problem(data, limits)
    line, column = locate(text, pointer, key=at_key)
    raise JsonProblem("JSON010", message, line, column, pointer)


def _may_hold_long_text(raw: bytes, characters: int, max_string: int) -> bool:
    """False when no text or key of a JSON text (`raw`, its UTF-8, of `characters`
    characters) can be longer than `max_string` characters: the text is no longer than
    that, or it has no backslash (so no escaped quote, which does not end a text) and no
    quote followed by more bytes than that before the next quote."""
    if characters <= max_string:
        return False
    if b"\\" in raw:
        return True
    # A text of more than `max_string` characters is a run of more than `max_string` bytes
    # without a quote, and such a run holds a whole block of `span` bytes that starts at a
    # multiple of `span` (2 * span - 1 <= max_string + 1): when every whole block has a quote
    # (one `find` each, which stops at the first), there is no such run. Else the search
    # says (a tenth of a file's parse).
    span = (max_string + 2) // 2
    if len(raw) <= span * _BLOCKS_AT_MOST and all(
        raw.find(b'"', start, start + span) >= 0 for start in range(0, len(raw) - span + 1, span)
    ):
        return False
    return re.search(b'"[^"]{%d}' % (max_string + 1), raw) is not None


# Beyond this many blocks (a limit far below the default), the search alone is cheaper.
_BLOCKS_AT_MOST = 16


def _beyond_limits(data: Any, limits: Limits, sizes: bool) -> tuple[bool, bool]:
    """Whether `data` is nested deeper than the limit, and (when `sizes`) whether a text, key,
    array or object in it is beyond the limits. Level by level, so that the walk itself cannot
    overflow the stack. `data` comes from `json.loads`: its containers are exactly dict and
    list."""
    max_depth, max_string, max_items = limits.max_depth, limits.max_string, limits.max_items
    oversized = False
    level = [data]
    depth = 1
    while level:
        if depth > max_depth:
            return True, oversized
        below: list[Any] = []
        for value in level:
            if type(value) is dict:
                children: Any = value.values()
                if sizes and not oversized and value:
                    oversized = len(value) > max_items or max(map(len, value)) > max_string
            else:
                children = value
                if sizes and not oversized:
                    oversized = len(value) > max_items
            if sizes and not oversized:
                for child in children:
                    if type(child) is str:
                        if len(child) > max_string:
                            oversized = True
                    elif type(child) is dict or type(child) is list:
                        below.append(child)
            else:
                below += [v for v in children if type(v) is dict or type(v) is list]
        level = below
        depth += 1
    return False, oversized


# Every byte but brackets, quotes, commas and colons, to delete; an escape (`\"`, `\\`).
_NOT_STRUCTURE = bytes(range(256)).translate(None, b'[]{}",:')
_ESCAPE = re.compile(rb"\\.", re.DOTALL)


def _skeleton(raw: bytes) -> bytes:
    """The brackets, commas and colons of a JSON text (which parses; `raw` is its UTF-8) that
    are not in a string: a bracket for each container's start and end, a comma between two
    members or items, a colon after each key.

    Escapes go first, then every byte but those and quotes; what is left between quotes is a
    string's own brackets, commas and colons, removed with the string (most strings hold
    none: their two quotes meet, and go by a plain replace, which leaves every other quote
    opening or closing as before, since two strings always have a colon, comma or bracket
    between them). The rest go by cutting at the quotes and keeping every other piece."""
    if b"\\" in raw:
        raw = _ESCAPE.sub(b"", raw)
    skeleton = raw.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    if b'"' in skeleton:
        skeleton = b"".join(skeleton.split(b'"')[::2])
    return skeleton


def _nested_beyond(skeleton: bytes, max_depth: int) -> bool:
    """Whether a JSON text whose `_skeleton` this is nests containers deeper than
    `max_depth`, from its brackets alone: the same answer as walking the parsed data, at a
    fraction of the cost. Each pass removes the innermost pairs, so the passes needed to
    remove everything are the depth of nesting."""
    brackets = skeleton.translate(None, b",:")
    for _ in range(max_depth):
        if not brackets:
            return False
        # One level a pass: a pair emptied in this pass waits for the next.
        brackets = brackets.replace(b"[]", b"\0").replace(b"{}", b"\0").replace(b"\0", b"")
    return bool(brackets)


def _size_problem(data: Any, limits: Limits) -> tuple[str, bool, str]:
    """The pointer of the first value beyond the limits, whether it is a key, and why."""
    pending: list[tuple[Any, str]] = [(data, "")]
    while pending:
        value, pointer = pending.pop(0)
        if isinstance(value, str) and len(value) > limits.max_string:
            return pointer, False, _long_text(len(value), "text", limits)
        if isinstance(value, (dict, list)) and len(value) > limits.max_items:
            what = "object of" if isinstance(value, dict) else "array of"
            noun = "members" if isinstance(value, dict) else "items"
            return (
                pointer,
                False,
                (
                    f"an {what} {len(value):,} {noun}: more than a protocol-kit file holds "
                    f"(the limit is {limits.max_items:,})"
                ),
            )
        if isinstance(value, dict):
            for key, child in value.items():
                child_pointer = f"{pointer}/{escape_token(key)}"
                if len(key) > limits.max_string:
                    return child_pointer, True, _long_text(len(key), "key", limits)
                pending.append((child, child_pointer))
        elif isinstance(value, list):
            pending.extend((child, f"{pointer}/{i}") for i, child in enumerate(value))
    return "", False, "a value beyond the limits"


def _long_text(length: int, what: str, limits: Limits) -> str:
    return (
        f"a {what} of {length:,} characters: longer than any text in a protocol-kit file can be "
        f"(the limit is {limits.max_string:,})"
    )


def parse(
    text: str, limits: Limits = Limits(), name: str = "", utf8: bytes | None = None
) -> Document:
    """Parse text that must hold one JSON object; raises JsonProblem naming what and where.

    `utf8` is `text` in UTF-8 when the caller has it already (`load`: the bytes it was decoded
    from), so that the quicker reader need not encode it again (issue 17); it must be exactly
    those bytes."""
    if len(text) > limits.max_bytes:  # text read other than by read_bytes (a bundle's entry)
        raise _too_large(len(text.encode("utf-8", "surrogatepass")), limits)
    # An old Mac editor ends lines with a lone CR, which JSON counts as white space but every
    # editor shows as a line break: read it as one, so lines and columns name what the user sees.
    # Same length, and a raw CR is never inside a valid string, so no value changes.
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
        utf8 = None  # the bytes still hold the CR
    if len(text) > DEFAULT_MAX_BYTES:  # only a file allowed more (a FHIR export) can hold...
        crowded = _too_many_values(text, limits)
        if crowded is not None:
            raise crowded
    number = _number_policy(limits.max_number)
    data = _quickly(text, limits, number, utf8)
    if data is None:  # something to refuse, or that may be: the careful way names it
        data = _strict_loads(text, limits, number)
        if not isinstance(data, dict):
            raise JsonProblem(
                "JSON005",
                f"the document is {_json_type(data)}, but a protocol-kit file must be a JSON "
                "object ({ ... })",
                *_first_value_position(text),
            )
        _check_depth_and_sizes(text, data, limits)
    # Only a \uD800-\uDFFF escape can put half of a UTF-16 pair into the text (the bytes were
    # valid UTF-8); a half pair is no character, and every later step that encodes text fails.
    # Most files have no backslash at all: one search for it is a tenth of two for "\ud".
    if "\\" in text and _SURROGATE_ESCAPE.search(text):
        pointer = _find_lone_surrogate(data)
        if pointer is not None:
            raise JsonProblem(
                "JSON008",
                "a \\u escape gives half of a UTF-16 surrogate pair without its other half: "
                "that is not a character; write the character itself",
                *_lone_surrogate_place(text, pointer),
                pointer,
            )
    return Document(name=name, data=data, text=text)


# Files a process parses the json module's way before it imports the quicker reader
# (`jsontext.quick_read`): importing orjson costs as much as that way's extra time on a few
# hundred files (dataclasses, inspect and uuid come with it), so one file, or a small run,
# never imports it; a large one repays it many times over. Either way reads every file alike.
QUICK_READ_AFTER = 256
_quick_read: dict[str, Any] = {"parsed": 0, "read": None}


def expect_files(count: int) -> None:
    """Say that a run is about to parse `count` files, here or in workers forked from here:
    with at least `QUICK_READ_AFTER` of them the quicker reader is imported now, as it would
    be at that many files in one process. A worker forked afterwards starts with it and never
    parses its own first few hundred files the slower way (each worker counted its own, so a
    run on two cores paid that twice, and orjson's import in each worker); one process reads
    its first files the quicker way instead of the slower one. Either way reads every file
    alike."""
    if count >= QUICK_READ_AFTER and _quick_read["read"] is None:
        from protocol_kit.jsontext.quick_read import read

        _quick_read["read"] = read


def _quickly(
    text: str, limits: Limits, number: _NumberPolicy, utf8: bytes | None = None
) -> dict[str, Any] | None:
    """The object `text` (whose UTF-8 is `utf8`, when known) holds when a quick way plainly
    takes it as the careful way would, else None. The quicker reader's doubts go the json
    module's way (a lone surrogate, a float in a text written otherwise than orjson writes
    it)."""
    read = _quick_read["read"]
    if read is None:
        _quick_read["parsed"] += 1
        if _quick_read["parsed"] < QUICK_READ_AFTER:
            return _plainly_within(text, limits, number)
        from protocol_kit.jsontext.quick_read import read

        _quick_read["read"] = read
    data = read(text, limits, number, utf8)
    return _plainly_within(text, limits, number) if data is None else data


def _plainly_within(text: str, limits: Limits, number: _NumberPolicy) -> dict[str, Any] | None:
    """The object `text` holds when it is plainly one the careful way (`_strict_loads` and
    `_check_depth_and_sizes`) would take as it is, else None (the careful way then refuses
    it, or takes it).

    The careful way's hook on every object (a list of pairs made, then a dict, for each) costs
    a fifth of a file's parse. Here objects are made by `json.loads` itself, which keeps the
    last of two values for one key, and the repeat is found by counting instead: each key of
    the text is followed by the one colon outside strings that the skeleton keeps, so the
    parsed objects hold as many members in all as the skeleton has colons exactly when no key
    is repeated (a lost member, and whatever it held, makes the parsed count smaller). The
    parsed data is gone through a level at a time by `gc.get_referents` (what each object and
    array holds, in one call a level), which gives the depth too: the levels that hold
    anything are the depth of nesting or one more (the values of the deepest containers),
    so at most `max_depth` of them is within the limit; anything else, and files whose sizes
    need looking at, go the careful way."""
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=number.integer,
            parse_float=number.real,
        )
    except (ValueError, RecursionError, _NonFinite, _TooLarge):
        return None
    if type(data) is not dict:
        return None
    raw = text.encode("utf-8", "surrogatepass")
    skeleton = _skeleton(raw)
    if skeleton.count(b",") >= limits.max_items or _may_hold_long_text(
        raw, len(text), limits.max_string
    ):
        return None
    members = 0
    level: list[Any] = [data]
    for _ in range(limits.max_depth):
        members += sum([len(value) for value in level if type(value) is dict])
        level = get_referents(*level)
        if not level:
            return data if members == skeleton.count(b":") else None
    return None


def _strict_loads(text: str, limits: Limits, number: _NumberPolicy) -> Any:
    """`json.loads` with a hook on every object that refuses a repeated key as the object
    closes, and on every number and constant; each refusal raised as the JsonProblem that
    names it and its place."""
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_pairs,
            parse_constant=_refuse_constant,
            parse_int=number.integer,
            parse_float=number.real,
        )
    except json.JSONDecodeError as error:
        raise _syntax_problem(text, error) from None
    except _DuplicateKey as duplicate:
        raise _locate_duplicate(text, duplicate.key) from None
    except _NonFinite as constant:
        raise _locate_constant(text, constant.token) from None
    except _TooLarge as refused:
        raise _locate_number(text, refused.token, limits, type(refused)) from None
    except RecursionError:
        raise _too_deep(text, limits) from None


class StrictReader:
    """The careful way's decoder, for a reader that decodes a large text a value at a time
    (`json.JSONDecoder.raw_decode`: a bundle's manifest, `bundle.manifest_parts`): repeated
    keys, `NaN` and numbers beyond `limits` are refused with one of `DOUBTS`, without the
    line and column the careful way finds (the caller then reads the whole text that way,
    which names them); `within` is its check of nesting and sizes for a value so read."""

    __slots__ = ("decoder", "limits")

    def __init__(self, limits: Limits) -> None:
        number = _NumberPolicy(limits.max_number)
        self.decoder = json.JSONDecoder(
            object_pairs_hook=_unique_pairs,
            parse_constant=_refuse_constant,
            parse_int=number.integer,
            parse_float=number.real,
        )
        self.limits = limits

    @staticmethod
    def reads_alike(text: str) -> bool:
        """Whether the careful way reads `text` as `decoder` does: it reads a lone CR as a
        line break and looks for a \\uD800 escape itself (rare in a file protocol-kit wrote:
        the caller then takes the careful way)."""
        return "\r" not in text and not ("\\" in text and _SURROGATE_ESCAPE.search(text))

    def within(self, data: Any) -> bool:
        """Whether `data` (read by `decoder`) is nested no deeper than the limit and holds
        no text, key, array or object beyond the limits."""
        too_deep, oversized = _beyond_limits(data, self.limits, True)
        return not (too_deep or oversized)


# What `StrictReader.decoder` raises for a text the careful way refuses or may refuse.
DOUBTS = (ValueError, RecursionError, _DuplicateKey, _NonFinite, _TooLarge)


_LONE_CR = compiled_as_is(r"\r(?!\n)")
_SURROGATE_ESCAPE = compiled_as_is(r"\\u[dD][89a-fA-F]")


def _find_lone_surrogate(value: Any, pointer: str = "") -> str | None:
    """The pointer of the first key or string that holds a lone surrogate, or None."""
    if isinstance(value, str):
        return None if _encodable(value) else pointer
    if isinstance(value, dict):
        for key, child in value.items():
            if not _encodable(key):
                return pointer  # the key itself: point at the object that holds it
            found = _find_lone_surrogate(child, f"{pointer}/{escape_token(key)}")
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found = _find_lone_surrogate(child, f"{pointer}/{index}")
            if found is not None:
                return found
    return None


def _lone_surrogate_place(text: str, pointer: str) -> tuple[int | None, int | None]:
    """Line and column of the first string of `text` (which parses) holding a lone surrogate:
    a key's opening quote, or a text's. The pointer cannot name a key holding one (it would
    carry the half pair into every report), and json-source-map names a key as written, escape
    and all, so a key's place was the whole file's, 1:1. Outside strings valid JSON has no
    quote, so the strings are found from the start in order, as `_find_lone_surrogate` walks
    the data (a repeated key is refused before)."""
    for written in re.finditer(r'"(?:[^"\\]|\\.)*"', text, re.DOTALL):
        if _SURROGATE_ESCAPE.search(written.group()) and not _encodable(
            json.loads(written.group())
        ):
            from protocol_kit.jsontext.positions import line_column

            return line_column(text, written.start())
    return locate(text, pointer)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def load(path: str, limits: Limits = Limits()) -> Document:
    """Read and parse one file: InputError if unreadable, JsonProblem if not strict JSON."""
    return parsed(read_bytes(path, limits), path, limits)


def parsed(raw: bytes, path: str, limits: Limits = Limits()) -> Document:
    """`load`'s parse of a file's bytes `raw`, read already (`read_bytes`)."""
    return parse(decode(raw), limits, path, _without_bom(raw))


def _without_bom(raw: bytes) -> bytes:
    """The UTF-8 of the text `decode` makes of `raw` (valid UTF-8: it read it): `raw` less the
    byte-order mark `decode` drops. Sliced only in a file that starts with one."""
    return raw[len(_BOM_UTF8) :] if raw.startswith(_BOM_UTF8) else raw


def load_file(path: Path, limits: Limits = Limits()) -> dict[str, Any]:
    """Read one JSON object from a file for commands that need its data or a one-line error."""
    try:
        return load(str(path), limits).data
    except JsonProblem as problem:
        raise InputError(problem.at(str(path))) from None


def object_or_none(raw: bytes | str) -> dict[str, Any] | None:
    """The JSON object `raw` holds, read as `load` reads a file (a byte-order mark allowed,
    duplicate keys, constants and absurd nesting refused), or None when it holds none: for
    what only shows or orders a file's members, never to check it. Never `json.loads`: a
    file nested a few thousand levels deep raised RecursionError from it (H210)."""
    try:
        return parse(decode(raw) if isinstance(raw, bytes) else raw).data
    except JsonProblem:
        return None


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


def _line_column(prefix: str) -> tuple[int, int]:
    """1-based line and column of the character just after `prefix`."""
    line = prefix.count("\n") + 1
    column = len(prefix) - (prefix.rfind("\n") + 1) + 1
    return line, column


def _first_value_position(text: str) -> tuple[int, int]:
    stripped = len(text) - len(text.lstrip())
    return _line_column(text[:stripped])


def _syntax_problem(text: str, error: json.JSONDecodeError) -> JsonProblem:
    if not text.strip():
        return JsonProblem("JSON001", "the file is empty: expected a JSON object", 1, 1)
    if error.pos >= len(text.rstrip()):
        return JsonProblem(
            "JSON001",
            "unexpected end of file: the JSON is incomplete (truncated, or a bracket or quote is "
            "not closed)",
            error.lineno,
            error.colno,
        )
    if text[error.pos] in "}]":
        before = text[: error.pos].rstrip()
        if before.endswith(","):
            # json reports the bracket after a trailing comma; the mistake is the comma.
            return JsonProblem(
                "JSON001",
                f"invalid JSON: a comma after the last item: remove it (JSON allows no comma "
                f"before '{text[error.pos]}')",
                *_line_column(before[:-1]),
            )
    found = text[error.pos]
    if found in _CURLY_QUOTES:
        # A word processor's or a phone's autocorrect: json only says "expecting property
        # name enclosed in double quotes", and the quote looks right to the eye.
        return JsonProblem(
            "JSON001",
            f"invalid JSON: a curly quote ({found}), as a word processor writes it: JSON takes "
            'only straight double quotes ("): type them again in a plain-text editor',
            error.lineno,
            error.colno,
        )
    if found == "," and text[: error.pos].rstrip().endswith(","):
        return JsonProblem(
            "JSON001", "invalid JSON: two commas in a row: remove one", error.lineno, error.colno
        )
    hint = _what_a_person_wrote(text, error)
    if hint is not None:
        return JsonProblem("JSON001", f"invalid JSON: {hint[0]}", *hint[1])
    message = _PLAIN_SYNTAX.get(error.msg) or error.msg[0].lower() + error.msg[1:]
    if error.msg == "Invalid control character at" and text[error.pos] == "\t":
        message = "a tab inside a text: write it as \\t, or use spaces"
    elif error.msg == "Invalid control character at" and text[error.pos] not in "\r\n":
        # A vertical tab, a form feed, an escape pasted from another program (H1044): the
        # text is closed, and the character is invisible in most editors.
        message = (
            f"an invisible control character (U+{ord(text[error.pos]):04X}) inside a text: "
            "JSON does not allow it; delete it"
        )
    return JsonProblem("JSON001", f"invalid JSON: {message}", error.lineno, error.colno)


def _what_a_person_wrote(
    text: str, error: json.JSONDecodeError
) -> tuple[str, tuple[int, int]] | None:
    """What to change, for the mistakes people make in JSON by hand that the json module
    names only by what it expected ("expecting property name enclosed in double quotes" for
    a comment, a merge conflict, a single quote, a name without quotes): the message and
    where to point, or None."""
    here = (error.lineno, error.colno)
    rest = text[error.pos : error.pos + 7]
    if rest.startswith(("//", "/*")):
        return "a comment: JSON has no comments: remove it", here
    if error.colno == 1 and rest in ("<<<<<<<", "=======", ">>>>>>>"):
        return (
            f"a merge conflict marker ({rest}) left by git: keep the lines you want, and remove "
            "the markers and the lines you do not"
        ), here
    found = text[error.pos]
    if error.msg.startswith("Expecting") and found == "'":
        return "a single quote ('): JSON takes only double quotes (\")", here
    # Compiled here, on the error path only: not at every start-up (issue 17).
    word = re.compile(_WORD).match(text, error.pos)
    if word is not None and error.msg == "Expecting property name enclosed in double quotes":
        return f'a name without its double quotes: write "{word.group()}"', here
    if word is not None and error.msg == "Expecting value" and word.group() in _PYTHON_WORDS:
        return f"{word.group()} is not JSON: write {_PYTHON_WORDS[word.group()]}", here
    if error.msg == "Expecting ',' delimiter":
        before = text[: error.pos].rstrip()
        if found.isdigit() and text[error.pos - 1] == "0" and not before[:-1][-1:].isdigit():
            return "a number cannot start with 0: remove the leading 0", _line_column(before[:-1])
        if "\n" in text[len(before) : error.pos]:
            # The next entry starts on a new line: the comma is missing after the last one.
            return "a comma is missing at the end of this line: add one", _line_column(before)
    return None


# Words from Python and other languages written where JSON has its own (lower-case) ones.
_PYTHON_WORDS = {"True": "true", "False": "false", "None": "null", "Null": "null", "NULL": "null",
                 "TRUE": "true", "FALSE": "false"}  # fmt: skip
_WORD = r"[A-Za-z_][A-Za-z0-9_-]{0,40}"

# The json module's messages that do not say what to change (some end in a bare "at").
_CURLY_QUOTES = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"  # “ ” ‘ ’ „ « »

_PLAIN_SYNTAX = {
    "Extra data": "extra text after the end of the JSON object",
    # A second byte-order mark after the first (H1044): json's words name a Python call.
    "Unexpected UTF-8 BOM (decode using utf-8-sig)": "the file starts with a byte-order mark "
    "twice (an invisible U+FEFF): save it again as UTF-8 in a plain-text editor",
    "Invalid control character at": "a text is not closed: the closing quote is missing before "
    "the end of this line (a line break inside a text is written \\n)",
    "Unterminated string starting at": "a text is not closed: its closing quote is missing",
    "Invalid \\escape": "a backslash starts an escape JSON does not have: write \\\\ for "
    "a backslash",
    "Invalid \\uXXXX escape": "\\u must be followed by four hexadecimal digits",
}


def iter_strings(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every string value of parsed JSON with its JSON pointer, for checks of all its text."""
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from iter_strings(item, f"{pointer}/{escape_token(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_strings(item, f"{pointer}/{index}")


class _Marker:
    """Stands in for a refused value so that its JSON pointer can be found after parsing."""


def _find_marker(value: Any, pointer: str = "") -> str | None:
    if isinstance(value, _Marker):
        return pointer
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)  # type: ignore[assignment]
    else:
        return None
    for key, child in items:
        found = _find_marker(child, f"{pointer}/{escape_token(key)}")
        if found is not None:
            return found
    return None


def _locate_duplicate(text: str, key: str) -> JsonProblem:
    """Re-parse, marking the first object with a repeated key, and locate the repeat."""
    marked: list[dict] = []

    def mark(pairs: list[tuple[str, Any]]) -> Any:
        result = dict(pairs)
        if len(result) != len(pairs) and not marked:
            result = {k: v for k, v in pairs}
            marked.append(result)
            return _Marker()
        return result

    message = f"duplicate key {shown(key)}: the file gives it twice, so one value would be lost"
    try:
        data = json.loads(text, object_pairs_hook=mark, parse_constant=lambda _: None)
    except (ValueError, RecursionError):
        return JsonProblem("JSON002", message)
    parent = "" if isinstance(data, _Marker) else _find_marker(data)
    if parent is None:
        return JsonProblem("JSON002", message)
    pointer = f"{parent}/{escape_token(key)}"
    # json-source-map keeps the last occurrence of a repeated key: that is the repeat.
    line, column = locate(text, pointer, key=True)
    return JsonProblem("JSON002", message, line, column, pointer)


def _locate_constant(text: str, token: str) -> JsonProblem:
    message = f"'{token}' is not a JSON number: write a finite number"
    try:
        data = json.loads(text, parse_constant=lambda _: _Marker())
    except (ValueError, RecursionError):
        return JsonProblem("JSON003", message)
    pointer = _find_marker(data)
    if pointer is None:
        return JsonProblem("JSON003", message)
    line, column = locate(text, pointer)
    return JsonProblem("JSON003", message, line, column, pointer)


def locate(text: str, pointer: str, key: bool = False) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the value at `pointer`, or of its key when `key` is set.

    Falls back to the nearest enclosing value that exists, so a finding about a missing
    property points at the object that lacks it.
    """
    from protocol_kit.jsontext.positions import positions

    found = positions(text, [(pointer, key)])
    if found is not None:
        return found[0]
    source_map = source_map_for(text)
    if source_map is None:
        return None, None
    return position_in(source_map, pointer, key)


def source_map_for(text: str) -> dict | None:
    """The json-source-map of a document, or None if it cannot be computed."""
    import json_source_map  # only files with findings pay for this import

    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(limit + _SOURCE_MAP_FRAMES)
        return json_source_map.calculate(text)
    except (ValueError, RecursionError, json_source_map.errors.BaseError):
        return None
    finally:
        sys.setrecursionlimit(limit)


def position_in(
    source_map: dict, pointer: str, key: bool = False
) -> tuple[int, int] | tuple[None, None]:
    if pointer not in source_map and "\\" not in pointer:
        # json-source-map names keys as they are written, escapes and all ("a\\nb" for a key
        # holding a line break), and leaves a "/" or "~" in a key as it is (the pointer
        # escapes them as ~1 and ~0): look for the key in each of those forms.
        for written in (_as_written(pointer), _as_written(pointer, escaped=False)):
            if written in source_map:
                pointer = written
                break
    while True:
        entry = source_map.get(pointer)
        if entry is not None:
            where = entry.key_start if key and entry.key_start is not None else entry.value_start
            return where.line + 1, where.column + 1
        if not pointer:
            return None, None
        pointer = pointer.rsplit("/", 1)[0]
        key = False


def _as_written(pointer: str, escaped: bool = True) -> str:
    keep = escape_token if escaped else str
    tokens = pointer_tokens(pointer)
    return "".join("/" + keep(json.dumps(t, ensure_ascii=False)[1:-1]) for t in tokens)
