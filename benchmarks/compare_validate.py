"""`protokit validate` of this checkout against another one, side by side on one corpus.

Each round runs every command once, in turn (baseline, then this checkout; with every rule
and with `--no-lint`, one worker and the default workers), so that load from other work on a
shared machine falls on both alike; the figures are medians over the rounds. CPU is the
command's and its worker processes' user + system time (`wait4`). Before timing, both give
their report of the corpus in every format, with every rule and with none (`--no-lint`),
which must be the same byte for byte (JUnit's seconds aside), with the same exit code: the
same files, findings, messages and places.

    python benchmarks/compare_validate.py --baseline OTHER/.venv/bin/protokit \\
        [--corpus DIR | --valid 2000 --invalid 100 --seed 1] [--rounds 5] [--forget]

`--forget`: the lint's answers kept between runs are removed from each tool's cache folder
before each of its timed runs (as `bench_validate.py`'s forgetting row does): a first run, of
new files or after an upgrade.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_validate import forget_lint_answers  # noqa: E402
from corpus import generate  # noqa: E402
from measure import command_env, measure, step  # noqa: E402

VARIANTS = {
    "every rule, --jobs 1": ["--jobs", "1"],
    "every rule, default jobs": [],
    "--no-lint, --jobs 1": ["--no-lint", "--jobs", "1"],
    "--no-lint, default jobs": ["--no-lint"],
}
# The reports compared before timing: every format, with every rule and with none.
REPORTS = [
    [*rules, "-f", report_format]
    for rules in ([], ["--no-lint"])
    for report_format in ("text", "json", "github", "sarif", "junit")
]


def _timeless(report: bytes) -> bytes:
    """A report without the seconds each file took (JUnit's `time`), which differ run to run."""
    return re.sub(rb' time="[0-9.]+"', b"", report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="the other checkout's protokit")
    parser.add_argument("--this", help="this checkout's protokit (default: beside this Python)")
    parser.add_argument("--corpus", type=Path, help="a corpus made by corpus.py (else made)")
    parser.add_argument("--valid", type=int, default=2000)
    parser.add_argument("--invalid", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--forget", action="store_true", help="the lint's kept answers removed before each run"
    )
    args = parser.parse_args()
    this = args.this or shutil.which("protokit", path=str(Path(sys.executable).parent))
    tools = {"baseline": args.baseline, "this": this or "protokit"}
    with tempfile.TemporaryDirectory() as temporary:
        root = args.corpus
        if root is None:
            root = Path(temporary) / "corpus"
            step(f"writing a corpus of {args.valid} + {args.invalid} files")
            generate(root, args.valid, args.invalid, args.seed)
        env = command_env(Path(temporary) / "pycache")
        # A cache folder for each: in one, each tool's runs wrote the lint's answers' file
        # under its own label (its code differs), and the other's next run found none kept.
        envs = {
            name: {**env, "PROTOKIT_CACHE_DIR": str(Path(temporary) / f"cache-{name}")}
            for name in tools
        }
        files = sum(1 for _ in (root / "protocols").rglob("*.json"))
        same = True
        for options in REPORTS:
            runs_of = {
                name: measure([tool, "validate", "-q", *options, "protocols"], root, envs[name])
                for name, tool in tools.items()
            }
            before, after = runs_of["baseline"], runs_of["this"]
            alike = (_timeless(before.stdout), before.code) == (_timeless(after.stdout), after.code)
            same = same and alike
            step(f"the same report ({' '.join(options)}) and exit code: {'yes' if alike else 'NO'}")
        runs: dict[tuple[str, str], list] = {}
        for round_number in range(args.rounds):
            step(f"round {round_number + 1} of {args.rounds}")
            # Each round the other tool first: neither is always measured just after the other.
            order = list(tools.items())[:: -1 if round_number % 2 else 1]
            for variant, options in VARIANTS.items():
                for name, tool in order:
                    command = [tool, "validate", "-q", *options, "protocols"]
                    if args.forget:
                        forget_lint_answers(envs[name])
                    run = measure(command, root, envs[name])
                    runs.setdefault((variant, name), []).append(run)
    kept = "forgotten before each run" if args.forget else "kept between runs"
    print(
        f"{files} files, {args.rounds} rounds, medians; the lint's answers {kept}; "
        f"same reports from both: {same}"
    )
    print(
        "| command | baseline wall | this wall | wall ratio | baseline CPU | this CPU | "
        "CPU ratio | largest process (baseline, this) | other load (cores) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for variant in VARIANTS:
        before, after = runs[(variant, "baseline")], runs[(variant, "this")]
        wall = [statistics.median(r.wall for r in rs) for rs in (before, after)]
        cpu = [statistics.median(r.cpu for r in rs) for rs in (before, after)]
        rss = [max(r.max_rss_kb for r in rs) / 1024 for rs in (before, after)]
        load = statistics.median(r.others or 0.0 for r in before + after)
        print(
            f"| {variant} | {wall[0]:.2f} s | {wall[1]:.2f} s | {wall[0] / wall[1]:.2f}× | "
            f"{cpu[0]:.2f} s | {cpu[1]:.2f} s | {cpu[0] / cpu[1]:.2f}× | "
            f"{rss[0]:.0f}, {rss[1]:.0f} MB | {load:.1f} |"
        )
    if not same:
        raise SystemExit("the two reports differ")


if __name__ == "__main__":
    main()
