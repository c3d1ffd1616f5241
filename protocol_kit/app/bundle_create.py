"""`protokit bundle create` as a function: validated protocols in, one canonical bundle out."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from protocol_kit.app.bundle_checks import PROTOCOL_KIND, bundle_check_options, make_self_contained
from protocol_kit.app.check import CheckOptions, FileChecker, check_paths
from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import DEFAULT_LIMITS, write_archive
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
from protocol_kit.findings import RunReport
from protocol_kit.model import Protocol
from protocol_kit.schemas import SCHEMA_BASE, all_schemas, schema_dir

if TYPE_CHECKING:
    from protocol_kit.bundle.signing import SigningKey
    from protocol_kit.fhir.export import FhirOptions


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


def create_bundle(paths: Sequence[str], options: CreateOptions) -> CreateResult:
    """Validate the files under `paths` and write one bundle of their protocols.

    Nothing is written when any file is invalid (the result's report says why). Library
    exercises are bundled inside the protocols that use them; prescriptions (patient data) are
    never bundled.
    """
    report = check_paths(paths, options.check)
    result = CreateResult(report)
    if report.exit_code:
        return result
    checker = FileChecker(options.check)
    protocols: dict[str, tuple[Protocol, SelfContained, Protocol]] = {}
    for file_report in report.files:
        if file_report.kind != PROTOCOL_KIND.name:
            kind = file_report.kind or "other"
            result.skipped[kind] = result.skipped.get(kind, 0) + 1
            continue
        protocol, contained, rebuilt = make_self_contained(
            checker, file_report.path, validated=True
        )
        if protocol.id in protocols:
            other = protocols[protocol.id][0].origin.path
            raise BundleRefused(
                f"{file_report.path}: has the id '{protocol.id}' of {other} too: a bundle holds "
                "one protocol per id"
            )
        protocols[protocol.id] = (protocol, contained, rebuilt)
    if not protocols:
        raise BundleRefused(f"no protocol found in {', '.join(paths)}: nothing to bundle")
    files = _bundle_files(protocols, options)
    manifest = build_manifest(
        options.publisher,
        created_time(
            options.created,
            options.source_date_epoch,
            max(p.updated for p, _, _ in protocols.values()),
        ),
        tuple(
            BundledProtocol(p.id, p.version, p.status, p.title.get(p.language))
            for p, _, _ in protocols.values()
        ),
        files,
    )
    manifest_bytes = manifest.to_bytes()
    entries = {**files, MANIFEST: manifest_bytes}
    if options.signing_key is not None:
        entries[SIGNATURE] = options.signing_key.sign(manifest_bytes)
    archive = write_archive(entries)
    _refuse_oversized(entries, archive)
    from protocol_kit.files import ZIP, refuse_to_replace, write_atomic

    sources = (("one of the files", r.path) for r in report.files)
    refuse_to_replace(options.output, sources, ZIP, "the bundle")
    write_atomic(options.output, archive, overwrite=options.force)
    result.manifest = manifest
    result.sha256 = hashlib.sha256(archive).hexdigest()
    result.size = len(archive)
    return result


def _bundle_files(
    protocols: dict[str, tuple[Protocol, SelfContained, Protocol]], options: CreateOptions
) -> dict[str, bytes]:
    files: dict[str, bytes] = dict(schema_files())
    for protocol_id, (_, contained, _) in protocols.items():
        files[protocol_path(protocol_id)] = contained.text
        for name, content in contained.media.items():
            files[PROTOCOLS + name] = content
    if options.fhir is not None:
        import json
        from dataclasses import replace

        from protocol_kit.fhir.export import protocol_bundle

        fhir_options = replace(
            options.fhir, publisher=options.publisher.name, contact=options.publisher.contact
        )
        from protocol_kit.fhir.definitions import definitions_bundle

        for protocol_id, (_, contained, rebuilt) in protocols.items():
            media = contained.media
            export = protocol_bundle(rebuilt, lambda item, m=media: m[item.path], fhir_options)
            text = json.dumps(export, indent=2, ensure_ascii=False) + "\n"
            files[f"{FHIR}{protocol_id}.json"] = text.encode("utf-8")
        # The StructureDefinitions and CodeSystem the exports use, for the receiving system.
        definitions = definitions_bundle(options.fhir.version, options.fhir.bundle_type)
        text = json.dumps(definitions, indent=2, ensure_ascii=False) + "\n"
        files[FHIR_DEFINITIONS] = text.encode("utf-8")
    return files


def _refuse_oversized(entries: dict[str, bytes], archive: bytes) -> None:
    """Refuse to write a bundle that a receiver with the default limits would refuse."""
    limits = DEFAULT_LIMITS
    largest = max(entries, key=lambda name: len(entries[name]))
    if len(entries[largest]) > limits.max_entry_bytes:
        raise BundleRefused(
            f"{largest} is {len(entries[largest]):,} bytes, over the {limits.max_entry_bytes:,} "
            "a receiving clinic accepts by default"
        )
    total = sum(len(content) for content in entries.values())
    if total > limits.max_total_bytes or len(entries) > limits.max_entries:
        raise BundleRefused(
            f"the bundle holds {len(entries):,} files and {total:,} bytes, over what a receiving "
            "clinic accepts by default: split it into several bundles"
        )
