"""The FHIR export's mapping; R4B exports are validated by fhir.resources' R4B models here, and
every export by more validators in tests/fhir/."""

from __future__ import annotations

import json

import pytest
from bundle_helpers import PNG, TRANSLATED, copy_examples, create, entries_of
from fhir.resources.R4B.bundle import Bundle

from conftest import CASES, PROTOCOLS, run_protokit

EXAMPLE = PROTOCOLS / "psoas-stretch-glute-bridge.json"
DOSAGE = "https://schemas.protocol-kit.org/fhir/StructureDefinition/exercise-dosage"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"


def export(path, *options, version="R4B"):
    result = run_protokit("export", "fhir", str(path), "--fhir-version", version, *options)
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    if version == "R4B":
        Bundle.model_validate(document)  # raises on anything R4B does not allow
    return document


def resources(document, kind):
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == kind]


def dosage_of(activity):
    extension = next(e for e in activity["extension"] if e["url"] == DOSAGE)
    return {
        part["url"]: next(v for k, v in part.items() if k.startswith("value"))
        for part in extension["extension"]
        if any(k.startswith("value") for k in part)
    }


def test_plan_definition_with_an_action_per_exercise():
    document = export(EXAMPLE)
    assert document["resourceType"] == "Bundle" and document["type"] == "collection"
    [plan] = resources(document, "PlanDefinition")
    activities = resources(document, "ActivityDefinition")
    assert plan["id"] == "psoas-stretch-glute-bridge" and plan["version"] == "1.0.6"
    # A draft has had no review: no lastReviewDate; `date` is when the content last changed.
    assert plan["status"] == "draft" and "lastReviewDate" not in plan
    assert plan["date"] == json.loads(EXAMPLE.read_text())["updated"]
    assert plan["title"] == "Lower back pain: hip flexor stretch and glute bridge"
    assert plan["type"]["coding"][0]["code"] == "clinical-protocol"
    focus = [c["valueCodeableConcept"]["coding"][0] for c in plan["useContext"]]
    assert [(c["system"], c["code"]) for c in focus] == [
        ("http://hl7.org/fhir/sid/icd-10-cm", "M54.50"),
        ("http://snomed.info/sct", "279039007"),
    ]
    assert {c["code"]["code"] for c in plan["useContext"]} == {"focus"}
    assert [a["title"] for a in plan["action"]] == ["Kneeling hip flexor stretch", "Glute bridge"]
    for action, activity in zip(plan["action"], activities, strict=True):
        assert action["definitionCanonical"] == f"{activity['url']}|1.0.6"
        assert action["timingTiming"] == activity["timingTiming"]
    stretch, bridge = activities
    assert stretch["kind"] == "ServiceRequest"
    assert stretch["code"]["coding"][0]["code"] == "229065009"
    assert stretch["timingTiming"]["repeat"] == {
        "boundsDuration": {
            "value": 6,
            "unit": "wk",
            "system": "http://unitsofmeasure.org",
            "code": "wk",
        },
        "frequency": 1,
        "period": 1,
        "periodUnit": "d",
    }
    # Five days a week, once a day: five times a week (the day split is in the extension).
    assert bridge["timingTiming"]["repeat"]["frequency"] == 5
    assert bridge["timingTiming"]["repeat"]["periodUnit"] == "wk"


def test_dosage_fhir_has_no_element_for_is_in_the_documented_extension():
    stretch, bridge = resources(export(EXAMPLE), "ActivityDefinition")
    dosage = dosage_of(stretch)
    assert dosage["sets"] == 2  # the protocol's override of the library's 3
    assert dosage["hold"] == {
        "value": 45,
        "unit": "s",
        "system": "http://unitsofmeasure.org",
        "code": "s",
    }
    assert dosage["rest"]["value"] == 15
    assert dosage["side"] == "each"
    assert dosage["sessionsPerDay"] == 1 and dosage["daysPerWeek"] == 7 and dosage["weeks"] == 6
    assert dosage["intensity"] == "A gentle stretch, never pain"
    assert dosage_of(bridge)["repetitions"] == 10 and dosage_of(bridge)["daysPerWeek"] == 5


