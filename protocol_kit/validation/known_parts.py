"""Parts of protocols that passed their schema earlier in this process, not checked again
(issue 17).

The fast engine's yes/no for a protocol was its largest single cost after parsing, and most
of it went on parts many files share: the exercises (two thirds of it on a clinic's copies,
for half the bytes), then the safety section and delivery. A protocol is valid exactly when
its top level is (the required fields, no unknown one, the conditions between fields) and
every field's value passes that field's own schema; and its `exercises` pass when there is
at least one and each item passes the item schema, whatever the others are. So:

- everything but `id`, `title` and `exercises` (the fields each copy changes, as
  `model.build_protocol` shares the rest) is one part: when it is byte for byte (as orjson
  writes it) the part of a protocol that passed, the document is checked by a validator in
  which those fields' own schemas are `true`. The top level is checked as before: the same
  fields must be there, no other, and the conditions between them (`allOf`) still look at
  their values;
- an exercise that is byte for byte one that passed is replaced, for the check, by the
  smallest exercise that passed (a copy of it, read back from its writing): the same verdict
  for the list, in less time.

A value passes a schema or not by itself alone (no `$dynamicRef`: the schemas have none), and
two values with one writing are one value (orjson writes `1`, `1.0`, `true` and `"1"` apart;
the strict parse refuses what it would write as another, `shared_parts.part_key`). The shape
this relies on is checked when the validators are made (`_shape_allows`): a schema of
another shape is checked whole, as before. Only "passed" is kept, and only in this process:
a document that fails is always checked whole, for its messages.

Kept as orjson wrote them, 512 exercises and 64 shared parts were 3.3 MB, the largest of
what a process grew by from its 500th to its 5,000th file (issue 17): orjson gives its bytes
the room it reserved while writing, 4 KB at least, where an exercise's writing needs 1.2 KB
and a shared part 5.3 KB. So an exercise that passed is kept by its writing's BLAKE2b digest
(256 bits: 32 bytes), and a shared part by its writing at its own length
(`shared_parts.own_length`). No file can be given another's verdict short of a collision of
BLAKE2b's 256 bits, the same trust the bundles' SHA-256 rests on (the lead's decision,
twentieth sitting). Each digest is CPU at every file that is looked at, in proportion to the
bytes: the exercises' (512 kept then, 0.6 MB as bytes) for about 5 µs a file, where the shared
part's digest would cost about 6 µs more a file for 0.3 MB; the model's part tables, which
build a file's part from what they keep, compare the bytes whole (`shared_parts.PartTable`).

Where no part is ever found again (files whose texts all differ), writing the keys is all a
file gets from here: after `MISSES` documents in a row with nothing found, only one in
`SAMPLE` is looked at (`shared_parts.PartTable` does the same).
"""

from __future__ import annotations

import sys

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.model import OWN_FIELDS as OWN
from protocol_kit.shared_parts import keep_writing, own_length, writing_digest

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# What the schema of the exercise list may say for the items to be judged one by one.
_LIST_KEYWORDS = frozenset({"description", "type", "minItems", "maxItems", "items"})
# Top-level keywords whose meaning the shortcut keeps (the others: checked whole).
_TOP_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "title",
        "description",
        "type",
        "required",
        "properties",
        "patternProperties",
        "additionalProperties",
        "allOf",
        "$defs",
    }
)


def shape_allows(schema: Any) -> bool:
    """Whether a protocol schema judges its fields one by one as this module relies on: only
    the top-level keywords it knows, an exercise list that judges each item alone, and no
    condition between fields that looks into the exercises."""
    if not isinstance(schema, dict) or not set(schema) <= _TOP_KEYWORDS:
        return False
    properties = schema.get("properties")
    exercises = properties.get("exercises") if isinstance(properties, dict) else None
    if not isinstance(exercises, dict) or not set(exercises) <= _LIST_KEYWORDS:
        return False
    return "exercises" not in repr(schema.get("allOf", ()))


def trusting(schema: dict[str, Any], fields: bool = False, exercises: bool = False) -> Any:
    """The protocol schema with `true` for the own schema of every field of the shared part
    (`fields`: all but `OWN`) and of each exercise (`exercises`): for a document whose such
    parts passed before."""
    # Copied only where changed: the schema itself is shared by every validator.
    properties = dict(schema["properties"])
    if fields:
        properties.update((name, True) for name in properties if name not in OWN)
    if exercises:
        properties["exercises"] = {**properties["exercises"], "items": True}
    return {**schema, "properties": properties}


