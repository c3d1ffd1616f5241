"""The most a first run's workers could save by sharing what each learns (issue 17): a
worker's chunks checked cold, and checked after another worker's chunks in the same process,
counted in instructions (cachegrind), which load on a shared machine does not change.

A run of many files checks its warm files in the run's process, forks its workers, and each
worker then works out again, from its own first chunks, answers the other worker works out
too (the lint's answers about each exercise and part, the model's part tables, the library
references). Whatever shares them (the run's process building them before the fork, or the
workers sending each other what they learn) can save a worker at most what it would not have
worked out had it started with everything the other learned. Four runs, each one process
(`validate -q` of the folder, the lint's answers removed from a cache folder of its own
before it, the other caches kept; the chunks as `_chunks` cuts them for two workers):

- W: the run's start and its warm files (`warm_items`), no chunk;
- A: W, then the even chunks of the first `--chunks` (one worker's share);
- B: W, then the odd chunks (the other worker's);
- AB: W, then A's chunks, then B's.

B's chunks cost B - W cold and AB - A after A's: the difference is the ceiling. The files
left unchecked are reported as valid (the report is not read).

    python benchmarks/warmup_share.py CORPUS/protocols [--tree OTHER_CHECKOUT] [--chunks 16]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODES = ("W", "A", "B", "AB")


def _checked_in_turn(mode: str, chunks: int) -> None:
    """In the measured process: `map_with_checker` made to check, in one process, the warm
    files and then the chunks `mode` names, in turn (the module's own `_mapped` replaced)."""
    from protocol_kit.app import check

    def mapped(function, items, options, parallel, chunk):  # noqa: ANN001, ANN202 (check's)
        check.expect_files(len(items))
        checker = check.FileChecker(options)
        warm = check.warm_items(len(items))
        results = [None] * len(items)
        for index in range(warm):
            results[index] = function(checker, items[index])
        starts, at = [], warm
        for _, part in list(check._chunks(function, items, warm, 2, chunk))[:chunks]:
            starts.append(range(at, at + len(part)))
            at += len(part)
        share = {"A": starts[0::2], "B": starts[1::2], "AB": starts[0::2] + starts[1::2]}
        for indexes in share.get(mode, []):
            for index in indexes:
                results[index] = function(checker, items[index])
        for result in results:
            yield (None, 0.0) if result is None else result

    check._mapped = mapped


def _started(mode: str, folder: Path, tree: Path, chunks: int, cache: Path) -> subprocess.Popen:
    """One run of `mode` under cachegrind, started (the four run at once: the counts do not
    depend on what else the machine does)."""
    for kept in [*cache.glob("lint-answers-*"), *cache.glob("lint-file-answers-*")]:
        kept.unlink()
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "PYTHONHASHSEED": "0",
        "PROTOKIT_CACHE_DIR": str(cache),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        "-P",
        __file__,
        "--inner",
        mode,
        "--chunks",
        str(chunks),
        str(folder.name),
    ]
    return subprocess.Popen(
        command,
        cwd=folder.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _instructions(mode: str, run: subprocess.Popen) -> int:
    """The instructions of a run `_started` (cachegrind's `I refs`)."""
    _, errors = run.communicate()
    found = re.search(r"I\s+refs:\s+([\d,]+)", errors)
    if found is None:
        raise SystemExit(f"{mode}: no count from cachegrind:\n{errors[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a corpus's protocols (corpus.py)")
    parser.add_argument("--tree", type=Path, default=REPO, help="the checkout whose code runs")
    parser.add_argument("--chunks", type=int, default=16, help="chunks of the run checked")
    parser.add_argument("--inner", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        _checked_in_turn(args.inner, args.chunks)
        from protocol_kit.cli.main import main as protokit

        sys.argv = ["protokit", "validate", "-q", str(args.folder)]
        with open(os.devnull, "w") as report:
            sys.stdout = report
            protokit()
        return
    folder = args.folder.resolve()
    with tempfile.TemporaryDirectory() as temporary:
        cache = Path(temporary) / "cache"
        # Once whole, so that every cache but the lint's answers is warm in each run, and
        # the code's bytecode written (four runs compiling it at once counted 1.1 G each).
        env = {**os.environ, "PYTHONPATH": str(args.tree), "PROTOKIT_CACHE_DIR": str(cache)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        protokit = [sys.executable, "-P", "-m", "protocol_kit", "validate", "-q", folder.name]
        subprocess.run(protokit, cwd=folder.parent, env=env, capture_output=True, check=False)
        runs = {}
        for mode in MODES:
            each = Path(temporary) / f"cache-{mode}"
            shutil.copytree(cache, each)
            runs[mode] = _started(mode, folder, args.tree, args.chunks, each)
        counts = {mode: _instructions(mode, run) for mode, run in runs.items()}
    for mode, count in counts.items():
        print(f"{mode}: {count / 1e9:.3f} G instructions")
    cold = counts["B"] - counts["W"]
    after = counts["AB"] - counts["A"]
    print(
        f"B's chunks: cold {cold / 1e9:.3f} G, after A's {after / 1e9:.3f} G; the most sharing "
        f"could save B: {(cold - after) / 1e9:.3f} G ({(cold - after) / cold:.1%} of its chunks)"
    )


if __name__ == "__main__":
    main()
