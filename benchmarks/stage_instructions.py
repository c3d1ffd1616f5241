"""Instructions a valid protocol costs in each stage before the lint, counted by cachegrind
(issue 17): a measure that load on a shared machine does not change.

The stages run in one process, in the order `FileChecker` runs them (read, decode, strict
parse, schema, library references, model, translation check), over every file of a folder of
protocols (a corpus from `corpus.py`); the run is repeated going one stage further each time,
and a stage's figure is what it adds, per file that reached it. The validators, orjson and the
library folders are made or read before any file in every run, so that their one-time cost
falls on no stage.

    python benchmarks/stage_instructions.py CORPUS/protocols [--tree OTHER_CHECKOUT]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAGES = (
    "read",
    "decode",
    "strict parse",
    "schema",
    "library references",
    "model",
    "translation check",
)


def _run_stages(folder: str, stop: int) -> None:
    """Check every file of `folder` up to stage `stop` (0: none); print the files read and
    the protocols that reached the schema stage."""
    from protocol_kit.app.check import CheckOptions, FileChecker, expand_paths
    from protocol_kit.consistency import translation_findings
    from protocol_kit.library import resolve_exercises
    from protocol_kit.loading import (
        JsonProblem,
        _without_bom,
        decode,
        expect_files,
        parse,
        read_bytes,
    )
    from protocol_kit.model import build_protocol
    from protocol_kit.schemas import KIND_BY_NAME
    from protocol_kit.shared_parts import SharedParts
    from protocol_kit.validation import kind_of

    os.chdir(Path(folder).resolve().parent)  # the corpus's protokit.toml, relative paths
    paths = sorted(expand_paths([Path(folder).name]))
    expect_files(len(paths))
    checker = FileChecker(CheckOptions(jobs=1, share_parts=True))
    checker.shared = SharedParts()  # as `validate` checks (`each_report`)
    checker.schemas.prepare((KIND_BY_NAME["protocol"], KIND_BY_NAME["exercise"]))
    checker.library.ids_near(paths[0])  # the library folders read
    limits = checker.options.limits
    protocols = 0
    for path in paths if stop else ():
        try:
            raw = read_bytes(path, limits)
            text = decode(raw) if stop >= 2 else None
            document = parse(text, limits, path, _without_bom(raw)) if stop >= 3 else None
        except JsonProblem:
            continue
        kind = kind_of(document.data) if document is not None else None
        if stop < 4 or getattr(kind, "name", None) != "protocol":
            continue
        protocols += 1
        if not checker.schemas.is_valid(kind, document.data) or stop < 5:
            continue
        exercises, problems = resolve_exercises(
            document.data, path, checker.library, checker.shared
        )
        if any(p.code != "REF002" for p in problems) or stop < 6:
            continue
        protocol = build_protocol(document.data, path, exercises, checker.shared)
        if stop >= 7:
            translation_findings(protocol, checker.library.answers, checker.shared)
    print(len(paths), protocols)


def _instructions(folder: str, stop: int, tree: Path) -> tuple[int, int, int]:
    """Instructions of a run up to `stop`, the files read and the protocols checked."""
    environment = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            __file__,
            folder,
            "--stop",
            str(stop),
            "--tree",
            str(tree),
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    counted = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    assert counted is not None, done.stderr
    files, protocols = map(int, done.stdout.split())
    return int(counted.group(1).replace(",", "")), files, protocols


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--tree", type=Path, default=REPO, help="the checkout to measure")
    parser.add_argument("--stop", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stop is not None:
        sys.path.insert(0, str(args.tree))
        _run_stages(args.folder, args.stop)
        return
    folder = str(Path(args.folder).resolve())
    counts = [_instructions(folder, stop, args.tree) for stop in range(len(STAGES) + 1)]
    files, protocols = counts[-1][1], counts[-1][2]
    print(f"{files} files, {protocols} protocols; thousands of instructions a file (read,")
    print("decode, parse) or a protocol (the others)")
    total = 0.0
    for stop, name in enumerate(STAGES, start=1):
        each = files if stop <= 3 else protocols
        added = (counts[stop][0] - counts[stop - 1][0]) / each / 1000
        total += added
        print(f"  {name:20} {added:8.0f}")
    print(f"  {'all':20} {total:8.0f}")


if __name__ == "__main__":
    main()