class KnownParts:
    """The parts of protocols that passed in this process (the `kept_parts` and
    `kept_exercises` last found new: the parts by their writings, the exercises by the
    digests of theirs), and the check that uses them."""

    MISSES = 256
    SAMPLE = 8
    # Exercises kept, by digest (about 100 bytes each with the table's entry, at most about
    # 0.2 MB). A clinic's copies hold more distinct exercise entries than 512 (each dosage
    # override of a library reference is one: 1,159 in the 10,000-file benchmark corpus),
    # and the oldest kept was let go first, so that 2,778 of its 10,500 files had an
    # exercise checked again that had passed before; with 2,048, 979 (issue 17,
    # twenty-ninth sitting: 0.4 % fewer instructions for `validate --no-lint`).
    KEPT_EXERCISES = 2048

    def __init__(self, kept_parts: int = 64, kept_exercises: int = KEPT_EXERCISES) -> None:
        self._parts: dict[bytes, None] = {}
        self._exercises: dict[bytes, None] = {}
        self._limits = kept_parts, kept_exercises
        self._stand_in: Any = None  # a copy of the smallest exercise that passed
        self._stand_in_size = 0
        self._misses = 0  # documents in a row in which nothing was found

    def is_valid(self, data: Any, validators: Validators) -> bool:
        """Whether the protocol `data` passes its schema, judged by `validators` (the
        schema's, and those that trust what passed: `Validators`)."""
        dumps = getattr(sys.modules.get("orjson"), "dumps", None)
        entries = data.get("exercises") if type(data) is dict else None
        misses = self._misses
        if (
            dumps is None  # a small run: orjson not imported (`loading.QUICK_READ_AFTER`)
            or type(entries) is not list
            or (misses >= self.MISSES and misses % self.SAMPLE)
        ):
            self._misses = misses + 1
            return validators.whole(data)
        try:
            part = dumps({k: v for k, v in data.items() if k not in OWN})
            keys = [dumps(entry) for entry in entries]
        except TypeError:  # orjson.JSONEncodeError: what it cannot write is checked whole
            return validators.whole(data)
        known = self._exercises
        digests = [writing_digest(key) for key in keys]
        # For the model's part tables, which key parts alike (the exercises by these digests).
        keep_writing(data, part, keys, digests)
        found = [digest in known for digest in digests]
        part_known = part in self._parts
        document = data
        if all(found):
            check = validators.both if part_known else validators.exercises
        else:
            check = validators.fields if part_known else validators.whole
            if any(found):
                stand_in = self._stand_in
                checked = [stand_in if f else e for f, e in zip(found, entries, strict=True)]
                document = {**data, "exercises": checked}
        self._misses = 0 if part_known or any(found) else misses + 1
        valid = check(document)
        if valid:
            self._remember(part, part_known, keys, digests, found)
        return valid

    def _remember(
        self,
        part: bytes,
        part_known: bool,
        keys: list[bytes],
        digests: list[bytes],
        found: list[bool],
    ) -> None:
        if not part_known:
            _keep(self._parts, own_length(part), self._limits[0])
        for key, digest, known in zip(keys, digests, found, strict=True):
            if known:
                continue
            _keep(self._exercises, digest, self._limits[1])
            if self._stand_in is None or len(key) < self._stand_in_size:
                import orjson  # imported already: the key was written by it

                self._stand_in, self._stand_in_size = orjson.loads(key), len(key)


def _keep(kept: dict[bytes, None], key: bytes, limit: int) -> None:
    """Keep `key`, letting go of the one kept longest when there are more than `limit`."""
    kept[key] = None
    if len(kept) > limit:
        del kept[next(iter(kept))]


class Validators:
    """The fast validators of the protocol schema (`is_valid` of each): the schema's own
    (`whole`), and those trusting what passed before: the fields of the shared part
    (`fields`), the exercises (`exercises`, items `true`), or both. Each trusting one is made
    when first asked: a run of one file, or of files that share nothing, asks none of them,
    and a validator costs about as much to make as a few hundred checks (issue 17: the first
    run of one file made all three for nothing)."""

    # The checks, by name (`whole` and the trusting ones), then what makes the latter.
    CHECKS = ("whole", "fields", "exercises", "both")
    __slots__ = (*CHECKS, "_make", "_schema")

    def __init__(self, whole: Any, make: Callable[[Any], Any], schema: dict[str, Any]) -> None:
        """`whole` is the schema's validator, and `make(schema)` makes one."""
        self._make = make
        self._schema = schema
        self.whole: Callable[[Any], bool] = whole.is_valid
        self.fields: Callable[[Any], bool] = self._made_when_asked("fields", True, False)
        self.exercises: Callable[[Any], bool] = self._made_when_asked("exercises", False, True)
        self.both: Callable[[Any], bool] = self._made_when_asked("both", True, True)

    def _made_when_asked(self, name: str, fields: bool, exercises: bool) -> Callable[[Any], bool]:
        """A check that makes its validator on its first call and then stands aside for it."""
        made: Callable[[Any], bool] | None = None

        def first(document: Any) -> bool:
            nonlocal made
            if made is None:
                derived = trusting(self._schema, fields=fields, exercises=exercises)
                made = self._make(derived).is_valid
            if getattr(self, name) is first:
                setattr(self, name, made)
            return made(document)

        return first
