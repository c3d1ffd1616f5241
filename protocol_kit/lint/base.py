"""The one rule signature.

A rule is a small class: a stable `code`, a `name`, a `group`, a `default_severity`, a one-line
`summary`, its `options` as data with defaults, and a `check(protocol, context)` generator that
yields a `Problem` (a JSON pointer into the protocol file and a message saying what to change).
The engine, not the rule, decides whether the rule runs and with which severity.

The rule's docstring is its documentation (`protokit rules CODE`, `docs/rules/`): why it
exists, then a failing (`Bad:`) and a passing (`Good:`) example.
"""

from __future__ import annotations

import itertools
import marshal
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from sys import getsizeof as _getsizeof

from protocol_kit.digests import blake2b
from protocol_kit.findings import LibraryPlace, Severity, shown_path
from protocol_kit.jsontext.pointers import pointer_tokens
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lean_imports.dates import dt
from protocol_kit.lint.anchors import anchored
from protocol_kit.lint.memo import ENTRY_BYTES, RunMemo, _kind, charge, weight  # noqa: F401
from protocol_kit.model import (
    ANY_FILE,
    Exercise,
    Protocol,
    Text,
    exercise_notes,
    iter_exercise_texts,
    iter_protocol_texts,
)
from protocol_kit.record import Record, init, replace
from protocol_kit.shared_parts import kept_with, writing_of

if TYPE_CHECKING:
    from typing import Any, ClassVar
    from typing import Protocol as _Protocol

    class Searcher(_Protocol):
        """What `library_text_matches` searches with, besides a compiled pattern: a key and
        a search that gives the first find (`untrusted.scripts.MIXED_SCRIPT_WORD`)."""

        pattern: str

        def search(self, text: str) -> re.Match[str] | None: ...


GROUPS = {
    "SAFE": "safety",
    "DOSE": "dosage",
    "CODE": "coding",
    "GOV": "governance",
    "LINK": "references",
    "TEXT": "patient text",
    "POSE": "illustrations",
    "SUP": "suppressions",
}


class Problem(Record):
    """What a rule found: where in the protocol file, and what to change. `library`: the
    library exercise file that says what is found, when the finding is only that file's own
    text or values (`Finding.library`); `in_library`: where in a library exercise's file the
    text found is (`library_place`, `Finding.in_library`); `quoted_value`: the value at
    `pointer` as the message quotes it, for a report that lists it (`Finding.quoted_value`)."""

    __slots__ = ("pointer", "message", "at_key", "library", "quoted_value", "in_library")
    pointer: str
    message: str
    at_key: bool
    library: str | None
    quoted_value: str | None
    in_library: LibraryPlace | None

    def __init__(
        self,
        pointer: str,
        message: str,
        at_key: bool = False,
        library: str | None = None,
        quoted_value: str | None = None,
        in_library: LibraryPlace | None = None,
    ) -> None:
        init(self, "pointer", pointer)
        init(self, "message", message)
        init(self, "at_key", at_key)
        init(self, "library", library)
        init(self, "quoted_value", quoted_value)
        init(self, "in_library", in_library)


# What `Context.shared` finds for a key not worked out yet (an answer may be None).
_ABSENT = object()


class Context(Record, frozen=False):
    """What a rule may use besides the protocol.

    `today` is injectable so that date rules can be tested; `data` and `source` are the
    protocol file's raw JSON and text (only for rules about every string in the file);
    `previous(path, revision)` returns a file's data at a git revision, or None (outside git,
    or a new file); `memo` is a cache that lives for one run, for results about shared
    content such as library exercises; `per_file` lives for one file, for what several rules
    work out from the same protocol (its codings, its dosages).
    """

    __slots__ = ("today", "options", "bounds", "data", "source", "previous", "memo", "per_file")
    today: dt.date
    options: Mapping[str, Any]
    bounds: Mapping[str, Any]
    data: Mapping[str, Any]
    source: str
    previous: Callable[[str, str], Mapping[str, Any] | None]
    memo: dict[Any, Any]
    per_file: dict[Any, Any]

    def __init__(
        self,
        today: dt.date,
        options: Mapping[str, Any] | None = None,
        bounds: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        source: str = "",
        previous: Callable[[str, str], Mapping[str, Any] | None] = lambda path, revision: None,
        memo: dict[Any, Any] | None = None,
        per_file: dict[Any, Any] | None = None,
    ) -> None:
        # Assigned, not set with `init`: a context can be changed (`frozen=False`), and one
        # is made for every file, where eight calls of `init` were two thirds of what making
        # it cost (issue 17, thirty-second sitting).
        self.today = today
        self.options = {} if options is None else options
        self.bounds = {} if bounds is None else bounds
        self.data = {} if data is None else data
        self.source = source
        self.previous = previous
        self.memo = {} if memo is None else memo
        self.per_file = {} if per_file is None else per_file

    def shared(self, key: Any, compute: Callable[..., Any], *args: Any) -> Any:
        """`compute(*args)`, worked out once for this file and shared by the rules that ask.
        The lint's own keys, asked by every rule of every file, pass a module-level function
        and its arguments: a closure made for each question cost as much as the look-up.
        Asked with `in`, not `get`: a method call for each of a dozen questions a file, most
        answered (issue 17, thirty-first sitting)."""
        per_file = self.per_file
        if key in per_file:
            return per_file[key]
        found = per_file[key] = compute(*args)
        return found

    def option(self, name: str) -> Any:
        return self.options[name]


