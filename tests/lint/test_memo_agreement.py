"""The lint's answers kept for a run (issue 17) never change a finding: every file of a varied
set (the repository's examples, every validation case, a generated corpus, one whose texts
all differ, and copies of the corpus's files with one mistake a rule reports) gets from a
linter that has seen the others, in either order, exactly the findings a linter new to it
gives, message, place and severity included."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from lint_helpers import TODAY

from conftest import CASES, REPO, corpus_module
from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.lint.memo import RunMemo

SETTINGS = LintSettings(today=TODAY)


class Fresh:
    """A lint hook that lints every file with a linter that has seen no other: its run memo
    holds nothing of another file."""

    def __call__(self, protocol, document):
        return Linter(SETTINGS)(protocol, document)

    def unbuilt(self, document):
        return Linter(SETTINGS).unbuilt(document)

    def library_file(self, document, exercise):
        return Linter(SETTINGS).library_file(document, exercise)


def _first_inline(data: dict) -> dict | None:
    return next((e for e in data["exercises"] if "ref" not in e), None)


def _set_stop(data: dict) -> None:
    data["safety"]["stop_criteria"][0] = "n/a"  # SAFE003


def _urgent_chest_pain(data: dict) -> None:
    data["safety"]["red_flags"][0]["action"] = "urgent"  # SAFE006 where it needs emergency


def _push_through(data: dict) -> None:
    exercise = _first_inline(data)
    if exercise is not None:  # SAFE013
        exercise["steps"] = [*exercise["steps"], "Push through the pain to finish the set."]


def _todo_advice(data: dict) -> None:
    data["safety"]["general_advice"] = ["TODO: write the advice."]  # TEXT003


def _cure(data: dict) -> None:
    data["summary"] = "This programme will cure your back pain for good."  # TEXT002


def _long_hold(data: dict) -> None:
    exercise = _first_inline(data)
    if exercise is not None:  # DOSE005
        exercise["steps"] = [*exercise["steps"], "Hold for 5 minutes, then rest for 45 seconds."]


def _unmanaged(data: dict) -> None:
    item = data["safety"]["precautions"][0]
    item["coding"] = data["indications"][0]  # SAFE002: a treated condition, managed by "n/a"
    item["management"] = "n/a"


def _hourly(data: dict) -> None:
    data["delivery"]["education"] = ["Do these exercises every hour while you are awake."]


def _contraindicated_elsewhere(data: dict) -> None:
    exercise = _first_inline(data)
    if exercise is not None:  # SAFE010: the protocol's precaution, an exercise's contraindication
        precaution = data["safety"]["precautions"][0]
        exercise["contraindications"] = [
            {"id": "stated-twice", "description": precaution["description"]}
        ]


def _pregnant_on_the_back(data: dict) -> None:
    exercise = _first_inline(data)
    if exercise is not None:  # SAFE012
        data["screening"] = [
            {"id": "pregnant", "question": "Are you pregnant?", "decides": [exercise["id"]]}
        ]
        exercise["starting_position"] = "Lie on your back with your knees bent."


def _first_reference(data: dict) -> dict | None:
    return next((e for e in data["exercises"] if "ref" in e), None)


def _library_pain_target(data: dict) -> None:
    entry = _first_reference(data)
    if entry is not None:  # SAFE014 in an intensity the reference overrides, other numbers too
        entry["dosage"] = {
            **entry.get("dosage", {}),
            "sets": 2,
            "intensity": "Work at a pain of 8 out of 10.",
        }


def _library_numbers(data: dict) -> None:
    entry = _first_reference(data)
    if entry is not None:  # the same library exercise, its texts as before, other numbers
        entry["dosage"] = {**entry.get("dosage", {}), "sets": 3}


# One mistake a rule reports, made in a copy of a file: the files with and without it share
# everything else, which is what answers kept for the run are keyed by.
MISTAKES = (
    _set_stop,
    _urgent_chest_pain,
    _push_through,
    _todo_advice,
    _cure,
    _long_hold,
    _unmanaged,
    _hourly,
    _contraindicated_elsewhere,
    _pregnant_on_the_back,
    _library_pain_target,
    _library_numbers,
)


def _with_mistakes(paths: list[Path], folder: Path) -> list[str]:
    written = []
    for index, path in enumerate(paths):
        data = json.loads(path.read_text(encoding="utf-8"))
        changed = copy.deepcopy(data)
        try:
            MISTAKES[index % len(MISTAKES)](changed)
        except (KeyError, IndexError, TypeError):
            continue  # a file without that part: left out
        target = folder / f"mistake-{path.name}"
        target.write_text(json.dumps(changed, indent=2), encoding="utf-8")
        written.append(str(target))
    return written


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> list[str]:
    corpus = corpus_module()
    root = tmp_path_factory.mktemp("memo")
    shared = corpus.generate(root / "shared", 100, 10, seed=5)
    distinct = corpus.generate(root / "distinct", 30, 0, seed=6, distinct_texts=True)
    found = sorted(str(p) for p in (REPO / "protocols").glob("*.json"))
    found += sorted(str(p) for p in CASES.glob("validate/*/*/*.json"))
    found += [str(p) for p in (*shared.protocols, *distinct.protocols)]
    # Beside the originals, in the corpus's folder (its library), interleaved.
    mistakes = _with_mistakes(list(shared.valid), shared.root / "protocols")
    pairs = zip(found[: len(mistakes)], mistakes, strict=True)
    return [path for pair in pairs for path in pair] + found[len(mistakes) :]


def _report(checker: FileChecker, path: str) -> list:
    return [
        (f.code, f.message, f.severity, f.pointer, f.at_key) for f in checker.check(path).findings
    ]


@pytest.fixture(scope="module")
def expected(paths) -> dict[str, list]:
    """Each file's findings from a linter new to it."""
    alone = FileChecker(CheckOptions(hooks=(Fresh(),)))
    return {path: _report(alone, path) for path in paths}


