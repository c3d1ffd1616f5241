"""The cyclic garbage collector during a run over many files (issue 17).

A run's tables (the part tables, the schema check's trusted parts, the lint's kept answers)
fill over its first few thousand files, and every object they keep is looked at by the
collector's young collections until it is old: at CPython's default of a young collection
every 700 new objects, each worker of a first run over 10,500 files made about 70 young
collections in its first 256 files (against 3 in a later 256) and spent about 45 ms of CPU in
the collector; one process checking the whole run (`--jobs 1`) about 90 ms. Collections
further apart find the same garbage and look at fewer survivors more than once.
"""

from __future__ import annotations

import gc

# New objects between young collections while a run checks many files (CPython's default is
# 700). Still a number, not "never": what a file leaves in reference cycles is freed within
# this many new objects, a few files' worth. A first run over 10,500 files: each worker spent
# 44 ms in the collector at 700, about 18 at 10,000 and at 50,000; one process (`--jobs 1`)
# 90, 58 and 28 ms; but the largest process grew with the threshold (0.6 MB at 50,000 with
# `--no-lint`), so not further apart than what the workers gain from (docs/performance.md).
RUN_YOUNG = 10_000


def collect_less_often() -> tuple[int, ...] | None:
    """Young collections `RUN_YOUNG` new objects apart, until `restore` is given what this
    returns (the thresholds before, or None when nothing was changed: the collector is off,
    or already collects less often, as `protokit validate FILE` makes it)."""
    before = gc.get_threshold()
    if not gc.isenabled() or before[0] == 0 or before[0] >= RUN_YOUNG:
        return None
    gc.set_threshold(RUN_YOUNG, *before[1:])
    return before


def restore(before: tuple[int, ...] | None) -> None:
    """The thresholds as they were before `collect_less_often`."""
    if before is not None:
        gc.set_threshold(*before)
