"""`protokit new prescription` as functions: a protocol in, the starting prescription out."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.errors import InputError
from protocol_kit.loading import DEFAULT_MAX_STRING
from protocol_kit.model import Protocol
from protocol_kit.templates import new_prescription


def prescription_for(
    protocol_path: str,
    check: CheckOptions,
    overrides: bool = True,
    today: dt.date | None = None,
) -> tuple[Protocol, dict[str, Any]]:
    """The protocol at `protocol_path` (valid, library references resolved, not retired) and
    the starting prescription of it. Raises InputError naming the file."""
    protocol = load_protocol(protocol_path, FileChecker(check))
    if protocol.status == "retired":
        raise InputError(
            f"{protocol_path}: protocol '{protocol.id}' is retired: it must not be prescribed"
        )
    return protocol, new_prescription(protocol, today, overrides)


def follow_up_for(
    earlier_path: str,
    protocol_path: str | None,
    check: CheckOptions,
    target: str,
    today: dt.date | None = None,
    look_near: bool = True,
) -> tuple[Protocol, dict[str, Any], dict[str, Any]]:
    """The protocol, the earlier prescription's data and the follow-up written from it to
    `target` (`protokit new prescription --from`). The earlier prescription must be a valid,
    finished prescription by itself (checked as `validate` checks it, but not against its
    protocol, which may have changed since); the protocol is the one given, else the one
    `validate` finds near the earlier prescription (not with `look_near` false: the
    workbench's folder, whose protocols it has looked through, is all it reads). Raises
    InputError or UsageError naming the file."""
    import os

    from protocol_kit.app.check import load_checked
    from protocol_kit.errors import UsageError
    from protocol_kit.prescribing.follow_up import follow_up

    checker = FileChecker(check)
    checker.prescription_alone = True
    try:
        earlier = load_checked(earlier_path, "prescription", checker).data
    finally:
        checker.prescription_alone = False
    wanted = earlier["protocol"]["id"]
    if protocol_path is None and not look_near:
        raise UsageError(f"{earlier_path}: no protocol with the id '{wanted}' in this folder")
    if protocol_path is None:
        found = checker.protocol_near(earlier_path, wanted)
        if found is None:
            raise UsageError(
                f"{earlier_path}: no valid protocol with id '{wanted}' was found beside it or in "
                "a protocols folder above it (as validate looks): give it with --protocol FILE"
            )
        protocol_path = found.origin.path
    protocol, _ = prescription_for(protocol_path, check, overrides=False, today=today)
    if protocol.id != wanted:
        raise UsageError(
            f"--protocol {protocol_path} is protocol '{protocol.id}', but {earlier_path} "
            f"prescribes '{wanted}': a follow-up continues the same protocol"
        )
    folder = os.path.dirname(os.path.abspath(target))
    try:
        named = os.path.relpath(os.path.abspath(earlier_path), folder).replace(os.sep, "/")
    except ValueError:  # another drive (Windows): no path from one to the other
        named = None
    if named is not None and not _a_name_it_can_hold(named):
        named = None  # the date still names it; a name the file could not hold is left out
    document = follow_up(earlier, protocol, named, today or dt.date.today())
    return protocol, earlier, document


def refuse_a_second_follow_up(
    earlier_path: str,
    earlier: dict[str, Any],
    limits: Any,
    target: str | None = None,
    choose: str = "--from {path}",
) -> None:
    """A follow-up written from a prescription that a follow-up of its folder already follows
    is refused, in both shells (but over that follow-up itself, `target`, with --force): it
    copied the doses, notes and answers of the visit before the latest, not the latest's, and
    left the patient two current prescriptions (H1622). `choose`: how the shell's user writes
    a follow-up from `{path}`. Raises UsageError naming the follow-up to write from."""
    import os

    from protocol_kit.errors import UsageError
    from protocol_kit.prescribing.earlier import other_follow_ups
    from protocol_kit.prescribing.followed_up import FollowUps

    folder = os.path.dirname(earlier_path)
    following = FollowUps(limits).of(earlier_path, earlier.get("date", ""))
    later = other_follow_ups(earlier_path, following, target)
    if len(later) == 1:
        how = choose.format(path=os.path.join(folder, later[0]))
        then = (
            f"'{later[0]}' follows it already: write the patient's next prescription from that "
            f"one ({how}), which holds what was changed since; a follow-up written by mistake: "
            "delete it first"
        )
    elif later:
        then = (
            " and ".join(f"'{name}'" for name in later) + " follow it already: keep the one "
            "the patient is on, delete the one written by mistake, and write the patient's "
            "next prescription from the one kept"
        )
    else:
        return
    raise UsageError(f"{earlier_path}: {then}")


def _a_name_it_can_hold(text: str) -> bool:
    """Whether `text` is a value `validate` accepts as one line (a file name with a line
    break or a control character would make the follow-up invalid), and not one RX003 reads
    as a placeholder: a follow-up of `alex-TBC.json` or `xxx.json` was an error ("fill it
    in") that no answer to its questions could clear, and `render` refused it (H1366)."""
    from protocol_kit.prescription import placeholder_left, unprintable_findings

    breaks = "\n\r\v\f\x85\u2028\u2029"
    return (
        not any(c in text for c in breaks)
        and not list(unprintable_findings(text))
        and not placeholder_left(text)
    )


def prescription_text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# The `new prescription` options that write the patient and the therapist: (option, the
# object, its field).
PEOPLE = (
    ("patient", "patient", "name"),
    ("born", "patient", "date_of_birth"),
    ("patient_number", "patient", "identifier"),
    ("therapist", "therapist", "name"),
    ("credentials", "therapist", "credentials"),
    ("phone", "therapist", "phone"),
)


def with_people(document: dict[str, Any], given: dict[str, str | None]) -> None:
    """The patient and the therapist written into a new prescription from the options given
    (a therapist who prescribes every day wrote "TODO: your name..." over again each time,
    H902); a date of birth alone, or a patient number alone, takes the other's TODO away (the
    schema asks for one of them). Raises UsageError naming the option for a value the sheet
    could not print as the patient's: empty, a placeholder, a character it cannot print, a
    date of birth that is no date; and for any value `validate` would refuse in the file (a
    line break, a date before 1800, a text longer than a file may hold: H914; a date of birth
    more than OLDEST_PATIENT_YEARS ago: H1014)."""
    from protocol_kit.errors import UsageError
    from protocol_kit.prescription import (
        birth_date_problem,
        placeholder_findings,
        telephone_findings,
        unprintable_findings,
    )

    options_at: dict[str, str] = {}
    for option, part, field in PEOPLE:
        value = given.get(option)
        if value is None:
            continue
        flag = "--" + option.replace("_", "-")
        value = value.strip()
        found = [*placeholder_findings(value), *unprintable_findings(value)]
        if not value or found:
            why = found[0].message if found else "it is empty"
            raise UsageError(f"{flag} {json.dumps(value, ensure_ascii=False)}: {why}")
        if option == "born":
            try:
                born = dt.date.fromisoformat(value)
            except ValueError:
                born = None
            if born is None or len(value) != 10:
                raise UsageError(f"{flag} {value!r}: write the date of birth as YYYY-MM-DD")
            if born > dt.date.today():
                raise UsageError(f"{flag} {value}: a date of birth in the future")
        if len(value) > DEFAULT_MAX_STRING:
            raise UsageError(
                f"{flag}: a text of {len(value):,} characters: longer than any text in a "
                f"protocol-kit file can be (the limit is {DEFAULT_MAX_STRING:,})"
            )
        document[part][field] = value
        options_at[f"/{part}/{field}"] = flag
    patient = document["patient"]
    if given.get("born") and not given.get("patient_number"):
        patient.pop("identifier", None)
    if given.get("patient_number") and not given.get("born"):
        patient.pop("date_of_birth", None)
    for pointer, message in _schema_refusals(document) if options_at else []:
        if pointer in options_at:
            raise UsageError(f"{options_at[pointer]}: {message}")
    for finding in telephone_findings(document):  # RX026, as `validate` reads the file
        if finding.pointer in options_at:
            raise UsageError(f"{options_at[finding.pointer]}: {finding.message}")
    if given.get("born"):
        # The prescription is dated today: a date of birth `validate` refuses (RX002, more than
        # OLDEST_PATIENT_YEARS before it) is not written either (H1014).
        today = dt.date.today()
        problem = birth_date_problem(dt.date.fromisoformat(patient["date_of_birth"]), today, today)
        if problem is not None:
            raise UsageError(f"--born: {problem}")


def _schema_refusals(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(pointer, message) of each schema finding `validate` would report in `document`."""
    from protocol_kit.schemas import KIND_BY_NAME
    from protocol_kit.validation import SchemaChecker

    kind, checker = KIND_BY_NAME["prescription"], SchemaChecker()
    if checker.engine_passes(kind, document):
        return []
    return [(finding.pointer, finding.message) for finding in checker.findings(kind, document)]
