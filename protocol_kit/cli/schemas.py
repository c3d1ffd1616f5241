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
    is_flag=True,
    help="Print VS Code settings that register every schema under its $schema URI, for "
    "completion and inline errors without network access.",
)
def schemas(show_dir: bool, markdown: bool, vscode: bool) -> None:
    """List the document kinds, the "$schema" URI each file names, and the local schema file.

    Point your editor at the local files for completion and inline errors without network
    access (docs/editors.md in the protocol-kit source repository explains how).
    """
    from protocol_kit.schemas import DOCUMENT_KINDS, schema_dir

    if markdown:
        from protocol_kit.schema_docs import markdown as reference

        click.echo(reference(), nl=False)
        return
    if vscode:
        import json

        from protocol_kit.schemas import all_schemas

        entries = [{"url": uri, "schema": schema} for uri, schema in all_schemas().items()]
        click.echo(json.dumps({"json.schemas": entries}, indent=2, ensure_ascii=False))
        return
    folder = schema_dir()
    if show_dir:
        click.echo(str(folder))
        return
    for kind in DOCUMENT_KINDS:
        click.echo(f"{kind.name:<13} {kind.uri}\n{'':<13} {folder / kind.schema_file}")
