"""`protokit bundle create | verify | inspect | import` as functions: no printing, no click.

Every protocol, whether read from a clinic's files (create) or from a bundle (verify, import),
goes through the same checks: `bundle_check_options` builds the `CheckOptions` and
`check_bundled_protocol` runs them on a bundled file. Lint hooks plug in there, once, for all
four commands.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from protocol_kit.app.check import CheckOptions, FileChecker, check_paths, expand_paths
from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import DEFAULT_LIMITS, ArchiveLimits, peek_archive, write_archive
from protocol_kit.bundle.contents import (
    SelfContained,
    content_difference,
    self_contained,
)
from protocol_kit.bundle.importer import Existing, ImportPlan, Incoming, apply_plan, plan_import
from protocol_kit.bundle.manifest import (
    FHIR,
    MANIFEST,
    PROTOCOLS,
    SCHEMAS,
    SIGNATURE,
    BundledProtocol,
    Manifest,
    Publisher,
    build_manifest,
    created_time,
    parse_manifest,
    protocol_path,
)
from protocol_kit.config import Config
from protocol_kit.errors import InputError, ProtokitError, UsageError
from protocol_kit.findings import FileReport, Finding, RunReport, shown
from protocol_kit.loading import Document, JsonProblem, Limits, decode, load, parse
from protocol_kit.model import Media, Protocol
from protocol_kit.schemas import KIND_BY_NAME, SCHEMA_BASE, all_schemas, schema_dir

if TYPE_CHECKING:
    import zipfile

    from protocol_kit.bundle.reader import OpenedBundle
    from protocol_kit.bundle.signing import PublicKey, Signature, SigningKey
    from protocol_kit.fhir.export import FhirOptions

NOT_SELF_CONTAINED = "BDL001"
NOT_A_PROTOCOL = "BDL002"
MISSING_IMAGE = "BDL003"
PROTOCOL_KIND = KIND_BY_NAME["protocol"]


def bundle_check_options(
    limits: Limits = Limits(), library_dirs: tuple[Path, ...] = ()
) -> CheckOptions:
    """The checks every protocol passes on its way into or out of a bundle (the lint hooks
    belong here too)."""
    return CheckOptions(limits=limits, library_dirs=library_dirs)


def publisher_from(name: str | None, contact: str | None, config: Config) -> Publisher:
    """The publisher from the command line, else from `[tool.protokit.clinic]` (`name`, and
    `contact`, `email` or `phone`)."""
    clinic = config.section("clinic")
    name = name or clinic.get("name")
    contact = contact or clinic.get("contact") or clinic.get("email") or clinic.get("phone")
    if not isinstance(name, str) or not name.strip():
        raise UsageError(
            "a bundle names its publisher: pass --publisher-name, or set name in "
            "[tool.protokit.clinic]"
        )
    if not isinstance(contact, str) or not contact.strip():
        raise UsageError(
            "a bundle gives a contact for its publisher: pass --publisher-contact, or set "
            "contact in [tool.protokit.clinic]"
        )
    return Publisher(name.strip(), contact.strip())


def check_bundled_protocol(
    checker: FileChecker, name: str, raw: bytes
) -> tuple[FileReport, Protocol | None]:
    """Every check on a protocol file as it is in a bundle: strict JSON, the schema, the
    translation checks (and lint), and that it needs nothing outside the bundle. Returns the
    report and the protocol model when it is valid."""
    from protocol_kit.app.check import locate_findings

    report = FileReport(name)
    limits = checker.options.limits
    try:
        if len(raw) > limits.max_bytes:
            raise JsonProblem(
                "JSON007", f"file is {len(raw):,} bytes, over the limit of {limits.max_bytes:,}"
            )
        document = parse(decode(raw), limits, name)
    except JsonProblem as problem:
        report.findings.append(
            Finding(name, problem.code, problem.message, line=problem.line, column=problem.column)
        )
        return report, None
    findings = _self_containment(document)
    if not findings:
        findings = checker.check_document(document, report)
        if report.kind != PROTOCOL_KIND.name and not findings:
            findings = [Finding(name, NOT_A_PROTOCOL, f"is a {report.kind}, not a protocol")]
    report.kind = PROTOCOL_KIND.name
    report.findings.extend(findings)
    report.findings[:] = locate_findings(report.findings, document.text, name)
    report.findings.sort(key=lambda f: f.sort_key)
    if not report.ok:
        return report, None
    protocol, _ = checker.build_protocol(document)
    return report, protocol


def _self_containment(document: Document) -> list[Finding]:
    exercises = document.data.get("exercises")
    if not isinstance(exercises, list):
        return []
    return [
        Finding(
            document.name,
            NOT_SELF_CONTAINED,
            f"refers to library exercise {shown(entry['ref'])}: a protocol in a bundle must be "
            "self-contained",
            pointer=f"/exercises/{index}/ref",
        )
        for index, entry in enumerate(exercises)
        if isinstance(entry, dict) and "ref" in entry
    ]


def read_image(media: Media, limit: int = DEFAULT_LIMITS.max_entry_bytes) -> bytes:
    path = media.file
    assert path is not None
    try:
        with open(path, "rb") as handle:
            content = handle.read(limit + 1)
    except OSError as error:
        raise InputError(
            f"{path}: cannot read the image named at {media.origin.path}{media.origin.pointer}: "
            f"{error.strerror or error}"
        ) from None
    if len(content) > limit:
        raise InputError(f"{path}: the image is larger than {limit:,} bytes")
    return content


def _library_lookup(checker: FileChecker) -> Callable[[str, str], Any]:
    def lookup(ref: str, document_path: str) -> Any:
        entry = checker.library.lookup(ref, document_path)
        assert entry is not None and entry.data is not None  # the protocol validated
        return entry.data

    return lookup


def make_self_contained(
    checker: FileChecker, path: str, validated: bool = False
) -> tuple[Protocol, SelfContained, Protocol]:
    """A valid protocol file's self-contained form, checked to validate and to mean the same:
    the original model, the self-contained form and the model rebuilt from it. `validated`
    says the file has just passed the checks (they are not run again).

    Raises InputError when the file is not a valid protocol or an image cannot be read, and
    ProtokitError when the self-contained form would differ from the original (a defect).
    """
    from protocol_kit.app.check import load_protocol

    if validated:
        document = load(path, checker.options.limits)
        built, _ = checker.build_protocol(document)
        assert built is not None
        protocol = built
    else:
        protocol = load_protocol(path, checker)
        document = load(path, checker.options.limits)
    contained = self_contained(protocol, document.data, _library_lookup(checker), read_image)
    report, rebuilt = check_bundled_protocol(checker, path, contained.text)
    problem = (
        content_difference(protocol, rebuilt)
        if rebuilt is not None
        else next(iter(report.errors()), None)
    )
    if problem is not None:
        detail = problem if isinstance(problem, str) else problem.message
        raise ProtokitError(
            f"{path}: internal error: the self-contained form of this protocol is not "
            f"equivalent ({detail}); please report this"
        )
    assert rebuilt is not None
    return protocol, contained, rebuilt


# -- create ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateOptions:
    output: Path
    publisher: Publisher
    created: str | None = None  # --created; else SOURCE_DATE_EPOCH, else newest last_reviewed
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
            max(p.last_reviewed for p, _, _ in protocols.values()),
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
    from protocol_kit.files import write_atomic

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
        for protocol_id, (_, contained, rebuilt) in protocols.items():
            media = contained.media
            export = protocol_bundle(rebuilt, lambda item, m=media: m[item.path], fhir_options)
            text = json.dumps(export, indent=2, ensure_ascii=False) + "\n"
            files[f"{FHIR}{protocol_id}.json"] = text.encode("utf-8")
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


# -- verify --------------------------------------------------------------------------------


class SignatureStatus(str, Enum):
    UNSIGNED = "unsigned"
    UNTRUSTED = "untrusted"  # a valid signature by a key the trust file does not list
    TRUSTED = "trusted"


@dataclass(frozen=True)
class SignatureCheck:
    status: SignatureStatus
    key: PublicKey | None = None
    trusted_name: str | None = None
    trust_file: Path | None = None

    def describe(self) -> str:
        if self.status is SignatureStatus.UNSIGNED:
            return "none: the bundle is not signed"
        assert self.key is not None
        if self.status is SignatureStatus.TRUSTED:
            return f"valid, by trusted key {shown(self.trusted_name)} ({self.key.fingerprint})"
        where = f"not in {self.trust_file}" if self.trust_file else "no trust file given"
        return f"valid, by key {self.key.fingerprint}, NOT trusted ({where})"

    def problem(self) -> str | None:
        """Why the signature does not establish the publisher, or None when it does."""
        if self.status is SignatureStatus.TRUSTED:
            return None
        accept = " (pass --allow-unsigned to accept a bundle whose publisher is not verified)"
        if self.status is SignatureStatus.UNSIGNED:
            return "the bundle is not signed, so its publisher cannot be verified" + accept
        assert self.key is not None
        if self.trust_file is None:
            return (
                f"signed by key {self.key.fingerprint}, but no trust file was given (--trust) to "
                "say whether that key is trusted" + accept
            )
        return f"signed by key {self.key.fingerprint}, which is not in {self.trust_file}" + accept


@dataclass(frozen=True)
class VerifyOptions:
    limits: ArchiveLimits = DEFAULT_LIMITS
    trust: Path | None = None
    allow_unsigned: bool = False
    check: CheckOptions = field(default_factory=bundle_check_options)


def verify_options(
    trust: str | None, allow_unsigned: bool, limits: ArchiveLimits, config: Config
) -> VerifyOptions:
    """The options for `verify` and `import`: the trust file from the command line, else from
    `[tool.protokit.bundle] trust` (relative to the configuration file)."""
    trust_path = Path(trust) if trust else None
    configured = config.section("bundle").get("trust")
    if trust_path is None and configured:
        trust_path = config.path(configured)
    return VerifyOptions(limits=limits, trust=trust_path, allow_unsigned=allow_unsigned)


@dataclass
class Verification:
    bundle: OpenedBundle
    signature: SignatureCheck
    report: RunReport  # one FileReport per bundled protocol
    protocols: dict[str, Protocol] = field(default_factory=dict)  # by bundle path, if valid
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(path: Path, options: VerifyOptions) -> Verification:
    """Check a bundle completely. Raises BundleRefused for a bundle whose structure, hashes or
    signature do not hold (nothing in it can be believed); otherwise returns the verification,
    whose `problems` say why it fails, if it does."""
    from protocol_kit.bundle.reader import open_bundle
    from protocol_kit.bundle.signing import load_trust_file

    trust = load_trust_file(options.trust) if options.trust else None
    bundle = open_bundle(path, options.limits)
    signature = _check_signature(bundle.signature, bundle.manifest_bytes, trust, str(path))
    checker = FileChecker(options.check)
    verification = Verification(bundle, signature, RunReport())
    for name, raw in bundle.protocol_files():
        report, protocol = check_bundled_protocol(checker, f"{path}/{name}", raw)
        verification.report.files.append(report)
        if protocol is None:
            continue
        _check_against_manifest(bundle, name, protocol, report)
        if report.ok:
            verification.protocols[name] = protocol
    _check_media_use(bundle, verification)
    problem = signature.problem()
    if problem and not options.allow_unsigned:
        verification.problems.append(problem)
    failed = verification.report.failed_files
    if failed:
        first = next(iter(failed[0].errors()))
        where = f"{first.path}:{first.line}:{first.column}" if first.line else first.path
        verification.problems.append(
            f"{len(failed)} of {len(verification.report.files)} protocols fail validation; "
            f"the first: {where}: {first.message}"
        )
    return verification


def _check_signature(
    signature: Signature | None, manifest: bytes, trust: Any, where: str
) -> SignatureCheck:
    source = trust.source if trust is not None else None
    if signature is None:
        return SignatureCheck(SignatureStatus.UNSIGNED, trust_file=source)
    if not signature.verifies(manifest):
        raise BundleRefused(
            f"{where}: the signature does not match {MANIFEST}: the bundle was changed after it "
            "was signed"
        )
    trusted = trust.find(signature.key) if trust is not None else None
    if trusted is None:
        return SignatureCheck(SignatureStatus.UNTRUSTED, signature.key, trust_file=source)
    return SignatureCheck(SignatureStatus.TRUSTED, signature.key, trusted.name, source)


def _check_against_manifest(
    bundle: OpenedBundle, name: str, protocol: Protocol, report: FileReport
) -> None:
    """The protocol is the one the manifest says, and every image it shows is in the bundle."""
    listed = next(p for p in bundle.manifest.protocols if p.path == name)
    if (protocol.id, protocol.version) != (listed.id, listed.version):
        raise BundleRefused(
            f"{bundle.path}: {MANIFEST} lists {name} as '{listed.id}' {listed.version}, but the "
            f"file is '{protocol.id}' {protocol.version}"
        )
    title = protocol.title.get(protocol.language)
    if (protocol.status, title) != (listed.status, listed.title):
        raise BundleRefused(
            f"{bundle.path}: {MANIFEST} gives {name} another status or title than the file has"
        )
    for exercise in protocol.exercises:
        for item in exercise.media:
            if item.path is not None and PROTOCOLS + item.path not in bundle.files:
                report.findings.append(
                    Finding(
                        report.path,
                        MISSING_IMAGE,
                        f"the image {shown(item.path)} is not in the bundle",
                        pointer=item.origin.child("path").pointer,
                    )
                )


def _check_media_use(bundle: OpenedBundle, verification: Verification) -> None:
    used = {
        PROTOCOLS + item.path
        for protocol in verification.protocols.values()
        for exercise in protocol.exercises
        for item in exercise.media
        if item.path is not None
    }
    if len(verification.protocols) < len(bundle.manifest.protocols):
        return  # an invalid protocol's images cannot be told apart; it fails anyway
    for name in sorted(bundle.media()):
        if name not in used:
            raise BundleRefused(
                f"{bundle.path}: {name} is not shown by any protocol: an extra file"
            )


# -- inspect -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inspection:
    entries: list[zipfile.ZipInfo]
    manifest: Manifest
    signed_by: PublicKey | None


def inspect_bundle(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> Inspection:
    """The bundle's directory and manifest, read without extracting or checking any file."""
    from protocol_kit.bundle.signing import parse_signature

    infos, found = peek_archive(path, (MANIFEST, SIGNATURE), limits)
    if MANIFEST not in found:
        raise BundleRefused(f"{path}: not a protocol-kit bundle: it has no {MANIFEST}")
    manifest = parse_manifest(found[MANIFEST], str(path))
    signature = parse_signature(found[SIGNATURE], str(path)) if SIGNATURE in found else None
    return Inspection(infos, manifest, signature.key if signature else None)


