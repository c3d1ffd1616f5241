"""The lint's answers about each exercise, kept for the run in one table per rule by the
exercise's number (issue 17, fourteenth sitting): an answer is given again only for an exercise
with the same content (an exercise at the same place with other steps, or read in another
language, is judged again), one about another place or another context of the protocol is not
taken for this one, and the tables are bounded with the memo that holds them."""

from __future__ import annotations

from lint_helpers import TODAY, minimal

from protocol_kit.bounded import weight
from protocol_kit.lint.base import (
    Context,
    Problem,
    RunMemo,
    any_place,
    each_exercise_remembered,
    exercise_place,
)
from protocol_kit.model import build_exercise, build_protocol, origin_at, shared_exercise


def _first_step(exercise) -> str:
    return next(iter(exercise.steps[0].values.values()))


def _checker(calls: list):
    """A check that says what the exercise's first step is, at its place."""

    def check(exercise, index):
        calls.append(_first_step(exercise))
        yield Problem(f"{exercise_place(exercise)}/steps/0", f"first step: {_first_step(exercise)}")

    return check


def _data(first_step: str, language: str = "en-GB") -> dict:
    data = minimal()
    data["language"] = language
    data["exercises"][0]["steps"][0] = first_step
    return data


def _own(data: dict):
    """The protocol of `data`, its exercise built for this file alone."""
    exercise = build_exercise(data["exercises"][0], "en", origin_at("p.json", "/exercises/0"))
    return build_protocol(data, "p.json", (exercise,))


def _messages(protocol, data, memo, calls, key=("TEST",)) -> list[str]:
    context = Context(today=TODAY, memo=memo, data=data)
    found = each_exercise_remembered(protocol, context, key, _checker(calls))
    return [(problem.pointer, problem.message) for problem in found]


def test_exercises_at_one_place_that_differ_never_share_an_answer():
    memo, calls = RunMemo(), []
    one, other = _data("Round your back."), _data("Arch your back.")
    found = [_messages(_own(data), data, memo, calls) for data in (one, other, one, other)]
    assert found[0] == found[2] == [("/exercises/0/steps/0", "first step: Round your back.")]
    assert found[1] == found[3] == [("/exercises/0/steps/0", "first step: Arch your back.")]
    assert calls == ["Round your back.", "Arch your back."]  # then each was found again


def test_a_shared_exercise_is_judged_once_and_one_like_it_with_other_steps_again():
    """Exercises `validate` shares between files carry their numbers from file to file: the
    same object is not judged again, another object at the same place with other steps is, and
    so is the same object read in another language."""
    memo, calls = RunMemo(), []
    one, other = _data("Round your back."), _data("Arch your back.")
    first = shared_exercise(one["exercises"][0], "en", 0)
    second = shared_exercise(other["exercises"][0], "en", 0)

    def found(data, exercise):
        protocol = build_protocol(data, "p.json", (exercise,))
        return _messages(protocol, data, memo, calls)

    assert found(one, first) == found(one, first) == found(one, first)
    assert found(other, second) == [("/exercises/0/steps/0", "first step: Arch your back.")]
    assert found(one, first) == [("/exercises/0/steps/0", "first step: Round your back.")]
    assert calls == ["Round your back.", "Arch your back."]
    french = _data("Round your back.", language="fr")
    found(french, first)  # the same object and data, in another language
    assert calls == ["Round your back.", "Arch your back.", "Round your back."]


def test_rules_with_other_keys_never_share_an_answer():
    memo, one_calls, other_calls = RunMemo(), [], []
    data = _data("Round your back.")
    protocol = _own(data)
    _messages(protocol, data, memo, one_calls, key=("TEST", "a"))
    _messages(protocol, data, memo, other_calls, key=("TEST", "b"))
    assert one_calls == other_calls == ["Round your back."]


def test_an_answer_about_an_exercise_depends_on_what_the_rule_reads_around_it():
    """`any_place`: the same exercise, judged with another `around` (what the rule reads of
    the protocol), is judged again, never given the first answer."""
    memo = RunMemo()
    data = _data("Round your back.")
    protocol = _own(data)
    asked = []

    def answers(around: str) -> bool:
        context = Context(today=TODAY, memo=memo, data=data)

        def finds(place) -> bool:
            asked.append(around)
            return place is not protocol and around == "finds"

        return any_place(protocol, context, "TEST-place", tuple, finds, around=lambda: around)

    assert answers("finds") is True
    assert answers("finds nothing") is False
    assert answers("finds") is True
    # The protocol itself once (its answer is kept by `own` alone), its exercise once for each.
    assert asked == ["finds", "finds", "finds nothing"]


def test_a_kept_answer_is_charged_its_weight_once():
    memo, calls = RunMemo(), []
    data = _data("Round your back " + "slowly " * 500)
    _messages(_own(data), data, memo, calls)
    held = memo.held
    (answer,) = memo[("answers", "TEST")].values()
    assert held >= weight(answer) > 3_500  # the long message is counted
    _messages(_own(data), data, memo, calls)  # found again: nothing new kept, nothing weighed
    assert memo.held == held and len(calls) == 1


def test_the_tables_are_bounded_and_their_answers_right_after_the_memo_starts_again(
    monkeypatch,
):
    monkeypatch.setattr(RunMemo, "BUDGET", 40_000)
    memo, calls = RunMemo(), []
    texts = [f"Step number {index}: " + "round your back. " * 20 for index in range(120)]
    for text in texts * 2:
        data = _data(text)
        assert _messages(_own(data), data, memo, calls) == [
            ("/exercises/0/steps/0", f"first step: {text}")
        ]
        assert memo.held < RunMemo.BUDGET
    # The memo started again on the way: the first exercises were judged a second time.
    assert len(calls) > len(texts)
    monkeypatch.setattr(RunMemo, "LIMIT", 5)
    for text in texts[:20]:
        data = _data(text)
        _messages(_own(data), data, memo, calls)
        tables = [value for value in memo.values() if type(value) is dict]
        assert all(len(table) <= RunMemo.LIMIT for table in tables)
