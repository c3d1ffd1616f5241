"""`protokit bundle verify` and `inspect` as functions: an untrusted bundle checked in place.

`verify_bundle` raises BundleRefused when the structure, a hash or the signature does not hold
(nothing in such a bundle can be believed); otherwise it returns a `Verification` whose
`problems` say why it fails, if it does: an untrusted or missing signature (see the signature
policy in docs/bundles.md) or protocols that fail their checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from protocol_kit import __version__
from protocol_kit.app.bundle_checks import (
    MISSING_IMAGE,
    REVIEW_OVERDUE,
    check_bundled_protocol,
    receiving_check_options,
)
from protocol_kit.app.check import BYTES_CHUNK, CheckOptions, FileChecker, map_with_checker
from protocol_kit.app.file_reports import FileReports
from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import (
    DEFAULT_LIMITS,
    SEND_ORIGINAL,
    ArchiveLimits,
    peek_archive,
)
from protocol_kit.bundle.manifest import (
    FHIR,
    FHIR_DEFINITIONS,
    FHIR_PATH,
    MANIFEST,
    PROTOCOLS,
    SIGNATURE,
    BundledProtocol,
    Manifest,
    parse_manifest,
    protocol_path,
)
from protocol_kit.config import Config
from protocol_kit.findings import FileReport, Finding, RunReport, Severity, shown
from protocol_kit.loading import Document, JsonProblem, Limits, decode, parse
from protocol_kit.untrusted import identity
from protocol_kit.untrusted.images import image_problem
from protocol_kit.untrusted.text import shell_word

# A FHIR export embeds the protocol's images, so it may be as large as any bundled file.
FHIR_LIMITS = Limits(max_bytes=DEFAULT_LIMITS.max_entry_bytes, max_depth=32)

if TYPE_CHECKING:
    from datetime import date

    from protocol_kit.bundle.reader import OpenedBundle
    from protocol_kit.bundle.signing import PublicKey, Signature
    from protocol_kit.model import Protocol


class SignatureStatus(str, Enum):
    UNSIGNED = "unsigned"
    UNTRUSTED = "untrusted"  # a valid signature by a key the trust file does not list
    TRUSTED = "trusted"


ALLOW_FLAG = "--allow-untrusted"
# The trust file's name in docs/bundles.md's commands (`protokit keys show ... >> trust.toml`).
TRUST_FILE_NAME = "trust.toml"


def same_name(one: str, other: str) -> bool:
    """Whether two clinic names are the same name, as a person reads them (Unicode normal
    form, case and spacing aside: see protocol_kit.untrusted.identity)."""
    return identity.same_name(one, other)


@dataclass(frozen=True)
class SignatureCheck:
    status: SignatureStatus
    key: PublicKey | None = None
    trusted_name: str | None = None
    trust_file: Path | None = None
    # The name in the trust file that the bundle's publisher claims to be, when the bundle is
    # not signed with a key the trust file lists under that name: a possible forgery.
    impersonates: str | None = None
    # A file named as docs/bundles.md names the trust file, in the working folder, when no
    # trust file was given: named in the advice, never read unless given (trusting keys is
    # the reader's decision, made with --trust or the configuration).
    trust_beside: Path | None = None

    def describe(self) -> str:
        if self.impersonates is not None:
            by = f"valid, by key {self.key.fingerprint}" if self.key else "none: not signed"
            return (
                f"{by}: NOT the key your trust file has for {shown(self.impersonates)}, whom "
                "the bundle claims as its publisher"
            )
        if self.status is SignatureStatus.UNSIGNED:
            return "none: the bundle is not signed"
        assert self.key is not None
        if self.status is SignatureStatus.TRUSTED:
            return f"valid, by trusted key {shown(self.trusted_name)} ({self.key.fingerprint})"
        where = f"not in {self.trust_file}" if self.trust_file else "no trust file given"
        return f"valid, by key {self.key.fingerprint}, NOT trusted ({where})"

    def forgery(self) -> str | None:
        """The warning for a bundle in the name of a trusted publisher that is not signed with
        that publisher's key (refused whatever the options), or None."""
        if self.impersonates is None:
            return None
        name = shown(self.impersonates)
        how = "signed by a different key" if self.key is not None else "not signed"
        return (
            f"this bundle claims to be from {name}, whom your trust file trusts, but it is "
            f"{how}: it may be forged. Do not import it; telephone {name} on a number you "
            "already know (not one given in the bundle) and ask whether they sent it"
        )

    def problem(self) -> str | None:
        """Why the signature does not establish the publisher, or None when it does."""
        forgery = self.forgery()
        if forgery is not None:
            return forgery
        if self.status is SignatureStatus.TRUSTED:
            return None
        if self.status is SignatureStatus.UNSIGNED:
            return (
                "the bundle is not signed, so its publisher cannot be verified: ask the "
                "publisher for a signed bundle ('to trust this publisher' in the report of "
                "protokit bundle verify says how)"
            )
        assert self.key is not None
        if self.trust_file is None:
            # `import` prints no report: a receiving clinic without a trust file yet was not
            # told where the steps to make one are, as the other cases tell it (H1439).
            return (
                f"signed by key {self.key.fingerprint}, but no trust file was given (--trust) to "
                f"say whether that key is trusted{self._beside()} ('to trust this publisher' in "
                "the report of protokit bundle verify says how)"
            )
        return (
            f"signed by key {self.key.fingerprint}, which is not in {self.trust_file}: check "
            "the key with the publisher before you trust it ('to trust this publisher' in the "
            "report of protokit bundle verify says how)"
        )

    def advice(self, publisher: str) -> list[str]:
        """What the reader can do about a publisher that is not verified, first things first
        (checking the key with the publisher; accepting it anyway comes last)."""
        if self.status is SignatureStatus.TRUSTED or self.impersonates is not None:
            return []
        name = shown(publisher)
        trust = shell_word(str(self.trust_file)) if self.trust_file else TRUST_FILE_NAME
        # The name comes from the bundle: quoted as one shell word, so that pasting the command
        # runs nothing of the stranger's ($(...), `...`, ;), and left out of the command when
        # no quoting can show it on one line.
        quoted = shell_word(publisher)
        name_argument = quoted if quoted is not None else '"THE CLINIC\'S NAME"'
        if self.status is SignatureStatus.UNSIGNED:
            steps = [
                f"Ask {name}, on a telephone number you already know (not one given in the",
                "bundle), to send a signed bundle (protokit bundle create --sign), and add their",
                "key to your trust file as protokit keys show explains.",
            ]
        else:
            assert self.key is not None
            steps = []
            if self.trust_file is None:
                steps.append(
                    "If you keep a trust file, give it with --trust FILE (or set trust in the "
                    f"[bundle] table of protokit.toml){self._beside()}. Otherwise:"
                )
            steps += [
                f"1. Telephone {name} on a number you already know (not one given in the",
                "   bundle) and ask them to read out their key's fingerprint.",
                f"2. Compare it with this bundle's key: {self.key.fingerprint}",
                "3. Only if they are the same, add their public key file (.pub) to your trust",
                f"   file: protokit keys show THEIR-KEY.pub --name {name_argument} >> "
                f"{trust or 'THE-TRUST-FILE'}",
            ]
            if quoted is None:
                steps.append(
                    "   (type the clinic's name as they tell you: the name in this bundle holds "
                    "characters that cannot be shown in a command)"
                )
        steps += [
            f"Only if you have made sure in another way that the bundle comes from {name},",
            f"{ALLOW_FLAG} accepts it without a trusted signature.",
        ]
        return steps

    def _beside(self) -> str:
        """A trust file in the working folder that was not given, named for the reader."""
        if self.trust_beside is None:
            return ""
        given = shell_word(str(self.trust_beside)) or str(self.trust_beside)
        return f" (this folder has {given}: --trust {given})"

    def accepted_warning(self) -> str | None:
        """The warning when a bundle whose publisher is not verified is accepted anyway."""
        if self.status is SignatureStatus.TRUSTED:
            return None
        signed = "not signed" if self.key is None else f"signed by: {self.key.fingerprint}"
        return f"the publisher is NOT verified ({signed}); accepted only because of {ALLOW_FLAG}"


