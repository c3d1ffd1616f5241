"""The checks of a prescription that need its protocol: the right protocol and version, each
override naming one of its exercises once, an overridden dosage within the safe limits and
on a side the exercise has, and something left to do."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from protocol_kit.dosage import dosage_problems
from protocol_kit.findings import Finding, Severity
from protocol_kit.model import Protocol
from protocol_kit.prescribing import fit
from protocol_kit.prescribing.followed_up import FollowUp
from protocol_kit.prescribing.notes import findings_without_protocol, note_findings
from protocol_kit.prescribing.stages import STAGED_WEEKS
from protocol_kit.prescription import OVERRIDE_CHANGES_NOTHING, leave_out_in_the_form
from protocol_kit.suggestions import did_you_mean
from protocol_kit.templates import TODO_WORD

WRONG_PROTOCOL = "RX004"
UNKNOWN_EXERCISE = "RX005"
UNSAFE_OVERRIDE = "RX006"
NOTHING_LEFT = "RX007"
PROTOCOL_NOT_FOUND = "RX008"
FOLLOWED_UP = "RX025"


def protocol_findings(
    data: Mapping[str, Any],
    protocol: Protocol,
    bounds: Mapping[str, Any] | None = None,
    follow_ups: Callable[[], list[FollowUp]] | None = None,
    printing: bool = False,
    command: str = "render",
) -> list[Finding]:
    """Every problem of a schema-valid prescription `data` as a prescription of `protocol`;
    `bounds` are the configuration's dosage bounds; `follow_ups`, the files that follow this
    prescription, asked only of one of another version. `printing`: `protocol` is the one
    given to print the sheet with (`render`, the workbench), which must be the version
    prescribed: a follow-up does not make another version right, it is the file to print.
    `command`: what the prescription is given to with `printing` ("render", "export"), which
    RX004 names."""
    return list(_findings(data, protocol, bounds or {}, follow_ups, printing, command))


def _findings(
    data: Mapping[str, Any],
    protocol: Protocol,
    bounds,
    follow_ups: Callable[[], list[FollowUp]] | None = None,
    printing: bool = False,
    command: str = "render",
) -> Iterator[Finding]:
    source = protocol.origin.path
    wanted = data["protocol"]
    if wanted["id"] != protocol.id:
        yield _error(
            WRONG_PROTOCOL,
            f"prescribes protocol '{wanted['id']}', not '{protocol.id}' ({source})",
            "/protocol/id",
        )
        return
    version = wanted.get("version")
    following = follow_ups() if follow_ups and version not in (None, protocol.version) else []
    later = [follow_up.name for follow_up in following]
    if later and printing:
        yield _printed_under_another_version(version, protocol, following, command)
    elif later:
        # RX004 asks for a follow-up, and there is one: this file is the patient's record of
        # what they were given, which no one should edit to clear an error (H1547).
        yield Finding(
            "",
            FOLLOWED_UP,
            f"prescribes version {version} of '{protocol.id}' ({source} is version "
            f"{protocol.version}), and {_follow(later)} it: this prescription is the record "
            "of what the patient was given, kept as written; nothing to change here (each "
            f"follow-up is checked against the protocol as it is now){_one_kept(later)}",
            Severity.WARNING,
            pointer="/protocol/version",
        )
    elif version is not None and version != protocol.version:
        yield _error(
            WRONG_PROTOCOL,
            f"prescribes version {version} of '{protocol.id}', but {source} is version "
            f"{protocol.version}: a prescription the patient was given is their record: to "
            "give the programme as it is now, read what changed and write a follow-up "
            "(protokit new prescription --from this file); a prescription not given yet: "
            f'check it against what changed, then write "version": "{protocol.version}"',
            "/protocol/version",
        )
    overrides = data.get("overrides", ())
    under_precaution = fit.precaution_exercises(data.get("screening", {}), protocol)
    seen: set[str] = set()
    for index, override in enumerate(overrides):
        at = f"/overrides/{index}"
        exercise_id = override["exercise"]
        where = f"override (exercise '{exercise_id}')"
        exercise = protocol.exercise(exercise_id)
        if exercise is None:
            message = _not_in_protocol(where, exercise_id, protocol)
            yield _error(UNKNOWN_EXERCISE, message, f"{at}/exercise")
            continue
        if exercise_id in seen:
            yield _error(UNKNOWN_EXERCISE, f"{where}: a second override of the same exercise", at)
            continue
        seen.add(exercise_id)
        dosage = {
            k: v
            for k, v in override.get("dosage", {}).items()
            if k != "intensity" and not k.startswith("x-")
        }
        merged = {**exercise.dosage.fields(), **dosage}
        for problem in dosage_problems(exercise.type, merged, bounds):
            field = problem.field_among(dosage)
            if problem.severity is Severity.ERROR and field is not None:
                yield _error(UNSAFE_OVERRIDE, f"{where}: {problem.message}", f"{at}/dosage/{field}")
        if "weeks" in dosage and (data.get("stages") or protocol.stages):
            yield _error(
                fit.STAGE_PLAN,
                f"{where}: `weeks` would be printed in every stage beside the stage's own "
                "weeks: " + STAGED_WEEKS.format(weeks=dosage["weeks"]),
                f"{at}/dosage/weeks",
            )
        if exercise.unilateral and dosage.get("side") == "both":
            yield _error(
                UNSAFE_OVERRIDE,
                f"{where}: the exercise works one side at a time, but the override says side "
                "'both': write 'each' (or 'left' or 'right' for one side only)",
                f"{at}/dosage/side",
            )
        # Kept at the protocol's dosage under a precaution a yes brings in: the reason is
        # the record RX019 asks for, not a change forgotten.
        if (
            dosage
            and exercise_id not in under_precaution
            and _repeats_protocol(override, exercise.dosage.fields())
        ):
            yield Finding(
                "",
                OVERRIDE_CHANGES_NOTHING,
                f"{where}: the dosage is the protocol's own, so the sheet prints it unchanged "
                'although a reason is given: change the numbers, write "omit": true to leave '
                "the exercise out, or delete the override",
                Severity.WARNING,
                pointer=f"{at}/dosage",
                form_message=f"{where}: the dosage is the protocol's own, so the sheet prints it "
                "unchanged although a reason is given: change the numbers, "
                f"{leave_out_in_the_form(exercise_id)} to leave the exercise out, or remove the "
                "entry (Delete Change)",
            )
    if overrides and all(o.get("omit") for o in overrides) and len(seen) == len(protocol.exercises):
        yield _error(NOTHING_LEFT, f"leaves out every exercise of '{protocol.id}'", "/overrides")
    yield from fit.screening_findings(data, protocol)
    yield from fit.programme_findings(data, protocol)
    yield from fit.stage_findings(data, protocol, bounds)
    yield from note_findings(data, protocol)


def _repeats_protocol(override: Mapping[str, Any], protocol_dosage: Mapping[str, Any]) -> bool:
    """Whether an override's dosage gives every field the value the protocol has (and no
    intensity of its own): `protokit new prescription` writes each exercise so, and a
    therapist who writes the reason but not the new numbers would see the sheet print the
    protocol's dosage (H328). An override whose reason is still the template's `TODO` is left
    to RX003."""
    if override.get("omit") or TODO_WORD.search(str(override.get("reason", ""))):
        return False
    dosage = override.get("dosage", {})
    if "intensity" in dosage:
        return False
    return all(
        protocol_dosage.get(name) == value
        for name, value in dosage.items()
        if not name.startswith("x-")
    )


def _not_in_protocol(where: str, exercise_id: str, protocol: Protocol) -> str:
    """RX005's message: which protocol lacks the exercise, what it has, and the two ways on.
    "the protocol has no such exercise" left a therapist asking which protocol, and whether a
    prescription could add the exercise (it cannot: the protocol's review covers only its own
    exercises)."""
    ids = [e.id for e in protocol.exercises]
    return (
        f"{where}: protocol '{protocol.id}' version {protocol.version} has no exercise "
        f"'{exercise_id}'{did_you_mean(exercise_id, ids)} (it has: {', '.join(ids)}): correct "
        "the id, or delete this override; a prescription only changes or leaves out its "
        "protocol's own exercises (to give this patient another exercise, add it to the protocol)"
    )


# What RX004 says a refused prescription is not given to, by the command it was given to:
# `export fhir` said "render that one" and "its sheet is not printed" (H1621).
_NOT_GIVEN = {"render": "its sheet is not printed", "export": "it is not exported"}


def _printed_under_another_version(
    version: str, protocol: Protocol, following: list[FollowUp], command: str = "render"
) -> Finding:
    """RX004 on the sheet (or the export) of an earlier prescription that a later one of its
    folder follows: "write a follow-up" made a second follow-up of the same prescription
    (H1570). The sheet is still refused: it would print this version's programme under the
    new version. With two follow-ups, neither is named as the one to use: one of them was
    written from the wrong file (RX029 says so at each). A follow-up of an older version
    too is no sheet to print either: "render that one" was refused in turn (s41-users)."""
    later = [follow_up.name for follow_up in following]
    which = "that one" if len(later) == 1 else "the one the patient is on now"
    which += _one_kept(later, ", and")
    follows = f"{_follow(later)} it"
    to_print, in_the_form = f"{command} {which}", f"open {which} from Browse to print its sheet"
    older = following[0].version if len(following) == 1 else None
    if older not in (None, protocol.version):
        follows += f", of version {older} too"
        to_print = (
            "read what changed and write the next follow-up from that one (protokit new "
            f"prescription --from it), then {command} the new one"
        )
        in_the_form = (
            "read what changed, open that one from Browse and follow it up (Prescribe), then "
            "print the new one"
        )
    said = (
        f"prescribes version {version} of '{protocol.id}', but {protocol.origin.path} is "
        f"version {protocol.version}, and {follows}: "
    )
    kept = (
        "; this prescription is the record of what the patient was given, kept as written, "
        f"and {_NOT_GIVEN.get(command, _NOT_GIVEN['render'])} with another version"
    )
    return Finding(
        "",
        WRONG_PROTOCOL,
        f"{said}{to_print}{kept}",
        pointer="/protocol/version",
        form_message=f"{said}{in_the_form}{kept}",
    )


def _one_kept(
    later: list[str], said: str = "; but keep the follow-up the patient is on and"
) -> str:
    """What RX025 and RX004 add when several files follow one, where "that one" named none
    (H1623)."""
    if len(later) == 1:
        return ""
    return f"{said} delete the other (one prescription has one follow-up: RX029 at each)"


def _follow(files: list[str]) -> str:
    """The follow-ups named as the subject of "follow(s)": "'b.json' follows", "'b.json' and
    'c.json' follow"."""
    quoted = [f"'{name}'" for name in files]
    if len(quoted) == 1:
        return f"{quoted[0]} follows"
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] + " follow"


