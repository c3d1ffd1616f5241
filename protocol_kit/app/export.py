"""`protokit export fhir` as a function: a protocol file in, a FHIR Bundle out."""

from __future__ import annotations

import json
import os
from typing import Any

from protocol_kit.app.bundle_checks import publisher_fields, read_image
from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.config import Config
from protocol_kit.errors import InputError
from protocol_kit.fhir.export import FhirOptions, protocol_bundle
from protocol_kit.files import FileKind, refuse_to_replace, write_atomic
from protocol_kit.untrusted.files import open_regular

# How every export starts (`export_fhir_text`): `-o --force` replaces only an earlier export.
FHIR_EXPORT = FileKind("a FHIR export", b'{\n  "resourceType": "Bundle"')


def export_fhir(
    path: str, options: FhirOptions, check: CheckOptions, output: str | None = None
) -> dict[str, Any]:
    """The FHIR Bundle of one valid protocol (library references resolved, images embedded).
    Raises InputError, naming the first problem, for an invalid protocol; with `output`,
    OutputError when writing there would replace one of the files read, or a file that is not
    an earlier export."""
    from protocol_kit.app.render import protocol_inputs

    _refuse_a_bundle(path)
    protocol = load_protocol(path, FileChecker(check))
    if output is not None:
        refuse_to_replace(output, protocol_inputs(protocol), FHIR_EXPORT, "the export")
    return protocol_bundle(protocol, read_image, options)


def _refuse_a_bundle(path: str) -> None:
    """A bundle given where a protocol file belongs: say where its FHIR exports come from."""
    try:
        with open_regular(path) as handle:
            start = handle.read(4)
    except OSError:
        return  # loading the protocol reports it
    if start == b"PK\x03\x04" or path.lower().endswith(".pkb"):
        raise InputError(
            f"{path}: is a bundle, not a protocol file: import it (protokit bundle import) and "
            "export an imported protocol (protokit export fhir received/ID.json); a publisher "
            "puts FHIR exports in its bundles with protokit bundle create --fhir"
        )


def export_fhir_text(
    path: str,
    version: str,
    canonical_base: str | None,
    publisher: tuple[str | None, str | None],
    config: Config,
    check: CheckOptions,
    output: str | None = None,
) -> str:
    """The export as JSON text; the publisher defaults to `[tool.protokit.clinic]`. With
    `output`, the output is checked first (see `export_fhir`)."""
    name, contact = publisher_fields(*publisher, config)
    options = FhirOptions(
        version=version, canonical_base=canonical_base, publisher=name, contact=contact
    )
    bundle = export_fhir(path, options, check, output)
    return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"


def write_export(text: str, output: str | os.PathLike[str], force: bool) -> None:
    write_atomic(output, text, overwrite=force)
