"""Start-up of `protokit validate` on one file, side by side with `python -c pass`, in one run.

    .venv/bin/python benchmarks/bench_startup.py                      # the default file
    .venv/bin/python benchmarks/bench_startup.py --rounds 31 FILE     # another file, more rounds
    .venv/bin/python benchmarks/bench_startup.py --baseline OTHER     # and another version

The machine is shared and noisy, so every command runs once per round, in turn, round after
round (never all runs of one command and then the next): a burst of other work falls on all
of them alike. Reported per command: the median wall time and CPU time (user + system of the
child, from getrusage), and the ratio to `python -c pass`, both as the ratio of the medians and
as the median of each round's own ratio.

`--baseline DIR` adds the same validation (and the file's first run) by another version of the
code (a folder that holds its `protocol_kit/` and `schemas/`, for example made by `git archive
main protocol_kit schemas | tar -x -C DIR`), with the same interpreter and installed libraries,
so that a change is measured against what it changes in the same minutes. Reference commands
show what stands below the toolkit: the interpreter importing only the libraries a valid file
needs, and validate's own modules without any checking. Every command runs with a cache folder
of the run's own (`PROTOKIT_CACHE_DIR`), warmed first; the baseline with another, since cache
files labelled by a module's source would otherwise be rewritten by each version in turn. One
more row is a file's first run: every answer kept but the schema verdicts (deleted before each
of its runs), so the fast schema engine is imported and built, as it is for a file not seen
before.

A file whose lint answer is not kept (`LINT_FORGOTTEN`: a file changed since its last run, the
one-file answers of protocol_kit/lint/one_file.py deleted before each run) imports and runs
the rules, as every run of the baseline does.

`--instructions` also counts, once per command, the instructions the process executes
(`valgrind --tool=cachegrind`, when valgrind is installed), warmed first, with a fixed hash
seed: a count that other work on the machine does not change,
for comparing two versions when the machine is too busy for wall or CPU times to mean much.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import command_env  # noqa: E402  (a script beside this one, not a package)

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_FILE = REPO / "protocols" / "psoas-stretch-glute-bridge.json"

# What a valid file cannot do without: the command line, the fast schema engine.
REFERENCES = {
    "python -c 'import click'": "import click",
    "python -c 'import jsonschema_rs'": "import jsonschema_rs",
    "python -c 'import click, jsonschema_rs'": "import click, jsonschema_rs",
    # The modules `validate` imports before it reads the file (not those its rules import
    # when they first run): the import cost, apart from the checks themselves. Imported as
    # `validate` imports them: pathlib without urllib.parse, jsonschema-rs without the email
    # package (a plain `import jsonschema_rs` here had counted the email package, which
    # `validate` does not import: 253 against 218 million instructions).
    "python -c 'import <validate's modules>'": (
        "from protocol_kit.lean_imports.pathlib_module import pathlib; pathlib(); "
        "from protocol_kit.lean_imports.jsonschema_engine import jsonschema_rs; jsonschema_rs(); "
        "import protocol_kit.cli.main, protocol_kit.cli.validate_run, "
        "protocol_kit.config, protocol_kit.app.check, protocol_kit.lint.engine"
    ),
}


ONE_FILE = "protokit validate FILE"
FIRST_RUN = "protokit validate FILE, first run (no schema verdict kept)"
LINT_FORGOTTEN = "protokit validate FILE, its lint answer forgotten (rules imported and run)"


def forget_verdicts(env: dict[str, str]) -> None:
    """Delete the schema verdicts kept in the cache folder of `env`, if it is the first run's,
    and the one-file lint answers (protocol_kit/lint/one_file.py), if it is the lint's
    forgotten run's."""
    folder = Path(env["PROTOKIT_CACHE_DIR"])
    if folder.name.endswith("first-run-protokit"):
        for kept in folder.glob("schema-verdicts-*"):
            kept.unlink()
    if folder.name.endswith("lint-forgotten-protokit"):
        for kept in folder.glob("lint-one-file-*"):
            kept.unlink()


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `command` (its output is discarded)."""
    forget_verdicts(env)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise SystemExit(f"{' '.join(command)} exited with {done.returncode}: {message}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def commands(
    file: Path, baseline: Path | None, cache: Path
) -> dict[str, tuple[list[str], dict[str, str]]]:
    env = command_env(cache)  # bytecode cached, as after `pip install`
    env.pop("PYTHONPATH", None)
    # A cache folder of its own for each version: a cache file labelled by a module's source
    # (the patterns' needs, the pose verdicts) is otherwise rewritten by each in turn.
    env["PROTOKIT_CACHE_DIR"] = str(cache / "protokit")
    python = sys.executable
    # -P: the current folder (the repository) is not put first on the path, so that the
    # baseline below really runs its own copy (Python 3.11 and later).
    safe_path = ["-P"] if sys.version_info >= (3, 11) else []
    found: dict[str, tuple[list[str], dict[str, str]]] = {
        "python -c pass": ([python, "-c", "pass"], env),
        ONE_FILE: ([str(BIN / "protokit"), "validate", str(file)], env),
        "python -m protocol_kit validate FILE": (
            [python, *safe_path, "-m", "protocol_kit", "validate", str(file)],
            env,
        ),
    }
    # A file's first run: every other answer kept, but no document's schema verdict
    # (protocol_kit/validation/schema_verdicts.py): the engine is built, the verdicts
    # written. A cache folder of its own, whose verdicts are deleted before each run
    # (`forget_verdicts`).
    found[FIRST_RUN] = (
        [str(BIN / "protokit"), "validate", str(file)],
        {**env, "PROTOKIT_CACHE_DIR": str(cache / "first-run-protokit")},
    )
    # A file whose lint answer is not kept (a file changed since its last run): every other
    # answer kept, the rules imported and run, the answer kept at the end (`forget_verdicts`
    # deletes it before each run). What a version without kept one-file answers does for
    # every run of the file.
    found[LINT_FORGOTTEN] = (
        [str(BIN / "protokit"), "validate", str(file)],
        {**env, "PROTOKIT_CACHE_DIR": str(cache / "lint-forgotten-protokit")},
    )
    if baseline is not None:
        if not safe_path:
            raise SystemExit("--baseline needs Python 3.11 or later (python -P)")
        # PYTHONPATH comes before the editable install's path entry: the baseline's package wins.
        found["baseline: python -m protocol_kit validate FILE"] = (
            [python, *safe_path, "-m", "protocol_kit", "validate", str(file)],
            {
                **env,
                "PYTHONPATH": str(baseline.resolve()),
                "PROTOKIT_CACHE_DIR": str(cache / "baseline-protokit"),
            },
        )
        # The baseline's first run of the file, as FIRST_RUN is this version's.
        found[f"baseline: {FIRST_RUN}"] = (
            found["baseline: python -m protocol_kit validate FILE"][0],
            {
                **found["baseline: python -m protocol_kit validate FILE"][1],
                "PROTOKIT_CACHE_DIR": str(cache / "baseline-first-run-protokit"),
            },
        )
    for label, code in REFERENCES.items():
        found[label] = ([python, "-c", code], env)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--rounds", type=int, default=21, help="runs of each command (default 21)")
    parser.add_argument("--baseline", type=Path, help="a folder holding another protocol_kit/")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each command's instructions once (valgrind)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        measure_all(args, Path(cache))
        if args.instructions:
            count_all(args, Path(cache))


def count_all(args: argparse.Namespace, cache: Path) -> None:
    """Each command's instructions (user space, the process itself, not its children)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind")
    table = commands(args.file, args.baseline, cache)
    own = {"PYTHONHASHSEED": "0"}
    counter = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    counts: dict[str, int] = {}
    for label, (command, env) in table.items():
        env = {**env, **own}
        run_once(command, env)  # its cache files written
        forget_verdicts(env)
        done = subprocess.run(
            [*counter, *command], cwd=REPO, env=env, capture_output=True, text=True
        )
        found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
        if found is None:
            raise SystemExit(f"valgrind gave no count for {label}: {done.stderr[-300:]}")
        counts[label] = int(found.group(1).replace(",", ""))
    floor = counts["python -c pass"]
    print()
    print("| command | instructions (millions) | × `python -c pass` |")
    print("|---|---:|---:|")
    for label, count in counts.items():
        print(f"| `{label}` | {count / 1e6:.1f} | {count / floor:.2f} |")


