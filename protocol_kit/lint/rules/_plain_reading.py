"""The safety rules run again on the protocol as a patient reads it (H704).

"Ignóre the pain", "Keep go–ing through the pain", "Chest pain: go to A&E in the mórning"
print as the words every safety rule knows, yet the rules read "Ignóre", "go–ing", "mórning"
as words they do not, and the texts passed. Each rule's words could be given the accented and
broken spellings, rule by rule; instead the protocol is read once more in its plain reading
(`untrusted.readings.plain_reading`: without the marks inside its words, and an English text
without its accents), the rules that keep a patient safe are run on that reading, and what
they find there and not in the protocol as written is TEXT004's error: the text must be typed
again. A file none of whose texts has such a mark or accent (nearly every file) costs one
look at each text, shared with the other rules (`text_check`).
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lint.base import Context, Problem, Rule, text_check, texts_may_hold
from protocol_kit.model import Protocol, Text
from protocol_kit.record import Record, init, replace
from protocol_kit.untrusted.readings import RETYPE, plain_reading

if TYPE_CHECKING:
    from typing import Any

    Place = tuple[str, str | None]


# The readings tell a letter from a digit (`[^\\W\\d_]`, `\\b`), never one digit from another.
PLAIN_READING = text_check(
    lambda value, language: plain_reading(value, language) != value, digits=()
)


def problems_in_plain_reading(
    protocol: Protocol, context: Context, rules: list[Rule], reported: set[Place]
) -> Iterator[Problem]:
    """A TEXT004 problem for each problem one of `rules` finds in the protocol's plain reading
    and not as written (by rule and place), except at the places in `reported` (said already
    by the red flags' own reading, `untrusted.accents`). A place is a problem's `place_of`:
    every text of a library exercise is reported at the protocol's one reference to it, so
    by that pointer alone a zero-width space in its muscles hid an "Ignóre the pain" in its
    steps (H1048)."""
    if not texts_may_hold(protocol, context, PLAIN_READING):
        return
    plain = plain_copy(protocol)
    if plain is protocol:
        return
    # Run with a memo of their own: the run's answers are kept under keys of the file's
    # content as written (its JSON, its library files), which the plain reading shares.
    own_memo = type(context.memo)()
    for rule in rules:
        options = dict(rule.options)
        written_context = _like(context, options, context.memo, context.per_file)
        written = {place_of(p) for p in rule.check(protocol, written_context)}
        for problem in rule.check(plain, _like(context, options, own_memo, {})):
            place = place_of(problem)
            if place in written or place in reported:
                continue
            reported.add(place)
            message = _message(rule.code, problem.message)
            yield Problem(problem.pointer, message, in_library=problem.in_library)


def place_of(problem: Problem) -> Place:
    """Where a problem is: its pointer in the protocol file and, for a text of a library
    exercise, its pointer in that file (`Problem.in_library`)."""
    place = problem.in_library
    return problem.pointer, None if place is None else place.pointer


def _like(context: Context, options: dict[str, Any], memo: Any, per_file: dict) -> Context:
    return replace(context, options=options, memo=memo, per_file=per_file)


def _message(code: str, message: str) -> str:
    return (
        "read as the patient reads it, without the accents or the dashes, dots and other "
        f"marks inside its words, the text fails {code} ({message}), which no check reads "
        f"as written: {RETYPE}"
    )


def plain_copy(value: Any) -> Any:
    """`value` (the protocol, or any part of it) with each of its texts in its plain reading;
    the same object where nothing changes, so that parts alike stay shared."""
    if isinstance(value, Text):
        values = {tag: plain_reading(text, tag) for tag, text in value.values.items()}
        if values == dict(value.values):
            return value
        return Text(values, value.origin)
    if isinstance(value, tuple):
        items = tuple(plain_copy(item) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, Record):
        slots = type(value).__slots__
        fields = [getattr(value, name) for name in slots]
        copied = [plain_copy(field) for field in fields]
        if all(a is b for a, b in zip(copied, fields, strict=True)):
            return value
        record = object.__new__(type(value))
        for name, field in zip(slots, copied, strict=True):
            init(record, name, field)
        return record
    return value
