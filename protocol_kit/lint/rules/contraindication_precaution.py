from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import LibraryPlace, Severity, shown
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    _answers,
    _keep,
    exercise_facts,
    exercise_pointer,
    in_library,
    library_place,
    part_answer,
    token,
)
from protocol_kit.lint.rules._codings import same_codes, same_condition
from protocol_kit.lint.rules._conditions import condition_names
from protocol_kit.model import Coding, Exercise, Protocol, Safety


class _Stated:
    """A condition stated in one place. Plain slots, not a frozen `Record`: about ten are made
    for every file and dropped at once, and a record's checked set-up was most of the rule's
    time (issue 17)."""

    __slots__ = ("kind", "place", "pointer", "names", "coding", "own_pointer")
    kind: str  # "contraindication" or "precaution"
    place: Exercise | None  # None: the protocol itself
    pointer: str  # in the protocol file: a library exercise's is its reference
    names: frozenset[str]
    coding: Coding | None
    own_pointer: str  # in the file that states it (a library exercise's own)

    def __init__(
        self,
        kind: str,
        place: Exercise | None,
        pointer: str,
        names: frozenset[str],
        coding: Coding | None,
        own_pointer: str,
    ) -> None:
        self.kind = kind
        self.place = place
        self.pointer = pointer
        self.names = names
        self.coding = coding
        self.own_pointer = own_pointer


class ContraindicationPrecaution(Rule):
    """The same condition is a contraindication in one place and only a precaution in
    another.

    A condition either rules an exercise out or allows it with care. When the protocol
    contraindicates a condition and one of its exercises lists it as a precaution (or the
    reverse), one of the two is wrong, and the sheet gives the patient both messages.
    Conditions are compared by code (across code systems where a mapping is known: ICD-10-CM,
    WHO ICD-10 and SNOMED CT codes of one concept in `terminology/data/crosswalk.json`, such
    as osteoporosis) and, for uncoded ones or codes of two systems with no known mapping, by
    the condition's name (the description's first clause).

    Bad:

        protocol: "contraindications": [{"description": "Osteoporosis: ..."}],
        exercise: "precautions": [{"description": "Osteoporosis: avoid ...", ...}]

    Good: one decision for the programme: keep the contraindication in the protocol and remove
    the exercise's precaution, or make both precautions with a management note.
    """

    code = "SAFE010"
    name = "contraindication-precaution"
    default_severity = Severity.ERROR
    summary = "one condition is a contraindication in one place and a precaution in another"
    ignorable = False  # keeps the patient safe: never turned off

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # Not kept for the run: the answer reads the protocol's conditions and all its
        # exercises together, a combination most files have alone (8,600 different answers
        # in a run of 10,000 files), and keeping them pushed the answers about single
        # exercises, which files share, out of the bounded run memo. Whether one place's
        # precaution and another's contraindication can be the same condition is kept for
        # the run instead, for each place by its content, and its conditions compared with
        # the other places' at once: nearly every file has none, and needs no more (H571).
        if not _may_contradict(self, protocol, context):
            return
        stated = list(_stated(protocol))
        contraindications = [s for s in stated if s.kind == "contraindication"]
        reported: set[tuple[str, str]] = set()
        for precaution in (s for s in stated if s.kind == "precaution"):
            for contraindication in contraindications:
                if precaution.place is contraindication.place:
                    continue  # one place: a contradiction within one file, not between two
                # The same condition by its codes where both are coded; by the names where
                # not, or where no mapping joins the two systems. Written out, not a function
                # of its own: about 25 pairs a file.
                same = None
                if precaution.coding is not None and contraindication.coding is not None:
                    same = same_condition(precaution.coding, contraindication.coding)
                if same is None:
                    same = bool(precaution.names & contraindication.names)
                if not same:
                    continue
                key = (precaution.pointer, contraindication.pointer)
                if key in reported:
                    continue
                reported.add(key)
                name = (
                    f"{precaution.coding.code} ({precaution.coding.display})"
                    if precaution.coding
                    else shown(sorted(precaution.names & contraindication.names)[0])
                )
                yield Problem(
                    precaution.pointer,
                    f"{name} is only a precaution of {_where(precaution)}, but a contraindication "
                    f"of {_where(contraindication)} (at {contraindication.pointer}): decide once "
                    "whether it rules the exercise out",
                    in_library=_library_place(precaution) or _library_place(contraindication),
                )

    def exercise_fact(
        self, exercise: Exercise, protocol: Protocol, context: Context
    ) -> PlaceConditions:
        """The conditions of the exercise's precautions and of its contraindications, with
        their numbers (`PlaceConditions`)."""
        return _stated_at(exercise, context)


