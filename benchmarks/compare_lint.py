"""The lint's CPU per file as `protokit validate --jobs 1` runs it, in this checkout and
another, side by side on one corpus.

`profile_validate.py` times each rule's own `check`, called one by one: that leaves out the
engine (`lint.engine.Linter`), which answers most rules of a file from what it keeps about the
file's parts, and it adds what the engine spares. Here a whole `protokit validate --jobs 1`
runs in a process of its own for each tree, with `Linter.__call__` timed by the process's CPU
clock: the lint as it is paid, its share of the run beside it. The trees take turns, each first
in every other round, and the smallest of each figure over the rounds is kept (other work on a
shared machine only ever adds time); the ratio is the baseline's over this tree's.

    python benchmarks/compare_lint.py --baseline OTHER_CHECKOUT CORPUS [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Run in the tree's process: the tree's code first on the path, `Linter.__call__` timed.
_TIMED = """
import sys, time
sys.path.insert(0, sys.argv.pop(1))
from protocol_kit.lint.engine import Linter
clock, spent, call = time.process_time, [0.0, 0], Linter.__call__
def timed(self, protocol, document):
    start = clock()
    try:
        return call(self, protocol, document)
    finally:
        spent[0] += clock() - start
        spent[1] += 1
Linter.__call__ = timed
from protocol_kit.cli.main import main
start = clock()
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(spent[1], spent[0], clock() - start, file=sys.stderr)
"""


def _run(tree: Path, corpus: Path) -> tuple[float, float]:
    """µs of CPU per linted file: the lint's, and the whole run's."""
    command = [sys.executable, "-c", _TIMED, str(tree), "validate", "--jobs", "1", "protocols"]
    command += ["--format", "json"]
    done = subprocess.run(
        command, cwd=corpus, capture_output=True, text=True, env={**os.environ}, check=False
    )
    files, lint, run = done.stderr.split()[-3:]
    count = int(files)
    return float(lint) / count * 1e6, float(run) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a corpus folder (its protocols/ is checked)")
    parser.add_argument("--baseline", required=True, type=Path, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"baseline": args.baseline.resolve(), "this": REPO}
    best: dict[str, tuple[float, float]] = {}
    for round_number in range(args.rounds):
        print(f"... round {round_number + 1} of {args.rounds}", file=sys.stderr, flush=True)
        order = list(trees.items())
        for name, tree in order if round_number % 2 == 0 else order[::-1]:
            lint, run = _run(tree, args.corpus.resolve())
            old = best.get(name, (lint, run))
            best[name] = (min(lint, old[0]), min(run, old[1]))
    load = os.getloadavg()
    print(f"{args.corpus}, `validate --jobs 1`, min of {args.rounds} rounds, µs CPU per file")
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print("| | baseline | this | ratio |")
    print("|---|---:|---:|---:|")
    for index, row in enumerate(("lint", "whole run")):
        before, after = best["baseline"][index], best["this"][index]
        print(f"| {row} | {before:.0f} | {after:.0f} | {before / after:.2f}× |")


if __name__ == "__main__":
    main()