def test_body_sites_are_coded_only_where_the_code_was_checked():
    stretch, bridge = resources(export(EXAMPLE), "ActivityDefinition")
    assert stretch["bodySite"] == [
        {"coding": [{"system": "http://snomed.info/sct", "code": "29836001"}], "text": "Hip"},
        {
            "coding": [{"system": "http://snomed.info/sct", "code": "122496007"}],
            "text": "Lumbar spine",
        },
    ]
    assert bridge["bodySite"][0] == {"text": "Gluteal region"}


def test_contraindications_and_safety_instructions_are_clinical_use_definitions():
    document = export(EXAMPLE)
    [plan] = resources(document, "PlanDefinition")
    uses = resources(document, "ClinicalUseDefinition")
    plan_url = next(e["fullUrl"] for e in document["entry"] if e["resource"] is plan)
    on_plan = [u for u in uses if u["subject"] == [{"reference": plan_url}]]
    contraindications = [u for u in on_plan if u["type"] == "contraindication"]
    assert len(contraindications) == 3
    cauda = contraindications[0]["contraindication"]["diseaseSymptomProcedure"]["concept"]
    assert cauda["coding"][0]["code"] == "G83.4"
    warnings = [u["warning"]["code"] for u in on_plan if u["type"] == "warning"]
    codes = [w["coding"][0]["code"] for w in warnings]
    assert codes.count("red-flag-emergency") == 4 and codes.count("red-flag-urgent") == 4
    assert codes.count("stop-criterion") == 3
    assert (
        "Dizziness, feeling faint, or feeling much more out of breath than the exercise should "
        "make you." in [w.get("text") for w in warnings]
    )
    # The stretch's own contraindication and precautions point at its ActivityDefinition.
    stretch_url = next(
        e["fullUrl"]
        for e in document["entry"]
        if e["resource"].get("name") == "PsoasStretchGluteBridgeKneelingHipFlexorStretch"
    )
    # One contraindication and three precautions: "Aim for a gentle pull ..., never pain." is a
    # precaution since it moved from the tips to "Take care" (H248), and is exported as one.
    assert len([u for u in uses if u["subject"] == [{"reference": stretch_url}]]) == 4


def test_fhir_r4_carries_the_same_statements_in_an_extension():
    document = export(EXAMPLE, version="R4")
    assert resources(document, "ClinicalUseDefinition") == []
    [plan] = resources(document, "PlanDefinition")
    uses = [e for e in plan["extension"] if e["url"].endswith("/clinical-use")]
    assert len(uses) == 3 + 1 + 8 + 3  # contraindications, precaution, red flags, stop criteria


def test_every_language_is_kept():
    document = export(TRANSLATED)
    [plan] = resources(document, "PlanDefinition")
    assert plan["language"] == "en-GB" and plan["title"] == "Back basics"
    [translation] = plan["_title"]["extension"]
    assert translation["url"] == TRANSLATION
    assert translation["extension"] == [
        {"url": "lang", "valueCode": "fr"},
        {"url": "content", "valueString": "Les bases du dos"},
    ]
    [activity] = resources(document, "ActivityDefinition")
    french = activity["_description"]["extension"][0]["extension"][1]["valueString"]
    assert "2. FR Let your back sink slowly into a gentle arch." in french
    parts = next(e for e in activity["extension"] if e["url"] == DOSAGE)["extension"]
    [intensity] = [p for p in parts if p["url"] == "intensity"]
    assert intensity["extension"] == [
        {
            "url": "text",
            "extension": [
                {"url": "lang", "valueCode": language},
                {"url": "content", "valueString": value},
            ],
        }
        for language, value in (
            ("en-GB", "Easy movement, no pain"),
            ("fr", "FR Easy movement, no pain"),
        )
    ]


