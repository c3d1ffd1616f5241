"""`protokit bundle verify` and `inspect` as functions: an untrusted bundle checked in memory.

`verify_bundle` raises BundleRefused when the structure, a hash or the signature does not hold
(nothing in such a bundle can be believed); otherwise it returns a `Verification` whose
`problems` say why it fails, if it does: an untrusted or missing signature (see the signature
policy in docs/bundles.md) or protocols that fail their checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from protocol_kit.app.bundle_checks import (
    MISSING_IMAGE,
    bundle_check_options,
    check_bundled_protocol,
)
from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import DEFAULT_LIMITS, ArchiveLimits, peek_archive
from protocol_kit.bundle.manifest import (
    FHIR,
    MANIFEST,
    PROTOCOLS,
    SIGNATURE,
    Manifest,
    parse_manifest,
)
from protocol_kit.config import Config
from protocol_kit.findings import FileReport, Finding, RunReport, shown
from protocol_kit.loading import JsonProblem, Limits, decode, parse
from protocol_kit.model import Protocol

# A FHIR export embeds the protocol's images, so it may be as large as any bundled file.
FHIR_LIMITS = Limits(max_bytes=DEFAULT_LIMITS.max_entry_bytes, max_depth=32)

if TYPE_CHECKING:
    import zipfile

    from protocol_kit.bundle.reader import OpenedBundle
    from protocol_kit.bundle.signing import PublicKey, Signature


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
    _check_fhir_files(bundle)
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


def _check_fhir_files(bundle: OpenedBundle) -> None:
    """A FHIR export in the bundle is never imported, but it must be what it says it is."""
    for name, content in sorted(bundle.files.items()):
        if not name.startswith(FHIR):
            continue
        try:
            data = parse(decode(content), FHIR_LIMITS, name).data
        except JsonProblem as problem:
            raise BundleRefused(
                f"{bundle.path}: {name} is not valid JSON: {problem.message}"
            ) from None
        if data.get("resourceType") != "Bundle":
            raise BundleRefused(f"{bundle.path}: {name} is not a FHIR Bundle")


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
