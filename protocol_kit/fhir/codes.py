"""The code systems, value sets and extension URLs the FHIR export uses, in one place.

Every URL here is documented in docs/fhir.md. SNOMED CT codes appear only where the code was
checked against a published source (noted beside each); anything unchecked is exported as text.
"""

from __future__ import annotations

from protocol_kit.model import SNOMED

FHIR_R4 = "4.0.1"
FHIR_R4B = "4.3.0"
# Release name -> version. R4 is the default: most servers in use speak R4 (see docs/fhir.md).
RELEASES = {"R4": FHIR_R4, "R4B": FHIR_R4B}
FHIR_VERSIONS = (FHIR_R4, FHIR_R4B)
DEFAULT_VERSION = FHIR_R4


def fhir_version(name: str) -> str:
    """`R4`, `R4B` (any case) or a version number (4.0.1, 4.3.0) -> the version number."""
    return RELEASES.get(name.upper(), name)


def release_of(version: str) -> str:
    return next(release for release, number in RELEASES.items() if number == version)


UCUM = "http://unitsofmeasure.org"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
USAGE_CONTEXT_TYPE = "http://terminology.hl7.org/CodeSystem/usage-context-type"
DEFINITION_TOPIC = "http://terminology.hl7.org/CodeSystem/definition-topic"
PLAN_DEFINITION_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"

# protocol-kit's own definitions: extensions for what core FHIR has no element for. These are
# protocol-kit's, whoever publishes a protocol, so their URLs do not depend on the publisher;
# `protokit export fhir-definitions` writes the StructureDefinitions and CodeSystem published
# at them (definitions.toml).
PROFILE_BASE = "https://schemas.protocol-kit.org/fhir/"
EXERCISE_DOSAGE = PROFILE_BASE + "StructureDefinition/exercise-dosage"
EXERCISE_TYPE = PROFILE_BASE + "StructureDefinition/exercise-type"
EXERCISE_LATERALITY = PROFILE_BASE + "StructureDefinition/exercise-laterality"
EXERCISE_DETAILS = PROFILE_BASE + "StructureDefinition/exercise-details"
PROTOCOL_DETAILS = PROFILE_BASE + "StructureDefinition/protocol-details"
PERSON_DETAILS = PROFILE_BASE + "StructureDefinition/person-details"
REFERENCE_DOI = PROFILE_BASE + "StructureDefinition/reference-doi"
MEDIA_DETAILS = PROFILE_BASE + "StructureDefinition/media-details"
PATIENT_ADVICE = PROFILE_BASE + "StructureDefinition/patient-advice"
CLINICAL_USE = PROFILE_BASE + "StructureDefinition/clinical-use"  # FHIR R4 only
SIGN_OFF = PROFILE_BASE + "StructureDefinition/sign-off"
EXERCISE_POSES = PROFILE_BASE + "StructureDefinition/exercise-poses"
PRESCRIBING_PLAN = PROFILE_BASE + "StructureDefinition/prescribing-plan"
RED_FLAG_COVERS = PROFILE_BASE + "StructureDefinition/red-flag-covers"
# The protocol's and the exercise's own ids, as business identifiers (the resource ids are the
# server's in a transaction).
PROTOCOL_ID = PROFILE_BASE + "identifier/protocol"
EXERCISE_ID = PROFILE_BASE + "identifier/exercise"
SAFETY_INSTRUCTION = PROFILE_BASE + "CodeSystem/safety-instruction"

# "Exercise therapy (regime/therapy)": the code HL7's Physical Activity implementation guide
# uses for an exercise prescription (ServiceRequest Scen1ExerciseRx).
EXERCISE_THERAPY = {"coding": [{"system": SNOMED, "code": "229065009"}], "text": "Exercise therapy"}

# Body regions of the format -> SNOMED CT body structure, where checked: the codes DICOM PS3.16
# lists for these regions (CID 4031 "Common Anatomic Regions" and CID 4 "Anatomic Region").
# Pelvis, abdomen, gluteal region and ankle are left as text: the sources found disagree on
# (or do not give) one code for them.
BODY_SITE_CODES = {
    "cervical-spine": "122494005",
    "thoracic-spine": "122495006",
    "lumbar-spine": "122496007",
    "hip": "29836001",
    "thigh": "68367000",
    "knee": "72696002",
    "lower-leg": "30021000",
    "foot": "56459004",
    "shoulder": "16982005",
}
BODY_SITE_TEXT = {
    "cervical-spine": "Cervical spine",
    "thoracic-spine": "Thoracic spine",
    "lumbar-spine": "Lumbar spine",
    "pelvis": "Pelvis",
    "abdomen": "Abdomen",
    "hip": "Hip",
    "gluteal-region": "Gluteal region",
    "thigh": "Thigh",
    "knee": "Knee",
    "lower-leg": "Lower leg",
    "ankle": "Ankle",
    "foot": "Foot",
    "shoulder": "Shoulder",
}


def system_name(system: str) -> str:
    """A code system's name for a person: ICD-10-CM, WHO ICD-10, SNOMED CT, else its URL."""
    from protocol_kit.model import SYSTEM_NAMES

    return SYSTEM_NAMES.get(system, system)


def body_site(region: str) -> dict:
    """A body region as a CodeableConcept: SNOMED CT where checked, always with text."""
    concept: dict = {"text": BODY_SITE_TEXT.get(region, region)}
    code = BODY_SITE_CODES.get(region)
    if code:
        concept = {"coding": [{"system": SNOMED, "code": code}], **concept}
    return concept
