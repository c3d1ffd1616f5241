"""A value of the wrong type is named with how to write it: a number or true/false written in
quotes (`"value": "6"`, what a therapist writes over a template's `"TODO: the score today"`) is
told to lose them, and nothing else is."""

from __future__ import annotations

import pytest

from protocol_kit.validation import _unquoted_hint


@pytest.mark.parametrize(
    ("value", "wanted", "hint"),
    [
        ("6", ["number"], ' "6": write 6 without the quotes'),
        ("2.5", ["number"], ' "2.5": write 2.5 without the quotes'),
        (" 10 ", ["integer"], ' " 10 ": write 10 without the quotes'),
        ("-1", ["integer"], ' "-1": write -1 without the quotes'),
        ("true", ["boolean"], ' "true": write true without the quotes'),
        ("2.5", ["integer"], ""),  # not a whole number: the quotes are not the only mistake
        ("six", ["number"], ""),
        ("1e3", ["number"], ""),
        ("07", ["integer"], ""),  # not how JSON writes a number
        ("yes", ["boolean"], ""),
        (6, ["string"], ""),
    ],
)
def test_text_that_reads_as_the_wanted_value_says_to_drop_the_quotes(value, wanted, hint):
    assert _unquoted_hint(value, wanted) == hint


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("", "must not be empty or blank"),
        ("   ", "must not be empty or blank"),
        ({}, "must not be empty"),
        ({"en": ""}, "must not be empty or blank"),
    ],
)
def test_an_empty_text_is_told_it_is_empty_not_that_it_should_be_another_type(
    tmp_path, step, message
):
    """A patient-facing text is a string or an object of translations: an empty step (what
    the workbench's "Add" puts in the list) was told "expected an object { ... }, got text",
    the other branch's complaint."""
    import json

    from conftest import REPO, run_protokit

    data = json.loads((REPO / "protocols/library/glute-bridge.json").read_text("utf-8"))
    data["steps"].append(step)
    (tmp_path / "library").mkdir()
    path = tmp_path / "library" / "glute-bridge.json"
    path.write_text(json.dumps(data, indent=2), "utf-8")
    result = run_protokit("validate", str(path))
    assert result.code == 1
    assert f"error SCHEMA002 {message} [/steps/{len(data['steps']) - 1}" in result.stdout, (
        result.stdout
    )
    assert "expected an object" not in result.stdout
