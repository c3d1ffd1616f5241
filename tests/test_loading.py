"""Strict JSON reading: every ambiguity is refused with a code, a message and a location."""

from __future__ import annotations

import json

import pytest

from protocol_kit.errors import InputError
from protocol_kit.loading import JsonProblem, Limits, decode, load, parse, read_bytes


def problem(text: str, limits: Limits = Limits()) -> JsonProblem:
    with pytest.raises(JsonProblem) as caught:
        parse(text, limits)
    return caught.value


def test_valid_object_is_returned_with_its_text():
    document = parse('{"a": [1, 2.5, "x"]}', name="f.json")
    assert document.data == {"a": [1, 2.5, "x"]}
    assert document.name == "f.json"


def test_duplicate_key_is_located_at_the_repeat():
    found = problem('{"a": 1,\n "b": {"c": 1,\n  "c": 2}}')
    assert (found.code, found.line, found.column, found.pointer) == ("JSON002", 3, 3, "/b/c")
    assert '"c"' in found.message


def test_duplicate_key_at_top_level():
    found = problem('{"dose": 1, "dose": 2}')
    assert (found.code, found.pointer, found.line, found.column) == ("JSON002", "/dose", 1, 13)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused_where_they_are(token):
    found = problem('{"a": [1,\n  ' + token + "]}")
    assert (found.code, found.pointer, found.line, found.column) == ("JSON003", "/a/1", 2, 3)


def test_top_level_must_be_an_object():
    assert problem("[1, 2]").code == "JSON005"
    assert problem('"text"').code == "JSON005"


def test_truncated_file_says_so():
    found = problem('{"a": [1, 2')
    assert found.code == "JSON001"
    assert "incomplete" in found.message


def test_syntax_error_has_line_and_column():
    found = problem('{\n  "a": 1,\n  "b" 2\n}')
    assert (found.code, found.line, found.column) == ("JSON001", 3, 7)


def test_depth_limit_is_enforced_and_can_be_raised():
    nested = '{"a": ' + "[" * 40 + "]" * 40 + "}"
    assert problem(nested, Limits(max_depth=10)).code == "JSON006"
    assert parse(nested, Limits(max_depth=50)).data


def test_absurd_nesting_does_not_crash():
    assert problem('{"a": ' + "[" * 200_000 + "]" * 200_000 + "}").code == "JSON006"


def test_invalid_utf8_is_located():
    with pytest.raises(JsonProblem) as caught:
        decode(b'{"a":\n "caf\xe9"}')
    assert (caught.value.code, caught.value.line, caught.value.column) == ("JSON004", 2, 6)


def test_byte_order_mark_is_accepted():
    assert decode(b"\xef\xbb\xbf{}") == "{}"


def test_size_limit(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"a": "x" * 5000}))
    with pytest.raises(JsonProblem) as caught:
        read_bytes(str(path), Limits(max_bytes=1000, raisable=True))
    assert caught.value.code == "JSON007"
    assert "--max-bytes" in caught.value.message
    assert load(str(path), Limits(max_bytes=10_000)).data["a"] == "x" * 5000


def test_unreadable_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        read_bytes(str(tmp_path / "missing.json"), Limits())


def test_half_a_surrogate_pair_is_refused_where_it_is():
    with pytest.raises(JsonProblem) as caught:
        parse('{"a": 1,\n "steps": ["ok", "lift \\ud800 slowly"]}')
    problem = caught.value
    assert (problem.code, problem.line, problem.column, problem.pointer) == (
        "JSON008",
        2,
        18,
        "/steps/1",
    )


def test_half_a_surrogate_pair_in_a_key_is_refused_at_the_key():
    # H1097: the pointer names the object (a key with a half pair cannot go into a report);
    # the line and column are the key's, after an escaped backslash that is no escape of "u".
    with pytest.raises(JsonProblem) as caught:
        parse('{"a": "x\\\\ud800",\n "b": [{"k\\\\": 1,\n   "q\\uDC00\\n": 2}]}')
    problem = caught.value
    assert (problem.code, problem.line, problem.column, problem.pointer) == (
        "JSON008",
        3,
        4,
        "/b/0",
    )


def test_a_whole_surrogate_pair_is_a_character():
    assert parse('{"a": "\\ud83d\\ude00"}').data["a"] == "\U0001f600"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_lines_are_counted_as_an_editor_shows_them(newline):
    # An editor shows a lone CR (old Mac files) as a line break: the location must agree.
    found = problem(newline.join(['{"a": 1,', ' "b": {"c": 1,', '  "c": 2}}']))
    assert (found.code, found.line, found.column) == ("JSON002", 3, 3)
    found = problem(newline.join(["{", '"a": 1,', '"b": }']))
    assert (found.code, found.line, found.column) == ("JSON001", 3, 6)


def test_a_lone_cr_changes_no_value():
    assert parse('{"a":\r"x y",\r"b": [1,\r2]}').data == {"a": "x y", "b": [1, 2]}


def test_a_key_holding_a_slash_or_a_tilde_is_located():
    """H179: a finding at a key holding "/" or "~" (its pointer escapes them as ~1 and ~0) was
    placed at line 1, column 1, where the user cannot find it."""
    from protocol_kit.loading import locate

    text = '{\n  "title": "x",\n  "a/b~c": 1,\n  "": 2\n}'
    assert locate(text, "/a~1b~0c", key=True) == (3, 3)
    assert locate(text, "/", key=True) == (4, 3)


def test_a_large_text_of_countless_values_is_refused_before_it_is_parsed():
    """H421: 256 MB of `{},` (the size a FHIR import accepts) took gigabytes of memory and
    minutes to parse before its array was found too long; a text above the usual size is
    counted first: at the first array beyond the limit, or where it passes a million values."""
    from protocol_kit.loading import MAX_VALUES, JsonProblem, Limits, parse

    roomy = Limits(max_bytes=256 * 1024 * 1024)
    one_long = '{"entry": [' + ",".join(["{}"] * 800_000) + "]}"
    with pytest.raises(JsonProblem) as refused:
        parse(one_long, roomy)
    assert (refused.value.code, refused.value.line, refused.value.column) == ("JSON010", 1, 11)
    assert refused.value.message.startswith("an array of more than 1,000 items")
    row = "[" + ",".join(["0"] * 999) + "]"  # every array within the limit
    block = "[" + ",".join([row] * 999) + "]"
    many = '{"entry": [' + ",".join([block] * (MAX_VALUES // 999**2 + 1)) + "]}"
    with pytest.raises(JsonProblem) as refused:
        parse(many, roomy)
    assert refused.value.code == "JSON010" and refused.value.line == 1
    assert refused.value.message.startswith(f"more than {MAX_VALUES:,} values")


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("0e-99999999999999999999", True),
        ("-0.000E+99999999999999999999", True),
        ("1e-99999999999999999999", False),
        ("0.5E-99999999999999999999", False),
    ],
)
def test_an_exponent_of_many_digits_is_read_or_refused_not_an_internal_error(written, kept):
    # `decimal` refuses an exponent of more than 18 digits (InvalidOperation), which the
    # check that a number reads back as written let through as "internal error".
    text = '{\n  "sets": ' + written + "\n}\n"
    if kept:
        assert parse(text).data == {"sets": 0}
    else:
        with pytest.raises(JsonProblem) as refused:
            parse(text)
        assert (refused.value.code, refused.value.line, refused.value.column) == ("JSON011", 2, 11)
        assert "it would be read as 0" in str(refused.value)