def _may_contradict(rule: Rule, protocol: Protocol, context: Context) -> bool:
    """Whether a precaution of one place (the protocol itself, or one of its exercises) names
    the condition a contraindication of another place names, compared as `check` compares
    them. What each place states (`_conditions`) is kept for the run by its content: an
    exercise's with the other rules' values of it (`Rule.exercise_fact`, by its
    `exercises_key`), the protocol's with its shared part. Whether a place's precautions and
    another's contraindications are the same condition is kept for the run by the two
    (`Conditions`, equal only when every name and code is): a clinic's files pair the same
    places' conditions again and again (issue 17, thirty-first sitting: comparing each pair
    in each file was most of what the rule cost a file). The verdicts are kept by the
    numbers of the two (`PlaceConditions`), not by the two: a pair of them was hashed again,
    through every name and code, at each look-up, half of what the rule cost a file (issue
    17, thirty-second sitting)."""
    # The protocol's own conditions, of its shared part: kept with it (`part_answer`).
    stated = [part_answer(protocol, context, "SAFE010-own", _stated_at, protocol.safety, context)]
    stated += exercise_facts(rule, protocol, context)
    # Each place with precautions against each other place with contraindications: the
    # places with none of either are left out first (issue 17, twenty-fifth sitting: the
    # loop over every pair of places was most of what the rule cost a file).
    contraindicated = [
        (index, contraindications, number)
        for index, (_, contraindications, _, number) in enumerate(stated)
        if contraindications is not None
    ]
    if not contraindicated:
        return False
    verdicts = _answers(context.memo, _PAIRS)
    for index, (precautions, _, number, _) in enumerate(stated):
        if precautions is None:
            continue
        for other, contraindications, other_number in contraindicated:
            if other == index:
                continue
            pair = (number, other_number)
            if pair in verdicts:
                same = verdicts[pair]
            else:
                same = _contradict(precautions, contraindications)
                _keep(context.memo, verdicts, pair, same)
            if same:
                return True
    return False


# The memo's table of `_contradict`'s verdicts, by the numbers of the two places'
# `Conditions` (`PlaceConditions`).
_PAIRS = ("SAFE010-pairs",)
# What the numbers of `Conditions` are given under (`token`).
_NUMBERED = "SAFE010-conditions"


def _stated_at(place: Safety | Exercise, context: Context) -> PlaceConditions:
    """The conditions of a place's precautions and of its contraindications, and their
    numbers."""
    precautions = _conditions(place.precautions)
    contraindications = _conditions(place.contraindications)
    return (
        precautions,
        contraindications,
        None if precautions is None else token(context, (_NUMBERED, precautions)),
        None if contraindications is None else token(context, (_NUMBERED, contraindications)),
    )


def _coded(coding: Coding | None) -> tuple[str, str] | None:
    return None if coding is None else (coding.system, coding.code)


# The conditions of one place's precautions or contraindications, as `_contradict` compares
# them: the names of the uncoded ones, the names of all, and each coded one's names and
# (system, code). None: the place has none.
Conditions = tuple[
    frozenset[str], frozenset[str], tuple[tuple[frozenset[str], tuple[str, str]], ...]
]


# A place's `Conditions` of its precautions and of its contraindications, and the `token` of
# each: equal conditions, one number; conditions that differ in a name or a code, never one
# (`token`'s numbers are never given twice in a process). None: the place has none.
PlaceConditions = tuple[Conditions | None, Conditions | None, int | None, int | None]


def _conditions(items: tuple) -> Conditions | None:
    """The items' conditions as `_contradict` compares them (`Conditions`)."""
    if not items:
        return None
    uncoded: set[str] = set()
    every: set[str] = set()
    coded = []
    for item in items:
        names = condition_names(item.description)
        every |= names
        if item.coding is None:
            uncoded |= names
        else:
            coded.append((names, _coded(item.coding)))
    return frozenset(uncoded), frozenset(every), tuple(coded)


def _contradict(precautions: Conditions, contraindications: Conditions) -> bool:
    """Whether one of the precautions is one of the contraindications' conditions, as `check`
    compares two: by the codes where both are coded, by the names where not or where no
    mapping joins them. A pair with an uncoded item is compared by the names: such a pair
    shares a name exactly when the uncoded items' names share one with the other side's
    names (a set look-up or two, not a loop over the pairs: about 7 a file, issue 17)."""
    uncoded, every, coded = precautions
    other_uncoded, other_every, other_coded = contraindications
    if not uncoded.isdisjoint(other_every) or not other_uncoded.isdisjoint(every):
        return True
    for names, codes in coded:
        for other_names, other_codes in other_coded:
            same = same_codes(codes, other_codes)
            if same is None:
                same = not names.isdisjoint(other_names)
            if same:
                return True
    return False


def _where(stated: _Stated) -> str:
    exercise = stated.place
    if exercise is None:
        return "the protocol"
    return f"exercise '{exercise.id}'{in_library(exercise)}"


def _library_place(stated: _Stated) -> LibraryPlace | None:
    """Where in a library exercise's file the condition is stated, or None (the protocol's
    own, or an exercise written in it)."""
    return None if stated.place is None else library_place(stated.place, stated.own_pointer)


def _stated(protocol: Protocol) -> Iterator[_Stated]:
    safety = protocol.safety
    for kind, found in (("contraindication", safety.contraindications),
                        ("precaution", safety.precautions)):  # fmt: skip
        for item in found:
            yield _Stated(kind, None, item.origin.pointer,
                          condition_names(item.description), item.coding,
                          item.origin.pointer)  # fmt: skip
    for exercise in protocol.exercises:
        # A library exercise's findings go to its entry in the protocol: one place for all.
        entry = exercise_pointer(exercise) if exercise.library else None
        for kind, found in (("contraindication", exercise.contraindications),
                            ("precaution", exercise.precautions)):  # fmt: skip
            for item in found:
                pointer = entry or item.origin.pointer
                yield _Stated(kind, exercise, pointer, condition_names(item.description),
                              item.coding, item.origin.pointer)  # fmt: skip