def test_patient_text_is_never_read_as_markdown(tmp_path):
    data = json.loads((CASES / "validate/valid/minimal-protocol/protocol.json").read_text())
    exercise = data["exercises"][0]
    exercise["steps"] = ["1. Lie *slowly* on <b>your</b> back & breathe", "# not a heading"]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    [activity] = resources(export(path), "ActivityDefinition")
    steps = activity["description"].split("\n\n", 1)[1]
    assert steps == (
        "1. 1\\. Lie \\*slowly\\* on \\<b\\>your\\</b\\> back \\& breathe\n2. \\# not a heading"
    )


def test_a_line_break_in_a_text_is_kept_in_the_markdown_and_the_narrative(tmp_path):
    # Markdown reads a bare line break as a space and so does XHTML: two instructions on two
    # lines were shown as one in a FHIR viewer (H311). Blanks at the start of a line are
    # dropped (markdown would read them as code; the sheet does not print them either).
    data = json.loads((CASES / "validate/valid/minimal-protocol/protocol.json").read_text())
    data["summary"] = "Kneel on the cushion.\n  Then swap sides. C:\\\n\nAnother paragraph."
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    document = export(path)
    [plan] = resources(document, "PlanDefinition")
    assert plan["description"] == (
        "Kneel on the cushion.\\\nThen swap sides. C:\\\\\n\nAnother paragraph."
    )
    shown = "Kneel on the cushion.<br/>  Then swap sides. C:\\<br/><br/>Another"
    assert shown in plan["text"]["div"]
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(document))
    back = tmp_path / "back" / "p.json"
    back.parent.mkdir()
    assert run_protokit("import", "fhir", str(exported), "-o", str(back)).code == 0
    assert json.loads(back.read_text())["summary"] == (
        "Kneel on the cushion.\nThen swap sides. C:\\\n\nAnother paragraph."
    )


def test_export_is_reproducible_and_refuses_an_invalid_protocol(tmp_path):
    assert export(EXAMPLE) == export(EXAMPLE)
    out = tmp_path / "plan.json"
    assert run_protokit("export", "fhir", str(EXAMPLE), "-o", str(out)).code == 0
    assert json.loads(out.read_text()) == export(EXAMPLE, version="R4")  # the default
    invalid = CASES / "validate/invalid/wrong-enum-status/protocol.json"
    result = run_protokit("export", "fhir", str(invalid))
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        f'protokit: error: {invalid}:7:13: "approved" is not one of: draft, active, retired '
        "[/status]"
    )


def test_canonical_base_and_publisher():
    document = export(
        EXAMPLE, "--canonical-base", "https://fhir.northside.example/", "--publisher-name",
        "Northside Physio", "--publisher-contact", "info@northside.example", version="R4",
    )  # fmt: skip
    [plan] = resources(document, "PlanDefinition")
    assert plan["url"] == "https://fhir.northside.example/PlanDefinition/psoas-stretch-glute-bridge"
    assert plan["publisher"] == "Northside Physio"
    assert plan["contact"] == [
        {
            "name": "Northside Physio",
            "telecom": [{"system": "email", "value": "info@northside.example"}],
        }
    ]


