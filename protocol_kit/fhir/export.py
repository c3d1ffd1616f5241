"""A protocol as an HL7 FHIR Bundle (R4B 4.3.0 by default, or R4 4.0.1), built as plain dicts.

- one PlanDefinition for the protocol: title, summary, status, review date, authors and
  reviewer, references, the coded indications as `useContext` (focus) and `topic` "treatment",
  and one `action` per exercise, in order, with `definitionCanonical` and `timingTiming`;
- one ActivityDefinition per exercise: `kind` ServiceRequest, `code` exercise therapy,
  `description` (starting position and numbered steps), `purpose`, `bodySite`, `timingTiming`,
  `relatedArtifact` for each image (embedded) and video (linked), and the dosage FHIR has no
  element for (sets, repetitions, hold, rest, side, intensity) in the documented
  `exercise-dosage` extension;
- contraindications, precautions, red flags and stop criteria as ClinicalUseDefinition
  resources (R4B), or, for R4, which has no such resource, in the `clinical-use` extension.

Identifiers and canonical URLs are derived from the protocol and exercise ids, so the same
protocol always gives the same export. docs/fhir.md documents every mapping and extension, and
what is not exported.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from protocol_kit.fhir import codes
from protocol_kit.fhir.clinical_use import ClinicalUse, concept, exercise_uses, protocol_uses
from protocol_kit.fhir.text import escape_markdown, joined, markdown, plain, put_text
from protocol_kit.model import Dosage, Exercise, Media, Protocol

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, codes.PROFILE_BASE)
_STATUS = {"draft": "draft", "active": "active", "retired": "retired"}
_MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


@dataclass(frozen=True)
class FhirOptions:
    version: str = codes.FHIR_R4B
    canonical_base: str | None = None  # e.g. https://fhir.clinic.example; else urn:uuid
    publisher: str | None = None
    contact: str | None = None


ReadImage = Callable[[Media], bytes]


class _Builder:
    """Builds one protocol's resources; keeps the identifiers consistent between them."""

    def __init__(self, protocol: Protocol, read_image: ReadImage, options: FhirOptions) -> None:
        self.protocol = protocol
        self.read_image = read_image
        self.options = options
        self.languages = protocol.languages
        self.primary = protocol.language
        self.entries: list[dict[str, Any]] = []

    # -- identity ------------------------------------------------------------------------

    def _resource_id(self, *parts: str) -> str:
        joined_id = "-".join(parts)
        if len(joined_id) <= 64:
            return joined_id
        digest = hashlib.sha256(joined_id.encode()).hexdigest()[:12]
        return f"{joined_id[:51]}-{digest}"

    def _url(self, resource_type: str, resource_id: str) -> str:
        if self.options.canonical_base:
            return f"{self.options.canonical_base.rstrip('/')}/{resource_type}/{resource_id}"
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{resource_type}/{resource_id}')}"

    def _add(self, resource: dict[str, Any]) -> str:
        full_url = self._url(resource["resourceType"], resource["id"])
        self.entries.append({"fullUrl": full_url, "resource": resource})
        return full_url

    def _common(self, resource_type: str, resource_id: str) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "resourceType": resource_type,
            "id": resource_id,
            "language": self.primary,
            "url": self._url(resource_type, resource_id),
            "version": self.protocol.version,
            "name": _computable_name(resource_id),
        }
        return resource

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
        plan = self._plan_definition()
        plan_url = self._url("PlanDefinition", plan["id"])
        actions = []
        exercises: list[tuple[Exercise, dict[str, Any]]] = []
        for exercise in self.protocol.exercises:
            activity = self._activity_definition(exercise)
            exercises.append((exercise, activity))
            action: dict[str, Any] = {}
            put_text(action, "title", plain(exercise.name, self.languages), self.primary)
            action["definitionCanonical"] = f"{activity['url']}|{activity['version']}"
            action["timingTiming"] = _timing(exercise.dosage, self.protocol)
            actions.append(action)
        plan["action"] = actions
        uses = self._attach_uses(plan, plan_url, protocol_uses(self.protocol.safety))
        self._add(plan)
        for exercise, activity in exercises:
            activity_url = self._url("ActivityDefinition", activity["id"])
            uses += self._attach_uses(activity, activity_url, exercise_uses(exercise))
            self._add(activity)
        self.entries.extend(uses)
        return {"resourceType": "Bundle", "type": "collection", "entry": self.entries}

    def _plan_definition(self) -> dict[str, Any]:
        protocol = self.protocol
        plan = self._common("PlanDefinition", protocol.id)
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
            plan["lastReviewDate"] = protocol.sign_off.date.isoformat()
        plan["topic"] = [
            {
                "coding": [
                    {"system": codes.DEFINITION_TOPIC, "code": "treatment", "display": "Treatment"}
                ]
            }
        ]
        plan["author"] = [{"name": person.name} for person in protocol.authors]
        if protocol.reviewer:
            plan["reviewer"] = [{"name": protocol.reviewer.name}]
        references = [_citation(r) for r in protocol.references]
        if references:
            plan["relatedArtifact"] = references
        return plan

    def _activity_definition(self, exercise: Exercise) -> dict[str, Any]:
        resource_id = self._resource_id(self.protocol.id, exercise.id)
        activity = self._common("ActivityDefinition", resource_id)
        activity["extension"] = [
            {"url": codes.EXERCISE_TYPE, "valueCode": exercise.type},
            {"url": codes.EXERCISE_LATERALITY, "valueCode": exercise.laterality},
            self._dosage_extension(exercise.dosage),
        ]
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

    def _dosage_extension(self, dosage: Dosage) -> dict[str, Any]:
        parts: list[dict[str, Any]] = [{"url": "sets", "valuePositiveInt": dosage.sets}]
        if dosage.repetitions is not None:
            parts.append({"url": "repetitions", "valuePositiveInt": dosage.repetitions})
        for name, seconds in (
            ("hold", dosage.hold_seconds),
            ("duration", dosage.duration_seconds),
            ("rest", dosage.rest_seconds),
        ):
            if seconds is not None:
                parts.append({"url": name, "valueDuration": _seconds(seconds)})
        parts.append({"url": "side", "valueCode": dosage.side})
        parts.append({"url": "sessionsPerDay", "valuePositiveInt": dosage.sessions_per_day})
        parts.append({"url": "daysPerWeek", "valuePositiveInt": dosage.days_per_week})
        weeks = dosage.weeks or self.protocol.delivery.programme_weeks
        parts.append({"url": "weeks", "valuePositiveInt": weeks})
        # An extension cannot carry the translation extension on its value, so each further
        # language gets an `intensityTranslation` part shaped like the standard translation.
        intensity = plain(dosage.intensity, self.languages)
        parts.append({"url": "intensity", "valueString": intensity[self.primary]})
        for language in self.languages[1:]:
            parts.append(
                {
                    "url": "intensityTranslation",
                    "extension": [
                        {"url": "lang", "valueCode": language},
                        {"url": "content", "valueString": intensity[language]},
                    ],
                }
            )
        return {"url": codes.EXERCISE_DOSAGE, "extension": parts}

    def _media_artifact(self, item: Media) -> dict[str, Any]:
        artifact: dict[str, Any] = {"type": "documentation"}
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

    # -- contraindications, precautions and other safety instructions ------------------------

    def _attach_uses(
        self, subject: dict[str, Any], subject_url: str, uses: list[ClinicalUse]
    ) -> list[dict[str, Any]]:
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
            full_url = self._url("ClinicalUseDefinition", resource_id)
            entries.append({"fullUrl": full_url, "resource": resource})
        return entries


