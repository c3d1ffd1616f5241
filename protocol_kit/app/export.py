"""`protokit export fhir` and `export fhir-definitions` as functions: files in, JSON text out."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from protocol_kit.app.bundle_checks import publisher_fields, read_image
from protocol_kit.app.check import CheckOptions, FileChecker, load_prescription, load_protocol
from protocol_kit.config import Config
from protocol_kit.errors import InputError
from protocol_kit.fhir.export import FhirOptions, protocol_bundle
from protocol_kit.files import FileKind, refuse_to_replace, write_atomic
from protocol_kit.untrusted.files import open_regular

# How every export starts (`fhir_json`): `-o --force` replaces only an earlier export.
FHIR_EXPORT = FileKind("a FHIR export", b'{\n  "resourceType": "Bundle"')


@dataclass(frozen=True)
class ExportRequest:
    """What the command line asks for; the rest comes from the configuration."""

    version: str = "R4"
    bundle_type: str = "collection"
    canonical_base: str | None = None
    publisher_name: str | None = None
    publisher_contact: str | None = None
    # The protocol came, unchanged, from another clinic's bundle (`received_publisher`): the
    # receiving clinic's own name, contact and canonical base do not identify it.
    received: bool = False


def fhir_options(request: ExportRequest, config: Config) -> FhirOptions:
    """The export's options: the command line first, then `[fhir]` and `[clinic]` in the
    configuration (not for a received protocol: those name the receiving clinic)."""
    from protocol_kit.fhir.codes import fhir_version
    from protocol_kit.fhir.identity import checked_base

    own = Config() if request.received else config
    name, contact = publisher_fields(request.publisher_name, request.publisher_contact, own)
    base = request.canonical_base or own.section("fhir").get("canonical_base")
    return FhirOptions(
        version=fhir_version(request.version),
        canonical_base=checked_base(base) if base else None,
        publisher=name,
        contact=contact,
        bundle_type=request.bundle_type,
    )


def received_publisher(path: str) -> str | None:
    """The publisher an imported protocol came from, when the file is byte for byte what
    `bundle import` wrote (its folder's import record, `.protokit/imports.json`); None for the
    clinic's own file or one changed since it was imported (the clinic's version now)."""
    from pathlib import Path

    from protocol_kit.bundle.provenance import digest, read_records

    file = Path(path)
    record = read_records(file.parent).get(file.name)
    if record is None or record.kind != "protocol":
        return None
    try:
        with open_regular(path) as handle:
            content = handle.read()
    except OSError:
        return None  # loading the protocol reports it
    return record.publisher if digest(content) == record.sha256 else None


def export_fhir(
    path: str,
    options: FhirOptions,
    check: CheckOptions,
    output: str | None = None,
    prescription_path: str | None = None,
) -> dict[str, Any]:
    """The FHIR Bundle of one valid protocol (library references resolved, images embedded).
    Raises InputError, naming the first problem, for an invalid protocol; with `output`,
    OutputError when writing there would replace one of the files read, or a file that is not
    an earlier export."""
    from protocol_kit.app.render import protocol_inputs

    options.identity()  # a missing publisher is said before anything is read
    _refuse_a_bundle(path)
    checker = FileChecker(check)
    protocol = load_protocol(path, checker)
    prescription = earlier = None
    inputs = protocol_inputs(protocol)
    if prescription_path is not None:
        from protocol_kit.prescribing.earlier import earlier_as_written

        prescription = load_prescription(prescription_path, protocol, checker, "export")
        earlier = earlier_as_written(prescription_path, check.limits)
        inputs.append(("the prescription", prescription_path))
    if output is not None:
        refuse_to_replace(output, inputs, FHIR_EXPORT, "the export")
    return protocol_bundle(protocol, read_image, options, prescription, earlier)


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


def fhir_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export_fhir_text(
    path: str,
    request: ExportRequest,
    config: Config,
    check: CheckOptions,
    output: str | None = None,
    prescription_path: str | None = None,
) -> str:
    """The export as JSON text. With `output`, the output is checked first (`export_fhir`)."""
    options = fhir_options(request, config)
    return fhir_json(export_fhir(path, options, check, output, prescription_path))


def definitions_text(version: str, bundle_type: str) -> str:
    """protocol-kit's StructureDefinitions and CodeSystem, as a Bundle in JSON."""
    from protocol_kit.fhir.codes import fhir_version
    from protocol_kit.fhir.definitions import definitions_bundle

    return fhir_json(definitions_bundle(fhir_version(version), bundle_type))


def write_export(text: str, output: str | os.PathLike[str], force: bool) -> None:
    write_atomic(output, text, overwrite=force)
