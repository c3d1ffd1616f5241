"""What the bundle commands print, as text built from their results (no printing here).

Everything from a bundle is untrusted: a name or title that is not plain printable text is shown
quoted with its control and invisible characters escaped, so a stranger's manifest cannot forge
lines of output or hide text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from protocol_kit.app.bundle_verify import SignatureStatus, same_name
from protocol_kit.bundle.importer import Action, ImportPlan
from protocol_kit.bundle.manifest import FHIR, MANIFEST, MEDIA, PROTOCOLS, SCHEMAS, SIGNATURE
from protocol_kit.findings import shown
from protocol_kit.untrusted.text import capped, printable

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from protocol_kit.app.bundle import CreateResult, ImportResult, Inspection, Verification
    from protocol_kit.bundle.manifest import Manifest


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _joined(lines: list[str]) -> str:
    """The lines as one text: each escaped on its own (`printable`), so that a line break in a
    path or name shows as `\\n` and never starts a line of its own ("result:     OK")."""
    return "\n".join(printable(line) for line in lines)


def safe(text: str, limit: int = 200) -> str:
    """Untrusted text for one line of output: as it is when plain and printable, else quoted
    with every control or invisible character escaped."""
    if text.isprintable() and text == text.strip() and len(text) <= limit:
        return text
    quoted = '"' + printable(text).replace('"', '\\"') + '"'
    return capped(quoted, limit, '"')


def file_count(manifest: Manifest, signed: bool, checked: bool = False) -> str:
    """How many files a bundle holds, and what they are: the same count in every command (every
    file in the archive), with the two that describe the others named apart."""
    kinds: dict[str, int] = {}
    for item in manifest.files:
        kind = next((k for p, k in _KINDS if item.path.startswith(p)), "other file")
        kinds[kind] = kinds.get(kind, 0) + 1
    listed = ", ".join(plural(kinds[k], k) for _, k in _KINDS if k in kinds)
    own = "the manifest and its signature" if signed else "the manifest (not signed)"
    how = " checked against their SHA-256" if checked else " listed in the manifest"
    total = len(manifest.files) + 1 + signed
    return f"{total:,} in all: {len(manifest.files):,}{how} ({listed}), plus {own}"


_KINDS = (
    (MEDIA, "image"),
    (PROTOCOLS, "protocol"),
    (SCHEMAS, "schema"),
    (FHIR, "FHIR export"),
)


def created_summary(
    result: CreateResult, output: Path, fingerprint: str | None, dated_by: str
) -> str:
    manifest = result.manifest
    assert manifest is not None
    lines = [
        f"{output}: {plural(len(manifest.protocols), 'protocol')}, {result.size:,} bytes",
        f"files: {file_count(manifest, fingerprint is not None)}",
        f"dated: {manifest.created} ({dated_by})",
        f"sha256: {result.sha256}",
    ]
    if fingerprint:
        lines.append(f"signed by: {fingerprint}")
    return _joined(lines)


def skipped_note(skipped: dict[str, int]) -> str | None:
    """Which files given to `create` were not bundled on their own, and why."""
    notes = []
    if skipped.get("exercise"):
        notes.append(f"{skipped['exercise']} library exercises (inlined into the protocols)")
    if skipped.get("prescription"):
        notes.append(f"{skipped['prescription']} prescriptions (patient data is never bundled)")
    return "not bundled on their own: " + "; ".join(notes) if notes else None


def _publisher(manifest: Manifest) -> str:
    return f"{safe(manifest.publisher.name)} <{safe(manifest.publisher.contact)}>"


def _created(manifest: Manifest) -> list[str]:
    """The bundle's date, labelled for what it is: the date its publisher gave it, by default
    the newest `updated` date of its protocols (bundles are reproducible, so it is not the clock),
    and the program that wrote it."""
    return [
        f"dated:      {safe(manifest.created)} (set by the publisher; by default the newest "
        "content date (updated) of its protocols, not the day the bundle was made)",
        f"made with:  {safe(manifest.generator)} {safe(manifest.generator_version)}",
    ]


def _reviewed(signed_off: object, next_: object) -> str:
    approval = f"signed off {signed_off}" if signed_off else "not signed off"
    return f"{approval}, next review {next_ or '?'}"


def publisher_line(verification: Verification) -> str:
    """The publisher the manifest names, and whether the signature bears it out: a trusted key
    proves who signed, and the reader should know when that is not the clinic the bundle
    names."""
    claim = _publisher(verification.bundle.manifest)
    signature = verification.signature
    if signature.impersonates is not None:
        return f"{claim} (as the manifest claims: NOT signed with this clinic's trusted key)"
    if signature.status is not SignatureStatus.TRUSTED:
        return f"{claim} (as the manifest claims: not verified)"
    trusted = signature.trusted_name or ""
    if same_name(trusted, verification.bundle.manifest.publisher.name):
        return claim
    return (
        f"{claim}, but signed by the key your trust file calls {shown(trusted)}: make sure "
        "they are the same clinic"
    )


def verify_summary(verification: Verification) -> str:
    bundle = verification.bundle
    manifest = bundle.manifest
    lines = [
        f"bundle:     {printable(bundle.path)} (sha256 {bundle.sha256})",
        f"publisher:  {publisher_line(verification)}",
        *_created(manifest),
        f"signature:  {verification.signature.describe()}",
        f"files:      {file_count(manifest, bundle.signature is not None, checked=True)}",
        f"protocols:  {len(manifest.protocols)}",
    ]
    for entry in manifest.protocols:
        protocol = verification.protocols.get(entry.path)
        state = (
            "valid, " + _reviewed(protocol.signed_off, protocol.next_review)
            if protocol is not None
            else "INVALID"
        )
        lines.append(f"  {entry.id} {entry.version} ({entry.status}, {state}): {safe(entry.title)}")
    signature = verification.signature
    forgery = signature.forgery()
    if forgery:
        lines.append(f"WARNING:    POSSIBLY FORGED: {forgery}")
    lines.extend(f"warning:    {warning}" for warning in verification.warnings)
    lines.append("result:     " + ("OK" if verification.ok else "REFUSED"))
    advice = signature.advice(manifest.publisher.name) if not verification.ok else []
    if advice:
        lines.append("to trust this publisher:")
        lines.extend(f"  {step}" for step in advice)
    return _joined(lines)


def inspect_listing(inspection: Inspection, path: Path) -> str:
    manifest = inspection.manifest
    key = inspection.signed_by
    lines = [
        f"bundle:     {path} (nothing verified: run protokit bundle verify)",
        f"publisher:  {_publisher(manifest)} (as the manifest claims)",
        *_created(manifest),
        f"signature:  {f'present, by key {key.fingerprint} (not checked)' if key else 'none'}",
        f"protocols:  {len(manifest.protocols)}",
    ]
    for entry in manifest.protocols:
        review = inspection.reviews.get(entry.path)
        dates = (
            _reviewed(safe(review.signed_off or ""), safe(review.next_review or ""))
            if review is not None
            else "no such file"
        )
        lines.append(f"  {entry.id} {entry.version} ({entry.status}, {dates}): {safe(entry.title)}")
    counted = file_count(manifest, key is not None)
    if len(inspection.entries) != len(manifest.files) + 1 + (key is not None):
        counted = (
            f"{len(inspection.entries):,} in the archive, but the manifest lists "
            f"{len(manifest.files):,} (run protokit bundle verify)"
        )
    lines.append(f"files:      {counted}")
    files = {f.path: f for f in manifest.files}
    for info in inspection.entries:
        listed = files.get(info.filename)
        own = {MANIFEST: "(the manifest)", SIGNATURE: "(the signature)"}
        digest = listed.sha256[:16] if listed else own.get(info.filename, "(not listed!)")
        lines.append(f"  {info.file_size:>12,}  {digest:<16}  {info.filename}")
    return _joined(lines)


def import_lines(plan: ImportPlan) -> Iterator[str]:
    """One line per incoming protocol: what happens to it, each made when it is printed (a
    plan of 10,000 protocols is read from its temporary file: see `planned_steps`)."""
    for step in plan.steps:
        incoming = step.incoming
        kept = f"; the local copy is kept as {step.backup}" if step.backup else ""
        said = f"; {step.reason}" if step.reason else ""  # a protocol reviewed here
        if step.action is Action.ADD:
            detail = f"{incoming.version} -> {step.destination}"
        elif step.action is Action.UPDATE:
            detail = (
                f"{step.existing_version} -> {incoming.version} ({step.destination}{kept}{said})"
            )
        elif step.action is Action.RESTORE:
            detail = f"{incoming.version} as the bundle has it ({step.destination}{kept})"
        elif step.action is Action.UNCHANGED:
            detail = f"{incoming.version} (already in {step.destination}{said})"
        else:
            detail = f"{incoming.version}: {step.reason}"
        yield printable(f"{step.action.value:<9} {incoming.id} {detail}")


def import_outcome(result: ImportResult, bundle: Path, target: Path, dry_run: bool) -> str:
    """The last line of an import: refused, what a dry run would do, or what was done."""
    plan = result.plan
    refused = plan.count(Action.REFUSE)
    if refused:
        others = len(plan.steps) - refused
        all_or_nothing = (
            f"; an import is all or nothing, so the other {plural(others, 'protocol')} "
            f"{'was' if others == 1 else 'were'} not imported either"
            if others
            else ""
        )
        would = "would be refused" if dry_run else "refused"
        return printable(
            f"{bundle}: import {would} ({plural(refused, 'protocol')} cannot be "
            f"imported, see above{all_or_nothing}); nothing was changed"
        )
    counts = (
        f"{plan.count(Action.ADD)} added, {plan.count(Action.UPDATE)} updated, "
        f"{plan.count(Action.UNCHANGED)} unchanged"
    )
    if plan.count(Action.RESTORE):
        counts += f", {plan.count(Action.RESTORE)} restored"
    backups = plan.backups
    if backups == 1:
        counts += " (1 local copy kept beside its file)"
    elif backups:
        counts += f" ({backups:,} local copies kept beside their files)"
    if dry_run:
        return f"dry run: would be {counts}; nothing was written"
    return printable(f"imported into {target}: {counts}")


def refusal(result: CreateResult) -> str:
    """Why `create` wrote nothing."""
    report = result.report
    return (
        f"{len(report.failed_files)} of {plural(len(report.files), 'file')} "
        f"{'is' if len(report.failed_files) == 1 else 'are'} invalid (see above): no bundle "
        "was written"
    )
