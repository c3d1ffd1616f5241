"""`protokit bundle create | verify | inspect | import`: share protocols between clinics."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from protocol_kit.cli.options import (
    CONTEXT,
    ExistingPath,
    fhir_options,
    library_option,
    limit_options,
    limits_from_context,
    publisher_options,
    sign_option,
    signing_key_from,
    trust_options,
)
from protocol_kit.cli.output import say, say_lines

BUNDLE_ARGUMENT = click.argument("path", metavar="BUNDLE", type=ExistingPath(dir_okay=False))


def _print_findings(report: Any, listed_by: Any = None) -> None:
    """The findings, each file's starting texts (GOV009) in one line, as build says them: a
    bundle of a new protocol repeated 24 such warnings at the receiving clinic (H832)."""
    from protocol_kit.report.text import folded_report

    sys.stdout.write(folded_report(report, listed_by or _listed_once_imported))
    sys.stdout.flush()


def _listed_once_imported(path: str) -> str:
    """What lists each starting text of a protocol inside a bundle (verify, import)."""
    return "protokit validate lists each once the protocol is imported"


def _verify_options(trust: str | None, allow_unsigned: bool) -> Any:
    from protocol_kit.app.bundle import verify_options
    from protocol_kit.config import load_config_without_clinic

    return verify_options(
        trust, allow_unsigned, limits_from_context(), load_config_without_clinic()
    )


@click.group(
    context_settings=CONTEXT,
    short_help="Share protocols with other clinics (bundles).",
)
def bundle() -> None:
    """Share protocols between clinics: create, verify, inspect and import bundles.

    A bundle (.pkb) holds self-contained protocols, their images, the schemas and a manifest
    with every file's SHA-256, optionally signed by the publishing clinic. The full guide is
    docs/bundles.md in the protocol-kit source repository.
    """


@bundle.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The bundle to write."
)
@publisher_options
@click.option(
    "--created",
    help="The bundle's date (2026-11-22 or 2026-11-22T09:30:00Z). Default: SOURCE_DATE_EPOCH, "
    "else the newest updated date of the protocols, so that the same protocols give the "
    "same bundle; receivers see it as the bundle's date.",
)
@sign_option
@click.option(
    "--fhir",
    is_flag=True,
    help="Add an HL7 FHIR export of each protocol (fhir/ID.json) and protocol-kit's FHIR "
    "definitions (fhir/definitions.bundle.json).",
)
@fhir_options
@library_option
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def create(
    paths, output, publisher_name, publisher_contact, created, key, fhir, fhir_version,
    bundle_type, canonical_base, library, force,
) -> None:  # fmt: skip
    """Validate protocols and write them into one reproducible bundle.

    PATH may be protocol files or folders. Invalid files are reported and nothing is written.
    Library exercises are inlined into the protocols that use them; prescriptions (patient
    data) are never bundled. The same inputs give a byte-identical bundle.

    Exit status: 0 written, 1 some file invalid, 2 usage or I/O error.
    """
    from protocol_kit.app.bundle import (
        CreateOptions,
        bundle_check_options,
        create_bundle,
        publisher_from,
    )
    from protocol_kit.app.bundle_report import created_summary, refusal, skipped_note
    from protocol_kit.bundle import BundleRefused
    from protocol_kit.config import load_config

    signing_key = signing_key_from(key)
    fhir_export = None
    config = load_config()
    publisher = publisher_from(publisher_name, publisher_contact, config)
    if fhir:
        from protocol_kit.app.export import ExportRequest, fhir_options

        request = ExportRequest(
            fhir_version, bundle_type, canonical_base, publisher.name, publisher.contact
        )
        fhir_export = fhir_options(request, config)
    options = CreateOptions(
        output=Path(output),
        publisher=publisher,
        created=created,
        source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH") or None,
        signing_key=signing_key,
        fhir=fhir_export,
        force=force,
        check=bundle_check_options(library_dirs=tuple(Path(d) for d in library)),
    )
    result = create_bundle(paths, options)
    from protocol_kit.report.text import validate_lists_each

    # The warnings too, as `build` prints them: a bundle was written without a word of an
    # overdue review, a text hard to read or starting texts never reviewed, which each
    # receiving clinic's `verify` then showed it (H1111).
    _print_findings(result.report, validate_lists_each)
    if not result.ok:
        raise BundleRefused(refusal(result))
    fingerprint = signing_key.public.fingerprint if signing_key is not None else None
    if created:
        dated_by = "--created"
    elif options.source_date_epoch:
        dated_by = "from SOURCE_DATE_EPOCH"
    else:
        dated_by = "the newest updated date of the protocols; --created sets another"
    say_lines(created_summary(result, Path(output), fingerprint, dated_by))
    note = skipped_note(result.skipped)
    if note:
        say(note, err=True)


@bundle.command(context_settings=CONTEXT, short_help="Check a bundle before you trust it.")
@BUNDLE_ARGUMENT
@trust_options
@limit_options
def verify(path, trust, allow_unsigned) -> None:
    """Check a bundle: structure, every hash, the signature, and every protocol inside.

    Prints a summary: the publisher, the protocols and the signature. A bundle passes only when
    everything holds and its signing key is in the trust file (or --allow-untrusted is given).

    Exit status: 0 passes, 1 refused, 2 usage or I/O error.
    """
    from protocol_kit.app.bundle import verify_bundle
    from protocol_kit.app.bundle_report import verify_summary
    from protocol_kit.bundle import BundleRefused

    verification = verify_bundle(Path(path), _verify_options(trust, allow_unsigned))
    _print_findings(verification.report)
    say_lines(verify_summary(verification))
    if not verification.ok:
        raise BundleRefused(f"{path}: {verification.problems[0]}")
    _warn(path, verification.warnings)


def _warn(path: str, warnings: list[str]) -> None:
    for warning in warnings:
        say(f"protokit: warning: {path}: {warning}", err=True)


@bundle.command(context_settings=CONTEXT, short_help="List what a bundle holds, checking nothing.")
@BUNDLE_ARGUMENT
@limit_options
def inspect(path) -> None:
    """List what a bundle holds, without extracting or checking anything.

    Shows the manifest's claims (publisher, protocols) and the files with their sizes. Nothing
    here is verified: run protokit bundle verify before you trust it.
    """
    from protocol_kit.app.bundle import inspect_bundle
    from protocol_kit.app.bundle_report import inspect_listing

    inspection = inspect_bundle(Path(path), limits_from_context())
    say_lines(inspect_listing(inspection, Path(path)))


@bundle.command(
    "import", context_settings=CONTEXT, short_help="Verify a bundle, then add its protocols."
)
@BUNDLE_ARGUMENT
@click.option(
    "--into",
    "target",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="The protocols folder to import into.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what would change, with every check the import makes; write nothing.",
)
@click.option(
    "--replace-local-changes",
    is_flag=True,
    help="Replace an imported protocol that was changed here since it was imported; your copy "
    "is kept beside it as NAME.json.local-YYYYMMDD-HHMMSS.",
)
@trust_options
@limit_options
def import_(path, target, dry_run, replace_local_changes, trust, allow_unsigned) -> None:
    """Verify a bundle, then add its protocols to a folder, all or nothing.

    Each protocol is written as ID.json, and the images it shows into media/ beside it. A
    protocol already in the folder is updated only by a newer version from the same publisher
    (and signing key), and only when it is as an earlier import wrote it: a file changed here,
    the clinic's own file, an older version, a read-only file, or one that cannot be written
    refuses the whole import. Nothing in the folder changes unless everything can be imported.

    The import keeps a record of every file it writes (id, version, SHA-256, publisher, signing
    key, bundle, date) in DIR/.protokit/imports.json; that is how it tells local changes. Files
    are staged in a hidden folder inside DIR (DIR/.protokit/staging-*), removed when the import
    ends; if one is left after a crash, the next import says what it holds.

    Exit status: 0 imported (or nothing to do), 1 refused (also for a dry run that would be
    refused), 2 usage or I/O error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM); an
    interrupted import is undone first.
    """
    from protocol_kit.app.bundle import ImportOptions, ImportProgress, import_bundle
    from protocol_kit.bundle.staging import signals_held
    from protocol_kit.cli.main import Terminated

    options = ImportOptions(
        verify=_verify_options(trust, allow_unsigned),
        dry_run=dry_run,
        replace_local_changes=replace_local_changes,
    )
    from protocol_kit.app.bundle_report import import_outcome

    progress = ImportProgress()
    try:
        result = import_bundle(Path(path), Path(target), options, progress=progress)
        _report_import(result, path, target, dry_run)
    except (Terminated, KeyboardInterrupt):
        if not progress.applied or progress.result is None:
            raise  # the import was undone: protokit reports the interruption
        # The request to stop came once every file was in place: the import is complete, and
        # saying "terminated" would have the clinic believe it was not.
        with signals_held(deliver=False):
            say(import_outcome(progress.result, Path(path), Path(target), dry_run), err=True)
            say(
                "protokit: a request to stop arrived after the import was complete; nothing "
                "was undone",
                err=True,
            )


def _report_import(result: Any, path: str, target: str, dry_run: bool) -> None:
    from protocol_kit.app.bundle_report import import_lines, import_outcome, publisher_line
    from protocol_kit.bundle import BundleRefused

    for note in result.recovered:
        say(f"protokit: note: {note}", err=True)
    verification = result.verification
    say(f"publisher: {publisher_line(verification)}", err=True)
    say(f"signed by: {verification.signature.describe()}", err=True)
    _warn(path, verification.warnings)
    for line in import_lines(result.plan):
        say(line)
    outcome = import_outcome(result, Path(path), Path(target), dry_run)
    if result.plan.refused:
        raise BundleRefused(outcome)
    say(outcome, err=True)