@dataclass(frozen=True)
class VerifyOptions:
    limits: ArchiveLimits = DEFAULT_LIMITS
    trust: Path | None = None
    # --allow-untrusted (first named --allow-unsigned): accept a bundle whose publisher is not
    # verified. Never a possible forgery, a broken signature, a changed file or a bad protocol.
    allow_unsigned: bool = False
    check: CheckOptions = field(default_factory=receiving_check_options)


def verify_options(
    trust: str | None, allow_unsigned: bool, limits: ArchiveLimits, config: Config
) -> VerifyOptions:
    """The options for `verify` and `import`: the trust file from the command line, else from
    `trust` in the configuration's `bundle` table (relative to the configuration file)."""
    trust_path = Path(trust) if trust else None
    configured = config.section("bundle").get("trust")
    if trust_path is None and configured:
        trust_path = config.path(configured)
    return VerifyOptions(limits=limits, trust=trust_path, allow_unsigned=allow_unsigned)


@dataclass(frozen=True, slots=True)
class Received:
    """What the receiver's checks and report need of a valid bundled protocol, taken from its
    model in the worker process that checked it. The whole model is not sent back: unpickling
    10,000 of them made the parent's share of `verify` grow faster than the bundle."""

    id: str
    version: str
    status: str
    title: str | None  # in the protocol's own language
    next_review: date
    signed_off: date | None
    images: tuple[tuple[str, str], ...]  # (path as written, JSON pointer of that path)

    @classmethod
    def of(cls, protocol: Protocol) -> Received:
        return cls(
            protocol.id,
            protocol.version,
            protocol.status,
            protocol.title.get(protocol.language),
            protocol.next_review,
            protocol.sign_off.date if protocol.sign_off else None,
            tuple(
                (item.path, item.origin.child("path").pointer)
                for exercise in protocol.exercises
                for item in exercise.media
                if item.path is not None
            ),
        )


