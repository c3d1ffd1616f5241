"""`protokit illustrate FILE... -o FOLDER`: the pictures protocol-kit draws from poses."""

from __future__ import annotations

import click

from protocol_kit.cli.options import CONTEXT, ExistingPath, NumberRange, library_option
from protocol_kit.cli.output import say


@click.command(
    context_settings=CONTEXT,
    short_help="Draw the exercises' poses as pictures (SVG, PDF, PNG).",
)
@click.argument("paths", nargs=-1, required=True, type=ExistingPath())
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="The folder to write into (made if missing): one file per exercise and format, "
    "named after the exercise id. Existing pictures of the same name are replaced.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["svg", "pdf", "png"]),
    default=("svg",),
    show_default=True,
    help="Repeat for several. SVG opens in any browser; PNG needs pdftoppm (poppler-utils).",
)
@click.option(
    "--language",
    metavar="TAG",
    help="The language of the picture's title and description (en, fr, es, de, pl, el). "
    "Default: the file's language.",
)
@click.option(
    "--width",
    type=NumberRange(20, 300),
    default=80.0,
    show_default=True,
    help="Width of PDF and PNG pictures, in millimetres.",
)
@library_option
def illustrate(paths, output, formats, language, width, library) -> None:
    """Draw every exercise with poses in PATHS (exercise or protocol files, or folders of
    them) as the picture printed on the sheet: to see what a pose looks like while writing it.

    The files are checked first, as `protokit validate` checks them. What the pose checks
    (POSE001, POSE002) find is printed as a note; the picture is drawn anyway, so that the
    problem can be seen. The same inputs give the same bytes.

    Exit status: 0 written (even with notes), 2 refused (the reason is printed on one line).
    """
    from pathlib import Path

    from protocol_kit.app.check import CheckOptions
    from protocol_kit.app.illustrate import illustrate as draw

    options = CheckOptions(library_dirs=tuple(Path(d) for d in library))
    result = draw(paths, output, formats, language, width, options)
    for note in result.notes:
        say(f"note: {note}", err=True)
    for path in result.written:
        say(f"wrote {path}")
    if result.without_poses:
        names = ", ".join(result.without_poses)
        say(f"no poses (nothing drawn): {names}", err=True)
