"""`protokit bundle create` as a function: validated protocols in, one canonical bundle out."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from protocol_kit.app.bundle_checks import PROTOCOL_KIND, bundle_check_options, make_self_contained
from protocol_kit.app.check import (
    BYTES_CHUNK,
    CheckOptions,
    FileChecker,
    expand_paths,
    map_with_checker,
)
from protocol_kit.app.file_reports import FileReports
from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import DEFAULT_LIMITS, StoredEntry, stored_archive_pieces
from protocol_kit.bundle.contents import SelfContained
from protocol_kit.bundle.manifest import (
    FHIR,
    FHIR_DEFINITIONS,
    MANIFEST,
    PROTOCOLS,
    SCHEMAS,
    SIGNATURE,
    BundledProtocol,
    Manifest,
    Publisher,
    build_manifest,
    created_time,
    protocol_path,
)
from protocol_kit.bundle.spool import Spool
from protocol_kit.findings import FileReport, RunReport
from protocol_kit.loading import STDIN_NAME
from protocol_kit.model import Protocol
from protocol_kit.schemas import SCHEMA_BASE, all_schemas, schema_dir

if TYPE_CHECKING:
    from protocol_kit.bundle.signing import SigningKey
    from protocol_kit.fhir.export import FhirOptions
    from protocol_kit.files import Seen


@dataclass(frozen=True)
class CreateOptions:
    output: Path
    publisher: Publisher
    created: str | None = None  # --created; else SOURCE_DATE_EPOCH, else newest updated
    source_date_epoch: str | None = None
    signing_key: SigningKey | None = None
    fhir: FhirOptions | None = None  # include a FHIR export of each protocol
    force: bool = False
    check: CheckOptions = field(default_factory=bundle_check_options)


@dataclass
class CreateResult:
    report: RunReport  # the sources' validation
    manifest: Manifest | None = None
    sha256: str | None = None
    size: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # kind -> files not bundled

    @property
    def ok(self) -> bool:
        return self.manifest is not None


def schema_files() -> dict[str, bytes]:
    """The schemas a bundled protocol is validated against (everything `protocol.schema.json`
    refers to) and the manifest's own schema, as published."""
    needed = {PROTOCOL_KIND.uri, SCHEMA_BASE + "bundle-manifest.schema.json"}
    pending = list(needed)
    while pending:
        for ref in _refs(all_schemas()[pending.pop()]):
            uri = ref.split("#", 1)[0]
            if uri.startswith(SCHEMA_BASE) and uri not in needed:
                needed.add(uri)
                pending.append(uri)
    folder = schema_dir()
    return {
        SCHEMAS + uri.removeprefix(SCHEMA_BASE): (
            folder / uri.removeprefix(SCHEMA_BASE)
        ).read_bytes()
        for uri in sorted(needed)
    }


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                found.append(item["$ref"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@dataclass(frozen=True, slots=True)
class _Listed:
    """What the manifest needs of a protocol once its files are in the spool."""

    id: str
    version: str
    status: str
    title: str
    updated: Any
    path: str


@dataclass(frozen=True)
class _Made:
    """What the bundle needs of one protocol, made in a worker: small, as it is sent back."""

    listed: _Listed  # all that is kept of it once its files are in the spool
    contained: SelfContained
    rebuilt: Protocol | None  # for the FHIR export only


def _check_and_contain(
    checker: FileChecker, task: tuple[str, bool]
) -> tuple[FileReport | tuple[str | None, float], _Made | None]:
    """One source file checked (parsed, built, linted once) and, when it is a valid protocol,
    made self-contained from that same document and model."""
    path, with_model = task
    report = checker.check(path)
    if report.findings:
        compact: FileReport | tuple[str | None, float] = report
    else:
        compact = (report.kind, report.seconds)
    if not report.ok or report.kind != PROTOCOL_KIND.name or checker.built is None:
        return compact, None
    assert checker.document is not None
    protocol, contained, rebuilt = make_self_contained(
        checker, path, checked=(checker.document, checker.built)
    )
    title = protocol.title.get(protocol.language)
    made = _Made(
        _Listed(
            protocol.id,
            protocol.version,
            protocol.status,
            title,
            protocol.updated,
            protocol.origin.path,
        ),
        contained,
        rebuilt if with_model else None,
    )
    return compact, made


def create_bundle(paths: Sequence[str], options: CreateOptions) -> CreateResult:
    """Validate the files under `paths` and write one bundle of their protocols.

    Nothing is written when any file is invalid (the result's report says why). Library
    exercises are bundled inside the protocols that use them; prescriptions (patient data) are
    never bundled. Each file is read, checked and made self-contained once, on every core, and
    its part of the bundle is put in a spool file as it comes back (see
    `protocol_kit.bundle.spool`), so that memory does not grow with the bundle.
    """
    from protocol_kit.files import seen_now

    # The output as it is before the protocols are checked: a bundle another command writes
    # there meanwhile is not replaced (H868).
    seen = seen_now(options.output)
    spool = Spool(_spool_folder(options.output), str(options.output))
    try:
        return _create(paths, options, spool, seen)
    finally:
        spool.close()


def _create(paths: Sequence[str], options: CreateOptions, spool: Spool, seen: Seen) -> CreateResult:
    started = time.perf_counter()
    files = expand_paths(paths, options.check.exclude, empty_ok=False)
    tasks = [(path, options.fhir is not None) for path in files]
    reports = FileReports()  # a full report only for a file with findings
    parallel = STDIN_NAME not in files
    results = map_with_checker(
        _check_and_contain, tasks, options.check, parallel, chunk=BYTES_CHUNK
    )
    spooling = _Spooling(spool, _fhir_options(options))
    for path, (compact, one) in zip(files, results, strict=True):
        if isinstance(compact, FileReport):
            reports.append(compact)
        else:
            kind, seconds = compact
            reports.add_plain(path, kind, seconds)
        if one is not None:
            spooling.add(one)
    report = RunReport(reports, seconds=time.perf_counter() - started)
    result = CreateResult(report)
    if report.exit_code:
        return result
    for file_report in report.each_file():
        if file_report.kind != PROTOCOL_KIND.name:
            kind = file_report.kind or "other"
            result.skipped[kind] = result.skipped.get(kind, 0) + 1
    protocols = spooling.protocols
    if spooling.duplicate is not None:
        one, first = spooling.duplicate
        raise BundleRefused(
            f"{one.path}: has the id '{one.id}' of {first.path} too: a bundle holds one "
            "protocol per id"
        )
    if not protocols:
        raise BundleRefused(f"no protocol found in {', '.join(paths)}: nothing to bundle")
    spooling.finish()
    manifest = build_manifest(
        options.publisher,
        created_time(
            options.created,
            options.source_date_epoch,
            max(p.updated for p in protocols.values()),
        ),
        tuple(BundledProtocol(p.id, p.version, p.status, p.title) for p in protocols.values()),
        spool.listed(),
    )
    manifest_bytes = manifest.to_bytes()
    extra = {MANIFEST: manifest_bytes}
    if options.signing_key is not None:
        extra[SIGNATURE] = options.signing_key.sign(manifest_bytes)
    _refuse_oversized({**spool.sizes(), **{name: len(data) for name, data in extra.items()}})
    from protocol_kit.files import ZIP, refuse_to_replace, write_atomic

    sources = (("one of the files", r.path) for r in report.files)
    refuse_to_replace(options.output, sources, ZIP, "the bundle")
    entries = {**spool.entries(), **{name: StoredEntry.of(data) for name, data in extra.items()}}
    # Written piece by piece as it is made (its digest and size counted on the way), never
    # joined in memory.
    digest = hashlib.sha256()
    size = 0

    def counted(pieces: Iterator[bytes]) -> Iterator[bytes]:
        nonlocal size
        for piece in pieces:
            digest.update(piece)
            size += len(piece)
            yield piece

    pieces = stored_archive_pieces(entries)
    write_atomic(options.output, counted(pieces), overwrite=options.force, seen=seen)
    result.manifest = manifest
    result.sha256 = digest.hexdigest()
    result.size = size
    return result


def _spool_folder(output: Path) -> Path | None:
    """Where the spool file goes: beside the bundle, unless the bundle goes to a device
    (`-o /dev/stdout`)."""
    folder = output.parent if str(output.parent) else Path(".")
    try:
        return folder if folder.is_dir() and not output.is_char_device() else None
    except OSError:
        return None


class _Spooling:
    """Each protocol's files put in the spool as it comes back from its check: the protocol,
    the images not already there (named by their content, so one image is stored once) and,
    with --fhir, its FHIR export. Only a `_Listed` is kept of it."""

    def __init__(self, spool: Spool, fhir: FhirOptions | None) -> None:
        self.spool = spool
        self.fhir = fhir
        self.protocols: dict[str, _Listed] = {}
        self.duplicate: tuple[_Listed, _Listed] | None = None  # the first, with the one before
        # An export that fails fails for every protocol (its options are wrong): raised where
        # the bundle's files are first needed, after the sources' report, as it always was.
        self.fhir_error: Exception | None = None

    def add(self, one: _Made) -> None:
        listed = one.listed
        if listed.id in self.protocols:
            if self.duplicate is None:
                self.duplicate = (listed, self.protocols[listed.id])
            return
        self.protocols[listed.id] = listed
        self.spool.add(protocol_path(listed.id), one.contained.text)
        for name, content in one.contained.media.items():
            if PROTOCOLS + name not in self.spool:
                self.spool.add(PROTOCOLS + name, content)
        if self.fhir is not None and self.fhir_error is None:
            try:
                self.spool.add(f"{FHIR}{listed.id}.json", _fhir_export(one, self.fhir))
            except Exception as error:  # raised in `finish`, as the whole export's failure
                self.fhir_error = error

    def finish(self) -> None:
        """The schemas and, with --fhir, the definitions the exports use."""
        if self.fhir_error is not None:
            raise self.fhir_error
        for name, content in schema_files().items():
            self.spool.add(name, content)
        if self.fhir is not None:
            import json

            from protocol_kit.fhir.definitions import definitions_bundle

            # The StructureDefinitions and CodeSystem the exports use, for the receiving system.
            definitions = definitions_bundle(self.fhir.version, self.fhir.bundle_type)
            text = json.dumps(definitions, indent=2, ensure_ascii=False) + "\n"
            self.spool.add(FHIR_DEFINITIONS, text.encode("utf-8"))


def _fhir_options(options: CreateOptions) -> FhirOptions | None:
    if options.fhir is None:
        return None
    from dataclasses import replace

    return replace(
        options.fhir, publisher=options.publisher.name, contact=options.publisher.contact
    )


def _fhir_export(made: _Made, options: FhirOptions) -> bytes:
    import json

    from protocol_kit.fhir.export import protocol_bundle

    media = made.contained.media
    assert made.rebuilt is not None
    export = protocol_bundle(made.rebuilt, lambda item: media[item.path], options)
    return (json.dumps(export, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _refuse_oversized(sizes: dict[str, int]) -> None:
    """Refuse to write a bundle that a receiver with the default limits would refuse."""
    limits = DEFAULT_LIMITS
    largest = max(sizes, key=lambda name: sizes[name])
    if sizes[largest] > limits.max_entry_bytes:
        raise BundleRefused(
            f"{largest} is {sizes[largest]:,} bytes, over the {limits.max_entry_bytes:,} "
            "a receiving clinic accepts by default"
        )
    total = sum(sizes.values())
    if total > limits.max_total_bytes or len(sizes) > limits.max_entries:
        raise BundleRefused(
            f"the bundle holds {len(sizes):,} files and {total:,} bytes, over what a receiving "
            "clinic accepts by default: split it into several bundles"
        )
