"""Parts of protocol models that are the same in many files, built once and shared.

`protokit validate` builds each protocol's model only to find its problems, and many files
hold the same parts: an exercise copied between protocols, one clinic's safety section and
delivery in every file, a reference to a library exercise with the same dosage. Building the
records of such a part (its texts, each with its place) was most of the CPU of "library
references" and "model" after parsing (issue 17).

A shared part names no file: each of its places is its JSON pointer alone, with the file
left empty (`model.ANY_FILE`). The pointer is the same in every file that shares the part
(a part is shared only where it sits at the same place: an exercise with the same index),
and a finding takes its file from the protocol being checked, never from the part; what
needs the file itself (an image, which is found beside the file naming it) is built for each
file. So the models are shared by `validate` alone (`CheckOptions.share_parts`); a sheet, a
bundle or an export is made from a model whose every place names its file.
"""

from __future__ import annotations

import marshal
import sys
from collections import OrderedDict
from collections.abc import Callable, Mapping
from operator import attrgetter

from protocol_kit.digests import blake2b
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.model import Origin, Text, protocol_part_anchor
from protocol_kit.record import Record, init

if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

# How many parts the part tables of this process keep hold each object, by its `id`: each part
# kept, and each member of a part that is a tuple (a protocol's fields: its summary, safety,
# delivery and stages). The lint's anchor tables (`lint.anchors`) keep a key only while the
# objects it was worked out from are here: an object a table has let go is never met again (a
# later file gets a new one), and a key kept with it held it alive outside every budget, up
# to 512 exercises a table (about 3.5 MB, growing with the corpus: issue 17).
_HELD: dict[int, int] = {}
# How many parts the tables have let go, in this process: the anchor tables look for keys
# whose objects are no longer held when it has moved on.
_dropped = 0
# What the lint keeps with a part while the tables hold it (`kept_with`), by the part's `id`:
# let go with the part (`_count`), so nothing outlives it and no other object can take its
# `id` meanwhile.
_KEPT_WITH: dict[int, dict[Any, Any]] = {}


def held(value: Any) -> bool:
    """Whether a part table of this process keeps `value`, as a part or a member of one."""
    return id(value) in _HELD


def kept_with(value: Any) -> dict[Any, Any] | None:
    """A dictionary kept with `value` for as long as a part table of this process holds it (as
    a part or a member of one), for answers that depend on the part alone (the lint's numbers
    of a shared exercise); None when no table holds it. The first question makes it empty.
    One dictionary look-up for a part met again, where a table of the part's own (an anchor
    table, `lint.anchors`) must also be looked through for parts let go (issue 17)."""
    key = id(value)
    found = _KEPT_WITH.get(key)
    if found is None and key in _HELD:
        found = _KEPT_WITH[key] = {}
    return found


def dropped() -> int:
    """How many parts the tables of this process have let go so far."""
    return _dropped


def _count(part: Any, step: int) -> None:
    """Count `part` (and each member of a tuple part) as held by one more (`step` 1) or one
    fewer (-1) kept part."""
    for value in (part, *part) if type(part) is tuple else (part,):
        key = id(value)
        left = _HELD.get(key, 0) + step
        if left:
            _HELD[key] = left
        else:
            del _HELD[key]
            _KEPT_WITH.pop(key, None)


