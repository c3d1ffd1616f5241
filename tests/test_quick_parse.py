"""The strict parse reads most files the quick way (`loading._plainly_within`: objects made by
`json.loads` itself, a repeated key found by counting members against the colons of the
skeleton, depth by the levels of the parsed data) and the others the careful way. The quick
way must take only what the careful way takes, as the careful way reads it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from protocol_kit.loading import (
    JsonProblem,
    Limits,
    _check_depth_and_sizes,
    _NumberPolicy,
    _plainly_within,
    _strict_loads,
    parse,
)

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "protocols").rglob("*.json"))
# Keys and strings that look like structure: colons (written and escaped), commas, brackets,
# quotes, backslashes.
TRICKY = ["a", "a", ":", "a:b", "\\u003a", ",", "{", "[]", "}", '"', '\\"', "\\\\", "é:", ""]


def _value(rng: random.Random, depth: int) -> str:
    """A JSON text of a value, written by hand so that keys can repeat."""
    roll = rng.random()
    if depth <= 0 or roll < 0.3:
        return rng.choice(['"' + rng.choice(TRICKY) + '"', "1", "-2.5", "true", "null", "[]", "{}"])
    items = [_value(rng, depth - 1) for _ in range(rng.randint(0, 3))]
    if roll < 0.55:
        return "[" + ", ".join(items) + "]"
    keys = [rng.choice(TRICKY[:6]) for _ in items]  # few keys, so that some repeat
    return "{" + ", ".join(f'"{k}": {v}' for k, v in zip(keys, items, strict=True)) + "}"


def _careful(text: str, limits: Limits):
    """What the careful way makes of `text`: its data, or the refusal."""
    try:
        data = _strict_loads(text, limits, _NumberPolicy(limits.max_number))
        if isinstance(data, dict):
            _check_depth_and_sizes(text, data, limits)
        return data
    except JsonProblem as problem:
        return problem.code


@pytest.mark.parametrize("seed", range(3))
def test_the_quick_way_takes_only_what_the_careful_way_takes(seed):
    rng = random.Random(seed)
    taken = refused = 0
    for _ in range(400):
        text = '{"k": ' + _value(rng, rng.randint(1, 6)) + "}"
        for max_depth in (2, 3, 5, 64):
            limits = Limits(max_depth=max_depth)
            quick = _plainly_within(text, limits, _NumberPolicy(limits.max_number))
            careful = _careful(text, limits)
            if quick is not None:
                taken += 1
                assert quick == careful and list(quick) == list(careful), text
            elif isinstance(careful, str):
                refused += 1
    assert taken > 500 and refused > 100  # both ways are tried


@pytest.mark.parametrize(
    "text",
    [
        # The repeat's first value held objects of its own: all of it is lost.
        '{"a": {"x": 1, "y": {"z": 2}}, "a": {"w": 3}}',
        '{"a": [{"b": 1}], "b": 2, "a": []}',
        # A colon in a key or text, written or escaped, is not a member.
        '{"a:b": 1, "c": "d:e", "c": 2}',
        '{"a\\u003a": 1, "a\\u003a": 2}',
        '{"\\"": {"x": [1, {"y": "\\\\"}]}, "\\"": 0}',
    ],
)
def test_a_repeat_is_refused_as_before(text):
    with pytest.raises(JsonProblem) as refused:
        parse(text)
    assert refused.value.code == "JSON002"
    assert _careful(text, Limits()) == "JSON002"


@pytest.mark.parametrize("max_depth", [1, 2, 3, 4])
def test_the_depth_limit_holds_at_its_edge(max_depth):
    # Containers nested `depth` deep, the innermost empty or holding a value.
    for depth in range(1, 7):
        for inner in ("", "1", '"x"'):
            text = "[" * (depth - 1) + "[" + inner + "]" + "]" * (depth - 1)
            text = '{"a": ' + text + "}" if depth > 1 else "{}"
            deep = _depth(json.loads(text))
            try:
                parse(text, Limits(max_depth=max_depth))
                assert deep <= max_depth, text
            except JsonProblem as problem:
                assert problem.code == "JSON006" and deep > max_depth, text


def _depth(value) -> int:
    if isinstance(value, (dict, list)):
        children = value.values() if isinstance(value, dict) else value
        return 1 + max(map(_depth, children), default=0)
    return 0


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_go_the_quick_way(path):
    text = path.read_text(encoding="utf-8")
    limits = Limits()
    quick = _plainly_within(text, limits, _NumberPolicy(limits.max_number))
    assert quick is not None
    assert quick == parse(text).data == _careful(text, limits)
