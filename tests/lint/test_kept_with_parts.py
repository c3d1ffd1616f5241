"""What the lint keeps about a part by the part itself or by its writing (issue 17,
twenty-fourth sitting): an answer kept with a part goes when the part tables let go of it; an
exercise's numbers are its language's own; a new exercise is keyed from the schema check's
writing of its own entry, never another file's; a part built again as a new object finds its
answers by its content, and a part that differs in anything gets its own."""

from __future__ import annotations

import copy

import orjson
from lint_helpers import TODAY, minimal

from protocol_kit.lint import base, engine
from protocol_kit.lint.base import Context, RunMemo, exercises_key
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.model import OWN_FIELDS, build_protocol, shared_exercise
from protocol_kit.shared_parts import PartTable, SharedParts, keep_writing, kept_with

# GOV002 (a retired protocol) and the rules that always run: a small lint.
_ONLY_GOV002 = LintSettings(select=("GOV002",), today=TODAY)


class Part:
    """An object standing for a part of a model."""


def _written(data):
    """Keep the writing of `data`'s part and exercises, as the schema check does."""
    part = orjson.dumps({k: v for k, v in data.items() if k not in OWN_FIELDS})
    keep_writing(data, part, [orjson.dumps(entry) for entry in data["exercises"]])


def test_what_is_kept_with_a_part_goes_with_it():
    table = PartTable(kept=1, trial=100)
    first, second = Part(), Part()
    for _ in range(2):  # built twice: kept
        table.part("part", "en", {"n": 1}, lambda: first)
    kept_with(first)["answer"] = 1
    assert kept_with(first) == {"answer": 1}
    for _ in range(2):  # a second part pushes the first out of the table
        table.part("part", "en", {"n": 2}, lambda: second)
    assert kept_with(first) is None  # not held: nothing kept with it
    assert kept_with(Part()) is None
    other = PartTable(kept=1, trial=100)
    for _ in range(2):  # held again: what was kept with it went
        other.part("part", "en", {"n": 1}, lambda: first)
    assert kept_with(first) == {}


def test_an_exercises_numbers_are_its_languages_own():
    """The same shared exercise object in a file of another language: its texts are read in
    that language, so it gets other numbers."""
    english = minimal()
    french = copy.deepcopy(english)
    french["language"] = "fr"
    exercise = shared_exercise(english["exercises"][0], "en", 0)
    table = PartTable(kept=4, trial=100)
    for _ in range(2):
        table.part("exercise", "en", {"n": 0}, lambda: exercise)
    memo = RunMemo()
    numbers = [
        exercises_key(build_protocol(d, "p.json", (exercise,)), Context(TODAY, memo=memo, data=d))
        for d in (english, french, english)
    ]
    assert numbers[0] == numbers[2] != numbers[1]


def test_a_new_exercise_is_keyed_from_its_own_files_writing():
    data = minimal()
    data["exercises"].append(copy.deepcopy(data["exercises"][0]))
    data["exercises"][1]["dosage"]["sets"] = data["exercises"][0]["dosage"]["sets"] + 1
    changed = copy.deepcopy(data)
    changed["exercises"][0]["dosage"]["sets"] += 1
    _written(data)
    digests = [base._written_at(data, f"/exercises/{i}") for i in (0, 1)]
    # From the writing (one byte longer than marshal's digest), each entry its own.
    assert all(len(d) == 17 for d in digests) and digests[0] != digests[1]
    # Another file's data is not keyed from this file's writing, though its entry's place
    # and length are the same: its own entry, written by marshal.
    other = base._written_at(changed, "/exercises/0")
    assert len(other) == 16 and other not in digests
    _written(changed)
    assert base._written_at(changed, "/exercises/0") == digests[1]  # equal entries, one key


def test_a_part_built_again_finds_its_answers_and_another_part_gets_its_own(monkeypatch):
    """Each file's part a new object (the part tables let go of it): a retired protocol's
    part answered once by its content, a draft's part answered apart."""
    linter = Linter(_ONLY_GOV002)
    judged = []
    real = Linter._part_answers

    def counted(self, protocol, context):
        judged.append(protocol.status)
        return real(self, protocol, context)

    monkeypatch.setattr(Linter, "_part_answers", counted)
    found = []
    for status in ("retired", "draft", "retired", "draft"):
        data = minimal()
        data["status"] = status
        data.pop("sign_off", None)
        _written(data)
        protocol = build_protocol(data, "p.json", (), SharedParts())
        codes = [f.code for f in linter.lint(protocol, data, orjson.dumps(data).decode())]
        found.append("GOV002" in codes)
    assert found == [True, False, True, False]
    assert judged == ["retired", "draft"]


def test_a_part_made_by_hand_is_answered_by_itself(monkeypatch):
    """A protocol built without `validate`'s part tables (its places name its file) is not
    answered by the writing kept for its data: it may have been made otherwise."""
    data = minimal()
    _written(data)
    linter = Linter(_ONLY_GOV002)
    calls = []
    monkeypatch.setattr(engine, "part_digest", lambda context: calls.append(1))
    linter.lint(build_protocol(data, "p.json", ()), data, orjson.dumps(data).decode())
    assert calls == []


def test_a_shared_parts_texts_are_answered_once_and_each_title_read():
    """SAFE013 where a text of the shared part says it: the part's problem found in every
    file (kept with the part), each file's title read for itself, the title's problem first."""
    shared = SharedParts()
    linter = Linter(LintSettings(select=("SAFE013",), today=TODAY))
    found = []
    for title in ("Back basics", "Push through the pain to finish", "Back basics", "Knees"):
        data = minimal()
        data["title"] = title
        data["summary"] = "Push through the pain to finish the set."
        _written(data)
        protocol = build_protocol(data, "p.json", (), shared)
        problems = linter.lint(protocol, data, orjson.dumps(data).decode())
        found.append([f.pointer for f in problems if f.code == "SAFE013"])
    assert found == [["/summary"], ["/title", "/summary"], ["/summary"], ["/summary"]]
