"""The checks every protocol passes on its way into or out of a bundle, in one place.

Whether read from a clinic's files (`bundle create`) or from a bundle (`verify`, `import`), a
protocol goes through the same checks: `bundle_check_options` builds the `CheckOptions` (the
lint hooks belong there) and `check_bundled_protocol` runs them on a file as it is in a bundle.
`make_self_contained` turns a clinic's protocol into its bundled form and proves it equivalent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from protocol_kit.app.check import CheckOptions, FileChecker, configured_check_options
from protocol_kit.bundle.archive import DEFAULT_LIMITS
from protocol_kit.bundle.contents import SelfContained, content_difference, self_contained
from protocol_kit.bundle.manifest import Publisher
from protocol_kit.config import Config
from protocol_kit.errors import InputError, ProtokitError, UsageError
from protocol_kit.findings import FileReport, Finding, shown
from protocol_kit.loading import Document, JsonProblem, Limits, decode, parse
from protocol_kit.model import Media, Protocol
from protocol_kit.schemas import KIND_BY_NAME, described
from protocol_kit.untrusted.files import open_regular
from protocol_kit.validation import kind_of

NOT_SELF_CONTAINED = "BDL001"
NOT_A_PROTOCOL = "BDL002"
MISSING_IMAGE = "BDL003"
PROTOCOL_KIND = KIND_BY_NAME["protocol"]
# Rules about the files around a protocol rather than its content, which mean nothing for a
# protocol inside a bundle: images there are checked against the manifest's hashes (and
# BDL003 when creating), and versions against the receiving folder on import.
ABOUT_THE_WORKING_TREE = ("LINK001", "GOV004")


# A review that has fallen due. The receiving clinic cannot change a signed protocol, so in a
# bundle it receives this is a warning to review the protocol, not a reason to refuse the bundle.
REVIEW_OVERDUE = "GOV001"


def receiving_check_options() -> CheckOptions:
    """The checks on the protocols of a bundle a clinic receives (`verify`, `import`): those of
    `bundle_check_options`, with an overdue review a warning, as the configuration without its
    clinic sets them (`load_config_without_clinic`)."""
    from protocol_kit.config import load_config_without_clinic

    return bundle_check_options(config=load_config_without_clinic(), receiving=True)


def bundle_check_options(
    limits: Limits = Limits(),
    library_dirs: tuple[Path, ...] = (),
    config: Config | None = None,
    lint: bool = True,
    receiving: bool = False,
) -> CheckOptions:
    """The checks every protocol passes on its way into or out of a bundle: the schema, the
    library and translation checks, and the clinical safety rules, as this repository's
    configuration sets them (the nearest configuration file when `config` is None), with its
    library folders and exclusions. A rule's error refuses the bundle as a schema error does;
    warnings are shown. `receiving`: see `receiving_check_options`."""
    from protocol_kit.config import load_config

    config = config or load_config()
    hooks: tuple = ()
    if lint:
        from protocol_kit.lint.engine import Linter, run_settings

        settings = run_settings(config.section("lint"), config.shown)
        settings = replace(settings, ignore=settings.ignore + ABOUT_THE_WORKING_TREE)
        if receiving:
            settings = replace(settings, severity={**settings.severity, REVIEW_OVERDUE: "warning"})
        hooks = (Linter(settings),)
    return configured_check_options(config, library_dirs, limits=limits, hooks=hooks)


def publisher_fields(
    name: str | None, contact: str | None, config: Config
) -> tuple[str | None, str | None]:
    """The publisher's name and contact from the command line, else from
    `[tool.protokit.clinic]` (`name`, and `contact`, `email` or `phone`); None where neither
    gives one."""
    from protocol_kit.untrusted.identity import check_own_name
    from protocol_kit.untrusted.text import is_printable, printable

    for option, given in (("--publisher-name", name), ("--publisher-contact", contact)):
        if given is not None and not given.strip():
            # `--publisher-name "$NAME"` with NAME unset fell back to the configuration's.
            raise UsageError(f"{option} is empty")
    clinic = config.section("clinic")
    given_name, given_contact = name, contact
    name = name or clinic.get("name")
    contact = contact or clinic.get("contact") or clinic.get("email") or clinic.get("phone")
    name = name.strip() if isinstance(name, str) and name.strip() else None
    contact = contact.strip() if isinstance(contact, str) and contact.strip() else None
    _check_publisher_length("name", name, given_name, config)
    _check_publisher_length("contact", contact, given_contact, config)
    # Checked for every output that names the publisher (a bundle, a FHIR export): an escape
    # sequence or a direction override in them reached another clinic's screen.
    if name is not None:
        check_own_name(name)
    if contact is not None and not is_printable(contact):
        raise UsageError(
            f'the publisher\'s contact "{printable(contact)}" holds a character that cannot '
            "be seen: type it again"
        )
    if contact is not None:
        _check_publisher_contact(contact, clinic.get("emergency_number"))
    return name, contact


def _check_publisher_length(
    field: str, value: str | None, given: str | None, config: Config
) -> None:
    """UsageError when the publisher's `field` is longer than a bundle's manifest takes: the
    bundle was written, and every receiving protokit refused it (H1045)."""
    from protocol_kit.bundle.manifest import publisher_limit

    limit = publisher_limit(field)
    if value is None or len(value) <= limit:
        return
    where = f"--publisher-{field}" if given else f"{field} in {config.table_name('clinic')}"
    raise UsageError(
        f"{where}: the publisher's {field} is {len(value):,} characters long, and a bundle's "
        f"manifest takes at most {limit:,} (every receiving clinic's protokit would refuse the "
        "bundle): shorten it"
    )


def _check_publisher_contact(contact: str, emergency_number: str | None) -> None:
    """UsageError when the publisher's contact (`--publisher-contact`, which the configuration's
    check never saw) is, or offers, an emergency number, as a clinic's own line may not be
    (H850): the bundle and the FHIR export give it to another clinic as the publisher's line."""
    from protocol_kit.clinic.numbers import configured_emergency_digits, emergency_number_named
    from protocol_kit.untrusted.text import printable

    named = emergency_number_named(contact, configured_emergency_digits(emergency_number))
    if named is None:
        return
    number, public = named
    what = (
        f"is the emergency number {public}"
        if number is None
        else (f'names "{printable(number)}", the emergency number {public}')
    )
    raise UsageError(
        f'--publisher-contact "{printable(contact)}" {what}: the bundle or FHIR export gives it '
        "to other clinics as the way to reach the publishing clinic, and a call to it reaches "
        "an ambulance service; give the clinic's own telephone, e-mail or web address"
    )


