from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping

from protocol_kit.bounded import text_cache
from protocol_kit.findings import Severity
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    each_exercise_remembered,
    english,
    exercise_pointer,
    in_library,
    library_place,
    part_answer,
)
from protocol_kit.lint.rules._conditions import names
from protocol_kit.loading import number_text
from protocol_kit.model import Coding, Exercise, Pose, Protocol, Text
from protocol_kit.package_data import read_json
from protocol_kit.pattern_needs import cannot_match
from protocol_kit.patterns import compiled
from protocol_kit.record import Record, init
from protocol_kit.terminology.crosswalk import at_or_below


class ConditionMovement(Record):
    """A condition and the movement or position it needs care with (condition_movements.json)."""

    __slots__ = (
        "id", "names", "codes", "movement", "joints", "postures", "words", "held", "let_go",
        "sources",
    )  # fmt: skip
    id: str
    names: tuple[str, ...]
    codes: Mapping[str, tuple[str, ...]]
    movement: str
    joints: Mapping[str, Mapping[str, float]]  # joint -> movement -> the limit, degrees
    postures: frozenset[str]
    words: re.Pattern[str] | None
    # A support the starting position holds ("stand behind a chair, holding its back"), which
    # the words' movement needs none of while no step, cue or progression lets go of it (`let_go`).
    held: re.Pattern[str] | None
    let_go: re.Pattern[str] | None
    sources: tuple[str, ...]

    def __init__(
        self,
        id: str,
        names: tuple[str, ...],
        codes: Mapping[str, tuple[str, ...]],
        movement: str,
        joints: Mapping[str, Mapping[str, float]],
        postures: frozenset[str],
        words: re.Pattern[str] | None,
        held: re.Pattern[str] | None,
        let_go: re.Pattern[str] | None,
        sources: tuple[str, ...],
    ) -> None:
        init(self, "id", id)
        init(self, "names", names)
        init(self, "codes", codes)
        init(self, "movement", movement)
        init(self, "joints", joints)
        init(self, "postures", postures)
        init(self, "words", words)
        init(self, "held", held)
        init(self, "let_go", let_go)
        init(self, "sources", sources)

    def coded(self, coding: Coding | None) -> bool:
        return coding is not None and any(
            at_or_below(coding.system, coding.code, top)
            for top in self.codes.get(coding.system, ())
        )

    def named(self, text: str) -> bool:
        return any(names(text, name) for name in self.names)


# Conditions every protocol must allow for, whatever it treats or screens (`all_protocols` in
# the data, H529): id -> who they are, for the message. Any patient may take anticoagulants.
_EVERY_PROTOCOL: dict[str, str] = {}


class ConditionMovementRule(Rule):
    """An exercise takes the body where a condition the protocol plans for needs care, and
    says nothing about it.

    A protocol for people with osteoporosis that includes sit-ups, one that asks "Have you had
    a hip replacement?" and includes a knee to chest stretch (the hip bent beyond 90 degrees),
    or one that asks "Are you pregnant?" and has exercises lying flat on the back: each
    exercise that does this must name the condition in a precaution (with a management note,
    and advice for the patient) or a contraindication, so the clinician decides and the
    patient is told. The conditions, the movements and their sources are data
    (`protocol_kit/lint/data/condition_movements.json`, listed in docs/safety/
    clinical-review.md): bending the spine forwards with osteoporosis (Sinaki and Mikkelsen
    1984; Royal Osteoporosis Society 2019), bending the hip beyond 90 degrees or turning it
    inwards across the body after a hip replacement (Cochrane review of hip precautions,
    2016), hopping, jumping, jogging or running on a new hip or knee (Royal Orthopaedic
    Hospital NHS FT; the Knee Society), lying flat on the back in pregnancy (NHS, after 16
    weeks; ACOG Committee Opinion 804), standing on one leg, heel to toe or with the eyes
    closed without a support for someone at risk of falling (Otago; NICE): a support held
    from the starting position, which no step, cue or progression lets go of, is the
    supported exercise these sources start with. The protocol plans for the
    condition when an indication is coded as it, or a screening question names it. Every
    protocol plans for patients taking anticoagulants (blood thinners: any patient may be):
    an exercise that presses on soft tissue with a foam roller or a massage ball must name
    them (BNF: bleeding and bruising, H529). An
    exercise takes the body there when one of its poses does, or its name, starting position,
    steps, cues or progression say so ("lie on your back", "sit-ups", "progress to hopping",
    H1449); words that tell the patient not to ("do not hop or jump", "no jumping yet",
    "avoid hopping, jumping or jogging") are not the exercise doing it (H1406), within the
    negation's own clause: "do not hop, jump with both feet instead", a limit or a time
    ("never jump more than 10 times", "no jumping until week 12") and a double negative
    ("don't avoid jumping") are the movement (H1445-H1448).

    Bad:

        "screening": [{"id": "pregnant", "question": "Are you pregnant?", ...}],
        an exercise with "starting_position": "Lie on your back..." and no precaution

    Good: the exercise's precaution "Pregnancy beyond about 16 weeks: lying flat on the back
    for long may cause light-headedness." with its management and patient advice, or the
    exercise left out for those patients.
    """

    code = "SAFE012"
    name = "condition-movement"
    default_severity = Severity.ERROR
    summary = "an exercise goes where a treated or screened condition needs care, unmentioned"
    ignorable = False  # keeps the patient safe: never turned off

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # Which conditions the protocol plans for reads only its indications' codes and its
        # screening questions, which most of a clinic's files share: kept for the run by
        # them (issue 17). Those of every protocol (anticoagulants) are always among them.
        # Both are of its shared part: the answer is kept with it too (`part_answer`).
        planned = part_answer(protocol, context, self.code, _planned, protocol, context)
        if _EVERY_PROTOCOL:
            yield from _every_protocol(protocol, context, planned)
        for condition in planned:
            if condition.id in _EVERY_PROTOCOL:
                continue  # judged by `_every_protocol`
            for exercise in protocol.exercises:
                if _mentions(exercise, protocol, condition):
                    continue
                taken = _takes_there(exercise, condition, protocol.language)
                if taken is None:
                    continue
                how, where = taken
                yield Problem(
                    exercise_pointer(exercise),
                    f"exercise '{exercise.id}'{in_library(exercise)} involves "
                    f"{condition.movement} ({how}), and the protocol plans for patients with "
                    f"{condition.names[0]}, but the exercise names no precaution or "
                    f"contraindication for {condition.names[0]}: add one (a precaution with a "
                    "management note and advice for the patient), or leave the exercise out "
                    "for them",
                    in_library=library_place(exercise, where),
                )


