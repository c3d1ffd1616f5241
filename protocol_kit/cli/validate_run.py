"""What `protokit validate` does, apart from click: its options as a plain value, running
them, and the plain forms of the command line recognised without click.

Importing click and building the command costs `protokit validate` about a third of its
start-up on one file. `quick_args` reads the forms a person or an editor types most
(`validate PATH... [-q] [-f FORMAT] [--no-lint] ...`) into the same `ValidateArgs` the click
command makes; anything else (help, a mistake, another option, another command) is click's.
`tests/test_quick_validate.py` runs both on many command lines and compares every byte.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from protocol_kit.cli.output import echo, say, write_document
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.loading import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH
from protocol_kit.record import Record, init

if TYPE_CHECKING:
    from protocol_kit.config import Config
    from protocol_kit.errors import ConfigError

FORMATS = ("text", "json", "github", "sarif", "junit")


class ValidateArgs(Record):
    """The options of one `validate` call, copied out of click so that they can be tested and
    executed without it."""

    __slots__ = (
        "paths",
        "format",
        "output",
        "color",
        "quiet",
        "max_bytes",
        "max_depth",
        "library",
        "jobs",
        "lint",
        "select",
        "ignore",
        "warnings_as_errors",
        "config",
    )
    paths: tuple[str, ...]
    format: str
    output: str | None
    color: bool
    quiet: bool
    max_bytes: int
    max_depth: int
    library: tuple[str, ...]
    jobs: int
    lint: bool
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    warnings_as_errors: bool
    config: str | None

    def __init__(
        self,
        paths: tuple[str, ...],
        format: str,
        output: str | None,
        color: bool,
        quiet: bool,
        max_bytes: int,
        max_depth: int,
        library: tuple[str, ...],
        jobs: int,
        lint: bool = True,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] = (),
        warnings_as_errors: bool = False,
        config: str | None = None,
    ) -> None:
        init(self, "paths", paths)
        init(self, "format", format)
        init(self, "output", output)
        init(self, "color", color)
        init(self, "quiet", quiet)
        init(self, "max_bytes", max_bytes)
        init(self, "max_depth", max_depth)
        init(self, "library", library)
        init(self, "jobs", jobs)
        init(self, "lint", lint)
        init(self, "select", select)
        init(self, "ignore", ignore)
        init(self, "warnings_as_errors", warnings_as_errors)
        init(self, "config", config)


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_color(requested: bool | None, output: str | None) -> bool:
    if requested is not None:
        return requested
    if (output and output != "-") or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def validate_args(
    paths: tuple[str, ...],
    format_: str | None = None,
    output: str | None = None,
    color: bool | None = None,
    quiet: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    library: tuple[str, ...] = (),
    jobs: int = 0,
    no_lint: bool = False,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    warnings_as_errors: bool = False,
    config: str | None = None,
) -> ValidateArgs:
    """The call's options from the command line's values (the click command's parameters,
    with its defaults)."""
    return ValidateArgs(
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
        select=codes(select) if select else None,
        ignore=codes(ignore),
        warnings_as_errors=warnings_as_errors,
        config=config,
    )


# The plain forms `quick_args` reads: flags, and the one option whose value is a fixed word.
_FLAGS = {
    "-q": ("quiet", True),
    "--quiet": ("quiet", True),
    "--no-lint": ("no_lint", True),
    "--warnings-as-errors": ("warnings_as_errors", True),
    "--color": ("color", True),
    "--no-color": ("color", False),
}
_FORMAT = ("-f", "--format")


def quick_args(argv: list[str]) -> ValidateArgs | None:
    """The options of `validate PATH... [flags] [-f FORMAT]` read without click, or None for
    any other command line (click's to read, explain or refuse).

    Read here: the word `validate` first; paths that are not empty and do not start with `-`
    (except `-` itself, standard input), before, between or after the options; `-q`,
    `--quiet`, `--no-lint`, `--warnings-as-errors`, `--color`, `--no-color`, each at most
    once; `-f FORMAT`, `--format FORMAT` or `--format=FORMAT` once, with one of the formats.
    Everything else (`--`, `-h`, joined short options, other options, a repeated one, an
    unknown format, no path) is left to click, which the test compares this with."""
    if not argv or argv[0] != "validate":
        return None
    options: dict[str, object] = {}
    paths: list[str] = []
    words = iter(argv[1:])
    for word in words:
        if word in _FLAGS:
            name, value = _FLAGS[word]
        elif word in _FORMAT or word.startswith("--format="):
            name = "format_"
            value = word.partition("=")[2] if "=" in word else next(words, None)
            if value not in FORMATS:
                return None
        elif word == "-" or (word and not word.startswith("-")):
            paths.append(word)
            continue
        else:
            return None
        if name in options:
            return None
        options[name] = value
    if not paths:
        return None
    return validate_args(paths=tuple(paths), **options)  # type: ignore[arg-type]


def codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def execute(args: ValidateArgs) -> int:
    from protocol_kit.errors import ConfigError

    begun: list[bool] = []  # not empty once the report has begun on standard output
    try:
        return _run(args, begun)
    except ConfigError as error:
        # A report begun on standard output cannot be taken back (an annotation can follow);
        # one written to a file (-o) is written whole or not at all.
        if not begun or args.format == "github":
            from protocol_kit.errors import ProtokitError

            try:
                report_configuration_error(args, error)
            except ProtokitError as unwritten:  # the output refused: both are said
                say(f"protokit: error: {unwritten}", err=True)
        raise


def _run(args: ValidateArgs, begun: list[bool]) -> int:
    from protocol_kit.patterns import hand_over_when_searched

    hand_over_when_searched(few_files(args.paths))  # before any module compiles its patterns
    from protocol_kit.app.check import configured_check_options, each_report, found_files
    from protocol_kit.cli.main import settled
    from protocol_kit.config import load_config
    from protocol_kit.findings import RunTally
    from protocol_kit.loading import Limits
    from protocol_kit.report import ReportContext, report_stream, summary_line

    config = load_config(Path(args.config) if args.config else None)
    hooks, summaries, strict = lint_hooks(args, config)
    options = configured_check_options(
        config,
        args.library,
        limits=Limits(args.max_bytes, args.max_depth, raisable=True),
        hooks=hooks,
        jobs=args.jobs,
    )
    # A path that cannot be checked does not stop the others, and the report is written all
    # the same (a CI step that uploads it must find it); the exit status says the run failed.
    settled(one_file=one_file(args))
    started = time.perf_counter()
    files, path_errors = found_files(args.paths, options, keep_going=True)
    tally = RunTally(strict, path_errors)
    context = ReportContext(color=args.color, rule_summaries=summaries)
    # Written as the files are checked (issue 17): nothing of a file is kept once its part of
    # the report is written, but what the format's head needs (`report_stream`).
    rendered = report_stream(
        args.format, each_report(files, options, tally, started), tally, context
    )
    if args.output and args.output != "-":
        # tempfile and shutil: 5 ms to import
        from protocol_kit.files import refuse_to_replace, write_atomic
        from protocol_kit.report.base import EARLIER_REPORT

        checked = (("one of the files", path) for path in files if path != "-")
        # A device or a pipe (/dev/stdout, a FIFO) is written into: only a file is replaced.
        earlier = EARLIER_REPORT if os.path.isfile(args.output) else None
        # Before the first file is checked: a report that may not be written is not begun.
        seen = refuse_to_replace(args.output, checked, earlier, writing="the report")
        # Into a temporary file renamed over the output once whole: a run that stops leaves
        # the output as it was.
        write_atomic(args.output, rendered, seen=seen)
    elif args.format in ("json", "sarif", "junit", "github"):
        write_document(_marked(rendered, begun))
    else:
        sys.stdout.writelines(rendered)
        sys.stdout.flush()
    for failure in tally.path_errors:
        say(f"protokit: error: {failure.path}: {failure.message}", err=True)
    if not args.quiet and tally.files:
        echo(summary_line(tally), err=True)
    return tally.exit_code


def _marked(pieces, begun: list[bool]):  # noqa: ANN001, ANN202 (a report's pieces)
    """The report's pieces, `begun` marked before the first is written."""
    for piece in pieces:
        begun.append(True)
        yield piece


def report_configuration_error(args: ValidateArgs, error: ConfigError) -> None:
    """The report of a run that a configuration error stopped (a setting, or GOV004's git
    revision missing at the first file), for a CI step that uploads it: docs/ci.md's SARIF
    upload failed with "Path does not exist: protokit.sarif" after protokit's own line, and
    the code scanning view and the pull request said nothing of the real error (H1318). The
    error is said in the format's own way (a SARIF tool execution notification, a JUnit
    error, a GitHub annotation at the setting's line); the text report is the error line the
    command prints anyway."""
    from protocol_kit.findings import RunTally
    from protocol_kit.report import ReportContext, report_stream
    from protocol_kit.report.config_error import configuration_finding

    if args.format == "text":
        return
    tally = RunTally(path_errors=[configuration_finding(error, args.config)])
    rendered = report_stream(args.format, iter(()), tally, ReportContext(color=False))
    if args.output and args.output != "-":
        from protocol_kit.files import refuse_to_replace, write_atomic
        from protocol_kit.report.base import EARLIER_REPORT

        earlier = EARLIER_REPORT if os.path.isfile(args.output) else None
        seen = refuse_to_replace(args.output, (), earlier, writing="the report")
        write_atomic(args.output, rendered, seen=seen)
    else:
        write_document(rendered)


# Named files at most, for a run whose patterns are handed to the engine at their first
# search (protocol_kit/patterns.py `hand_over_when_searched`): below where it stops paying.
FEW_FILES = 256


def one_file(args: ValidateArgs) -> bool:
    """Whether the run checks one named file of at most the default size (`cli.main.settled`):
    all its caches hold comes from that file."""
    return len(args.paths) == 1 and args.max_bytes <= DEFAULT_MAX_BYTES and few_files(args.paths)


def few_files(paths: tuple[str, ...]) -> bool:
    """Whether `paths` are a few files (a hook's, an editor's), not folders or many files."""
    return len(paths) <= FEW_FILES and not any(os.path.isdir(path) for path in paths)


def lint_hooks(args: ValidateArgs, config: Config):  # -> (hooks, rule summaries, bool)
    """The run's lint hook (none with --no-lint), each rule's summary by code, and whether
    warnings fail the run. A run of one file is given the lint's answer kept for it when
    the file, the configuration and the code are as they were (`lint.one_file`): the rules'
    modules are then not imported (issue 17). Only in the `protokit` command's own process,
    whose code is its files as they were when it began: a program or a test that calls
    `main` may have changed a rule in memory since (`cli.main.the_command`)."""
    from protocol_kit.cli.main import the_command

    if args.lint and one_file(args) and the_command():
        from protocol_kit.lint.one_file import OneFileLint, configuration_key

        configuration = configuration_key(
            config.values,
            None if config.source is None else str(config.source),
            config.shown,
            args.select,
            args.ignore,
            args.library,
            args.max_bytes,
            args.max_depth,
        )
        lint = OneFileLint(configuration, lambda: lint_settings(args, config)[0])
        lint.start(args.paths[0])
        return (lint,), lint.summaries, warnings_fail(args, config)
    settings, strict = lint_settings(args, config)
    if settings is None:
        return (), {}, strict
    from protocol_kit.lint.engine import Linter
    from protocol_kit.lint.registry import rule_summaries

    linter = Linter(settings)
    linter.expect(args.paths)
    return (linter,), rule_summaries(), strict


def lint_settings(args: ValidateArgs, config: Config):  # -> (LintSettings | None, bool)
    """The lint settings (None with --no-lint) and whether warnings fail the run."""
    strict = warnings_fail(args, config)
    if not args.lint:
        return None, strict
    # Imported only for a run that lints: the engine and its rules' registry were a
    # `--no-lint` run's largest import (issue 17).
    from protocol_kit.lint.engine import run_settings

    where = config.shown
    return run_settings(config.section("lint"), where, args.select, args.ignore), strict


def warnings_fail(args: ValidateArgs, config: Config) -> bool:
    """Whether warnings fail the run (--warnings-as-errors, or the configuration's)."""
    return args.warnings_as_errors or bool(config.section("lint").get("warnings_as_errors"))