class PartTable:
    """Parts by what they were built from, the `kept` most recently used. A part is kept from
    the second time it is built: the first leaves only a number made from its key among the
    last `trial` such numbers (two keys may give one number: that part is then kept from
    its first time, which changes nothing but memory). A clinic's own files, whose parts all
    differ, so keep no part; a run over 100,000 files holds what it held after 1,000.

    Where nothing is found again (`MISSES` lookups in a row found nothing), a part is
    looked for only once in `SAMPLE` times and otherwise built without a key: writing the
    key is most of what a part that is never found again costs (a protocol's is 5.8 KB), and
    one found again is looked for as before."""

    MISSES = 256
    SAMPLE = 8

    def __init__(
        self,
        kept: int,
        trial: int,
        anchor: Callable[[Any], Any] = lambda part: part,
        by_digest: bool = False,
        alike: AlikeValues | None = None,
    ) -> None:
        self._kept_limit, self._trial_limit = kept, trial
        # Where a part to be kept gives up its copies of the strings and places the kept
        # parts hold already (`AlikeValues`); None: kept as built.
        self._alike = alike
        # Whether a part is kept by its writing's digest (`writing_digest`), not by the
        # writing itself: for the exercises, whose digests the schema check made already.
        self._by_digest = by_digest
        self._kept: OrderedDict[bytes, Any] = OrderedDict()
        self._trial: OrderedDict[int, None] = OrderedDict()
        self._misses = 0  # lookups in a row that found nothing
        self._keyed_by_orjson = False  # whether the kept parts' keys were written again
        # What `note` was told about each kept part, by the identity of its anchor (an object
        # of the part a caller holds: `anchor(part)`); `_UNASKED` until asked. Only kept
        # parts are here, and only while they are kept: the table holds them, so no other
        # object can have an anchor's identity meanwhile.
        self._anchor = anchor
        self._notes: dict[int, Any] = {}

    def part(
        self,
        kind: Any,
        language: str,
        data: Mapping[str, Any],
        build: Callable[..., T],
        *args: Any,
        written: bytes | None = None,
        digest: bytes | None = None,
    ) -> T:
        """The part `build(*args)` makes from `data` in `language`. `kind` says which part and
        where it sits (`("exercise", 2)`): the same data elsewhere in a file has other places.
        `written`, when the caller has it (`writing_of`), is `data` as orjson writes it, and
        `digest` that writing's digest (`writing_digest`, `digests_of`).

        Keyed by `part_key`: two parts that differ never have one key. The bytes themselves,
        not a digest of them as the lint's keys (`lint.base._written_at`): a digest cost half
        as much again as writing them, and the bytes are compared whole when found, so that
        no file, however made, can be given another's part. They take about a fifth of a
        part's memory, kept at their own length (`_compact`). A table `by_digest` keeps a
        part by its writing's BLAKE2b-256 digest instead (`writing_digest`), as the schema
        check keeps the exercises that passed (`validation.known_parts`, the same trust):
        for the exercises, whose digests that check made already, so that they cost nothing
        more and a kept exercise's key is 32 bytes, not its 1 to 3 KB writing (thirty-first
        sitting: 512 exercises kept)."""
        misses = self._misses
        if misses >= self.MISSES and misses % self.SAMPLE:
            self._misses = misses + 1
            return build(*args)
        if digest is not None and self._by_digest:
            key: Any = (kind, language, digest)
        else:
            key = part_key(kind, language, data) if written is None else (kind, language, written)
            if self._by_digest:
                key = _digested(key)
        kept = self._kept
        found = kept.get(key)
        if found is None and not self._keyed_by_orjson and type(key) is tuple:
            # orjson has just arrived: the parts kept so far, under marshal's keys, would
            # never be found again (a tuple is never equal to bytes) and were built once more.
            kept = self._kept = _written_again(kept, self._by_digest)
            self._keyed_by_orjson = True
            found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
            self._misses = 0
            return found
        found = build(*args)
        trial, number = self._trial, hash(key)
        if number in trial:
            del trial[number]
            if self._alike is not None:
                self._alike.share(found)
            kept[_compact(key)] = found
            self._notes[id(self._anchor(found))] = _UNASKED
            _count(found, 1)
            if len(kept) > self._kept_limit:
                dropped = kept.popitem(last=False)[1]
                self._notes.pop(id(self._anchor(dropped)), None)
                self._let_go(dropped)
            self._misses = 0  # built again, but from now on found
        else:
            self._misses = misses + 1
            trial[number] = None
            if len(trial) > self._trial_limit:
                trial.popitem(last=False)
        return found

    def __len__(self) -> int:
        """How many parts are kept."""
        return len(self._kept)

    def note(self, anchor: Any, work_out: Callable[[], T]) -> T | None:
        """What `work_out()` says about the kept part whose anchor `anchor` is: worked out
        at the first question while the part is kept, found again for every later file that
        shares it. None for any other (a part built for one file and not kept, a model not
        made by this table): the caller works that out its own way. `work_out` must depend
        on the part alone, or keep what else it depends on for the caller to check (the
        translation check keeps the languages it was asked about)."""
        key = id(anchor)
        noted = self._notes.get(key)
        if noted is _UNASKED:
            noted = self._notes[key] = work_out()
        return noted

    def __del__(self) -> None:
        # A table dropped with its checker (a library user's, a test's) no longer holds its
        # parts: their ids may be taken by new objects. At the interpreter's exit this
        # module may already be gone: nothing is left to count for.
        try:
            for part in self._kept.values():
                self._let_go(part)
        except Exception:  # noqa: BLE001, S110 (only at exit: the counts die with the process)
            pass

    @staticmethod
    def _let_go(part: Any) -> None:
        global _dropped
        _count(part, -1)
        _dropped += 1


