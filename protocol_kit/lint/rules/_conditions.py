"""Conditions named in words: the names a contraindication or precaution gives its condition,
and whether a text names one, for the rules that compare conditions that are not coded."""

from __future__ import annotations

import functools
import re

from protocol_kit.bounded import text_cache
from protocol_kit.package_data import read_json
from protocol_kit.patterns import compiled

# The condition's name ends where its explanation starts.
_NAME_END = compiled(r"[:;.(\u2014]| - | \u2013 |,? unless\b|,? until\b|,? that\b|,? which\b")
_SPACES = compiled(r"\s+")
_LIST_SEPARATOR = compiled(r",? (?:or|and) |, ")
# Opening words that describe the state rather than name the condition.
_LEADING = compiled(r"^(suspected or confirmed|suspected|confirmed|known|a|an|the)\s+", re.I)
# "Spinal, hip or abdominal surgery ...": a list of words sharing what follows them.
_LIST = compiled(r"^((?:[\w-]+, )*[\w-]+,? (?:or|and) [\w-]+) (.+)$")
MAX_WORDS = 8


@text_cache()
def condition_names(description: str) -> frozenset[str]:
    """The conditions a description names, lower-cased: "Poor balance: cannot step..." ->
    {"poor balance"}; "Spinal, hip or abdominal surgery in the last 12 weeks, unless ..." ->
    {"spinal surgery in the last 12 weeks", "hip surgery ...", "abdominal surgery ..."}.
    Empty when the name is too long to be one."""
    first = _NAME_END.split(description, maxsplit=1)[0]
    phrase = _LEADING.sub("", _SPACES.sub(" ", first).strip()).casefold()
    listed = _LIST.match(phrase)
    if listed:
        heads = [w for w in _LIST_SEPARATOR.split(listed[1]) if w]
        names = {f"{head} {listed[2]}" for head in heads}
    else:
        names = {phrase} if phrase else set()
    return frozenset(n for n in names if len(n.split()) <= MAX_WORDS)


def names(text: str, phrase: str) -> bool:
    """Whether `text` names the condition `phrase` (whole words, any case and spacing), in its
    words or in other words for it (`lint/data/condition_words.json`: "unsteady on their feet"
    names "poor balance")."""
    return _pattern(phrase).search(text) is not None


def known_condition(phrase: str) -> bool:
    """Whether `phrase` (lower-cased, as `condition_names` gives it) is one of the conditions
    `condition_words.json` lists ("pregnancy", "thin bones"): a condition, not a body part or
    a sign ("knee", "pain") that many conditions' names hold."""
    return any(pattern.fullmatch(phrase) for group in _word_patterns() for pattern in group)


@functools.lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern[str]:
    own = r"\s+".join(re.escape(w) for w in phrase.split())
    others = [
        word.replace(" ", r"\s+")
        for group, patterns in zip(_word_groups(), _word_patterns(), strict=True)
        if any(pattern.fullmatch(phrase) for pattern in patterns)
        for word in group
    ]
    return compiled(r"\b(?:" + "|".join([own, *others]) + r")\b", re.I)


@functools.lru_cache(maxsize=1)
def _word_patterns() -> tuple[tuple[re.Pattern[str], ...], ...]:
    # Each word of the groups compiled once a run, not once for each condition named (about
    # 190 compilations of 41 words in a one-file `validate`, issue 17).
    return tuple(tuple(compiled(word, re.I) for word in group) for group in _word_groups())


@functools.lru_cache(maxsize=1)
def _word_groups() -> tuple[tuple[str, ...], ...]:
    data = read_json("protocol_kit.lint", "data/condition_words.json")
    return tuple(tuple(group) for group in data["en"])
