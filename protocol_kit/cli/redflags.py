"""`protokit redflags`: the red-flag sets the lint checks protocols against."""

from __future__ import annotations

import click


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="List the red flags each condition's sheet must carry.",
)
@click.option("--markdown", is_flag=True, help="Print the Markdown page docs/safety/red-flags.md.")
def redflags(markdown: bool) -> None:
    """List, per condition family, the red flags a patient sheet must carry, the action each
    needs (emergency, maternity, urgent, clinician) and its id for a red flag's `covers`."""
    from protocol_kit.redflags.docs import as_markdown, as_text

    click.echo(as_markdown() if markdown else as_text(), nl=False)