# What `PartTable.note` holds for a kept part not yet asked about.
_UNASKED = object()


def part_key(kind: Any, language: str, data: Mapping[str, Any]) -> Any:
    """What a part is kept under: `kind` and `language` with `data` as orjson writes it,
    once a run has imported orjson (`jsontext.quick_read`, after its first few hundred
    files), else the three as `marshal` writes them (format 2, which never refers back to an
    object written before). orjson writes a part in a third of marshal's time (a protocol's
    5.8 KB in 3.5 µs against 11, issue 17).

    Either way keys come in the order written and each value with its type: orjson writes
    `1`, `1.0`, `true`, `"1"` and `null` apart (a float always with its point or exponent,
    in the shortest digits that read back to it, so two floats differ in writing), and
    marshal keeps every type apart. The one value orjson writes as another is a float that
    is not finite (NaN and infinity as `null`), which the strict parse never gives
    (`loading._NumberPolicy`); what orjson cannot write (an integer beyond 64 bits, a text
    with a lone surrogate) is written by marshal. The two kinds of key never meet: a tuple
    is never equal to bytes."""
    dumps = getattr(sys.modules.get("orjson"), "dumps", None)
    if dumps is not None:
        try:
            return kind, language, dumps(data)
        except TypeError:  # orjson.JSONEncodeError: the value is written by marshal instead
            pass
    return marshal.dumps((kind, language, data), 2)


# The last protocol whose parts the schema check wrote (`validation.known_parts`): the
# document itself, its shared part's writing, each exercise's and each one's digest. Kept
# with the document, so that no other can be taken for it; one at a time.
_LAST_WRITING: list[Any] = [None]


def keep_writing(
    document: Any, part: bytes, exercises: list[bytes], digests: list[bytes] | None = None
) -> None:
    """Keep what the schema check wrote of `document` (a protocol's parsed data) for its part
    tables (`writing_of`, `digests_of`): a part and its exercises are written once per file,
    not twice, and each exercise's writing digested once (`writing_digest`)."""
    _LAST_WRITING[0] = (document, part, exercises, digests)


def writing_of(document: Any) -> tuple[bytes, list[bytes]] | None:
    """The writing of `document`'s shared part (all but `model.OWN_FIELDS`, as orjson writes
    it) and of each of its exercises, when the schema check kept it (`keep_writing`); else
    None, and the part tables write what they need themselves."""
    last = _LAST_WRITING[0]
    return None if last is None or last[0] is not document else (last[1], last[2])


def digests_of(document: Any) -> list[bytes] | None:
    """The digest of each of `document`'s exercises' writings (`writing_digest`), when the
    schema check kept them (`keep_writing`); else None."""
    last = _LAST_WRITING[0]
    return None if last is None or last[0] is not document else last[3]


def _written_again(kept: OrderedDict[Any, Any], by_digest: bool) -> OrderedDict[Any, Any]:
    """`kept` (in its order of use) with each key `marshal` wrote as `part_key` writes it
    now that orjson is imported: the same kind, language and data, read back from marshal's
    writing (equal values of the same types, keys in the same order), so each part is kept
    under the key a file with the same data is given from now on. A run of 256 to 800 files
    built every part kept before the switch again (1.2 % more instructions on 600 files).
    What orjson cannot write keeps marshal's key."""
    again = (part_key(*marshal.loads(key)) if type(key) is bytes else key for key in kept)
    return OrderedDict(
        (_digested(key) if by_digest else _compact(key), part)
        for key, part in zip(again, kept.values(), strict=True)
    )


def writing_digest(written: bytes) -> bytes:
    """What a part is kept under by a table `by_digest`, and an exercise that passed its
    schema (`validation.known_parts`): its writing's BLAKE2b digest, 256 bits."""
    return blake2b(written, digest_size=32).digest()


def _digested(key: Any) -> Any:
    """`part_key`'s `key` with orjson's writing as its digest (`writing_digest`); marshal's
    writing (bytes, not a tuple: never equal to a digest's key) as it is."""
    if type(key) is not tuple:
        return key
    kind, language, written = key
    return kind, language, writing_digest(written)


