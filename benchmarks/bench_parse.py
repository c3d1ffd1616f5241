"""The strict parse alone, this tree against a baseline tree, side by side: `loading.parse` of
every file of a corpus folder that parses, µs of CPU a file (min of the rounds), each tree in
a process of its own, the two alternating (the machine is shared: only the ratio means much).
The quicker reader of a large run (`loading.QUICK_READ_AFTER`) is in use from the second
round on, as in a run of that many files.

    python benchmarks/bench_parse.py CORPUS/protocols --baseline OTHER_TREE [--pairs 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _one(tree: str, folder: str, rounds: int) -> float:
    """Run in the child: µs a file, min of `rounds`, of `parse` in `tree`."""
    sys.path.insert(0, tree)
    from protocol_kit import loading

    limits = loading.Limits()
    texts = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            text = loading.decode(loading.read_bytes(str(path), limits))
            loading.parse(text, limits)
        except loading.JsonProblem:
            continue
        texts.append(text)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for text in texts:
            loading.parse(text, limits)
        best = min(best, time.process_time() - start)
    return best / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(_one(args.child, args.folder, args.rounds))
        return
    for _ in range(args.pairs):
        times = []
        for tree in (str(REPO), str(Path(args.baseline).resolve())):
            command = [sys.executable, __file__, args.folder, "--baseline", args.baseline]
            command += ["--rounds", str(args.rounds), "--child", tree]
            out = subprocess.run(command, capture_output=True, text=True, check=True)
            times.append(float(out.stdout))
        print(f"this {times[0]:.1f} µs, baseline {times[1]:.1f} µs: {times[0] / times[1]:.2f}×")


if __name__ == "__main__":
    main()
