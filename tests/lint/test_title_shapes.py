"""A file's title answered by its shape (issue 17, `lint.base._title_verdict`): titles that
differ by their digits alone ("Back basics (programme 7)") share the verdict of the shared
pass's searches, each digit written 0; a search that tells digits apart at strings it holds
("100%", "7/10"), or that finds something in the shape, reads the title itself, and every
verdict is the one the searches give the title."""

from __future__ import annotations

import random
import re

import pytest
from lint_helpers import TODAY, minimal

from protocol_kit.lint import base
from protocol_kit.lint.base import Context, RunMemo
from protocol_kit.lint.rules import absolute_promise, pain_target, unprintable_character
from protocol_kit.model import build_protocol
from protocol_kit.package_data import read_json
from protocol_kit.shared_parts import SharedParts
from protocol_kit.untrusted.marks import STRAY_MARK

# Texts that must reach a search (a promise, a pain score set as a target, a placeholder,
# words that ignore pain, marks and accents, a raised number, a mixed alphabet) beside their
# twins that must not, each after a title of the same shape.
TITLES = [
    "Back basics (programme 7)",
    "Back basics (programme 8)",
    "Lower back pain: release and move your hips (programme 2)",
    "Lower back pain: release and move your hips (programme 3)",
    "Aim for a pain of 3 (programme 4)",
    "Aim for a pain of 8 (programme 4)",
    "Aim for a pain of 12 (programme 4)",
    "Pain up to 7/10 is fine (programme 5)",
    "Pain up to 7/18 is fine (programme 5)",
    "Sore at 7/10 is fine (programme 5)",
    "Back 200%fit (programme 6)",
    "Back 100%fit (programme 6)",
    "Hold for xx seconds (programme 7)",
    "Hold for 30 seconds (programme 7)",
    "Push through the pain (programme 8)",
    "Ch\u2013est stretch (programme 9)",
    "If you get ch\u00e9st pain, ring 999 (programme 9)",
    "Hold for \u00b3\u2070 seconds (programme 9)",
    "B\u0430ck basics (programme 9)",
]


def test_a_titles_verdict_is_what_the_searches_find_in_it():
    memo = RunMemo()
    for _ in range(2):  # the second time, each shape was seen
        for title in TITLES:
            assert base._title_verdict(title, "en", memo) == base._searched(title, "en"), title
    # A pain score above the guide's scale is none, though its shape's 0 is one; a promise of
    # 100 % is one, 200 % none (the shape of both is 000 %).
    bit = pain_target._SETS_ONE
    assert [bool(base._title_verdict(f"Aim for a pain of {n} (programme 4)", "en", memo) & bit)
            for n in (3, 8, 12)] == [True, True, False]  # fmt: skip
    bit = absolute_promise._PROMISES
    assert [bool(base._title_verdict(f"Back {n}%fit (programme 6)", "en", memo) & bit)
            for n in (100, 200)] == [True, False]  # fmt: skip


def test_a_title_shaped_as_one_before_asks_only_the_searches_its_digits_count_to(monkeypatch):
    asked = []

    def counted(index, finds):
        return lambda value, language: asked.append(index) or finds(value, language)

    checks = [counted(index, finds) for index, finds in enumerate(base._TEXT_CHECKS)]
    monkeypatch.setattr(base, "_TEXT_CHECKS", checks)
    every = [i for i in range(len(checks)) if base._DIGITS_COUNT["every"] >> i & 1]
    memo = RunMemo()
    base._title_verdict("Back basics (programme 17)", "en", memo)
    assert sorted(set(asked)) == list(range(len(checks)))  # the shape: every search
    asked.clear()
    assert base._title_verdict("Back basics (programme 38)", "en", memo) == 0
    # The red flags' numbers count, but the shape reads as written (no mark inside a word, no
    # accent): its gate is closed, and the hidden red flags are not looked for (`text_check`'s
    # `gate`).
    assert asked == []
    # "10" is written in a way of writing a pain score: that search reads the title itself.
    asked.clear()
    assert base._title_verdict("Back basics (programme 10)", "en", memo) == 0
    assert asked == [pain_target._SETS_ONE.bit_length() - 1]
    # A shape with a mark inside a word opens the gate: the title itself is searched.
    base._title_verdict("Ch\u2013est stretch (programme 17)", "en", memo)
    asked.clear()
    base._title_verdict("Ch\u2013est stretch (programme 38)", "en", memo)
    assert set(every) <= set(asked)  # with the searches that found something in the shape


def _digits_held(pattern: str) -> set[str]:
    """The strings of digits a pattern holds as written: not a count (`{0,15}`) nor `\\d`."""
    return set(re.findall(r"\d+", re.sub(r"\{\d+(?:,\d*)?\}|\\d", "", pattern)))


