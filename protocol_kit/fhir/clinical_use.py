"""Safety statements in FHIR: contraindications, precautions, red flags and stop criteria.

R4B has a resource for them, ClinicalUseDefinition (`type` contraindication or warning, with the
protocol or exercise as `subject`); R4 does not, so there the same statements are carried by the
documented `clinical-use` extension on the PlanDefinition or ActivityDefinition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from protocol_kit.fhir import codes
from protocol_kit.fhir.text import escape_markdown, plain, put_text
from protocol_kit.model import Coding, Exercise, Safety, Text


@dataclass(frozen=True)
class ClinicalUse:
    """One safety statement, rendered as a ClinicalUseDefinition (R4B) or an extension (R4)."""

    type: str  # "contraindication" or "warning"
    concept: dict[str, Any]
    text: Text | None = None  # patient-facing, translated
    management: str | None = None

    @classmethod
    def contraindication(cls, description: str, coding: Coding | None) -> ClinicalUse:
        return cls("contraindication", concept(coding, description))

    @classmethod
    def precaution(
        cls, description: str, coding: Coding | None, management: str | None
    ) -> ClinicalUse:
        return cls("warning", concept(coding, description), management=management)

    @classmethod
    def instruction(cls, code: str, text: Text) -> ClinicalUse:
        return cls(
            "warning", {"coding": [{"system": codes.SAFETY_INSTRUCTION, "code": code}]}, text
        )

    def _concept(self, languages: tuple[str, ...]) -> dict[str, Any]:
        concept = dict(self.concept)
        if self.text is not None:
            put_text(concept, "text", plain(self.text, languages), languages[0])
        return concept

    def resource(
        self, resource_id: str, subject_url: str, languages: tuple[str, ...]
    ) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "resourceType": "ClinicalUseDefinition",
            "id": resource_id,
            "language": languages[0],
            "type": self.type,
            "subject": [{"reference": subject_url}],
        }
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
            {"url": "type", "valueCode": self.type},
            {"url": "code", "valueCodeableConcept": self._concept(languages)},
        ]
        if self.management:
            parts.append({"url": "management", "valueString": self.management})
        return {"url": codes.CLINICAL_USE, "extension": parts}


def protocol_uses(safety: Safety) -> list[ClinicalUse]:
    """A protocol's contraindications, precautions, red flags and stop criteria."""
    uses = [ClinicalUse.contraindication(c.description, c.coding) for c in safety.contraindications]
    uses += [
        ClinicalUse.precaution(p.description, p.coding, p.management) for p in safety.precautions
    ]
    uses += [
        ClinicalUse.instruction(f"red-flag-{flag.action}", flag.text) for flag in safety.red_flags
    ]
    uses += [ClinicalUse.instruction("stop-criterion", text) for text in safety.stop_criteria]
    return uses


def exercise_uses(exercise: Exercise) -> list[ClinicalUse]:
    uses = [
        ClinicalUse.contraindication(c.description, c.coding) for c in exercise.contraindications
    ]
    uses += [
        ClinicalUse.precaution(p.description, p.coding, p.management) for p in exercise.precautions
    ]
    return uses


def concept(coding: Coding | None, text: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {}
    if coding is not None:
        concept["coding"] = [
            {"system": coding.system, "code": coding.code, "display": coding.display}
        ]
    if text is not None:
        concept["text"] = text
    return concept
