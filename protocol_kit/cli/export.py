"""`protokit export fhir PROTOCOL` and `protokit export fhir-definitions`: HL7 FHIR."""

from __future__ import annotations

from pathlib import Path

import click

from protocol_kit.cli.options import (
    BUNDLE_TYPES,
    CONTEXT,
    FHIR_VERSIONS,
    ExistingPath,
    fhir_options,
    library_option,
    publisher_options,
)
from protocol_kit.cli.output import say, write_document

_OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to a file, not standard output."
)
_FORCE = click.option(
    "--force",
    is_flag=True,
    help="Replace the output file if it is an earlier export (never a protocol or another file).",
)


@click.group(
    context_settings=CONTEXT,
    short_help="Export protocols to other formats (FHIR).",
)
def export() -> None:
    """Export protocols to other formats."""


def _write(text: str, output: str | None, force: bool, inputs=()) -> None:
    if output:
        from protocol_kit.app.export import FHIR_EXPORT, write_export
        from protocol_kit.files import refuse_to_replace

        refuse_to_replace(output, inputs, FHIR_EXPORT, "the export")
        write_export(text, output, force)
        say(f"wrote {output}", err=True)
    else:
        write_document(text)


@export.command(context_settings=CONTEXT)
@click.argument("protocol", type=ExistingPath(dir_okay=False))
@_OUTPUT
@fhir_options
@publisher_options
@library_option
@click.option(
    "--prescription",
    type=ExistingPath(dir_okay=False),
    help="A prescription of the protocol: adds the patient's resources (Patient, a CarePlan "
    "that instantiates the PlanDefinition, Goals, an Observation per baseline).",
)
@_FORCE
def fhir(
    protocol, output, fhir_version, bundle_type, canonical_base, publisher_name,
    publisher_contact, library, prescription, force,
) -> None:  # fmt: skip
    """Write a protocol as an HL7 FHIR Bundle: a PlanDefinition, an ActivityDefinition per
    exercise, and the contraindications, each with a narrative. Canonical URLs are built from
    the publisher. With --prescription, the patient's CarePlan, Goals and baseline
    Observations too. The mapping: docs/fhir.md in the protocol-kit source repository."""
    from protocol_kit.app.bundle import bundle_check_options
    from protocol_kit.app.export import ExportRequest, export_fhir_text, received_publisher
    from protocol_kit.config import load_config
    from protocol_kit.untrusted.text import printable

    received = None
    if publisher_name is None and canonical_base is None:
        received = received_publisher(protocol)
    if received is not None and prescription is not None:
        # The patient's resources are identified in the clinic's own namespace: under the
        # publisher's, two receiving clinics' patients could share an identity.
        say(
            f'{protocol}: imported from "{printable(received)}"; with --prescription the '
            "export is your patient's record, in your clinic's name (without --prescription, "
            "the protocol alone is exported in its publisher's name)",
            err=True,
        )
        received = None
    if received is not None:
        # Another clinic wrote and maintains it: the export must not claim it as ours.
        publisher_name = received
        say(
            f'{protocol}: imported unchanged from "{printable(received)}": the export names '
            "them as its publisher (--publisher-name names another)",
            err=True,
        )
    request = ExportRequest(
        fhir_version,
        bundle_type,
        canonical_base,
        publisher_name,
        publisher_contact,
        received=received is not None,
    )
    text = export_fhir_text(
        protocol,
        request,
        load_config(),
        bundle_check_options(library_dirs=tuple(Path(d) for d in library)),
        output=output,
        prescription_path=prescription,
    )
    _write(text, output, force)


@export.command("fhir-definitions", context_settings=CONTEXT)
@_OUTPUT
@click.option(
    "--fhir-version",
    type=click.Choice(FHIR_VERSIONS, case_sensitive=False),
    default=FHIR_VERSIONS[0],
    show_default=True,
    help="The FHIR version the definitions are for (R4 adds the clinical-use extension).",
)
@click.option(
    "--bundle-type",
    type=click.Choice(BUNDLE_TYPES),
    default=BUNDLE_TYPES[0],
    show_default=True,
    help="collection to read; transaction (or batch, for servers that limit transactions) "
    "to load them into a FHIR server.",
)
@_FORCE
def fhir_definitions(output, fhir_version, bundle_type, force) -> None:
    """Write the StructureDefinitions of protocol-kit's FHIR extensions and its CodeSystem,
    the definitions a FHIR validator or server needs to understand an export."""
    from protocol_kit.app.export import definitions_text

    _write(definitions_text(fhir_version, bundle_type), output, force)
