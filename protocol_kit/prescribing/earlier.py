"""The earlier prescription a follow-up names (`follows`, written by `protokit new prescription
--from`), checked against the follow-up: the file is there, it is a prescription of the same
patient, and it is dated as `follows.date` says; a patient's corrected name or date of birth
(RX023) and a changed programme (RX024) are said.

A clinic that keeps a patient's prescriptions as a record reads the chain from one to the one
before; a link to a file that is gone is a warning (the record may have been moved or
archived, and the follow-up's own sheet is still right), a link to another patient's
prescription, to a file that is not a prescription, to the follow-up itself or to a
prescription of another date is an error: the record would join two patients' care, or the
sheet would print a date the record contradicts.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from protocol_kit.errors import InputError
from protocol_kit.findings import Finding, Severity
from protocol_kit.loading import Document, JsonProblem, Limits, load, parsed, read_opened_file
from protocol_kit.untrusted.files import same_file
from protocol_kit.validation import SchemaChecker, kind_of

EARLIER_NOT_FOUND = "RX021"
EARLIER_MISMATCH = "RX022"
PATIENT_DETAILS_CHANGED = "RX023"
PROGRAMME_CHANGED = "RX024"
SECOND_FOLLOW_UP = "RX029"

# The patient's fields that tell one patient from another, as the sheet prints them.
IDENTIFYING_FIELDS = ("name", "date_of_birth", "identifier")
# The clinic's patient identifier (record or hospital number) identifies the patient when both
# prescriptions give it; a name or a date of birth may be corrected (a misspelt name, a
# mistyped date) or changed (a married name) while the patient stays the same. But a local
# number is not proof alone: the NPSA's Safer Practice Notice on the NHS number (2008) counts
# local numbers shared by two patients among 1,300 incidents, and `--from` carries the number
# of whichever file was copied: the same number with both the name and the date of birth
# changed is another patient (H1480).
RECORD_NUMBER = "identifier"


def earlier_findings(
    data: Mapping[str, Any],
    path: str,
    limits: Limits,
    schemas: SchemaChecker,
    within: str | None = None,
    follow_ups: Callable[[str, str], list[str]] | None = None,
) -> Iterator[Finding]:
    """RX021 to RX024 and RX029 for the schema-valid prescription `data` read from `path`:
    nothing when it follows no file. With `within` (the folder the workbench serves), an
    earlier file outside it is not read: RX021 says so. `follow_ups(earlier path, date)`: the
    names of the files of the earlier one's folder that follow it (RX029)."""
    follows = data.get("follows")
    named = follows.get("file") if isinstance(follows, dict) else None
    if not isinstance(named, str) or not named.strip():
        return
    earlier_path = os.path.join(os.path.dirname(path), named)
    read_from = earlier_path if within is None else _real_inside(earlier_path, within)
    if read_from is None:
        # `../../x.json`, an absolute path or a link out of the folder: the workbench reads
        # nothing outside the folder it serves, and RX022 would show what it found there
        # (a date, which patient's fields differ) to the page (H1424).
        yield _not_found(
            f"follows file '{named}' is outside the folder the workbench serves, so the link "
            "to the earlier prescription was not checked here: protokit validate checks it"
        )
        return
    try:
        if _same_file(earlier_path, path):
            yield _mismatch(f"follows file '{named}' is this prescription itself: name the "
                            "earlier prescription's file", "/follows/file")  # fmt: skip
            return
        earlier = (
            load(read_from, limits) if within is None else _load_inside(read_from, within, limits)
        )
    except (InputError, OSError):
        yield _not_found(
            f"follows file '{named}' was not found or cannot be read from this prescription's "
            "folder, so the link to the earlier prescription was not checked: correct the "
            "file name, or delete `file` when the earlier prescription is kept elsewhere"
        )
        return
    except JsonProblem:
        yield _not_found(
            f"follows file '{named}' is not valid JSON, so the link to the earlier "
            "prescription was not checked: protokit validate lists its errors"
        )
        return
    kind = kind_of(earlier.data)
    if isinstance(kind, Finding) or kind.name != "prescription":
        yield _mismatch(
            f"follows file '{named}' is not a prescription: name the earlier prescription's file",
            "/follows/file",
        )
        return
    if schemas.check(kind, earlier.data):
        yield _not_found(
            f"follows file '{named}' is not a valid prescription, so the link to it was not "
            "checked: protokit validate lists its errors"
        )
        return
    patient, earlier_patient = data["patient"], earlier.data["patient"]
    differing = _differing_patient_fields(patient, earlier_patient)
    if differing and _another_patient(patient, earlier_patient, differing):
        yield _mismatch(
            f"follows file '{named}' is a prescription for another patient (its "
            f"{_said(differing)} {'differ' if len(differing) > 1 else 'differs'}"
            f"{_though_the_record_number(patient, earlier_patient, differing)}): a follow-up "
            "follows a prescription of the same patient; name the right file",
            "/follows/file",
        )
    elif not differing and _only_the_name_shared(patient, earlier_patient):
        # One gives the date of birth, the other the record number: a name alone tells no
        # two patients apart, and another patient of the same name passed in silence (H1466).
        yield _mismatch(
            f"follows file '{named}' gives the patient's "
            f"{_said(_beyond_the_name(earlier_patient))} and this prescription the "
            f"{_said(_beyond_the_name(patient))}, so only the name can be compared, which two "
            "patients can share: give this prescription the patient's "
            f"{_said(_beyond_the_name(earlier_patient))} too, or name the right file",
            "/follows/file",
        )
    elif differing:
        kept = [f for f in IDENTIFYING_FIELDS if f in patient and f in earlier_patient
                and f not in differing]  # fmt: skip
        yield Finding(
            "",
            PATIENT_DETAILS_CHANGED,
            f"the patient's {_said(differing)} {'differ' if len(differing) > 1 else 'differs'} "
            f"from the earlier prescription '{named}' (its {_said(kept)} "
            f"{'are' if len(kept) > 1 else 'is'} the same): the sheet prints the patient as this "
            "file says; if that was corrected, nothing else is needed; if this is another "
            "patient, name that patient's earlier prescription in follows",
            Severity.WARNING,
            pointer="/patient",
        )
    earlier_protocol = earlier.data["protocol"].get("id")
    if earlier_protocol != data["protocol"].get("id"):
        yield Finding(
            "",
            PROGRAMME_CHANGED,
            f"follows file '{named}' prescribed protocol '{earlier_protocol}', this one "
            f"prescribes '{data['protocol'].get('id')}': a changed programme; check that the "
            "screening answers, goals and notes fit it, and tell the patient to stop the "
            "exercises of the earlier sheet that this one does not give",
            Severity.WARNING,
            pointer="/protocol/id",
        )
    if earlier.data["date"] != follows.get("date"):
        yield _mismatch(
            f"follows date {follows.get('date')} is not the date of '{named}' "
            f"({earlier.data['date']}): the sheet prints the date it follows; correct the "
            "date or the file",
            "/follows/date",
        )
    elif follow_ups is not None:
        yield from _second_follow_up(path, earlier_path, named, earlier.data["date"], follow_ups)