class Rule:
    """Base class of every rule; subclasses set the class attributes and `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity]
    summary: ClassVar[str]
    options: ClassVar[Mapping[str, Any]] = {}
    # Rules about a whole file that also apply to library exercise files (`check_library_file`).
    library_files: ClassVar[bool] = False
    # Rules about each exercise on its own (its dosage, texts, codes, images): they also check
    # a library exercise file, so that a changed exercise is checked when only it is named,
    # as a pre-commit hook names only the files that changed.
    exercise_rule: ClassVar[bool] = False
    # Rules whose `check` reads of the protocol only the part files copied from one another
    # share (`model.build_protocol`: everything but its id, title, exercises and file), and of
    # the context only `options`, `bounds` and `shared` keys of that part (not `today`,
    # `data`, `source` or `previous`): the engine keeps their answers with the part
    # (`Linter.lint`), so a file whose part an earlier file had runs none of them.
    protocol_part: ClassVar[bool] = False
    # Rules whose problems are those of `outside` (not about one exercise) and, for each
    # exercise, those of `about_exercise`, which reads the exercise (its `exercises_key`: its
    # content and the protocol's language) and of the rest of the protocol only what `around`
    # gives, itself read from the protocol's shared part alone (what `Rule.protocol_part`
    # rules read), and of the context `options`, `bounds` and `shared` keys. The engine looks
    # each exercise up once for all of them (`Linter._exercise_answers`): a file whose
    # exercises were seen before, with the same `around`, runs none of their `about_exercise`.
    exercise_part: ClassVar[bool] = False
    # An `exercise_part` rule whose `about_exercise` reads of the exercise its texts and
    # conditions, and of its dosage only the intensity text, not the reference's note: its
    # answers are kept by the exercise's `exercises_text_key` (a library exercise under other
    # numbers is the same exercise to it).
    about_texts: ClassVar[bool] = False
    # An `exercise_part` rule whose `outside` reads what a `protocol_part` rule may read: the
    # engine keeps its answer with the part's (`Linter._part_answers`).
    outside_part: ClassVar[bool] = False
    # An `exercise_part` rule whose `around` is () on nearly every sheet: kept in the group of
    # the rules that read the exercise alone, whose answers are then kept for each `around`
    # of the group (a second group of answers for one rule cost 13 % of the lint, H1005).
    around_seldom: ClassVar[bool] = False
    # The name of an `exercise_part` rule's group when its `around` is that of other rules
    # too (the indications' number, SAFE001 and SAFE002): their answers are kept together, as
    # one group's, whose `around` is one more number of the same part (`Linter._arounds`),
    # not a group each, so that an exercise met with a new part is looked up once for them.
    around_group: ClassVar[str | None] = None
    # A rule about the whole file whose `check` reads more than the file as written, its
    # library exercises' files and the options and bounds: today's date (`context.today`),
    # git (`context.previous`), other files (the images it names). It is called for every
    # file; the answers of every other rule about a file are kept with the file between
    # `validate`'s runs (`lint.across_runs`: one look-up a file).
    reads_beyond_the_file: ClassVar[bool] = False
    # A rule about the whole file (`check`) that finds nothing in a file unless one of its
    # places may hold something for it: its shared part (`may_find_in_part`, which reads
    # what a `protocol_part` rule may read), one of its exercises (`may_find_in_exercise`,
    # which reads the exercise, its entry as written and the protocol's language alone), a
    # patient text in which the shared pass over the texts finds one of the searches of
    # `may_find_in_texts` (`text_check`'s bits), or the file's own fields
    # (`may_find_in_own`, asked for each file). The engine asks every such rule together,
    # once a file (`Linter._may_find`): the part's answers kept with the part, each
    # exercise's by its number (`exercises_key`), one look-up for all of them; a file none
    # of whose places may is not given to the rule's `check` (issue 17, thirtieth sitting:
    # each rule asking its own places, for every file, was a fifth of a first run's lint).
    # `check` still asks what it needs itself: called directly, it finds the same.
    asked_by_place: ClassVar[bool] = False
    may_find_in_texts: ClassVar[int] = 0
    # False for the rules that keep a patient safe (red flags routed to the right place, the
    # stop box, contraindications, a dose beyond the safe limit): no configuration, command
    # line or suppression turns them off or makes their errors warnings (docs/rules/README.md).
    ignorable: ClassVar[bool] = True
    # Whether a protocol's own `suppress` entry (with its written reason, reviewed and signed
    # off with the file) may hide a finding; None: as `ignorable`.
    suppressible: ClassVar[bool | None] = None

    @property
    def can_be_suppressed(self) -> bool:
        return self.ignorable if self.suppressible is None else self.suppressible

    @property
    def group(self) -> str:
        return GROUPS[self.code.rstrip("0123456789")]

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        """The rule's problems in the protocol. An `exercise_part` rule's: those of `outside`,
        then each exercise's, as the engine gathers them (`Linter.lint`)."""
        if not self.exercise_part:
            raise NotImplementedError
        return by_exercise(self, protocol, context)

    def outside(self, protocol: Protocol, context: Context) -> Iterable[Problem]:
        """An `exercise_part` rule's problems that are not about one exercise."""
        return ()

    def around(self, protocol: Protocol, context: Context) -> Any:
        """What an `exercise_part` rule's `about_exercise` reads of the protocol besides the
        exercise and its language, read from its shared part alone: a hashable key."""
        return ()

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> Iterable[Problem]:
        """An `exercise_part` rule's problems about the protocol's exercise at `index`."""
        raise NotImplementedError

    def kept_about(
        self,
        protocol: Protocol,
        context: Context,
        index: int,
        check: Callable[[Exercise], Iterable[Problem]],
        key: tuple = (),
        dosage: bool | tuple[str, ...] = False,
    ) -> list[Problem]:
        """`check(exercise)`'s problems about the protocol's exercise at `index`, kept for the
        run by the exercise under the rule's code and `key` (`each_exercise_remembered`, whose
        `dosage` this is): the rule's own memo, which the engine asks on a miss of its own."""
        return each_exercise_remembered(
            protocol,
            context,
            (self.code, *key),
            lambda exercise, _: check(exercise),
            dosage=dosage,
            only=index,
        )

    def exercise_fact(self, exercise: Exercise, protocol: Protocol, context: Context) -> Any:
        """A rule about the whole file that reads each exercise only through one value of it
        overrides this: the value, read from the exercise (its content and its entry as
        written) and the protocol's language alone, never from the options. The engine works
        out every such rule's value of an exercise together, kept for the run by the
        exercise's number (`exercises_key`, one look-up an exercise for all of them,
        `Linter._may_find`), and the rule's `check` reads them with `exercise_facts`."""
        raise NotImplementedError

    def may_find_in_part(self, protocol: Protocol, context: Context) -> bool:
        """An `asked_by_place` rule: whether the protocol's shared part may hold something it
        finds (read from that part alone)."""
        return False

    def may_find_in_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> bool:
        """An `asked_by_place` rule: whether the protocol's exercise at `index` may hold
        something it finds (read from the exercise, its entry in `context.data` and the
        protocol's language alone)."""
        return False

    def may_find_in_own(self, protocol: Protocol, context: Context) -> bool:
        """An `asked_by_place` rule: whether the file's own fields (its id, its text) may hold
        something it finds that its part, exercises and texts do not say."""
        return False

    def check_unbuilt(self, context: Context) -> Iterator[Problem]:
        """Problems found in the file's raw data alone (`context.data`), for a file that fails
        the schema or whose references cannot be resolved: the rule runs again on the built
        protocol once they are fixed. Only a rule that needs no model has one; reporting its
        problems now means they do not wait for a second round (a therapist fixes one
        missing field, and 30 `TODO`s appear)."""
        return iter(())

    def check_library_file(self, path: str, context: Context) -> Iterator[Problem]:
        """Problems of a library exercise file (its data is `context.data`), for the rules
        with `library_files`."""
        return iter(())

    @classmethod
    def documentation(cls) -> str:
        """The docstring, dedented: the rule's reason and its bad and good examples."""
        import inspect  # for `protokit rules`, not at every start-up (issue 17)

        return inspect.cleandoc(cls.__doc__ or "")


def by_exercise(rule: Rule, protocol: Protocol, context: Context) -> Iterator[Problem]:
    """An `exercise_part` rule's `check`: its problems outside the exercises, then each
    exercise's, as the engine gathers them (`Linter.lint`)."""
    yield from rule.outside(protocol, context)
    for index, exercise in enumerate(protocol.exercises):
        yield from rule.about_exercise(exercise, index, protocol, context)


# Where the engine leaves the values of `Rule.exercise_fact` of a file's exercises, in the
# file's `Context.per_file`: ({code: its place in each exercise's values}, [each exercise's
# values, in order]).
EXERCISE_FACTS = "exercise-facts"


