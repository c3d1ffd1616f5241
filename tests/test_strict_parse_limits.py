"""The strict parse judges depth, item counts and text lengths from one skeleton of the text
(`loading._skeleton`: brackets and commas outside strings) and walks the parsed data only
when a limit might be broken; every text, key or array beyond a limit must still be found,
however it is written, and a repeated key still named as before."""

from __future__ import annotations

import json
import random

import pytest

from protocol_kit.loading import JsonProblem, Limits, parse

# Keys and strings that look like structure: colons, commas, brackets, quotes, escapes.
TRICKY = ["a", "b", ":", "a:b", ",", "{", "]", '"', '\\"', "\\", "é:", "http://x/y", "", "\u003a"]


def _value(rng: random.Random, depth: int):
    roll = rng.random()
    if depth <= 0 or roll < 0.3:
        return rng.choice([*TRICKY, 1, -7, True, False, None])
    items = [_value(rng, depth - 1) for _ in range(rng.randint(0, 4))]
    if roll < 0.55:
        return items
    return {rng.choice(TRICKY) + str(i): item for i, item in enumerate(items)}


def _with_repeat(rng: random.Random, text: str) -> str | None:
    """The text with one member of one object written twice, or None if it has none."""
    data = json.loads(text)
    objects = []

    def walk(value):
        if isinstance(value, dict):
            if value:
                objects.append(value)
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(data)
    if not objects:
        return None
    chosen = rng.choice(objects)
    key = rng.choice(list(chosen))
    pairs = list(chosen.items())
    marker = "\u0000marker"
    chosen[marker] = None
    text = json.dumps(data, ensure_ascii=rng.random() < 0.5)
    repeated = json.dumps(key) + ": " + json.dumps(pairs[0][1])
    return text.replace(json.dumps(marker) + ": null", repeated)


def _problem(text: str, limits: Limits = Limits()) -> tuple[str, str, int | None, int | None]:
    try:
        parse(text, limits)
    except JsonProblem as problem:
        return problem.code, problem.message, problem.line, problem.column
    return ("", "", None, None)


@pytest.mark.parametrize("seed", range(4))
def test_a_repeated_key_is_refused_wherever_it_is(seed):
    rng = random.Random(seed)
    for _ in range(150):
        text = json.dumps({"k": _value(rng, rng.randint(1, 6))}, ensure_ascii=False)
        assert _problem(text)[0] == ""
        repeated = _with_repeat(rng, text)
        if repeated is None:
            continue
        code, message, line, column = _problem(repeated)
        assert code == "JSON002", repeated
        assert message.startswith("duplicate key "), message
        assert line is not None and column is not None


def test_the_repeat_is_named_as_before():
    text = '{\n  "a": {"x": ":", "y": "a,b"},\n  "b": [1, {"c": 1, "c": 2}]\n}'
    assert _problem(text) == (
        "JSON002",
        'duplicate key "c": the file gives it twice, so one value would be lost',
        3,
        21,
    )


def test_a_repeat_before_a_syntax_error_is_named_first():
    # The careful parse meets the repeated key as its object closes, before the broken end.
    assert _problem('{"a": {"b": 1, "b": 2}, "c": [1, }')[0] == "JSON002"
    assert _problem('{"c": [1, ], "a": {"b": 1, "b": 2}}')[0] == "JSON001"


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "' + "é" * 10_001 + '"}',  # two bytes a character: still more than the limit
        '{"a": "' + "x" * 5_000 + "\\n" + "x" * 5_000 + '"}',
        '{"' + "k" * 10_001 + '": 1, "b": "' + "x" * 20 + '"}',
    ],
)
def test_a_text_beyond_the_limit_is_found(text):
    assert _problem(text, Limits(max_string=10_000))[0] == "JSON010"


def test_texts_at_the_limit_pass_in_a_long_file():
    text = json.dumps({f"k{i}": "é" * 10_000 if i == 3 else "w" for i in range(5)})
    assert _problem(text, Limits(max_string=10_000)) == ("", "", None, None)


def test_an_array_beyond_the_limit_is_found_by_its_commas():
    assert _problem(json.dumps({"a": list(range(11))}), Limits(max_items=10))[0] == "JSON010"
    assert _problem(json.dumps({"a": list(range(10))}), Limits(max_items=10))[0] == ""
    # Commas inside strings are not items.
    assert _problem(json.dumps({"a": [",,,,,,,,,,,,"]}), Limits(max_items=10))[0] == ""


def test_a_surrogate_half_is_found_with_other_escapes_around():
    assert _problem('{"a": "x\\\\ud800", "b": "\\ud800"}')[0] == "JSON008"
    assert _problem('{"a": "x\\\\ud800"}')[0] == ""  # an escaped backslash, then text


# A file without a backslash whose every block of (limit + 2) // 2 bytes holds a quote cannot
# hold a text beyond the limit, and is passed without the search (`_may_hold_long_text`): a
# text one character over the limit (a run of exactly limit + 1 bytes without a quote) must be
# found wherever it starts against those blocks (5,001 bytes for the default limit).
@pytest.mark.parametrize("start", [50, 4_999, 5_000, 5_001, 5_002, 5_003, 5_004, 10_005, 10_006])
def test_a_text_just_over_the_limit_is_found_wherever_it_starts(start):
    # Fewer commas than the item limit (which would have the parsed data walked anyway): 44
    # bytes a padding text with its `, `, and an odd text to make up the rest.
    count = max(0, (start - 80) // 44)
    heads = (
        json.dumps({"pad": ["x" * 40] * count, "odd": "y" * odd})[:-1] + ', "long": "'
        for odd in range(100)
    )
    head = next((h for h in heads if len(h) == start), "")
    assert len(head) == start
    tail = json.dumps({"more": ["z" * 40] * 200})[1:]  # quotes in every block after it
    for length, code in ((10_001, "JSON010"), (10_000, "")):
        text = f'{head}{"x" * length}", {tail}'
        found = _problem(text, Limits(max_string=10_000))
        assert found[0] == code, (start, length)
        if code:
            assert (found[2], found[3]) == (1, start)  # at the long text's opening quote


@pytest.mark.parametrize("seed", range(3))
def test_texts_and_keys_over_a_small_limit_are_found(seed):
    rng = random.Random(seed)
    for _ in range(300):
        limit = rng.randint(1, 12)
        values = ["w" * rng.randint(0, limit) for _ in range(rng.randint(1, 12))]
        over = rng.random() < 0.5
        if over:
            values.insert(rng.randrange(len(values) + 1), "v" * (limit + rng.randint(1, 3)))
        as_keys = rng.random() < 0.3
        data = {v + str(i)[:0]: i for i, v in enumerate(values)} if as_keys else {"a": values}
        if as_keys and len(data) < len(values):
            continue  # two equal keys: a repeat, not a length
        text = json.dumps(data, separators=(",", ":") if rng.random() < 0.5 else (", ", ": "))
        code = _problem(text, Limits(max_string=max(limit, 2)))[0]
        expected = "JSON010" if any(len(v) > max(limit, 2) for v in values) else ""
        assert code == expected, (limit, text)