Table = dict[str, tuple[list[str], dict[str, str]]]


def timed_rounds(
    table: Table, rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU seconds of each command of `table`, run once a round, in turn, after a
    first run each (bytecode written, caches warm, as after an install)."""
    for command, env in table.values():
        run_once(command, env)
    walls: dict[str, list[float]] = {label: [] for label in table}
    cpus: dict[str, list[float]] = {label: [] for label in table}
    for _ in range(rounds):
        for label, (command, env) in table.items():
            wall, cpu = run_once(command, env)
            walls[label].append(wall)
            cpus[label].append(cpu)
    return walls, cpus


def one_file_against_python(rounds: int, file: Path = DEFAULT_FILE) -> dict[str, float]:
    """`protokit validate FILE` against `python -c pass`, measured as `main` measures them
    (the same commands, cache folder and turns), for `bench_validate.py`'s report: so that
    both benchmarks give one figure for issue 17's bound. Medians, seconds, and the ratios
    of the medians (wall, CPU) and the median of each round's own wall ratio."""
    with tempfile.TemporaryDirectory() as cache:
        table = commands(file, None, Path(cache))
        walls, cpus = timed_rounds({k: table[k] for k in ("python -c pass", ONE_FILE)}, rounds)
    wall, floor = statistics.median(walls[ONE_FILE]), statistics.median(walls["python -c pass"])
    per_round = [w / f for w, f in zip(walls[ONE_FILE], walls["python -c pass"], strict=True)]
    return {
        "median": wall,
        "python": floor,
        "ratio": wall / floor,
        "per_round": statistics.median(per_round),
        "cpu_ratio": statistics.median(cpus[ONE_FILE]) / statistics.median(cpus["python -c pass"]),
    }


def measure_all(args: argparse.Namespace, cache: Path) -> None:
    table = commands(args.file, args.baseline, cache)
    load_before = os.getloadavg()[0]
    walls, cpus = timed_rounds(table, args.rounds)
    load_after = os.getloadavg()[0]

    floor_wall = statistics.median(walls["python -c pass"])
    floor_cpu = statistics.median(cpus["python -c pass"])
    print(
        f"{args.rounds} rounds on {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"file {args.file.name}; load average {load_before:.1f} -> {load_after:.1f}"
    )
    print()
    print(
        "| command | wall, median (ms) | × `python -c pass` (medians) "
        "| × per round (median) | CPU, median (ms) | CPU × |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label in table:
        wall = statistics.median(walls[label])
        cpu = statistics.median(cpus[label])
        per_round = statistics.median(
            w / f for w, f in zip(walls[label], walls["python -c pass"], strict=True)
        )
        print(
            f"| `{label}` | {wall * 1000:.0f} | {wall / floor_wall:.1f} | {per_round:.1f} "
            f"| {cpu * 1000:.0f} | {cpu / floor_cpu:.1f} |"
        )


if __name__ == "__main__":
    main()
