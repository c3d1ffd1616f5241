"""`parse` with its quick ways (orjson's reader, then the json module's, as a run of many
files reads) answers exactly as the careful way alone (`_strict_loads` and the checks after
it): the same value, types included, or the same refusal, with its code, message, line,
column and pointer. Generated documents, mostly written as orjson and `protokit fmt` write
them (the texts the quick reader takes), with hostile values put in at any depth: numbers
beyond the limit or not kept as written, `-0`, `1e400`, constants, half surrogate pairs,
nesting near and beyond the limit, keys given twice at any depth, a byte-order mark, a NUL.
Each way is also given the file's bytes, as `load` gives them."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_quick_read import DOCUMENTS, LIMITS, Pairs, typed, written

from protocol_kit import loading
from protocol_kit.jsontext import quick_read
from protocol_kit.loading import JsonProblem, Limits, parsed

# Stands for a value in a generated document, to be replaced by a hostile token in its text
# (both writers write an integer as its digits).
MARK = 987_654_321
HOSTILE = [
    "1e400", "-1e400", "1e-400", "-0", "-0.0", "0.0", "2.0", "1E2", "0.1e1", "1e16", "1e-10",
    "1000000000", "-1000000000", "1000000001", "-1000000001", "12345678901",
    "123456789012345678901234567890", "2.9999999999999999999", "0.30000000000000004",
    "NaN", "-Infinity", '"\\ud800"', '"x\\udc00"', '"\\ud83d\\ude00"', '"a\\u0000b"',
    '"\\u00e9"', "[" * 62 + "]" * 62, "[" * 63 + "]" * 63, "[" * 64 + "]" * 64,
    "[" * 70 + "1" + "]" * 70, '{"k": {"k": 1, "k": 2}}', '[{"a": 1, "b": 2, "a": 3}]',
]  # fmt: skip
HOSTILE_VALUES = st.recursive(
    st.just(MARK) | st.integers(-3, 3) | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=3)
        | st.lists(st.tuples(st.sampled_from("ab"), children), max_size=3).map(Pairs)
    ),
    max_leaves=8,
)
HOSTILE_DOCUMENTS = st.lists(st.tuples(st.sampled_from("abc"), HOSTILE_VALUES), max_size=4).map(
    Pairs
)


def answer(raw: bytes, limits: Limits, quick: bool) -> object:
    """What `load` makes of a file holding `raw`: its value, typed, or its refusal in full;
    read with the quick ways (`quick`) or the careful way alone."""
    saved = dict(loading._quick_read)
    quickly = loading._quickly
    if quick:
        loading._quick_read.update(parsed=loading.QUICK_READ_AFTER, read=quick_read.read)
    else:
        loading._quickly = lambda *_: None
    try:
        return typed(parsed(raw, "protocol.json", limits).data)
    except JsonProblem as problem:
        return (problem.code, problem.message, problem.line, problem.column, problem.pointer)
    finally:
        loading._quickly = quickly
        loading._quick_read.update(saved)


def assert_same(text: str, rng: random.Random | None = None) -> None:
    """Both ways answer alike for `text` under every limit of `LIMITS`, as a file's bytes (a
    byte-order mark before them now and then)."""
    raw = text.encode("utf-8", "surrogatepass")
    if rng is not None and rng.random() < 0.2:
        raw = "\ufeff".encode() + raw
    for limits in LIMITS:
        assert answer(raw, limits, quick=True) == answer(raw, limits, quick=False), (text, limits)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=HOSTILE_DOCUMENTS, seed=st.integers(0, 2**32))
def test_hostile_values_at_any_depth_are_answered_alike(document, seed):
    rng = random.Random(seed)
    text = written(document, rng.random() < 0.8) + "\n"
    pieces = text.split(str(MARK))
    text = pieces[0] + "".join(rng.choice(HOSTILE) + piece for piece in pieces[1:])
    if rng.random() < 0.3:
        # A line given twice: in a text written as orjson writes, a member repeated at its depth.
        lines = text.split("\n")
        at = rng.randrange(len(lines))
        lines.insert(at, lines[at])
        text = "\n".join(lines)
    if rng.random() < 0.05:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + "\x00" + text[at:]
    assert_same(text, rng)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=DOCUMENTS, indent=st.booleans())
def test_generated_documents_with_keys_given_twice_are_answered_alike(document, indent):
    assert_same(written(document, indent) + "\n")


@pytest.mark.parametrize(
    "text",
    [
        '{\n  "a": {\n    "b": {\n      "c": 1,\n      "c": 2\n    }\n  }\n}\n',
        '{\n  "a": [\n    {\n      "c": [],\n      "d": 1,\n      "c": {}\n    }\n  ]\n}\n',
        '{\n  "a": [\n    1,\n    12345678901\n  ]\n}\n',
        '{\n  "a": {\n    "b": -0,\n    "c": -0.0,\n    "d": 1e400\n  }\n}\n',
        '{\n  "a": {\n    "b": "\\udfff"\n  }\n}\n',
        '{\n  "a": ' + "[" * 64 + "]" * 64 + "\n}\n",
    ],
)
def test_hostile_texts_written_as_orjson_writes_are_answered_alike(text):
    assert_same(text)
