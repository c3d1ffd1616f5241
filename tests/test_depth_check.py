"""The depth limit is judged from the brackets of the text (`loading._nested_beyond`): it
must refuse exactly the documents nested deeper than the limit, whatever brackets, quotes and
escapes their strings hold."""

from __future__ import annotations

import json
import random

import pytest

from protocol_kit.loading import JsonProblem, Limits, parse

# Strings that look like structure: brackets, escaped quotes and backslashes, a \\u escape of
# a bracket, text in other scripts.
TRICKY = ["[", "]", "{", "}", '"[', "\\", '\\"]', "a\\\\", "[[{{", "}}]]", "é[ü]", "\u005b", ""]


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _value(rng: random.Random, depth: int):
    roll = rng.random()
    if depth <= 0 or roll < 0.3:
        return rng.choice([*TRICKY, 1, 2.5, True, None])
    items = [_value(rng, depth - 1) for _ in range(rng.randint(0, 3))]
    if roll < 0.6:
        return items
    return {rng.choice(TRICKY) + str(i): item for i, item in enumerate(items)}


def _refused(text: str, max_depth: int) -> bool:
    try:
        parse(text, Limits(max_depth=max_depth))
    except JsonProblem as problem:
        assert problem.code == "JSON006", problem.message
        return True
    return False


@pytest.mark.parametrize("seed", range(4))
def test_the_limit_refuses_exactly_what_nests_deeper(seed):
    rng = random.Random(seed)
    for _ in range(150):
        data = {"k": _value(rng, rng.randint(1, 9))}
        for indent in (None, 1):
            text = json.dumps(data, indent=indent, ensure_ascii=rng.random() < 0.5)
            for max_depth in (2, 3, 4, 6, 8):
                assert _refused(text, max_depth) == (_depth(data) > max_depth), text


def test_brackets_inside_strings_do_not_count():
    shallow = '{"a": "[[[[[[", "b": "]]]]]]", "c": "\\"[[[[", "d": "\\\\"}'
    assert not _refused(shallow, 2)
    assert _refused('{"a": [[{"b": "]"}]]}', 3)
    assert not _refused('{"a": [[{"b": "]"}]]}', 4)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "' + "x" * 10_001 + '"}',
        '{"a": "' + 'x\\"' * 6_000 + '"}',  # escaped quotes cut the text into short stretches
        '{"' + "k" * 10_001 + '": 1}',
        '{"a": ["' + "y" * 6_000 + '", {"b": "' + "z\\\\" * 5_100 + '"}]}',
    ],
)
def test_a_text_beyond_the_limit_is_found_however_it_is_written(text):
    with pytest.raises(JsonProblem) as refused:
        parse(text, Limits(max_string=10_000))
    assert refused.value.code == "JSON010"


def test_long_files_of_short_texts_pass():
    many = {f"k{i}": "w" * 90 for i in range(200)}
    parse(json.dumps(many), Limits(max_string=100))
