"""Measure a command as a user runs it: wall clock, CPU and peak memory of it and of the
worker processes it starts, and how busy the rest of the machine was meanwhile.

Linux: memory and machine load come from /proc and `wait4`; elsewhere those columns are None.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def step(message: str) -> None:
    """Progress, on stderr so that stdout holds only the results."""
    print(f"... {message}", file=sys.stderr, flush=True)


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds, the command and its worker processes
    max_rss_kb: int  # the largest resident set of any one of its processes
    tree_rss_kb: int | None  # the largest sum over all its processes at once (sampled)
    code: int
    stdout: bytes
    others: float | None  # cores that other programs kept busy meanwhile


def machine_cpu() -> float | None:
    """Seconds of CPU the whole machine has spent busy since it started (from /proc/stat)."""
    try:
        with open("/proc/stat") as handle:
            ticks = [int(field) for field in handle.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + ticks[4]  # idle and waiting for I/O
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


# How long to wait for a quiet machine before each timed run (`--quiet-wait` of the scripts).
QUIET_WAIT = 120.0


def wait_until_quiet(limit: float = 0.2, timeout: float | None = None) -> None:
    """Wait (up to `timeout` seconds, default QUIET_WAIT) until other programs use less than
    `limit` cores: on a shared machine another job's test run can halve a measurement."""
    timeout = QUIET_WAIT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = machine_cpu()
        time.sleep(0.5)
        after = machine_cpu()
        if before is None or after is None or (after - before) / 0.5 < limit:
            return
    step(f"the machine stayed busy for {timeout:.0f} s; measuring anyway")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed resident memory of a process and its descendants every 10 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.available = os.path.exists(f"/proc/{pid}/status")
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.01):
            pids, stack = [], [self.pid]
            while stack:
                pid = stack.pop()
                pids.append(pid)
                stack += _children(pid)
            self.peak = max(self.peak, sum(_rss_kb(pid) for pid in pids))

    def stop(self) -> int | None:
        self._done.set()
        self.join()
        return self.peak if self.available else None


def measure(command: Sequence[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run a command to completion; its resource use comes from wait4, which covers the
    worker processes it waited for."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy = machine_cpu()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        memory = TreeMemory(process.pid)
        memory.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        busy_after = machine_cpu()
        process.returncode = code = os.waitstatus_to_exitcode(status)
        tree = memory.stop()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if code not in (0, 1):
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise SystemExit(f"{command[0]} exited with {code}: {' / '.join(tail)}")
    cpu = usage.ru_utime + usage.ru_stime
    others = None
    if busy is not None and busy_after is not None:
        others = max(0.0, (busy_after - busy - cpu) / wall)
    return Run(wall, cpu, usage.ru_maxrss, tree, code, stdout, others)


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.wall)[len(runs) // 2]


def command_env(cache: Path) -> dict[str, str]:
    """The environment of an installed tool: bytecode cached (as pip leaves it), kept out of
    the source tree; proxies that refuse every connection, so a tool that tried to use the
    network would fail rather than quietly download."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "NO_PROXY")}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env[name] = "http://127.0.0.1:9"
    for name in ("GITHUB_ACTIONS", "NO_COLOR"):
        env.pop(name, None)
    return env
