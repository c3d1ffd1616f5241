"""A protocol read back from the FHIR Bundle protocol-kit exported (`protokit import fhir`).

The reverse of `export`: the PlanDefinition gives the protocol, each ActivityDefinition an
exercise, the ClinicalUseDefinitions (R4B) or `clinical-use` extensions (R4) the safety
statements, and protocol-kit's extensions the rest. Both bundle types and both FHIR versions
are read. Only what protocol-kit wrote can be read back: a bundle without a protocol-kit
PlanDefinition, or missing a part the format requires, is refused with a one-line message
naming what is missing (FhirImportError), never half read.

The result is the protocol's JSON, with every exercise written in full (a library reference
was resolved when the protocol was exported) and each image as a file under `media/`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from protocol_kit.errors import InputError
from protocol_kit.fhir import codes
from protocol_kit.fhir.doi import doi_urls
from protocol_kit.fhir.extensions import (
    Parts,
    extensions_named,
    find_extension,
    text_of,
    value_of,
)
from protocol_kit.fhir.text import TRANSLATION
from protocol_kit.findings import shown

PROTOCOL_SCHEMA = "https://schemas.protocol-kit.org/v1/protocol.schema.json"
_REGIONS = {text: region for region, text in codes.BODY_SITE_TEXT.items()}
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg"}


class FhirImportError(InputError):
    """The bundle is not a protocol-kit export that can be read back."""


@dataclass
class Imported:
    """A protocol's JSON, and the images it shows (name relative to the protocol -> bytes)."""

    data: dict[str, Any]
    media: dict[str, bytes] = field(default_factory=dict)


def _require(value: Any, what: str) -> Any:
    if value is None or value == [] or value == {}:
        raise FhirImportError(f"not a protocol-kit export: {what} is missing")
    return value


def _unescape(markdown: str) -> str:
    """The text `escape_markdown` escaped: every backslash escape undone."""
    out, index = [], 0
    while index < len(markdown):
        char = markdown[index]
        if char == "\\" and index + 1 < len(markdown) and not markdown[index + 1].isalnum():
            out.append(markdown[index + 1])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _translated(element: Mapping[str, Any], name: str, unescape: bool = False) -> Any:
    """An element's text with its `translation` extensions, as the protocol format writes it."""
    value = element.get(name)
    if value is None:
        return None
    clean = _unescape if unescape else (lambda text: text)
    translations = {}
    for extension in element.get(f"_{name}", {}).get("extension", ()):
        if extension.get("url") == TRANSLATION:
            parts = Parts(extension)
            translations[parts.value("lang")] = clean(parts.value("content"))
    if not translations:
        return clean(value)
    return {"": clean(value), **translations}  # "" stands for the primary language


