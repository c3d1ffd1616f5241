"""A first run's lint (issue 17, thirty-fourth sitting): the engine asks the rules about each
exercise one group at a time, keeping each group's answer by the exercise's number
(`Linter._by_groups`); a rule asked so keeps no answer of its own by the same number
(`each_exercise_remembered`, `KEPT_BY`), which held every answer twice and could never answer
(the engine's table had just missed under that number). H1585: what a rule finds asked so is
what it finds asked alone, through its own table, at every place of every file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lint_helpers import TODAY
from test_memo_agreement import _with_mistakes

from conftest import corpus_module
from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.lint import base
from protocol_kit.lint.base import Context
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.lint.registry import RULES

SETTINGS = LintSettings(today=TODAY)
# The rules about each exercise whose own table is keyed by the number the engine keeps their
# group's answers by: DOSE005 by the whole exercise, the others by its texts.
SAME_NUMBER = {"DOSE005", "TEXT006", "SAFE013", "SAFE014", "TEXT001", "SAFE006", "POSE001"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return corpus_module().generate(tmp_path_factory.mktemp("first") / "corpus", 120, 0, seed=34)


class _Asked:
    """The lint hook that keeps each file's protocol and context as the engine made them."""

    def __init__(self) -> None:
        self.linter = Linter(SETTINGS)
        self.seen: list = []

    def __call__(self, protocol, document):
        found = self.linter(protocol, document)
        self.seen.append((protocol, document))
        return found

    def unbuilt(self, document):
        return self.linter.unbuilt(document)

    def library_file(self, document, exercise):
        return self.linter.library_file(document, exercise)


def _checked(corpus) -> _Asked:
    asked = _Asked()
    checker = FileChecker(CheckOptions(hooks=(asked,), share_parts=True))
    for path in corpus.protocols:
        checker.check(str(path))
    return asked


def _tables(memo, code: str) -> list:
    """The tables a rule's own `each_exercise_remembered` keeps in the memo (`("answers",
    code, ...)`)."""
    return [
        key
        for key in memo
        if type(key) is tuple and len(key) > 1 and key[0] == "answers" and key[1] == code
    ]


def test_a_rule_asked_by_the_engine_keeps_no_answer_of_its_own(corpus):
    asked = _checked(corpus)
    memo = asked.linter._memo
    # The engine's own tables of the groups hold answers; the rules' own hold none.
    assert any(type(key) is tuple and key[0] == "exercise-answers" for key in memo)
    for code in ("DOSE005", "TEXT006", "SAFE014", "TEXT001"):
        assert not _tables(memo, code), code
    # A rule with a number of its own (DOSE006: the side alone, not the whole dose) still
    # keeps its answers: they answer for exercises the engine's group keys apart.
    assert _tables(memo, "DOSE006")


def test_a_rule_called_alone_still_keeps_its_answers(corpus):
    # Outside the engine's question (a rule's own `check`, a library file), the rule's table
    # is asked and filled as before.
    asked = _checked(corpus)
    protocol, document = asked.seen[0]
    context = Context(today=TODAY, data=document.data, source=document.text)
    rule = next(rule for rule in RULES if rule.code == "DOSE005")
    list(rule.check(protocol, context))
    assert _tables(context.memo, "DOSE005")


def test_what_each_rule_about_each_exercise_finds_asked_by_the_engine_is_what_it_finds_alone(
    corpus, tmp_path
):
    # H1585: every rule about each exercise, on every file of the corpus and on copies whose
    # exercises sit at other places (an answer moved, or worked out again where its message
    # names its place, H371), and on copies with the mistakes the memo's agreement test
    # makes (a step that says push through the pain, a library exercise's pain target, a
    # hold beyond the limit...), finds through the engine exactly what its own `check` finds
    # through its own table in a context of its own.
    mistakes = [Path(p) for p in _with_mistakes(list(corpus.valid), corpus.root / "protocols")]
    moved = []
    for path in corpus.valid[:40]:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["exercises"].reverse()
        data["id"] = data["id"][:50] + "-moved"
        target = path.parent / f"moved-{path.name}"
        target.write_text(json.dumps(data, indent=2), encoding="utf-8")
        moved.append(target)
    pairs = zip(corpus.protocols[: len(mistakes)], mistakes, strict=True)
    paths = [path for pair in pairs for path in pair] + moved
    asked = _Asked()
    checker = FileChecker(CheckOptions(hooks=(asked,), share_parts=True))
    for path in paths:
        checker.check(str(path))
    rules = [rule for rule in RULES if rule.exercise_part]
    assert {rule.code for rule in rules} >= SAME_NUMBER
    compared = found = 0
    memo = base.RunMemo()
    for protocol, document in asked.seen:
        engine = asked.linter._context(document.data, document.text)
        by_engine = {
            code: [p.__getstate__() for p in problems]
            for code, problems in asked.linter._answers(
                protocol, engine, *_all_steps(asked.linter)
            ).items()
        }
        for rule in rules:
            alone = Context(today=TODAY, data=document.data, source=document.text, memo=memo)
            alone.options = SETTINGS.options_of(rule)
            own = [p.__getstate__() for p in rule.check(protocol, alone)]
            assert by_engine.get(rule.code, []) == own, (rule.code, protocol.id)
            compared += 1
            found += bool(own)
    assert compared > 1000 and found > 20


def _all_steps(linter):
    plan = linter._plan()
    return plan, plan, plan.called
