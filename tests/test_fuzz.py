"""Property-based fuzzing: whatever the input, the checker returns findings, never raises, and
the fast and detailed schema engines agree on what is valid."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CASES, PROTOCOLS
from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.findings import FileReport
from protocol_kit.loading import JsonProblem, Limits, decode, parse
from protocol_kit.schemas import KIND_BY_NAME

BASE = json.loads((CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json").read_text())
PROTOCOL = KIND_BY_NAME["protocol"]
CHECKER = FileChecker(CheckOptions())

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)
# Bounded and the same on every run in CI (a newly found example never makes it flaky);
# PROTOKIT_FUZZ=long searches afresh, with more examples (see test_fuzz_commands.py).
LONG = os.environ.get("PROTOKIT_FUZZ") == "long"
FUZZ = settings(
    max_examples=2000 if LONG else 100,
    deadline=None,
    derandomize=not LONG,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_give_a_problem_or_a_document(raw):
    try:
        parse(decode(raw), Limits())
    except JsonProblem as problem:
        assert problem.code.startswith("JSON") and problem.message


@FUZZ
@given(json_values)
def test_random_json_never_crashes_the_checker(value):
    text = json.dumps(value)
    try:
        document = parse(text, Limits(), name="fuzz.json")
    except JsonProblem:
        return
    findings = CHECKER.check_document(document, FileReport("fuzz.json"))
    assert all(f.code and f.message for f in findings)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


ALL_PATHS = [p for p in _paths(BASE) if p]


@FUZZ
@given(st.sampled_from(ALL_PATHS), json_values, st.booleans())
def test_mutated_protocols_agree_between_engines_and_never_crash(path, replacement, delete):
    data = copy.deepcopy(BASE)
    parent = data
    for token in path[:-1]:
        parent = parent[token]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    fast = CHECKER.schemas.is_valid(PROTOCOL, data)
    detailed = CHECKER.schemas.findings(PROTOCOL, data)
    assert fast == (not detailed), (path, detailed)
    try:
        document = parse(json.dumps(data), Limits(), name="fuzz.json")
    except JsonProblem:
        return  # the replacement was a non-finite float: refused by the parser, as it should be
    CHECKER.check_document(document, FileReport("fuzz.json"))


def test_engines_agree_on_every_example_and_case():
    files = [*PROTOCOLS.rglob("*.json"), *CASES.rglob("*.json")]
    checked = 0
    for path in files:
        try:
            data = parse(decode(Path(path).read_bytes()), Limits()).data
        except JsonProblem:
            continue
        for kind in KIND_BY_NAME.values():
            fast = CHECKER.schemas.is_valid(kind, data)
            assert fast == (not CHECKER.schemas.findings(kind, data)), (path, kind.name)
            checked += 1
    assert checked > 50