@dataclass(frozen=True, slots=True)
class Valid:
    """What is kept of a valid bundled protocol once it is checked against the manifest (its
    id, version, status and title are the manifest's): the dates the report shows and the
    images it shows. A `Received` kept for each of 10,000 protocols was 6.7 MB (issue 17)."""

    next_review: date
    signed_off: date | None
    images: tuple[str, ...]  # paths as written, relative to the protocol

    @classmethod
    def of(cls, protocol: Received, shared: dict[Any, Any]) -> Valid:
        """`shared`: one object for each date and image path that many protocols give."""
        return cls(
            shared.setdefault(protocol.next_review, protocol.next_review),
            shared.setdefault(protocol.signed_off, protocol.signed_off),
            tuple(shared.setdefault(image, image) for image, _ in protocol.images),
        )


@dataclass
class Verification:
    bundle: OpenedBundle
    signature: SignatureCheck
    report: RunReport  # one FileReport per bundled protocol
    protocols: dict[str, Valid] = field(default_factory=dict)  # by bundle path, if valid
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the receiver must see these

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
    signature = _check_signature(
        bundle.signature, bundle.manifest_bytes, trust, str(path), bundle.manifest
    )
    # A full report only for a protocol with findings (issue 17: a bundle of 10,000 held
    # 10,000 reports); the others are a path, a kind and a time.
    verification = Verification(bundle, signature, RunReport(FileReports()))
    names = bundle.protocol_names()
    tasks = _BundledTasks(bundle, names)
    shared: dict[Any, Any] = {}
    checked = map_with_checker(_check_one_bundled, tasks, options.check, chunk=BYTES_CHUNK)
    # Each protocol's entry in the manifest read beside it, in the manifest's order (`names`
    # is that order): not looked up in a dict of them all (issue 17).
    listed = iter(bundle.manifest.protocols)
    for name, (report, protocol) in zip(names, checked, strict=True):
        entry = next(listed)
        if protocol is not None:
            _check_against_manifest(bundle, entry, name, protocol, report)
            if report.ok:
                verification.protocols[name] = Valid.of(protocol, shared)
                verification.warnings.extend(_overdue(report, protocol))
        # Once whole: a report kept compact (no findings) cannot be given one later.
        verification.report.files.append(report)
    _check_media_use(bundle, verification)
    _check_fhir_files(bundle, verification, options.check)
    name_problem = identity.name_problem(bundle.manifest.publisher.name)
    if name_problem is not None:
        # Refused whatever the options: no real clinic's name needs an invisible character or
        # letters of two scripts, and a forged one does.
        verification.problems.append(
            f"the publisher's name {identity.described(bundle.manifest.publisher.name)} "
            f"{name_problem}: it may be forged. Do not import it"
        )
    problem = signature.problem()
    if signature.forgery() is not None or (problem and not options.allow_unsigned):
        verification.problems.append(problem)
    elif problem:
        verification.warnings.append(signature.accepted_warning() or problem)
    failed = verification.report.failed_files
    if failed:
        first = next(iter(failed[0].errors()))
        where = f"{first.path}:{first.line}:{first.column}" if first.line else first.path
        verification.problems.append(
            f"{len(failed)} of {len(verification.report.files)} protocols fail validation; "
            f"the first: {where}: {first.message}. {_ask_the_publisher(bundle)}"
        )
    return verification


