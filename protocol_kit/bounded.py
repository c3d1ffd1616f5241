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


def weight(value: Any, depth: int = 0) -> int:
    """About how many bytes `value` holds: its own size and its parts' (strings, bytes,
    tuples, lists, dictionaries, and records with `__slots__`). Shared parts are counted at
    every use, so the weight is never below what is held."""
    kind = type(value)
    if kind is str or kind is bytes or kind is int or kind is float:
        return _getsizeof(value)
    if value is None or kind is bool:
        return 0  # one object for the whole process
    if depth >= _DEPTH:
        return _SMALL
    depth += 1
    # Loops rather than `sum` over a generator, and strings (most parts) weighed in place:
    # every new answer of a dozen per-text caches is weighed, and on texts that all differ
    # the weighing cost more than the answers (issue 17). The sums are the same.
    if kind is tuple or kind is list or kind is frozenset or kind is set:
        total = _getsizeof(value)
        for item in value:
            total += _getsizeof(item) if type(item) is str else weight(item, depth)
        return total
    if kind is dict:
        total = _getsizeof(value)
        for key, item in value.items():
            total += weight(key, depth) + weight(item, depth)
        return total
    slots = getattr(kind, "__slots__", None)
    if isinstance(slots, tuple) and slots:
        total = _getsizeof(value)
        for name in slots:
            total += weight(getattr(value, name, None), depth)
        return total
    return _getsizeof(value)


_HELD_APART = (str, bytes, tuple, frozenset)


def _new_parts(args: tuple, kwargs: dict[str, Any]) -> int:
    """The weight of the arguments a kept answer holds on its own: texts and tuples of them.
    Others (a compiled pattern, the red-flag sets) are shared with the whole process."""
    total = 0
    for value in args:
        kind = type(value)
        if kind is str:
            total += _getsizeof(value)
        elif kind in _HELD_APART:
            total += weight(value)
    if kwargs:
        for value in kwargs.values():
            if type(value) in _HELD_APART:
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