class _Reader:
    def __init__(self, bundle: Mapping[str, Any]) -> None:
        if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
            raise FhirImportError(f"not a FHIR Bundle{_what_instead(bundle)}")
        self.entries = _entries(bundle)
        every_plan = self._resources("PlanDefinition")
        plans = [r for r in every_plan if _identifier(r, codes.PROTOCOL_ID)]
        if every_plan and not plans:
            raise FhirImportError(_foreign(every_plan[0], len(every_plan)))
        if len(plans) != 1:
            raise FhirImportError(
                "not a protocol-kit export of one protocol: "
                f"{len(plans)} protocol-kit PlanDefinitions in the bundle"
            )
        self.plan = plans[0]
        self.language = _require(self.plan.get("language"), "PlanDefinition.language")
        self.media: dict[str, bytes] = {}
        # What the protocol read (by identity): a statement or an exercise the bundle holds
        # but no part of the protocol names would otherwise be dropped without a word (H660).
        self.read: set[int] = set()

    def _resources(self, kind: str) -> list[Mapping[str, Any]]:
        return [
            e["resource"]
            for e in self.entries
            if isinstance(e.get("resource"), Mapping) and e["resource"].get("resourceType") == kind
        ]

    def _text(self, element: Mapping[str, Any], name: str, unescape: bool = False) -> Any:
        value = _translated(element, name, unescape)
        if isinstance(value, dict):
            if "" not in value:  # an object where the text is: said `(no "")` (H1423)
                raise ValueError(f"{name} is not a text")
            value = {self.language: value.pop(""), **value}
        return value

    def _full_url(self, resource: Mapping[str, Any]) -> str | None:
        return next((e.get("fullUrl") for e in self.entries if e.get("resource") is resource), None)

    def protocol(self) -> Imported:
        plan = self.plan
        details = Parts(_require(find_extension(plan, "protocol-details"), "protocol-details"))
        data: dict[str, Any] = {
            "$schema": PROTOCOL_SCHEMA,
            "id": _identifier(plan, codes.PROTOCOL_ID),
            "version": _require(plan.get("version"), "PlanDefinition.version"),
            "title": self._text(plan, "title"),
            "summary": self._text(plan, "description", unescape=True),
            "status": plan.get("status"),
            "language": self.language,
        }
        translations = details.values("translation")
        if translations:
            data["translations"] = translations
        data["authors"] = [_person(contact) for contact in plan.get("author", ())]
        if plan.get("reviewer"):
            data["reviewer"] = _person(plan["reviewer"][0])
        sign_off = _sign_off(plan)
        if sign_off is not None:
            data["sign_off"] = sign_off
        data["updated"] = _require(plan.get("date"), "PlanDefinition.date")
        data["next_review"] = details.value("nextReview")
        data["licence"] = _unescape(plan.get("copyright", ""))
        references = [_reference(a) for a in plan.get("relatedArtifact", ())]
        if references:
            data["references"] = references
        data["indications"] = [
            _coding(context["valueCodeableConcept"]["coding"][0])
            for context in plan.get("useContext", ())
        ]
        data["safety"] = self._safety(plan, details)
        data["delivery"] = self._delivery(details.child("delivery"))
        data["exercises"] = [self._exercise(action) for action in plan.get("action", ())]
        self._refuse_unread()
        prescribing = find_extension(plan, "prescribing-plan")
        if prescribing is not None:
            _prescribing_plan(data, prescribing)
        return Imported(data, self.media)

    def _refuse_unread(self) -> None:
        """Refuse a bundle holding a contraindication, warning or exercise the protocol does not
        reach (a statement about a resource not in the bundle, an exercise no action names):
        importing without it would lose safety content silently."""
        for kind in ("ActivityDefinition", "ClinicalUseDefinition"):
            for resource in self._resources(kind):
                if id(resource) not in self.read:
                    raise FhirImportError(
                        f"the bundle's {kind} {_name_of(resource)} belongs to no part of the "
                        "protocol (its subject or its action is not in the bundle), so importing "
                        "would drop it"
                    )

    # -- safety ---------------------------------------------------------------------------

    def _uses(self, subject: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The subject's statements as (type, concept, management, advice) dicts, in order."""
        uses = []
        for extension in subject.get("extension", ()):
            if extension.get("url") == codes.CLINICAL_USE:
                parts = Parts(extension)
                uses.append(
                    {
                        "type": parts.value("type"),
                        "concept": parts.value("code"),
                        "management": parts.value("management"),
                        "advice": parts.text("patientAdvice"),
                        "covers": parts.values("covers"),
                    }
                )
        reference = self._full_url(subject)
        for resource in self._resources("ClinicalUseDefinition"):
            if {"reference": reference} not in resource.get("subject", ()):
                continue
            self.read.add(id(resource))
            kind = resource.get("type")
            if kind == "contraindication":
                concept = resource["contraindication"]["diseaseSymptomProcedure"]["concept"]
                management = None
            else:
                concept = resource["warning"]["code"]
                management = resource["warning"].get("description")
                management = _unescape(management) if management is not None else None
            advice = find_extension(resource, "patient-advice")
            uses.append(
                {
                    "type": kind,
                    "concept": concept,
                    "management": management,
                    "advice": text_of(advice) if advice is not None else None,
                    "covers": [value_of(e) for e in extensions_named(resource, "red-flag-covers")],
                }
            )
        return uses

    def _statements(self, subject: Mapping[str, Any]) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {
            "contraindications": [],
            "precautions": [],
            "red_flags": [],
            "stop_criteria": [],
        }
        for use in self._uses(subject):
            concept = use["concept"]
            coding = (concept.get("coding") or [{}])[0]
            if coding.get("system") == codes.SAFETY_INSTRUCTION:
                text = self._text(concept, "text")
                if coding["code"] == "stop-criterion":
                    found["stop_criteria"].append(text)
                else:
                    action = coding["code"].removeprefix("red-flag-")
                    flag: dict[str, Any] = {"text": text, "action": action}
                    if use["covers"]:
                        flag["covers"] = use["covers"]
                    found["red_flags"].append(flag)
                continue
            statement: dict[str, Any] = {"description": concept.get("text", "")}
            if coding.get("code"):
                statement["coding"] = _coding(coding)
            if use["type"] == "contraindication":
                found["contraindications"].append(statement)
                continue
            if use["management"] is not None:
                statement["management"] = use["management"]
            if use["advice"] is not None:
                statement["patient_advice"] = use["advice"]
            found["precautions"].append(statement)
        return found

    def _safety(self, plan: Mapping[str, Any], details: Parts) -> dict[str, Any]:
        statements = self._statements(plan)
        guide = details.child("painGuide")
        return {
            **statements,
            "pain_guide": {
                "green_max": guide.value("greenMax"),
                "amber_max": guide.value("amberMax"),
                "green": guide.text("green"),
                "amber": guide.text("amber"),
                "red": guide.text("red"),
            },
            "general_advice": details.texts("generalAdvice"),
        }

    def _delivery(self, delivery: Parts) -> dict[str, Any]:
        data: dict[str, Any] = {
            "setting": delivery.values("setting"),
            "supervision": delivery.value("supervision"),
            "format": delivery.value("format"),
            "provider": {
                "profession": delivery.value("providerProfession"),
                "qualifications": delivery.value("providerQualifications"),
            },
            "programme_weeks": delivery.value("programmeWeeks"),
            "starting_level": delivery.value("startingLevel"),
        }
        if delivery.first("progressionRule"):
            data["progression_rule"] = delivery.value("progressionRule")
        data["tailoring"] = delivery.value("tailoring")
        data["adherence"] = {
            "method": delivery.value("adherenceMethod"),
            "description": delivery.value("adherenceDescription"),
        }
        for name, key in (
            ("motivation", "motivation"),
            ("adverseEvents", "adverse_events"),
            ("nonExerciseComponents", "non_exercise_components"),
        ):
            if delivery.first(name):
                data[key] = delivery.value(name)
        data["education"] = delivery.texts("education")
        for name, key in (("warmUp", "warm_up"), ("coolDown", "cool_down")):
            if delivery.first(name):
                data[key] = delivery.text(name)
        return data

    # -- exercises ------------------------------------------------------------------------

    def _activity(self, canonical: str) -> Mapping[str, Any]:
        url, _, version = canonical.partition("|")
        for activity in self._resources("ActivityDefinition"):
            if activity.get("url") == url and (not version or activity.get("version") == version):
                self.read.add(id(activity))
                return activity
        raise FhirImportError(f"the bundle has no ActivityDefinition {canonical}")

    def _exercise(self, action: Mapping[str, Any]) -> dict[str, Any]:
        activity = self._activity(_require(action.get("definitionCanonical"), "an action"))
        details = Parts(_require(find_extension(activity, "exercise-details"), "exercise-details"))
        dosage = Parts(_require(find_extension(activity, "exercise-dosage"), "exercise-dosage"))
        exercise: dict[str, Any] = {
            "id": _identifier(activity, codes.EXERCISE_ID),
            "name": self._text(activity, "title"),
            "type": value_of(_require(find_extension(activity, "exercise-type"), "exercise-type")),
            "laterality": value_of(
                _require(find_extension(activity, "exercise-laterality"), "exercise-laterality")
            ),
            "purpose": details.text("purpose"),
            "targets": {"regions": [_region(site) for site in activity.get("bodySite", ())]},
        }
        muscles = details.values("muscle")
        if muscles:
            exercise["targets"]["muscles"] = muscles
        # Required: the export writes no part for "nothing needed" (an empty list) (H331).
        exercise["equipment"] = details.texts("equipment")
        exercise["starting_position"] = details.text("startingPosition")
        exercise["steps"] = details.texts("step")
        for name, key in (("cue", "cues"), ("commonMistake", "common_mistakes")):
            texts = details.texts(name)
            if texts:
                exercise[key] = texts
        exercise["dosage"] = _dosage(dosage)
        for name in ("progression", "regression"):
            if details.first(name):
                exercise[name] = details.text(name)
        statements = self._statements(activity)
        for key in ("contraindications", "precautions"):
            if statements[key]:
                exercise[key] = statements[key]
        media = [self._media(a) for a in activity.get("relatedArtifact", ())]
        if media:
            exercise["media"] = media
        poses = find_extension(activity, "exercise-poses")
        if poses is not None:
            exercise["poses"] = _poses(poses)
        return exercise

    def _media(self, artifact: Mapping[str, Any]) -> dict[str, Any]:
        details = Parts(_require(find_extension(artifact, "media-details"), "media-details"))
        item: dict[str, Any] = {"kind": details.value("kind")}
        if item["kind"] == "video":
            item["url"] = artifact.get("url")
        else:
            document = _require(artifact.get("document"), "an image's data")
            content = base64.b64decode(document["data"])
            extension = _EXTENSIONS.get(document.get("contentType", ""), "png")
            name = f"media/{hashlib.sha256(content).hexdigest()}.{extension}"
            self.media[name] = content
            item["path"] = name
        for name in ("caption", "alt"):
            if details.first(name):
                item[name] = details.text(name)
        item["author"] = details.value("author")
        item["licence"] = details.value("licence")
        if details.first("source"):
            item["source"] = details.value("source")
        return item


def _entries(bundle: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The bundle's entries, each an object whose `fullUrl` (if any) is a text: an entry of
    another shape is refused, not skipped, since what it held would be lost (H660)."""
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise FhirImportError("not a protocol-kit export: Bundle.entry is not a list")
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise FhirImportError(
                f"not a protocol-kit export: Bundle.entry[{index}] is not an object"
            )
        if "fullUrl" in entry and not isinstance(entry["fullUrl"], str):
            raise FhirImportError(
                f"not a protocol-kit export: Bundle.entry[{index}].fullUrl is not a text"
            )
    return entries


def _name_of(resource: Mapping[str, Any]) -> str:
    """A resource as a message names it: its id, or its canonical URL, or its title."""
    for key in ("id", "url", "title"):
        value = resource.get(key)
        if isinstance(value, str) and value:
            return shown(value, 80)
    return "(without an id)"


def _what_instead(value: Any) -> str:
    """What a file given as a bundle holds instead, when it is a FHIR resource of another kind
    (a PlanDefinition or ActivityDefinition sent on its own by another tool)."""
    kind = value.get("resourceType") if isinstance(value, Mapping) else None
    if not isinstance(kind, str) or not kind:
        return ""
    return (
        f" but one {shown(kind, 40)} resource on its own: import fhir reads the Bundle that "
        "protokit export fhir writes"
    )


def _foreign(plan: Mapping[str, Any], count: int) -> str:
    """Why a bundle of PlanDefinitions another tool wrote is refused whole, not read in part:
    without protocol-kit's extensions it holds no dosage, red flags or stop criteria that
    could be read back, and a protocol guessed from its titles would print a sheet no
    clinician wrote."""
    title = plan.get("title") or plan.get("name") or plan.get("id")
    named = f" {shown(title)}" if isinstance(title, str) and title else ""
    more = f" (and {count - 1} more)" if count > 1 else ""
    return (
        f"not a protocol-kit export: its PlanDefinition{named}{more} was written by another "
        "tool (it has no protocol-kit identifier), and import fhir reads back only what "
        "protokit export fhir wrote, whose dosage, red flags and stop criteria it can read "
        "whole; ask the sender for the protocol's JSON or a protokit bundle"
    )


def _identifier(resource: Mapping[str, Any], system: str) -> str | None:
    return next(
        (i.get("value") for i in resource.get("identifier", ()) if i.get("system") == system),
        None,
    )


def _sign_off(plan: Mapping[str, Any]) -> dict[str, Any] | None:
    """The sign-off the endorser carries, as the protocol format writes it; None for a draft."""
    for endorser in plan.get("endorser", ()):
        extension = find_extension(endorser, "sign-off")
        if extension is None:
            continue
        details = Parts(extension)
        registration = details.child("registration")
        return {
            "name": _require(endorser.get("name"), "the sign-off's name"),
            "profession": _require(details.value("profession"), "the sign-off's profession"),
            "registration": {
                "body": _require(registration.value("body"), "the sign-off's registration"),
                "number": _require(registration.value("number"), "the sign-off's registration"),
            },
            "date": _require(details.value("date"), "the sign-off's date"),
        }
    return None


def _poses(extension: Mapping[str, Any]) -> dict[str, Any]:
    """The poses JSON of the `exercise-poses` attachment (pose.schema.json checks it with the
    rest of the protocol before anything is written)."""
    from protocol_kit.loading import JsonProblem, parse

    attachment = _require(extension.get("valueAttachment"), "the exercise-poses attachment")
    if attachment.get("contentType") != "application/json":
        raise FhirImportError("the exercise-poses attachment is not application/json")
    try:
        text = base64.b64decode(_require(attachment.get("data"), "the poses' data"), validate=True)
        return parse(text.decode("utf-8")).data
    except (ValueError, JsonProblem) as error:
        raise FhirImportError(f"the exercise-poses attachment is not JSON: {error}") from None


def _prescribing_plan(data: dict[str, Any], extension: Mapping[str, Any]) -> None:
    """Screening, stages, measures and the conditions' ids from the `prescribing-plan`
    attachment, into the protocol's data (the schema checks them before anything is written)."""
    content = _poses(extension)  # the same JSON attachment shape
    if not isinstance(content, dict):
        raise FhirImportError("the prescribing-plan attachment is not a JSON object")
    for key in ("screening", "stages", "measures"):
        if key in content:
            data[key] = content[key]
    for place, condition_id in dict(content.get("condition_ids", {})).items():
        target: Any = data
        try:
            for token in str(place).split("/"):
                target = target[int(token)] if isinstance(target, list) else target[token]
        except (KeyError, IndexError, ValueError, TypeError):
            raise FhirImportError(
                f"the prescribing-plan names a condition at {place}, which the import lacks"
            ) from None
        if not isinstance(target, dict):
            raise FhirImportError(f"the prescribing-plan's {place} is not a condition")
        target["id"] = condition_id


def _coding(coding: Mapping[str, Any]) -> dict[str, str]:
    return {
        "system": coding["system"],
        "code": coding["code"],
        "display": coding.get("display", ""),
    }


def _person(contact: Mapping[str, Any]) -> dict[str, Any]:
    details = Parts(find_extension(contact, "person-details") or {})
    person: dict[str, Any] = {
        "name": contact.get("name"),
        "credentials": details.value("credentials"),
    }
    if details.first("role"):
        person["role"] = details.value("role")
    email = next(
        (t["value"] for t in contact.get("telecom", ()) if t.get("system") == "email"), None
    )
    if email:
        person["email"] = email
    return person


def _reference(artifact: Mapping[str, Any]) -> dict[str, Any]:
    reference: dict[str, Any] = {"citation": _unescape(artifact.get("citation", ""))}
    doi = find_extension(artifact, "reference-doi")
    url = artifact.get("url")
    if doi is not None:
        reference["doi"] = value_of(doi)
        # A DOI that is not a text is refused by the protocol's schema after reading.
        written = doi_urls(reference["doi"]) if isinstance(reference["doi"], str) else ()
        if url and url not in written:
            reference["url"] = url
    elif url:
        reference["url"] = url
    return reference


def _region(site: Mapping[str, Any]) -> str:
    text = site.get("text", "")
    return _REGIONS.get(text, text)


def _seconds(part: Any) -> Any:
    return part["value"] if isinstance(part, Mapping) else part


def _dosage(parts: Parts) -> dict[str, Any]:
    dosage: dict[str, Any] = {"sets": parts.value("sets")}
    if parts.first("repetitions"):
        dosage["repetitions"] = parts.value("repetitions")
    for name, key in (
        ("hold", "hold_seconds"),
        ("duration", "duration_seconds"),
        ("rest", "rest_seconds"),
    ):
        if parts.first(name):
            dosage[key] = _seconds(parts.value(name))
    dosage["side"] = parts.value("side")
    dosage["sessions_per_day"] = parts.value("sessionsPerDay")
    dosage["days_per_week"] = parts.value("daysPerWeek")
    if parts.value("weeksGiven"):
        dosage["weeks"] = parts.value("weeks")
    dosage["intensity"] = parts.text("intensity")
    return dosage


def read_bundle(bundle: Mapping[str, Any]) -> Imported:
    """The protocol a protocol-kit FHIR export holds. Raises FhirImportError."""
    try:
        return _Reader(bundle).protocol()
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as error:
        raise FhirImportError(
            f"not a protocol-kit export that can be read back ({_reason(error)})"
        ) from None


def _reason(error: Exception) -> str:
    """What was wrong, in words rather than as a Python exception's repr."""
    if isinstance(error, KeyError):
        return f"no {shown(error.args[0] if error.args else '')}"
    if isinstance(error, IndexError):
        return "a list is shorter than it must be"
    if isinstance(error, (TypeError, AttributeError)):
        return "a value is of the wrong type"
    return str(error)
