"""ICD-10-CM codings of a protocol with their entry in the current code list."""

from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.lint.rules._codings import Placed, all_codings
from protocol_kit.model import ICD10CM, Protocol
from protocol_kit.terminology.icd10cm import IcdCode, lookup


def icd_codings(protocol: Protocol) -> Iterator[tuple[Placed, IcdCode | None]]:
    for placed in all_codings(protocol):
        if placed.coding.system == ICD10CM:
            yield placed, lookup(placed.coding.code)


def listed(codes: tuple[str, ...], limit: int = 8) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")
