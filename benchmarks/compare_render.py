"""Benchmark: this tree's sheets against another checkout's, side by side in one run.

    git worktree add ../protocol-kit-main main
    python benchmarks/compare_render.py ../protocol-kit-main [--rounds 3] [--pictures]

Both trees render the example protocols (standard and large print), each in a process of
its own kept running, with this environment's packages: one sheet in one tree, then the same
sheet in the other (which goes first alternates), 9 times a sheet in each of `--rounds`
rounds. The machine is shared and its load changes from second to second; measured a few
milliseconds apart, both trees see the same load, so the ratios are what to read, not the
milliseconds. With --pictures every card has a PNG (as `bench_render.py`'s "pictures"
sheets) instead of its drawing. Each sheet is measured twice: rendered again in the same
process, and with the renderer's memory of parsed and laid-out texts emptied first (in a
tree that has one), as for a sheet whose texts no sheet before it had. Prints a Markdown
table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NAMES = [
    "psoas-stretch-glute-bridge",
    "hip-flexor-stretch-programme",
    "abdominal-strength-lower-back-release",
    "mid-back-ankle-hip-mobility",
    "smr-dynamic-hip-mobility",
]
# Run inside each tree: renders one sheet per line read ("<name> <large> <fresh>") and
# answers its CPU time in ms.
WORKER = r"""
import sys, time
from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.app.render import RenderOptions, sheet_request
from protocol_kit.render.sheet import render_sheet
try:
    from protocol_kit.sheet.request import ClinicProfile
except ImportError:  # before the sheet package
    from protocol_kit.render.request import ClinicProfile
fields = ClinicProfile.__dataclass_fields__
extra = {"emergency_number": "999"} if "emergency_number" in fields else {}
if "urgent_number" in fields:
    extra["urgent_number"] = "111"
clinic = ClinicProfile(name="Northside", phone="0113 496 0000", **extra)
try:  # the renderer's memory of parsed and laid-out texts, in trees that have one
    from protocol_kit.render.laid_out import forget
except ImportError:
    def forget():
        pass
checker = FileChecker(CheckOptions())
pictures = sys.argv[1] == "pictures"
if pictures:  # a PNG on every card, as bench_render.py makes them
    import tempfile
    from pathlib import Path
    sys.path.insert(0, "benchmarks")
    from bench_render import with_pictures
    holder = tempfile.TemporaryDirectory()  # removed when the process ends
    folder = Path(holder.name)
requests = {}
for name in sys.argv[2:]:
    for large in (False, True):
        path = f"protocols/{name}.json"
        if pictures:
            path = str(with_pictures(Path(path), folder))
        protocol = load_protocol(path, checker)
        options = RenderOptions(clinic=clinic, large_print=large)
        request = sheet_request(protocol, options, None, checker)
        render_sheet(request)  # warm-up: fonts, imports
        requests[name, large] = request
for line in sys.stdin:
    name, large, fresh = line.split()
    if fresh == "1":
        forget()
    start = time.process_time()
    render_sheet(requests[name, large == "1"])
    print((time.process_time() - start) * 1000, flush=True)
"""


class Worker:
    """A tree's process, rendering one sheet at a time when asked."""

    def __init__(self, tree: Path, pictures: bool) -> None:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, "pictures" if pictures else "drawings", *NAMES],
            cwd=tree,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def render(self, name: str, large: bool, fresh: bool) -> float:
        """One sheet's CPU time in ms."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{name} {int(large)} {int(fresh)}\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("other", type=Path, help="another checkout of protocol-kit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--pictures", action="store_true", help="a PNG on every card (bench_render.py's)"
    )
    args = parser.parse_args()
    workers = {"other": Worker(args.other.resolve(), args.pictures),
               "this": Worker(REPO, args.pictures)}  # fmt: skip
    times: dict[str, dict[str, list[float]]] = {"other": {}, "this": {}}
    for _ in range(args.rounds):
        for name in NAMES:
            for large in (False, True):
                key = name + (" (large print)" if large else "")
                key += ", pictures" if args.pictures else ""
                for label, fresh in (("", False), (", texts not seen before", True)):
                    for turn in range(9):
                        order = ("other", "this") if turn % 2 == 0 else ("this", "other")
                        for tree in order:
                            took = workers[tree].render(name, large, fresh)
                            times[tree].setdefault(key + label, []).append(took)
    for worker in workers.values():
        worker.close()
    print("| sheet | other tree (ms) | this tree (ms) | this / other |")
    print("|---|---:|---:|---:|")
    for key in times["this"]:
        other = statistics.median(times["other"][key])
        this = statistics.median(times["this"][key])
        print(f"| {key} | {other:.0f} | {this:.0f} | {this / other:.2f} |")


if __name__ == "__main__":
    main()
