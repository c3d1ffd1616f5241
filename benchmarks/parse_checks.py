"""What the quick reader's checks of each value cost a protocol, and what bounding the numbers
in the fast schema check instead could take off (issue 17).

The quick reader of a large run (`jsontext.quick_read.read`) reads a file with orjson, then
goes through the data a level at a time: the depth and the count of values, each level's set
of types (a float anywhere sends every float to the strict parse's own number hook, which
reads `2.0` as 2 and refuses a number not kept as written), and the integers' magnitudes.
Each variant below does one step more, on the files the quick reader takes as orjson wrote
them (most of a corpus); the difference between two is that step's cost. The last is the
whole of `load`'s parse of the bytes (the decoding, the quick reader, the surrogates' search).

The schema rows time the fast validator of the protocol schema as protokit builds it,
against the same schemas with every integer and number bounded by the strict parse's limit
(made here, never published): what the integers' check would cost the schema engine. The last
table shows, token by token, what the strict parse makes of a number at an integer place
(`sets`), and whether the bounded schema would let orjson's reading of it through there and
at a place for any number (an angle): the engine reads JSON's numbers as JSON Schema does,
`2.0` as the integer 2, and never sees a token's digits, so it cannot stand in for the
floats' check.

µs of CPU a file, the least of the rounds (the machine is shared: compare rows of one run).

    python benchmarks/parse_checks.py CORPUS/protocols [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from gc import get_referents
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import orjson  # noqa: E402

from protocol_kit import loading  # noqa: E402
from protocol_kit.jsontext import quick_read  # noqa: E402
from protocol_kit.lean_imports.jsonschema_engine import jsonschema_rs  # noqa: E402
from protocol_kit.schemas import all_schemas  # noqa: E402
from protocol_kit.validation import _fast_validator  # noqa: E402

PROTOCOL = "protocol.schema.json"
# Numbers the strict parse refuses or reads as another number than orjson does.
TOKENS = ("2", "2.0", "2.5", "2.9999999999999999", "0.10000000000000000555", "1e-320", "-0.0",
          "1000000001", "1e10", "1" + "0" * 25)  # fmt: skip


def _orjson_written(folder: str, limits: loading.Limits) -> list[bytes]:
    """The bytes of every file of `folder` that the quick reader takes, written as orjson
    writes them."""
    number = loading._number_policy(limits.max_number)
    found = []
    for path in sorted(Path(folder).rglob("*.json")):
        raw = path.read_bytes()
        try:
            data = quick_read.read(raw.decode("utf-8"), limits, number, raw)
        except UnicodeDecodeError:
            continue
        if data is not None and quick_read.written_as_read(raw, data):
            found.append(raw)
    return found


def _walked(raw: bytes, max_depth: int, with_types: bool) -> dict[str, Any]:
    """orjson's reading of `raw`, gone through level by level as the quick reader does, with
    each level's set of types when `with_types`, and written again (`written_as_read`)."""
    data = orjson.loads(raw)
    values, floats, level = 0, False, [data]
    for _ in range(max_depth):
        level = get_referents(*level)
        if not level:
            break
        values += len(level)
        if with_types:
            floats = floats or float in set(map(type, level))
    quick_read.written_as_read(raw, data)
    return data


def _least(rounds: int, files: list[Any], each: Callable[[Any], Any]) -> float:
    """µs of CPU a file of `each` over `files`, the least of `rounds`."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for item in files:
            each(item)
        best = min(best, time.process_time() - started)
    return best / len(files) * 1e6


def _bounded(node: Any, largest: int) -> Any:
    """A copy of the schema `node` with every integer and number between -`largest` and
    `largest` (a bound of its own kept where it is tighter)."""
    if isinstance(node, list):
        return [_bounded(item, largest) for item in node]
    if not isinstance(node, dict):
        return node
    bounded = {key: _bounded(value, largest) for key, value in node.items()}
    kinds = node.get("type")  # (a schema, where a property is named "type")
    kinds = kinds if isinstance(kinds, list) else [kinds] if isinstance(kinds, str) else []
    if {"integer", "number"} & set(kinds):
        bounded["maximum"] = min(node.get("maximum", largest), largest)
        bounded["minimum"] = max(node.get("minimum", -largest), -largest)
    return bounded


def _strictly(token: str) -> str:
    """What the strict parse makes of `{"sets": token}`: the value, or the refusal's code."""
    try:
        return repr(loading.parse(f'{{"sets": {token}}}').data["sets"])
    except loading.JsonProblem as problem:
        return problem.code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    limits = loading.Limits()
    number = loading._number_policy(limits.max_number)
    raws = _orjson_written(args.folder, limits)
    loading.expect_files(loading.QUICK_READ_AFTER)
    rows = [
        ("orjson.loads", lambda raw: orjson.loads(raw)),
        ("+ levels, depth, written again", lambda raw: _walked(raw, limits.max_depth, False)),
        ("+ each level's types (floats)", lambda raw: _walked(raw, limits.max_depth, True)),
        (
            "+ integers' magnitudes (quick_read.read)",
            lambda raw: quick_read.read(raw.decode("utf-8"), limits, number, raw),
        ),
        ("all of `load`'s parse (loading.parsed)", lambda raw: loading.parsed(raw, "", limits)),
    ]
    print(f"{len(raws)} files written as orjson writes them; µs of CPU a file (least of "
          f"{args.rounds})")  # fmt: skip
    for name, each in rows:
        print(f"  {name:<44} {_least(args.rounds, raws, each):7.1f}")
    schemas = all_schemas()
    uri = next(uri for uri in schemas if uri.endswith(PROTOCOL))
    bounded_schemas = {key: _bounded(value, limits.max_number) for key, value in schemas.items()}
    registry = jsonschema_rs().Registry(list(bounded_schemas.items()))
    published = _fast_validator(schemas[uri])
    bounded = jsonschema_rs().Draft202012Validator(
        bounded_schemas[uri], registry=registry, validate_formats=True
    )
    datas = [data for data in map(orjson.loads, raws) if data.get("$schema") == uri]
    datas = [data for data in datas if published.is_valid(data)]
    agree = sum(bounded.is_valid(data) for data in datas)
    print(f"{len(datas)} schema-valid protocols ({agree} valid with the bounds too)")
    for name, validator in (("published schema", published), ("numbers bounded", bounded)):
        print(f"  {name:<44} {_least(args.rounds, datas, validator.is_valid):7.1f}")
    sets = jsonschema_rs().validator_for(
        _bounded({"type": "integer", "minimum": 1}, limits.max_number)
    )
    angle = jsonschema_rs().validator_for(_bounded({"type": "number"}, limits.max_number))
    print("a number at an integer place (sets) and at a number place (an angle):")
    print(f"  {'token':<27} {'strict parse':<13} {'orjson reads':<24} bounded schema passes")
    for token in TOKENS:
        read = orjson.loads(token)
        passes = f"{sets.is_valid(read)} / {angle.is_valid(read)}"
        print(f"  {token:<27} {_strictly(token):<13} {read!r:<24} {passes}")


if __name__ == "__main__":
    main()
