"""`protokit export fhir PROTOCOL`: a protocol as an HL7 FHIR Bundle."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT)
def export() -> None:
    """Export protocols to other formats."""


@export.command(context_settings=CONTEXT)
@click.argument("protocol", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write to a file instead of standard output.",
)
@click.option(
    "--fhir-version",
    type=click.Choice(("4.3.0", "4.0.1")),
    default="4.3.0",
    show_default=True,
    help="4.3.0 (R4B) has ClinicalUseDefinition for contraindications; 4.0.1 (R4) carries them "
    "in an extension.",
)
@click.option(
    "--canonical-base",
    help="Base URL for canonical URLs, e.g. https://fhir.clinic.example. Default: urn:uuid.",
)
@click.option(
    "--publisher-name", help="The publisher to record. Default: [tool.protokit.clinic] name."
)
@click.option(
    "--publisher-contact",
    help="The publisher's contact. Default: [tool.protokit.clinic] contact or email.",
)
@click.option(
    "--library",
    multiple=True,
    type=click.Path(file_okay=False, exists=True),
    help="An extra library folder to search for referenced exercises (repeatable).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def fhir(
    protocol,
    output,
    fhir_version,
    canonical_base,
    publisher_name,
    publisher_contact,
    library,
    force,
) -> None:
    """Write a protocol as an HL7 FHIR Bundle: a PlanDefinition, an ActivityDefinition per
    exercise, and the contraindications. See docs/fhir.md for the mapping."""
    from protocol_kit.app.bundle import bundle_check_options
    from protocol_kit.app.export import export_fhir
    from protocol_kit.config import load_config
    from protocol_kit.fhir.export import FhirOptions
    from protocol_kit.files import write_atomic

    clinic = load_config().section("clinic")
    options = FhirOptions(
        version=fhir_version,
        canonical_base=canonical_base,
        publisher=publisher_name or clinic.get("name"),
        contact=publisher_contact or clinic.get("contact") or clinic.get("email"),
    )
    check = bundle_check_options(library_dirs=tuple(Path(d) for d in library))
    document = export_fhir(protocol, options, check)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output:
        write_atomic(output, text, overwrite=force)
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)
