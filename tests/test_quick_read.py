"""The quicker reader of a large run (`jsontext.quick_read`, orjson) takes only what the strict
parse takes, and reads it to the same value, types included (`2.0` is the whole number 2, `-0.0`
is 0, a key given twice is refused): generated documents written as orjson and `protokit fmt`
write them and otherwise, with keys given twice, and the same texts damaged at random."""

from __future__ import annotations

import contextlib
import json
import random
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_startup import imported_by_validate

from protocol_kit import loading
from protocol_kit.jsontext import quick_read
from protocol_kit.loading import (
    JsonProblem,
    Limits,
    _check_depth_and_sizes,
    _NumberPolicy,
    _strict_loads,
    decode,
    parse,
)

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "protocols").rglob("*.json"))
LIMITS = (
    Limits(),
    Limits(max_depth=2),
    Limits(max_depth=3),
    Limits(max_items=3),
    Limits(max_string=4),
    Limits(max_number=1000),
)


class Pairs(list):
    """An object written member by member, so that a key can be given twice."""


def typed(value):
    """`value` with every type spelt out: 1, 1.0 and True are equal in Python, not here."""
    if isinstance(value, dict):
        return ("object", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("array", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def careful(text: str, limits: Limits):
    """What the strict parse makes of `text`: its data, typed, or its refusal's code."""
    try:
        data = _strict_loads(text, limits, _NumberPolicy(limits.max_number))
        if not isinstance(data, dict):
            return "JSON005"
        _check_depth_and_sizes(text, data, limits)
        return typed(data)
    except JsonProblem as problem:
        return problem.code


def assert_agrees(text: str) -> bool:
    """The quicker reader takes `text` only as the strict parse reads it; whether it took it."""
    taken = False
    for limits in LIMITS:
        quick = quick_read.read(text, limits, _NumberPolicy(limits.max_number))
        if quick is not None:
            taken = True
            assert typed(quick) == careful(text, limits), (text, limits)
    return taken


def written(value, indent: bool, level: int = 0) -> str:
    """`value` written as orjson indents (`indent`) or on one line as `json.dumps` does."""
    pad, inner = "\n" + "  " * level, "\n" + "  " * (level + 1)
    if isinstance(value, Pairs | list):
        if not value:
            return "{}" if isinstance(value, Pairs) else "[]"
        if isinstance(value, Pairs):
            items = [f"{written(k, indent)}: {written(v, indent, level + 1)}" for k, v in value]
            ends = "{}"
        else:
            items = [written(v, indent, level + 1) for v in value]
            ends = "[]"
        if indent:
            return ends[0] + inner + ("," + inner).join(items) + pad + ends[1]
        return ends[0] + ", ".join(items) + ends[1]
    if indent and isinstance(value, float | str):
        return orjson.dumps(value).decode()
    return json.dumps(value, ensure_ascii=False)


KEYS = st.sampled_from(["a", "b", "é", "a:b", '"', "\\", "/", "{", ",", ""])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**10), 10**10)
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0.5, 2.0, -0.0, 1e-10, 1e16, 123456.5, 1e9, 1000000001.0])
    | st.text(max_size=6)
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.lists(st.tuples(KEYS, children), max_size=4).map(Pairs)
    ),
    max_leaves=16,
)
DOCUMENTS = st.lists(st.tuples(KEYS, VALUES), max_size=5).map(Pairs)
# What damages a text: a constant JSON has not, numbers the strict parse refuses or reads
# otherwise, a half surrogate pair, a byte-order mark, control characters, brackets, commas.
DAMAGE = [
    "NaN", "-Infinity", "1e400", "1e-400", "12345678901", "-0.0", "1.0", "1E2", "0.1e1",
    '"\\ud800"', '"\\udc00\\ud800"', "\ufeff", "\x00", "\x1f", "\t", "}", "]", ",", ":", '"',
    "\\", "[[[[", "{}", "2.9999999999999999999", "00", "-", "\u2028", "\r",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=DOCUMENTS, indent=st.booleans(), newline=st.booleans())
def test_a_generated_document_is_read_as_the_strict_parse_reads_it(document, indent, newline):
    text = written(document, indent) + ("\n" if newline else "")
    assert_agrees(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=DOCUMENTS, seed=st.integers(0, 2**32))
def test_a_damaged_document_is_read_as_the_strict_parse_reads_it(document, seed):
    rng = random.Random(seed)
    text = written(document, True) + "\n"
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text) + 1)
        roll = rng.random()
        if roll < 0.5:
            text = text[:at] + rng.choice(DAMAGE) + text[at:]
        elif roll < 0.75:
            text = text[:at] + text[at + 1 :]
        else:  # a line given twice: a key repeated in a text written as orjson writes
            lines = text.split("\n")
            line = rng.randrange(len(lines))
            lines.insert(line, lines[line])
            text = "\n".join(lines)
    assert_agrees(text)


