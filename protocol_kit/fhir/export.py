"""A protocol as an HL7 FHIR Bundle (R4 4.0.1 by default, or R4B 4.3.0), built as plain dicts.

- one PlanDefinition for the protocol: title, summary, status, the date its content last
  changed (`date`), its sign-off (`endorser` with the `sign-off` extension, and the sign-off
  date as `approvalDate` and `lastReviewDate`), authors and reviewer, references, the coded
  indications (ICD-10-CM, WHO ICD-10, SNOMED CT) as `useContext` (focus) and `topic`
  "treatment", one `action` per exercise, in order, with `definitionCanonical` and
  `timingTiming`, and what FHIR has no element for (languages, next review, pain guide,
  general advice, delivery) in the `protocol-details` extension;
- one ActivityDefinition per exercise: `kind` ServiceRequest, `code` exercise therapy,
  `description` (starting position and numbered steps), `purpose`, `bodySite`, `timingTiming`,
  `relatedArtifact` for each image (embedded) and video (linked), the dosage in the
  `exercise-dosage` extension, the rest of the exercise in `exercise-details` and its poses
  (the JSON its picture is drawn from) in `exercise-poses`;
- contraindications, precautions, red flags and stop criteria as ClinicalUseDefinition
  resources (R4B), or, for R4, which has no such resource, in the `clinical-use` extension;
- a narrative on every resource, with its safety statements.

Canonical URLs come from the publisher (`identity.Publisher`), the Bundle's type and requests
from `bundles`. docs/fhir.md documents every mapping and extension.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from protocol_kit.errors import UsageError
from protocol_kit.fhir import codes
from protocol_kit.fhir.bundles import BUNDLE_TYPES, Entry, full_url, make_bundle
from protocol_kit.fhir.clinical_use import (
    ClinicalUse,
    concept,
    exercise_uses,
    protocol_uses,
    uses_blocks,
)
from protocol_kit.fhir.extensions import complex_extension, part, text_part
from protocol_kit.fhir.identity import Publisher, contact_system
from protocol_kit.fhir.narrative import Block, Heading, Items, Paragraph, labelled, narrative
from protocol_kit.fhir.text import escape_markdown, joined, markdown, plain, put_text
from protocol_kit.loading import number_text
from protocol_kit.model import (
    Dosage,
    Exercise,
    Media,
    Person,
    Poses,
    Prescription,
    Protocol,
    SignOff,
)

_STATUS = {"draft": "draft", "active": "active", "retired": "retired"}
_MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


@dataclass(frozen=True)
class FhirOptions:
    version: str = codes.DEFAULT_VERSION
    canonical_base: str | None = None  # e.g. https://fhir.clinic.example; else urn:uuid
    publisher: str | None = None
    contact: str | None = None
    bundle_type: str = "collection"

    def identity(self) -> Publisher:
        """The publisher every identity is built from; UsageError when there is none."""
        if not self.publisher and not self.canonical_base:
            raise UsageError(
                "a FHIR export is identified by its publisher, so that two clinics' exports "
                "never share an identity: set name (and contact) in the [clinic] table or "
                "canonical_base in the [fhir] table of protokit.toml, or pass --publisher-name "
                "or --canonical-base"
            )
        return Publisher(self.publisher or "", self.contact, self.canonical_base)


ReadImage = Callable[[Media], bytes]


class _Builder:
    """Builds one protocol's resources; keeps the identities consistent between them."""

    def __init__(
        self,
        protocol: Protocol,
        read_image: ReadImage,
        options: FhirOptions,
        prescription: Prescription | None = None,
        earlier: tuple[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.protocol = protocol
        self.prescription = prescription
        self.earlier = earlier
        self.read_image = read_image
        self.options = options
        self.publisher = options.identity()
        self.languages = protocol.languages
        self.primary = protocol.language

    # -- identity ------------------------------------------------------------------------

    def _resource_id(self, *parts: str) -> str:
        joined_id = "-".join(parts)
        if len(joined_id) <= 64:
            return joined_id
        digest = hashlib.sha256(joined_id.encode()).hexdigest()[:12]
        return f"{joined_id[:51]}-{digest}"

    def _full_url(self, resource_type: str, resource_id: str) -> str:
        entry = Entry({"resourceType": resource_type, "id": resource_id}, self.protocol.version)
        return full_url(entry, self.publisher, self.options.bundle_type)

    def _common(self, resource_type: str, resource_id: str) -> dict[str, Any]:
        return {
            "resourceType": resource_type,
            "id": resource_id,
            "language": self.primary,
            "url": self.publisher.url(resource_type, resource_id),
            "version": self.protocol.version,
            "name": _computable_name(resource_id),
        }

    def _metadata(self, resource: dict[str, Any]) -> None:
        protocol = self.protocol
        resource["status"] = _STATUS[protocol.status]
        resource["date"] = protocol.updated.isoformat()
        if self.options.publisher:
            resource["publisher"] = self.options.publisher
        if self.options.contact:
            resource["contact"] = [_contact(self.options.publisher, self.options.contact)]

    # -- resources -------------------------------------------------------------------------

    def bundle(self) -> dict[str, Any]:
        protocol = self.protocol
        plan = self._plan_definition()
        plan_url = self._full_url("PlanDefinition", plan["id"])
        entries: list[Entry] = []
        uses_entries: list[Entry] = []
        actions = []
        activities = []
        for exercise in protocol.exercises:
            activity = self._activity_definition(exercise)
            action: dict[str, Any] = {}
            put_text(action, "title", plain(exercise.name, self.languages), self.primary)
            action["definitionCanonical"] = f"{activity['url']}|{activity['version']}"
            action["timingTiming"] = _timing(exercise.dosage, protocol)
            actions.append(action)
            activity_url = self._full_url("ActivityDefinition", activity["id"])
            uses = exercise_uses(exercise)
            uses_entries += self._attach_uses(activity, activity_url, uses)
            activity["text"] = narrative(
                (language, self._activity_blocks(exercise, uses, language))
                for language in self.languages
            )
            activities.append(Entry(_ordered(activity), protocol.version))
        plan["action"] = actions
        uses = protocol_uses(protocol.safety)
        plan_uses = self._attach_uses(plan, plan_url, uses)
        plan["text"] = narrative(
            (language, self._plan_blocks(uses, language)) for language in self.languages
        )
        entries = [Entry(_ordered(plan), protocol.version), *activities, *plan_uses, *uses_entries]
        if self.prescription is not None:
            from protocol_kit.fhir.patient import PatientResources

            urls = {
                e.id: a.resource["url"] for e, a in zip(protocol.exercises, activities, strict=True)
            }
            entries += PatientResources(
                protocol, self.prescription, self.publisher, self.options.bundle_type,
                plan["url"], urls, self.earlier,
            ).entries()  # fmt: skip
        return make_bundle(entries, self.publisher, self.options.bundle_type)

    def _plan_definition(self) -> dict[str, Any]:
        protocol = self.protocol
        plan = self._common("PlanDefinition", protocol.id)
        plan["identifier"] = [{"system": codes.PROTOCOL_ID, "value": protocol.id}]
        plan["extension"] = [self._protocol_details()]
        prescribing = prescribing_plan(protocol)
        if prescribing is not None:
            plan["extension"].append(prescribing)
        put_text(plan, "title", plain(protocol.title, self.languages), self.primary)
        plan["type"] = {
            "coding": [
                {
                    "system": codes.PLAN_DEFINITION_TYPE,
                    "code": "clinical-protocol",
                    "display": "Clinical Protocol",
                }
            ]
        }
        self._metadata(plan)
        put_text(plan, "description", markdown(protocol.summary, self.languages), self.primary)
        plan["useContext"] = [
            {
                "code": {"system": codes.USAGE_CONTEXT_TYPE, "code": "focus"},
                "valueCodeableConcept": concept(coding),
            }
            for coding in protocol.indications
        ]
        plan["copyright"] = escape_markdown(protocol.licence)
        if protocol.sign_off is not None:  # a draft has had no review to date
            plan["approvalDate"] = protocol.sign_off.date.isoformat()
            plan["lastReviewDate"] = protocol.sign_off.date.isoformat()
        plan["topic"] = [
            {
                "coding": [
                    {"system": codes.DEFINITION_TOPIC, "code": "treatment", "display": "Treatment"}
                ]
            }
        ]
        plan["author"] = [_person(person) for person in protocol.authors]
        if protocol.reviewer:
            plan["reviewer"] = [_person(protocol.reviewer)]
        if protocol.sign_off is not None:
            plan["endorser"] = [_endorser(protocol.sign_off)]
        references = [_citation(r) for r in protocol.references]
        if references:
            plan["relatedArtifact"] = references
        return plan

    def _protocol_details(self) -> dict[str, Any]:
        protocol, languages = self.protocol, self.languages
        guide = protocol.safety.pain_guide
        delivery = protocol.delivery
        optional_strings = (
            ("progressionRule", delivery.progression_rule),
            ("motivation", delivery.motivation),
            ("adverseEvents", delivery.adverse_events),
            ("nonExerciseComponents", delivery.non_exercise_components),
        )
        delivery_parts = [
            *(part("setting", "code", setting) for setting in delivery.setting),
            part("supervision", "code", delivery.supervision),
            part("format", "code", delivery.format),
            part("providerProfession", "string", delivery.provider_profession),
            part("providerQualifications", "string", delivery.provider_qualifications),
            part("programmeWeeks", "positiveInt", delivery.programme_weeks),
            part("startingLevel", "string", delivery.starting_level),
            part("tailoring", "string", delivery.tailoring),
            part("adherenceMethod", "code", delivery.adherence_method),
            part("adherenceDescription", "string", delivery.adherence_description),
            *(part(name, "string", value) for name, value in optional_strings if value),
            *(text_part("education", text, languages) for text in delivery.education),
        ]
        if delivery.warm_up is not None:
            delivery_parts.append(text_part("warmUp", delivery.warm_up, languages))
        if delivery.cool_down is not None:
            delivery_parts.append(text_part("coolDown", delivery.cool_down, languages))
        return complex_extension(
            "protocol-details",
            [
                *(part("translation", "code", language) for language in protocol.translations),
                part("nextReview", "date", protocol.next_review.isoformat()),
                *(text_part("generalAdvice", t, languages) for t in protocol.safety.general_advice),
                {
                    "url": "painGuide",
                    "extension": [
                        part("greenMax", "integer", guide.green_max),
                        part("amberMax", "integer", guide.amber_max),
                        text_part("green", guide.green, languages),
                        text_part("amber", guide.amber, languages),
                        text_part("red", guide.red, languages),
                    ],
                },
                {"url": "delivery", "extension": delivery_parts},
            ],
        )

    def _activity_definition(self, exercise: Exercise) -> dict[str, Any]:
        resource_id = self._resource_id(self.protocol.id, exercise.id)
        activity = self._common("ActivityDefinition", resource_id)
        activity["identifier"] = [{"system": codes.EXERCISE_ID, "value": exercise.id}]
        activity["extension"] = [
            {"url": codes.EXERCISE_TYPE, "valueCode": exercise.type},
            {"url": codes.EXERCISE_LATERALITY, "valueCode": exercise.laterality},
            self._dosage_extension(exercise.dosage),
            self._exercise_details(exercise),
        ]
        if exercise.poses is not None:
            activity["extension"].append(self._poses_extension(exercise.poses))
        put_text(activity, "title", plain(exercise.name, self.languages), self.primary)
        self._metadata(activity)
        description = joined([exercise.starting_position], self.languages, numbered=False)
        steps = joined(exercise.steps, self.languages, numbered=True)
        put_text(
            activity,
            "description",
            {lang: f"{description[lang]}\n\n{steps[lang]}" for lang in self.languages},
            self.primary,
        )
        put_text(activity, "purpose", markdown(exercise.purpose, self.languages), self.primary)
        artifacts = [self._media_artifact(item) for item in exercise.media]
        if artifacts:
            activity["relatedArtifact"] = artifacts
        activity["kind"] = "ServiceRequest"
        activity["code"] = codes.EXERCISE_THERAPY
        activity["timingTiming"] = _timing(exercise.dosage, self.protocol)
        activity["bodySite"] = [codes.body_site(region) for region in exercise.regions]
        return activity

    def _exercise_details(self, exercise: Exercise) -> dict[str, Any]:
        languages = self.languages
        parts = [
            text_part("startingPosition", exercise.starting_position, languages),
            *(text_part("step", text, languages) for text in exercise.steps),
            *(text_part("cue", text, languages) for text in exercise.cues),
            *(text_part("commonMistake", text, languages) for text in exercise.common_mistakes),
            *(text_part("equipment", text, languages) for text in exercise.equipment),
        ]
        if exercise.progression is not None:
            parts.append(text_part("progression", exercise.progression, languages))
        if exercise.regression is not None:
            parts.append(text_part("regression", exercise.regression, languages))
        parts += [part("muscle", "string", muscle) for muscle in exercise.muscles]
        parts.append(text_part("purpose", exercise.purpose, languages))
        return complex_extension("exercise-details", parts)

    def _poses_extension(self, poses: Poses) -> dict[str, Any]:
        """The poses as the exercise's file writes them, in an attachment: the picture a
        receiving system draws (or protocol-kit, after an import) is the same."""
        content = json.dumps(poses.data, ensure_ascii=False, separators=(",", ":")).encode()
        attachment = {
            "contentType": "application/json",
            "data": base64.b64encode(content).decode("ascii"),
            "title": "Exercise poses (protocol-kit pose format)",
        }
        return {"url": codes.EXERCISE_POSES, "valueAttachment": attachment}

    def _dosage_extension(self, dosage: Dosage) -> dict[str, Any]:
        parts: list[dict[str, Any]] = [part("sets", "positiveInt", dosage.sets)]
        if dosage.repetitions is not None:
            parts.append(part("repetitions", "positiveInt", dosage.repetitions))
        for name, seconds in (
            ("hold", dosage.hold_seconds),
            ("duration", dosage.duration_seconds),
            ("rest", dosage.rest_seconds),
        ):
            if seconds is not None:
                parts.append(part(name, "Duration", _seconds(seconds)))
        parts.append(part("side", "code", dosage.side))
        parts.append(part("sessionsPerDay", "positiveInt", dosage.sessions_per_day))
        parts.append(part("daysPerWeek", "positiveInt", dosage.days_per_week))
        weeks = dosage.weeks or self.protocol.delivery.programme_weeks
        parts.append(part("weeks", "positiveInt", weeks))
        parts.append(part("weeksGiven", "boolean", dosage.weeks is not None))
        parts.append(text_part("intensity", dosage.intensity, self.languages))
        return {"url": codes.EXERCISE_DOSAGE, "extension": parts}

    def _media_artifact(self, item: Media) -> dict[str, Any]:
        details = [part("kind", "code", item.kind)]
        if item.caption is not None:
            details.append(text_part("caption", item.caption, self.languages))
        if item.alt is not None:
            details.append(text_part("alt", item.alt, self.languages))
        details += [part("author", "string", item.author), part("licence", "string", item.licence)]
        if item.source:
            details.append(part("source", "string", item.source))
        artifact: dict[str, Any] = {
            "extension": [complex_extension("media-details", details)],
            "type": "documentation",
        }
        label = item.caption or item.alt
        if label is not None:
            put_text(artifact, "display", plain(label, self.languages), self.primary)
        artifact["citation"] = escape_markdown(f"{item.author}, {item.licence}")
        if item.kind == "video":
            artifact["url"] = item.url
            return artifact
        content = self.read_image(item)
        assert item.path is not None
        document: dict[str, Any] = {
            "contentType": _MEDIA_TYPES[item.path.rsplit(".", 1)[-1].lower()],
            "data": base64.b64encode(content).decode("ascii"),
            "size": len(content),
            # FHIR defines Attachment.hash as the SHA-1 of the data: an integrity check, not
            # a security measure.
            "hash": base64.b64encode(hashlib.sha1(content).digest()).decode("ascii"),
        }
        if item.alt is not None:
            put_text(document, "title", plain(item.alt, self.languages), self.primary)
        artifact["document"] = document
        return artifact

    # -- narratives ----------------------------------------------------------------------

    def _plan_blocks(self, uses: list[ClinicalUse], language: str) -> list[Block]:
        protocol = self.protocol
        status = f"Version {protocol.version} ({protocol.status}), updated "
        status += f"{protocol.updated.isoformat()}"
        if protocol.sign_off is not None:
            signed = protocol.sign_off
            status += (
                f", approved for patients by {signed.name}, {signed.profession} "
                f"({signed.registration}), on {signed.date.isoformat()}"
            )
        status += f", next review {protocol.next_review}."
        blocks: list[Block] = [
            Heading(protocol.title.get(language), 2),
            Paragraph(protocol.summary.get(language)),
            Paragraph(status),
        ]
        if self.options.publisher or self.options.contact:
            who = ", ".join(x for x in (self.options.publisher, self.options.contact) if x)
            blocks.append(Paragraph(who, label="Published by:"))
        blocks += labelled("Treats", [str(coding) for coding in protocol.indications])
        blocks += labelled(
            "Exercises", [exercise.name.get(language) for exercise in protocol.exercises]
        )
        blocks += uses_blocks(uses, language)
        guide = protocol.safety.pain_guide
        blocks += [
            Heading("Pain guide (0 no pain, 10 the worst imaginable)", 4),
            Items(
                [
                    f"0-{guide.green_max}: {guide.green.get(language)}",
                    f"{guide.green_max + 1}-{guide.amber_max}: {guide.amber.get(language)}",
                    f"{guide.amber_max + 1}-10: {guide.red.get(language)}",
                ]
            ),
        ]
        blocks += labelled(
            "General advice", [t.get(language) for t in protocol.safety.general_advice]
        )
        return blocks

    def _activity_blocks(
        self, exercise: Exercise, uses: list[ClinicalUse], language: str
    ) -> list[Block]:
        blocks: list[Block] = [
            Heading(exercise.name.get(language), 2),
            Paragraph(exercise.purpose.get(language), label="Purpose:"),
            Paragraph(exercise.starting_position.get(language), label="Starting position:"),
            Items([step.get(language) for step in exercise.steps], ordered=True),
            Paragraph(dosage_words(exercise.dosage, self.protocol), label="Dosage:"),
            Paragraph(exercise.dosage.intensity.get(language), label="How it should feel:"),
        ]
        blocks += uses_blocks(uses, language)
        blocks += labelled("Cues", [t.get(language) for t in exercise.cues])
        blocks += labelled("Common mistakes", [t.get(language) for t in exercise.common_mistakes])
        blocks += labelled("Equipment", [t.get(language) for t in exercise.equipment])
        return blocks

    # -- contraindications, precautions and other safety instructions ------------------------

    def _attach_uses(
        self, subject: dict[str, Any], subject_url: str, uses: list[ClinicalUse]
    ) -> list[Entry]:
        """Attach safety statements to their subject: as ClinicalUseDefinition entries (R4B;
        returned for the bundle) or as extensions on the subject (R4)."""
        if self.options.version == codes.FHIR_R4:
            if uses:
                subject.setdefault("extension", []).extend(
                    u.extension(self.languages) for u in uses
                )
            return []
        entries = []
        for number, use in enumerate(uses, 1):
            resource_id = self._resource_id(subject["id"], "use", str(number))
            resource = use.resource(resource_id, subject_url, self.languages)
            version = self.protocol.version
            identifier = self.publisher.identifier("ClinicalUseDefinition", resource_id, version)
            resource = {**resource, "identifier": [identifier]}
            entries.append(Entry(_ordered(resource), version))
        return entries


# FHIR JSON has no required order, but people read these: the standard's order of the
# elements protocol-kit writes.
_ORDER = [
    "resourceType",
    "id",
    "language",
    "text",
    "extension",
    "url",
    "identifier",
    "version",
    "name",
    "title",
    "type",
    "status",
    "date",
    "publisher",
    "contact",
    "description",
    "useContext",
    "purpose",
    "copyright",
    "approvalDate",
    "lastReviewDate",
    "topic",
    "author",
    "reviewer",
    "endorser",
    "relatedArtifact",
    "kind",
    "code",
    "timingTiming",
    "bodySite",
    "action",
    "subject",
    "contraindication",
    "warning",
]


def _ordered(resource: dict[str, Any]) -> dict[str, Any]:
    rank = {name: i for i, name in enumerate(_ORDER)}

    def key(item: tuple[str, Any]) -> tuple[int, int]:
        name = item[0].lstrip("_")
        return (rank.get(name, len(_ORDER)), item[0].startswith("_"))

    return dict(sorted(resource.items(), key=key))


def dosage_words(dosage: Dosage, protocol: Protocol) -> str:
    """The dosage's numbers in words, for a narrative (English: FHIR's narrative labels are)."""
    parts = [f"{dosage.sets} set{'s' * (dosage.sets != 1)}"]
    if dosage.repetitions is not None:
        parts[0] += f" of {dosage.repetitions} repetitions"
    for label, seconds in (
        ("hold", dosage.hold_seconds),
        ("for", dosage.duration_seconds),
        ("rest", dosage.rest_seconds),
    ):
        if seconds is not None:
            parts.append(f"{label} {number_text(seconds)} s")
    sides = {"each": "on each side", "left": "left side", "right": "right side", "both": ""}
    if sides[dosage.side]:
        parts.append(sides[dosage.side])
    weeks = dosage.weeks or protocol.delivery.programme_weeks
    parts.append(
        f"{dosage.sessions_per_day} time{'s' * (dosage.sessions_per_day != 1)} a day, "
        f"{dosage.days_per_week} day{'s' * (dosage.days_per_week != 1)} a week, "
        f"for {weeks} week{'s' * (weeks != 1)}"
    )
    return ", ".join(parts)


def _person(person: Person) -> dict[str, Any]:
    details = [part("credentials", "string", person.credentials)]
    if person.role:
        details.append(part("role", "string", person.role))
    contact: dict[str, Any] = {
        "extension": [complex_extension("person-details", details)],
        "name": person.name,
    }
    if person.email:
        contact["telecom"] = [{"system": "email", "value": person.email}]
    return contact


def _endorser(sign_off: SignOff) -> dict[str, Any]:
    """The clinician who signed the protocol off, with their profession, registration and the
    day, as the `sign-off` extension gives them."""
    registration = [
        part("body", "string", sign_off.registration_body),
        part("number", "string", sign_off.registration_number),
    ]
    details = [
        part("profession", "string", sign_off.profession),
        {"url": "registration", "extension": registration},
        part("date", "date", sign_off.date.isoformat()),
    ]
    return {"extension": [complex_extension("sign-off", details)], "name": sign_off.name}


def _citation(reference: Any) -> dict[str, Any]:
    artifact: dict[str, Any] = {"type": "citation", "citation": escape_markdown(reference.citation)}
    if reference.doi:
        artifact = {"extension": [part("", "string", reference.doi)], **artifact}
        artifact["extension"][0]["url"] = codes.REFERENCE_DOI
    if reference.url:
        artifact["url"] = reference.url
    elif reference.doi:
        from protocol_kit.fhir.doi import doi_url

        artifact["url"] = doi_url(reference.doi)
    return artifact


def _contact(name: str | None, contact: str) -> dict[str, Any]:
    detail: dict[str, Any] = {"telecom": [{"system": contact_system(contact), "value": contact}]}
    if name:
        detail = {"name": name, **detail}
    return detail


def _seconds(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "s", "system": codes.UCUM, "code": "s"}


def _timing(dosage: Dosage, protocol: Protocol) -> dict[str, Any]:
    """How often and for how long: sessions a day on every day, else sessions a week, bounded
    by the exercise's (or the programme's) weeks."""
    weeks = dosage.weeks or protocol.delivery.programme_weeks
    if dosage.days_per_week == 7:
        repeat: dict[str, Any] = {
            "frequency": dosage.sessions_per_day,
            "period": 1,
            "periodUnit": "d",
        }
    else:
        repeat = {
            "frequency": dosage.sessions_per_day * dosage.days_per_week,
            "period": 1,
            "periodUnit": "wk",
        }
    bounds = {"value": weeks, "unit": "wk", "system": codes.UCUM, "code": "wk"}
    return {"repeat": {"boundsDuration": bounds, **repeat}}


def prescribing_plan(protocol: Protocol) -> dict[str, Any] | None:
    """The `prescribing-plan` extension: screening questions, stages, measures and the ids of
    the conditions the questions decide, as JSON, so that an import gives them back whole."""
    ids: dict[str, str] = {}
    groups = [("safety", protocol.safety.contraindications, protocol.safety.precautions)]
    groups += [(f"exercises/{i}", e.contraindications, e.precautions)
               for i, e in enumerate(protocol.exercises)]  # fmt: skip
    for where, contraindications, precautions in groups:
        for kind, items in (("contraindications", contraindications), ("precautions", precautions)):
            for n, item in enumerate(items):
                if item.id is not None:
                    ids[f"{where}/{kind}/{n}"] = item.id
    content: dict[str, Any] = {}
    if protocol.screening:
        content["screening"] = [
            {"id": q.id, "question": dict(q.question.values), "decides": list(q.decides)}
            for q in protocol.screening
        ]
    if protocol.stages:
        content["stages"] = [
            {
                "weeks": {"from": s.first_week, "to": s.last_week},
                **({"entry": dict(s.entry.values)} if s.entry is not None else {}),
                **({"dosage": {k: dict(v) for k, v in s.dosage.items()}} if s.dosage else {}),
            }
            for s in protocol.stages
        ]
    if protocol.measures:
        content["measures"] = list(protocol.measures)
    if ids:
        content["condition_ids"] = ids
    if not content:
        return None
    data = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    attachment = {
        "contentType": "application/json",
        "data": base64.b64encode(data).decode("ascii"),
        "title": "Screening, stages and outcome measures (protocol-kit format)",
    }
    return {"url": codes.PRESCRIBING_PLAN, "valueAttachment": attachment}


def _computable_name(identifier: str) -> str:
    """A FHIR computable name (`[A-Z][A-Za-z0-9_]*`) from a protocol-kit id."""
    name = "".join(part.capitalize() for part in identifier.split("-"))
    return name if name[:1].isalpha() else f"P{name}"


def protocol_bundle(
    protocol: Protocol,
    read_image: ReadImage,
    options: FhirOptions = FhirOptions(),
    prescription: Prescription | None = None,
    earlier: tuple[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The FHIR Bundle (of `options.bundle_type`) for one protocol; with `prescription`, the
    patient-level resources of that prescription too (`protocol_kit.fhir.patient`; `earlier`:
    the protocol id and patient of the prescription a follow-up follows, as written there)."""
    if options.version not in codes.FHIR_VERSIONS:
        raise ValueError(f"unsupported FHIR version {options.version}")
    if options.bundle_type not in BUNDLE_TYPES:
        raise ValueError(f"unsupported bundle type {options.bundle_type}")
    if options.bundle_type == "batch" and options.version == codes.FHIR_R4B:
        raise UsageError(
            "an R4B export cannot be a batch: its ClinicalUseDefinitions refer to the plan and "
            "exercises by their place in the bundle, which a server resolves only in a "
            "transaction; use --bundle-type transaction, or R4"
        )
    return _Builder(protocol, read_image, options, prescription, earlier).bundle()
