"""Benchmark: this tree's sheets against another checkout's, side by side in one run.

    git worktree add ../protocol-kit-main main
    python benchmarks/compare_render.py ../protocol-kit-main [--rounds 3] [--pictures]

Both trees render the example protocols (standard and large print) in their own process,
with this environment's packages, alternately for `--rounds` rounds: the machine is shared
and noisy, so the ratios are what to read, not the milliseconds. With --pictures every
card has a PNG (as `bench_render.py`'s "pictures" sheets) instead of its drawing. Each sheet
is measured twice: rendered again in the same process, and with the renderer's memory of parsed and
laid-out texts emptied first (in a tree that has one), as for a sheet whose texts no sheet
before it had. Prints a Markdown table for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
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
# Run inside each tree: the median CPU time of one sheet per protocol and size, in ms.
MEASURE = r"""
import json, sys, time
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
out = {}
pictures = sys.argv[1] == "pictures"
if pictures:  # a PNG on every card, as bench_render.py makes them
    import tempfile
    from pathlib import Path
    sys.path.insert(0, "benchmarks")
    from bench_render import with_pictures
    holder = tempfile.TemporaryDirectory()  # removed when the process ends
    folder = Path(holder.name)
for name in sys.argv[2:]:
    for large in (False, True):
        path = f"protocols/{name}.json"
        if pictures:
            path = str(with_pictures(Path(path), folder))
        protocol = load_protocol(path, checker)
        options = RenderOptions(clinic=clinic, large_print=large)
        request = sheet_request(protocol, options, None, checker)
        render_sheet(request)
        key = name + (" (large print)" if large else "") + (", pictures" if pictures else "")
        for label, before in (("", lambda: None), (", texts not seen before", forget)):
            times = []
            for _ in range(9):
                before()
                start = time.process_time()
                render_sheet(request)
                times.append(time.process_time() - start)
            out[key + label] = sorted(times)[4] * 1000
print(json.dumps(out))
"""


def measure(tree: Path, pictures: bool = False) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, "pictures" if pictures else "drawings", *NAMES],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("other", type=Path, help="another checkout of protocol-kit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--pictures", action="store_true", help="a PNG on every card (bench_render.py's)"
    )
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"other": [], "this": []}
    for _ in range(args.rounds):
        runs["other"].append(measure(args.other.resolve(), args.pictures))
        runs["this"].append(measure(REPO, args.pictures))
    print("| sheet | other tree (ms) | this tree (ms) | this / other |")
    print("|---|---:|---:|---:|")
    for key in runs["this"][0]:
        other = statistics.median(run[key] for run in runs["other"])
        this = statistics.median(run[key] for run in runs["this"])
        print(f"| {key} | {other:.0f} | {this:.0f} | {this / other:.2f} |")


if __name__ == "__main__":
    main()
