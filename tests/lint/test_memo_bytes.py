"""The lint's memos are bounded by the bytes they hold, not by their number of answers (issue
17): a run over files whose texts are long and all different keeps what a run over short
ones keeps, and the answers are the same whenever a memo starts again."""

from __future__ import annotations

import datetime as dt
import tracemalloc

from protocol_kit import bounded
from protocol_kit.bounded import text_cache, weight
from protocol_kit.lint.base import Context, Problem, token
from protocol_kit.lint.memo import RunMemo

TODAY = dt.date(2026, 12, 5)
LONG = 10_000  # characters: the longest string a protocol file may hold


def _texts(count: int, length: int = LONG):
    """`count` different texts of `length` characters, made one at a time."""
    for i in range(count):
        yield f"{i:08d} " + "x" * (length - 9)


def _held_by(make) -> tuple[object, int]:
    """What `make()` returns and the bytes still allocated once it has, all else freed."""
    tracemalloc.start()
    try:
        made = make()
        return made, tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()


def test_a_run_memo_of_long_texts_holds_its_budget_not_its_number_of_answers():
    def fill() -> RunMemo:
        memo = RunMemo()
        for text in _texts(5_000):  # 5,000 answers of 10 KB: 100 MB kept by number alone
            memo[("TEXT006", text)] = (Problem("/summary", f"says {text[:8]}"),)
        return memo

    memo, held = _held_by(fill)
    assert len(memo) < 5_000, "the memo never started again"
    assert memo.held <= RunMemo.BUDGET
    assert held < 1.5 * RunMemo.BUDGET, f"{held:,} bytes held"


def test_the_section_keys_of_long_texts_are_counted_in_the_memo():
    """`token`'s table is one answer of the memo that grows: what it keeps is charged, so a
    table of long texts makes the memo start again, and a new table is begun."""

    def fill() -> RunMemo:
        memo = RunMemo()
        context = Context(today=TODAY, memo=memo)
        numbers = [token(context, ("red flags", text)) for text in _texts(3_000)]
        assert len(set(numbers)) == len(numbers)  # a number still stands for one key
        return memo

    memo, held = _held_by(fill)
    assert memo.held <= RunMemo.BUDGET
    assert held < 1.5 * RunMemo.BUDGET, f"{held:,} bytes held"


def test_an_answer_kept_again_after_the_memo_started_again_is_the_same(monkeypatch):
    monkeypatch.setattr(RunMemo, "BUDGET", 50_000)
    memo = RunMemo()
    answers = {}
    for i, text in enumerate(_texts(40, 2_000)):
        memo[("SAFE013", text)] = answers[text] = (Problem(f"/steps/{i}", text[:8]),)
    assert len(memo) < 40
    kept = [text for text in answers if ("SAFE013", text) in memo]
    assert kept and all(memo[("SAFE013", t)] == answers[t] for t in kept)


def test_a_text_cache_of_long_texts_holds_its_budget():
    calls = [0]  # a count: a list of the texts would hold them all

    @text_cache()
    def first_word(text: str) -> str:
        calls[0] += 1
        return text.split()[0]

    def ask() -> list[str]:
        return [first_word(text) for text in _texts(5_000)]  # 50 MB kept by number alone

    found, held = _held_by(ask)
    assert found == [f"{i:08d}" for i in range(5_000)]
    assert held < 1.5 * bounded.TEXT_CACHE_BYTES, f"{held:,} bytes held"
    # Short texts seen again are answered from the cache, not worked out again.
    before = calls[0]
    assert first_word("Stop if the pain is sharp.") == "Stop"
    assert first_word("Stop if the pain is sharp.") == "Stop"
    assert calls[0] == before + 1


def test_a_text_cache_emptied_gives_the_same_answers(monkeypatch):
    monkeypatch.setattr(bounded, "TEXT_CACHE_BYTES", 3_000)

    @text_cache()
    def words(text: str) -> tuple[str, ...]:
        return tuple(text.split())

    texts = [f"step {i} of the exercise, slowly" for i in range(200)]
    assert [words(t) for t in texts * 2] == [tuple(t.split()) for t in texts * 2]
    assert words.cache_info().currsize < 200


def test_weight_counts_texts_inside_answers():
    problem = Problem("/exercises/0/steps/1", "x" * 5_000)
    assert weight((problem,)) > 5_000
    assert weight(("library", b"\0" * 16, "glute-bridge", "en-GB")) > 16 + len("glute-bridge")
    assert weight(()) < 100 and weight(None) == 0