def exercise_facts(rule: Rule, protocol: Protocol, context: Context) -> list[Any]:
    """`rule.exercise_fact` of each of the protocol's exercises, in order: as the engine
    worked them out for every such rule together (`EXERCISE_FACTS`), or, for a rule called
    on its own, kept for the run by each exercise's number (`exercises_key`) under its code."""
    per_file = context.per_file
    if EXERCISE_FACTS in per_file:
        at, values = per_file[EXERCISE_FACTS]
        if rule.code in at:
            place = at[rule.code]
            return [each[place] for each in values]
    return kept_answers(
        context.memo,
        (EXERCISE_FACTS, rule.code),
        zip(exercises_key(protocol, context), protocol.exercises, strict=True),
        lambda exercise: rule.exercise_fact(exercise, protocol, context),
    )


def english(text: Text) -> str | None:
    """The text in English, or None: the rules whose words are English (numbers read with
    English units, phrases that name a dose) read only that."""
    for tag, value in text.values.items():
        if tag == "en" or tag.startswith("en-"):  # its primary language subtag
            return value
    return None


def exercise_pointer(exercise: Exercise, *tokens: str | int) -> str:
    """Where a finding about (part of) an exercise goes in the protocol file.

    For a library exercise that is the protocol's reference entry, since the library file is
    not the file being checked; `in_library` names the file in the message.
    """
    if exercise.library is not None:
        return exercise.library.entry.pointer
    return exercise.origin.child(*tokens).pointer


def in_library(exercise: Exercise) -> str:
    """` (library exercise 'id', FILE)` for library exercises, else nothing."""
    source = exercise.library
    if source is None:
        return ""
    return f" (library exercise '{source.ref}', {shown_path(source.path)})"


def in_library_at(exercise: Exercise, pointer: str) -> str:
    """` (at POINTER, library exercise 'id', FILE)`: where in a library file a finding is, in
    a message's words (`LibraryPlace.said`); the same place for the reports is
    `library_place`'s."""
    source = exercise.library
    if source is None:
        return ""
    return LibraryPlace(source.path, source.ref, pointer).said


def library_place(
    exercise: Exercise, pointer: str, value: str | None = None
) -> LibraryPlace | None:
    """Where in a library exercise's file a finding's text is (`Problem.in_library`), with
    the value the message quotes there, if any; None for an exercise written in the protocol."""
    source = exercise.library
    if source is None:
        return None
    return LibraryPlace(source.path, source.ref, pointer, value)


def library_where(
    exercise: Exercise, pointer: str, value: str | None = None
) -> tuple[str, LibraryPlace | None]:
    """(`in_library_at`'s words, `library_place`) for a finding at `pointer` of `exercise`:
    ("", None) for an exercise written in the protocol."""
    place = library_place(exercise, pointer, value)
    return ("", None) if place is None else (place.said, place)


def library_text_matches(
    protocol: Protocol, pattern: re.Pattern[str] | Searcher, context: Context, bit: int
) -> Iterator[tuple[Exercise, Text, str, re.Match[str]]]:
    """Each text value of the protocol's library exercises that `pattern` finds something in,
    with its exercise and text. `bit` is `pattern.search` registered with `text_check`: a file
    none of whose texts it finds anything in is done at once. Whether a library file has any
    is worked out once per run, so a clean library costs one search per file, not one per
    protocol that uses it."""
    if not texts_may_hold(protocol, context, bit):
        return
    memo = context.memo
    for exercise in protocol.exercises:
        source = exercise.library
        if source is None:
            continue
        key = ("library-text", pattern.pattern, source.content)
        if key not in memo:
            memo[key] = any(
                pattern.search(value)
                for text in iter_exercise_texts(exercise)
                for value in text.values.values()
            )
        if not memo[key]:
            continue
        for text in iter_exercise_texts(exercise):
            for value in text.values.values():
                found = pattern.search(value)
                if found:
                    yield exercise, text, value, found


def library_notes_found(
    protocol: Protocol, context: Context, name: str, finds: Callable[[str], object]
) -> Iterator[tuple[Exercise, str, str]]:
    """Each string of the protocol's library exercises that is not a patient's text
    (`model.exercise_notes`: the muscles, the conditions' notes, the pictures' credits, the
    authors and references a bundle carries with the exercise) in which `finds` finds
    something, with its exercise and its place in the library file. A rule that looks at
    every string of a file saw only a library exercise's patient texts at the protocol that
    uses it: "TODO: muscle", which `protokit new exercise` writes, passed there, and `bundle
    create`, which checks the exercise written out in the protocol, stopped with an internal
    error (H1019). Worked out once a run for each library file (`name` keys the answers)."""
    for exercise in protocol.exercises:
        if exercise.library is not None:
            for pointer, value in library_notes_of(exercise, context, name, finds):
                yield exercise, pointer, value


def library_notes_of(
    exercise: Exercise, context: Context, name: str, finds: Callable[[str], object]
) -> tuple[tuple[str, str], ...]:
    """The strings of a library exercise's notes (`model.exercise_notes`) in which `finds`
    finds something, each with its place in the library file: kept for the run under `name`
    by the library file (`LibrarySource.content`: its path and the digest of its text, which
    every note is read from), for `library_notes_found` and for a rule asked by place whose
    `may_find_in_exercise` asks the same of each library exercise new to the run (issue 17,
    thirty-first sitting: read again for each new reference to it, a sixteenth of a first
    run's lint calls)."""
    source = exercise.library
    assert source is not None
    memo = context.memo
    key = (name, source.content)
    if key in memo:
        return memo[key]
    found = memo[key] = tuple(
        (pointer, value) for pointer, value in exercise_notes(exercise) if finds(value)
    )
    return found


def exercises_key(protocol: Protocol, context: Context) -> tuple[int, ...]:
    """Which exercises the protocol has, as a key for results that depend on their texts and
    conditions: each exercise's `exercise_key`, in order, as its `token` (worked out once per
    file for every rule)."""
    per_file = context.per_file  # asked by most rules of every file: `Context.shared` inlined
    if _EXERCISES_KEY in per_file:
        return per_file[_EXERCISES_KEY]
    found = per_file[_EXERCISES_KEY] = _whole_numbers(protocol, context)
    return found


# Where `exercises_key` keeps the file's numbers, in its `Context.per_file`.
_EXERCISES_KEY = "exercises-key"


def _whole_numbers(protocol: Protocol, context: Context) -> tuple[int, ...]:
    return tuple([numbers.whole for numbers in _exercise_numbers(protocol, context)])


class _Numbers:
    """One exercise's numbers (`token`s) as the lint keys answers about it: of its
    `exercise_key` (`whole`, and whether that key is the exercise itself, `Same`), of its
    texts (`text`, `exercises_text_key`) and of its texts with dosage fields (`fields`), the
    last two worked out when first asked. Kept with the exercise where `validate` shares it
    between files (`_exercise_numbers`), so a file with an exercise seen before neither keys
    it nor looks its keys up again (issue 17): a number names one key for the whole process,
    so one carried from an earlier file is the number the key would be given."""

    __slots__ = ("whole", "same", "key", "text", "fields")

    def __init__(self, whole: int, key: tuple | Same) -> None:
        self.whole = whole
        self.same = isinstance(key, Same)
        # The key itself (held by the token table anyway): the lint's answers kept between
        # runs are keyed by it (`lint.across_runs`), not by the number, which is this run's.
        self.key = key
        self.text: int | None = None
        self.fields: dict[tuple[str, ...], int] | None = None


