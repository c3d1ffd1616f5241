"""What a `protokit validate` run holds as it goes: one process (`--jobs 1`), a line after
each of the given numbers of files with the process's resident memory (now and its peak), the
lint's run memo (bytes by its own count, answers), the answers every `lru_cache` holds (the
bounded text caches among them), Python's allocated blocks and, where the C library is glibc,
its heap (`mallinfo2`: in use and free, what Python's own allocator does not serve: objects
over 512 bytes, a dictionary's or a set's table): resident memory that neither the blocks nor
the heap in use account for is pages the allocators keep part-used. Then pymalloc's arenas
(1 MiB each; an arena goes back to the system only when all its blocks are free) against the
bytes in its live blocks: arenas that grow faster than the blocks are freed space pinned by a
few long-lived objects, arenas that grow with them are live objects. Last, the CPU a file took
since the previous mark: a cache's budget or a layout that saves memory must not cost it.

`--memo-budget` and `--text-cache-bytes` (in KB) run with other budgets than the code's
(`RunMemo.BUDGET`, `bounded.TEXT_CACHE_BYTES`), to see what a budget buys without a copy of
the tree; their CPU is for `compare_validate.py` with a tree that has them.

With `--trace` tracemalloc starts after the first file and the lines end with what was made
since and is still held; at the end, between each two marks, the allocations that grew or
shrank most, by traceback: a report, count or per-file object kept until the end of the run
would show here as a line that grows with every mark (issue 17). Tracing takes several times
the CPU and its own memory: read the resident figures of an untraced run.

    python benchmarks/memory_growth.py CORPUS [--marks 1000,2000,10000] [--trace] [--top 12]
        [--memo-budget KB] [--text-cache-bytes KB]

Run from a corpus made by `corpus.py` (its `protokit.toml` is read); it checks
`CORPUS/protocols`.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import functools
import gc
import os
import re
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _resident() -> str:
    """VmRSS / VmHWM of this process, in MB, and how much of it is anonymous (the rest is
    files' pages: the interpreter's and the libraries' code as it is first run)."""
    found = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS", "VmHWM")):
                found[line[:5]] = int(line.split()[1]) / 1024
    anonymous = ""
    with contextlib.suppress(OSError), open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            if line.startswith("Anonymous:"):
                anonymous = f" ({int(line.split()[1]) / 1024:.1f} MB anonymous)"
    return f"{found.get('VmRSS', 0):.1f} / {found.get('VmHWM', 0):.1f} MB{anonymous}"


def _held() -> str:
    """The run memo's count and the lru caches' answers, found among the live objects."""
    from protocol_kit.lint.memo import RunMemo

    memos = []
    answers = 0
    for thing in gc.get_objects():
        if type(thing) is RunMemo:
            memos.append(f"{thing.held / 1024:.0f} KB in {len(thing)} answers")
        elif isinstance(thing, functools._lru_cache_wrapper):
            answers += thing.cache_info().currsize
    return f"memo {', '.join(memos) or 'none'}; lru answers {answers}"


class _Mallinfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in [
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        ]
    ]


def _heap() -> str:
    """glibc's heap (`mallinfo2`): in use and free, MB; "" where there is none to ask."""
    try:
        libc = ctypes.CDLL(None)
        info = libc.mallinfo2
    except (OSError, AttributeError):
        return ""
    info.restype = _Mallinfo2
    found = info()
    return f"; heap {found.uordblks / 1e6:.2f} MB in use, {found.fordblks / 1e6:.2f} free"


def _arenas() -> str:
    """pymalloc's arenas (1 MiB each) and the bytes in its live blocks, from
    `sys._debugmallocstats`, which writes to the C library's standard error: an arena goes
    back to the system only when every block in it is free, so arenas that grow faster than
    the blocks are long-lived objects pinning freed space."""
    with tempfile.TemporaryFile() as written:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(written.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        written.seek(0)
        stats = written.read().decode("ascii", "replace")
    names = ("arenas allocated current", "arenas allocated total", "bytes in allocated blocks")
    found = [re.search(rf"# {name}\s*=\s*([\d,]+)", stats) for name in names]
    if not all(found):
        return ""
    current, total, blocks = (int(match.group(1).replace(",", "")) for match in found)
    return f"; pymalloc {current} arenas ({total} ever), blocks {blocks / 1e6:.2f} MB"


def _differences(snapshots: dict[int, tracemalloc.Snapshot], top: int) -> None:
    marks = sorted(snapshots)
    for before, after in zip(marks, marks[1:], strict=False):
        changes = snapshots[after].compare_to(snapshots[before], "traceback")
        total = sum(change.size_diff for change in changes)
        print(f"=== {before} -> {after} files: {total / 1e6:+.2f} MB still held")
        for change in changes[:top]:
            print(f"  {change.size_diff / 1e3:+.1f} KB ({change.count_diff:+d} blocks)")
            for line in change.traceback.format()[-12:]:
                print(f"     {line}")


def _budgets(args: argparse.Namespace) -> None:
    """The budgets asked for, set before the first file (each cache reads its own at every
    new answer)."""
    from protocol_kit import bounded
    from protocol_kit.lint.memo import RunMemo

    if args.memo_budget is not None:
        RunMemo.BUDGET = args.memo_budget * 1024
    if args.text_cache_bytes is not None:
        bounded.TEXT_CACHE_BYTES = args.text_cache_bytes * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--marks", default="1000,2000,5000,10000")
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--memo-budget", type=int, metavar="KB", help="RunMemo.BUDGET")
    parser.add_argument("--text-cache-bytes", type=int, metavar="KB", help="TEXT_CACHE_BYTES")
    args = parser.parse_args()
    marks = {int(mark) for mark in args.marks.split(",")}
    _budgets(args)

    from protocol_kit.app import check
    from protocol_kit.cli.main import main as protokit

    snapshots: dict[int, tracemalloc.Snapshot] = {}
    checked = 0
    plain_check = check.FileChecker.check
    last = [time.process_time(), 0]  # CPU seconds and files at the previous mark

    def counted(self: check.FileChecker, path: str) -> check.FileReport:
        nonlocal checked
        report = plain_check(self, path)
        checked += 1
        if checked == 1 and args.trace:
            tracemalloc.start(14)
        if checked in marks:
            per_file = (time.process_time() - last[0]) / (checked - last[1]) * 1e6
            gc.collect()
            line = (
                f"{checked} files: {_resident()}; {_held()}; "
                f"blocks {sys.getallocatedblocks()}{_arenas()}{_heap()}; "
                f"CPU {per_file:.0f} µs a file since the last mark"
            )
            if args.trace:
                snapshots[checked] = tracemalloc.take_snapshot()
                traced = tracemalloc.get_traced_memory()[0] / 1e6
                line += f"; made since file 1, held {traced:.2f} MB"
            print(line, file=sys.stderr)
            # From here: the mark's own collection, counts and snapshot are not a file's.
            last[:] = [time.process_time(), checked]
        return report

    check.FileChecker.check = counted  # type: ignore[method-assign]
    os.chdir(args.corpus)
    sys.argv = ["protokit", "validate", "-q", "protocols", "--jobs", "1"]
    with contextlib.suppress(SystemExit):  # its exit code says whether files failed
        protokit()
    _differences(snapshots, args.top)


if __name__ == "__main__":
    main()
