"""`protokit checklist PROTOCOL`: which CERT and TIDieR items the protocol covers."""

from __future__ import annotations

import json

import click


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="Report the CERT and TIDieR items a protocol covers.",
)
@click.argument("protocol", metavar="PROTOCOL")
@click.option(
    "-f",
    "--format",
    "format_",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="Output format.",
)
def checklist(protocol: str, format_: str) -> None:
    """Report which items of CERT (the Consensus on Exercise Reporting Template) and TIDieR
    the protocol covers, item by item, with the field that covers each, and the estimated
    time of one session.

    Exit status: 0 every applicable item covered, 1 some item not covered, 2 the file is not
    a valid protocol.
    """
    from protocol_kit.app.check import FileChecker, configured_check_options, load_protocol
    from protocol_kit.checklist import NOT_COVERED
    from protocol_kit.checklist import checklist as run_checklist
    from protocol_kit.config import load_config
    from protocol_kit.lint.rules.session_time import session_minutes

    model = load_protocol(protocol, FileChecker(configured_check_options(load_config())))
    results = run_checklist(model)
    minutes = session_minutes(model)
    if format_ == "json":
        payload = {
            "protocol": protocol,
            "session_minutes": round(minutes, 1),
            "items": [
                {
                    "standard": r.item.standard,
                    "item": r.item.number,
                    "title": r.item.title,
                    "status": r.status,
                    "fields": r.item.fields,
                }
                for r in results
            ],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        rounded = round(minutes)
        click.echo(f"{protocol}: one session takes about {rounded} minute{'s' * (rounded != 1)}")
        standard = None
        for result in results:
            item = result.item
            if item.standard != standard:
                standard = item.standard
                click.echo(f"\n{standard}")
            fields = ""
            if item.fields:
                fields = f"  (add {item.fields})" if result.status == NOT_COVERED else ""
                fields = fields or f"  [{item.fields}]"
            click.echo(f"  {item.number:<4} {result.status:<15} {item.title}{fields}")
    missing = sum(1 for r in results if r.status == NOT_COVERED)
    raise SystemExit(1 if missing else 0)
