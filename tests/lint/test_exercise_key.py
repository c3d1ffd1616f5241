"""The run memo's key for an exercise is its content: equal for the same exercise written at
the same place, different when anything the rules could read differs (a step, the side, the
id a protocol gives a library exercise, its dosage override, the place)."""

from __future__ import annotations

import json

from conftest import CASES
from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.lint.base import Context, Same, exercise_key
from protocol_kit.loading import parse

CASE = CASES / "validate" / "valid" / "library-reference" / "protocol.json"


def _keys(tmp_path, change=None) -> list:
    data = json.loads(CASE.read_text("utf-8"))
    if change is not None:
        change(data)
    (tmp_path / "library").mkdir(exist_ok=True)
    for source in (CASE.parent / "library").iterdir():
        (tmp_path / "library" / source.name).write_bytes(source.read_bytes())
    (tmp_path / "protokit.toml").write_text("")
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    checker = FileChecker(CheckOptions())
    document = parse(path.read_text("utf-8"), name=str(path))
    protocol, problems = checker.build_protocol(document)
    assert protocol is not None and not problems
    context = Context(today=protocol.updated, data=document.data)
    return [exercise_key(e, protocol, context) for e in protocol.exercises]


def test_the_same_exercises_give_the_same_keys(tmp_path):
    first, again = _keys(tmp_path), _keys(tmp_path)
    assert first == again
    assert not any(isinstance(key, Same) for key in first)


def test_any_difference_gives_another_key(tmp_path):
    base = _keys(tmp_path)

    def step(data):
        data["exercises"][0]["steps"][0] += " Slowly."

    def side(data):
        data["exercises"][0]["dosage"]["side"] = "each"

    def library_id(data):
        data["exercises"][1]["id"] = "knee-hug-gentle"

    def override(data):
        data["exercises"][1]["dosage"]["sets"] = 2

    def order(data):
        data["exercises"].reverse()

    for change in (step, side, library_id, override, order):
        changed = _keys(tmp_path, change)
        assert [a != b for a, b in zip(changed, base, strict=True)] != [False, False], change


def test_a_model_without_its_json_is_keyed_by_itself(tmp_path):
    _keys(tmp_path)
    data = json.loads(CASE.read_text("utf-8"))
    checker = FileChecker(CheckOptions())
    document = parse(json.dumps(data), name=str(tmp_path / "protocol.json"))
    protocol, _ = checker.build_protocol(document)
    context = Context(today=protocol.updated)  # no data: a model built by hand
    assert all(isinstance(exercise_key(e, protocol, context), Same) for e in protocol.exercises)


def test_the_written_digest_tells_every_value_and_order_apart():
    """Values equal in Python but written differently (1, 1.0, true), a number and its text,
    members in another order, a lone surrogate: each a key of its own."""
    from protocol_kit.lint.base import _written_at

    values = [1, 1.5, True, False, "1", None, [1], {"x": 1}, "\ud800", "\udc00", "", 0]
    digests = [_written_at({"e": {"v": v}}, "/e") for v in values]
    assert len(set(digests)) == len(values)
    assert _written_at({"e": {"a": 1, "b": 2}}, "/e") != _written_at({"e": {"b": 2, "a": 1}}, "/e")
    assert _written_at({"e": {"a": [1, 2]}}, "/e") != _written_at({"e": {"a": [2, 1]}}, "/e")
    assert _written_at({"e": {"a": 1}}, "/e") == _written_at({"e": {"a": 1}}, "/e")