@pytest.mark.parametrize("version", ["R4B", "R4"])
def test_bundle_create_adds_a_valid_export_with_images_embedded(tmp_path, version):
    import base64

    folder = copy_examples(tmp_path)
    library = folder / "library" / "glute-bridge.json"
    bridge = json.loads(library.read_text())
    bridge["media"] = [
        {"kind": "image", "path": "images/bridge.png", "alt": "Bridge", "author": "A. Artist",
         "licence": "CC0-1.0"}
    ]  # fmt: skip
    (folder / "library" / "images").mkdir()
    (folder / "library" / "images" / "bridge.png").write_bytes(PNG)
    library.write_text(json.dumps(bridge))
    out = tmp_path / "b.pkb"
    create(folder, out, "--fhir", "--fhir-version", version)
    files = entries_of(out)
    document = json.loads(files["fhir/psoas-stretch-glute-bridge.json"])
    Bundle.model_validate(document)
    definitions = json.loads(files["fhir/definitions.bundle.json"])
    urls = {e["resource"]["url"] for e in definitions["entry"]}
    used = {e["url"] for r in resources(document, "ActivityDefinition") for e in r["extension"]}
    assert used <= urls
    bridge_activity = resources(document, "ActivityDefinition")[1]
    [artifact] = bridge_activity["relatedArtifact"]
    assert artifact["display"] == "Bridge" and artifact["citation"] == "A. Artist, CC0-1.0"
    assert artifact["document"]["contentType"] == "image/png"
    assert base64.b64decode(artifact["document"]["data"]) == PNG
    assert artifact["document"]["size"] == len(PNG)


SICI_DOI = "10.1002/(SICI)1097-4636(199601)30:1<1::AID-JBM1>3.0.CO;2-T"


def test_a_doi_is_percent_encoded_in_its_link_and_an_earlier_export_still_verifies(tmp_path):
    """H1242: a DOI was put after https://doi.org/ as written: a SICI DOI's `<` and `>`, and a
    hostile one's `"><script>`, went into `relatedArtifact.url` as they are. The DOI Handbook
    asks for them percent-encoded; a bundle made with `--fhir` before still verifies."""
    from bundle_helpers import make_keys, rebuild

    folder = copy_examples(tmp_path)
    protocol = folder / "psoas-stretch-glute-bridge.json"
    data = json.loads(protocol.read_text("utf-8"))
    [cited] = [r for r in data["references"] if "doi" in r]
    cited["doi"] = SICI_DOI
    protocol.write_text(json.dumps(data, indent=2), "utf-8")
    encoded = "https://doi.org/10.1002/(SICI)1097-4636(199601)30:1%3C1::AID-JBM1%3E3.0.CO;2-T"
    [link] = [a["url"] for a in resources(export(protocol), "PlanDefinition")[0]["relatedArtifact"]
              if "doi.org" in a.get("url", "")]  # fmt: skip
    assert link == encoded
    cited["doi"] = '10.1234/x"><script>alert(1)</script>'
    protocol.write_text(json.dumps(data, indent=2), "utf-8")
    assert "%22%3E%3Cscript%3Ealert(1)%3C/script%3E" in json.dumps(export(protocol))
    cited["doi"] = SICI_DOI
    protocol.write_text(json.dumps(data, indent=2), "utf-8")
    key, _, trust = make_keys(tmp_path)
    bundle = tmp_path / "now.pkb"
    create(folder, bundle, "--fhir", "--sign", str(key))
    name = "fhir/psoas-stretch-glute-bridge.json"

    def as_before(entries):  # the export as protokit wrote it before H1242
        entries[name] = entries[name].replace(
            encoded.encode(), f"https://doi.org/{SICI_DOI}".encode()
        )

    earlier = rebuild(bundle, tmp_path / "earlier.pkb", as_before, key)
    assert f"https://doi.org/{SICI_DOI}".encode() in entries_of(earlier)[name]
    for made in (bundle, earlier):
        result = run_protokit("bundle", "verify", str(made), "--trust", str(trust))
        assert result.code == 0, result.stderr
        (tmp_path / "export.json").write_bytes(entries_of(made)[name])
        result = run_protokit("import", "fhir", str(tmp_path / "export.json"))
        assert result.code == 0, result.stderr
        [read] = [r for r in json.loads(result.stdout)["references"] if "doi" in r]
        assert read == {"citation": cited["citation"], "doi": SICI_DOI}  # no `url` beside it
