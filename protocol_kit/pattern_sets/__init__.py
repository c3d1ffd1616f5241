"""Many patterns searched in the same texts: which of them a text could match, from one scan
of the text (issue 17).

The red-flag items, their signs, the routing words, SAFE013's phrases and the ways of writing
a pain score are each many case-insensitive patterns that every patient text is searched
with. `pattern_needs` says, for one pattern, the words a text must hold for it to match;
asking that pattern by pattern was most of the lint on files whose texts are new (a clinic's
own files: dozens of substring tests and a walk of each pattern's requirement, per pattern and
text). Here every `PatternSet` of the process shares one vocabulary, the words its patterns
need, and a text is read once, lower-cased (`pattern_needs.lowered`), with an Aho-Corasick
automaton of that vocabulary (`pyahocorasick`, a C library: docs/dependencies.md); each set
then answers each pattern's requirement from the words found: set look-ups, and only for the
patterns one of whose first words is there.

Why this skips exactly the searches `pattern_needs.may_match` skips (tests/test_pattern_sets.py
compares them on generated and hostile texts): the automaton reports every place where each
word occurs, overlapping ones included, so the words found are exactly the vocabulary's words
that the text as `lowered` holds; every test `may_match` makes is "is this word in the text",
and every word it asks about is in the vocabulary. A text that is not `plain` (a character
beyond ASCII that a pattern's ASCII letter matches) is searched with every pattern, as before.
Skipping is only ever a shortcut: the search decides what is found.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Iterable, Sequence
from operator import itemgetter

from protocol_kit.pattern_needs import Need, Needed, holds, lowered, needs, plain


class PatternSet:
    """Patterns searched in the same texts; `may_match(text)` says which could match.

    Compared and hashed by identity (one per set of patterns and process)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        # The last text asked about and its answer: callers ask of one text several times
        # in a row (where it sends the patient, then whether it plays a sign down).
        self._last: tuple[str, frozenset[int]] | None = None

    @functools.cached_property
    def _index(self) -> _Index:
        # Worked out at the first text (what each pattern needs is kept between runs).
        return _Index(tuple(needs(pattern) for pattern in self.patterns))

    def may_match(self, text: str) -> tuple[int, ...]:
        """The places in `patterns` of the patterns that may match `text`, in order: every
        pattern but those that surely find nothing (a word they need is not in the text)."""
        index = self._index  # its words are in the vocabulary before the text is read
        found = words_in(text)
        if found is None:
            return tuple(range(len(self.patterns)))
        return index.may_match(found)

    def may_search(self, text: str) -> frozenset[int]:
        """`may_match(text)` as a set to ask of (by place: a pattern's hash reads all its
        compiled code, every time)."""
        last = self._last
        if last is not None and last[0] == text:
            return last[1]
        found = frozenset(self.may_match(text))
        self._last = (text, found)
        return found


# Answers a set keeps (`_Index.may_match`) before it starts again: memory stays bounded
# whatever the texts.
ANSWERS_KEPT = 4096


class _Index:
    """Which patterns each first word lets through (a pattern whose requirement has no first
    words is always looked at), and what each pattern needs."""

    def __init__(self, needed: tuple[Needed, ...]) -> None:
        self.needs: tuple[Need, ...] = tuple(need for _, need in needed)
        # The patterns as bits of an int (pattern i is bit i): those always looked at, and
        # those each first word lets through.
        self.always = sum(1 << i for i, (first, _) in enumerate(needed) if not first)
        self.let_through: dict[str, int] = {}
        words: set[str] = set()
        for i, (first, need) in enumerate(needed):
            for word in first:
                self.let_through[word] = self.let_through.get(word, 0) | 1 << i
            words.update(first)
            _words_of(need, words)
        self.first_words = frozenset(self.let_through)
        self.words = frozenset(words)
        # The answer for each combination of this set's words found: it depends on nothing
        # else, and texts share the same few ("no" and "a", "pain" and "10").
        self._answers: dict[frozenset[str], tuple[int, ...]] = {}
        _VOCABULARY.add(words)

    def may_match(self, found: frozenset[str]) -> tuple[int, ...]:
        if not self.always and self.first_words.isdisjoint(found):
            # No pattern is let through (`_worked_out` would start from no place and add
            # none): most sets in most texts, answered without making and hashing the set of
            # this set's words found (issue 17).
            return ()
        mine = self.words.intersection(found)
        answer = self._answers.get(mine)
        if answer is None:
            if len(self._answers) >= ANSWERS_KEPT:
                self._answers.clear()
            answer = self._answers[mine] = self._worked_out(mine)
        return answer

    def _worked_out(self, found: frozenset[str]) -> tuple[int, ...]:
        places = self.always
        let_through = self.let_through
        # The text's words are many (every set's); this set's first words among them, few.
        for word in self.first_words.intersection(found):
            places |= let_through[word]
        needs = self.needs
        chosen = []
        while places:
            lowest = places & -places
            i = lowest.bit_length() - 1
            # `found` holds the words found: `holds` asks `word in found` as `may_match`
            # asked `word in text`.
            if holds(needs[i], found):
                chosen.append(i)
            places ^= lowest
        return tuple(chosen)


