"""Where the wall clock of a parallel `protokit validate` goes: a timeline of the run's
process and its workers (issue 17).

Runs `protokit validate ARGS` as a user does (a process of its own, in `--cwd`), with hooks
that note, in each process, when it started, when each stage began and ended and how much
CPU it had used by then: the run's own process (imports, the folder walk, the files it checks
before the workers start, the pool's start, the time it waits for results, its end) and each
worker (its start, each chunk of files). Nothing is added to the command's output; the
timeline goes to this script's standard output. Times are from the run's process start
(`/proc`, to 10 ms), CPU is user + system of the process.

    python benchmarks/pool_timeline.py [--tree OTHER] [--cwd DIR] [--runs 3] -- validate -q DIR

`--tree` runs another checkout's code (a `git archive` of a commit): the hooks hold to names
both have, and leave out a stage a tree does not have.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_EVENTS = "PROTOKIT_TIMELINE_DIR"


# In the measured process ----------------------------------------------------------------


def _process_start() -> float:
    """This process's start on the `time.monotonic` clock, from /proc (clock ticks)."""
    with open("/proc/self/stat") as handle:
        fields = handle.read().rpartition(")")[2].split()
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
    since_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
    return time.monotonic() - (since_boot - started)


class _Notes:
    """The events of one process, written whole to its own file after each one, as a worker
    ends with `os._exit` (no `atexit`)."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.events: list[tuple[str, float, float]] = [("start", _process_start(), 0.0)]
        self.pid = os.getpid()

    def note(self, label: str, write: bool = True) -> None:
        self.events.append((label, time.monotonic(), time.process_time()))
        if write:
            self.write()

    def write(self) -> None:
        path = Path(os.environ[_EVENTS]) / f"{self.pid}.json"
        peak = _peak_kb()
        path.write_text(json.dumps({"role": self.role, "events": self.events, "peak": peak}))


def _peak_kb() -> int:
    """The process's largest resident memory so far (kB)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def _hooked(module, name: str, before=None, after=None) -> None:  # noqa: ANN001
    """`module.name` wrapped to call `before()` and `after()` around it, if it exists."""
    import functools

    original = getattr(module, name, None)
    if original is None:
        return

    @functools.wraps(original)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if before:
            before(*args)
        try:
            return original(*args, **kwargs)
        finally:
            if after:
                after()

    setattr(module, name, wrapper)


def child() -> None:
    """The command, with its hooks: run as this script's own child process."""
    notes = _Notes("run")
    notes.note("main", write=False)
    sys.argv = ["protokit", *sys.argv[2:]]
    import atexit
    import concurrent.futures._base as futures

    atexit.register(lambda: notes.note("end"))
    from protocol_kit.app import check

    ours = {"notes": notes}
    walked = (lambda *_: notes.note("walk", False), lambda: notes.note("walked"))
    _hooked(check, "found_files", *walked)
    _hooked(check, "map_with_checker", lambda *_: notes.note("checker", False))

    def in_worker() -> _Notes:
        if ours["notes"].pid != os.getpid():
            ours["notes"] = _Notes("worker")
        return ours["notes"]

    def one_file(*_: object) -> None:
        own = in_worker()
        if own.role == "run" and not any(label == "warm" for label, *_ in own.events):
            own.note("warm", write=False)

    _hooked(check, "_check_one", one_file)
    _hooked(
        check,
        "_start_worker",
        lambda *_: in_worker().note("init", False),
        lambda: in_worker().note("ready"),
    )
    # A chunk, in a worker or (where the run's process checks chunks too) here.
    chunk = "_run_here" if hasattr(check, "_run_here") else "_run_chunk"
    _hooked(
        check,
        chunk,
        lambda *args: in_worker().note(f"chunk {len(args[-1][1])}", False),
        lambda: in_worker().note("done"),
    )
    import concurrent.futures.process as pools

    _hooked(pools.ProcessPoolExecutor, "__init__", lambda *_: notes.note("pool", write=False))
    waits = {"count": 0, "seconds": 0.0}
    original_result = futures.Future.result

    def result(self, timeout=None):  # noqa: ANN001, ANN202
        started = time.monotonic()
        try:
            return original_result(self, timeout)
        finally:
            waits["count"] += 1
            waits["seconds"] += time.monotonic() - started
            waits["last"] = (time.monotonic(), time.process_time())

    futures.Future.result = result

    def wrote() -> None:
        notes.events.append(("waited", waits["seconds"], waits["count"]))
        if "last" in waits:
            notes.events.append(("last result", *waits["last"]))

    atexit.register(wrote)  # runs before "end" (last registered, first run)
    from protocol_kit.cli.main import main

    main()


