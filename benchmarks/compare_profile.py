"""`profile_validate.py` of this checkout against another one, side by side on one corpus:
where each file's CPU goes, stage by stage and rule by rule, in both trees.

The two trees' profiles run one after the other, each first in every other round (each in a
process of its own, with a cache folder of its own made warm by a first run that is not counted), so
that load from other work on a shared machine falls on both alike; each figure is the
smallest over the rounds (other work only ever adds time), and the ratio is the baseline's
over this tree's (above 1: this tree is cheaper).

    python benchmarks/compare_profile.py --baseline OTHER_CHECKOUT CORPUS/protocols \\
        [--files 1000] [--rounds 3] [--repeat 1] [--no-lint]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_ROW = re.compile(r"^  (\S.*?)\s+(\d+)$")


def _profile(tree: Path, folder: str, args: argparse.Namespace, cache: str) -> dict[str, int]:
    """One run of `tree`'s profile: µs per protocol by stage or rule."""
    command = [
        sys.executable,
        str(tree / "benchmarks" / "profile_validate.py"),
        folder,
        "--files",
        str(args.files),
        "--repeat",
        str(args.repeat),
        *(["--no-lint"] if args.no_lint else []),
    ]
    env = {**os.environ, "PROTOKIT_CACHE_DIR": cache}
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    rows = {}
    for line in out.splitlines():
        found = _ROW.match(line)
        if found:
            rows[found.group(1)] = int(found.group(2))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="a corpus's protocols folder")
    parser.add_argument("--baseline", required=True, type=Path, help="the other checkout")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1, help="profile_validate's --repeat")
    parser.add_argument("--top", type=int, default=15, help="rules shown, costliest first")
    parser.add_argument("--no-lint", action="store_true", help="the stages before the lint only")
    args = parser.parse_args()
    folder = str(Path(args.folder).resolve())
    trees = {"baseline": args.baseline.resolve(), "this": REPO}
    best: dict[str, dict[str, int]] = {name: {} for name in trees}
    with tempfile.TemporaryDirectory() as temporary:
        caches = {name: str(Path(temporary) / name) for name in trees}
        for name, tree in trees.items():  # warm: reading grades, kept patterns, verdicts
            _profile(tree, folder, args, caches[name])
        for round_number in range(args.rounds):
            print(f"... round {round_number + 1} of {args.rounds}", file=sys.stderr, flush=True)
            # Each tree first in every other round: load that grows or falls during a round
            # falls on both alike.
            order = list(trees.items())
            for name, tree in order if round_number % 2 == 0 else order[::-1]:
                for row, value in _profile(tree, folder, args, caches[name]).items():
                    best[name][row] = min(value, best[name].get(row, value))
    before, after = best["baseline"], best["this"]
    rows = [row for row in before if row != "all rules" and row in after]
    stages = [row for row in rows if not re.fullmatch(r"[A-Z]+\d+", row)]
    rules = sorted(
        (row for row in rows if row not in stages), key=lambda row: -max(before[row], after[row])
    )
    print(f"{args.files} files of {args.folder}, min of {args.rounds} rounds, µs CPU per protocol")
    print("| stage or rule | baseline | this | ratio |")
    print("|---|---:|---:|---:|")
    shown = stages if args.no_lint else [*stages, *rules[: args.top], "all rules"]
    for row in shown:
        b, a = before.get(row, 0), after.get(row, 0)
        print(f"| {row} | {b} | {a} | {b / a if a else float('inf'):.2f}× |")


if __name__ == "__main__":
    main()
