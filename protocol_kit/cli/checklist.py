"""`protokit checklist PROTOCOL`: which CERT and TIDieR items the protocol covers."""

from __future__ import annotations

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
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    show_default=True,
    help="Output format: markdown is a table for a paper's appendix.",
)
def checklist(protocol: str, format_: str) -> None:
    """Report, item by item, whether the protocol covers each item of CERT (the Consensus on
    Exercise Reporting Template) and TIDieR: covered, thin (there, but not enough: says what
    is missing), missing, or not applicable (items about what happened when the programme
    was used). Judged from what the fields say, not from their presence; also prints the
    estimated time of one session.

    Exit status: 0 every applicable item covered, 1 some item thin or missing, 2 the file is
    not a valid protocol.
    """
    from protocol_kit.app.check import FileChecker, configured_check_options, load_protocol
    from protocol_kit.checklist import checklist as run_checklist
    from protocol_kit.checklist import iter_missing
    from protocol_kit.checklist.report import FORMATS
    from protocol_kit.config import load_config
    from protocol_kit.lint.rules.session_time import session_minutes

    model = load_protocol(protocol, FileChecker(configured_check_options(load_config())))
    results = run_checklist(model)
    click.echo(FORMATS[format_](protocol, results, session_minutes(model)))
    raise SystemExit(1 if any(True for _ in iter_missing(results)) else 0)