def exercises_keys(protocol: Protocol, context: Context) -> list[tuple | Same]:
    """Each exercise's `exercise_key`, as `exercises_key` numbers them (kept with them)."""
    return [numbers.key for numbers in _exercise_numbers(protocol, context)]


def _exercise_numbers(protocol: Protocol, context: Context) -> list[_Numbers]:
    """Each exercise's `_Numbers`, once per file."""
    return context.shared("exercise-numbers", _numbers_of_all, protocol, context)


def _numbers_of_all(protocol: Protocol, context: Context) -> list[_Numbers]:
    """Each exercise's `_Numbers`, kept with the exercise while `validate`'s part tables hold
    it (`shared_parts.kept_with`): such an exercise is built only from data equal, as
    `marshal` writes it, in every file that holds it at that place (its place names no file,
    `ANY_FILE`), so its key (a digest of that data) is the same in each of them, and its
    texts' key is read from the exercise and the language alone. An exercise built for one
    file, or not held, is keyed from its data every time.

    Kept with the exercise itself, not in an anchor table of the run memo (`anchored`): one
    look-up an exercise, and nothing to look through for exercises the part tables let go,
    which the anchor table did every 32 parts let go (issue 17, twenty-fourth sitting: a
    tenth of the lint's time on copies of a clinic's files went to the exercises' numbers).
    One loop for the file's exercises, not a call for each (thirty-first sitting)."""
    key = (_NUMBERS, protocol.language)
    exercises = protocol.exercises
    found: list[Any] = [None] * len(exercises)  # each set in place: no call an exercise
    for index, exercise in enumerate(exercises):
        source = exercise.library
        origin = exercise.origin if source is None else source.entry
        kept = kept_with(exercise) if origin.path == ANY_FILE and origin.pointer else None
        if kept is None:  # not held: never met again as this object
            numbers = _new_numbers(exercise, protocol, context)
        elif key in kept:
            numbers = kept[key]
        else:
            numbers = kept[key] = _new_numbers(exercise, protocol, context)
        found[index] = numbers
    return found


# What an exercise's `_Numbers` are kept under with the exercise (`kept_with`), with a language.
_NUMBERS = "exercise-numbers"


def _new_numbers(exercise: Exercise, protocol: Protocol, context: Context) -> _Numbers:
    key = exercise_key(exercise, protocol, context)
    return _Numbers(token(context, key), key)


# The numbers `token` gives, never given twice in a process: a number names one key for as
# long as the process lives, whichever table or memo forgot it meanwhile.
_TOKENS = itertools.count()
_TOKENS_KEY = ("section-tokens",)


def token(context: Context, key: Any) -> int:
    """A small number that stands for `key` (a hashable key of a part of a file: an exercise,
    the red flags, the safety section's texts) in this run: equal keys, the same number; keys
    that differ in anything, different numbers. A key of whole texts is hashed and compared
    once per file here, then every rule's memo key holds the number, which hashes at once
    (a tuple does not keep its hash, so a key of texts was hashed again at every look-up).

    The table is kept in the run memo and bounded as it is: when it is emptied, a key seen
    again gets a new number, so answers kept under the old one are never found again
    (worked out again, never mistaken)."""
    memo = context.memo
    if _TOKENS_KEY in memo:
        table = memo[_TOKENS_KEY]
    else:
        table = memo[_TOKENS_KEY] = {}
    if key in table:
        return table[key]
    if len(table) >= RunMemo.LIMIT:
        table.clear()
    number = table[key] = next(_TOKENS)
    # The key holds the part's texts: weighed, so that long texts fill the memo sooner.
    charge(memo, ENTRY_BYTES + weight(key))
    return number


def sections_outside_exercises(protocol: Protocol) -> tuple:
    """The protocol's parts besides its title and exercises (its summary, safety and delivery
    sections and its stages): what copies of a clinic's files share, as objects, under
    `validate` (`anchored`)."""
    return (protocol.summary, protocol.safety, protocol.delivery, protocol.stages)


def section_key(context: Context, name: str, key: Callable[[], Any], parts: tuple = ()) -> int:
    """The `token` of `key()`, a part of the file being checked named `name`: worked out once
    per file and shared by every rule that asks. `parts`, when given, are all that `key()`
    reads (the model's objects, and strings such as the language): a file that holds the
    same objects as an earlier one (`validate` shares the parts files have alike) gets the
    number kept with them (`anchored`), its texts not read again."""
    name = ("section", name)
    return context.shared(name, _section_number, context, name, key, parts)


def _section_number(context: Context, name: tuple, key: Callable[[], Any], parts: tuple) -> int:
    if parts:
        return anchored(context, name, parts, lambda: token(context, key()))
    return token(context, key())


def exercise_key(exercise: Exercise, protocol: Protocol, context: Context) -> tuple | Same:
    """What one exercise of the protocol is, by content, as a key for answers about it that
    files share: a library exercise by its file, the id it has in the protocol and the
    reference as written (its dosage override, its note); an exercise written in the protocol
    by its data as written; each with the protocol's language, which its texts are read in.
    Content, never an address: two files with the same exercise share one answer, two that
    differ in one character of it never do. Not its place in the file (which of the
    protocol's exercises it is): an answer kept under this key is moved to the exercise's
    place where it is found again (`each_exercise_remembered`, `exercise_place`), so a clinic's
    exercise is judged once whichever position it has in each protocol. An exercise whose JSON
    (or reference) is not in `context.data` (a model built by hand) is keyed by itself, held
    (`Same`)."""
    source = exercise.library
    if source is not None:
        # The reference as written too: its id, its dosage override, its note.
        entry = _written_at(context.data, source.entry.pointer)
        if entry is None:
            return Same(exercise)
        return ("library", source.content, exercise.id, entry, protocol.language)
    written = _written_at(context.data, exercise.origin.pointer)
    if written is None:
        return Same(exercise)
    return ("written", written, protocol.language)


def exercises_text_key(
    protocol: Protocol, context: Context, fields: tuple[str, ...] = ()
) -> tuple[int, ...]:
    """As `exercises_key`, for answers that read an exercise's texts and conditions but of its
    dosage only the intensity text and the dosage `fields` named, and not the reference's note:
    a library exercise is keyed by its file, its id, the intensity it is read with and those
    fields (`_text_key`), not by the whole reference, so the same library exercise under other
    numbers (most references of a clinic's files override the dosage) shares one answer. An
    exercise written in the protocol keeps its `exercises_key` number: its data as written is
    all it is, as is one not found in `context.data` (a model built by hand, whose texts need
    not be its file's). Worked out once per file for each `fields`."""
    name = ("exercises-text-key", fields) if fields else "exercises-text-key"
    per_file = context.per_file  # asked by most rules of every file: `Context.shared` inlined
    if name in per_file:
        return per_file[name]
    found = per_file[name] = _text_numbers(protocol, context, fields)
    return found


