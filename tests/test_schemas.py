"""The published schemas: valid draft 2020-12, stable ids, shipped with the package, documented."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import REPO, run_protokit
from protocol_kit.schema_docs import markdown
from protocol_kit.schemas import DOCUMENT_KINDS, SCHEMA_BASE, all_schemas

SCHEMA_FILES = sorted((REPO / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=[p.name for p in SCHEMA_FILES])
def test_schema_is_valid_2020_12_with_a_stable_id(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_BASE + path.name


def test_every_document_kind_has_its_schema():
    for kind in DOCUMENT_KINDS:
        assert kind.uri in all_schemas()


def _undocumented(node, where):
    if isinstance(node, dict):
        for name, child in node.get("properties", {}).items():
            if isinstance(child, dict) and "description" not in child and "const" not in child:
                yield f"{where}/properties/{name}"
        for key, child in node.items():
            yield from _undocumented(child, f"{where}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _undocumented(child, f"{where}/{index}")


def test_every_property_is_described_for_editors():
    undocumented = [
        f"{path.name}{where}"
        for path in SCHEMA_FILES
        for where in _undocumented(json.loads(path.read_text(encoding="utf-8")), "")
        # Conditional branches only tighten a property already described.
        if "/if/" not in where and "/then/" not in where
    ]
    assert undocumented == []


def test_field_reference_in_docs_is_current():
    assert (REPO / "docs" / "format.md").read_text(encoding="utf-8") == markdown(), (
        "docs/format.md is out of date: run protokit schemas --markdown > docs/format.md"
    )


def test_installed_wheel_carries_the_schemas(tmp_path):
    """Build the wheel as pip would and check the schemas are inside it."""
    import subprocess
    import sys
    import zipfile

    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            # The build backend of pyproject.toml, installed with the test extras: not
            # installed again into a new environment for each run (seconds of copying).
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-500:]
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in SCHEMA_FILES:
        assert f"protocol_kit/schemas/{path.name}" in names
    # The pose vocabulary (pictures and pose checks need it in an installed copy too).
    for path in (REPO / "protocol_kit" / "illustration" / "data").glob("*.json"):
        assert f"protocol_kit/illustration/data/{path.name}" in names
    # The starting texts of a new protocol, and the example library `protokit init
    # --examples` copies (it said "no example library" in an installed copy without it).
    assert "protocol_kit/starter/data/protocol_texts.json" in names
    for path in (REPO / "protocols" / "library").glob("*.json"):
        assert f"protocol_kit/starter/example_library/{path.name}" in names


def test_schemas_command_lists_uris():
    result = run_protokit("schemas")
    for kind in DOCUMENT_KINDS:
        assert kind.uri in result.stdout


def test_every_description_of_urgent_sends_the_patient_to_a_doctor():
    # H249: an urgent red flag (fever, weight loss, a fall, night pain) needs a doctor the
    # same day, or the urgent line (NHS 111); the schema, the red-flag data and the FHIR
    # export said "your doctor or therapist" / "the clinician".
    from protocol_kit.fhir.clinical_use import HEADINGS

    schema = json.loads((REPO / "schemas" / "protocol.schema.json").read_text("utf-8"))
    action = schema["$defs"]["red_flag"]["properties"]["action"]["description"]
    data = REPO / "protocol_kit" / "redflags" / "red_flags.json"
    red_flags = json.loads(data.read_text("utf-8"))["actions"]["urgent"]
    fhir = (REPO / "protocol_kit" / "fhir" / "definitions.toml").read_text("utf-8")
    [concept] = [line for line in fhir.splitlines() if 'code = "red-flag-urgent"' in line]
    urgent = action.split("`urgent`:")[1]
    for text in (urgent, red_flags, HEADINGS["red-flag-urgent"], concept):
        assert "doctor" in text and "therapist" not in text and "clinician" not in text, text
        assert "urgent medical line" in text, text
