"""Caches bounded by the bytes they hold, not by their number of answers (issue 17).

A cache of answers per text (a rule's reading of one step, one sign, one sentence) held 4,096
texts whatever their length: a few hundred kilobytes on short texts, but up to 40 MB on texts
of 10,000 characters (the longest string a file may hold), for each of a dozen such caches.
`text_cache` is `functools.lru_cache` with a byte budget besides: each answer worked out adds
its `weight` and its texts' to the cache's count, and a cache past its budget is emptied
before the next answer is kept. Answers found are `lru_cache`'s own, with nothing added to
them: the budget costs only new answers.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

# What a key and its answer cost a dictionary besides themselves (its slot, its index entry,
# the room a dict keeps free), and `lru_cache` its link.
ENTRY_BYTES = 100
# 512 KB: at 2 MB each, the dozen caches together let the largest process grow by about 1.4 MB
# from 1,000 to 100,000 files (a run reached the budget between the two); at 512 KB the lint's
# CPU on a corpus whose texts all differ did not change measurably (docs/performance.md,
# issue 17). 4,096 answers of 10,000 characters would be 80 MB.
TEXT_CACHE_BYTES = 512 * 1024
# Below this depth every part of a value is weighed; deeper parts count as one small object
# each (keys and answers are shallow: tuples of strings, digests and problems).
_DEPTH = 4
_SMALL = 64
_getsizeof = sys.getsizeof


# Kinds weighed by their own size alone, and kinds weighed with their members.
_SIZED = frozenset({str, bytes, int, float})
_MEMBERS = frozenset({tuple, list, frozenset, set})
_NEW_PARTS = frozenset({str, bytes, tuple, frozenset})


# Whether new answers are weighed at all (`weigh_answers`).
_WEIGHING = {"on": True}


def weigh_answers(on: bool) -> None:
    """Whether `weight` weighs (the default) or says 0 for everything: then a cache counts
    only `ENTRY_BYTES` an answer, a budget of about 5,000 answers. Only `protokit validate`
    of one named file of at most the default size turns weighing off (cli/main.py
    `settled`): every text its caches hold comes from that one file, so what they hold is
    bounded by it, and weighing each new answer was about 5 million instructions, 2 % of
    its run (issue 17). A run over several files, and every library use, weighs."""
    _WEIGHING["on"] = on


def weight(value: Any, depth: int = 0) -> int:
    """About how many bytes `value` holds: its own size and its parts' (strings, bytes,
    tuples, lists, dictionaries, and records with `__slots__`). Shared parts are counted at
    every use, so the weight is never below what is held.

    Written out as loops with the plain members weighed in place (not a call and a generator
    per member): every new answer of a run is weighed, most are tuples of a few strings, and
    the generators were most of the 7 million instructions weighing took of a one-file
    `protokit validate` (issue 17). The sizes are the same as member by member."""
    if not _WEIGHING["on"]:
        return 0
    kind = type(value)
    if kind in _SIZED:
        return _getsizeof(value)
    if value is None or kind is bool:
        return 0  # one object for the whole process
    if depth >= _DEPTH:
        return _SMALL
    depth += 1
    if kind in _MEMBERS:
        return _getsizeof(value) + _members(value, depth)
    if kind is dict:
        return _getsizeof(value) + _members(value, depth) + _members(value.values(), depth)
    slots = getattr(kind, "__slots__", None)
    if isinstance(slots, tuple) and slots:
        return _getsizeof(value) + _members([getattr(value, name, None) for name in slots], depth)
    return _getsizeof(value)


def _members(values: Any, depth: int) -> int:
    """The weight of each of `values` at `depth`, added up."""
    total = 0
    for item in values:
        kind = type(item)
        if kind in _SIZED:
            total += _getsizeof(item)
        elif item is not None and kind is not bool:
            total += weight(item, depth)
    return total


def _new_parts(args: tuple, kwargs: dict[str, Any]) -> int:
    """The weight of the arguments a kept answer holds on its own: texts and tuples of them.
    Others (a compiled pattern, the red-flag sets) are shared with the whole process."""
    total = 0
    for value in args:
        if type(value) in _NEW_PARTS:
            total += weight(value)
    if kwargs:
        for value in kwargs.values():
            if type(value) in _NEW_PARTS:
                total += weight(value)
    return total


def text_cache(maxsize: int = 4096, max_bytes: int | None = None) -> Callable[[F], F]:
    """`functools.lru_cache(maxsize)`, emptied when the answers it worked out since it was
    last emptied weigh more than `max_bytes` (each answer's `weight` and its texts'; by
    default `TEXT_CACHE_BYTES`, read at each new answer)."""

    def decorate(function: F) -> F:
        held = 0

        def worked_out(*args: Any, **kwargs: Any) -> Any:
            nonlocal held
            answer = function(*args, **kwargs)
            size = ENTRY_BYTES + _new_parts(args, kwargs) + weight(answer)
            if held + size > (TEXT_CACHE_BYTES if max_bytes is None else max_bytes):
                # lru_cache allows it while an answer is being worked out: it keeps this
                # answer in the emptied cache when the call returns.
                cached.cache_clear()
                held = 0
            held += size
            return answer

        cached = functools.lru_cache(maxsize)(functools.wraps(function)(worked_out))
        return cached  # type: ignore[return-value]

    return decorate