def publisher_from(name: str | None, contact: str | None, config: Config) -> Publisher:
    """The publisher a bundle must name (see `publisher_fields`); UsageError when missing."""
    name, contact = publisher_fields(name, contact, config)
    if name is None:
        raise UsageError(
            "a bundle names its publisher: pass --publisher-name, or set name in "
            f"{config.table_name('clinic')}"
        )
    if contact is None:
        raise UsageError(
            "a bundle gives a contact for its publisher: pass --publisher-contact, or set "
            f"contact in {config.table_name('clinic')}"
        )
    return Publisher(name, contact)


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
    kind = kind_of(document.data)
    if not isinstance(kind, Finding) and kind.name != PROTOCOL_KIND.name:
        # Said before any check of that kind: a prescription's checks look on disk, beside
        # its path, for its protocol and the prescription it follows, and the path of a file
        # in a bundle names no folder ("x.pkb/protocols/a.json: Not a directory", exit 2;
        # or the receiving clinic's own files read to judge the bundle's: H1419).
        findings = [Finding(name, NOT_A_PROTOCOL, f"is {described(kind.name)}, not a protocol")]
    else:
        findings = _self_containment(document)
    if not findings:
        findings = checker.check_document(document, report)
    report.kind = PROTOCOL_KIND.name
    report.findings.extend(findings)
    report.findings[:] = locate_findings(report.findings, document.text, name)
    report.findings.sort(key=lambda f: f.sort_key)
    if not report.ok:
        return report, None
    protocol = checker.built  # built by check_document: not built a second time
    if protocol is None:
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
    if media.outside is not None:
        from protocol_kit.sheet.text import TextError  # an InputError at the path's line

        raise TextError(media.origin.child("path"), media.outside)
    try:
        with open_regular(path) as handle:
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
    checker: FileChecker,
    path: str,
    checked: tuple[Document, Protocol] | None = None,
) -> tuple[Protocol, SelfContained, Protocol]:
    """A valid protocol file's self-contained form, checked to validate and to mean the same:
    the original model, the self-contained form and the model rebuilt from it. `checked` says
    the checks have passed, and gives the document and the model they made (neither is made
    again); without it the file is checked here, and read once. The file is never read again
    after its checks: a file saved in between would be bundled unchecked (H475, H542: a
    `validated` flag that read it again is gone).

    Raises InputError when the file is not a valid protocol or an image cannot be read, and
    ProtokitError when the self-contained form would differ from the original (a defect).
    """
    from protocol_kit.app.check import load_protocol

    if checked is not None:
        document, protocol = checked
    else:
        protocol = load_protocol(path, checker)
        document = checker.document  # as checked: never read again (H475)
        assert document is not None
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