def _text_numbers(protocol: Protocol, context: Context, fields: tuple[str, ...]) -> tuple[int, ...]:
    numbers = _exercise_numbers(protocol, context)
    return tuple(
        [
            _text_number(exercise, each, protocol, context, fields)
            for exercise, each in zip(protocol.exercises, numbers, strict=True)
        ]
    )


def _text_number(
    exercise: Exercise,
    numbers: _Numbers,
    protocol: Protocol,
    context: Context,
    fields: tuple[str, ...],
) -> int:
    """One exercise's number in `exercises_text_key`, kept in its `numbers`."""
    if exercise.library is None or numbers.same:
        return numbers.whole  # its key holds the whole dosage already
    text = numbers.text
    if text is None:
        text = numbers.text = token(context, _text_key(exercise, protocol))
    if not fields:
        return text
    # The number without fields, with the fields' values: a short key.
    kept = numbers.fields
    if kept is None:
        kept = numbers.fields = {}
    number = kept.get(fields)
    if number is None:
        number = kept[fields] = token(context, ("with-fields", text, *_fields(exercise, fields)))
    return number


def _fields(exercise: Exercise, fields: tuple[str, ...]) -> Iterator[tuple[str, Any, bool]]:
    """Each dosage field named, its value and whether the reference overrides it."""
    source = exercise.library
    assert source is not None
    for name in fields:
        yield name, getattr(exercise.dosage, name), name in source.dosage_override


def any_place(
    protocol: Protocol,
    context: Context,
    name: str,
    own: Callable[[], Any],
    finds: Callable[[Protocol | Exercise], bool],
    around: Callable[[], Any] | None = None,
) -> bool:
    """Whether `finds(place)` holds for a place of the protocol: the protocol itself (what it
    holds outside its exercises) or one of its exercises. Each place's answer is kept for the
    run under `name`: the protocol's by `own()` (all that `finds` reads of the protocol outside
    its exercises), an exercise's by its `exercises_text_key` (`finds` reads of it its
    conditions and texts, not its dosage) and `around()` (what `finds` reads of the protocol
    when it judges an exercise). A rule whose every problem is in a place where `finds` holds asks
    this first: the files with none (nearly all) are done after a look-up for each place,
    whatever combination of exercises they have (issue 17).

    `own`, `around` and `finds(protocol)` read of the protocol only its shared part (what a
    `Rule.protocol_part` rule reads): the protocol's answer and the number of `around` are
    kept with the part (`part_answer`), so a file whose part an earlier file had builds
    neither key (issue 17: the codings of the protocol gathered and hashed in every file
    were a third of what the three rules that ask this cost)."""
    found, around_number = part_answer(
        protocol,
        context,
        ("any-place", name),
        _protocol_place,
        protocol,
        context,
        name,
        own,
        finds,
        around,
    )
    if found:
        return True
    # Each exercise's answer by its number, in one table for `name` and `around`.
    return any_kept(
        context.memo,
        (name, "exercises", around_number),
        zip(exercises_text_key(protocol, context), protocol.exercises, strict=True),
        lambda exercise: bool(finds(exercise)),
    )


def _protocol_place(
    protocol: Protocol,
    context: Context,
    name: str,
    own: Callable[[], Any],
    finds: Callable[[Protocol | Exercise], bool],
    around: Callable[[], Any] | None,
) -> tuple[bool, int]:
    """`any_place`'s answer for the protocol itself, kept for the run by `own()`, and the
    number of `around()`."""
    memo = context.memo
    key: tuple = (name, token(context, (name, own())))
    found = memo.get(key)
    if found is None:
        found = memo[key] = bool(finds(protocol))
    return found, token(context, (name, () if around is None else around()))


def part_answer(
    protocol: Protocol, context: Context, name: Any, compute: Callable[..., Any], *args: Any
) -> Any:
    """`compute(*args)`, which reads of the protocol only its shared part (what a
    `Rule.protocol_part` rule reads: everything but its id, title, exercises and file) and of
    the context only its memo and options that do not change in a run: kept with the part
    under `name`, so a file whose part an earlier file had does not work it out again.

    The part's answers are one table, found once per file by the part's safety section
    (`anchored`, as `Linter.lint` keeps the part's answers): each answer is then one
    look-up, not an anchor's (issue 17). A protocol built for one file alone (its part not
    shared) has a table of its own, dropped with the file.

    The table holds one answer for each `name` (a dozen) and lives as long as its part:
    the anchor lets go of it when the part tables let go of the part (`anchors`), so what
    the tables hold is bounded by the number of parts held, as the parts are. They are not
    charged to the run memo: a part met again after the part tables let it go is a new
    object with a new table, and charging each such table's answers (weighed, the
    conditions SAFE012 plans for are records of the whole process) started the memo again
    three times as often on copies of a clinic's files, for memory that was not held."""
    # Asked with `in`, not `Context.shared` and `get`: about nine answers a file, nearly all
    # found (issue 17, thirty-first sitting: three calls each).
    per_file = context.per_file
    if _PART_TABLE in per_file:
        table = per_file[_PART_TABLE]
    else:
        table = per_file[_PART_TABLE] = _part_table(protocol, context)
    if name in table:
        return table[name]
    found = table[name] = compute(*args)
    return found


# Where `part_answer` finds the table of the part's answers, in the file's `Context.per_file`.
_PART_TABLE = "part-answers"


def _part_table(protocol: Protocol, context: Context) -> dict[Any, Any]:
    return anchored(context, _PART_TABLE, (protocol.safety,), dict)


def _text_key(exercise: Exercise, protocol: Protocol) -> tuple:
    """A library exercise without its dosage's numbers: the library file, the reference (its
    id there and in the protocol) and the protocol's language, which its texts are read in, and
    the intensity text where the reference overrides it (it is then written in the protocol,
    not the library file, and a finding about it says where)."""
    source = exercise.library
    assert source is not None
    # Not overridden, the intensity is the library file's: its content says it already.
    overridden = "intensity" in source.dosage_override
    intensity = tuple(exercise.dosage.intensity.values.items()) if overridden else None
    return (
        "library-texts",
        source.content,
        source.ref,
        exercise.id,
        protocol.language,
        intensity,
    )


def exercise_place(exercise: Exercise) -> str:
    """Where the protocol holds the exercise: its entry in `exercises` (`/exercises/2`), the
    one part of an answer about it that its `exercise_key` leaves out."""
    source = exercise.library
    return exercise.origin.pointer if source is None else source.entry.pointer


