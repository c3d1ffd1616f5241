"""`protokit schemas`: where the published schemas are, for editors and other tools."""

from __future__ import annotations

import click


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="List the document kinds and their schema files.",
)
@click.option("--dir", "show_dir", is_flag=True, help="Print only the folder holding the schemas.")
@click.option(
    "--markdown",
    is_flag=True,
    help="Print the field reference (docs/format.md in the protocol-kit source repository).",
)
@click.option(
    "--vscode",
    metavar="[SETTINGS]",
    is_flag=False,
    flag_value="-",
    default=None,
    help="Print VS Code settings that register every schema under its $schema URI, for "
    "completion and inline errors without network access; with a settings file "
    "(.vscode/settings.json), add them to it, keeping every other setting.",
)
def schemas(show_dir: bool, markdown: bool, vscode: str | None) -> None:
    """List the document kinds, the "$schema" URI each file names, and the local schema file.

    Point your editor at the local files for completion and inline errors without network
    access (docs/editors.md in the protocol-kit source repository explains how).
    """
    from protocol_kit.schemas import DOCUMENT_KINDS, schema_dir

    if markdown:
        from protocol_kit.schema_docs import markdown as reference

        click.echo(reference(), nl=False)
        return
    if vscode == "-":
        import json

        from protocol_kit.app.editor_settings import KEY, schema_entries

        click.echo(json.dumps({KEY: schema_entries()}, indent=2, ensure_ascii=False))
        return
    if vscode is not None:
        from pathlib import Path

        from protocol_kit.app.editor_settings import write_vscode_settings

        registered, kept = write_vscode_settings(Path(vscode))
        others = "" if kept is None else f"; {kept} other setting{'s' * (kept != 1)} kept"
        click.echo(
            f"wrote {vscode}: {registered} protocol-kit schemas in json.schemas{others}", err=True
        )
        return
    folder = schema_dir()
    if show_dir:
        click.echo(str(folder))
        return
    for kind in DOCUMENT_KINDS:
        click.echo(f"{kind.name:<13} {kind.uri}\n{'':<13} {folder / kind.schema_file}")
