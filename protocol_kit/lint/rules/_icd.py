"""ICD-10-CM codings of a protocol with their entry in the current code list."""

from __future__ import annotations

from protocol_kit.lint.base import Context
from protocol_kit.lint.rules._codings import Placed, codings_of
from protocol_kit.model import ICD10CM, Protocol
from protocol_kit.terminology.icd10cm import IcdCode, lookup


def icd_codings(protocol: Protocol, context: Context) -> list[tuple[Placed, IcdCode | None]]:
    """The protocol's ICD-10-CM codings with their code-list entries, once per file."""
    return context.shared(
        "icd-codings",
        lambda: [
            (placed, lookup(placed.coding.code))
            for placed in codings_of(protocol, context)
            if placed.coding.system == ICD10CM
        ],
    )


def listed(codes: tuple[str, ...], limit: int = 8) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")