def _written_at(data: Any, pointer: str) -> bytes | None:
    """A digest of the object at `pointer` in `data` as parsed, or None when there is none. A
    digest, not the text, so that a full memo holds 10,000 short keys rather than 10,000
    copies of exercises.

    An exercise's entry (`/exercises/N`) of a protocol whose schema check wrote its parts
    (`shared_parts.writing_of`) is digested from that writing, as orjson wrote it (keys in
    the order written, each value with its type: `part_key`), one byte longer than a digest
    of marshal's writing, so the two never meet: writing the entry again with marshal was
    most of what keying a new exercise cost (issue 17, twenty-fourth sitting). Any other is
    digested as `marshal` writes it (format 2, which never refers back to an object written
    before): keys in the order written, each value with its type (`1`, `1.0`, `true` and
    `"1"` all told apart), and `marshal.loads` reads the bytes back to an equal object, so
    two objects that differ never give the same bytes. It costs about 40 % of `repr` (what
    it used), and it is paid for every exercise of every file."""
    value = data
    tokens = pointer_tokens(pointer)
    for token in tokens:
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    if not isinstance(value, dict) or not value:
        return None
    writing = _entry_writing(data, tokens)
    if writing is not None:
        return _BY_ORJSON + blake2b(writing, digest_size=16).digest()
    return blake2b(marshal.dumps(value, 2), digest_size=16).digest()


# What starts the digest of an exercise's entry as orjson wrote it (`_written_at`).
_BY_ORJSON = b"j"


def _entry_writing(data: Any, tokens: list[str]) -> bytes | None:
    """The schema check's writing of the exercise entry `data` holds at `tokens`
    (`["exercises", "N"]`), when it kept one for `data` itself (`writing_of`), else None."""
    if len(tokens) != 2 or tokens[0] != "exercises":
        return None
    writing = writing_of(data)
    if writing is None:
        return None
    entries = writing[1]
    index = int(tokens[1])  # a digit string: the walk above found a list item there
    return entries[index] if index < len(entries) else None


def part_digest(context: Context) -> bytes | None:
    """A digest of the file's shared part (all but its id, title and exercises,
    `model.OWN_FIELDS`) as the schema check wrote it (`shared_parts.writing_of`), or None
    when it kept no writing of this file's data: files with equal digests have equal parts,
    whichever objects `validate`'s part tables built for each."""
    writing = writing_of(context.data)
    if writing is None:
        return None
    return blake2b(writing[0], digest_size=16).digest()


class Same:
    """An object as a key by its identity, holding it: a bare `id()` in a run-long key could be
    reused by another file's exercise once the first is freed, and that file would get the
    first one's answer (its own steps never read). Held by the key, the object lives as long
    as the key does, so its id cannot be reused meanwhile."""

    __slots__ = ("held",)

    def __init__(self, held: object) -> None:
        self.held = held

    def __hash__(self) -> int:
        return id(self.held)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.held is self.held


def each_exercise_remembered(
    protocol: Protocol,
    context: Context,
    key: tuple,
    check: Callable[[Exercise, int], Iterable[Problem]],
    wanted: Callable[[Exercise], bool] | None = None,
    dosage: bool | tuple[str, ...] = True,
    only: int | None = None,
) -> list[Problem]:
    """The problems `check(exercise, index)` finds in each exercise of the protocol (each one
    `wanted` says to look at), kept for the run per exercise: under `key` and the exercise's
    `exercise_key` (its content), so a file whose exercises were seen before, in any
    combination and at any place, checks none of them again.

    `check` reads the exercise and nothing of the protocol that `key` does not hold (`index`
    only to share work within the file). A kept answer holds the place it was worked out at
    (`exercise_place`); found for an exercise at another place, its pointers under the old
    place are moved under the new one (`_moved`). An answer whose messages name the place
    itself cannot be moved: it is worked out again for each place (H371).

    `dosage`: False for a `check` that reads of the dosage only its intensity text, and not the
    reference's note; the names of the dosage fields it reads besides; True (the whole
    exercise) for any other. Not True, the answers are kept under `exercises_text_key`, so a
    library exercise used with other numbers is not judged again (H570).

    The answers under one `key` are one table in the memo (`_answers`), by each exercise's
    number: `key` is hashed once per file, and each exercise is one look-up of a small number
    (issue 17: a key of the rule's and the exercise's numbers was built and hashed for every
    rule, every exercise and every file). A number stands for one exercise's content for the
    whole process (`token`), so whichever `dosage` gave it, it names one content in the
    table.

    `only`: the index of the one exercise to look at (`Rule.about_exercise`). Asked so by the
    engine for a group of rules whose answers it keeps by the same number (`KEPT_BY`), the
    exercise is checked and nothing is kept here: the engine's table has just missed under
    that number, so this one would miss too, and it would hold every answer twice (issue 17,
    thirty-fourth sitting)."""
    if only is not None and context.per_file.get(KEPT_BY) is _number_kind(dosage):
        exercise = protocol.exercises[only]
        if wanted is not None and not wanted(exercise):
            return []
        return list(check(exercise, only))
    found: list[Problem] = []
    if dosage is True:
        keys = exercises_key(protocol, context)
    else:
        keys = exercises_text_key(protocol, context, dosage or ())
    memo = context.memo
    table = _answers(memo, ("answers", *key))
    pairs: Iterable[tuple[int, tuple[Exercise, int]]]
    if only is None:
        pairs = enumerate(zip(protocol.exercises, keys, strict=True))
    else:
        pairs = ((only, (protocol.exercises[only], keys[only])),)
    for index, (exercise, exercise_key) in pairs:
        if wanted is None or wanted(exercise):
            # Written out: it runs for every exercise of every file, nine times. Most answers
            # are empty (`()`); one with problems is kept as (place, problems, movable).
            if exercise_key in table:
                kept = table[exercise_key]
            else:
                kept = _placed(exercise, tuple(check(exercise, index)))
                _keep(memo, table, exercise_key, kept)
            if kept:
                place = exercise_place(exercise)
                if kept[0] == place:
                    found += kept[1]
                elif kept[2]:
                    found += _moved(kept[1], kept[0], place)
                else:
                    placed_key = (exercise_key, place)
                    problems = table.get(placed_key)
                    if problems is None:
                        problems = tuple(check(exercise, index))
                        _keep(memo, table, placed_key, problems)
                    found += problems
    return found


def _answers(memo: Any, key: tuple) -> dict[Any, Any]:
    """The table of answers about exercises kept in the run memo under `key`, by each
    exercise's number (`each_exercise_remembered`, `any_place`, the text verdicts). Asked
    with `in`, as the tables below: the memo's `get` is a call, a dozen a file."""
    if key in memo:
        return memo[key]
    table: dict[Any, Any] = {}
    memo[key] = table  # weighed empty: each answer is charged as it is kept (`_keep`)
    return table


def kept_answer(memo: Any, name: tuple, key: Any, compute: Callable[..., Any], *args: Any) -> Any:
    """`compute(*args)`, kept for the run under `key` in the memo's table `name` (`_answers`,
    each answer charged as it is kept, `_keep`): the answer about content many files share
    (an exercise's number, a description), worked out once. None may be an answer."""
    table = _answers(memo, name)
    if key in table:
        return table[key]
    found = compute(*args)
    _keep(memo, table, key, found)
    return found


def kept_answers(
    memo: Any, name: tuple, pairs: Iterable[tuple[Any, Any]], compute: Callable[[Any], Any]
) -> list[Any]:
    """`compute(argument)` for each `(key, argument)` of `pairs`, in order, each answer kept
    for the run under its key in the memo's table `name`, as `kept_answer` keeps one: for a
    file's exercises at once, the table found once (issue 17, twenty-fifth sitting: a
    `kept_answer` for each exercise found the table again each time)."""
    table = _answers(memo, name)
    answers = []
    for key, argument in pairs:
        if key in table:
            found = table[key]
        else:
            found = compute(argument)
            _keep(memo, table, key, found)
        answers.append(found)
    return answers


