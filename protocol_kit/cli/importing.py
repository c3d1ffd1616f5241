"""`protokit import fhir BUNDLE`: a protocol read back from its FHIR export."""

from __future__ import annotations

import click

from protocol_kit.cli.options import CONTEXT, ExistingPath
from protocol_kit.cli.output import say, write_document


@click.group(
    "import", context_settings=CONTEXT, short_help="Import protocols from other formats (FHIR)."
)
def import_() -> None:
    """Import protocols from other formats. (Bundles from other clinics: protokit bundle
    import.)"""


@import_.command(context_settings=CONTEXT)
@click.argument("bundle", type=ExistingPath(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the protocol to this file (its pictures into media/ beside it). Default: "
    "standard output, for a protocol without pictures.",
)
@click.option("--force", is_flag=True, help="Replace an existing protocol file.")
def fhir(bundle, output, force) -> None:
    """Read a protocol back from a FHIR Bundle that protokit export fhir wrote (either FHIR
    version, collection or transaction). The protocol is checked like protokit validate
    checks it before anything is written."""
    from protocol_kit.app.fhir_import import import_fhir

    text, note = import_fhir(bundle, output, force)
    if output:
        say(f"wrote {output}", err=True)
    else:
        write_document(text)
    if note:
        say(note, err=True)
