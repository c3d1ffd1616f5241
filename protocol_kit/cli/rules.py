"""`protokit rules [CODE]`: list the lint rules, or explain one (or any other finding code)."""

from __future__ import annotations

import click


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="List the lint rules, or explain one.",
)
@click.argument("code", required=False)
@click.option(
    "--docs",
    "docs_dir",
    type=click.Path(file_okay=False),
    help="Write the Markdown pages (an index and one page per rule) into this folder.",
)
def rules(code: str | None, docs_dir: str | None) -> None:
    """List every lint rule with its code, default severity and summary, or explain one.

    CODE is a rule's code (SAFE001) or name (contraindicated-indication), or the code or
    name of a check that is not a lint rule (SCHEMA002, RX016: docs/rules/checks.md).
    """
    from protocol_kit.errors import UsageError
    from protocol_kit.lint.docs import find_rule, pages, rule_text, rules_table

    if docs_dir:
        from pathlib import Path

        from protocol_kit.files import RULE_PAGE, refuse_to_replace, write_atomic

        folder = Path(docs_dir)
        written = pages()
        # Every page checked before any is written: `--docs .` in a project must not replace
        # its README.md, nor any file the pages' names happen to have.
        for name in written:
            refuse_to_replace(folder / name, expected=RULE_PAGE, writing="the rules' pages")
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in written.items():
            write_atomic(folder / name, content)
        click.echo(f"wrote {len(pages())} pages to {folder}", err=True)
        return
    if code is None:
        click.echo(rules_table(), nl=False)
        return
    rule = find_rule(code)
    if rule is not None:
        click.echo(rule_text(rule), nl=False)
        return
    from protocol_kit.report.catalogue import check_codes

    wanted = code.strip().lower()
    check = next(
        (c for c in check_codes().values() if wanted in (c.code.lower(), c.name.lower())), None
    )
    if check is None:
        from protocol_kit.findings import shown

        raise UsageError(f"no lint rule or check {shown(code)} (run: protokit rules)")
    kind = "not a lint rule: it cannot be switched off"
    click.echo(f"{check.code} {check.name} ({check.level}; {kind})")
    click.echo()
    click.echo(f"{check.summary}\n\n{click.wrap_text(check.description, 92)}")