def _error(code: str, message: str, pointer: str) -> Finding:
    return Finding("", code, message, pointer=pointer)


def not_found(protocol_id: str) -> Finding:
    return Finding(
        "",
        PROTOCOL_NOT_FOUND,
        f"protocol '{protocol_id}' was not found beside this prescription or in a protocols "
        "or drafts folder above it, so its overrides were not checked against it (protokit render "
        "checks them when it prints the sheet)",
        Severity.WARNING,
        pointer="/protocol/id",
    )


def not_valid_yet(protocol_id: str) -> Finding:
    return Finding(
        "",
        PROTOCOL_NOT_FOUND,
        f"protocol '{protocol_id}' was found but is not valid yet, so its overrides were not "
        "checked against it: fix the protocol first (protokit validate lists its errors)",
        Severity.WARNING,
        pointer="/protocol/id",
        form_message=f"protocol '{protocol_id}' was found but is not valid yet, so the changes "
        "for this patient were not checked against it: fix the protocol first (open it from "
        "Browse: its Checks list its errors)",
    )


def without_protocol(data: Mapping[str, Any], protocol_id: str) -> list[Finding]:
    """What can be checked of a prescription whose protocol was not found: RX008, and the
    checks of its printed texts that need no protocol (RX015, RX018)."""
    return [not_found(protocol_id), *findings_without_protocol(data)]