def _citation(reference: Any) -> dict[str, Any]:
    artifact: dict[str, Any] = {"type": "citation", "citation": escape_markdown(reference.citation)}
    if reference.url:
        artifact["url"] = reference.url
    elif reference.doi:
        artifact["url"] = f"https://doi.org/{reference.doi}"
    return artifact


def _contact(name: str | None, contact: str) -> dict[str, Any]:
    if "@" in contact and " " not in contact.strip():
        system = "email"
    elif contact.startswith(("http://", "https://")):
        system = "url"
    else:
        system = "phone" if any(c.isdigit() for c in contact) else "other"
    detail: dict[str, Any] = {"telecom": [{"system": system, "value": contact}]}
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


def _computable_name(identifier: str) -> str:
    """A FHIR computable name (`[A-Z][A-Za-z0-9_]*`) from a protocol-kit id."""
    name = "".join(part.capitalize() for part in identifier.split("-"))
    return name if name[:1].isalpha() else f"P{name}"


def protocol_bundle(
    protocol: Protocol, read_image: ReadImage, options: FhirOptions = FhirOptions()
) -> dict[str, Any]:
    """The FHIR Bundle (type collection) for one protocol."""
    if options.version not in codes.FHIR_VERSIONS:
        raise ValueError(f"unsupported FHIR version {options.version}")
    return _Builder(protocol, read_image, options).bundle()
