"""`protokit build PATH... -o DIR`: validate everything, then a sheet for every valid protocol."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from protocol_kit.cli.options import CONTEXT, sign_option, signing_key_from
from protocol_kit.cli.output import say
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
    type=click.Path(),
    help="The folder for the sheets (created if missing); each is named <protocol id>.pdf. "
    "Sheets an earlier build wrote there and this one does not are removed.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes, at most one per core. Default 0: one per core.",
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

    DIR holds what the last build made: a sheet (or bundle) an earlier build wrote there and
    this one did not (its protocol failed, was retired or deleted) is removed, with one line
    saying why. Files build did not write are never replaced or removed.

    Exit status: 0 all built, 1 some protocol failed, 2 usage, configuration or I/O error
    (such as a folder that cannot be written).
    """
    from protocol_kit.app.build import BuildOptions, build_sheets, plan_build
    from protocol_kit.app.bundle_checks import bundle_check_options, publisher_fields
    from protocol_kit.app.render import clinic_profile, regional_build_note, require_contact
    from protocol_kit.bundle.manifest import Publisher
    from protocol_kit.cli.render import options_from
    from protocol_kit.config import load_config
    from protocol_kit.files import writable_folder
    from protocol_kit.report import REPORTERS, ReportContext
    from protocol_kit.report.text import folded_report, validate_lists_each

    configuration = load_config(Path(config) if config else None)
    # Before any work: a clinic without the numbers every sheet prints, or a folder that
    # cannot be written, is one error, not one per protocol.
    require_contact(clinic_profile(configuration), near=paths[0])
    folder = writable_folder(output_dir, create=True)
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
            configuration,
            library,
            language=language,
            large_print=large_print,
            clinician=clinician,
        ),
        jobs=jobs,
        publisher=publisher,
        signing_key=signing_key_from(key),
        bundle_check=bundle_check_options(
            library_dirs=tuple(Path(d) for d in library), config=configuration
        )
        if publisher is not None
        else None,
        warnings_as_errors=bool(configuration.section("lint").get("warnings_as_errors")),
    )
    note = regional_build_note(options.render.language or options.render.clinic.language)
    if note is not None and not quiet:
        say(f"protokit: note: {note}", err=True)
    plan = plan_build(paths, options)
    if sys.stderr.isatty() and plan.sheets:
        with click.progressbar(
            length=len(plan.sheets), label="Building sheets", file=sys.stderr
        ) as bar:
            result = build_sheets(plan, options, lambda: bar.update(1))
    else:
        result = build_sheets(plan, options)
    if options.warnings_as_errors:  # every warning fails the file: each is a reason, listed
        sys.stdout.write(REPORTERS["text"](result.report, ReportContext()))
    else:  # a new protocol's 11 to 24 starting texts in one line, as render says them
        sys.stdout.write(folded_report(result.report, validate_lists_each))
    sys.stdout.flush()
    for warning, sheets in result.sheet_warnings.items():
        said_of = f" (said of {sheets} sheets)" if sheets > 1 else ""
        say(f"protokit: warning: {warning}{said_of}", err=True)
    if result.bundle_error:
        say(f"protokit: error: {result.bundle_error}", err=True)
    for removal in result.removals:
        say(removal_line(removal), err=True)
    if result.unrecorded:
        count = len(result.unrecorded)
        say(
            f"protokit build: {folder} holds {count} PDF file{'s' * (count != 1)} this build did "
            f"not write ({', '.join(p.name for p in result.unrecorded)}): left in place, as build "
            "removes only what it recorded writing; check that none is an out-of-date sheet",
            err=True,
        )
    if not quiet:
        say(summary(result, folder, signed=key is not None), err=True)
    raise SystemExit(result.exit_code)


def summary(result, folder: Path, signed: bool = True) -> str:
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
        # Said here, not only at the receiving clinic: an unsigned bundle is refused there by
        # `bundle verify` and `import` unless they pass --allow-untrusted.
        unsigned = " (not signed: receiving clinics refuse it; --sign KEY signs it)"
        parts.append(f"bundle {result.bundle}{'' if signed else unsigned}")
    removed = sum(removal.outcome == "removed" for removal in result.removals)
    if removed:
        parts.append(f"removed {removed} file{'s' * (removed != 1)} of an earlier build")
    return "; ".join(parts)


def removal_line(removal) -> str:
    """One line for a file an earlier build wrote and this one did not."""
    if removal.outcome == "removed":
        return f"protokit build: removed {removal.path} (from an earlier build): {removal.reason}"
    if removal.outcome == "changed":
        return (
            f"protokit build: left {removal.path} in place: an earlier build wrote it, but it "
            "has been replaced by a file build did not write"
        )
    return (
        f"protokit: error: {removal.path} is from an earlier build and must not be printed: "
        f"{removal.reason}"
    )