def test_both_ways_are_tried_and_repeats_refused():
    """The generated texts reach both answers: many taken, and every repeat refused."""
    rng = random.Random(7)
    taken = repeats = 0
    for _ in range(300):
        keys = [rng.choice("abc") for _ in range(rng.randint(1, 4))]
        document = Pairs((key, rng.choice([1, "x", 2.5, [], Pairs()])) for key in keys)
        text = written(document, True) + "\n"
        taken += assert_agrees(text)
        if len(set(keys)) < len(keys):
            repeats += 1
            assert quick_read.read(text, Limits(), _NumberPolicy(Limits().max_number)) is None
    assert taken > 100 and repeats > 100


@pytest.mark.parametrize(
    "text",
    [
        # A repeat orjson would keep silently, in a text written exactly as orjson writes.
        '{\n  "a": 1,\n  "a": 2\n}\n',
        '{\n  "a": {\n    "x": [\n      1\n    ]\n  },\n  "b": 2,\n  "a": []\n}',
        # The same on one line (the skeleton's colons count the keys).
        '{"a": 1, "b": {"a": 2, "a": 3}}',
        '{"a\\u003a": 1, "a:": 2}',
        # Numbers orjson reads but the strict parse refuses or reads as another type.
        '{\n  "a": 1000000001\n}',
        '{\n  "a": 123456789012345678901234567890\n}',
        '{\n  "a": 1e16\n}',
        '{\n  "a": 1e-10\n}',
        '{"a": 2.9999999999999999999}',
        # Nesting beyond the limit, a text beyond it.
        '{"a": ' + "[" * 70 + "]" * 70 + "}",
        '{"a": "' + "x" * 10_001 + '"}',
    ],
)
def test_what_the_strict_parse_refuses_is_not_taken(text):
    assert quick_read.read(text, Limits(), _NumberPolicy(Limits().max_number)) is None
    assert isinstance(careful(text, Limits()), str)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{\n  "a": 2.0\n}', 2),
        ('{\n  "a": -0.0\n}', 0),
        ('{\n  "a": [\n    0.5,\n    10.0\n  ]\n}', [0.5, 10]),
        ('{\n  "a": 1000000000\n}', 10**9),
    ],
)
def test_a_float_is_read_as_the_strict_parse_reads_it(text, value):
    quick = quick_read.read(text, Limits(), _NumberPolicy(Limits().max_number))
    assert typed(quick) == typed({"a": value}) == careful(text, Limits())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_are_read_the_quicker_way(path):
    text = path.read_text(encoding="utf-8")
    quick = quick_read.read(text, Limits(), _NumberPolicy(Limits().max_number))
    assert quick is not None and typed(quick) == careful(text, Limits())


def _parsed(text: str, read, bom: bool | None = None) -> object:
    """What `parse` makes of `text` with `read` as its quick reader; with `bom` not None, of
    the file holding `text` (after a byte-order mark when `bom`) as `load` reads it: the quick
    reader is given the bytes the text was decoded from."""
    loading._quick_read.update(parsed=loading.QUICK_READ_AFTER, read=read)
    try:
        if bom is None:
            return typed(parse(text).data)
        raw = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
        return typed(parse(decode(raw), Limits(), "", loading._without_bom(raw)).data)
    except JsonProblem as problem:
        return (problem.code, problem.message, problem.line, problem.column, problem.pointer)


def _plainly(text, limits, number, utf8=None):
    """The json module's way, as a quick reader (it has no use for the bytes)."""
    return loading._plainly_within(text, limits, number)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=DOCUMENTS, seed=st.integers(0, 2**32))
def test_parse_answers_the_same_with_and_without_the_quicker_reader(document, seed):
    rng = random.Random(seed)
    text = written(document, rng.random() < 0.7) + "\n"
    if rng.random() < 0.6:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(DAMAGE) + text[at:]
    saved = dict(loading._quick_read)
    try:
        plainly = _parsed(text, _plainly)
        assert _parsed(text, quick_read.read) == plainly
        if "\x00" not in text and ("\r" in text or rng.random() < 0.5):
            # As `load` reads a file: a CR read as a line break, a byte-order mark dropped,
            # neither left in the bytes the quick reader is given. (A lone surrogate is no
            # UTF-8 and `decode` refuses a NUL: such a text is never a file's.)
            bom = text.startswith("\ufeff") or rng.random() < 0.5
            with contextlib.suppress(UnicodeEncodeError):
                assert _parsed(text, quick_read.read, bom) == plainly
    finally:
        loading._quick_read.update(saved)


def test_a_run_imports_the_quicker_reader_only_after_many_files(monkeypatch):
    monkeypatch.setattr(loading, "_quick_read", {"parsed": 0, "read": None})
    text = EXAMPLES[0].read_text(encoding="utf-8")
    for _ in range(loading.QUICK_READ_AFTER - 1):
        parse(text)
    assert loading._quick_read["read"] is None
    parse(text)
    assert loading._quick_read["read"] is quick_read.read


def test_validating_one_file_does_not_import_orjson():
    assert not imported_by_validate(
        EXAMPLES[0], modules=("orjson", "protocol_kit.jsontext.quick_read")
    )
