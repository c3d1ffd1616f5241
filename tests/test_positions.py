"""The pointer walk (`jsontext.positions`) names the places json-source-map names, or none.

Findings of the rules are located by walking down their pointers; json-source-map stays the
reference. Every pointer of every example file, and of hostile layouts (keys written with
escapes or holding "/", CR and tab, empty containers, Unicode), with and without `at_key`,
and pointers that name nothing (the nearest enclosing value), must give json-source-map's
answer or leave the file to it."""

from __future__ import annotations

import json

import pytest

from conftest import CASES, PROTOCOLS
from protocol_kit.app.check import locate_findings
from protocol_kit.findings import Finding
from protocol_kit.jsontext.positions import positions
from protocol_kit.loading import decode, position_in, source_map_for

HOSTILE = {
    "tabs-and-cr": '{\r\n\t"a" :\t[ 1 ,\r\n {"b":  "x"} ,[ ] ,{ }],\t"c":null }',
    "unicode": '{"é":{"ünï":["ß", {"k": "😀 \\u00e9"}]}, "z": "\\"q\\""}',
    "escaped-key": '{"a\\u0062": {"c": 1}, "ab": 2, "d": [0]}',
    "slash-key": '{"a/b": 1, "a": {"b": 2}, "x": [{"y/z": 3}]}',
    "tilde-key": '{"a~b": 1, "a~0b": 2, "n": {"m~": [4]}}',
    "empty": "  {}  ",
    "nested-arrays": '[[[1, [2]], {"a": [[], [3, 4]]}]]',
    "numbers": '{"n": -1.5e3, "m": [0, 10, 2.0], "t": true, "f": false}',
    # What the strict reader refuses, and then locates: the repeat of a key, a constant.
    "duplicate-key": '{"a": 1, "b": {"c": 2, "c": [5]}, "a": [3, {"d": 4}]}',
    "constants": '{"n": NaN, "m": [1, -Infinity], "big": 1e999}',
}


def _pointers(source_map: dict) -> list[str]:
    known = list(source_map)
    return known + [p + "/missing" for p in known] + [p + "/0" for p in known] + ["/7", "/01"]


def _check_against_source_map(text: str) -> int:
    source_map = source_map_for(text)
    assert source_map is not None
    compared = 0
    for at_key in (False, True):
        targets = [(pointer, at_key) for pointer in _pointers(source_map)]
        found = positions(text, targets)
        if found is None:
            continue
        for (pointer, key), place in zip(targets, found, strict=True):
            assert place == position_in(source_map, pointer, key=key), (pointer, key)
            compared += 1
    return compared


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_layouts_are_placed_as_json_source_map_places_them(name):
    text = HOSTILE[name]
    json.loads(text)
    _check_against_source_map(text)


def test_every_pointer_of_the_examples_is_placed_as_json_source_map_places_it():
    files = sorted(PROTOCOLS.glob("*.json")) + sorted(CASES.glob("validate/valid/*/*.json"))
    compared = sum(_check_against_source_map(decode(f.read_bytes())) for f in files)
    assert compared > 10_000  # the walk answered, rather than leaving every file to the map


def test_the_walk_leaves_keys_written_otherwise_to_json_source_map():
    assert positions(HOSTILE["escaped-key"], [("/ab", False)]) is None
    assert positions(HOSTILE["slash-key"], [("/a/b", False)]) is None
    assert positions(HOSTILE["tilde-key"], [("/a~0b", False)]) is None
    assert positions(HOSTILE["unicode"], [("/é/ünï/1/k", True)]) == [(1, 20)]


def test_findings_of_a_file_get_the_same_lines_either_way():
    text = HOSTILE["tabs-and-cr"]
    findings = [
        Finding("f.json", "TEXT001", "m", pointer="/a/1/b", at_key=True),
        Finding("f.json", "TEXT001", "m", pointer="/c"),
        Finding("f.json", "SCHEMA002", "m", pointer="/a/3/nothing"),
    ]
    by_walk = locate_findings(findings[:2], text, "f.json")
    by_map = locate_findings(findings, text, "f.json")  # a schema finding: the map for all
    assert [(f.line, f.column) for f in by_walk] == [(3, 3), (3, 30)]
    assert [(f.line, f.column) for f in by_map] == [(3, 3), (3, 30), (3, 20)]