def _ask_the_publisher(bundle: OpenedBundle) -> str:
    """What a receiving clinic does about a bundled protocol that fails: the finding's own
    advice ("add a red flag ...") is for its author, and a bundle changed here no longer
    matches its signature. A bundle from another protokit version is said so: rules added
    since may refuse a protocol that passed where it was made."""
    made_with = bundle.manifest.generator_version
    other = (
        f" (it was made with protocol-kit {made_with}, this is {__version__}: a check added or "
        "changed since may refuse what passed there)"
        if made_with != __version__
        else ""
    )
    return (
        "The fix is the publisher's: send them this (protokit bundle verify lists every "
        f"problem) and ask for a corrected bundle{other}"
    )


class _BundledTasks(Sequence[tuple[str, bytes]]):
    """The protocols to check, as `(where, content)`, each read from the bundle only when it is
    taken: a slice is another such view, and a view sent to a worker process goes as the list
    of its tasks, read then. So at most the chunks on their way to the workers are in memory,
    never the whole bundle (issue 17: 10,000 protocols made `verify` hold 443 MB)."""

    def __init__(self, bundle: OpenedBundle, names: list[str]):
        self._bundle = bundle
        self._names = names

    def __len__(self) -> int:
        return len(self._names)

    @overload
    def __getitem__(self, index: int) -> tuple[str, bytes]: ...
    @overload
    def __getitem__(self, index: slice) -> _BundledTasks: ...
    def __getitem__(self, index: int | slice) -> tuple[str, bytes] | _BundledTasks:
        if isinstance(index, slice):
            return _BundledTasks(self._bundle, self._names[index])
        name = self._names[index]
        return f"{self._bundle.path}/{name}", self._bundle.files[name]

    def __reduce__(self) -> tuple[Any, ...]:
        return list, (list(self),)


def _check_one_bundled(
    checker: FileChecker, task: tuple[str, bytes]
) -> tuple[FileReport, Received | None]:
    """One protocol of the bundle checked (in a worker process for a large bundle)."""
    report, protocol = check_bundled_protocol(checker, *task)
    return report, Received.of(protocol) if protocol is not None else None


