"""Safety statements in FHIR: contraindications, precautions, red flags and stop criteria.

R4B has a resource for them, ClinicalUseDefinition (`type` contraindication or warning, with the
protocol or exercise as `subject`); R4 does not, so there the same statements are carried by the
documented `clinical-use` extension on the PlanDefinition or ActivityDefinition. Either way the
subject's narrative lists them too, so a person reading the resource sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from protocol_kit.fhir import codes
from protocol_kit.fhir.extensions import extension_url, part, text_part
from protocol_kit.fhir.narrative import Block, Heading, Paragraph, narrative
from protocol_kit.fhir.text import escape_markdown, plain, put_text
from protocol_kit.model import Coding, Exercise, Safety, Text

# What each kind of statement is called in a narrative.
HEADINGS = {
    "contraindication": "Contraindication",
    "precaution": "Precaution",
    "red-flag-emergency": "Red flag: call the emergency number or go to an emergency department",
    "red-flag-maternity": "Red flag: call the midwife or maternity unit straight away",
    "red-flag-urgent": "Red flag: see a doctor the same day, or call the urgent medical line",
    "stop-criterion": "Stop this session if",
}


@dataclass(frozen=True)
class ClinicalUse:
    """One safety statement, rendered as a ClinicalUseDefinition (R4B) or an extension (R4)."""

    kind: str  # a key of HEADINGS
    concept: dict[str, Any]
    description: str | None = None  # the clinician's wording (contraindications, precautions)
    text: Text | None = None  # patient-facing, translated (red flags, stop criteria)
    management: str | None = None
    advice: Text | None = None  # a precaution's advice to the patient
    covers: tuple[str, ...] = ()  # a red flag's required red-flag items (protocol_kit.redflags)

    @property
    def type(self) -> str:
        return "contraindication" if self.kind == "contraindication" else "warning"

    @classmethod
    def contraindication(cls, description: str, coding: Coding | None) -> ClinicalUse:
        return cls("contraindication", concept(coding, description), description)

    @classmethod
    def precaution(
        cls, description: str, coding: Coding | None, management: str | None, advice: Text | None
    ) -> ClinicalUse:
        return cls(
            "precaution", concept(coding, description), description, None, management, advice
        )

    @classmethod
    def instruction(cls, code: str, text: Text, covers: tuple[str, ...] = ()) -> ClinicalUse:
        coding = {"system": codes.SAFETY_INSTRUCTION, "code": code}
        return cls(code, {"coding": [coding]}, text=text, covers=covers)

    def _concept(self, languages: tuple[str, ...]) -> dict[str, Any]:
        concept = dict(self.concept)
        if self.text is not None:
            put_text(concept, "text", plain(self.text, languages), languages[0])
        return concept

    def blocks(self, language: str) -> list[Block]:
        """The statement for a narrative, in one language."""
        heading = HEADINGS[self.kind]
        what = self.text.get(language) if self.text is not None else self.description or ""
        coding = self.concept.get("coding", [{}])[0]
        if self.kind in ("contraindication", "precaution") and coding.get("code"):
            what += f" ({codes.system_name(coding['system'])} {coding['code']})"
        blocks: list[Block] = [Paragraph(what, label=f"{heading}:")]
        if self.management:
            blocks.append(Paragraph(self.management, label="Management:"))
        if self.advice is not None:
            blocks.append(Paragraph(self.advice.get(language), label="Advice to the patient:"))
        return blocks

    def resource(
        self, resource_id: str, subject_url: str, languages: tuple[str, ...]
    ) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "resourceType": "ClinicalUseDefinition",
            "id": resource_id,
            "language": languages[0],
            "text": narrative((language, self.blocks(language)) for language in languages),
        }
        extensions = []
        if self.advice is not None:
            advice = text_part("", self.advice, languages)
            advice["url"] = extension_url("patient-advice")
            extensions.append(advice)
        extensions += [{"url": codes.RED_FLAG_COVERS, "valueCode": item} for item in self.covers]
        if extensions:
            resource["extension"] = extensions
        resource["type"] = self.type
        resource["subject"] = [{"reference": subject_url}]
        if self.type == "contraindication":
            resource["contraindication"] = {
                "diseaseSymptomProcedure": {"concept": self._concept(languages)}
            }
        else:
            warning: dict[str, Any] = {"code": self._concept(languages)}
            if self.management:
                warning["description"] = escape_markdown(self.management)
            resource["warning"] = warning
        return resource

    def extension(self, languages: tuple[str, ...]) -> dict[str, Any]:
        parts: list[dict[str, Any]] = [
            part("type", "code", self.type),
            part("code", "CodeableConcept", self._concept(languages)),
        ]
        if self.management:
            parts.append(part("management", "string", self.management))
        if self.advice is not None:
            parts.append(text_part("patientAdvice", self.advice, languages))
        parts += [part("covers", "code", item) for item in self.covers]
        return {"url": codes.CLINICAL_USE, "extension": parts}


def protocol_uses(safety: Safety) -> list[ClinicalUse]:
    """A protocol's contraindications, precautions, red flags and stop criteria, in order."""
    uses = [ClinicalUse.contraindication(c.description, c.coding) for c in safety.contraindications]
    uses += [
        ClinicalUse.precaution(p.description, p.coding, p.management, p.patient_advice)
        for p in safety.precautions
    ]
    uses += [
        ClinicalUse.instruction(f"red-flag-{flag.action}", flag.text, flag.covers)
        for flag in safety.red_flags
    ]
    uses += [ClinicalUse.instruction("stop-criterion", text) for text in safety.stop_criteria]
    return uses


def exercise_uses(exercise: Exercise) -> list[ClinicalUse]:
    uses = [
        ClinicalUse.contraindication(c.description, c.coding) for c in exercise.contraindications
    ]
    uses += [
        ClinicalUse.precaution(p.description, p.coding, p.management, p.patient_advice)
        for p in exercise.precautions
    ]
    return uses


def uses_blocks(uses: list[ClinicalUse], language: str) -> list[Block]:
    """Every statement of a subject for its narrative, under one heading."""
    if not uses:
        return []
    blocks: list[Block] = [Heading("Safety", 4)]
    for use in uses:
        blocks += use.blocks(language)
    return blocks


def concept(coding: Coding | None, text: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {}
    if coding is not None:
        concept["coding"] = [
            {"system": coding.system, "code": coding.code, "display": coding.display}
        ]
    if text is not None:
        concept["text"] = text
    return concept
