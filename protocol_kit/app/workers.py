"""How many worker processes a run starts."""

from __future__ import annotations

import os


def worker_count(requested: int, items: int) -> int:
    """`--jobs` as a run uses it: 0 means one per core, and never more processes than cores
    or items. The work is CPU-bound, so a worker beyond the cores gains nothing, and each one
    costs tens of megabytes: `--jobs 10000` must not start ten thousand processes."""
    cores = os.cpu_count() or 1
    return max(1, min(requested or cores, cores, items))