def _every_protocol(
    protocol: Protocol, context: Context, planned: tuple[ConditionMovement, ...]
) -> Iterator[Problem]:
    """The conditions of every protocol (anticoagulants and a foam roller or massage ball):
    each exercise is judged once per run by its content and the protocol's precautions (the
    same exercises recur in most files of a clinic), not once per file."""
    name = (ConditionMovementRule.code, "unnamed")
    unnamed = part_answer(protocol, context, name, _unnamed, protocol, context, planned)
    for condition in unnamed:
        yield from each_exercise_remembered(
            protocol,
            context,
            (ConditionMovementRule.code, condition.id),
            lambda exercise, _, c=condition: _every_protocol_exercise(exercise, c, protocol),
            dosage=False,  # reads the poses, texts and conditions
        )


def _planned(protocol: Protocol, context: Context) -> tuple[ConditionMovement, ...]:
    """The conditions the protocol plans for, kept for the run by what that reads."""
    key = (
        ConditionMovementRule.code,
        protocol.language,
        tuple((c.system, c.code) for c in protocol.indications),
        tuple(tuple(q.question.values.items()) for q in protocol.screening),
    )
    planned = context.memo.get(key)
    if planned is None:
        planned = context.memo[key] = tuple(c for c in _conditions() if _plans_for(protocol, c))
    return planned


def _unnamed(
    protocol: Protocol, context: Context, planned: tuple[ConditionMovement, ...]
) -> tuple[ConditionMovement, ...]:
    """The conditions of every protocol among `planned` that the protocol's own precautions
    and contraindications do not name: each exercise is judged for those."""
    unnamed = []
    for condition in planned:
        if condition.id not in _EVERY_PROTOCOL:
            continue
        items = (*protocol.safety.precautions, *protocol.safety.contraindications)
        # Kept for the run by what it reads: most files of a clinic share their precautions.
        key = (
            ConditionMovementRule.code,
            condition.id,
            tuple((i.coding and (i.coding.system, i.coding.code), i.description) for i in items),
        )
        whole = context.memo.get(key)
        if whole is None:  # kept as a tuple: answers kept for the run are never changed
            whole = context.memo[key] = (
                any(condition.coded(i.coding) or condition.named(i.description) for i in items),
            )
        if not whole[0]:
            unnamed.append(condition)
    return tuple(unnamed)