# -- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOptions:
    verify: VerifyOptions = field(default_factory=VerifyOptions)
    dry_run: bool = False


@dataclass
class ImportResult:
    verification: Verification
    plan: ImportPlan
    applied: bool = False


def import_bundle(path: Path, target: Path, options: ImportOptions) -> ImportResult:
    """Verify a bundle, then add its protocols to `target`, all or nothing.

    Raises BundleRefused when the bundle does not verify. Returns the plan; it has been applied
    unless it refuses a protocol or `dry_run` is set.
    """
    if not target.is_dir():
        raise UsageError(f"{target}: no such folder")
    verification = verify_bundle(path, options.verify)
    if not verification.ok:
        raise BundleRefused(f"{path}: {verification.problems[0]}; nothing was imported")
    incoming = [
        _incoming(verification.bundle, name) for name, _ in verification.bundle.protocol_files()
    ]
    checker = FileChecker(options.verify.check)
    plan = plan_import(
        incoming, target, _existing_protocols(target, checker), _same_content(checker)
    )
    result = ImportResult(verification, plan)
    if plan.refused or options.dry_run:
        return result
    apply_plan(plan)
    result.applied = True
    return result


def _incoming(bundle: OpenedBundle, name: str) -> Incoming:
    import json

    text = bundle.files[name]
    data = json.loads(text)
    media = {
        item["path"]: bundle.files[PROTOCOLS + item["path"]]
        for entry in data["exercises"]
        for item in entry.get("media", ())
        if "path" in item
    }
    return Incoming(data["id"], data["version"], text, data, media)


