"""`protokit bundle create | verify | inspect | import`: share protocols between clinics."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

CONTEXT = {"help_option_names": ["-h", "--help"]}
FHIR_VERSIONS = ("4.3.0", "4.0.1")
PASSPHRASE_VARIABLE = "PROTOKIT_KEY_PASSPHRASE"


class ByteSize(click.ParamType):
    """A size in bytes, with an optional K, M or G suffix (powers of 1024)."""

    name = "size"
    _UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*([0-9]+)\s*([KMG]?)i?B?\s*", str(value), re.IGNORECASE)
        if not match or int(match.group(1)) < 1:
            self.fail(f"{value!r} is not a size such as 512M", param, ctx)
        return int(match.group(1)) * self._UNITS[match.group(2).upper()]


def limit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The archive limits, as options on every command that opens a bundle."""
    from protocol_kit.bundle.archive import DEFAULT_LIMITS as limits

    options = [
        click.option(
            "--max-entries",
            type=click.IntRange(min=1),
            default=limits.max_entries,
            show_default=True,
            help="Refuse a bundle with more files than this.",
        ),
        click.option(
            "--max-size",
            type=ByteSize(),
            default=limits.max_total_bytes,
            show_default=True,
            help="Refuse a bundle that unpacks to more bytes than this (K, M, G suffixes).",
        ),
        click.option(
            "--max-file-size",
            type=ByteSize(),
            default=limits.max_entry_bytes,
            show_default=True,
            help="Refuse a bundle with a file larger than this.",
        ),
        click.option(
            "--max-ratio",
            type=click.IntRange(min=1),
            default=limits.max_ratio,
            show_default=True,
            help="Refuse a compressed file that unpacks to more than this many times its size.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def trust_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--allow-unsigned",
        is_flag=True,
        help="Accept a bundle whose publisher is not verified: unsigned, or signed by a key "
        "the trust file does not list. A signature that does not match is never accepted.",
    )(command)
    return click.option(
        "--trust",
        type=click.Path(dir_okay=False, exists=True),
        help="The trust file listing the publishers' keys you accept. Default: "
        "[tool.protokit.bundle] trust.",
    )(command)


def _limits(max_entries: int, max_size: int, max_file_size: int, max_ratio: int) -> Any:
    from protocol_kit.bundle.archive import ArchiveLimits

    return ArchiveLimits(max_entries, max_size, max_file_size, max_ratio)


def _verify_options(trust: str | None, allow_unsigned: bool, limits: Any) -> Any:
    from protocol_kit.app.bundle import VerifyOptions
    from protocol_kit.config import load_config

    trust_path = Path(trust) if trust else None
    if trust_path is None:
        config = load_config()
        configured = config.section("bundle").get("trust")
        trust_path = config.path(configured) if configured else None
    return VerifyOptions(limits=limits, trust=trust_path, allow_unsigned=allow_unsigned)


def _print_findings(report: Any) -> None:
    from protocol_kit.report import REPORTERS, ReportContext

    rendered = REPORTERS["text"](report, ReportContext())
    sys.stdout.write(rendered)
    sys.stdout.flush()


def _passphrase() -> bytes | None:
    """The signing key's passphrase: from PROTOKIT_KEY_PASSPHRASE, else asked on a terminal."""
    value = os.environ.get(PASSPHRASE_VARIABLE)
    if value:
        return value.encode("utf-8")
    if sys.stdin.isatty():
        return click.prompt("Passphrase for the signing key", hide_input=True).encode("utf-8")
    return None


@click.group(context_settings=CONTEXT)
def bundle() -> None:
    """Share protocols between clinics: create, verify, inspect and import bundles.

    A bundle (.pkb) holds self-contained protocols, their images, the schemas and a manifest
    with every file's SHA-256, optionally signed by the publishing clinic. See docs/bundles.md.
    """


@bundle.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The bundle to write."
)
@click.option(
    "--publisher-name", help="The publishing clinic. Default: [tool.protokit.clinic] name."
)
@click.option(
    "--publisher-contact",
    help="How to reach the clinic (e-mail, telephone or web address). Default: "
    "[tool.protokit.clinic] contact or email.",
)
@click.option(
    "--created",
    help="The creation time to record (2026-11-22 or 2026-11-22T09:30:00Z). Default: "
    "SOURCE_DATE_EPOCH, else the newest last_reviewed date of the protocols.",
)
@click.option(
    "--sign",
    "key",
    type=click.Path(dir_okay=False, exists=True),
    help="Sign the bundle with this private key (protokit keys generate). An encrypted key "
    f"reads its passphrase from {PASSPHRASE_VARIABLE} or asks for it.",
)
@click.option(
    "--fhir", is_flag=True, help="Add an HL7 FHIR export of each protocol (fhir/ID.json)."
)
@click.option(
    "--fhir-version", type=click.Choice(FHIR_VERSIONS), default="4.3.0", show_default=True
)
@click.option("--canonical-base", help="Base URL for the FHIR canonical URLs. Default: urn:uuid.")
@click.option(
    "--library",
    multiple=True,
    type=click.Path(file_okay=False, exists=True),
    help="An extra library folder to search for referenced exercises (repeatable).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def create(
    paths, output, publisher_name, publisher_contact, created, key, fhir, fhir_version,
    canonical_base, library, force,
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
    from protocol_kit.bundle import BundleRefused
    from protocol_kit.config import load_config

    config = load_config()
    signing_key = None
    if key:
        from protocol_kit.bundle.signing import load_signing_key

        signing_key = load_signing_key(Path(key), _passphrase)
    fhir_options = None
    if fhir:
        from protocol_kit.fhir.export import FhirOptions

        fhir_options = FhirOptions(version=fhir_version, canonical_base=canonical_base)
    options = CreateOptions(
        output=Path(output),
        publisher=publisher_from(publisher_name, publisher_contact, config),
        created=created,
        source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH") or None,
        signing_key=signing_key,
        fhir=fhir_options,
        force=force,
        check=bundle_check_options(library_dirs=tuple(Path(d) for d in library)),
    )
    result = create_bundle(paths, options)
    if not result.ok:
        _print_findings(result.report)
        failed = len(result.report.failed_files)
        raise BundleRefused(
            f"{failed} of {len(result.report.files)} files are invalid (see above): no bundle "
            "was written"
        )
    from protocol_kit.app.bundle_report import created_summary, skipped_note

    fingerprint = signing_key.public.fingerprint if signing_key is not None else None
    click.echo(created_summary(result, Path(output), fingerprint))
    note = skipped_note(result.skipped)
    if note:
        click.echo(note, err=True)


@bundle.command(context_settings=CONTEXT)
@click.argument("path", metavar="BUNDLE", type=click.Path(dir_okay=False, exists=True))
@trust_options
@limit_options
def verify(path, trust, allow_unsigned, max_entries, max_size, max_file_size, max_ratio) -> None:
    """Check a bundle: structure, every hash, the signature, and every protocol inside.

    Prints a summary: the publisher, the protocols and the signature. A bundle passes only when
    everything holds and its signing key is in the trust file (or --allow-unsigned is given).

    Exit status: 0 passes, 1 refused, 2 usage or I/O error.
    """
    from protocol_kit.app.bundle import verify_bundle
    from protocol_kit.app.bundle_report import verify_summary
    from protocol_kit.bundle import BundleRefused

    options = _verify_options(
        trust, allow_unsigned, _limits(max_entries, max_size, max_file_size, max_ratio)
    )
    verification = verify_bundle(Path(path), options)
    _print_findings(verification.report)
    click.echo(verify_summary(verification))
    if not verification.ok:
        raise BundleRefused(f"{path}: {verification.problems[0]}")


@bundle.command(context_settings=CONTEXT)
@click.argument("path", metavar="BUNDLE", type=click.Path(dir_okay=False, exists=True))
@limit_options
def inspect(path, max_entries, max_size, max_file_size, max_ratio) -> None:
    """List what a bundle holds, without extracting or checking anything.

    Shows the manifest's claims (publisher, protocols) and the files with their sizes. Nothing
    here is verified: run protokit bundle verify before you trust it.
    """
    from protocol_kit.app.bundle import inspect_bundle
    from protocol_kit.app.bundle_report import inspect_listing

    limits = _limits(max_entries, max_size, max_file_size, max_ratio)
    click.echo(inspect_listing(inspect_bundle(Path(path), limits), Path(path)))


@bundle.command("import", context_settings=CONTEXT)
@click.argument("path", metavar="BUNDLE", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--into",
    "target",
    required=True,
    type=click.Path(file_okay=False),
    help="The protocols folder to import into.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@trust_options
@limit_options
def import_(
    path, target, dry_run, trust, allow_unsigned, max_entries, max_size, max_file_size, max_ratio
) -> None:
    """Verify a bundle, then add its protocols to a folder, all or nothing.

    A protocol already in the folder is updated only by a newer version; an older version, or
    the same version with different content, refuses the whole import. Nothing in the folder
    changes unless everything can be imported.

    Exit status: 0 imported (or nothing to do), 1 refused, 2 usage or I/O error.
    """
    from protocol_kit.app.bundle import ImportOptions, import_bundle
    from protocol_kit.app.bundle_report import import_counts, import_lines, plural
    from protocol_kit.bundle import BundleRefused

    options = ImportOptions(
        verify=_verify_options(
            trust, allow_unsigned, _limits(max_entries, max_size, max_file_size, max_ratio)
        ),
        dry_run=dry_run,
    )
    result = import_bundle(Path(path), Path(target), options)
    for line in import_lines(result.plan):
        click.echo(line)
    counts = import_counts(result.plan)
    if result.plan.refused:
        raise BundleRefused(
            f"{path}: import refused ({plural(len(result.plan.refused), 'protocol')} cannot be "
            "imported, see above); nothing was changed"
        )
    if dry_run:
        click.echo(f"dry run: would be {counts}; nothing was written", err=True)
    else:
        click.echo(f"imported into {target}: {counts}", err=True)
