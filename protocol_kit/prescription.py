"""Checks of a prescription file that its schema cannot express: dates in order, a plausible
date of birth, and no `TODO` left from `protokit new prescription`.

`protokit validate` reports them as findings (with line and column), and `protokit render`
refuses a prescription that has any, so a sheet never shows a programme that starts before it
was prescribed, a patient born in the future, or "TODO: the patient's full name".

Whether an override may have both `"omit": true` and a `dosage` is in the schema itself
(`schemas/prescription.schema.json`), so that editors flag it too. An override with
`"omit": false` and no dosage (RX017) is valid under the schema but changes nothing: the
clinician who meant to leave the exercise out would see it printed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from protocol_kit.findings import Finding, shown
from protocol_kit.lint.placeholders import placeholder_in
from protocol_kit.loading import iter_strings
from protocol_kit.templates import GOAL_TODO, PRESCRIPTION_GUIDANCE, TODO_WORD
from protocol_kit.validation import wants_structure

DATES_OUT_OF_ORDER = "RX001"
IMPLAUSIBLE_BIRTH_DATE = "RX002"
PLACEHOLDER = "RX003"
OVERRIDE_CHANGES_NOTHING = "RX017"
IMPLAUSIBLE_DATE = "RX020"
PHONE_READ_OTHERWISE = "RX026"
UNPRINTABLE_CODE = "TEXT004"  # the protocols' rule, for the same characters

OLDEST_PATIENT_YEARS = 120
# A prescription dated tomorrow may be today where it was written (another time zone).
CLOCKS_APART = dt.timedelta(days=1)

# (field, the field it must not come before, what it would mean). Checked in this order; a
# field is reported once, for the first rule it breaks.
DATE_ORDER: tuple[tuple[str, str, str], ...] = (
    ("start_date", "date", "the programme would start before it was prescribed"),
    ("review_date", "start_date", "the patient would be reviewed before the programme starts"),
    ("review_date", "date", "the patient would be reviewed before it was prescribed"),
)


def prescription_findings(
    data: Mapping[str, Any],
    schema_findings: Sequence[Finding],
    today: dt.date | None = None,
) -> list[Finding]:
    """Every problem of a prescription: its schema findings and the checks above.

    A `TODO` placeholder is reported whatever else is wrong, and stands in for the schema's
    complaint about the same value (a date of birth written "TODO: YYYY-MM-DD" is a placeholder
    to fill in, not a badly written date). The cross-field checks need a schema-valid file.
    """
    placeholders = list(placeholder_findings(data))
    # Never in place of the schema's finding: each reads one value as it is written.
    unprintable = [*unprintable_findings(data), *telephone_findings(data)]
    filled_in = {f.pointer for f in placeholders}
    # A placeholder stands in for the schema's complaint about its value, never for a missing
    # object or list: the checks below read the document's shape.
    remaining = [f for f in schema_findings if f.pointer not in filled_in or wants_structure(f)]
    if remaining:
        return placeholders + unprintable + remaining
    from protocol_kit.prescribing.fit import outcome_findings

    found = list(date_findings(data, today or dt.date.today()))
    found += override_findings(data)
    if not placeholders:  # a score still to fill in has no range to check yet
        found += outcome_findings(data)
    return placeholders + unprintable + found


def unprintable_findings(value: Any) -> Iterator[Finding]:
    """TEXT004, as for a protocol, for every string holding a character the sheet cannot
    print (a control or direction character, a soft hyphen, a letter the font lacks) or a word
    that mixes alphabets (H645): found
    by `validate`, not only by `render` when the therapist prints for the patient."""
    from protocol_kit.lint.rules.unprintable_character import text_problem

    for pointer, text in iter_strings(value):
        message = text_problem(text)
        if message is not None:
            yield Finding("", UNPRINTABLE_CODE, message, pointer=pointer)


def telephone_findings(data: Any) -> Iterator[Finding]:
    """RX026: the prescriber's telephone (`therapist.phone`) with a letter or another kind of
    digit touching its digits ("0l13 496 0124"), which the schema's pattern passes: the
    check of the clinic's own numbers (`untrusted.telephone`, H707), for the number printed
    beside the prescriber's name (H1540)."""
    from protocol_kit.untrusted.telephone import dialled_problem

    therapist = data.get("therapist") if isinstance(data, Mapping) else None
    phone = therapist.get("phone") if isinstance(therapist, Mapping) else None
    problem = dialled_problem(phone) if isinstance(phone, str) else None
    if problem is not None:
        yield Finding(
            "", PHONE_READ_OTHERWISE, f"{shown(phone)} {problem}", pointer="/therapist/phone"
        )