def _every_protocol_exercise(
    exercise: Exercise, condition: ConditionMovement, protocol: Protocol
) -> list[Problem]:
    taken = _takes_there(exercise, condition, protocol.language)
    if taken is None:
        return []  # most exercises: the words, kept per text, are looked for first
    how, where = taken
    own = (*exercise.precautions, *exercise.contraindications)
    if any(condition.coded(i.coding) or condition.named(i.description) for i in own):
        return []
    name = condition.names[0]
    return [
        Problem(
            exercise_pointer(exercise),
            f"exercise '{exercise.id}'{in_library(exercise)} involves {condition.movement} "
            f"({how}), which needs care in {_EVERY_PROTOCOL[condition.id]}, but the exercise "
            f"names no precaution or contraindication for {name}: add one (a precaution "
            "with a management note and advice for the patient), or a contraindication",
            in_library=library_place(exercise, where),
        )
    ]


def _plans_for(protocol: Protocol, condition: ConditionMovement) -> bool:
    if condition.id in _EVERY_PROTOCOL:
        return True
    if any(condition.coded(c) for c in protocol.indications):
        return True
    return any(condition.named(_value(q.question, protocol.language)) for q in protocol.screening)


def _mentions(exercise: Exercise, protocol: Protocol, condition: ConditionMovement) -> bool:
    """Whether the exercise, or the protocol as a whole, names the condition in a precaution
    or contraindication."""
    items = (
        *exercise.precautions,
        *exercise.contraindications,
        *protocol.safety.precautions,
        *protocol.safety.contraindications,
    )
    return any(condition.coded(i.coding) or condition.named(i.description) for i in items)


def _takes_there(
    exercise: Exercise, condition: ConditionMovement, language: str
) -> tuple[str, str] | None:
    """How the exercise takes the body where the condition needs care, and where the exercise
    says so (its pose or text, a pointer in the exercise's own file), or None."""
    poses = exercise.poses
    for pose in (poses.start, poses.end) if poses is not None else ():
        if pose is None:
            continue
        if pose.posture in condition.postures:
            return f"its pose '{pose.posture}'", pose.origin.pointer
        for joint, limits in condition.joints.items():
            for movement, limit in limits.items():
                angle = _angle(pose, joint, movement)
                if angle is not None and angle > limit:
                    degrees = number_text(angle)
                    how = f"its pose: {joint.replace('_', ' ')} {movement} {degrees} degrees"
                    return how, pose.origin.pointer
    if condition.words is not None and not _held_throughout(exercise, condition, language):
        # The cues and the progression are what the patient does too ("land softly as you
        # jump", "progress to hopping"): read with the steps, which may tell not to (H1449).
        progression = () if exercise.progression is None else (exercise.progression,)
        texts = (
            exercise.name,
            exercise.starting_position,
            *exercise.steps,
            *exercise.cues,
            *progression,
        )
        for text in texts:
            found = _words_found(condition.words, _value(text, language))
            if found is not None:
                return f'"{found}"', text.origin.pointer
    return None


def _held_throughout(exercise: Exercise, condition: ConditionMovement, language: str) -> bool:
    """Whether the starting position holds a support that no step, cue or progression lets go
    of: balance on one leg holding a chair's back is the supported exercise Otago starts with,
    not the one the condition needs care with (the thirty-first sitting's prescription review,
    H1327); a progression "without holding on" is the unsupported one (H1358)."""
    if condition.held is None or condition.let_go is None:
        return False
    if condition.held.search(_value(exercise.starting_position, language)) is None:
        return False
    progression = () if exercise.progression is None else (exercise.progression,)
    texts = (exercise.starting_position, *exercise.steps, *exercise.cues, *progression)
    return not any(condition.let_go.search(_value(t, language)) for t in texts)


@text_cache()
def _words_found(words: re.Pattern[str], value: str) -> str | None:
    """The words of `value` that `words` matches, or None; kept per text for the run, and not
    searched for in a text that lacks what the pattern needs (`pattern_needs`): every
    exercise of every file is read for the conditions of every protocol (H529)."""
    if cannot_match(words, value):
        return None
    # A negated match, and those listed after it ("do not hop or jump"), are what the
    # exercise does not do (H1406); the first match not so told is the movement.
    negated = _negated_starts(words, value)
    for found in words.finditer(value):
        if found.start() not in negated:
            return found.group(0)
    return None