def test_a_linter_that_has_seen_other_files_finds_what_a_new_one_finds(paths, expected):
    assert sum(len(found) for found in expected.values()) > 100  # the set has findings
    for order in (paths, paths[::-1]):
        together = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),)))
        for path in order:
            assert _report(together, path) == expected[path], Path(path).name


def test_a_run_whose_memo_starts_again_often_finds_what_a_new_linter_finds(
    paths, expected, monkeypatch
):
    """As `protokit validate` runs (parts shared between files), with a memo small enough to
    start again every few files: the lint's tables of answers about each part kept across each
    start, or dropped when they grow too large (twentieth sitting), never change a finding."""
    monkeypatch.setattr(RunMemo, "BUDGET", 96 * 1024)
    starts = []
    start_again = RunMemo._start_again
    monkeypatch.setattr(RunMemo, "_start_again", lambda memo: starts.append(start_again(memo)))
    together = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),), share_parts=True))
    for path in paths:
        assert _report(together, path) == expected[path], Path(path).name
    assert len(starts) > 5


def test_the_rules_asked_by_place_find_what_they_find_called_for_every_file(
    paths, expected, monkeypatch
):
    """The rules the engine calls only for a file one of whose places may hold what they find
    (`Rule.asked_by_place`, H1217) find, called for every file as they were before the
    thirtieth sitting, exactly what they find asked by place: no file is skipped where a rule
    would find something."""
    from protocol_kit.lint.registry import RULES

    asked = [type(rule) for rule in RULES if rule.asked_by_place]
    assert len(asked) >= 8
    for rule_class in asked:
        monkeypatch.setattr(rule_class, "asked_by_place", False)
    called = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),), share_parts=True))
    for path in paths:
        assert _report(called, path) == expected[path], Path(path).name