def _overdue(report: FileReport, protocol: Received) -> list[str]:
    """An overdue review as the receiving clinic reads it (the finding is for the author, who
    can change the file; the receiver cannot, and should review the protocol before use)."""
    found = [f for f in report.findings if f.code == REVIEW_OVERDUE]
    if not found:
        return []
    report.findings[:] = [f for f in report.findings if f.code != REVIEW_OVERDUE]
    return [
        f"protocol {protocol.id} {protocol.version}: its review was due on "
        f"{protocol.next_review.isoformat()} (the publisher's date): review it before giving it "
        "to patients"
    ]


def _check_signature(
    signature: Signature | None, manifest: bytes, trust: Any, where: str, claims: Manifest
) -> SignatureCheck:
    source = trust.source if trust is not None else None
    impersonates = _impersonated(trust, claims.publisher.name, signature)
    beside = Path(TRUST_FILE_NAME) if trust is None and Path(TRUST_FILE_NAME).is_file() else None
    if signature is None:
        return SignatureCheck(
            SignatureStatus.UNSIGNED, trust_file=source, impersonates=impersonates
        )
    if not signature.verifies(manifest):
        raise BundleRefused(
            f"{where}: the signature does not match {MANIFEST}: the bundle was changed after it "
            f"was signed: do not use it; {SEND_ORIGINAL}"
        )
    trusted = trust.find(signature.key) if trust is not None else None
    if trusted is None:
        return SignatureCheck(
            SignatureStatus.UNTRUSTED,
            signature.key,
            trust_file=source,
            impersonates=impersonates,
            trust_beside=beside,
        )
    return SignatureCheck(
        SignatureStatus.TRUSTED, signature.key, trusted.name, source, impersonates
    )


def _impersonated(trust: Any, publisher: str, signature: Signature | None) -> str | None:
    """The trust file's name for the publisher the bundle claims, when the bundle is not
    signed with a key the trust file lists under that name. Anyone can write a trusted clinic's
    name into a manifest; only that clinic's key proves it, so such a bundle may be forged and
    is refused even when untrusted bundles are allowed."""
    if trust is None:
        return None
    named = [
        entry
        for entry in trust.keys
        if same_name(entry.name, publisher) or identity.looks_like(entry.name, publisher)
    ]
    if not named:
        return None
    if signature is not None and any(entry.key.raw == signature.key.raw for entry in named):
        return None
    return named[0].name


def _check_against_manifest(
    bundle: OpenedBundle,
    listed: BundledProtocol,
    name: str,
    protocol: Received,
    report: FileReport,
) -> None:
    """The protocol is the one the manifest says (`listed`, its entry), and every image it
    shows is in the bundle."""
    if (protocol.id, protocol.version) != (listed.id, listed.version):
        raise BundleRefused(
            f"{bundle.path}: {MANIFEST} lists {name} as '{listed.id}' {listed.version}, but the "
            f"file is '{protocol.id}' {protocol.version}"
        )
    if (protocol.status, protocol.title) != (listed.status, listed.title):
        raise BundleRefused(
            f"{bundle.path}: {MANIFEST} gives {name} another status or title than the file has"
        )
    missing = [
        Finding(
            report.path,
            MISSING_IMAGE,
            f"the image {shown(image)} is not in the bundle",
            pointer=pointer,
        )
        for image, pointer in protocol.images
        if PROTOCOLS + image not in bundle.files
    ]
    if missing:
        # Placed in the file as every other finding is (the worker sent back pointers only:
        # the file's text is read again only when an image is missing).
        from protocol_kit.app.check import locate_findings

        text = decode(bundle.files[name])
        report.findings.extend(locate_findings(missing, text, report.path))