def own_length(written: bytes) -> bytes:
    """orjson's `written` copied to bytes of its own length, to be kept. orjson gives the
    bytes it writes the room it reserved while writing, 4 KB at least: three to four times
    what an exercise's writing needs (issue 17). Copied only when kept, not when looked for."""
    return bytes(memoryview(written))


def _compact(key: Any) -> Any:
    """`key` as a part table keeps it: orjson's writing (the last member of `part_key`'s
    tuple) at its own length (`own_length`); the keys kept were most of what the tables grew
    by (issue 17)."""
    if type(key) is not tuple:
        return key  # marshal's writing, of its own length
    kind, language, written = key
    return kind, language, own_length(written)


class AlikeValues:
    """One object for each string and each place (`Origin`) that the kept parts of a process's
    part tables hold alike, so that a part kept holds those of the parts kept before it, not
    copies of its own (issue 17, thirty-second sitting).

    A clinic's exercises differ from each other in a dose or a step, and its protocols in a
    few fields: each kept part was built from its own file's parse, with its own copy of
    every text, and an `Origin` of its own for every place (whose pointer is the same in
    every file: a shared part names no file). At 3,000 files of the benchmark corpus the 250
    exercises kept held 17,847 strings of 915 values and 6,616 places of 288; an exercise
    kept took about 16.5 KB, most of it these copies, and the table's filling from 1,000 to
    10,000 files was most of what the largest process grew by.

    `share` replaces, in a part about to be kept (new, built for this file and seen by no
    one else yet), each string and place by the one kept before that is equal in every field
    (a string by its value, a place by its file and pointer): the part is equal, field for
    field, to the one built, and only its memory changes. Nothing of the model is told
    apart by identity but the parts themselves and their members (`held`, the lint's
    anchors), which are kept as they are: only what lies inside them is replaced. Values
    other than strings and places (numbers, texts' dictionaries) are left as they are.

    What it holds is a string or place until no kept part holds it: past `_TRIM` and each
    time its size has doubled since, it lets go of those that only it holds (their count of
    references, CPython's), so a long run's turnover of kept parts does not pile up here."""

    _TRIM = 4096

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._places: dict[tuple[str, str], Origin] = {}
        self._trim_at = self._TRIM

    def share(self, part: Any) -> None:
        """Replace, inside `part` (a record, or a tuple of them), the strings and places
        held alike before; `part` itself, and a tuple's members, stay the same objects."""
        if type(part) is tuple:
            for member in part:
                self._within(member)
        else:
            self._within(part)
        if len(self._strings) + len(self._places) > self._trim_at:
            self._trim()

    def _alike(self, value: Any) -> Any:
        """The object `value` is replaced by: its kept equal (a string, a place), a tuple
        of such (a new one only where one changed); a record or text after its insides;
        anything else (a number, the file's own data as parsed) as it is."""
        kind = type(value)
        if kind is str:
            return self._strings.setdefault(value, value)
        if kind is Origin:
            return self._places.setdefault((value.path, value.pointer), value)
        if kind is Text:
            self._text(value)
        elif kind is tuple:
            if value:
                alike = tuple([self._alike(member) for member in value])
                if not all(map(_is, alike, value)):
                    return alike
        elif kind not in _LEFT and isinstance(value, Record):
            self._within(value)
        return value

    def _text(self, text: Text) -> None:
        strings, values = self._strings, text.values
        for language, value in values.items():
            alike = strings.setdefault(value, value)
            if alike is not value:
                values[language] = alike  # type: ignore[index]
        origin = text.origin
        place = self._places.setdefault((origin.path, origin.pointer), origin)
        if place is not origin:
            _set_origin(text, place)

    def _within(self, value: Any) -> None:
        """Replace a record's fields (and a tuple's records' fields) by their kept equals, in
        place; a field of the file's own data (a dictionary or list as parsed) is left."""
        kind = type(value)
        if kind is tuple:
            for member in value:
                self._within(member)
            return
        if kind is Text:
            self._text(value)
            return
        if not isinstance(value, Record):
            return
        names, fields_of = _fields(type(value))
        alike_of = self._alike
        for name, held in zip(names, fields_of(value), strict=True):
            if type(held) not in _LEFT:
                alike = alike_of(held)
                if alike is not held:
                    init(value, name, alike)

    def _trim(self) -> None:
        strings, places = self._strings, self._places
        count = getattr(sys, "getrefcount", None)
        if count is None:  # not CPython: start again
            strings.clear()
            places.clear()
        else:
            # Held by nothing but this: a string by its table (as key and value), the list
            # and the loop's name, and `getrefcount`'s argument; a place by its table, the
            # list's pair, the loop's name and the argument (`tests/test_shared_parts.py`
            # holds these counts to what they free and keep).
            for text in list(strings):
                if count(text) <= 5:
                    del strings[text]
            for where, place in list(places.items()):
                if count(place) <= 4:
                    del places[where]
        self._trim_at = max(self._TRIM, 2 * (len(strings) + len(places)))


