"""`protokit export fhir` as a function: a protocol file in, a FHIR Bundle (a dict) out."""

from __future__ import annotations

from typing import Any

from protocol_kit.app.bundle import read_image
from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.fhir.export import FhirOptions, protocol_bundle


def export_fhir(path: str, options: FhirOptions, check: CheckOptions) -> dict[str, Any]:
    """The FHIR Bundle of one valid protocol (library references resolved, images embedded).
    Raises InputError, naming the first problem, for an invalid protocol."""
    protocol = load_protocol(path, FileChecker(check))
    return protocol_bundle(protocol, read_image, options)
