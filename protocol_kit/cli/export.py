"""`protokit export fhir PROTOCOL`: a protocol as an HL7 FHIR Bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from protocol_kit.cli.options import CONTEXT, fhir_options, library_option, publisher_options


@click.group(
    context_settings=CONTEXT,
    short_help="Export protocols to other formats (FHIR).",
)
def export() -> None:
    """Export protocols to other formats."""


@export.command(context_settings=CONTEXT)
@click.argument("protocol", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to a file, not standard output."
)
@fhir_options
@publisher_options
@library_option
@click.option(
    "--force",
    is_flag=True,
    help="Replace the output file if it is an earlier export (never a protocol or another file).",
)
def fhir(
    protocol, output, fhir_version, canonical_base, publisher_name, publisher_contact, library,
    force,
) -> None:  # fmt: skip
    """Write a protocol as an HL7 FHIR Bundle: a PlanDefinition, an ActivityDefinition per
    exercise, and the contraindications. The mapping: docs/fhir.md
    in the protocol-kit source repository."""
    from protocol_kit.app.bundle import bundle_check_options
    from protocol_kit.app.export import export_fhir_text, write_export
    from protocol_kit.config import load_config

    text = export_fhir_text(
        protocol,
        fhir_version,
        canonical_base,
        (publisher_name, publisher_contact),
        load_config(),
        bundle_check_options(library_dirs=tuple(Path(d) for d in library)),
        output=output,
    )
    if output:
        write_export(text, output, force)
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)