def _check_media_use(bundle: OpenedBundle, verification: Verification) -> None:
    shown_by: dict[str, str] = {}  # each picture's first protocol, by bundle path
    for name, protocol in sorted(verification.protocols.items()):
        for image in protocol.images:
            shown_by.setdefault(PROTOCOLS + image, name)
    if len(verification.protocols) < len(bundle.manifest.protocols):
        return  # an invalid protocol's images cannot be told apart; it fails anyway
    for name in sorted(bundle.media_names()):
        if name not in shown_by:
            raise BundleRefused(
                f"{bundle.path}: {name} is not shown by any protocol: an extra file"
            )
        problem = image_problem(bundle.files[name])
        if problem is not None:
            # The picture's name is its SHA-256: the protocol showing it says which it is. A
            # check added since the bundle was made (H981-H985, H1010, H1011) refuses pictures
            # an earlier protokit took, and the picture is the publisher's to mend (H1013).
            raise BundleRefused(
                f"{bundle.path}: {name} (shown by {shown_by[name]}) {problem}. "
                f"{_ask_the_publisher(bundle)}"
            )


def _check_fhir_files(
    bundle: OpenedBundle, verification: Verification, options: CheckOptions
) -> None:
    """A FHIR export in the bundle is never imported, but it must be what it says it is: a FHIR
    Bundle that says what its protocol says (H312), as the receiving clinic may load it into its
    own FHIR server."""
    for name in sorted(bundle.files):
        if not name.startswith(FHIR):
            continue
        content = bundle.files[name]
        try:
            data = parse(decode(content), FHIR_LIMITS, name).data
        except JsonProblem as problem:
            raise BundleRefused(
                f"{bundle.path}: {name} is not valid JSON: {problem.message}"
            ) from None
        if data.get("resourceType") != "Bundle":
            raise BundleRefused(f"{bundle.path}: {name} is not a FHIR Bundle")
        if name == FHIR_DEFINITIONS:
            _check_fhir_definitions(bundle, name, data)
            continue
        export = FHIR_PATH.match(name)
        written = export and protocol_path(export.group(1))
        if written in verification.protocols:  # an invalid protocol has failed already
            _check_fhir_agrees(bundle, name, data, written, options)


def _check_fhir_definitions(bundle: OpenedBundle, name: str, data: dict[str, Any]) -> None:
    """The definitions file is protocol-kit's own, as `bundle create --fhir` writes it: a
    receiving server that loads it learns from it what each extension of the exports means.

    Each definition carries the version of the protokit that wrote it: compared with this
    version's, every `--fhir` bundle of an earlier release was refused as "not protocol-kit's
    FHIR definitions" once the version was raised (H988). The version the signed manifest's
    `generator` names is the one looked for; any other difference is still refused."""
    from protocol_kit.fhir.agreement import definitions_difference

    made_with = bundle.manifest.generator_version
    place = definitions_difference(data, made_with)
    if place is not None:
        versions = (
            f"; it was made with protocol-kit {made_with}, this is {__version__}"
            if made_with != __version__
            else ""
        )
        raise BundleRefused(
            f"{bundle.path}: {name} is not protocol-kit's FHIR definitions (it differs at "
            f"{place}{versions}): do not load it into a FHIR server"
        )


def _check_fhir_agrees(
    bundle: OpenedBundle, name: str, data: dict[str, Any], written: str, options: CheckOptions
) -> None:
    """The protocol read back from the export `name` is the bundled protocol `written`. Both
    are built here: a worker sent back only the bundled protocol's summary (`Received`)."""
    from protocol_kit.fhir.agreement import disagreement
    from protocol_kit.fhir.importer import FhirImportError, read_bundle

    try:
        said = read_bundle(data).data
    except FhirImportError as error:
        raise BundleRefused(f"{bundle.path}: {name} is {error}") from None
    models = []
    for document in (
        parse(decode(bundle.files[written]), options.limits, written),
        Document(name=written, data=said, text=""),
    ):
        checker = FileChecker(options)
        findings = checker.check_document(document, FileReport(written))
        protocol = None
        if not any(f.severity is Severity.ERROR for f in findings):
            protocol = checker.built or checker.build_protocol(document)[0]
        if protocol is None:
            raise BundleRefused(
                f"{bundle.path}: {name} holds no valid protocol protokit can read back"
            )
        models.append(protocol)
    place = disagreement(models[0], models[1]) or _export_difference(bundle, data, models[0])
    if place is not None:
        raise BundleRefused(
            f"{bundle.path}: {name} says something else than {written} (at {place}): the FHIR "
            "export must be made from the bundled protocol. Do not import it"
        )


