"""The protocol as one patient does it, after the checks have passed: only the precautions
their screening answers bring into force, and the stages (the prescription's, else the
protocol's) with the prescription's overrides holding in every stage."""

from __future__ import annotations

import dataclasses

from protocol_kit.model import Precaution, Prescription, Protocol
from protocol_kit.prescribing.fit import decided_ids, screened_ids
from protocol_kit.prescribing.stages import with_override


def tailored(protocol: Protocol, prescription: Prescription) -> Protocol:
    """`protocol` (overrides already applied) fitted to the patient of `prescription`."""
    not_applying = screened_ids(protocol) - decided_ids(prescription.screening, protocol)

    def kept(items: tuple[Precaution, ...]) -> tuple[Precaution, ...]:
        return tuple(p for p in items if p.id is None or p.id not in not_applying)

    safety = dataclasses.replace(protocol.safety, precautions=kept(protocol.safety.precautions))
    exercises = tuple(
        dataclasses.replace(e, precautions=kept(e.precautions)) for e in protocol.exercises
    )
    stages = prescription.stages or protocol.stages
    for override in prescription.overrides:
        numbers = {k: v for k, v in override.dosage.items() if not k.startswith("x-")}
        if numbers and not override.omit:
            stages = tuple(with_override(s, override.exercise, numbers) for s in stages)
    return dataclasses.replace(protocol, safety=safety, exercises=exercises, stages=stages)