def any_kept(
    memo: Any, name: tuple, pairs: Iterable[tuple[Any, Any]], compute: Callable[[Any], Any]
) -> bool:
    """Whether `compute(argument)` is true for any `(key, argument)` of `pairs`, each answer
    kept for the run under its key in the memo's table `name`, as `kept_answer` keeps one:
    for many keys at once, one look-up each (a file's strings, its exercises)."""
    table = _answers(memo, name)
    for key, argument in pairs:
        if key in table:
            found = table[key]
        else:
            found = compute(argument)
            _keep(memo, table, key, found)
        if found:
            return True
    return False


# Where the engine says, in a file's `Context.per_file`, by which of an exercise's numbers it
# keeps the answers of the group of rules it is asking about one exercise (`Linter._by_groups`):
# `WHOLE` (`exercises_key`) or `TEXTS` (`exercises_text_key` without fields); absent outside
# that question. `each_exercise_remembered` then keeps nothing of its own for a rule whose
# answers it would keep by the same number.
KEPT_BY = "kept-by"
WHOLE = "whole"
TEXTS = "texts"


def _number_kind(dosage: bool | tuple[str, ...]) -> str | None:
    """The number `each_exercise_remembered` keeps answers by, for its `dosage`: `WHOLE`,
    `TEXTS`, or None for one with dosage fields (a number of its own)."""
    if dosage is True:
        return WHOLE
    return None if dosage else TEXTS


def _keep(memo: Any, table: dict[Any, Any], key: Any, answer: Any) -> None:
    """Keeps `answer` in a table of the memo (`_answers`), charging the memo its weight and its
    key's, once, as it is kept: an answer is never changed (a tuple, a truth value, bits), so
    nothing walks it again. Past its budget the memo drops the table (this file finishes with
    it; the next makes a new one), and no table holds more than `RunMemo.LIMIT` answers."""
    if len(table) >= RunMemo.LIMIT:
        table.clear()
    table[key] = answer
    # The key is a number (or a number and a place); an empty answer is one shared object.
    charge(memo, ENTRY_BYTES + weight(key) + (weight(answer) if answer else 0))


def _placed(exercise: Exercise, problems: tuple[Problem, ...]) -> tuple:
    """An answer about one exercise as `each_exercise_remembered` keeps it: `()` for none,
    else (its place, the problems, whether they can be moved to another place: no message
    names the place, whose number would then be wrong elsewhere)."""
    if not problems:
        return ()
    place = exercise_place(exercise)
    return (place, problems, not any(place in p.message for p in problems))


def at_place(kept: tuple, place: str) -> Sequence[Problem] | None:
    """A kept answer's problems at `place`, the exercise's place in this file: as kept, or
    moved there; None when its messages name the place it was worked out at (H371), so it
    must be worked out again there."""
    if kept[0] == place:
        return kept[1]
    if kept[2]:
        return _moved(kept[1], kept[0], place)
    return None


def _moved(problems: tuple[Problem, ...], old: str, new: str) -> list[Problem]:
    """`problems` found at the exercise at `old`, for the same exercise at `new`: a pointer
    at `old` or under it moves under `new`; any other stays (a place outside the exercise)."""
    cut = len(old)
    return [
        replace(p, pointer=new + p.pointer[cut:])
        if p.pointer == old or p.pointer.startswith(old + "/")
        else p
        for p in problems
    ]


def remembered(
    context: Context, key: tuple, compute: Callable[[], Iterator[Problem]]
) -> tuple[Problem, ...]:
    """`compute()`'s problems, worked out once per run for each `key`: for rules whose answer
    depends only on content that repeats across files (the same red flags, the same library
    exercises). A problem names places by JSON pointer, which the key includes."""
    found = context.memo.get(key)
    if found is None:
        found = context.memo[key] = tuple(compute())
    return found


# The shared pass over a file's patient texts (issue 17): the rules whose every problem comes
# from a search of one text value register that search here (`text_check`); each value of the
# file is looked at once per run by all of them together, and a rule none of whose searches
# finds anything in any text of the file, its library exercises' included, is skipped.
_TEXT_CHECKS: list[Callable[[str, str], object]] = []
# The bits of the searches to which every digit may count, and of those to which only the
# strings of digits they hold do, by string (`text_check`'s `digits`).
_DIGITS_COUNT = {"every": 0, "held": {}}
# The gates of searches to which every digit may count (`text_check`'s `gate`), by bit.
_GATES: dict[int, Callable[[str, str], object]] = {}
# How many values' verdicts a run keeps before it starts again (a few MB at most).
VERDICTS_LIMIT = 50_000


def text_check(
    finds: Callable[[str, str], object],
    digits: tuple[str, ...] | None = None,
    gate: Callable[[str, str], object] | None = None,
) -> int:
    """Registers `finds(value, language_tag)` (true when a rule may have something to say of
    the value) for the shared pass; returns its bit, for `texts_may_hold`.

    `digits`: the strings of digits the search holds as written ("10" of "7/10"), given when
    they are the only place where it tells one ASCII digit from another (elsewhere a digit
    counts as a digit, `\\d`, `\\w`, or a character; or a larger number only finds less, as
    a pain score above 10 is none). It then
    finds nothing in a value holding none of them if it finds nothing in the value's shape,
    each digit written 0 (`digit_shape`): a title is answered by its shape (`_title_verdict`).
    None (the default): every digit may count.

    `gate(value, language)`, for a search to which every digit may count: true of every value
    the search finds something in, and reading each ASCII digit as any other (true of a value
    exactly when true of its `digit_shape`). A title is then searched only when the gate is
    true of its shape, whose answer is kept for the run with the shape's verdict (issue 17,
    thirty-third sitting: the red flags' numbers sent every title of a first run through the
    hidden red flags' search, 0.8 % of the lint's instructions)."""
    _TEXT_CHECKS.append(finds)
    bit = 1 << (len(_TEXT_CHECKS) - 1)
    if digits is None:
        _DIGITS_COUNT["every"] |= bit
        if gate is not None:
            _GATES[bit] = gate
    for held in digits or ():
        _DIGITS_COUNT["held"][held] = _DIGITS_COUNT["held"].get(held, 0) | bit
    return bit


def texts_may_hold(protocol: Protocol, context: Context, bit: int) -> bool:
    """Whether the search registered as `bit` finds something in any patient text of the
    protocol, in any language (`iter_texts`: its own texts and every exercise's, a library
    exercise's as the protocol uses it). False means the rule has nothing to say."""
    return (file_text_bits(protocol, context) & bit) != 0


def file_text_bits(protocol: Protocol, context: Context) -> int:
    """The bits of the searches registered with `text_check` that find something in a
    patient text of the protocol (what `texts_may_hold` asks of one bit)."""
    per_file = context.per_file  # asked by most rules of every file: `Context.shared` inlined
    if _TEXT_VERDICTS in per_file:
        return per_file[_TEXT_VERDICTS]
    found = per_file[_TEXT_VERDICTS] = _file_verdicts(protocol, context)
    return found


