"""Where a file's CPU goes in `protokit validate`: each stage of the check and each lint rule,
in one process, on a folder of protocols (a corpus from `corpus.py`).

Every stage runs over every file in turn and is timed with this process's CPU clock, so the
figures are µs of one core per file; the run is repeated and the smallest of each kept (other
work on a shared machine only ever adds time). Library exercises are warm after the first
round, as they are after the first few files of a real run; the lint's run memo starts empty in
each round, as in a real run, where an answer about one file's own content (an exercise written
in it) is never found there: kept from round to round, it made every rule look cheaper than
it is.

With `--no-lint` the rules are not run: the stages before the lint alone, as they cost
without the lint's memory between one file and the next (which makes every stage after it
slower: on files whose texts all differ the schema stage took three times as long).

    python benchmarks/profile_validate.py CORPUS/protocols [--files 2000] [--repeat 3]
        [--no-lint]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from protocol_kit.app.check import (  # noqa: E402
    CheckOptions,
    FileChecker,
    expand_paths,
    locate_findings,
)
from protocol_kit.consistency import translation_findings  # noqa: E402
from protocol_kit.findings import FileReport  # noqa: E402
from protocol_kit.library import resolve_exercises  # noqa: E402
from protocol_kit.lint.engine import Linter, LintSettings  # noqa: E402
from protocol_kit.loading import JsonProblem, _without_bom, decode, parse, read_bytes  # noqa: E402
from protocol_kit.model import build_protocol  # noqa: E402
from protocol_kit.shared_parts import SharedParts  # noqa: E402
from protocol_kit.validation import kind_of  # noqa: E402

clock = time.process_time


def _file(checker: FileChecker, linter: Linter | None, path: str, spent: dict[str, float]) -> None:
    """Check one file stage by stage as `FileChecker` does, adding each stage's CPU seconds
    (and each rule's) to `spent`. Nothing is kept from one file to the next but what a real
    run keeps (the library, the run memo), so that the garbage collector sees what it sees in
    a real run."""
    limits = checker.options.limits
    mark = clock()

    def lap(name: str) -> None:
        nonlocal mark
        now = clock()
        spent[name] = spent.get(name, 0.0) + now - mark
        mark = now

    try:
        raw = read_bytes(path, limits)
        lap("read")
        text = decode(raw)
        lap("decode")
        document = parse(text, limits, path, _without_bom(raw))  # as `loading.load` does
        lap("strict parse + depth")
    except JsonProblem:
        return
    kind = kind_of(document.data)
    if not hasattr(kind, "uri") or kind.name != "protocol":
        return
    valid = checker.schemas.is_valid(kind, document.data)
    lap("schema (jsonschema-rs)")
    if not valid:
        return
    exercises, problems = resolve_exercises(
        document.data, document.name, checker.library, checker.shared
    )
    lap("library references")
    if any(p.code != "REF002" for p in problems):
        return
    protocol = build_protocol(document.data, document.name, exercises, checker.shared)
    lap("model (build_protocol)")
    translation_findings(protocol, checker.library.answers, checker.shared)
    lap("translation check")
    spent["protocols"] = spent.get("protocols", 0) + 1
    if linter is None:
        return
    context = linter._context(document.data, document.text)
    for rule, options in linter._active():
        context.options = options
        for _ in rule.check(protocol, context):
            pass
        lap(rule.code)
    linter._apply_suppressions(path, protocol.suppressions, document.data, [])
    lap("(suppressions)")


def _located(checker: FileChecker, paths: list[str]) -> tuple[float, float, int]:
    """CPU of whole checks of the files with findings, and of locating those findings."""
    with_findings = []
    for path in paths:
        report = checker.check(path)
        if report.findings:
            with_findings.append(path)
    start = clock()
    located = 0.0
    for path in with_findings:
        report = FileReport(path)
        document = checker.document = None
        try:
            document = parse(decode(read_bytes(path, checker.options.limits)), name=path)
        except JsonProblem:
            checker.check(path)
            continue
        findings = checker.check_document(document, report)
        begin = clock()
        locate_findings(findings, document.text, path)
        located += clock() - begin
    return clock() - start, located, len(with_findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-lint", action="store_true", help="the stages before the lint only")
    args = parser.parse_args()
    os.chdir(Path(args.folder).resolve().parent)  # the corpus's protokit.toml, relative paths
    paths = sorted(expand_paths([Path(args.folder).name]))[: args.files]
    # As `validate` checks (`each_report`): the parts files share are built once.
    checker = FileChecker(CheckOptions(jobs=1, share_parts=True))
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        linter = Linter(LintSettings())
        checker.shared = SharedParts()  # as the run memo: what a run shares starts empty
        spent: dict[str, float] = {}
        for path in paths:
            _file(checker, None if args.no_lint else linter, path, spent)
        for name, seconds in spent.items():
            best[name] = min(seconds, best.get(name, seconds))
    count = best.pop("protocols")
    codes = {rule.code for rule, _ in linter._active()}
    print(
        f"{len(paths)} files, {count:.0f} schema-valid protocols; "
        f"µs of CPU per protocol (min of {args.repeat})"
    )
    for name, seconds in best.items():
        if name not in codes:
            print(f"  {name:32} {seconds / count * 1e6:8.0f}")
    print("lint rules, costliest first (what several rules share is paid by the first to ask):")
    rules = {code: seconds for code, seconds in best.items() if code in codes}
    for name, seconds in sorted(rules.items(), key=lambda item: -item[1]):
        if seconds / count * 1e6 >= 1:
            print(f"  {name:32} {seconds / count * 1e6:8.0f}")
    print(f"  {'all rules':32} {sum(rules.values()) / count * 1e6:8.0f}")
    total, located, failing = _located(checker, paths)
    if failing:
        print(
            f"files with findings: {failing}; whole check {total / failing * 1e3:.2f} ms each, "
            f"of which locating findings {located / failing * 1e3:.2f} ms"
        )


if __name__ == "__main__":
    main()
