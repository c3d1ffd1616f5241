"""One patient's prescription as HL7 FHIR resources, beside its protocol's (`export`):

- a Patient (name, the clinic's patient number, date of birth);
- a Practitioner, the prescriber (name, credentials as a qualification's text, the telephone
  and e-mail address as `telecom`);
- a CarePlan (intent `plan`) that instantiates the protocol's PlanDefinition, for the
  programme's dates, with one activity per exercise (instantiating its ActivityDefinition; an
  exercise the prescription leaves out is `cancelled`, with the reason), the Practitioner
  as author, and the screening answers, stages and notes in its narrative and notes;
- a Goal per goal of the patient (their words, the date) and per measure target (the measure
  and the value, with its LOINC code where one exists);
- an Observation per baseline (status `final`, category `survey`), coded with LOINC where a
  code was verified (docs/safety/outcome-measures.md), the measure's name as text always;
  STarT Back also gives its subscore as a component and its risk group as an Observation.

docs/fhir.md documents the mapping.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from protocol_kit.dosage import field_value
from protocol_kit.fhir.bundles import Entry, full_url
from protocol_kit.fhir.identity import Publisher
from protocol_kit.fhir.narrative import Block, Heading, Items, Paragraph, narrative
from protocol_kit.model import MeasureRecord, Prescription, Protocol, Stage, Text
from protocol_kit.prescribing.fit import programme_end
from protocol_kit.prescribing.measures import Measure, measure_of, risk_answer, risk_group

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


class PatientResources:
    """The patient-level resources of one prescription of `protocol` (overrides applied)."""

    def __init__(
        self,
        protocol: Protocol,
        prescription: Prescription,
        publisher: Publisher,
        bundle_type: str,
        plan_url: str,
        activity_urls: dict[str, str],
        earlier: tuple[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """`earlier`: the protocol id and the patient of the prescription a follow-up follows,
        as that file writes them (`prescribing.earlier.earlier_as_written`), which its
        CarePlan's identifier derives from; None: the follow-up's own."""
        self.earlier = earlier
        self.protocol = protocol
        self.rx = prescription
        self.publisher = publisher
        self.bundle_type = bundle_type
        self.plan_url = plan_url
        self.activity_urls = activity_urls
        self.language = protocol.language
        self.version = prescription.date.isoformat()
        self.key = self._key(prescription.date)

    def _key(self, written: dt.date) -> str:
        """What the ids of the resources of this patient's prescription of the protocol
        written on `written` derive from."""
        patient = self.rx.patient
        return _derived(self.protocol.id, patient.name, patient.identifier or "",
                        str(patient.date_of_birth), written)  # fmt: skip

    def _earlier_key(self, written: dt.date) -> str:
        """`_key` of the earlier prescription a follow-up follows, written on `written`: from
        its own protocol and patient, as its export derived them, when they are known."""
        if self.earlier is None:
            return self._key(written)
        protocol, patient = self.earlier
        said = [patient.get(k) for k in ("name", "identifier", "date_of_birth")]
        name, identifier, born = (v if isinstance(v, str) else None for v in said)
        # (as `_key` writes them: no identifier is "", no date of birth "None"; a date as
        # the schema's ISO date, which the model's date prints again)
        return _derived(protocol, name or "", identifier or "", born or str(None), written)

    def _id(self, kind: str, n: int | None = None) -> str:
        return f"rx-{self.key}-{kind}" + (f"-{n}" if n is not None else "")

    def _resource(self, resource_type: str, resource_id: str) -> dict[str, Any]:
        return {
            "resourceType": resource_type,
            "id": resource_id,
            "language": self.language,
            "identifier": [self.publisher.identifier(resource_type, resource_id, self.version)],
        }

    def _ref(self, resource_type: str, resource_id: str) -> dict[str, str]:
        entry = Entry({"resourceType": resource_type, "id": resource_id}, self.version)
        return {"reference": full_url(entry, self.publisher, self.bundle_type)}

    def entries(self) -> list[Entry]:
        patient = self._patient()
        goals = self._goals()
        observations = self._observations()
        plan = self._care_plan([g for g in goals])
        resources = (patient, self._prescriber(), plan, *goals, *observations)
        return [Entry(r, self.version) for r in resources]

    # -- resources ---------------------------------------------------------------------------

    def _patient(self) -> dict[str, Any]:
        patient = self.rx.patient
        resource = self._resource("Patient", self._id("patient"))
        if patient.identifier:
            resource["identifier"].append({"type": {"text": "clinic patient number"},
                                           "value": patient.identifier})  # fmt: skip
        resource["name"] = [{"text": patient.name}]
        if patient.date_of_birth:
            resource["birthDate"] = patient.date_of_birth.isoformat()
        resource["text"] = narrative([(self.language, [Paragraph(patient.name, "Patient:")])])
        return resource

    def _prescriber(self) -> dict[str, Any]:
        """The prescription's `therapist`: the name, the credentials as a qualification's
        text, and the telephone (`work`) and e-mail address when given. Its id, as every
        resource's of the prescription, derives from the patient and the date: the prescriber
        as this prescription writes them, not a practitioner's record across prescriptions."""
        person = self.rx.therapist
        resource = self._resource("Practitioner", self._id("prescriber"))
        resource["name"] = [{"text": person.name}]
        telecom = []
        if person.phone:
            telecom.append({"system": "phone", "value": person.phone, "use": "work"})
        if person.email:
            telecom.append({"system": "email", "value": person.email, "use": "work"})
        if telecom:
            resource["telecom"] = telecom
        resource["qualification"] = [{"code": {"text": person.credentials}}]
        said = ", ".join(filter(None, (person.name, person.credentials, person.phone)))
        resource["text"] = narrative([(self.language, [Paragraph(said, "Prescriber:")])])
        return resource

    def _subject(self) -> dict[str, str]:
        return {**self._ref("Patient", self._id("patient")), "display": self.rx.patient.name}

    def _goals(self) -> list[dict[str, Any]]:
        goals = []
        for n, goal in enumerate(self.rx.goals):
            text = goal.text.get(self.language)
            resource = self._resource("Goal", self._id("goal", n))
            resource.update(lifecycleStatus="active", description={"text": text})
            resource["subject"] = self._subject()
            if goal.by is not None:
                resource["target"] = [{"dueDate": goal.by.isoformat()}]
            resource["text"] = narrative([(self.language, [Paragraph(text, "Goal:")])])
            goals.append(resource)
        for n, record in enumerate(self.rx.measures):
            measure = measure_of(record)
            if measure is None or record.target is None:
                continue
            resource = self._resource("Goal", self._id("target", n))
            words = f"{measure.name}: {measure.shown(record.target)}"
            resource.update(lifecycleStatus="active", description={"text": words})
            resource["subject"] = self._subject()
            target: dict[str, Any] = {
                "measure": _code(measure.loinc, measure.name),
                "detailQuantity": _quantity(measure, record.target),
            }
            if record.target_by is not None:
                target["dueDate"] = record.target_by.isoformat()
            resource["target"] = [target]
            resource["text"] = narrative([(self.language, [Paragraph(words, "Target:")])])
            goals.append(resource)
        return goals

    def _observations(self) -> list[dict[str, Any]]:
        out = []
        for n, record in enumerate(self.rx.measures):
            measure = measure_of(record)
            if measure is None:
                continue
            out.append(self._baseline(n, record, measure))
            group = risk_group(measure, record.baseline, record.subscore)
            answer = risk_answer(measure, group) if group else None
            if group and measure.risk_groups:
                resource = self._observation(self._id("risk", n), record)
                resource["code"] = _code(measure.risk_groups.get("loinc"), f"{measure.name} risk")
                value: dict[str, Any] = {"text": group}
                if answer:
                    value["coding"] = [{"system": LOINC, **answer}]
                resource["valueCodeableConcept"] = value
                resource["text"] = narrative(
                    [(self.language, [Paragraph(f"{measure.name}: {group} risk", "Baseline:")])]
                )
                out.append(resource)
        return out

    def _observation(self, resource_id: str, record: MeasureRecord) -> dict[str, Any]:
        resource = self._resource("Observation", resource_id)
        resource["status"] = "final"
        resource["category"] = [{"coding": [{"system": CATEGORY, "code": "survey",
                                             "display": "Survey"}]}]  # fmt: skip
        resource["subject"] = self._subject()
        resource["effectiveDateTime"] = (record.baseline_date or self.rx.date).isoformat()
        return resource

    def _baseline(self, n: int, record: MeasureRecord, measure: Measure) -> dict[str, Any]:
        resource = self._observation(self._id("baseline", n), record)
        name = measure.name
        if record.activity is not None:
            name = f"{name}: {record.activity.get(self.language)}"
        resource["code"] = _code(measure.loinc, name)
        resource["valueQuantity"] = _quantity(measure, record.baseline)
        if record.subscore is not None and measure.subscore is not None:
            resource["component"] = [{
                "code": _code(measure.subscore.get("loinc"), measure.subscore["name"]),
                "valueQuantity": {"value": record.subscore, "unit": "score", "system": UCUM,
                                  "code": "{score}"},
            }]  # fmt: skip
        words = f"{name}: {measure.shown(record.baseline)}"
        resource["text"] = narrative([(self.language, [Paragraph(words, "Baseline:")])])
        return resource

    def _care_plan(self, goals: list[dict[str, Any]]) -> dict[str, Any]:
        protocol, rx = self.protocol, self.rx
        resource = self._resource("CarePlan", self._id("careplan"))
        resource["instantiatesCanonical"] = [f"{self.plan_url}|{protocol.version}"]
        resource.update(status="active", intent="plan")
        resource["title"] = protocol.title.get(self.language)
        resource["subject"] = self._subject()
        end = programme_end(rx.start_date, protocol)
        resource["period"] = {"start": rx.start_date.isoformat(), "end": end.isoformat()}
        resource["created"] = rx.date.isoformat()
        if rx.follows_date is not None:
            # A follow-up takes the place of the plan it follows (CarePlan.replaces: a
            # completed or terminated plan whose function this one takes), named by the
            # business identifier that plan's own export gives it: it is not in this bundle,
            # where a transaction's `urn:uuid:` reference could not resolve (docs/fhir.md).
            earlier = f"rx-{self._earlier_key(rx.follows_date)}-careplan"
            written = rx.follows_date.isoformat()
            resource["replaces"] = [{
                "identifier": self.publisher.identifier("CarePlan", earlier, written),
                "display": f"Prescription of {written}",
            }]  # fmt: skip
        author = f"{rx.therapist.name}, {rx.therapist.credentials}"
        # The prescriber as a Practitioner, for the number the sheet prints beside their
        # name: a display text alone lost it on the way to a receiving system (H1542).
        resource["author"] = {**self._ref("Practitioner", self._id("prescriber")),
                              "display": author}  # fmt: skip
        if goals:
            resource["goal"] = [self._ref("Goal", g["id"]) for g in goals]
        omitted = {o.exercise: o.reason for o in rx.overrides if o.omit}
        activities = []
        for exercise_id, url in self.activity_urls.items():
            detail: dict[str, Any] = {
                "kind": "ServiceRequest",
                "instantiatesCanonical": [f"{url}|{protocol.version}"],
                "status": "cancelled" if exercise_id in omitted else "not-started",
            }
            if exercise_id in omitted:
                detail["statusReason"] = {"text": omitted[exercise_id]}
            activities.append({"detail": detail})
        resource["activity"] = activities
        notes = [f"Prescribed by {author} on {rx.date.isoformat()}."]
        notes += [text.get(self.language) for text in rx.notes]
        resource["note"] = [{"text": note} for note in notes]
        resource["text"] = narrative([(self.language, self._plan_blocks(author, end))])
        return resource

    def _plan_blocks(self, author: str, end: Any) -> list[Block]:
        protocol, rx = self.protocol, self.rx
        blocks: list[Block] = [
            Heading(protocol.title.get(self.language)),
            Paragraph(
                f"{rx.patient.name}, {rx.start_date.isoformat()} to {end.isoformat()}", "For:"
            ),  # fmt: skip
            Paragraph(author, "Prescribed by:"),
        ]
        answers = [
            f"{q.question.get(self.language)} {rx.screening[q.id]}"
            for q in protocol.screening
            if q.id in rx.screening
        ]
        if answers:
            blocks += [Heading("Screening answers", 4), Items(answers)]
        stages = []
        for stage in rx.stages or protocol.stages:
            line = f"Weeks {stage.first_week} to {stage.last_week}"
            if stage.entry is not None:
                line += f" (move on when: {stage.entry.get(self.language)})"
            changes = "; ".join(
                f"{exercise}: "
                + ", ".join(
                    f"{k} {self._field_text(stage, exercise, k, v)}"
                    for k, v in fields.items()
                    if not k.startswith("x-")
                )
                for exercise, fields in stage.dosage.items()
            )
            stages.append(f"{line}: {changes}" if changes else line)
        if stages:
            blocks += [Heading("Stages", 4), Items(stages)]
        return blocks

    def _field_text(self, stage: Stage, exercise: str, field: str, value: Any) -> str:
        """A stage's dosage field as the narrative says it: the intensity in the export's
        language (a text written in several was printed as Python's dict, `{'en': ...}`), a
        number with the digits it was written with (not `1e-05`) (H1244)."""
        where = stage.origin.child("dosage", exercise, field)
        said = field_value(field, value, self.protocol.language, where)
        return said.get(self.language) if isinstance(said, Text) else said


def _code(loinc: Any, text: str) -> dict[str, Any]:
    """A CodeableConcept: the LOINC code where one was verified, and the text always."""
    concept: dict[str, Any] = {"text": text}
    if loinc:
        concept["coding"] = [{"system": LOINC, "code": loinc["code"], "display": loinc["display"]}]
    return concept


def _quantity(measure: Measure, value: float) -> dict[str, Any]:
    if measure.unit == "%":
        return {"value": value, "unit": "%", "system": UCUM, "code": "%"}
    if measure.code is None:
        return {"value": value, "unit": measure.unit or "score"}
    return {"value": value, "unit": "score", "system": UCUM, "code": "{score}"}


def _derived(protocol: str, name: str, identifier: str, born: str, written: dt.date) -> str:
    key = "\n".join((protocol, name, identifier, born, written.isoformat()))
    return hashlib.sha256(key.encode()).hexdigest()[:16]