# Where `file_text_bits` keeps the file's bits, in its `Context.per_file`.
_TEXT_VERDICTS = "text-verdicts"


def exercise_may_hold(protocol: Protocol, context: Context, index: int, bit: int) -> bool:
    """As `texts_may_hold`, for the texts of the protocol's exercise at `index` alone (a library
    exercise's as the protocol uses it): False means a rule whose every problem about an
    exercise comes from that search has nothing to say of this one, in any file."""
    file_text_bits(protocol, context)
    return bool(context.per_file[_EXERCISE_VERDICTS][index] & bit)


def title_may_hold(protocol: Protocol, context: Context, bit: int) -> bool:
    """As `texts_may_hold`, for the protocol's title alone: False means a rule whose every
    problem about a text comes from that search has nothing to say of the title."""
    file_text_bits(protocol, context)
    return bool(context.per_file[_TITLE_VERDICT] & bit)


# Where `_file_verdicts` leaves each exercise's bits, and the title's, in the file's
# `Context.per_file`.
_EXERCISE_VERDICTS = "exercise-verdicts"
_TITLE_VERDICT = "title-verdict"


def _file_verdicts(protocol: Protocol, context: Context) -> int:
    """The bits of the registered searches that find something in some text of the file: the
    protocol's own texts, then each exercise's, whose bits are kept for the run under its
    `exercises_text_key` number (worked out once per file for every rule; its texts, not its
    dosage's numbers), so that a file whose exercises were seen before reads only its own
    texts. A value's verdict is kept for the run by its
    language tag and words. Both are kept under the number of searches registered (one
    registered later is never taken as having found nothing)."""
    checks = len(_TEXT_CHECKS)
    key = ("text-verdicts", checks)
    table = context.memo.get(key)
    if table is None or table[0] > VERDICTS_LIMIT:
        table = context.memo[key] = [0, {}]
    # The title, then the rest of the protocol's texts: its summary, safety and delivery
    # sections and its stages, of the shared part that copies of a clinic's files share,
    # whose bits are kept with the part (`part_answer`: the part's table, which the file
    # finds once for every rule, not an anchor of its four sections' own). A title
    # names one protocol, so its verdict is not kept: kept, the titles of a run over a
    # clinic's files were an eighth of what filled the run memo, and each time it filled it
    # was dropped with every answer files share (issue 17, twentieth sitting).
    found = 0
    for language, value in protocol.title.values.items():
        found |= _title_verdict(value, language, context.memo)
    context.per_file[_TITLE_VERDICT] = found
    found |= part_answer(protocol, context, key, _part_verdicts, protocol, table, context.memo)
    keys = exercises_text_key(protocol, context)  # the texts alone: not the dosage's numbers
    # Each exercise's bits by its number: one table, looked up once per file.
    by_exercise = _answers(context.memo, ("answers", *key))
    # Each exercise's bits set in place: no call an exercise.
    each: list[int] = [0] * len(keys)
    context.per_file[_EXERCISE_VERDICTS] = each
    for index, (exercise, written) in enumerate(zip(protocol.exercises, keys, strict=True)):
        if written in by_exercise:
            exercise_found = by_exercise[written]
        else:
            exercise_found = _verdicts(iter_exercise_texts(exercise), table, context.memo)
            _keep(context.memo, by_exercise, written, exercise_found)
        each[index] = exercise_found
        found |= exercise_found
    return found


def _part_verdicts(protocol: Protocol, table: list, memo: Any) -> int:
    """`_verdicts` of the protocol's texts after its title (`iter_protocol_texts`): all of its
    shared part."""
    return _verdicts(iter_protocol_texts(protocol)[1:], table, memo)


def _verdicts(texts: Iterable[Text], table: list, memo: Any = None) -> int:
    """The bits of the registered searches that find something in one of `texts`; `table` is
    [how many values it holds, {language tag: {value: bits}}], kept in `memo`, which is
    charged each value it keeps (the value is the key: a whole text)."""
    by_language: dict[str, dict[str, int]] = table[1]
    found = 0
    for text in texts:
        for language, value in text.values.items():
            seen = by_language.get(language)
            if seen is None:
                seen = by_language[language] = {}
            verdict = seen.get(value)
            if verdict is None:
                verdict = seen[value] = _searched(value, language)
                table[0] += 1
                charge(memo, ENTRY_BYTES + _getsizeof(value))
            found |= verdict
    return found


# Each ASCII digit written 0: a text's shape ("Back basics (programme 00)").
_ZEROS = bytes.maketrans(b"123456789", b"000000000")


def digit_shape(value: str) -> str:
    """`value` with each ASCII digit written 0. Through its UTF-8 bytes, where an ASCII digit
    is a byte of its own and no other character holds one: a tenth of `str.translate`'s
    time, a dictionary look-up a character (issue 17). `surrogatepass`: a lone surrogate, which
    a JSON text may hold, comes back as it was."""
    written = value.encode("utf-8", "surrogatepass").translate(_ZEROS)
    return written.decode("utf-8", "surrogatepass")


def _title_verdict(value: str, language: str, memo: Any) -> int:
    """`_searched(value, language)` of a title. A title names one protocol, so its verdict is
    not kept, but the titles of a clinic's programmes often differ by a number alone ("Back
    basics (programme 7)"): the verdict of the title's shape (`digit_shape`) is kept for the
    run, and a search whose only digits that count are strings it holds (`text_check`'s `digits`)
    and that finds nothing in the shape, in a title holding none of those strings, finds
    nothing in the title either: it is not asked again (issue 17: every title of a corpus of
    copies went through the eight searches, an eighth of the lint). The other searches, and
    any that finds something in the shape, read the title itself: the verdict is the one
    `_searched` gives."""
    shape = digit_shape(value)
    if shape == value:  # no digit but 0: nothing to share with other titles
        return _searched(value, language)
    in_shape, closed = kept_answer(
        memo,
        ("title-shapes", len(_TEXT_CHECKS)),
        (language, shape),
        _shape_verdict,
        shape,
        language,
    )
    # The searches to ask of the title itself; the others find nothing in it. Those to which
    # every digit counts are asked but where their gate is closed: false of the shape, so
    # false of the title (`text_check`'s `gate`), and they find nothing in it.
    ask = in_shape | _DIGITS_COUNT["every"]
    for held, bits in _DIGITS_COUNT["held"].items():
        if held in value:
            ask |= bits
    return _searched(value, language, ask & ~closed)


def _shape_verdict(shape: str, language: str) -> tuple[int, int]:
    """A title shape's `_searched` verdict, and the bits of the searches whose gate is false
    of it (`text_check`'s `gate`)."""
    closed = 0
    for bit, gate in _GATES.items():
        if not gate(shape, language):
            closed |= bit
    return _searched(shape, language), closed


def _searched(value: str, language: str, ask: int = -1) -> int:
    """The bits of the registered searches that find something in `value`, of those whose
    bits `ask` holds (all of them by default)."""
    verdict = 0
    for bit, finds in enumerate(_TEXT_CHECKS):
        if ask >> bit & 1 and finds(value, language):
            verdict |= 1 << bit
    return verdict
