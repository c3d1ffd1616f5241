"""Benchmark `protokit validate` against check-jsonschema on one generated corpus, in one run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/bench_validate.py              # print the results
    .venv/bin/python benchmarks/bench_validate.py --write-doc  # and update docs/performance.md

Measures, on a corpus from `benchmarks/corpus.py` written to a temporary folder (deleted after):
files per second of the real commands (wall clock, median of `--repeat` runs) for `protokit
validate` with its default jobs and with `--jobs 1`, and for check-jsonschema with the same
schemas; the start-up time of validating one file; the peak memory for growing corpora; where
the time of one file goes; and that both schema engines agree on every file of the corpus.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_startup  # noqa: E402
import corpus as corpus_module  # noqa: E402  (scripts beside this one, not a package)
import measure as measure_module  # noqa: E402
from measure import Run, command_env, measure, median_run, step, wait_until_quiet  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "performance.md"
HEADING = "## Validation"
BIN = Path(sys.executable).parent
# check-jsonschema stops the whole run with a traceback on a file that is not valid UTF-8
# (its JSON loader lets UnicodeDecodeError escape), so those files are left out of the timed
# list, for both tools.
UNREADABLE_FOR_CHECK_JSONSCHEMA = {"invalid-utf8"}
LIMIT_SCRIPT = Path(__file__).resolve().parent / "engine_limit.py"
HEAVY_MODULES = ("jsonschema", "json_source_map", "reportlab", "cryptography", "referencing")


# -- the schema for check-jsonschema -------------------------------------------------------------


def bundled_schema(root_uri: str, schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One self-contained schema equivalent to `root_uri` with the schemas it refers to.

    Every `$defs` entry of every schema moves into the root's `$defs` as `<schema>.<name>`
    and every `$ref` is rewritten to point there, so that all references are local
    (`#/$defs/...`). Embedding the other schemas whole under their own `$id` (a compound
    document, `compound_schema()`) is also valid JSON Schema, but the `referencing` library then
    re-crawls the bundle on every cross-document lookup (python-jsonschema/referencing#178), which
    makes check-jsonschema several times slower (the benchmark measures by how much); local
    references are its fastest case.
    """

    def short(uri: str) -> str:
        return uri.rsplit("/", 1)[1].split(".", 1)[0]

    def local(ref: str, base: str) -> str:
        target, _, fragment = ref.partition("#")
        document = short(target or base)
        if not fragment or fragment == "/":
            return f"#/$defs/{document}"
        assert fragment.startswith("/$defs/"), f"unexpected $ref {ref}"
        return f"#/$defs/{document}.{fragment[len('/$defs/') :]}"

    def rewrite(node: Any, base: str) -> Any:
        if isinstance(node, dict):
            return {
                key: local(value, base) if key == "$ref" else rewrite(value, base)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [rewrite(item, base) for item in node]
        return node

    def body(schema: dict[str, Any]) -> dict[str, Any]:
        """A document's root keywords, without those that only a document root may have."""
        return {k: v for k, v in schema.items() if k not in ("$id", "$schema", "$defs")}

    definitions: dict[str, Any] = {}
    for uri, schema in schemas.items():
        definitions[short(uri)] = rewrite(body(schema), uri)
        for name, subschema in schema.get("$defs", {}).items():
            definitions[f"{short(uri)}.{name}"] = rewrite(subschema, uri)
    root = schemas[root_uri]
    return {
        "$schema": root["$schema"],
        "$id": root_uri,
        **rewrite(body(root), root_uri),
        "$defs": definitions,
    }


def compound_schema(root_uri: str, schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The other way to bundle: the root schema with every other schema embedded whole, under
    its own `$id`, in `$defs` (a compound schema document, JSON Schema 2020-12 section 9.3)."""
    root = dict(schemas[root_uri])
    embedded = {uri.rsplit("/", 1)[1]: s for uri, s in schemas.items() if uri != root_uri}
    root["$defs"] = {**root.get("$defs", {}), **embedded}
    return root


# -- the checks of agreement --------------------------------------------------------------------


_checker: Any = None  # one per worker process


def _agreement_chunk(paths: list[str]) -> tuple[int, int, list[str]]:
    from protocol_kit.loading import JsonProblem, load
    from protocol_kit.schemas import KIND_BY_NAME
    from protocol_kit.validation import SchemaChecker

    global _checker
    checker = _checker = _checker or SchemaChecker()
    protocol = KIND_BY_NAME["protocol"]
    checked = unreadable = 0
    disagreements = []
    for path in paths:
        try:
            data = load(path).data
        except (JsonProblem, OSError):
            unreadable += 1
            continue
        checked += 1
        if checker.is_valid(protocol, data) != (not checker.findings(protocol, data)):
            disagreements.append(path)
    return checked, unreadable, disagreements


def engines_agree(paths: list[Path], jobs: int) -> tuple[int, int, list[str]]:
    """Check every strictly readable file with both engines (against the protocol schema,
    whatever its `$schema` says): jsonschema-rs's yes/no must match jsonschema's findings."""
    names = [str(p) for p in paths]
    chunks = [names[i : i + 250] for i in range(0, len(names), 250)]
    checked = unreadable = 0
    disagreements: list[str] = []
    with ProcessPoolExecutor(jobs) as pool:
        for done, skipped, different in pool.map(_agreement_chunk, chunks):
            checked += done
            unreadable += skipped
            disagreements += different
    return checked, unreadable, disagreements


def bundle_agrees(paths: list[Path], bundle: dict[str, Any]) -> tuple[int, list[str]]:
    """The bundled schema given to check-jsonschema accepts exactly what ours accept."""
    import jsonschema_rs

    from protocol_kit.loading import JsonProblem, load
    from protocol_kit.schemas import KIND_BY_NAME
    from protocol_kit.validation import SchemaChecker

    ours, theirs = SchemaChecker(), jsonschema_rs.validator_for(bundle, validate_formats=True)
    protocol = KIND_BY_NAME["protocol"]
    checked, different = 0, []
    for path in paths:
        try:
            data = load(str(path)).data
        except (JsonProblem, OSError):
            continue
        checked += 1
        if ours.is_valid(protocol, data) != theirs.is_valid(data):
            different.append(str(path))
    return checked, different


def failing_in_text_report(stdout: bytes) -> set[str]:
    """Files with an error; a lint warning (a retired protocol, say) does not fail a file."""
    return {
        line.split(":", 1)[0]
        for line in stdout.decode("utf-8").splitlines()
        if re.search(r": error [A-Z0-9]+ ", line)
    }


def failing_in_check_jsonschema(stdout: bytes) -> set[str]:
    report = json.loads(stdout)
    return {e["filename"] for e in report["errors"]} | {
        e["filename"] for e in report.get("parse_errors", [])
    }


# -- where the time of one file goes ------------------------------------------------------------


def stage_costs(valid: list[Path], invalid: list[Path]) -> dict[str, float]:
    """Microseconds per file for each step of checking a valid protocol, in this process on
    one core; and the whole check of an invalid one."""
    from protocol_kit.app.check import CheckOptions, FileChecker
    from protocol_kit.consistency import translation_findings
    from protocol_kit.library import resolve_exercises
    from protocol_kit.loading import Limits, decode, parse, read_bytes
    from protocol_kit.model import build_protocol
    from protocol_kit.validation import kind_of

    checker = FileChecker(CheckOptions())
    for path in [*valid[:20], *invalid[:20]]:  # validators built, library read, modules imported
        checker.check(str(path))
    totals = dict.fromkeys(["read", "parse", "schema", "model", "translations", "whole"], 0.0)
    clock = time.perf_counter
    for path in valid:
        name = str(path)
        a = clock()
        raw = read_bytes(name, Limits())
        b = clock()
        document = parse(decode(raw), Limits(), name)
        c = clock()
        checker.schemas.is_valid(kind_of(document.data), document.data)
        d = clock()
        exercises, _ = resolve_exercises(document.data, name, checker.library)
        protocol = build_protocol(document.data, name, exercises)
        e = clock()
        translation_findings(protocol)
        f = clock()
        checker.check(name)
        g = clock()
        for key, spent in zip(totals, (b - a, c - b, d - c, e - d, f - e, g - f), strict=True):
            totals[key] += spent
    costs = {key: spent / len(valid) * 1e6 for key, spent in totals.items()}
    start = clock()
    for path in invalid:
        checker.check(str(path))
    costs["invalid"] = (clock() - start) / max(1, len(invalid)) * 1e6
    return costs


# -- start-up -----------------------------------------------------------------------------------


def startup(env: dict[str, str], repeat: int) -> dict[str, Any]:
    """One file against `python -c pass` as `bench_startup.py` measures it (the repository's
    example protocol, a cache folder of its own, both commands in turn each round), so that
    the two benchmarks give one figure for issue 17's bound. They disagreed (6.5× here
    against 5.6-5.8× there, twentieth sitting): this one timed the corpus's first file (18 kB,
    5 % more instructions than the example) from the user's cache folder (which holds
    what every earlier run and installation left: another 5 %), and all its runs before all
    of `python -c pass`'s, so that the load changing in between fell on one of them; then
    the modules imported and their cost, for the same file."""
    timed = bench_startup.one_file_against_python(repeat)
    one_file, cwd = bench_startup.DEFAULT_FILE, bench_startup.REPO
    protokit = [str(BIN / "protokit"), "validate", "-q", str(one_file)]
    probe = (
        "import sys\nfrom protocol_kit.cli.main import main\n"
        f"sys.argv = ['protokit', 'validate', '-q', {str(one_file)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    heavy = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, env=env, capture_output=True, text=True
    ).stdout.strip()
    timing = subprocess.run(
        [sys.executable, "-X", "importtime", *protokit],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    ).stderr
    return {**timed, "file": one_file.name, "heavy": heavy, "imports": _top_imports(timing)}


def _top_imports(importtime: str, count: int = 5) -> dict[str, Any]:
    """Total import time, the costliest imports the program makes itself (with what they
    import) and the costliest single modules (their own code only), in milliseconds."""
    total, direct, single = 0.0, [], []
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:") :].split("|")
        total += int(own) / 1000
        single.append((name.strip(), int(own) / 1000))
        if not name.startswith("  "):  # imported by the program itself, not by a module
            direct.append((name.strip(), int(cumulative) / 1000))

    def costliest(found: list[tuple[str, float]]) -> str:
        ranked = sorted(found, key=lambda item: -item[1])[:count]
        return ", ".join(f"{name} {ms:.0f} ms" for name, ms in ranked)

    return {"total": total, "direct": costliest(direct), "single": costliest(single)}


# -- the run ------------------------------------------------------------------------------------


@dataclass
class Results:
    files: int
    valid: int
    invalid: int
    left_out: int
    repeat: dict[str, int]  # runs of each tool
    runs: dict[str, Run] = field(default_factory=dict)  # each row's median run
    rounds: list[dict[str, Run]] = field(default_factory=list)  # each round's runs, by row
    memory: list[tuple[int, Run, Run]] = field(default_factory=list)
    startup: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)
    engines: tuple[int, int, list[str]] = (0, 0, [])
    bundle: tuple[int, list[str]] = (0, [])
    verdicts: dict[str, Any] = field(default_factory=dict)
    compound: dict[str, Run] = field(default_factory=dict)
    # The 1-minute load average (all programs, this one included) when the timed runs began
    # and ended: the machine is shared, and the ratios are only as good as the quiet.
    load: tuple[float, float] = (0.0, 0.0)


def benchmark(args: argparse.Namespace, work: Path) -> Results:
    protokit, check_jsonschema = BIN / "protokit", BIN / "check-jsonschema"
    if not check_jsonschema.exists():
        raise SystemExit("check-jsonschema is not installed: pip install -e '.[bench]'")
    step(f"writing a corpus of {args.valid} valid and {args.invalid} invalid protocols")
    corpus = corpus_module.generate(work / "corpus", args.valid, args.invalid, args.seed)
    root = corpus.root
    # The corpus just written is on its way to the disk for the next half-minute (the
    # kernel's writeback of about 200 MB): not during the first timed runs.
    os.sync()
    timed = [
        p
        for p in corpus.protocols
        if corpus.invalid.get(p, ("",))[0] not in UNREADABLE_FOR_CHECK_JSONSCHEMA
    ]
    names = [str(p.relative_to(root)) for p in timed]
    results = Results(
        files=len(timed),
        valid=len(corpus.valid),
        invalid=sum(1 for p in timed if p in corpus.invalid),
        left_out=len(corpus.protocols) - len(timed),
        repeat={"protokit": args.repeat, "check-jsonschema": args.repeat_reference},
    )
    from protocol_kit.schemas import KIND_BY_NAME, all_schemas

    bundle = bundled_schema(KIND_BY_NAME["protocol"].uri, all_schemas())
    schema_file = work / "protocol.bundled.schema.json"
    schema_file.write_text(json.dumps(bundle, indent=2), encoding="utf-8")
    env = command_env(work / "pycache")

    commands: dict[str, list[str]] = {
        "protokit validate": [str(protokit), "validate", "-q", *names],
        "protokit validate --jobs 1": [str(protokit), "validate", "-q", "--jobs", "1", *names],
        "protokit validate --no-lint": [str(protokit), "validate", "-q", "--no-lint", *names],
        "check-jsonschema": [str(check_jsonschema), "-o", "json", "--schemafile", str(schema_file)]
        + names,
        # The engines' limit: orjson and jsonschema-rs alone, one process per core.
        "engine limit": [sys.executable, str(LIMIT_SCRIPT), str(schema_file), *names],
    }
    # Every run of a command finds the lint's answers its warm-up and earlier runs kept
    # (`lint.across_runs`): the rows above measure files checked before, as CI's runs on a
    # repository mostly are. This one forgets them before each run, as a first run over new
    # files, or after an upgrade, meets them.
    commands[FORGETTING] = commands["protokit validate"]
    envs = row_environments(commands, work, env, root, names[:20])
    load_before = os.getloadavg()[0]
    results.rounds = timed_rounds(commands, names, root, envs, results.repeat)
    results.runs = {
        label: median_run([each[label] for each in results.rounds if label in each])
        for label in commands
    }
    results.load = (load_before, os.getloadavg()[0])

    step(f"check-jsonschema on {args.compound_sample} files with a compound bundle instead")
    compound_file = work / "protocol.compound.schema.json"
    compound = compound_schema(KIND_BY_NAME["protocol"].uri, all_schemas())
    compound_file.write_text(json.dumps(compound, indent=2), encoding="utf-8")
    sample = names[: args.compound_sample]
    for form, path in (("local", schema_file), ("compound", compound_file)):
        command = [str(check_jsonschema), "-o", "json", "--schemafile", str(path), *sample]
        wait_until_quiet()
        results.compound[form] = measure(command, root, env)
    if failing_in_check_jsonschema(results.compound["local"].stdout) != failing_in_check_jsonschema(
        results.compound["compound"].stdout
    ):
        raise SystemExit("the two bundles of the schema disagree: see compound_schema()")

    expected = {str(p.relative_to(root)) for p in timed if p in corpus.invalid}
    ours = failing_in_text_report(results.runs["protokit validate"].stdout)
    theirs = failing_in_check_jsonschema(results.runs["check-jsonschema"].stdout)
    schema_level = {
        str(p.relative_to(root))
        for p in timed
        if corpus.invalid.get(p, ("", ""))[1] in ("SCHEMA001", "SCHEMA002")
    }
    results.verdicts = {
        "ours_exact": ours == expected,
        "ours_failed": len(ours),
        "single_process_same": failing_in_text_report(
            results.runs["protokit validate --jobs 1"].stdout
        )
        == ours,
        "theirs_failed": len(theirs),
        "schema_level": len(schema_level),
        "theirs_schema_level": schema_level <= theirs,
        "theirs_valid_passed": not (theirs - expected),
    }

    results.memory = memory_table(args, work, env)

    step("start-up for one file")
    wait_until_quiet()
    results.startup = startup(env, args.startup_repeat)

    step("time per file, step by step")
    wait_until_quiet()
    valid = list(corpus.valid[: args.profile_files])
    invalid = [p for p in corpus.protocols if p in corpus.invalid][: args.profile_files // 10]
    results.stages = stage_costs(valid, invalid)

    step("both engines on every file (jsonschema's detailed check is the slow part)")
    results.engines = engines_agree(list(corpus.protocols), os.cpu_count() or 1)
    results.bundle = bundle_agrees(list(corpus.protocols), bundle)
    return results


# The default command, the lint's answers kept by earlier runs forgotten before each run.
FORGETTING = "protokit validate, lint answers forgotten"


def row_environments(
    commands: dict[str, list[str]],
    work: Path,
    env: dict[str, str],
    root: Path,
    few: list[str],
) -> dict[str, dict[str, str]]:
    """Each protokit row's environment: a cache folder of its own (`PROTOKIT_CACHE_DIR`), each
    a copy of one filled by a run of a few files (the ICD-10 index, the patterns), so that no
    row finds or loses what another row's runs kept (the forgetting row's removal of the
    lint's answers, `--jobs 1`'s answers) and nothing outside the benchmark does either: in the
    user's cache folder any other `protokit validate` of 256 files or more, from another
    checkout or version, writes the lint's answers' file under its own label, and the kept row's
    next run then found none. The other tools get `env`."""
    template = work / "cache" / "template"
    measure(
        [*commands["protokit validate"][:3], *few],
        root,
        {**env, "PROTOKIT_CACHE_DIR": str(template)},
    )
    envs = {}
    for number, label in enumerate(commands):
        if label.startswith("protokit"):
            folder = work / "cache" / f"row-{number}"
            shutil.copytree(template, folder)
            envs[label] = {**env, "PROTOKIT_CACHE_DIR": str(folder)}
        else:
            envs[label] = env
    return envs


def round_order(labels: list[str], number: int) -> list[str]:
    """The rows in the order round `number` (from 0) runs them: each round starts one row
    later, so that every row is measured first, last and between, and what changes on the
    machine over the minutes of a benchmark falls on every row alike."""
    shift = number % len(labels)
    return labels[shift:] + labels[:shift]


def timed_rounds(
    commands: dict[str, list[str]],
    names: list[str],
    root: Path,
    envs: dict[str, dict[str, str]],
    repeat: dict[str, int],
) -> list[dict[str, Run]]:
    """Every command's runs, in rounds: each round runs each command once (check-jsonschema only
    in its first `repeat["check-jsonschema"]` rounds), in `round_order`; the runs of each
    round, by row.

    Each command is first run once unmeasured on the whole list (check-jsonschema on its first
    20 files: it keeps nothing between runs, and a run takes a minute): the bytecode of what
    only a large run imports is written, and the kept row's cache folder holds the lint's
    answers, as after a run before. Measured row by row, every run of one command before the
    next command's, with a warm-up of 20 files (a run too small to keep answers), the kept row
    came first and its first timed run found nothing kept and compiled the worker pool's
    modules: the rows' order and the state of the machine, not the commands, set their ratio
    (docs/performance.md, "Issue 17: twenty-seventh sitting").

    In each round the loop also runs just before and just after the kept row's run
    (`LOOP_BEFORE`, `LOOP_AFTER`): the loop ratio is each round's own (`loop_ratios`)."""
    for label, command in commands.items():
        step(f"{label}: warm-up")
        few = label == "check-jsonschema"
        warm = command[: len(command) - len(names)] + names[:20] if few else command
        measure(warm, root, envs[label])
    rounds = []
    count = max(repeat.values())
    for number in range(count):
        runs = {}
        for label in round_order(list(commands), number):
            tool = "check-jsonschema" if label == "check-jsonschema" else "protokit"
            if number >= repeat[tool]:
                continue
            step(f"round {number + 1} of {count}: {label}")
            if label == FORGETTING:
                forget_lint_answers(envs[label])
            beside = label == KEPT and LOOP in commands
            if beside:  # the loop just before the kept row's run, and just after (`loop_times`)
                wait_until_quiet()
                runs[LOOP_BEFORE] = measure(commands[LOOP], root, envs[LOOP])
            wait_until_quiet()
            runs[label] = measure(commands[label], root, envs[label])
            if beside:
                wait_until_quiet()
                runs[LOOP_AFTER] = measure(commands[LOOP], root, envs[LOOP])
        rounds.append(runs)
    return rounds


