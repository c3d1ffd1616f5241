"""The schemas hold up in another implementation: ajv (JSON Schema 2020-12, every strict option
on) compiles them without a warning, and agrees with protokit on every example and valid case.
A validator that treats `format` as an annotation (the 2020-12 default) still refuses an
impossible date, from the pattern alone."""

from __future__ import annotations

import json

import pytest

from conftest import CASES, REPO

AJV_CHECK = REPO / "tests" / "tools" / "ajv_check.mjs"
SCHEMAS = REPO / "schemas"
INVALID_DATE = CASES / "validate" / "invalid" / "impossible-date" / "protocol.json"


def protocol_kit_files() -> list:
    """Every example file: protocols, the library, docs/examples, and the valid cases."""
    folders = [REPO / "protocols", REPO / "docs" / "examples", CASES / "validate" / "valid"]
    files = []
    for folder in folders:
        for path in sorted(folder.rglob("*.json")):
            data = json.loads(path.read_text("utf-8-sig"))
            if str(data.get("$schema", "")).startswith("https://schemas.protocol-kit.org/"):
                files.append(path)
    return files


def ajv(node_tools, *args):
    done = node_tools.run(AJV_CHECK, str(SCHEMAS), *map(str, args))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_strict_mode_accepts_the_schemas(node_tools):
    result = ajv(node_tools)
    assert result["schemaErrors"] == [] and result["warnings"] == []


def test_every_example_and_valid_case_is_valid_under_ajv(node_tools):
    files = protocol_kit_files()
    assert len(files) > 20
    result = ajv(node_tools, *files)
    invalid = {path: errors for path, errors in result["files"].items() if errors}
    assert invalid == {}


@pytest.mark.parametrize("formats", [True, False], ids=["formats", "format-as-annotation"])
def test_an_impossible_date_is_refused_with_or_without_formats(node_tools, tmp_path, formats):
    data = json.loads(INVALID_DATE.read_text("utf-8"))
    assert data["next_review"] == "2027-02-30"
    dates = {"2027-02-30": False, "2027-04-31": False, "2027-13-01": False, "2027-00-10": False,
             "2028-02-29": True, "2027-12-31": True}  # fmt: skip
    paths = {}
    for date, _ in dates.items():
        path = tmp_path / f"{date}.json"
        path.write_text(json.dumps({**data, "next_review": date}), "utf-8")
        paths[date] = path
    args = [*paths.values()] + ([] if formats else ["--no-formats"])
    result = ajv(node_tools, *args)["files"]
    for date, valid in dates.items():
        assert (result[str(paths[date])] == []) is valid, date


def test_29_february_of_a_common_year_only_protokit_refuses(node_tools, tmp_path):
    # A pattern cannot tell leap years simply (docs/format.md says so); `format` can.
    from conftest import run_protokit

    data = json.loads(INVALID_DATE.read_text("utf-8"))
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps({**data, "next_review": "2027-02-29"}), "utf-8")
    assert ajv(node_tools, path, "--no-formats")["files"][str(path)] == []
    assert ajv(node_tools, path)["files"][str(path)] != []
    result = run_protokit("validate", "--no-lint", str(path))
    assert result.code == 1 and "is not a real calendar date" in result.stdout
