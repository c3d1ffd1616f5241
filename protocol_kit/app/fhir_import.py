"""`protokit import fhir` as a function: a FHIR export in, a checked protocol file out."""

from __future__ import annotations

import os
from pathlib import Path

from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.errors import InputError, UsageError
from protocol_kit.files import FileKind
from protocol_kit.findings import FileReport
from protocol_kit.loading import Document, Limits, load_file

# A FHIR export embeds its pictures, so it may be much larger than a protocol.
EXPORT_LIMITS = Limits(max_bytes=256 * 1024 * 1024, max_depth=64)
# What `--force` may replace: an earlier import (or any protocol naming its schema near the top).
PROTOCOL_FILE = FileKind("a protocol file", b"{", b"/protocol.schema.json")
# The resources `export fhir --prescription` adds for one patient, which are not read back.
PATIENT_RESOURCES = ("Patient", "Practitioner", "CarePlan", "Goal", "Observation")


def import_fhir(bundle: str, output: str | None, force: bool) -> tuple[str, str | None]:
    """Read the protocol in `bundle`, check it, and write it to `output` (its pictures into
    `media/` beside it); return it as text, with a note when the bundle also holds a patient's
    resources, which are not read back. Raises InputError for a bundle that is not a
    protocol-kit export or gives an invalid protocol; nothing is written then."""
    from protocol_kit.bundle.contents import serialise
    from protocol_kit.fhir.importer import FhirImportError, read_bundle
    from protocol_kit.files import refuse_to_replace, write_atomic

    data = load_file(Path(bundle), EXPORT_LIMITS)
    try:
        imported = read_bundle(data)
    except FhirImportError as error:
        raise InputError(f"{bundle}: {error}") from None
    note = _patient_note(data, bundle)
    text = serialise(imported.data).decode("utf-8")
    name = output or "-"
    _check(Document(name=name, data=imported.data, text=text), bundle)
    if output is None:
        if imported.media:
            raise UsageError(
                f"{bundle}: the protocol shows {len(imported.media)} picture(s): give -o FILE, "
                "and they are written into media/ beside it"
            )
        return text, note
    if os.path.lexists(output) and not force:
        raise UsageError(f"{output}: exists; nothing written (--force replaces it)")
    # --force replaces an earlier protocol, never the export read nor a file of another kind.
    seen = refuse_to_replace(output, [("the FHIR export", bundle)], PROTOCOL_FILE, "the protocol")
    folder = Path(output).parent
    _check_pictures(imported.media, folder, bundle)
    for media_name, content in imported.media.items():
        target = folder / media_name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, content)  # named by content: an existing one is the same picture
    write_atomic(output, text, overwrite=force, seen=seen)
    return text, note


def _patient_note(data: object, bundle: str) -> str | None:
    """What the bundle holds beyond the protocol (`export fhir --prescription`'s patient,
    prescriber, CarePlan, goals and baselines), said: the import wrote the protocol alone
    without a word, and a therapist took the patient's record as read back (H1624). None when
    it holds none."""
    entries = data.get("entry") if isinstance(data, dict) else None
    counts = dict.fromkeys(PATIENT_RESOURCES, 0)
    for entry in entries if isinstance(entries, list) else ():
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if kind in counts:
            counts[kind] += 1
    held = [f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in counts.items() if n]
    if not held:
        return None
    return (
        f"{bundle}: note: the patient's resources it also holds ({', '.join(held)}) are not "
        "read back: import fhir reads the protocol only; the prescription's own file is the "
        "patient's record (docs/fhir.md)"
    )


def _check_pictures(media: dict[str, bytes], folder: Path, bundle: str) -> None:
    """Every picture is checked, as a bundle's are, before anything is written: one that is no
    complete PNG or JPEG of a printable size (a decompression bomb) would be written beside
    the protocol and fail only when a sheet is printed; and none is written through a folder
    that is a link to somewhere else (as `bundle import` never does)."""
    from protocol_kit.bundle.importer import link_on_the_way
    from protocol_kit.untrusted.images import image_problem

    for media_name, content in media.items():
        problem = image_problem(content)
        if problem is not None:
            raise InputError(f"{bundle}: the picture for {media_name} {problem}; nothing written")
        link = link_on_the_way(folder / media_name, folder)
        if link is not None:
            raise UsageError(
                f"{link} is a symbolic link: the pictures are written only inside "
                f"{folder / '.'}, never through a link; nothing written"
            )


def _check(document: Document, bundle: str) -> None:
    """The protocol passes the same checks as `protokit validate` (without the lint rules)."""
    report = FileReport(document.name)
    findings = FileChecker(CheckOptions()).check_document(document, report)
    errors = [f for f in findings if f.severity.value == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(
            f"{bundle}: the protocol read back is not valid: {first.code} {first.message} "
            f"[{first.pointer}]{more}"
        )