def _existing_protocols(target: Path, checker: FileChecker) -> dict[str, list[Existing]]:
    found: dict[str, list[Existing]] = {}
    for path in expand_paths([str(target)]):
        try:
            data = load(path, checker.options.limits).data
        except (JsonProblem, InputError):
            continue  # not a protocol we can read; a file in the way is caught by name
        if data.get("$schema") != PROTOCOL_KIND.uri:
            continue
        identifier, version = data.get("id"), data.get("version")
        if isinstance(identifier, str) and isinstance(version, str):
            found.setdefault(identifier, []).append(Existing(identifier, version, Path(path)))
    return found


def _same_content(checker: FileChecker) -> Callable[[Path, Incoming], str | None]:
    """Same protocol: the same bytes, or the same self-contained form (for a file written with
    library references). Else why not, to finish "PATH has the same version 1.0.0 ..."."""

    def same(path: Path, incoming: Incoming) -> str | None:
        try:
            if path.read_bytes() == incoming.text:
                return None
            _, contained, _ = make_self_contained(checker, str(path))
        except (OSError, ProtokitError) as error:
            return f"but cannot be compared, as it is not a valid protocol here ({error})"
        if contained.data == incoming.data:
            return None
        return (
            "with different content: the publisher must raise the version when the content changes"
        )

    return same
