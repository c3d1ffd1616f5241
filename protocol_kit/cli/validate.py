"""`protokit validate PATH...`: check files against their schemas (and the lint rules).

The options are declared here, for click; what a call does is `validate_run.execute`, which
`protokit validate` in its plain forms reaches without click (`validate_run.quick_args`)."""

from __future__ import annotations

import click

from protocol_kit.cli.options import ExistingPath
from protocol_kit.cli.validate_run import FORMATS, ValidateArgs, execute, validate_args
from protocol_kit.loading import DEEPEST_MAX_DEPTH, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH

__all__ = ["ValidateArgs", "execute", "validate"]


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="Check files against the schemas and safety rules.",
)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-f",
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format. Default: text, or github when GITHUB_ACTIONS is set.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the report to a file (- for standard output). An existing file is replaced "
    "only when it is empty or an earlier report.",
)
@click.option(
    "--color/--no-color", default=None, help="Colour the text report. Default: on a terminal."
)
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Refuse files larger than this.",
)
@click.option(
    "--max-depth",
    # Python's JSON parser runs out of stack near 1,000 levels: a higher limit would let a
    # file fail with a false "deeper than the limit" and no place. No protocol needs 500.
    type=click.IntRange(min=2, max=DEEPEST_MAX_DEPTH),
    default=DEFAULT_MAX_DEPTH,
    show_default=True,
    help="Refuse JSON nested deeper than this.",
)
@click.option(
    "--library",
    multiple=True,
    type=ExistingPath(file_okay=False),
    help="An extra library folder to search for referenced exercises (repeatable).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes for large runs, at most one per core. Default 0: one per core.",
)
@click.option("--no-lint", "no_lint", is_flag=True, help="Check the schemas only, no lint rules.")
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Run only these rules: codes or prefixes, comma-separated (DOSE,SAFE001). "
    "Replaces the configuration's select.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Do not run these rules (codes or prefixes); adds to the configuration's ignore.",
)
@click.option(
    "--warnings-as-errors", is_flag=True, help="Fail (exit 1) on warnings too, for strict CI."
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    help="The configuration file (protokit.toml or pyproject.toml). "
    "Default: the nearest one, in the current folder or above it.",
)
def validate(
    paths,
    format_,
    output,
    color,
    quiet,
    max_bytes,
    max_depth,
    library,
    jobs,
    no_lint,
    select,
    ignore,
    warnings_as_errors,
    config,
) -> None:
    """Check protocol-kit files against their schemas and the clinical lint rules.

    PATH may be a file, a folder (searched recursively for *.json) or - for standard input.
    Each file is checked against the schema its "$schema" names, from the local schemas; the
    network is never used. Every schema-valid protocol is then checked by the lint rules
    (`protokit rules` lists them), configured under [tool.protokit.lint] in pyproject.toml or
    in protokit.toml. Findings go to stdout as FILE:LINE:COLUMN: severity CODE message
    [JSON pointer]; the summary goes to stderr.

    Exit status: 0 all valid, 1 some file invalid (or has warnings, with
    --warnings-as-errors), 2 usage, configuration or I/O error.
    """
    args = validate_args(
        paths=paths,
        format_=format_,
        output=output,
        color=color,
        quiet=quiet,
        max_bytes=max_bytes,
        max_depth=max_depth,
        library=library,
        jobs=jobs,
        no_lint=no_lint,
        select=select,
        ignore=ignore,
        warnings_as_errors=warnings_as_errors,
        config=config,
    )
    raise SystemExit(execute(args))
