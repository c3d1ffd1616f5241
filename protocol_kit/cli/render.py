"""`protokit render PROTOCOL -o SHEET.pdf`: one prescription sheet a patient takes home (or
`--format html -o SHEET.html`: the same sheet as one accessible, self-contained web page)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from protocol_kit.cli.options import CONTEXT, ExistingPath, library_option, stacked
from protocol_kit.cli.output import say

sheet_options = stacked(
    click.option(
        "--language",
        metavar="TAG",
        help="Print the sheet in this language (en, fr, es, de, pl, el). Default: "
        "language in [clinic] of protokit.toml, else the protocol's language. Every text must be "
        "translated: a missing one is an error.",
    ),
    click.option(
        "--large-print", is_flag=True, help="At least 16 pt text, black on white headings."
    ),
    click.option(
        "--clinician",
        is_flag=True,
        help="Add a page for the clinician: indications with codes, contraindications, "
        "precautions, references and review dates.",
    ),
    library_option,
    click.option(
        "--config",
        type=click.Path(dir_okay=False),
        help="The configuration file. Default: the nearest protokit.toml or pyproject.toml.",
    ),
)


def options_from(config, library, **choices):  # -> RenderOptions
    """The render options from the loaded configuration and the command line (`--library`
    and the sheet's `choices`)."""
    from protocol_kit.app.render import render_options

    return render_options(
        config,
        library_dirs=tuple(Path(d) for d in library),
        source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH") or None,
        **choices,
    )


@click.command(
    context_settings=CONTEXT,
    short_help="Print a protocol as a prescription sheet (PDF or HTML).",
)
@click.argument("protocol", type=ExistingPath(dir_okay=False))
@click.option(
    "--prescription",
    type=ExistingPath(dir_okay=False),
    help="A prescription file (patient, therapist, dates, notes, per-exercise changes). "
    "Without it the sheet has blank lines for the patient and the clinician.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The file to write. Default: beside the prescription and named after it (alex.json: "
    "alex.pdf), or without one beside the protocol (knee.json: knee.pdf). An existing sheet "
    "of the same format is replaced; any other file, and the files the sheet is made from, "
    "are refused.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["pdf", "html"]),
    default="pdf",
    show_default=True,
    help="pdf: the printed sheet. html: the same sheet as one self-contained web page "
    "(screen readers, phones, zoom), with the same texts in the same order.",
)
@sheet_options
def render(
    protocol,
    prescription,
    output,
    output_format,
    language,
    large_print,
    clinician,
    library,
    config,
) -> None:
    """Print a protocol as a prescription sheet a patient can follow at home (PDF, or
    HTML with --format html).

    The protocol is checked as `protokit validate` checks it (schema, library, lint rules):
    nothing is printed from a file with errors, warnings are shown on standard error as
    validate shows them, a retired protocol is refused, and a draft is printed with a DRAFT
    banner on every page. The clinic profile at the top of the sheet
    comes from [clinic] in protokit.toml ([tool.protokit.clinic] in pyproject.toml); it must
    set phone, emergency_number and urgent_number, which every sheet prints. The same inputs
    give a byte-identical file.

    Without -o the sheet is written beside the prescription, named after it, or without
    one beside the protocol (knee.json: knee.pdf, or knee.html with --format html).

    OUTPUT may be an earlier sheet of the same format, which is replaced; it is never one of
    the files the sheet is made from, nor any other existing file.

    Exit status: 0 written, 2 refused (the reason is printed on one line).
    """
    from protocol_kit.app.check import FileChecker
    from protocol_kit.app.render import render_protocol
    from protocol_kit.config import load_config

    if output is None:
        output = default_output(prescription or protocol, output_format)
    configuration = load_config(Path(config) if config else None)
    options = options_from(
        configuration, library, language=language, large_print=large_print, clinician=clinician
    )
    checker = FileChecker(options.check)
    sheet = render_protocol(
        protocol,
        options,
        prescription,
        checker=checker,
        output=output,
        output_format=output_format,
        said=lambda note: say(f"protokit: note: {note}", err=True),
        warned=lambda warning: say(f"protokit: warning: {warning}", err=True),
    )
    for line in warning_lines(checker.warned):  # a sheet is made anyway
        say(line, err=True)
    size = f"{len(sheet.data) // 1024} KB"
    if sheet.pages is None:
        say(f"wrote {output} ({size})")
    else:
        pages = "page" if sheet.pages == 1 else "pages"
        say(f"wrote {output} ({sheet.pages} {pages}, {size})")


def warning_lines(warned: list) -> list[str]:
    """The warnings as `validate` prints them, but a file's starting texts (GOV009) in one
    line where they are several (H784); `validate` lists each at its line."""
    from protocol_kit.report.text import file_lines, validate_lists_each

    return list(file_lines(warned, validate_lists_each))


def default_output(source: str, output_format: str) -> str:
    """The sheet's file when `-o` is not given: beside `source` (the prescription, else the
    protocol), named after it. "Missing option '-o'" stopped a therapist who had named the
    one file the sheet is for (H1154)."""
    from protocol_kit.app.render import ENDINGS

    return str(Path(source).with_suffix(ENDINGS[output_format][0]))
