"""`protokit validate PATH...`: check files against their schemas (and the lint rules)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from protocol_kit.cli.output import say, write_document
from protocol_kit.loading import DEEPEST_MAX_DEPTH, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH

if TYPE_CHECKING:
    from protocol_kit.config import Config

FORMATS = ("text", "json", "github", "sarif", "junit")


@dataclass(frozen=True)
class ValidateArgs:
    """The options of one `validate` call, copied out of click so that they can be tested and
    executed without it."""

    paths: tuple[str, ...]
    format: str
    output: str | None
    color: bool
    quiet: bool
    max_bytes: int
    max_depth: int
    library: tuple[str, ...]
    jobs: int
    lint: bool = True
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    warnings_as_errors: bool = False
    config: str | None = None


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_color(requested: bool | None, output: str | None) -> bool:
    if requested is not None:
        return requested
    if (output and output != "-") or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


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
    help="Write the report to a file (- for standard output).",
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
    type=click.Path(file_okay=False, exists=True),
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
    "Default: the nearest one above the current folder.",
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
    args = ValidateArgs(
        paths=paths,
        format=format_ or default_format(),
        output=output,
        color=use_color(color, output),
        quiet=quiet,
        max_bytes=max_bytes,
        max_depth=max_depth,
        library=library,
        jobs=jobs,
        lint=not no_lint,
        # Given, even as "" or ",": an empty selection is refused, never read as "all".
        select=_codes(select) if select else None,
        ignore=_codes(ignore),
        warnings_as_errors=warnings_as_errors,
        config=config,
    )
    raise SystemExit(execute(args))


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def execute(args: ValidateArgs) -> int:
    from protocol_kit.app.check import check_paths, configured_check_options
    from protocol_kit.config import load_config
    from protocol_kit.loading import Limits
    from protocol_kit.report import REPORTERS, ReportContext, summary_line

    config = load_config(Path(args.config) if args.config else None)
    settings, strict = lint_settings(args, config)
    hooks = ()
    summaries: dict[str, str] = {}
    if settings is not None:
        from protocol_kit.lint.engine import Linter
        from protocol_kit.lint.registry import rule_summaries

        hooks = (Linter(settings),)
        summaries = rule_summaries()
    options = configured_check_options(
        config,
        args.library,
        limits=Limits(args.max_bytes, args.max_depth, raisable=True),
        hooks=hooks,
        jobs=args.jobs,
    )
    # A path that cannot be checked does not stop the others, and the report is written all
    # the same (a CI step that uploads it must find it); the exit status says the run failed.
    report = check_paths(args.paths, options, keep_going=True)
    report.warnings_as_errors = strict
    context = ReportContext(color=args.color, rule_summaries=summaries)
    rendered = REPORTERS[args.format](report, context)
    if args.output and args.output != "-":
        # tempfile and shutil: 5 ms to import
        from protocol_kit.files import refuse_to_replace, write_atomic

        checked = (("one of the files", r.path) for r in report.files if r.path != "-")
        refuse_to_replace(args.output, checked, writing="the report")
        write_atomic(args.output, rendered)
    elif args.format in ("json", "sarif", "junit", "github"):
        write_document(rendered)
    else:
        sys.stdout.write(rendered)
        sys.stdout.flush()
    for failure in report.path_errors:
        say(f"protokit: error: {failure.path}: {failure.message}", err=True)
    if not args.quiet and report.files:
        click.echo(summary_line(report), err=True)
    return report.exit_code


def lint_settings(args: ValidateArgs, config: Config):  # -> (LintSettings | None, bool)
    """The lint settings (None with --no-lint) and whether warnings fail the run."""
    from protocol_kit.lint.engine import run_settings

    section = config.section("lint")
    strict = args.warnings_as_errors or bool(section.get("warnings_as_errors"))
    if not args.lint:
        return None, strict
    where = str(config.source or "defaults")
    return run_settings(section, where, args.select, args.ignore), strict
