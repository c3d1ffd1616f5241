"""`protokit build PATH... -o DIR`: validate everything, then a sheet for every valid protocol."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from protocol_kit.cli.options import CONTEXT, sign_option, signing_key_from
from protocol_kit.cli.render import sheet_options


@click.command(
    context_settings=CONTEXT,
    short_help="Validate protocols and print a sheet for each.",
)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o",
    "--output",
    "output_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="The folder for the sheets (created if missing); each is named <protocol id>.pdf.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes. Default 0: one per core.",
)
@click.option(
    "--no-bundle",
    is_flag=True,
    help="Do not write DIR/protocols.pkb (written when [tool.protokit.clinic] has a name "
    "and a contact).",
)
@sign_option
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@sheet_options
def build(
    paths, output_dir, jobs, no_bundle, key, quiet, language, large_print, clinician, library,
    config,
) -> None:  # fmt: skip
    """Validate protocols and print a sheet for every valid one.

    Every file under PATH is checked as `protokit validate` checks it (schema, library, lint
    rules). Each valid protocol becomes DIR/<id>.pdf; a protocol that fails is reported with
    its findings and the others are still built. Retired protocols are not printed. With a
    publisher configured (name and contact in [clinic] of protokit.toml), the built protocols are
    also written as the bundle DIR/protocols.pkb, signed with --sign KEY.

    Exit status: 0 all built, 1 some protocol failed, 2 usage or configuration error.
    """
    from protocol_kit.app.build import BuildOptions, build_sheets, plan_build
    from protocol_kit.app.bundle_checks import publisher_fields
    from protocol_kit.bundle.manifest import Publisher
    from protocol_kit.cli.render import options_from
    from protocol_kit.config import load_config
    from protocol_kit.errors import OutputError
    from protocol_kit.report import REPORTERS, ReportContext

    configuration = load_config(Path(config) if config else None)
    folder = Path(output_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot create the folder: {error.strerror}") from None
    publisher = None
    if not no_bundle:
        name, contact = publisher_fields(None, None, configuration)
        publisher = Publisher(name, contact) if name and contact else None
        if publisher is None and not quiet:
            # Say why the main job's bundle is missing, rather than leave it out unremarked.
            click.echo(
                "protokit build: no bundle: a bundle names its publisher; set name and contact "
                "under [clinic] in protokit.toml (or [tool.protokit.clinic] in pyproject.toml), "
                "or pass --no-bundle",
                err=True,
            )
    if key and publisher is None:
        raise click.UsageError(
            "--sign needs a bundle to sign: give the clinic a name and a contact in "
            f"{configuration.table_name('clinic')}, and leave out --no-bundle"
        )
    options = BuildOptions(
        output_dir=folder,
        render=options_from(
            config, library, language=language, large_print=large_print, clinician=clinician
        ),
        jobs=jobs,
        publisher=publisher,
        signing_key=signing_key_from(key),
        warnings_as_errors=bool(configuration.section("lint").get("warnings_as_errors")),
    )
    plan = plan_build(paths, options)
    if sys.stderr.isatty() and plan.sheets:
        with click.progressbar(
            length=len(plan.sheets), label="Building sheets", file=sys.stderr
        ) as bar:
            result = build_sheets(plan, options, lambda: bar.update(1))
    else:
        result = build_sheets(plan, options)
    sys.stdout.write(REPORTERS["text"](result.report, ReportContext()))
    sys.stdout.flush()
    if result.bundle_error:
        click.echo(f"protokit: error: {result.bundle_error}", err=True)
    if not quiet:
        click.echo(summary(result, folder), err=True)
    raise SystemExit(result.exit_code)


def summary(result, folder: Path) -> str:
    failed = len(result.report.failed_files)
    built = len(result.built)
    parts = [f"built {built} sheet{'s' * (built != 1)} in {folder}"]
    if failed:
        parts.append(f"{failed} file{'s' * (failed != 1)} failed")
    if result.retired:
        parts.append(
            f"{len(result.retired)} retired protocol{'s' * (len(result.retired) != 1)} not printed"
        )
    if result.bundle is not None:
        parts.append(f"bundle {result.bundle}")
    return "; ".join(parts)
