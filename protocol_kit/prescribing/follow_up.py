"""A follow-up prescription written from the earlier one (`protokit new prescription --from`):
the patient seen again, the same programme progressed.

What the earlier prescription says about the patient and the programme is copied as written
(the patient, the therapist, the notes, each override's dosage and reason, the goals, the
measures, the stages), for the therapist to change; what belongs to the earlier visit is not:
its dates (the follow-up is written and starts today, and its review date is the therapist's
to set) and the screening answers, which are asked again (a patient may have had surgery or
become pregnant since: an answer two weeks old is not today's), each showing the earlier
answer. The follow-up names the one it follows by its date and file; the earlier file is a
clinical record and is never written to.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from protocol_kit.model import Protocol
from protocol_kit.templates import TODO

# Fields of the earlier prescription that are not carried over: its dates and the protocol
# (written anew, at the protocol's version today), its screening (asked again) and the
# prescription it followed (the follow-up names the earlier one instead).
NOT_COPIED = frozenset(
    ("$schema", "protocol", "date", "start_date", "review_date", "screening", "follows")
)


def follow_up(
    earlier: Mapping[str, Any],
    protocol: Protocol,
    earlier_file: str | None,
    today: dt.date,
) -> dict[str, Any]:
    """The follow-up of the schema-valid prescription `earlier`, a prescription of `protocol`
    (the same id, the version it has now) dated and starting `today`; `earlier_file` is the
    earlier prescription's file as the follow-up names it (from its folder), or None."""
    day = today.isoformat()
    follows: dict[str, str] = {"date": earlier["date"]}
    if earlier_file:
        follows["file"] = earlier_file
    document: dict[str, Any] = {
        "$schema": earlier["$schema"],
        "protocol": {"id": protocol.id, "version": protocol.version},
    }
    for key, value in earlier.items():
        if key in NOT_COPIED:
            if key == "start_date":
                document.update(date=day, start_date=day, follows=follows)
            continue
        document[key] = copy.deepcopy(value)
    for measure in document.get("measures", ()):
        # A baseline without a date is the prescription's date (the schema's rule): copied as
        # it was, it would read as measured today, at the follow-up.
        measure["baseline"].setdefault("date", earlier["date"])
    if protocol.screening:
        answers = earlier_answers(earlier)
        document["screening"] = {
            q.id: f"{TODO} yes or no{f' ({answers[q.id]})' if q.id in answers else ''}: "
            f"{q.question.get(protocol.language)}"
            for q in protocol.screening
        }
    return document


def asks_for_the_prescriber_phone(prescription: Mapping[str, Any]) -> bool:
    """Whether the prescriber is asked for the number the patient reaches them on: the
    prescription started from (a new one; a follow-up, its therapist copied from the earlier
    prescription) gives none. Of a follow-up, `new prescription --from` says so and takes
    `--phone`; the workbench's follow-up form puts the box under the prescriber's name, as
    its new prescription's does: it had no box, where the command copied a number given
    (H1541)."""
    therapist = prescription.get("therapist")
    return isinstance(therapist, Mapping) and "phone" not in therapist


def earlier_answers(earlier: Mapping[str, Any]) -> dict[str, str]:
    """Each screening answer of the earlier prescription as a follow-up shows it beside its
    question, by question id: "on 2026-11-20: no"."""
    return {
        question: f"on {earlier['date']}: {answer}"
        for question, answer in earlier.get("screening", {}).items()
    }


def version_change(earlier: Mapping[str, Any], protocol: Protocol) -> str | None:
    """The protocol version the earlier prescription was of, when it is not the protocol's
    version now; None when it is the same or was not named."""
    version = earlier["protocol"].get("version")
    return version if version is not None and version != protocol.version else None


def exercises_gone(earlier: Mapping[str, Any], protocol: Protocol) -> list[str]:
    """The exercises the earlier prescription's overrides name that the protocol no longer
    has (it changed since)."""
    return [
        o["exercise"]
        for o in earlier.get("overrides", ())
        if protocol.exercise(o["exercise"]) is None
    ]


def changes_since(
    earlier: Mapping[str, Any], protocol: Protocol, protocol_file: str, checked_by: str
) -> list[str]:
    """What the therapist is told of a protocol changed since the earlier prescription, by
    `new prescription --from` and by the workbench's follow-up form (which said nothing, and
    a therapist gave a sheet of a version not read, H1437): the versions, and each overridden
    exercise the protocol no longer has (`checked_by` reports those overrides)."""
    said = []
    version = version_change(earlier, protocol)
    if version is not None:
        said.append(
            f"The protocol has changed since: the earlier prescription was of version "
            f"{version}, this one is of version {protocol.version}. Read what changed "
            f"({protocol_file}) before giving the new sheet."
        )
    gone = exercises_gone(earlier, protocol)
    if gone:
        said.append(
            "The protocol no longer has "
            + ", ".join(f"'{g}'" for g in gone)
            + f": delete or change the override of each ({checked_by} reports them)."
        )
    return said