def _export_difference(bundle: OpenedBundle, data: dict[str, Any], protocol: Any) -> str | None:
    """Where the export differs from the bundled protocol's own export, or None: its
    narratives and standard elements (what a FHIR viewer or server reads; never read back)
    included (H332, H387)."""
    from protocol_kit.fhir.agreement import export_difference

    publisher = bundle.manifest.publisher
    return export_difference(
        data,
        protocol,
        lambda m: bundle.files[PROTOCOLS + m.path],
        publisher.name,
        publisher.contact,
    )


@dataclass(frozen=True, slots=True)
class Review:
    """A bundled protocol's sign-off and review dates, as its file says (not checked by
    `inspect`)."""

    signed_off: str | None
    next_review: str | None


@dataclass(frozen=True, slots=True)
class Listed:
    """What `inspect` shows of an archive's entry: a `zipfile.ZipInfo` kept for each of
    10,000 entries was 5.6 MB (issue 17)."""

    filename: str
    file_size: int


@dataclass(frozen=True)
class Inspection:
    entries: list[Listed]  # the archive's directory, in its order
    manifest: Manifest
    signed_by: PublicKey | None
    reviews: dict[str, Review] = field(default_factory=dict)  # by bundle path


def inspect_bundle(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> Inspection:
    """The bundle's directory and manifest, and the review dates its protocols give, read
    without extracting or checking anything else."""
    from protocol_kit.bundle.manifest import PROTOCOL_PATH
    from protocol_kit.bundle.signing import parse_signature

    def wanted(name: str) -> bool:
        return name in (MANIFEST, SIGNATURE) or PROTOCOL_PATH.match(name) is not None

    def kept(name: str, content: bytes) -> bytes | Review:
        # A protocol's two dates, read as its entry is: not its content (issue 17: the
        # protocols of a bundle of 10,000 were all held until the manifest was read).
        if name in (MANIFEST, SIGNATURE):
            return content
        review = _review_dates(content)
        return alike.setdefault(review, review)  # one object for each pair of dates

    alike: dict[Review, Review] = {}

    infos, found = peek_archive(path, wanted, limits, kept)
    entries = [Listed(info.filename, info.file_size) for info in infos]
    del infos
    if MANIFEST not in found:
        raise BundleRefused(f"{path}: not a protocol-kit bundle: it has no {MANIFEST}")
    manifest = parse_manifest(found[MANIFEST], str(path))
    signature = parse_signature(found[SIGNATURE], str(path)) if SIGNATURE in found else None
    reviews = {entry.path: found[entry.path] for entry in manifest.protocols if entry.path in found}
    return Inspection(entries, manifest, signature.key if signature else None, reviews)


def _review_dates(raw: bytes) -> Review:
    """The review dates a bundled protocol file gives; None where it has no readable date."""
    try:
        data = parse(decode(raw), Limits(), "protocol").data
    except JsonProblem:
        return Review(None, None)
    if not isinstance(data, dict):
        return Review(None, None)
    sign_off = data.get("sign_off")
    dates = [sign_off.get("date") if isinstance(sign_off, dict) else None, data.get("next_review")]
    last, next_ = (d if isinstance(d, str) and len(d) <= 32 else None for d in dates)
    return Review(last, next_)