def placeholder_findings(value: Any) -> Iterator[Finding]:
    """A finding for every string holding `TODO`, at its JSON pointer; for a text that still
    holds the template's guidance with only the TODO deleted (it would print on the sheet as
    the patient's goal, the therapist's name...); and for a placeholder of another kind
    ("TBC", "XXX", "[patient name]", "todo: ...", "xx"): the vocabulary TEXT003 reads too
    (`protocol_kit.lint.placeholders`)."""
    for pointer, text in iter_strings(value):
        goal = GOAL_POINTER.fullmatch(pointer) is not None
        what = GOAL_TODO if goal else "fill it in"
        if TODO_WORD.search(text):
            yield Finding(
                "", PLACEHOLDER, f"placeholder left: {shown(text)}: {what}", pointer=pointer
            )
        elif _guidance_left(text):
            instead = "the patient's goal" if goal else "what the sheet should say"
            yield Finding(
                "",
                PLACEHOLDER,
                f"placeholder left: {shown(text)} is the template's guidance, not {instead}: "
                f"{what}",
                pointer=pointer,
            )
        elif placeholder_in(text):
            yield Finding(
                "",
                PLACEHOLDER,
                f"placeholder left: {shown(text)} stands in for what the sheet should say: {what}",
                pointer=pointer,
            )


# A goal's text, written as one string or as one entry per language.
GOAL_POINTER = re.compile(r"/goals/[0-9]+/text(?:/[^/]+)?")


def placeholder_left(text: str) -> bool:
    """Whether RX003 reports `text` as a placeholder (`placeholder_findings`): the other
    checks leave such a text to it."""
    return bool(TODO_WORD.search(text) or _guidance_left(text) or placeholder_in(text))


def _bare(words: str) -> str:
    return " ".join(words.casefold().replace(":", " ").split()).strip(" .'\"")


# The template's guidance texts, compared without case, spaces and the marks around them.
_GUIDANCE = tuple(_bare(text) for text in PRESCRIPTION_GUIDANCE)


def _guidance_left(text: str) -> bool:
    """Whether a text holds one of the template's guidance texts (`PRESCRIPTION_GUIDANCE`),
    its TODO deleted: alone, or with the therapist's words written beside it."""
    bare = _bare(text)
    return any(guide in bare for guide in _GUIDANCE)


def leave_out_in_the_form(exercise: str) -> str:
    """How the workbench's form leaves `exercise` out (the tick at its entry): said in a
    finding's `form_message` where the command line says to write `"omit": true`."""
    return f"tick \u201cLeave {exercise} out of this patient's sheet\u201d at its entry"


def override_findings(data: Mapping[str, Any]) -> Iterator[Finding]:
    """RX017: an override that neither leaves its exercise out nor changes its dosage. The
    schema asks for `omit` or `dosage`; `"omit": false` alone meets it and does nothing (a
    form's unticked box writes it)."""
    for index, override in enumerate(data.get("overrides", ())):
        if (
            isinstance(override, dict)
            and override.get("omit") is False
            and "dosage" not in override
        ):
            exercise = shown(str(override.get("exercise")))
            yield Finding(
                "",
                OVERRIDE_CHANGES_NOTHING,
                f"this override of {exercise} changes nothing: "
                '"omit": false keeps the exercise; write "omit": true to leave it out, give a '
                '"dosage" to change it, or delete the override',
                pointer=f"/overrides/{index}/omit",
                form_message=f"this entry of {exercise} changes nothing: "
                f"{leave_out_in_the_form(exercise[1:-1])} to leave it out, add its dosage "
                "(Optional fields) to change it, or remove the entry (Delete Change)",
            )


def date_findings(data: Mapping[str, Any], today: dt.date) -> Iterator[Finding]:
    """Dates out of order, and a date of birth in the future or too long ago, in a
    prescription that is schema-valid but for its placeholders (a date still to fill in is
    left out of the comparisons)."""
    dates = {key: _date(data.get(key)) for key in _DATE_FIELDS}
    reported: set[str] = set()
    for later, earlier, meaning in DATE_ORDER:
        if later in reported or dates[later] is None or dates[earlier] is None:
            continue
        if dates[later] < dates[earlier]:
            reported.add(later)
            yield Finding(
                "",
                DATES_OUT_OF_ORDER,
                f"{later} {dates[later]} is before {earlier} {dates[earlier]}: {meaning}; "
                "check the dates",
                pointer=f"/{later}",
            )
    yield from _far_dates(dates, reported, today)
    yield from _follows_later(data, dates["date"])
    if dates["date"] is not None:
        yield from _far_aims(data, dates["date"])
    patient = data.get("patient")
    birth = _date(patient.get("date_of_birth")) if isinstance(patient, dict) else None
    if birth is not None and dates["date"] is not None:
        problem = birth_date_problem(birth, dates["date"], today)
        if problem:
            yield Finding("", IMPLAUSIBLE_BIRTH_DATE, problem, pointer="/patient/date_of_birth")


