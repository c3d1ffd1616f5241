"""SAFE012's negated lists on a hostile text (s38-hostile2, H1465): a match read as done ends
the list of negated matches, so the text between a list and a later match is read once, not
again for every match after it. Counted in characters read, not timed."""

from __future__ import annotations

import re

from protocol_kit.lint.rules import condition_movement

_JUMPING = re.compile(r"\b(?:jump|hop|jog)(?:s|ing)?\b", re.I)


class _CountingJoiner:
    """The data's joiner, counting the characters of every text it is asked about."""

    def __init__(self, joiner: re.Pattern[str]) -> None:
        self.joiner, self.read = joiner, 0

    def search(self, text: str) -> re.Match[str] | None:
        self.read += len(text)
        return self.joiner.search(text)


def _counted(monkeypatch) -> _CountingJoiner:
    negation, before, joiner = condition_movement._negation()
    counting = _CountingJoiner(joiner)
    monkeypatch.setattr(condition_movement, "_negation", lambda: (negation, before, counting))
    return counting


def test_the_text_after_a_negated_list_is_read_once(monkeypatch):
    counting = _counted(monkeypatch)
    text = "Do not jump. " + "Then walk on and jump. " * 2000
    negated = condition_movement._negated_starts(_JUMPING, text)
    assert negated == frozenset({text.index("jump")})
    assert counting.read <= len(text)


def test_a_list_is_still_read_as_a_list(monkeypatch):
    _counted(monkeypatch)
    listed = "Do not hop, jump or jog."
    assert len(condition_movement._negated_starts(_JUMPING, listed)) == 3
    broken = "Do not hop, then jump, or jog."
    assert condition_movement._negated_starts(_JUMPING, broken) == frozenset({7})
