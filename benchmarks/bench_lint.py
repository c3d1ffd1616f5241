"""How much the lint rules add to `protokit validate`.

Generates a corpus of protocols by varying the example protocols (ids, dosages, texts), then
checks it twice in one process: schema check alone (`--no-lint`), and schema check with every
rule on. One process and one worker, so that the two numbers measure the same work. The
one-time costs (the ICD-10-CM index, the pronunciation dictionary the readability formula
uses) are paid before timing and reported separately.

    python benchmarks/bench_lint.py [--files 1000] [--unique-text] [--cold-grades] [--cpu]

Readability grades are kept on disk between runs (the user's cache folder); `--cold-grades`
times runs that find none there, as the first run on a new machine does.

The corpus is written to a temporary folder and removed afterwards.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from protocol_kit.app.check import CheckOptions, check_paths  # noqa: E402
from protocol_kit.lint.engine import Linter, LintSettings  # noqa: E402
from protocol_kit.lint.rules import reading_level  # noqa: E402

# Sentences appended to summaries so that protocols differ in text as well as in dosage.
EXTRA = (
    "Do the exercises at a time of day that suits you.",
    "Keep a note of how your back feels each day.",
    "Ask your therapist if anything is unclear.",
    "Wear loose, comfortable clothes.",
    "Take your time and move slowly.",
)


def make_corpus(folder: Path, count: int, unique_text: bool = False) -> list[str]:
    shutil.copytree(REPO / "protocols" / "library", folder / "library")
    (folder / "protokit.toml").write_text("")  # the project root for library lookups
    examples = [json.loads(p.read_text()) for p in sorted((REPO / "protocols").glob("*.json"))]
    paths = []
    for index in range(count):
        data = copy.deepcopy(examples[index % len(examples)])
        data["id"] = f"{data['id']}-{index}"
        extra = " ".join(EXTRA[: 1 + index % len(EXTRA)])
        if unique_text:  # every file's summary differs: no result can be reused
            extra += f" Programme number {index}."
        data["summary"] = f"{data['summary']} {extra}"
        for entry in data["exercises"]:
            if "ref" in entry:
                # Days a week rather than sets: a set count the library's progression already
                # names ("do a third set") would make the corpus contradict itself (DOSE005).
                entry.setdefault("dosage", {})["days_per_week"] = 5 + index % 3
            else:
                entry["dosage"]["sets"] = 1 + index % 3
        path = folder / f"protocol-{index:05d}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    return paths


def with_lint() -> CheckOptions:
    return CheckOptions(jobs=1, hooks=(Linter(LintSettings()),))


def forget_grades(cache: Path) -> None:
    """Point the readability grade store at an empty cache folder, as on a machine that has
    never measured these texts. The ICD-10-CM index stays loaded in this process."""
    os.environ["PROTOKIT_CACHE_DIR"] = str(cache)
    reading_level._store.cache_clear()


# Wall clock by default; `--cpu` uses this process's CPU time instead, which other work on a
# shared machine does not inflate (one worker: all the work is in this process).
CLOCK = {"clock": time.perf_counter}


def timed(paths: list[str], options: CheckOptions) -> tuple[float, int]:
    clock = CLOCK["clock"]
    start = clock()
    report = check_paths(paths, options)
    elapsed = clock() - start
    return elapsed, sum(1 for _ in report.findings())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--unique-text",
        action="store_true",
        help="Make every file's summary unique (the worst case for the readability rule).",
    )
    parser.add_argument(
        "--cold-grades",
        action="store_true",
        help="Start every timed run with an empty readability grade cache (a first run).",
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="Time with this process's CPU time, not the wall clock (for a busy machine).",
    )
    args = parser.parse_args()
    if args.cpu:
        CLOCK["clock"] = time.process_time
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        paths = make_corpus(folder, args.files, args.unique_text)
        schema_only = CheckOptions(jobs=1)

        if args.cold_grades:
            forget_grades(folder / "cache-warm-up")
        start = time.perf_counter()
        check_paths(paths[:1], with_lint())  # one-time costs: code index, dictionaries
        warm_up = time.perf_counter() - start

        schema_times, lint_times = [], []
        for run in range(args.repeat):
            schema_times.append(timed(paths, schema_only)[0])
            if args.cold_grades:
                forget_grades(folder / f"cache-{run}")
            # A new Linter for every run, as every `protokit validate` starts with: nothing
            # worked out in one run is reused by the next, except the grades kept on disk.
            elapsed, findings = timed(paths, with_lint())
            lint_times.append(elapsed)
        schema, total = min(schema_times), min(lint_times)
        rules = total - schema
        print(f"files: {len(paths)} (findings with all rules: {findings})")
        print(f"one-time lint start-up: {warm_up:.2f} s")
        print(f"schema check alone:     {schema:.2f} s ({schema / len(paths) * 1000:.2f} ms/file)")
        print(f"schema check + rules:   {total:.2f} s ({total / len(paths) * 1000:.2f} ms/file)")
        print(f"rules:                  {rules:.2f} s = {rules / schema:.0%} of the schema check")


if __name__ == "__main__":
    main()