def _negated_starts(words: re.Pattern[str], value: str) -> frozenset[int]:
    """Where the matches of `words` that `value` tells not to do start: right after a
    negation, or listed after such a match. Read with the negations blanked out (the same
    length: the places hold), so that a list's first word, which its own pattern leaves out
    after "not", is found and starts the list; only the places are used, the matches
    themselves are the text's as written (a pattern's own "not before" stays its own).
    A negation governs its clause only: a limit or a time after the match lifts it, a comma
    alone that does not go on as a list ends it, and a second negation undoes it
    (H1445-H1448)."""
    negation, before, joiner = _negation()
    if negation.search(value) is None:
        return frozenset()
    bare_comma, comma_conjunction, lifted, double = _negation_scope()
    blanked = negation.sub(lambda found: "_" * len(found.group(0)), value)
    spans = [found.span() for found in words.finditer(blanked)]
    starts = set()
    listed_from = None  # where the last negated match ended
    joined_by_comma = False  # whether that match was listed after a bare comma
    for index, (start, end) in enumerate(spans):
        told = before.search(value, max(0, start - _NEGATION_REACH), start)
        negated = told is not None and not double.search(
            value, max(0, told.start() - _NEGATION_REACH), told.start()
        )
        comma = False
        if not negated and listed_from is not None:
            between = value[listed_from:start]
            comma = bare_comma.search(between) is not None
            if comma:
                # A list goes on after a bare comma; else the comma starts a new instruction.
                following = spans[index + 1][0] if index + 1 < len(spans) else None
                negated = following is not None and joiner.search(value[end:following])
            elif comma_conjunction.search(between):
                negated = joined_by_comma
            else:
                negated = joiner.search(between) is not None
        if negated and not lifted.match(value, end, end + _NEGATION_REACH):
            starts.add(start)
            listed_from, joined_by_comma = end, comma
        else:
            # A match read as done ends the list: the text from the list's last negated
            # match would hold it, which no joiner is, and was read again for every later
            # match (1 MB of "then jump. " after one "do not jump": quadratic, H1465).
            listed_from, joined_by_comma = None, False
    return frozenset(starts)


# How far before a match its negation is looked for: "do not ever try to start " is 25
# characters; a window, not the whole text before it, keeps a long text with many matches
# linear (a hostile step of 100,000 "jump"s read each one's whole prefix).
_NEGATION_REACH = 60


@functools.lru_cache(maxsize=1)
def _negation() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The negation words, the words before a match that say the exercise does not do it,
    and the joiner of a list of such matches (`negation` in the data)."""
    raw = read_json("protocol_kit.lint", "data/condition_movements.json")["negation"]
    return (
        compiled(raw["words"], re.I),
        compiled(raw["before"], re.I),
        compiled(raw["joiner"], re.I),
    )


@functools.lru_cache(maxsize=1)
def _negation_scope() -> tuple[re.Pattern[str], ...]:
    """Where a negation's scope ends: a bare comma, a comma with a conjunction, a limit or
    time that lifts it, a negation before it (`negation.scope` in the data)."""
    raw = read_json("protocol_kit.lint", "data/condition_movements.json")["negation"]["scope"]
    names = ("bare_comma", "comma_conjunction", "lifted", "double")
    return tuple(compiled(raw[name], re.I) for name in names)


def _angle(pose: Pose, joint: str, movement: str) -> float | None:
    given = pose.joints.get(joint, {}).get(movement)
    if given is not None:
        return float(given)
    default = _posture_angles().get(pose.posture, {}).get(joint, {}).get(movement)
    return None if default is None else float(default)


def _value(text: Text, language: str) -> str:
    """The text in English where it has English (the words are English), else as written."""
    value = english(text)
    return text.get(language) if value is None else value


@functools.lru_cache(maxsize=1)
def _posture_angles() -> dict[str, dict[str, dict[str, float]]]:
    # The pose vocabulary's own reading of the file: parsed once per run, shared with the
    # pose checks (each had parsed it).
    from protocol_kit.illustration import vocabulary

    return {name: p.get("angles", {}) for name, p in vocabulary.postures().items()}


@functools.lru_cache(maxsize=1)
def _conditions() -> tuple[ConditionMovement, ...]:
    data = read_json("protocol_kit.lint", "data/condition_movements.json")
    sources = data["sources"]
    found = []
    for raw in data["conditions"]:
        unknown = [s for s in raw["sources"] if s not in sources]
        if unknown or not raw["sources"]:
            raise ValueError(f"condition {raw['id']}: no source, or unknown sources {unknown}")
        words = raw.get("words")
        held, let_go = raw.get("held"), raw.get("let_go")
        if raw.get("all_protocols"):
            _EVERY_PROTOCOL[raw["id"]] = raw["patients"]
        found.append(
            ConditionMovement(
                raw["id"],
                tuple(raw["names"]),
                {system: tuple(codes) for system, codes in raw["codes"].items()},
                raw["movement"],
                raw.get("joints", {}),
                frozenset(raw.get("postures", ())),
                compiled("|".join(f"(?:{w})" for w in words), re.I) if words else None,
                compiled(held, re.I) if held else None,
                compiled(let_go, re.I) if let_go else None,
                tuple(raw["sources"]),
            )
        )
    return tuple(found)


def condition_sources() -> dict[str, str]:
    """The sources of the condition movements, for the docs."""
    return read_json("protocol_kit.lint", "data/condition_movements.json")["sources"]