def _second_follow_up(
    path: str, earlier_path: str, named: str, date: str, follow_ups: Callable[[str, str], list[str]]
) -> Iterator[Finding]:
    """RX029: another prescription of the folder follows the same one. A follow-up written
    from the first prescription at a later visit copies that visit's doses and notes, not the
    ones changed since, and the patient has two current prescriptions, either of which may be
    printed (H1622)."""
    others = other_follow_ups(earlier_path, follow_ups(earlier_path, date), path)
    if not others:
        return
    quoted = " and ".join(f"'{name}'" for name in others)
    said = (
        f"follows '{named}' ({date}), and so {'does' if len(others) == 1 else 'do'} {quoted}: "
        "a prescription has one follow-up, the patient one current prescription; keep the "
        "one the patient is on and delete the other (a later visit's follow-up is written "
        "from the one before it, which holds what was changed since: "
    )
    yield Finding(
        "",
        SECOND_FOLLOW_UP,
        f"{said}protokit new prescription --from that file)",
        Severity.WARNING,
        form_message=f"{said}under Prescribe, Follow up a prescription, choose that file)",
        pointer="/follows/file",
    )


def earlier_as_written(path: str, limits: Limits) -> tuple[str, Mapping[str, Any]] | None:
    """The protocol id and the patient of the earlier prescription that the prescription at
    `path` follows (`follows.file`), as that file writes them; None when it names no file or
    the file cannot be read as a prescription (RX021 says so). A follow-up's FHIR CarePlan
    names the earlier one by the identifier the earlier export derived from them: derived
    from the follow-up's own patient and protocol, a corrected name (RX023) or a changed
    programme (RX024) named a CarePlan no export had written (H1430)."""
    try:
        data = load(path, limits).data
        follows = data.get("follows") if isinstance(data, dict) else None
        named = follows.get("file") if isinstance(follows, dict) else None
        if not isinstance(named, str) or not named.strip():
            return None
        earlier = load(os.path.join(os.path.dirname(path), named), limits).data
    except (InputError, OSError, JsonProblem):
        return None
    if not isinstance(earlier, dict):
        return None
    protocol, patient = earlier.get("protocol"), earlier.get("patient")
    if not isinstance(protocol, dict) or not isinstance(protocol.get("id"), str):
        return None
    return (protocol["id"], patient) if isinstance(patient, dict) else None


