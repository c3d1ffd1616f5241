"""The ways a kept cache file (`protocol_kit.cache`'s layout: a line naming the interpreter
and the layout, a check, then the marshalled entries) can be damaged or planted, for the
tests of each cache that reads one: each must be refused and worked out afresh."""

from __future__ import annotations

import marshal
from collections.abc import Callable
from typing import Any

from protocol_kit import cache

# The names of the ways `damaged` gives, for a test's parameters.
DAMAGES = (
    "empty", "not ours", "truncated", "one byte changed", "changed, check not",
    "another interpreter", "another layout",
)  # fmt: skip


def damaged(
    original: bytes,
    layout: int,
    planted: Callable[[dict[Any, Any]], dict[Any, Any]],
    other_interpreter: bytes,
    pieces: bool = False,
) -> dict[str, bytes]:
    """`original` damaged every way, by name. `layout`: the cache's format number, in its
    first line; `planted(entries)`: readable entries of the right shape that were not
    written (kept with the check of the file as it was); `other_interpreter`: another
    interpreter's first line; `pieces`: a file of `cache.store_with_pieces` (the entries'
    length before them, the pieces after them, kept as they were when planted)."""
    line, _, rest = original.partition(b"\n")
    check, payload = rest[: cache._CHECK], rest[cache._CHECK :]
    after = b""
    if pieces:
        size = int.from_bytes(payload[: cache._SIZE], "big")
        payload, after = payload[cache._SIZE : cache._SIZE + size], payload[cache._SIZE + size :]
    entries = marshal.loads(payload) if payload else {}
    planted_payload = marshal.dumps(planted(entries))
    if pieces:
        planted_payload = len(planted_payload).to_bytes(cache._SIZE, "big") + planted_payload
    flipped = bytearray(original)
    flipped[len(original) // 2] ^= 0xFF
    return {
        "empty": b"",
        "not ours": b"this is not a cache file" * 50,
        "truncated": original[: len(original) // 2],
        "one byte changed": bytes(flipped),
        "changed, check not": line + b"\n" + check + planted_payload + after,
        "another interpreter": other_interpreter + b"\n" + rest,
        "another layout": line.replace(b"%d " % layout, b"99 ", 1) + b"\n" + rest,
    }