# In this script -------------------------------------------------------------------------


def _run(command: list[str], cwd: Path, tree: Path | None) -> tuple[float, float, list[dict]]:
    with tempfile.TemporaryDirectory() as events:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env[_EVENTS] = events
        if tree is not None:
            env["PYTHONPATH"] = str(tree)
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", *command],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"the command exited with {os.waitstatus_to_exitcode(status)}")
        processes = [json.loads(path.read_text()) for path in Path(events).glob("*.json")]
    return wall, usage.ru_utime + usage.ru_stime, processes


def _describe(wall: float, cpu: float, processes: list[dict]) -> dict[str, float]:
    """The run's stages in ms from its start, and each worker's busy and idle time."""
    run = next(p for p in processes if p["role"] == "run")
    at = {label: (when, used) for label, when, used in run["events"]}
    zero = at["start"][0]
    figures = {"wall": wall * 1000, "cpu": cpu * 1000}
    for label in ("main", "walk", "walked", "checker", "warm", "pool", "last result", "end"):
        if label in at:
            figures[f"run {label}"] = (at[label][0] - zero) * 1000
            figures[f"run {label} cpu"] = at[label][1] * 1000
    if "waited" in at:
        figures["run waiting"] = at["waited"][0] * 1000
    workers = sorted((p for p in processes if p["role"] == "worker"), key=lambda p: p["events"][0])
    for number, worker in enumerate([run, *workers]):
        events = worker["events"]
        chunks = [
            (events[i][1], events[i + 1][1], events[i + 1][2] - events[i][2], int(label[6:]))
            for i, (label, *_) in enumerate(events)
            if label.startswith("chunk ")
        ]
        first = {label: when for label, when, _ in reversed(events)}
        name = f"worker {number}" if number else "run"
        figures[f"{name} peak MB"] = worker["peak"] / 1024
        if number:
            figures[f"{name} forked"] = (events[0][1] - zero) * 1000
            figures[f"{name} ready"] = (first.get("ready", events[0][1]) - zero) * 1000
        if chunks:
            figures[f"{name} first chunk"] = (chunks[0][0] - zero) * 1000
            figures[f"{name} last done"] = (chunks[-1][1] - zero) * 1000
            figures[f"{name} chunks"] = len(chunks)
            figures[f"{name} busy"] = sum(end - begin for begin, end, *_ in chunks) * 1000
            figures[f"{name} busy cpu"] = sum(used for *_, used, _ in chunks) * 1000
            files = figures[f"{name} files"] = sum(count for *_, count in chunks)
            figures[f"{name} us/file"] = figures[f"{name} busy cpu"] * 1000 / files
            gaps = [later[0] - earlier[1] for earlier, later in itertools.pairwise(chunks)]
            figures[f"{name} gaps"] = sum(gaps) * 1000
            figures[f"{name} last chunk"] = (chunks[-1][1] - chunks[-1][0]) * 1000
            if number:
                figures[f"{name} cpu"] = events[-1][2] * 1000
    if workers and "pool" in at and "last result" in at:
        # What the run would take on idle cores: the run's process until the pool starts, the
        # busiest worker, the run's process after its last result.
        # (or, where the run's process checks chunks too, the whole of it).
        figures["critical cpu"] = (
            max(
                at["end"][1],
                at["pool"][1]
                + max(w["events"][-1][2] for w in workers)
                + at["end"][1]
                - at["last result"][1],
            )
            * 1000
        )
    return figures


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, help="another checkout's code (default: this one)")
    parser.add_argument("--cwd", type=Path, default=Path.cwd())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("command", nargs="+", help="after --: validate and its arguments")
    args = parser.parse_args()
    runs = [_describe(*_run(args.command, args.cwd, args.tree)) for _ in range(args.runs)]
    for label in runs[0]:
        values = [run.get(label) for run in runs if label in run]
        shown = "  ".join(f"{value:9.1f}" for value in values)
        print(f"{label:24} {shown}   median {statistics.median(values):9.1f}")


if __name__ == "__main__":
    main()