_DATE_FIELDS = ("date", "start_date", "review_date")


def _follows_later(data: Mapping[str, Any], written: dt.date | None) -> Iterator[Finding]:
    """RX001 for a prescription that follows one written after it: the sheet would print
    "follows the prescription of" a date still to come, a mistyped year or the wrong file."""
    follows = data.get("follows")
    earlier = _date(follows.get("date")) if isinstance(follows, dict) else None
    if earlier is not None and written is not None and earlier > written:
        yield Finding(
            "",
            DATES_OUT_OF_ORDER,
            f"follows date {earlier} is after date {written}: the prescription it follows "
            "would be written after it; check the dates",
            pointer="/follows/date",
        )


def _far_dates(
    dates: Mapping[str, dt.date | None], reported: set[str], today: dt.date
) -> Iterator[Finding]:
    """RX020: a prescription dated in the future or more than 120 years ago, or starting
    or reviewed more than a year after its date. Each is a mistyped year (2099 for 2026) that
    the order of the dates cannot show: the sheet would tell the patient to start in 2099."""
    written = dates["date"]
    if written is None:
        return
    if written > today + CLOCKS_APART:
        problem = (
            f"is in the future (today is {today}): a prescription is dated the day it is written"
        )
        yield _date_finding("date", f"date {written} {problem}; check the year")
    elif _years_between(written, today) > OLDEST_PATIENT_YEARS:
        problem = f"is more than {OLDEST_PATIENT_YEARS} years ago"
        yield _date_finding("date", f"date {written} {problem}; check the year")
    for later in ("start_date", "review_date"):
        when = dates[later]
        if later not in reported and when is not None and when > _same_day_years_on(written, 1):
            problem = f"is more than a year after the prescription's date {written}"
            yield _date_finding(later, f"{later} {when} {problem}; check the year")


# How far after the prescription's date a measure's target and a goal may be. A target is
# measured by the re-tests, which are inside the programme (at most 52 weeks), and the
# programme is reviewed within a year (RX020 above), so a target later than that cannot be
# checked by this prescription. A goal may outlast the programme and its review; two years
# leaves room for that, and one further off can be said in the goal's own words.
TARGET_WITHIN_YEARS = 1
GOAL_WITHIN_YEARS = 2


def _far_aims(data: Mapping[str, Any], written: dt.date) -> Iterator[Finding]:
    """RX020: a measure's target or a goal dated further after the prescription than a
    programme can reach: a mistyped year (2099 for 2026) printed on the sheet as the date the
    patient aims for."""
    aims: list[tuple[str, Any, int, str]] = []
    for index, item in enumerate(data.get("measures", ())):
        target = item.get("target") if isinstance(item, dict) else None
        if isinstance(target, dict):
            aims.append(
                (f"/measures/{index}/target/by", target.get("by"), TARGET_WITHIN_YEARS, "target")
            )
    for index, goal in enumerate(data.get("goals", ())):
        if isinstance(goal, dict):
            aims.append((f"/goals/{index}/by", goal.get("by"), GOAL_WITHIN_YEARS, "goal"))
    for pointer, value, years, what in aims:
        when = _date(value)
        if when is not None and when > _same_day_years_on(written, years):
            span = "a year" if years == 1 else f"{years} years"
            yield Finding(
                "",
                IMPLAUSIBLE_DATE,
                f"{what} date {when} is more than {span} after the prescription's date "
                f"{written}; check the year",
                pointer=pointer,
            )


def _date_finding(field: str, message: str) -> Finding:
    return Finding("", IMPLAUSIBLE_DATE, message, pointer=f"/{field}")


def _years_between(earlier: dt.date, later: dt.date) -> int:
    """Whole years from `earlier` to `later` (an age on a birthday's reckoning)."""
    before_anniversary = (later.month, later.day) < (earlier.month, earlier.day)
    return later.year - earlier.year - before_anniversary


def _same_day_years_on(day: dt.date, years: int) -> dt.date:
    """`years` years after `day`; 29 February's, in a year without one, is 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _date(value: Any) -> dt.date | None:
    """A date the schema accepts; None for one not given or still a placeholder."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def birth_date_problem(birth: dt.date, prescribed: dt.date, today: dt.date) -> str | None:
    """What is wrong with a date of birth, or None: after today or after the prescription's
    date, or more than OLDEST_PATIENT_YEARS before the prescription's date."""
    where = f"date_of_birth {birth}"
    if birth > today:
        return f"{where} is in the future: check the year"
    if birth > prescribed:
        return f"{where} is after the prescription's date {prescribed}: check the year"
    age = _years_between(birth, prescribed)
    if age > OLDEST_PATIENT_YEARS:
        return (
            f"{where} would make the patient {age} years old on {prescribed} (more than "
            f"{OLDEST_PATIENT_YEARS}): check the year"
        )
    return None
