"""`protokit export fhir` as a function: a protocol file in, a FHIR Bundle out."""

from __future__ import annotations

import json
from typing import Any

from protocol_kit.app.bundle_checks import publisher_fields, read_image
from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.config import Config
from protocol_kit.fhir.export import FhirOptions, protocol_bundle


def export_fhir(path: str, options: FhirOptions, check: CheckOptions) -> dict[str, Any]:
    """The FHIR Bundle of one valid protocol (library references resolved, images embedded).
    Raises InputError, naming the first problem, for an invalid protocol."""
    protocol = load_protocol(path, FileChecker(check))
    return protocol_bundle(protocol, read_image, options)


def export_fhir_text(
    path: str,
    version: str,
    canonical_base: str | None,
    publisher: tuple[str | None, str | None],
    config: Config,
    check: CheckOptions,
) -> str:
    """The export as JSON text; the publisher defaults to `[tool.protokit.clinic]`."""
    name, contact = publisher_fields(*publisher, config)
    options = FhirOptions(
        version=version, canonical_base=canonical_base, publisher=name, contact=contact
    )
    return json.dumps(export_fhir(path, options, check), indent=2, ensure_ascii=False) + "\n"
