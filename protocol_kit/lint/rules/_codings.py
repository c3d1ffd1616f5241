"""Every coded condition of a protocol, with the pointer a finding about it should carry."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from protocol_kit.findings import LibraryPlace
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    exercise_pointer,
    in_library_at,
    library_place,
    part_answer,
    token,
)
from protocol_kit.model import Coding, Exercise, Protocol
from protocol_kit.record import Record, init
from protocol_kit.terminology.crosswalk import same_condition as crosswalk_same
from protocol_kit.terminology.crosswalk import within

if TYPE_CHECKING:
    from typing import ClassVar


class Placed(Record):
    """A coding and where to report it."""

    __slots__ = ("coding", "pointer", "exercise")
    coding: Coding
    pointer: str
    exercise: Exercise | None  # the library exercise the coding lives in

    def __init__(self, coding: Coding, pointer: str, exercise: Exercise | None = None) -> None:
        init(self, "coding", coding)
        init(self, "pointer", pointer)
        init(self, "exercise", exercise)

    @property
    def where(self) -> str:
        """Names the library file, for codings that live in one (computed only for findings)."""
        if self.exercise is None:
            return ""
        return in_library_at(self.exercise, self.coding.origin.pointer)

    @property
    def place(self) -> LibraryPlace | None:
        """Where in the library file the coding is, for the reports (`Finding.in_library`)."""
        if self.exercise is None:
            return None
        return library_place(self.exercise, self.coding.origin.pointer)


def codings_of(protocol: Protocol, context: Context) -> list[Placed]:
    """Every coding of the protocol, listed once per file for the rules that go through them."""
    return context.shared("codings", lambda: list(all_codings(protocol)))


def all_codings(protocol: Protocol) -> Iterator[Placed]:
    for coding in protocol.indications:
        yield Placed(coding, coding.origin.pointer)
    safety = protocol.safety
    for item in (*safety.contraindications, *safety.precautions):
        if item.coding is not None:
            yield Placed(item.coding, item.coding.origin.pointer)
    for exercise in protocol.exercises:
        yield from exercise_codings(exercise)


def exercise_codings(exercise: Exercise) -> Iterator[Placed]:
    for item in (*exercise.contraindications, *exercise.precautions):
        if item.coding is None:
            continue
        if exercise.library is None:
            yield Placed(item.coding, item.coding.origin.pointer)
        else:
            yield Placed(item.coding, exercise_pointer(exercise), exercise)


def codings_at(place: Protocol | Exercise) -> list[Coding]:
    """The codings of a place's contraindications and precautions (an exercise's, or the
    protocol's safety section's; not its indications)."""
    holder = place.safety if isinstance(place, Protocol) else place
    items = (*holder.contraindications, *holder.precautions)
    return [item.coding for item in items if item.coding is not None]


def same_condition(a: Coding, b: Coding) -> bool | None:
    """The same condition, or one that contains the other: for ICD-10-CM and WHO ICD-10 a code
    and any code below it (`M54` contains `M54.50`), for SNOMED CT the same concept (the toolkit
    has no SNOMED hierarchy); across systems where a mapping is known (see
    `protocol_kit.terminology.crosswalk`). None: different systems, no mapping known."""
    return _same_codes(a.system, a.code, b.system, b.code)


def same_codes(a: tuple[str, str], b: tuple[str, str]) -> bool | None:
    """`same_condition` of two codings given as (system, code)."""
    return _same_codes(a[0], a[1], b[0], b[1])


@functools.lru_cache(maxsize=8192)
def _same_codes(a_system: str, a_code: str, b_system: str, b_code: str) -> bool | None:
    # Kept by the four strings it reads: SAFE010 and CODE006 compare every coding of a file
    # with others (about 25 pairs a file), the same few codes in most files.
    if a_system == b_system:
        return within(a_system, a_code, b_code)
    return crosswalk_same(a_system, a_code, b_system, b_code)


def indications_number(protocol: Protocol, context: Context) -> int:
    """The number (`token`) of what `treated` and SAFE001's names read of the protocol: its
    indications' systems, codes and displays (a message names the code and display). Of its
    shared part: kept with it (`part_answer`), as the `around` of the rules about each
    exercise that compare its conditions with the indications (SAFE001, SAFE002)."""
    return part_answer(protocol, context, _INDICATIONS, _indications, protocol, context)


# The group of the rules about each exercise whose `around` is `indications_number`
# (`Rule.around_group`).
INDICATIONS_GROUP = "indications"
# What the indications' number is kept under with the part (the name SAFE001 gave it).
_INDICATIONS = "SAFE001-named"


def _indications(protocol: Protocol, context: Context) -> int:
    key = tuple((i.system, i.code, i.display) for i in protocol.indications)
    return token(context, ("SAFE001-indications", key))


class AgainstIndications(Rule):
    """The shape of the rules that compare conditions with the protocol's indications
    (SAFE001, SAFE002): the programme's own (`outside`, of the protocol's shared part, kept
    with it) and each exercise's (`about_exercise`, reading its own conditions alone) under
    the indications' number (`around`, of that part too). The engine answers them with every
    rule about each exercise, in one group (`around_group`): one look-up an exercise for both
    (issue 17, twenty-ninth sitting: each compared every file's conditions again)."""

    exercise_part = True
    outside_part = True
    around_group = INDICATIONS_GROUP
    about_texts = True
    # The exercise's field of the conditions compared: "contraindications", "precautions".
    conditions: ClassVar[str]

    def around(self, protocol: Protocol, context: Context) -> int:
        """The indications, by their number (`indications_number`)."""
        return indications_number(protocol, context)

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        if not getattr(exercise, self.conditions):
            return []
        # Kept for the run by the exercise's conditions (its texts' number) under the number
        # of the indications, so that an exercise met before with the same indications is
        # not read again where the engine's answers for it were let go.
        return self.kept_about(
            protocol,
            context,
            index,
            lambda exercise: self.exercise_problems(protocol, exercise, context),
            key=(self.around(protocol, context),),
            dosage=False,  # reads its conditions alone
        )

    def exercise_problems(
        self, protocol: Protocol, exercise: Exercise, context: Context
    ) -> Iterable[Problem]:
        """The problems of one exercise's conditions against the protocol's indications."""
        raise NotImplementedError


def treated(protocol: Protocol, coding: Coding) -> Coding | None:
    """The protocol indication that `coding` names, if any."""
    return next((i for i in protocol.indications if same_condition(i, coding)), None)


def uncomparable(protocol: Protocol, coding: Coding) -> bool:
    """Whether `coding` cannot be compared with any of the protocol's indications: none is in
    its system and no mapping to theirs is known."""
    return all(same_condition(i, coding) is None for i in protocol.indications)
