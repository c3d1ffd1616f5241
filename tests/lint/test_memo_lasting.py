"""What the lint's run memo keeps when it starts again (issue 17, twentieth sitting): the
lint's own tables of answers about each part of a file, dearest first, within half its budget,
so that files met after a start find their parts' answers; every other answer is dropped."""

from __future__ import annotations

from protocol_kit.lint.base import Problem
from protocol_kit.lint.memo import RunMemo


def _filled(memo: RunMemo, tokens: int, answers: int) -> None:
    memo[("section-tokens",)] = {("written", f"{i:06d}" * 40): i for i in range(tokens)}
    memo[("exercise-answers", (1, 2))] = {i: () for i in range(answers)}
    memo[("SAFE010-place", 7)] = (Problem("/safety", "a rule's own answer"),)


def test_the_part_tables_are_kept_and_a_rule_s_own_answers_dropped():
    memo = RunMemo()
    _filled(memo, tokens=10, answers=10)
    memo._start_again()
    assert ("section-tokens",) in memo and ("exercise-answers", (1, 2)) in memo
    assert ("SAFE010-place", 7) not in memo
    assert 0 < memo.held < RunMemo.BUDGET // 2


def test_a_table_that_would_pass_half_the_budget_is_dropped_the_dearer_kept(monkeypatch):
    monkeypatch.setattr(RunMemo, "BUDGET", 200_000)
    memo = RunMemo()
    _filled(memo, tokens=10, answers=20_000)  # the exercise answers alone weigh more than half
    memo._start_again()
    assert ("section-tokens",) in memo
    assert ("exercise-answers", (1, 2)) not in memo
    assert memo.held < RunMemo.BUDGET // 2


def test_nothing_is_kept_when_the_kept_kinds_hold_too_many_answers(monkeypatch):
    monkeypatch.setattr(RunMemo, "LIMIT", 10)
    memo = RunMemo()
    for i in range(8):
        memo[("answers", i)] = {}
    memo._start_again()
    assert not memo and memo.held == 0
