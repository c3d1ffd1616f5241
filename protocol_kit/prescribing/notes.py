"""The checks of a prescription's notes, which the sheet prints for the patient under the
clinician's name: they are read like the protocol's own advice.

RX015: a note that names a red-flag sign must send the patient as far as the sign needs ("if
you get chest pain, ring me" sends a possible heart attack to a phone call with the
physiotherapist), and must not play it down ("call 999 or your physiotherapist"), judged the way
lint rule SAFE006 judges general advice.
RX016: a note that names one of the protocol's exercises and gives it a number (a hold,
repetitions, sets) must agree with that exercise's dosage for this patient (the protocol's,
the prescription's override, or one of the stages'), judged the way lint rule DOSE005 judges
an exercise's steps. A sentence naming two exercises is not compared: its numbers could belong to
either.
RX018: a note, or another text the sheet prints from the prescription in the clinician's words
(an override's or a stage's "how it should feel", a stage's rule for moving on), must not tell
the patient to ignore pain ("push through the pain"), judged as lint rule SAFE013 judges the
protocol's texts, nor set a pain the protocol's pain guide says means stop as a level to
exercise at ("aim for a pain of 7 out of 10"), judged as SAFE014 judges them; a note or a
stage's rule must send a red-flag sign as far as it needs too (RX015; an intensity describes
pain, "a stretch across your chest, never pain", not a sign).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from protocol_kit.findings import Finding, shown
from protocol_kit.loading import number_text
from protocol_kit.model import Exercise, Protocol
from protocol_kit.patterns import ONE_APOSTROPHE, compiled
from protocol_kit.redflags import ACTION_RANK, reaches, red_flag_sets, routing_words, stated_level

NOTE_ROUTING = "RX015"
NOTE_DOSAGE = "RX016"
NOTE_IGNORES_PAIN = "RX018"
HIDDEN = "TEXT004"  # the protocols' rule: a text the checks read otherwise than the patient


def note_findings(data: Mapping[str, Any], protocol: Protocol) -> Iterator[Finding]:
    stop_above = protocol.safety.pain_guide.amber_max
    # Where the protocol's families send a sign other than its own (a fever in pregnancy to
    # the maternity unit, H1032): a note is read as SAFE006 reads the sheet.
    sets = red_flag_sets()
    actions = sets.item_actions(sets.families_for(protocol.indications))
    for what, language, value, pointer in printed_texts(data, protocol.language):
        yield from _safety(what, language, value, pointer, actions)
        yield from _pain_target(what, language, value, pointer, stop_above)
        if what == "note":
            yield from _dosage(value, language, pointer, data, protocol)


def findings_without_protocol(data: Mapping[str, Any]) -> Iterator[Finding]:
    """RX015 and RX018 for a prescription whose protocol was not found (RX008): they need only
    the texts and their language, and a note telling the patient to push through pain must
    not pass `validate` because the protocol lives elsewhere. A text written as one string is
    in the protocol's language, which is not known here: it is read in each language the
    checks know, English first, and the first language that finds something is reported."""
    for what, language, value, pointer in printed_texts(data, ""):
        for each in [language] if language else _checked_languages():
            found = list(_safety(what, each, value, pointer))
            if found:
                yield from found
                break


def _safety(
    what: str, language: str, value: str, pointer: str, actions: tuple = ()
) -> Iterator[Finding]:
    """RX015 and RX018 of one printed text; when it passes them as written, TEXT004 if it
    fails them as the patient reads it: without accents (an English text) or the marks
    inside its words ("push thróugh the pain", "if you get ch–est pain": H703, H704)."""
    found = list(_safety_as_written(what, language, value, pointer, actions))
    if found or not language:
        yield from found
        return
    from protocol_kit.lint.rules.unprintable_character import text_problem
    from protocol_kit.untrusted.accents import hidden_red_flag_message, hidden_red_flags

    if text_problem(value) is not None:
        return  # refused already for a character it holds (`unprintable_findings`): said once
    items = hidden_red_flags(value, language) if what != "intensity" else ()
    if items:
        message = hidden_red_flag_message(value, items)
        yield Finding("", HIDDEN, f"{what} {shown(value)}: {message}", pointer=pointer)
        return
    from protocol_kit.untrusted.readings import RETYPE, plain_reading

    plain = plain_reading(value, language)
    if plain == value:
        return
    for hidden in _safety_as_written(what, language, plain, pointer, actions):
        yield Finding(
            "",
            HIDDEN,
            f"{what} {shown(value)}, read as the patient reads it (without the accents or the "
            f"marks inside its words), fails {hidden.code}: {hidden.message}; {RETYPE}",
            pointer=pointer,
        )
        return


def _safety_as_written(
    what: str, language: str, value: str, pointer: str, actions: tuple = ()
) -> Iterator[Finding]:
    """RX015 and RX018 of one printed text, as written; `actions`, the sheet's
    `RedFlagSets.item_actions`."""
    if what != "intensity":  # "a stretch across your chest, never pain": no sign named
        yield from _routing(value, language, pointer, what, actions)
    yield from _ignored_pain(value, language, pointer, what)


def _checked_languages() -> list[str]:
    from protocol_kit.lint.rules.ignore_pain import languages

    known = {*languages(), *red_flag_sets().pattern_languages}
    return sorted(known, key=lambda tag: (tag != "en", tag))


def printed_texts(data: Mapping[str, Any], language: str) -> Iterator[tuple[str, str, str, str]]:
    """(what, language, text, JSON pointer) of each text the sheet prints from the
    prescription in the clinician's words: the notes, each override's and stage's intensity
    ("how it should feel") and each stage's rule for moving on. A text is a string in the
    protocol's `language`, or one string per language."""

    def each(what: str, text: Any, pointer: str) -> Iterator[tuple[str, str, str, str]]:
        if isinstance(text, Mapping):
            for tag, value in text.items():
                if isinstance(value, str):
                    yield what, tag, value, f"{pointer}/{tag}"
        elif isinstance(text, str):
            yield what, language, text, pointer

    # The workbench reads the texts of a prescription its schema has not passed yet (a
    # form's check, with the protocol not found or not valid): a part of another shape is
    # the schema's finding, not read here (an override `0` was an internal error, H1521).
    for index, note in enumerate(_items(data.get("notes"))):
        yield from each("note", note, f"/notes/{index}")
    for index, override in enumerate(_items(data.get("overrides"))):
        dosage = _members(_members(override).get("dosage"))
        yield from each(
            "intensity", dosage.get("intensity"), f"/overrides/{index}/dosage/intensity"
        )
    for index, stage in enumerate(_items(data.get("stages"))):
        stage = _members(stage)
        yield from each("stage rule", stage.get("entry"), f"/stages/{index}/entry")
        for exercise_id, dosage in _members(stage.get("dosage")).items():
            at = f"/stages/{index}/dosage/{exercise_id}/intensity"
            yield from each("intensity", _members(dosage).get("intensity"), at)


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _members(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _ignored_pain(value: str, language: str, pointer: str, what: str) -> Iterator[Finding]:
    from protocol_kit.lint.rules.ignore_pain import ignored_pain

    phrase = ignored_pain(value, language.split("-")[0])
    if phrase:
        yield Finding(
            "",
            NOTE_IGNORES_PAIN,
            f"{what} {shown(value)}: {shown(phrase)} tells the patient to ignore pain or exercise "
            "through it, against the sheet's stop criteria and pain guide: say how much "
            "discomfort is acceptable and when to stop",
            pointer=pointer,
        )


def _pain_target(
    what: str, language: str, value: str, pointer: str, stop_above: int
) -> Iterator[Finding]:
    """RX018 too: a pain the protocol's pain guide says means stop, given as a level to
    exercise at ("aim for a pain of 7 out of 10"), judged as lint rule SAFE014 judges the
    protocol's texts (H392)."""
    from protocol_kit.lint.rules.pain_target import pain_targets

    described = what == "intensity"
    for clause, score in pain_targets(value, language.split("-")[0], described):
        if score > stop_above:
            yield Finding(
                "",
                NOTE_IGNORES_PAIN,
                f"{what} {shown(value)}: {shown(clause)} sets a pain of {score} out of 10 as a "
                f"level to exercise at, but the protocol's pain guide says stop above "
                f"{stop_above}: give a level within the pain guide's bands",
                pointer=pointer,
            )
            return


def _routing(
    value: str, language: str, pointer: str, what: str, actions: tuple = ()
) -> Iterator[Finding]:
    sets = red_flag_sets()
    level = stated_level(value)
    named = tuple(sets.named_in(value, language))
    needed = [(i, sets.needed(i, actions)) for i in named]
    needed = [(i, action) for i, action in needed if not reaches(level, action)]
    if not needed:
        yield from _played_down(value, language, pointer, what, named, actions)
        return
    worst, action = max(needed, key=lambda pair: ACTION_RANK[pair[1]])
    sends = "nothing more than the clinician" if level == "clinician" else f"only '{level}'"
    yield Finding(
        "",
        NOTE_ROUTING,
        f"{what} {shown(value)} names {sets.items[worst].summary}, which needs '{action}' "
        f"({sets.actions[action]}), but the note says {sends}: say in the note where to "
        "go, or leave the sign to the protocol's red flags",
        pointer=pointer,
    )


def _played_down(
    value: str, language: str, pointer: str, what: str, named: tuple[str, ...], actions: tuple
) -> Iterator[Finding]:
    """A note sent as far as its sign needs, but whose words say it can wait ("call 999 if it
    persists after resting", "call 999 or your physiotherapist"), read as SAFE006 reads the
    protocol's advice (H599): the note prints under the clinician's name. English words only,
    as SAFE006's."""
    if language.split("-")[0] != "en":
        return
    sets = red_flag_sets()
    serious = [(sets.items[i], sets.needed(i, actions)) for i in named]
    serious = [(item, action) for item, action in serious if action != "clinician"]
    if not serious:
        return
    words = routing_words().played_down(value)
    negation = routing_words().plays_down_negation
    searched: set[int] = set()  # the patterns the items share, each searched once
    for item, _ in serious:  # an item's own words ("chest pain that does not ease with rest")
        words = words or item.played_down(value, language, negation, searched)
    if words is None:
        return
    worst, action = max(serious, key=lambda pair: ACTION_RANK[pair[1]])
    yield Finding(
        "",
        NOTE_ROUTING,
        f"{what} {shown(value)} names {worst.summary}, which needs '{action}' "
        f"({sets.actions[action]}), but {shown(words)} plays it down: the patient would "
        "read a reason to wait; take those words out",
        pointer=pointer,
    )


def _dosage(
    value: str, language: str, pointer: str, data: Mapping[str, Any], protocol: Protocol
) -> Iterator[Finding]:
    if language.split("-")[0] != "en":  # numbers are read with English units
        return
    for sentence in _SENTENCE_END.split(value):
        named = [e for e in protocol.exercises if _names(sentence, e)]
        if len(named) == 1:
            yield from _contradictions(value, sentence, named[0], pointer, data, protocol)
        elif not named:
            yield from _programme_frequency(value, sentence, pointer, data, protocol)


# Numbers are read with the exercise the same sentence names: "Bridge 10 repetitions; stretch
# 30 seconds" gives each its own.
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|;")


def _contradictions(
    value: str,
    sentence: str,
    exercise: Exercise,
    pointer: str,
    data: Mapping[str, Any],
    protocol: Protocol,
) -> Iterator[Finding]:
    from protocol_kit.lint.rules.dosage_text import amounts, dosage_field

    doses = _doses(exercise, data, protocol)
    for amount in amounts(sentence):
        field = dosage_field(exercise, amount.field)
        prescribed = _contradicted(amount, [d[field] for d in doses if d.get(field) is not None])
        if prescribed is None:
            continue
        yield Finding(
            "",
            NOTE_DOSAGE,
            f"note {shown(value)} says {shown(amount.words)} for exercise '{exercise.id}', but "
            f"its dosage for this patient is {prescribed} ({field.replace('_', ' ')}): "
            + _CHANGE_THE_DOSAGE,
            pointer=pointer,
        )


# What a note that contradicts the dosage should become instead.
_CHANGE_THE_DOSAGE = (
    "change the dosage with an override, where it is checked against the safe limits, and "
    "take the number out of the note"
)


def _contradicted(amount: Any, given: list[float]) -> str | None:
    """The prescribed values, as the message shows them, when none is what the note says."""
    if not given or any(amount.low <= v <= amount.high for v in given):
        return None
    return " or ".join(dict.fromkeys(number_text(v) for v in given))


def _programme_frequency(
    value: str, sentence: str, pointer: str, data: Mapping[str, Any], protocol: Protocol
) -> Iterator[Finding]:
    """A sentence naming no exercise speaks of the whole programme: how often it says to do
    the exercises ("do your exercises twice a week") must be how often at least one of them
    is prescribed, or the note and the dosage grid give the patient two schedules."""
    from protocol_kit.lint.rules.dosage_text import FREQUENCY_FIELDS, amounts

    kept = [e for e in protocol.exercises if not _omitted(e, data)]
    for amount in amounts(sentence):
        if amount.field not in FREQUENCY_FIELDS:
            continue
        given = [d[amount.field] for e in kept for d in _doses(e, data, protocol)]
        prescribed = _contradicted(amount, given)
        if prescribed is None:
            continue
        yield Finding(
            "",
            NOTE_DOSAGE,
            f"note {shown(value)} says {shown(amount.words)} for the exercises, but their "
            f"dosage for this patient is {prescribed} ({amount.field.replace('_', ' ')}): "
            + _CHANGE_THE_DOSAGE,
            pointer=pointer,
        )


def _omitted(exercise: Exercise, data: Mapping[str, Any]) -> bool:
    return any(
        o.get("exercise") == exercise.id and o.get("omit") for o in data.get("overrides", ())
    )


def _names(note: str, exercise: Exercise) -> bool:
    """Whether the note names the exercise: its name (in any of its languages), or its id with
    spaces for hyphens."""
    wanted = [*exercise.name.values.values(), exercise.id.replace("-", " ")]
    text = _comparable(note)
    return any(w and _comparable(w) in text for w in wanted)


# Each way of typing an apostrophe as the ASCII one, and each hyphen or dash between words as a
# space: a note typed on a phone ("the lifter’s bridge", "knee‑to‑chest") named no exercise,
# so the numbers it gave were read as the whole programme's and a dose the grid contradicts
# was printed beside it without a word (H687).
_BETWEEN_WORDS = compiled("[\\s\\-\u2010\u2011\u2013]+")


def _comparable(text: str) -> str:
    return _BETWEEN_WORDS.sub(" ", text.casefold().translate(ONE_APOSTROPHE))


def _doses(exercise: Exercise, data: Mapping[str, Any], protocol: Protocol) -> list[dict]:
    """The exercise's dosage fields for this patient: the protocol's with the override, and
    each stage's (the prescription's stages replace the protocol's)."""
    base = exercise.dosage.fields()
    for override in data.get("overrides", ()):
        if override["exercise"] == exercise.id:
            base = {**base, **override.get("dosage", {})}
    stages = [s.get("dosage", {}) for s in data.get("stages", ())] or [
        s.dosage for s in protocol.stages
    ]
    return [base, *({**base, **s[exercise.id]} for s in stages if exercise.id in s)]