def other_follow_ups(earlier_path: str, names: list[str], path: str | None) -> list[str]:
    """Of `names` (files of the earlier prescription's folder that follow it), those that are
    not the prescription at `path` itself (RX029, and `new --from` over that follow-up)."""
    if path is None:
        return list(names)
    folder = os.path.dirname(earlier_path)
    return [name for name in names if not _same_file(os.path.join(folder, name), path)]


def _same_file(earlier_path: str, path: str) -> bool:
    """Whether the earlier file is the prescription itself, which need not be saved yet (the
    workbench checks its form's follow-up before it is): `samefile` of a path not there
    raised, and every unsaved follow-up's link was RX021 "not found", never checked (H1424)."""
    if os.path.normpath(os.path.abspath(earlier_path)) == os.path.normpath(os.path.abspath(path)):
        return True
    return same_file(earlier_path, path)


def _load_inside(real: str, folder: str, limits: Limits) -> Document:
    """The file at `real` (found in `folder`, its links resolved), read only if it is still
    there: a link made in its place or in place of a folder on its way, between the look and
    the read, would have the workbench read a file outside its folder (H1478). InputError when
    it is not."""
    descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    try:
        # The path looked at again once the file is open, and the file it leads to now must
        # be the one opened: a folder on the way swapped for a link, before the open, leads
        # outside now, or (swapped back) to another file than the one opened. Asked of the
        # file's identity and read by the descriptor, not by `/proc/self/fd` (H1523): macOS
        # has no /proc, and every follow-up's earlier file there "cannot be read" (RX021).
        now = _real_inside(real, folder)
        if now is None or not _leads_to(now, os.fstat(descriptor)):
            raise InputError(f"{real}: not inside {folder} when read")
        return parsed(read_opened_file(descriptor, real, limits), real, limits)
    finally:
        os.close(descriptor)


def _leads_to(path: str, opened: os.stat_result) -> bool:
    try:
        return os.path.samestat(os.stat(path), opened)
    except (OSError, ValueError):
        return False


def _real_inside(path: str, folder: str) -> str | None:
    """`path` with its links followed, when that is in `folder`; else None."""
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return None
    root = os.path.realpath(folder)
    return real if real == root or real.startswith(root.rstrip(os.sep) + os.sep) else None


def _differing_patient_fields(patient: Mapping[str, Any], earlier: Mapping[str, Any]) -> list[str]:
    """The identifying fields both prescriptions give and that differ (a name compared
    without regard to case, spacing or Unicode form, which a retyped name may change)."""
    return [
        field
        for field in IDENTIFYING_FIELDS
        if field in patient
        and field in earlier
        and _comparable(patient[field]) != _comparable(earlier[field])
    ]


def _another_patient(
    patient: Mapping[str, Any], earlier: Mapping[str, Any], differing: list[str]
) -> bool:
    """Whether the identifying fields that differ make the earlier prescription another
    patient's: a record number that differs when both give it; two of the three differing,
    the name and the date of birth under the same record number too (H1480: positive
    identification asks that two identifiers agree); without a record number, every field
    both give differing (a corrected name with the same date of birth, or a corrected date of
    birth with the same name, is the same patient, said by RX023)."""
    if RECORD_NUMBER in differing or len(differing) >= 2:
        return True
    if RECORD_NUMBER in patient and RECORD_NUMBER in earlier:
        return False
    shared = [f for f in IDENTIFYING_FIELDS if f in patient and f in earlier]
    return len(differing) == len(shared)


def _though_the_record_number(
    patient: Mapping[str, Any], earlier: Mapping[str, Any], differing: list[str]
) -> str:
    """What RX022 adds when the record number is the same and the name and the date of birth
    differ: "another patient" alone reads as a mistake to a therapist who checked the number,
    and the number on this prescription may be the one that is wrong (H1480)."""
    if RECORD_NUMBER in patient and RECORD_NUMBER in earlier and RECORD_NUMBER not in differing:
        return (
            ", though its identifier is the same: a file copied from another patient's keeps "
            "that patient's number; check this prescription's identifier against the "
            "clinic's record"
        )
    return ""


def _beyond_the_name(patient: Mapping[str, Any]) -> list[str]:
    return [f for f in IDENTIFYING_FIELDS if f != "name" and f in patient]


def _only_the_name_shared(patient: Mapping[str, Any], earlier: Mapping[str, Any]) -> bool:
    """Whether the two prescriptions give no identifying field in common but the name."""
    return not set(_beyond_the_name(patient)) & set(_beyond_the_name(earlier))


def _said(fields: list[str]) -> str:
    return " and ".join(f.replace("_", " ") for f in fields)


def _comparable(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def _not_found(message: str) -> Finding:
    return Finding("", EARLIER_NOT_FOUND, message, Severity.WARNING, pointer="/follows/file")


def _mismatch(message: str, pointer: str) -> Finding:
    return Finding("", EARLIER_MISMATCH, message, pointer=pointer)