# The rows the loop ratio compares (issue 17's "within 5x of the orjson + jsonschema-rs
# loop"), and the loop's runs beside the kept row's in each round (`timed_rounds`).
KEPT = "protokit validate"
LOOP = "engine limit"
LOOP_BEFORE = "engine limit, just before the kept run"
LOOP_AFTER = "engine limit, just after the kept run"


def loop_times(runs: dict[str, Run]) -> list[float]:
    """The loop's wall times in one round: its own run and the two beside the kept row's."""
    return [runs[label].wall for label in (LOOP_BEFORE, LOOP, LOOP_AFTER) if label in runs]


def loop_ratios(rounds: list[dict[str, Run]]) -> list[float]:
    """For each round, the kept row's wall over the median of the loop's walls in that round
    (`loop_times`). The loop's 0.46 s is short enough that one run's noise moved the ratio of
    the rows' medians by a factor of three (twenty-seventh sitting: 1.75x, 5.83x, 6.58x round
    by round): each round's figure is now the kept run against three runs of the loop
    measured within seconds of it, two of them on either side of it, and the loop's
    figure is their median (not their fastest, which would favour the loop by its luckiest
    run, nor their slowest, which would favour protokit)."""
    ratios = []
    for runs in rounds:
        times = sorted(loop_times(runs))
        if KEPT in runs and times:
            ratios.append(runs[KEPT].wall / times[len(times) // 2])
    return ratios


def median(values: list[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def forget_lint_answers(env: dict[str, str]) -> None:
    """Remove the lint's answers kept between runs (`lint.across_runs`) from the cache folder
    the measured command uses."""
    folder = Path(env["PROTOKIT_CACHE_DIR"])
    for kept in [*folder.glob("lint-answers-*"), *folder.glob("lint-file-answers-*")]:
        kept.unlink()


def memory_table(args: argparse.Namespace, work: Path, env: dict[str, str]) -> list:
    """(size, default jobs, `--jobs 1`) runs of `validate -q protocols` for each corpus size:
    a corpus made here and removed after, or one given with `--memory-corpus SIZE=DIR` (made
    by corpus.py with the same share of invalid files), so that 100,000 files are written
    once for many measurements rather than at every run."""
    step("peak memory for growing corpora")
    protokit = BIN / "protokit"
    table = []
    for size in args.sizes:
        given = args.memory_corpus.get(size)
        if given is None:
            invalid = size * args.invalid // (args.valid + args.invalid)
            root = corpus_module.generate(
                work / f"corpus-{size}", size - invalid, invalid, args.seed
            ).root
        else:
            root = given
        folder = ["validate", "-q", "protocols"]
        # Once first, unmeasured: the cache a user's earlier runs filled (the first run after
        # an install builds the ICD-10 index, a one-off of up to about 250 MB, which would
        # otherwise land on whichever corpus first holds a code not seen before).
        measure([str(protokit), *folder], root, env)
        default = measure([str(protokit), *folder], root, env)
        single = measure([str(protokit), *folder, "--jobs", "1"], root, env)
        table.append((size, default, single))
        if given is None:
            shutil.rmtree(root)
    return table


def memory_rows(memory: list) -> list[str]:
    """The memory table's rows (the doc's "Memory as the corpus grows")."""
    return [
        f"| {size:,} | {_mb(default.max_rss_kb)} | {_mb(default.tree_rss_kb)} | "
        f"{_mb(one_process.max_rss_kb)} | {one_process.wall:.2f} s |"
        for size, default, one_process in memory
    ]


def _sized_folder(text: str) -> tuple[int, Path]:
    size, _, folder = text.partition("=")
    return int(size), Path(folder)


# -- reporting ----------------------------------------------------------------------------------


def _met(met: bool) -> str:
    return "**met**" if met else "**not met**"


def _paired(rounds: list[dict[str, Run]], first: str, second: str, time: str = "wall") -> str:
    """`first`'s time (`wall` or `cpu`) over `second`'s in each round that ran both."""
    ratios = [
        getattr(each[first], time) / getattr(each[second], time)
        for each in rounds
        if {first, second} <= set(each)
    ]
    return ", ".join(f"{ratio:.2f}×" for ratio in ratios) or "n/a"


def _rate(files: int, run: Run) -> str:
    return f"{files / run.wall:,.0f}"


def _load(run: Run) -> str:
    return "n/a" if run.others is None else f"{run.others:.2f} cores"


def _growth(results: Results) -> str:
    """Bytes per file the largest process grows by, from the smallest to the largest corpus."""
    (small, first, _), (large, last, _) = results.memory[0], results.memory[-1]
    if large == small:
        return "n/a"
    return f"about {max(0, last.max_rss_kb - first.max_rss_kb) * 1024 / (large - small):,.0f}"


def _mb(kb: int | None) -> str:
    return "n/a" if kb is None else f"{kb / 1024:.0f} MB"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _versions() -> str:
    names = ("protocol-kit", "jsonschema", "jsonschema-rs", "check-jsonschema", "json-source-map")
    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return ", ".join([f"Python {platform.python_version()}", *found])


def render(results: Results, args: argparse.Namespace) -> str:
    runs = results.runs
    ours, single, schema_only, theirs = (
        runs["protokit validate"],
        runs["protokit validate --jobs 1"],
        runs["protokit validate --no-lint"],
        runs["check-jsonschema"],
    )
    files = results.files
    forgetting = runs[FORGETTING]
    limit = runs["engine limit"]
    ratio = theirs.wall / ours.wall
    cpu_ratio = theirs.cpu / ours.cpu
    # Issue 17's loop ratio: the median of each round's own ratio (`loop_ratios`); the ratio
    # of the two rows' medians, which the benchmark printed before, beside it.
    per_round = loop_ratios(results.rounds)
    limit_ratio = median(per_round) if per_round else ours.wall / limit.wall
    ratio_single = theirs.wall / single.wall
    start = results.startup
    imports = start["imports"]
    local, compound = results.compound["local"], results.compound["compound"]
    len_sample = min(args.compound_sample, files)
    stages = results.stages
    checked, unreadable, disagreements = results.engines
    bundle_checked, bundle_different = results.bundle
    verdicts = results.verdicts
    cores = os.cpu_count()
    lines = [
        HEADING,
        "",
        f"Measured with `benchmarks/bench_validate.py` on {cores} cores ({_cpu_model()}), "
        f"{platform.system()}; {_versions()}.",
        "",
        f"The corpus ({'`benchmarks/corpus.py`'}, seed {args.seed}) holds {results.valid:,} "
        f"valid protocols recombined from the repository's examples (1 to 6 exercises, inline "
        f"and from a shared library, some with dosage overrides, about one in five with a "
        f"second language) and {results.invalid + results.left_out} invalid ones, one mistake "
        f"each, of {len(corpus_module.MUTATIONS)} kinds that cases in "
        "`tests/cases/validate/invalid/` cover. "
        f"Both tools get the same {files:,} files on one command line"
        + (
            f" ({results.left_out} files that are not valid UTF-8 are left out for both: "
            "check-jsonschema stops the whole run with a traceback on the first of them)"
            if results.left_out
            else ""
        )
        + f". Wall clock, median of {results.repeat['protokit']} runs of each protokit command "
        f"and {results.repeat['check-jsonschema']} of check-jsonschema, in rounds that run "
        "every command once, each round starting one command later; each command run once "
        "unmeasured first; each protokit row with a cache folder of its own; bytecode cached, "
        "as after `pip install`.",
        "",
        "| command | files/s | wall | CPU | peak RSS (largest process) | other load | "
        "vs check-jsonschema |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| `protokit validate` (default: one worker per core) | {_rate(files, ours)} | "
        f"{ours.wall:.2f} s | {ours.cpu:.2f} s | {_mb(ours.max_rss_kb)} | {_load(ours)} | "
        f"**{ratio:.1f}×** |",
        f"| the same, the lint's answers kept by earlier runs forgotten before each run | "
        f"{_rate(files, forgetting)} | {forgetting.wall:.2f} s | {forgetting.cpu:.2f} s | "
        f"{_mb(forgetting.max_rss_kb)} | {_load(forgetting)} | "
        f"{theirs.wall / forgetting.wall:.1f}× |",
        f"| `protokit validate --jobs 1` | {_rate(files, single)} | {single.wall:.2f} s | "
        f"{single.cpu:.2f} s | {_mb(single.max_rss_kb)} | {_load(single)} | "
        f"{ratio_single:.1f}× |",
        f"| `protokit validate --no-lint` (the schema, library references and translations; "
        f"no safety rules) | {_rate(files, schema_only)} | {schema_only.wall:.2f} s | "
        f"{schema_only.cpu:.2f} s | {_mb(schema_only.max_rss_kb)} | {_load(schema_only)} | "
        f"{theirs.wall / schema_only.wall:.1f}× |",
        f"| `check-jsonschema -o json --schemafile protocol.bundled.schema.json` | "
        f"{_rate(files, theirs)} | {theirs.wall:.2f} s | {theirs.cpu:.2f} s | "
        f"{_mb(theirs.max_rss_kb)} | {_load(theirs)} | 1× |",
        f"| orjson + jsonschema-rs loop (`benchmarks/engine_limit.py`: read, parse, yes/no; "
        f"one process per core) | {_rate(files, limit)} | {limit.wall:.2f} s | "
        f"{limit.cpu:.2f} s | {_mb(limit.max_rss_kb)} | {_load(limit)} | "
        f"{theirs.wall / limit.wall:.1f}× |",
        "",
        "Issue 17's targets for `protokit validate` with every rule, in this run (load "
        f"average {results.load[0]:.1f} when the timed runs began, {results.load[1]:.1f} when "
        "they ended):",
        "",
        # Two decimals: with one, 19.96x printed as "20.0x" beside "not met".
        "| ratio | target | measured | |",
        "|---|---:|---:|---|",
        f"| files/s against check-jsonschema, wall clock | ≥ 20× | {ratio:.2f}× | "
        f"{_met(ratio >= 20)} |",
        f"| files/s against check-jsonschema, CPU time | ≥ 10× | {cpu_ratio:.2f}× | "
        f"{_met(cpu_ratio >= 10)} |",
        f"| wall time against the orjson + jsonschema-rs loop (median of the rounds' own "
        f"ratios) | ≤ 5× | {limit_ratio:.2f}× | {_met(limit_ratio <= 5)} |",
        "",
        "Each protokit row but one is the median of runs that find the lint's answers their "
        "command's earlier runs kept in the cache folder (`lint.across_runs`: the corpus "
        "checked before, as CI's runs of a repository mostly are). Without them (the row "
        "that forgets them before each run: new files, or the first run after an upgrade): "
        f"{theirs.wall / forgetting.wall:.2f}× check-jsonschema by wall, "
        f"{theirs.cpu / forgetting.cpu:.2f}× by CPU, {forgetting.wall / limit.wall:.2f}× the "
        "loop. Round by round (the two rows' runs in one round, minutes apart at most), kept "
        f"against forgotten by wall: {_paired(results.rounds, 'protokit validate', FORGETTING)}, "
        f"by CPU: {_paired(results.rounds, 'protokit validate', FORGETTING, 'cpu')}; "
        "kept against the loop (the median of the loop's three runs in the round, one just "
        "before the kept run and one just after it): "
        + (", ".join(f"{ratio:.2f}×" for ratio in per_round) or "n/a")
        + f"; the ratio of the two rows' medians {ours.wall / limit.wall:.2f}×.",
        "",
        "protokit's default command also runs every clinical safety rule (`docs/rules/`) that "
        "neither check-jsonschema nor the loop does, refuses what the loop lets through "
        "(duplicate keys, NaN, sizes, depth), resolves library references and checks "
        "translations. On this corpus the safety rules cost "
        f"{(ours.cpu - schema_only.cpu) / schema_only.cpu:.0%} of the schema check's CPU time "
        "(the default row against `--no-lint`).",
        "",
        "### Start-up",
        "",
        f"`protokit validate {start['file']}` (the repository's example; measured as "
        f"`bench_startup.py` measures it: a cache folder of its own, the two commands in turn, "
        f"{args.startup_repeat} rounds): **{start['median'] * 1000:.0f} ms** wall, against "
        f"{start['python'] * 1000:.0f} ms for `python -c pass`: "
        f"**{start['ratio']:.1f}×** (median of each round's own ratio {start['per_round']:.1f}×, "
        f"by CPU {start['cpu_ratio']:.1f}×; issue 17's target: at most 6×, "
        f"{_met(start['ratio'] <= 6)}). Heavy modules imported: "
        f"{start['heavy'] or 'none'} (checked: {', '.join(HEAVY_MODULES)}). Imports take "
        f"{imports['total']:.0f} ms (`python -X importtime`). The costliest, with what they "
        f"import: {imports['direct']}. The costliest on their own: {imports['single']}. "
        "(`validate FILE` reads its options without click; the model's records are plain "
        "classes with slots, built without dataclasses; jsonschema-rs is the fast engine; "
        "pip's console script imports `re`.)",
        "",
        "### Memory as the corpus grows",
        "",
        "`protokit validate -q protocols` (a folder, as in CI; text report) on corpora of N "
        "files made the same way, about one in twenty invalid. The largest process is exact "
        "(from `wait4`); the sum over the main process and its workers is sampled every 10 ms.",
        "",
        "| files | default jobs: largest process | default jobs: all processes | "
        "`--jobs 1` | `--jobs 1` wall |",
        "|---:|---:|---:|---:|---:|",
    ]
    lines += memory_rows(results.memory)
    from protocol_kit.lint.memo import RunMemo  # the budget as the code has it, not as written

    memo_megabytes = RunMemo.BUDGET // (1024 * 1024)
    lines += [
        "",
        f"Memory grows by {_growth(results)} bytes per file in the largest process. Each "
        "corpus is validated once, unmeasured, before it is measured (the user's cache as "
        "earlier runs left it; the first run after an install builds the ICD-10 index, up to "
        "about 250 MB once). The report is written as the files are checked and the run "
        "keeps counts, not reports; a worker sends back only the kind of a file without "
        "findings. What still grows is what the run keeps to answer again without working out "
        f"(the lint's answers per text, bounded by bytes: {memo_megabytes} MB for the run's "
        "memo, 512 KB for each per-text cache; the parts many files share and the "
        "exercises that passed their schema, bounded by their number: 2,048 exercises' "
        "digests and 64 parts' writings, about 0.7 MB), "
        "until each reaches its bound, and the list of paths (packed: about 2 bytes a path "
        "past the first 4,096). "
        "Naming "
        f"{files:,} files on the command line, as the timed runs above do, costs a few MB more "
        "for the arguments themselves.",
        "",
        "### Where the time of one file goes",
        "",
        f"In one process on one core, averaged over {args.profile_files:,} valid protocols "
        f"(µs per file):",
        "",
        "| read | strict JSON parse + depth check | jsonschema-rs yes/no | model (exercises "
        "resolved, protocol built) | translation check | whole check |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {stages['read']:.0f} | {stages['parse']:.0f} | {stages['schema']:.0f} | "
        f"{stages['model']:.0f} | {stages['translations']:.0f} | {stages['whole']:.0f} |",
        "",
        f"An invalid file costs {stages['invalid'] / 1000:.1f} ms: jsonschema's detailed "
        "validation for the messages, and json-source-map for line and column, run only for "
        "files that fail.",
        "",
        "### Agreement",
        "",
        f"- jsonschema-rs (yes/no) and jsonschema (findings) agree on "
        f"{checked - len(disagreements):,} of {checked:,} files (every file of the corpus "
        f"that is readable JSON; {unreadable} are not)"
        + (f"; they DISAGREE on {len(disagreements)}" if disagreements else "")
        + ".",
        f"- `protokit validate` reports exactly the {results.invalid} invalid files: "
        f"{'yes' if verdicts['ours_exact'] else 'NO'}; `--jobs 1` reports the same files: "
        f"{'yes' if verdicts['single_process_same'] else 'NO'}.",
        f"- check-jsonschema fails {verdicts['theirs_failed']} files: each of the "
        f"{verdicts['schema_level']} with a schema mistake "
        f"({'yes' if verdicts['theirs_schema_level'] else 'NO'}), none of the valid ones "
        f"({'yes' if verdicts['theirs_valid_passed'] else 'NO'}), and some of those protokit "
        "rejects before the schema (NaN, not an object). It passes the other invalid ones: "
        "duplicate keys, deep nesting, library references and translations are beyond a "
        "schema.",
        f"- The bundled schema accepts exactly what protocol-kit's schemas accept on all "
        f"{bundle_checked:,} readable files"
        + (f" EXCEPT {len(bundle_different)}" if bundle_different else "")
        + ".",
        "",
        "### How check-jsonschema is run",
        "",
        "protocol-kit's schemas refer to each other by absolute `https://schemas.protocol-kit.org/"
        "v1/...` URIs, and check-jsonschema would download those. `--base-uri` cannot help (it "
        "only changes how relative references resolve), so the benchmark gives it a bundled "
        "copy of the protocol schema, produced at each run by `bundled_schema()`: every "
        "`$defs` entry of the four schemas moved into one file and every `$ref` made local. "
        "The check above shows it accepts the same files. A compound bundle (the other schemas "
        "embedded whole under their `$id`, `compound_schema()`) is also correct and gives the "
        f"same verdicts, but on the first {len_sample:,} files check-jsonschema takes "
        f"{compound.wall:.1f} s with it against {local.wall:.1f} s with the local form "
        f"({compound.wall / local.wall:.0f}× slower): python-jsonschema's `referencing` "
        "re-crawls the whole bundle on every cross-document lookup "
        "(python-jsonschema/referencing#178). The local form is check-jsonschema's fastest "
        "case, so the comparison is fair to it. The "
        "proxies are set to a closed port during the runs: an attempt to download a schema "
        "would have failed every file, which the agreement check above would show.",
        "",
        "### What makes it fast",
        "",
        "- Per run, not per file: validators compiled once per process; library folders read, "
        "and library exercises built into the model, once per process; a folder's real path "
        "resolved once.",
        "- jsonschema-rs answers valid or not; jsonschema (detailed messages) and "
        "json-source-map (line and column) run only for files that fail.",
        "- Large runs (200 files or more) use one worker process per core, fed chunks of up "
        "to 256 files; a worker sends back a report only for a file with findings, else just "
        "its kind, and freezes what it started with out of the garbage collector's scans.",
        "- Start-up imports only what validating needs: the worker pool, the JUnit reporter's "
        "XML escaping and the detailed engine are imported when used.",
        "",
        "### Reproduce",
        "",
        "```sh",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[bench]'",
        f".venv/bin/python benchmarks/bench_validate.py --valid {args.valid} "
        f"--invalid {args.invalid} --seed {args.seed} --write-doc",
        "```",
        "",
        "The machine is shared with other jobs: before each timed run the benchmark waits "
        "(up to two minutes) until other programs use less than 0.2 of a core, and the "
        "'other load' column shows how many cores they kept busy during the median run. CPU "
        "time is steadier than wall time under such load.",
        "",
    ]
    return "\n".join(lines)


def write_section(doc: Path, section: str) -> None:
    """Replace this benchmark's section of the document (or add it), keeping the others.

    The section runs to the next `## ` heading: notes written by hand about a round of work
    belong under a heading of their own (docs/performance.md "## Validation: rounds of issue
    17"), which this keeps as they are."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == HEADING), None)
    if start is None:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        text = "".join(lines[:start]) + section + ("\n" if end < len(lines) else "")
        text += "".join(lines[end:])
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--valid", type=int, default=10_000)
    parser.add_argument("--invalid", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each protokit command")
    parser.add_argument("--repeat-reference", type=int, default=3, help="runs of check-jsonschema")
    parser.add_argument("--startup-repeat", type=int, default=15)
    parser.add_argument("--profile-files", type=int, default=2000)
    parser.add_argument("--compound-sample", type=int, default=100)
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1000, 10_000, 100_000],
        help="corpus sizes for the memory table (comma-separated)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120,
        help="seconds to wait for a quiet machine before each timed run",
    )
    parser.add_argument(
        "--memory-corpus",
        type=_sized_folder,
        action="append",
        default=[],
        metavar="SIZE=DIR",
        help="a corpus of SIZE files already made by corpus.py, for the memory table "
        "(repeatable; read only): 100,000 files are slow to write at every run",
    )
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="measure and print only the memory table (no other step, no doc written)",
    )
    parser.add_argument("--write-doc", action="store_true", help=f"update {HEADING} in the doc")
    args = parser.parse_args(argv)
    args.memory_corpus = dict(args.memory_corpus)
    measure_module.QUIET_WAIT = args.quiet_wait
    if args.memory_only:
        with tempfile.TemporaryDirectory(prefix="protokit-bench-") as work:
            env = command_env(Path(work) / "pycache")
            print("\n".join(memory_rows(memory_table(args, Path(work), env))))
        return
    with tempfile.TemporaryDirectory(prefix="protokit-bench-") as work:
        results = benchmark(args, Path(work))
    section = render(results, args)
    print(section)
    if args.write_doc:
        write_section(DOC, section)
        print(f"updated {DOC.relative_to(REPO)}", file=sys.stderr)
    if not agreed(results):
        raise SystemExit("benchmark: a check of agreement FAILED (see 'Agreement' above)")


def agreed(results: Results) -> bool:
    """Every check of agreement passed: the numbers are about tools that do the same job."""
    verdicts = results.verdicts
    return (
        not results.engines[2]
        and not results.bundle[1]
        and all(verdicts[k] for k in ("ours_exact", "single_process_same", "theirs_valid_passed"))
        and verdicts["theirs_schema_level"]
    )


if __name__ == "__main__":
    main()