class _Vocabulary:
    """Every word some set's patterns need, and the automaton that finds them in a text."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.built: frozenset[str] = frozenset()  # the automaton's words
        self.automaton = None
        # Words of one character (" ", "/", "s") are in most texts many times: the automaton
        # would report each place; a text is asked for each of them once instead.
        self.letters: tuple[str, ...] = ()
        self.made = True  # the automaton holds every word

    def add(self, words: Iterable[str]) -> None:
        new = set(words) - self.words
        if not new:
            return
        self.words |= new
        if not new <= self.built:
            self.made = False
            words_in.cache_clear()  # answers read with fewer words

    def _make(self) -> None:
        # Made when a text is read after words were added, with the words the last run's
        # sets needed as well: the sets of a run appear one after another as its rules start,
        # and making the automaton again for each cost a one-file run 6 % of its instructions.
        # A word no set needs is never asked about (each set asks only of its own words).
        import ahocorasick

        kept = _kept()
        before = _words_kept(kept.get("words"))
        words = self.words | before
        if words != before:
            kept.add("words", tuple(sorted(words)))
        self.built = frozenset(words)
        # Sorted out as sets and the words added by `map`, in C: as loops over the 2,200
        # words in Python these were about a million instructions of a one-file run.
        letters = words & _ONE_CHARACTER
        self.letters = tuple(sorted(letters))
        longer = words - letters
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        deque(map(automaton.add_word, longer, longer), maxlen=0)
        if longer:  # an automaton without words cannot be made
            automaton.make_automaton()
        self.automaton = automaton if longer else None
        self.made = True

    def found(self, lowered: str) -> frozenset[str]:
        """The vocabulary's words that `lowered` holds, each once."""
        if not self.made:
            self._make()
        found = set() if self.automaton is None else set(map(_WORD, self.automaton.iter(lowered)))
        found.update([letter for letter in self.letters if letter in lowered])
        return frozenset(found)


# Words kept between runs at most: the data files' words of earlier versions stop being
# carried forward then.
WORDS_KEPT = 20_000


def _words_kept(kept: object) -> set[str]:
    """The words of a kept vocabulary that can be used: none from a file too large or not
    of words (they only ever add words to the scan; what a set finds is asked of its own)."""
    if not isinstance(kept, tuple) or len(kept) > WORDS_KEPT:
        return set()
    if _ONLY_STRINGS.issuperset(map(type, kept)):  # as written: every word a `str`
        words = set(kept)
        words.discard("")
        return words
    return {word for word in kept if isinstance(word, str) and word}


# The type of every kept word, asked in C (`_words_kept`).
_ONLY_STRINGS = frozenset((str,))
# The words of one character asked about one by one (`_Vocabulary.letters`): the
# vocabulary's words are lower-case ASCII (`pattern_needs.lowered`); any other the kept
# file holds is found by the automaton, as a longer word is.
_ONE_CHARACTER = frozenset(map(chr, range(128)))


@functools.cache
def _kept():  # noqa: ANN202 (cache.Recent, imported only when a text is first read)
    """The vocabulary of the last runs, kept in the user's cache folder (`cache.Recent`)."""
    from protocol_kit.cache import Recent

    return Recent("pattern-set-words.marshal", most=1)


_VOCABULARY = _Vocabulary()
_WORD = itemgetter(1)  # of the automaton's (end, word)


@functools.lru_cache(maxsize=256)
def words_in(text: str) -> frozenset[str] | None:
    """The words of the vocabulary that `text`, as `pattern_needs.lowered` reads it, holds;
    None for a text that is not `plain` (every pattern is searched in it). Kept for the last
    few texts: the rules read each text with several sets, one after the other."""
    if not plain(text):
        return None
    return _VOCABULARY.found(lowered(text))


def _words_of(need: Need, words: set[str]) -> None:
    """Adds every word `need` asks about to `words`."""
    for part in need:
        if part.__class__ is str:
            words.add(part)
        elif part.__class__ is frozenset:
            words.update(part)
        else:
            for option in part:
                _words_of(option, words)
