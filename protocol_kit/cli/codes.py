"""`protokit codes WORDS`: find a condition's code by words, as the workbench's "Find a condition
code" box does (a therapist writing a protocol in a text editor had no way to find one, and
CODE001 only says the code typed is not real)."""

from __future__ import annotations

import json

import click

from protocol_kit.cli.options import CONTEXT


@click.command(context_settings=CONTEXT, short_help="Find a condition code by words.")
@click.argument("words", nargs=-1, required=True)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
def codes(words: tuple[str, ...], limit: int) -> None:
    """Find condition codes by WORDS ("ankle stiffness") or by the start of a code ("M25.6"),
    in ICD-10-CM, WHO ICD-10 and the SNOMED CT concepts protocol-kit knows; the codes to use
    (the most specific of their branch) first. Each is printed as the indication to paste into
    a protocol, with the system, the code and its display exactly as the checks want them.

    Exit status: 0 codes found, 1 none found.
    """
    from protocol_kit.terminology.search import search_codes

    query = " ".join(words)[:200]
    found = search_codes(query, limit=limit)
    if not found:
        click.echo(
            f'no code found for "{query}": try fewer or shorter words ("ankle" rather than '
            '"ankles"), or the start of a code',
            err=True,
        )
        raise SystemExit(1)
    for match in found:
        use = "" if match.billable else "  (a heading: choose a more specific code under it)"
        click.echo(f"{match.system_name} {match.code}: {match.display}{use}")
        coding = {"system": match.system, "code": match.code, "display": match.display}
        click.echo(f"  {json.dumps(coding, ensure_ascii=False)}")
