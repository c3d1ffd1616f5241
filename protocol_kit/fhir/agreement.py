"""Whether a FHIR export says what its protocol says.

A bundle made with `--fhir` carries `fhir/<id>.json` beside `protocols/<id>.json`. The receiving
clinic checks the protocol, but may load the FHIR file into its own server; a FHIR file with
another dosage or another red flag than the checked protocol would pass unseen. The export is
read back (as `protokit import fhir` reads it) and compared with the protocol in every clinical
field: where each part was read from, library provenance and lint suppressions are not clinical
content and are not exported, and the blanks at the start of a line of a text are layout that
a `markdown` element drops (docs/fhir.md, "Not exported").
"""

from __future__ import annotations

import dataclasses
from typing import Any

from protocol_kit.model import Origin, Protocol
from protocol_kit.record import Record

# Fields that are not clinical content: not exported, so not compared.
NOT_EXPORTED = frozenset({"library", "suppressions"})


def first_difference(written: Any, exported: Any, where: str = "") -> str | None:
    """Where `exported` first says something else than `written` (a path of field names and
    list places, "/" for the whole), or None when they agree in every clinical field."""
    if isinstance(written, Origin) and isinstance(exported, Origin):
        return None
    if type(written) is not type(exported):
        return where or "/"
    if isinstance(written, (tuple, list)):
        if len(written) != len(exported):
            return where or "/"
        for index, (a, b) in enumerate(zip(written, exported, strict=True)):
            found = first_difference(a, b, f"{where}/{index}")
            if found is not None:
                return found
        return None
    if isinstance(written, Record):
        skipped = NOT_EXPORTED | set(getattr(written, "_not_compared", ()))
        for field in dataclasses.fields(written):
            if field.name in skipped:
                continue
            found = first_difference(
                getattr(written, field.name), getattr(exported, field.name), f"{where}/{field.name}"
            )
            if found is not None:
                return found
        return None
    if isinstance(written, str):
        return None if _words(written) == _words(exported) else (where or "/")
    if isinstance(written, dict):
        if written.keys() != exported.keys():
            return where or "/"
        for key, value in written.items():
            found = first_difference(value, exported[key], f"{where}/{key}")
            if found is not None:
                return found
        return None
    return None if written == exported else (where or "/")


def _words(text: str) -> str:
    """A text without the blanks at the start of its lines."""
    return "\n".join(line.lstrip(" \t") for line in text.split("\n"))


def disagreement(written: Protocol, exported: Protocol) -> str | None:
    """Where a protocol read back from its FHIR export differs from the protocol, or None."""
    return first_difference(written, exported)
