"""`protokit new protocol ID` and `protokit new exercise ID`: write a starting file."""

from __future__ import annotations

import json
from pathlib import Path

import click

KINDS = ("protocol", "exercise")


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="Write a new protocol or library exercise.",
)
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("identifier", metavar="ID")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Where to write it. Default: ID.json here (library/ID.json for an exercise).",
)
@click.option(
    "--language", default="en-GB", show_default=True, help="BCP 47 language of its texts."
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def new(kind: str, identifier: str, output: str | None, language: str, force: bool) -> None:
    """Write a new protocol or library exercise that passes the schema.

    Every field a protocol needs is present; those you must fill in start with TODO. The file
    names its "$schema", so editors that understand JSON Schema offer completion and show
    errors as you type.
    """
    import re

    from protocol_kit.errors import UsageError
    from protocol_kit.files import write_atomic
    from protocol_kit.templates import new_exercise, new_protocol

    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", identifier) or len(identifier) > 64:
        raise UsageError(
            f"'{identifier}' is not a valid id: use lower-case letters and digits in words joined "
            "by single hyphens, for example 'knee-rehab-phase-1'"
        )
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?", language):
        raise UsageError(f"'{language}' is not a BCP 47 language tag such as 'en-GB' or 'fr'")
    document = (
        new_protocol(identifier, language)
        if kind == "protocol"
        else new_exercise(identifier, language)
    )
    default = (
        Path("library", f"{identifier}.json") if kind == "exercise" else Path(f"{identifier}.json")
    )
    target = Path(output) if output else default
    if not output and kind == "exercise" and not target.parent.is_dir():
        target = Path(f"{identifier}.json")
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    write_atomic(target, text, overwrite=force)
    click.echo(
        f"wrote {target}: fill in every TODO, and check the values set to make it valid (type, "
        f"side, dosage, body regions{', condition code' if kind == 'protocol' else ''}); then "
        f"run: protokit validate {target}",
        err=True,
    )