_set_origin = Text.origin.__set__  # type: ignore[attr-defined]
# What `AlikeValues` leaves as it is, without a look: nothing in it is a string or place.
_LEFT = frozenset({type(None), bool, int, float, dict, list})
_FIELDS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple]]] = {}


def _fields(kind: type) -> tuple[tuple[str, ...], Callable[[Any], tuple]]:
    """A record class's field names, and what gives all of a record's fields at once."""
    found = _FIELDS.get(kind)
    if found is None:
        names = kind.__slots__
        get = attrgetter(*names)
        found = _FIELDS[kind] = (names, get if len(names) > 1 else lambda value: (get(value),))
    return found


def _is(first: Any, second: Any) -> bool:
    return first is second


class SharedParts:
    """The tables of one process's run (`app.check.FileChecker`), one for each kind of part,
    so that each is looked for or not by how often it is found again."""

    def __init__(self) -> None:
        # Halved once (from 64, 320, 1,024: full tables were most of what the largest process
        # grew by from 1,000 to 100,000 files, 4.7 MB of 18, and the CPU it cost was not
        # measurable then), and raised again below, where it is (docs/performance.md, issue 17).
        # Everything of a protocol but its id, title and exercises: about 21 KB each (its key
        # 6 KB of it), at most 1.4 MB.
        # A protocol's part is its fields in order (`model.build_protocol`), noted by its
        # safety section (`model.protocol_part_anchor`): a protocol built from it holds that.
        # The trials (numbers of parts met once, about 120 bytes each) only as long as a
        # clinic's copies need: over 50,000 files a worker they held at most about 100
        # exercises' and 1,700 references' numbers at once, and a trial of 2,048 references
        # keeps the very parts one of 4,096 kept. At 4,096 the trials grew with a run over a
        # clinic's own texts, none of which is met twice, to 0.5 MB a table (issue 17,
        # twenty-fifth sitting, docs/performance.md).
        # Kept: enough for the shared parts and exercises a clinic's copies repeat (the
        # 10,000-file benchmark corpus: 187 distinct shared parts, 352 exercises written in
        # protocols), which at 32 and 160 were let go and built again (2,382 exercises and 339
        # shared parts built in one process where 613 and 92 are: each repeated part is built
        # twice, then kept). At 100,000 files that is about 13 % less CPU for about 4 MB more
        # in the largest process (issue 17, thirtieth sitting, docs/performance.md).
        # One object for each string and place the kept protocols and exercises hold alike
        # (`AlikeValues`): about half of what a kept exercise or protocol took.
        alike = AlikeValues()
        self.protocols = PartTable(kept=64, trial=1024, anchor=protocol_part_anchor, alike=alike)
        # Exercises written in protocols: about 13.5 KB each, at most 6.9 MB, less their keys:
        # each was its writing, 2.6 KB, and is now its digest (thirty-first sitting).
        self.exercises = PartTable(kept=512, trial=1024, by_digest=True, alike=alike)
        # References to library exercises: many more (each dosage override is one), each
        # small (about 950 bytes to 1.5 KB: the library's exercise is shared already). 256
        # kept rebuilt 46 % of the 10,000-file corpus's references (2,282 distinct, about
        # 1,500 of them repeated); 1,024 rebuild 23 %, 2.4 % fewer instructions in a first
        # `--no-lint` run of it for 1.2 to 2 MB more in the largest process, bounded by the
        # size (issue 17, thirty-third sitting, docs/performance.md).
        self.references = PartTable(kept=1024, trial=2048, by_digest=True)

    @staticmethod
    def writing_of(document: Any) -> tuple[bytes, list[bytes]] | None:
        """`writing_of`, for the model, which cannot import this module."""
        return writing_of(document)

    @staticmethod
    def digests_of(document: Any) -> list[bytes] | None:
        """`digests_of`, for the library, likewise."""
        return digests_of(document)
