"""Two schema engines, one verdict: on a generated corpus (the benchmark's, made small),
jsonschema-rs's yes/no matches jsonschema's findings on every file, and `protokit validate`
reports exactly the files that were made invalid, each with the finding its mistake produces."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_protokit
from protocol_kit.app.check import PARALLEL_THRESHOLD
from protocol_kit.loading import JsonProblem, load
from protocol_kit.schemas import KIND_BY_NAME, all_schemas
from protocol_kit.validation import SchemaChecker

PROTOCOL = KIND_BY_NAME["protocol"]


def _benchmark_module(name: str):
    """A script of benchmarks/ (a folder of scripts, not a package)."""
    if name not in sys.modules:
        sys.path.insert(0, str(REPO / "benchmarks"))
        spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


corpus_module = _benchmark_module("corpus")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    # Two files of every kind of mistake among 300 valid ones: enough for the worker pool.
    invalid = 2 * len(corpus_module.MUTATIONS)
    return corpus_module.generate(tmp_path_factory.mktemp("bench") / "corpus", 300, invalid, 7)


def readable(corpus) -> list[tuple[Path, dict]]:
    found = []
    for path in corpus.protocols:
        try:
            found.append((path, load(str(path)).data))
        except JsonProblem:
            continue
    return found


def test_engines_agree_on_every_file(corpus):
    checker = SchemaChecker()
    files = readable(corpus)
    verdicts = {}
    for path, data in files:
        fast = checker.is_valid(PROTOCOL, data)
        detailed = checker.findings(PROTOCOL, data)
        assert fast == (not detailed), (path.name, detailed)
        verdicts[path] = fast
    # Not trivially true: the corpus holds files that each engine must reject.
    rejected = {p for p, ok in verdicts.items() if not ok}
    schema_mistakes = {p for p, (_, code) in corpus.invalid.items() if code.startswith("SCHEMA")}
    assert rejected == schema_mistakes
    assert len(files) >= 300 + len(schema_mistakes)


def test_validate_reports_exactly_the_invalid_files_with_workers_or_in_one_process(corpus):
    # More files than the threshold for worker processes: the default run uses them; `--jobs 1`
    # must give the same report, file for file and finding for finding.
    assert len(corpus.protocols) > PARALLEL_THRESHOLD
    result = run_protokit(
        "validate", "--format", "json", "protocols", cwd=corpus.root, subprocess_only=True
    )
    single = run_protokit(
        "validate", "--jobs", "1", "--format", "json", "protocols", cwd=corpus.root,
        subprocess_only=True,
    )  # fmt: skip
    assert result.code == single.code == 1, result.stderr
    assert result.stdout == single.stdout and result.stderr == single.stderr
    files = json.loads(result.stdout)["files"]
    assert len(files) == len(corpus.protocols)
    # Lint may warn about valid files (a retired protocol, say); only errors make a file invalid.
    found = {
        f["path"]: {x["code"] for x in f["findings"]}
        for f in files
        if any(x["severity"] == "error" for x in f["findings"])
    }
    expected = {str(p.relative_to(corpus.root)): v for p, v in corpus.invalid.items()}
    assert set(found) == set(expected)
    for path, (mutation, code) in expected.items():
        assert code in found[path], (path, mutation, found[path])


def test_corpus_is_the_same_for_a_seed(tmp_path):
    def contents(seed: int, folder: str) -> list[bytes]:
        made = corpus_module.generate(tmp_path / folder, 20, 6, seed)
        return [p.read_bytes() for p in made.protocols]

    first = contents(3, "a")
    assert first == contents(3, "b")
    assert first != contents(4, "c")


def test_bundled_schema_for_check_jsonschema_accepts_the_same_files(corpus):
    import jsonschema_rs

    bench = _benchmark_module("bench_validate")
    bundle = bench.bundled_schema(PROTOCOL.uri, all_schemas())
    assert all(ref.startswith("#/$defs/") for ref in _refs(bundle))  # nothing to download
    theirs = jsonschema_rs.validator_for(bundle, validate_formats=True)
    ours = SchemaChecker()
    files = readable(corpus)
    assert [ours.is_valid(PROTOCOL, d) for _, d in files] == [theirs.is_valid(d) for _, d in files]


def test_the_benchmark_measures_each_command_first_last_and_between():
    # Measured row by row, the first row alone met the machine as the corpus was just written
    # and its cache folder new, and its ratios said so (docs/performance.md, issue 17).
    bench = _benchmark_module("bench_validate")
    labels = ["kept", "one job", "no lint", "check-jsonschema", "loop", "forgotten"]
    orders = [bench.round_order(labels, number) for number in range(len(labels))]
    assert all(sorted(order) == sorted(labels) for order in orders)
    for position in range(len(labels)):
        assert sorted(order[position] for order in orders) == sorted(labels)


def test_the_loop_ratio_is_each_rounds_kept_run_against_the_loop_runs_beside_it():
    # One slow run of the loop (0.46 s) moved the ratio of the rows' medians threefold
    # (docs/performance.md, issue 17, twenty-seventh sitting): each round's kept run is set
    # against the median of the loop's three runs in that round, and the rounds' ratios'
    # median is the figure.
    bench = _benchmark_module("bench_validate")

    def run(wall):
        return bench.Run(wall, wall, 0, None, 0, b"", None)

    def round_of(kept, before, own, after):
        return {
            bench.KEPT: run(kept),
            bench.LOOP_BEFORE: run(before),
            bench.LOOP: run(own),
            bench.LOOP_AFTER: run(after),
        }

    # The second round's own loop run was slowed by something else on the machine.
    rounds = [
        round_of(2.5, 0.5, 0.5, 0.6),
        round_of(2.6, 0.5, 1.5, 0.5),
        round_of(4.0, 0.8, 0.8, 0.9),
    ]
    assert bench.loop_ratios(rounds) == [5.0, 5.2, 5.0]
    assert bench.median(bench.loop_ratios(rounds)) == 5.0
    # A round without the kept row, or without the loop, gives no ratio.
    assert bench.loop_ratios([{bench.LOOP: run(0.5)}, {bench.KEPT: run(2.0)}]) == []


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


# Texts the two engines once read differently, because a schema's pattern is ECMA-262 and
# Python's `re` is not: "$" before a final line break, "\s" and "." over control characters.
PATTERN_EDGES = [
    ("/id", "psoas-stretch-glute-bridge\n"),
    ("/version", "1.0.3\n"),
    ("/indications/1/code", "279039007\n"),
    ("/delivery/provider/qualifications", "\x1f"),
    ("/delivery/provider/qualifications", "\x85"),
    ("/delivery/provider/qualifications", "\ufeff"),
    ("/delivery/provider/qualifications", "\u3000"),
    ("/authors/0/name", "\u2028"),
]


@pytest.mark.parametrize(("pointer", "text"), PATTERN_EDGES, ids=repr)
def test_engines_read_a_pattern_alike_and_an_invalid_file_is_never_valid(pointer, text):
    """H214: an id or version with a line break at its end ("1.0.3\\n"), refused by the fast
    engine and accepted by the detailed one, made the file "all valid" (no finding to report);
    the SNOMED rule then met "279039007\\n" and ended in `internal error: ValueError`."""
    data = json.loads((REPO / "protocols" / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    parent = data
    tokens = pointer.split("/")[1:]
    for token in tokens[:-1]:
        parent = parent[int(token) if token.isdigit() else token]
    parent[tokens[-1]] = text
    checker = SchemaChecker()
    fast = checker.is_valid(PROTOCOL, data)
    assert fast == (not checker.findings(PROTOCOL, data))
    assert fast == (not checker.check(PROTOCOL, data))
