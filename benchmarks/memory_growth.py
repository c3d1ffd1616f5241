"""What a `protokit validate` run holds as it goes: one process (`--jobs 1`), a line after
each of the given numbers of files with the process's resident memory (now and its peak), the
lint's run memo (bytes by its own count, answers), the answers every `lru_cache` holds (the
bounded text caches among them) and Python's allocated blocks.

With `--trace` tracemalloc starts after the first file and the lines end with what was made
since and is still held; at the end, between each two marks, the allocations that grew or
shrank most, by traceback: a report, count or per-file object kept until the end of the run
would show here as a line that grows with every mark (issue 17). Tracing takes several times
the CPU and its own memory: read the resident figures of an untraced run.

    python benchmarks/memory_growth.py CORPUS [--marks 1000,2000,10000] [--trace] [--top 12]

Run from a corpus made by `corpus.py` (its `protokit.toml` is read); it checks
`CORPUS/protocols`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import os
import sys
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _resident() -> str:
    """VmRSS / VmHWM of this process, in MB."""
    found = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS", "VmHWM")):
                found[line[:5]] = int(line.split()[1]) / 1024
    return f"{found.get('VmRSS', 0):.1f} / {found.get('VmHWM', 0):.1f} MB"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--marks", default="1000,2000,5000,10000")
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    marks = {int(mark) for mark in args.marks.split(",")}

    from protocol_kit.app import check
    from protocol_kit.cli.main import main as protokit

    snapshots: dict[int, tracemalloc.Snapshot] = {}
    checked = 0
    plain_check = check.FileChecker.check

    def counted(self: check.FileChecker, path: str) -> check.FileReport:
        nonlocal checked
        report = plain_check(self, path)
        checked += 1
        if checked == 1 and args.trace:
            tracemalloc.start(14)
        if checked in marks:
            gc.collect()
            line = f"{checked} files: {_resident()}; {_held()}; blocks {sys.getallocatedblocks()}"
            if args.trace:
                snapshots[checked] = tracemalloc.take_snapshot()
                traced = tracemalloc.get_traced_memory()[0] / 1e6
                line += f"; made since file 1, held {traced:.2f} MB"
            print(line, file=sys.stderr)
        return report

    check.FileChecker.check = counted  # type: ignore[method-assign]
    os.chdir(args.corpus)
    sys.argv = ["protokit", "validate", "-q", "protocols", "--jobs", "1"]
    with contextlib.suppress(SystemExit):  # its exit code says whether files failed
        protokit()
    _differences(snapshots, args.top)


if __name__ == "__main__":
    main()