def test_the_searches_hold_the_digits_they_are_registered_with():
    """What `text_check`'s `digits` says of each search, read from its patterns and data: a
    digit added to a vocabulary must be registered, or titles would be answered wrongly."""
    scores = pain_target._words()["en"].scores  # with the number words written in
    assert set().union(*(_digits_held(p.pattern) for p in scores)) == {"10"}
    words = read_json("protocol_kit.lint", "data/pain_targets.json")["en"]
    words = [w for value in words.values() for w in (value if isinstance(value, list) else [value])]
    assert set().union(*map(_digits_held, words)) == {"10"}
    assert _digits_held(absolute_promise.PROMISES.pattern) == {"100"}
    placeholders = read_json("protocol_kit.lint", "data/placeholders.json")
    words = [w for key, value in placeholders.items() if key != "description" for w in value]
    assert words and not any(_digits_held(re.escape(word)) for word in words)
    ignore_pain = read_json("protocol_kit.lint", "data/ignore_pain.json")
    patterns = [
        pattern
        for language, raw in ignore_pain.items()
        if language != "description"
        for value in raw.values()
        for pattern in (value if isinstance(value, list) else [value])
    ]
    assert patterns and not any(_digits_held(pattern) for pattern in patterns)


@pytest.mark.parametrize("digit", "0123456789")
def test_the_sheet_prints_every_digit_and_a_mark_after_one_is_stray(digit):
    from protocol_kit.lint.rules.unprintable_character import UNPRINTABLE

    assert UNPRINTABLE.search(f"Hold for {digit} seconds") is None
    assert STRAY_MARK.search(f"{digit}\u0301") is not None


def test_each_files_title_is_read_though_titles_share_a_shape():
    """Files that share every part but their titles, which differ by a number: the shared pass
    says of each file whether its own title sets a pain score as a target."""
    shared, memo, found = SharedParts(), RunMemo(), []
    for score in (12, 8, 3, 12):
        data = minimal()
        data["title"] = f"Aim for a pain of {score} (programme 4)"
        protocol = build_protocol(data, "p.json", (), shared)
        context = Context(today=TODAY, memo=memo, data=data)
        found.append(base.texts_may_hold(protocol, context, pain_target._SETS_ONE))
    assert found == [False, True, True, False]


# What a title is made of in `test_a_gated_search_finds_in_a_title_what_it_finds_in_it`: letters,
# accented ones, every ASCII digit and other digits, the marks each reading takes away and
# those it keeps, apostrophes, combining marks and spaces.
_PIECES = [
    *"abcdeghilmnopstuyABCGPE",
    *"0123456789",
    "\u00e9", "\u00f3", "\u00df", "\u00f8", "\u0142",  # accented; letters with none to take
    "\u0301", "\u0308",  # combining marks
    "\u00b3", "\u0663",  # a raised and an Arabic-Indic digit (not ASCII: kept by the shape)
    "-", "\u2013", ".", "/", "*", "_", "'", "\u2019", "\u00b7", "&", "(", ")", ":", " ", " ",
    "chest", "pain", "numb", "bum", "saddle", "999", "10", "100", "s", "t", "re",
]  # fmt: skip


def test_the_red_flags_reading_changes_a_text_where_it_changes_its_shape():
    """`reads_otherwise`, the hidden red flags' gate, reads every ASCII digit alike: true of a
    text exactly when true of its `digit_shape` (H1491). A reading that told one digit from
    another (a pattern holding "1", or `[1-9]`) would fail here."""
    from protocol_kit.lint.rules.unprintable_character import reads_otherwise

    chosen = random.Random(1491)
    for _ in range(20_000):
        text = "".join(chosen.choice(_PIECES) for _ in range(chosen.randint(1, 12)))
        for language in ("en", "en-GB", "fr"):
            shape = base.digit_shape(text)
            assert reads_otherwise(text, language) == reads_otherwise(shape, language), text


def test_a_gated_search_finds_in_a_title_what_it_finds_in_it():
    """Titles made of the pieces above, several of one shape: each title's verdict is the one
    every search gives the title itself, its hidden red flags' among them, wherever its
    shape's gate was found first (H1491)."""
    chosen = random.Random(1492)
    memo = RunMemo()
    for _ in range(3_000):
        words = [chosen.choice(_PIECES) for _ in range(chosen.randint(1, 10))]
        for number in (7, 38, 10, 100):
            title = f"{''.join(words)} (programme {number})"
            assert base._title_verdict(title, "en", memo) == base._searched(title, "en"), title
    hidden = [f"Numb b\u2013um {n} (programme {n})" for n in (7, 8)]
    assert all(base._title_verdict(t, "en", memo) & unprintable_character._HIDDEN_RED_FLAG
               for t in hidden)  # fmt: skip
