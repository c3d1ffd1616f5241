"""The lint's keys of a file's parts and its shared pass over the texts (issue 17): a number
stands for one key only, the run memo keeps its few dear answers when it starts again, and a
search registered after verdicts were kept is never taken as having found nothing."""

from __future__ import annotations

import datetime as dt

from protocol_kit.lint import base
from protocol_kit.lint.base import Context, RunMemo, section_key, token

TODAY = dt.date(2026, 12, 4)


def test_a_number_stands_for_one_key_even_after_the_table_is_emptied(monkeypatch):
    monkeypatch.setattr(RunMemo, "LIMIT", 3)
    context = Context(today=TODAY, memo=RunMemo())
    first = token(context, ("red flags", "Chest pain."))
    assert token(context, ("red flags", "Chest pain.")) == first
    others = [token(context, ("red flags", f"Sign {i}.")) for i in range(5)]  # empties it
    assert first not in others and len(set(others)) == len(others)
    again = token(context, ("red flags", "Chest pain."))  # forgotten: a new number
    assert again != first and again not in others


def test_a_part_of_a_file_is_keyed_once_per_file():
    built = []
    memo = RunMemo()

    def key() -> tuple:
        built.append(1)
        return ("stop box", "Sharp pain.")

    one = Context(today=TODAY, memo=memo)
    assert section_key(one, "stop-box", key) == section_key(one, "stop-box", key)
    assert len(built) == 1
    other = Context(today=TODAY, memo=memo)  # the next file: worked out again, same number
    assert section_key(other, "stop-box", key) == section_key(one, "stop-box", key)
    assert len(built) == 2


def test_the_memo_keeps_its_dear_answers_when_it_starts_again(monkeypatch):
    monkeypatch.setattr(RunMemo, "LIMIT", 6)
    memo = RunMemo()
    memo[("poses", "lying")] = ["placed"]
    memo["template-choices"] = {"status": ["draft"]}
    for i in range(5):  # the fifth starts it again
        memo[("SAFE013", i)] = []
    assert ("poses", "lying") in memo and "template-choices" in memo
    assert ("SAFE013", 0) not in memo and ("SAFE013", 4) in memo
    assert len(memo) <= RunMemo.LIMIT


def test_the_dear_answers_are_dropped_too_when_they_fill_half_the_memo(monkeypatch):
    monkeypatch.setattr(RunMemo, "LIMIT", 4)
    memo = RunMemo()
    for i in range(4):
        memo[("poses", i)] = []
    memo[("SAFE013", 0)] = []
    assert list(memo) == [("SAFE013", 0)]


def test_a_search_registered_later_is_not_taken_as_having_found_nothing(monkeypatch):
    """The verdicts are kept under the number of searches registered: kept before a rule's
    search was registered, they would say it found nothing in any text, and the rule would
    be skipped on a file it has something to say about."""
    from lint_helpers import minimal

    from protocol_kit.model import build_protocol

    monkeypatch.setattr(base, "_TEXT_CHECKS", list(base._TEXT_CHECKS))
    data = minimal()
    word = data["title"] if isinstance(data["title"], str) else next(iter(data["title"].values()))
    protocol = build_protocol(data, "p.json", {})
    memo = RunMemo()
    nothing = base.text_check(lambda value, language: False)
    assert not base.texts_may_hold(protocol, Context(today=TODAY, memo=memo, data=data), nothing)
    later = base.text_check(lambda value, language: value == word)
    assert base.texts_may_hold(protocol, Context(today=TODAY, memo=memo, data=data), later)
