"""A set of patterns read with one scan of the text (protocol_kit/pattern_sets) skips only the
searches that could not have found anything: every answer the lint's matchers give with it is
the answer they give searching every pattern, on generated texts, mutated phrases and hostile
input; and which patterns it lets through is exactly what `pattern_needs.may_match` lets
through, pattern by pattern (the matcher before it)."""

from __future__ import annotations

import contextlib
import re
import uuid
import zlib

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import examples, texts_matching
from protocol_kit import pattern_sets, redflags
from protocol_kit.cache import ThisRunOnly
from protocol_kit.lint.rules import (
    absolute_promise,
    advice_contradicted,
    dosage_text,
    ignore_pain,
    pain_target,
    placeholder,
)
from protocol_kit.lint.rules._programme_frequency import _said
from protocol_kit.pattern_needs import lowered, may_match, needs, plain
from protocol_kit.pattern_sets import PatternSet
from protocol_kit.patterns import APOSTROPHES
from protocol_kit.redflags import _named_in, _signs_in, one_line, red_flag_sets
from protocol_kit.templates import TODO_WORD

SETS = red_flag_sets()
ROUTING = SETS.routing


def every_set() -> list[tuple[str, PatternSet]]:
    """Each set of patterns the lint reads texts with, by name."""
    found = [
        ("red-flag items", SETS.item_patterns("en")[1]),
        ("red-flag signs", SETS.sign_patterns("en")[1]),
        ("routing words", ROUTING.searched),
        ("ways of writing a dose", dosage_text._WAYS),
        ("number words", dosage_text._NUMBER_WORDS),
        ("pain scores", pain_target._words()["en"].score_set),
        ("promises", absolute_promise._PROMISE_SET),
    ]
    for language in ignore_pain.languages():
        found.append((f"ignore-pain phrases ({language})", ignore_pain.phrase_set(language)))
    for language in ("en",):
        _, forbids, says = advice_contradicted._sets(language)
        found += [("advice that forbids", forbids), ("exercise text that says", says)]
    return found


SETS_BY_NAME = every_set()
# The words that play a red flag down (SAFE006), skipped pattern by pattern
# (`Item.played_down`): phrases are made from them too.
PLAYED_DOWN = SETS.plays_down_patterns("en")
PATTERNS = [(name, i, p) for name, s in SETS_BY_NAME for i, p in enumerate(s.patterns)]
PATTERNS += [("words that play a red flag down", i, p) for i, p in enumerate(PLAYED_DOWN)]
# Characters beyond ASCII that `re` matches to ASCII letters under IGNORECASE, and others.
LOOK_ALIKES = {"k": "\u212a", "s": "\u017f", "i": "\u0131", "I": "\u0130", "e": "\u00e9"}


@contextlib.contextmanager
def searching_every_pattern():
    """Every set lets every pattern through (as a text that is not `plain` does): the
    matchers then search as they did before the sets."""
    saved = PatternSet.may_match, PatternSet.may_search
    PatternSet.may_match = lambda self, text: tuple(range(len(self.patterns)))
    PatternSet.may_search = lambda self, text: frozenset(range(len(self.patterns)))
    try:
        yield
    finally:
        PatternSet.may_match, PatternSet.may_search = saved


def answers(text: str) -> dict[str, object]:
    """What every matcher that reads a set says of `text`, worked out afresh (no memo)."""
    line = one_line(text)
    language = "en"
    forbidden = advice_contradicted._forbidden.__wrapped__(((("en", text),),))
    everything = tuple(
        (instruction_id, "advice") for instruction_id in advice_contradicted._instructions()["en"]
    )
    return {
        "named": _named_in.__wrapped__(SETS, line, language),
        "signs": _signs_in.__wrapped__(SETS, re.sub(r"\s", " ", text), language),
        "level": ROUTING.level(line),
        "waits": ROUTING.waits(text),
        "defers": ROUTING.defers(text),
        "played down": ROUTING.played_down(text),
        "lower than emergency": ROUTING.sends_lower(text, "emergency"),
        "lower than urgent": ROUTING.sends_lower(text, "urgent"),
        "amounts": tuple(dosage_text._amounts(text)),
        "programme frequency": _said(text, of_one=False),
        "one exercise's frequency": _said(text, of_one=True),
        "ignored pain": {
            language: ignore_pain.ignored_pain.__wrapped__(text, language)
            for language in ignore_pain.languages()
        },
        "pain targets": pain_target.pain_targets.__wrapped__(text, "en", True),
        "forbidden": forbidden,
        "says": advice_contradicted._says.__wrapped__(text, "en", everything),
    }


def fresh(text: str) -> None:
    # The sets keep their last text's answer; a test that changes how they answer starts
    # them afresh.
    for _, patterns in SETS_BY_NAME:
        patterns._last = None
    pattern_sets.words_in.cache_clear()
    dosage_text.amounts.cache_clear()
    ignore_pain.ignored_pain.cache_clear()
    pain_target.pain_targets.cache_clear()


def agree(text: str) -> None:
    fresh(text)
    with_sets = answers(text)
    fresh(text)
    with searching_every_pattern():
        without = answers(text)
    fresh(text)
    # Compared as written: an unreadable amount's NaN is equal to no other, itself included.
    assert repr(with_sets) == repr(without), text


def shared_pass_agrees(text: str) -> None:
    """The shared pass's checks for SAFE013 and SAFE014 answer "nothing" before their cached
    functions do (H625): their answer is the whole function's, worked out afresh, for a
    language with phrases, one with a region and one the rules have no words for."""
    fresh(text)
    for tag in (*ignore_pain.languages(), "en-GB", "it"):
        language = tag.split("-")[0]
        whole = (
            ignore_pain.ignored_pain.__wrapped__(text, language)
            if language in ignore_pain.languages()
            else None
        )
        assert ignore_pain._may_say_it(text, tag) == whole, (tag, text)
    for tag in ("en", "en-US", "fr"):
        whole = pain_target.pain_targets.__wrapped__(text, tag.split("-")[0], True)
        assert pain_target._may_set_one(text, tag) == whole, (tag, text)
    # TEXT002's and TEXT003's searches, skipped where they cannot match (H734): the same
    # match as the search of every text, in the text as written and in capitals.
    for variant in (text, text.upper(), text.lower()):
        fresh(variant)
        promised = absolute_promise.promised(variant)
        searched = absolute_promise.PROMISES.search(variant.lower())
        assert _span(promised) == _span(searched), variant
        assert _span(placeholder.todo_in(variant)) == _span(TODO_WORD.search(variant)), variant
    fresh(text)


def _span(found: re.Match[str] | None) -> tuple[int, int, str] | None:
    return None if found is None else (*found.span(), found.group())


def played_down_agrees(text: str) -> None:
    """SAFE006's played-down words, its serious items asking in turn with the patterns
    searched already shared (each skipping the patterns whose words the text lacks), are the
    words each item finds searching every one of its patterns (H722, H736)."""
    negation = ROUTING.plays_down_negation
    items = [item for item in SETS.items.values() if item.plays_down.get("en")]
    for tag in ("en", "en-GB"):
        # What each item finds searching every one of its patterns: a pure function of the
        # text, worked out once an item, not once an item for each item started from (the
        # test's own cost was quadratic in the items: most of this module's time).
        with searching_every_played_down_pattern():
            each = [item.played_down(text, tag, negation, None) for item in items]
        # The items asked in their order (the rule's), and from one other item on, which the
        # text chooses: from every item on, the test's cost was quadratic in the items (most of
        # the suite's slowest test), and each start is still tried across the examples.
        other = zlib.crc32(text.encode("utf-8", "surrogatepass")) % len(items)
        for start in sorted({0, other}):
            searched: set[int] = set()
            asked = None
            for item in items[start:]:
                asked = asked or item.played_down(text, tag, negation, searched)
            every = None
            for found in each[start:]:
                every = every or found
            assert asked == every, (tag, start, text)


@contextlib.contextmanager
def searching_every_played_down_pattern():
    """`Item.played_down` searches every pattern, whatever words the text holds."""
    saved = redflags.may_match
    redflags.may_match = lambda needed, read: True
    try:
        yield
    finally:
        redflags.may_match = saved


def let_through_one_by_one(patterns: PatternSet, text: str) -> tuple[int, ...]:
    """What `pattern_needs.may_match` lets through, pattern by pattern."""
    if not plain(text):
        return tuple(range(len(patterns.patterns)))
    read = lowered(text)
    return tuple(i for i, p in enumerate(patterns.patterns) if may_match(needs(p), read))


def same_patterns_let_through(text: str) -> None:
    for name, patterns in SETS_BY_NAME:
        chosen = patterns.may_match(text)
        assert chosen == let_through_one_by_one(patterns, text), (name, text)
        for i, pattern in enumerate(patterns.patterns):
            if i not in chosen:
                assert pattern.search(text) is None, (name, pattern.pattern, text)


@st.composite
def mutated_phrases(draw) -> str:
    """A text one of the patterns matches, then changed the ways a clinician's text differs
    from a phrase: in other words around it, in capitals, with a letter dropped or doubled,
    with look-alike characters, with its apostrophes typed another way, cut short, on two
    lines."""
    _, _, pattern = draw(st.sampled_from(PATTERNS))
    # Hypothesis takes a pattern only as re.Pattern (patterns.py hands the cache's over to
    # the engine at their first search).
    text = draw(texts_matching(re.compile(pattern.pattern, pattern.flags)))
    before = draw(st.sampled_from(["", "Stop and ", "Do not wait: ", "If you have ", "no "]))
    after = draw(st.sampled_from(["", ".", " and call 999.", ", twice a day", " (sheet 12)"]))
    text = before + text + after
    changes = ["none", "upper", "drop", "double", "alike", "cut", "lines", "apostrophe"]
    change = draw(st.sampled_from(changes))
    if text and change != "none":
        at = draw(st.integers(0, len(text) - 1))
        if change == "upper":
            text = text.upper()
        elif change == "drop":
            text = text[:at] + text[at + 1 :]
        elif change == "double":
            text = text[:at] + text[at] + text[at:]
        elif change == "alike":
            letter = draw(st.sampled_from(sorted(LOOK_ALIKES)))
            text = text.replace(letter, LOOK_ALIKES[letter])
        elif change == "apostrophe":  # every apostrophe typed one way (H666)
            apostrophe = draw(st.sampled_from(APOSTROPHES))
            text = text.translate(dict.fromkeys(map(ord, APOSTROPHES), apostrophe))
        elif change == "cut":
            text = text[:at]
        else:
            text = text.replace(" ", "\n", 1)
    return text


_PLAYED_DOWN_WORDS: set[str] = set()
for _pattern in PLAYED_DOWN:
    pattern_sets._words_of(needs(_pattern)[1], _PLAYED_DOWN_WORDS)
WORDS = sorted(
    pattern_sets._VOCABULARY.words
    | _PLAYED_DOWN_WORDS
    | {"999", "chest", "pain", "x", "×", "10", "TODO"}
)


@st.composite
def word_salad(draw) -> str:
    """Words the patterns need, in any order, with spaces, digits and punctuation between."""
    parts = draw(
        st.lists(
            st.one_of(st.sampled_from(WORDS), st.sampled_from([" ", ". ", ", ", "3", "/10 "])),
            max_size=25,
        )
    )
    return "".join(parts)


@settings(
    max_examples=examples(250, long=500),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated_phrases())
# A number word before a unit across a NEL: the words' pattern read only a space (H711's merge).
@example("a couple of\x85hour\x85sec")
def test_the_matchers_agree_on_mutated_phrases(text):
    same_patterns_let_through(text)
    agree(text)
    shared_pass_agrees(text)
    played_down_agrees(text)


@settings(
    max_examples=examples(250, long=500),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(word_salad())
def test_the_matchers_agree_on_the_words_the_patterns_need(text):
    same_patterns_let_through(text)
    agree(text)
    shared_pass_agrees(text)
    played_down_agrees(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_the_matchers_agree_on_any_text(text):
    same_patterns_let_through(text)
    agree(text)
    shared_pass_agrees(text)
    played_down_agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "Chest pain or tightness: call 999 now.",
        "This is not an emergency, no need to call 999: mention it at your next appointment.",
        "Severe pain at night and pain all the time: see your GP today.",
        "Push through the pain, 3 x 10 reps, 7/10 is fine, every 2 hours.",
        "CHE\u017fT PAIN, NUMBNE\u017f\u017f BETWEEN YOUR LEGS",
        "\u212aeep going even if it hurts",
        "Do these exercises every hour while you are awake, three sets of ten.",
        "no no no no no 999 999 " * 50,
        "pain " * 2000 + "999",
        "1 111 " * 500 + "seconds",
        "Don\u2019t wait if you can\u2019t catch your breath: call 999.",
        "DON\u02bcT ignore it, you\u2018re not fine",
        "Keep going until you can\u2019t do any more, even if it hurts \u2019\u2019'",
        "This CURES back pain, GUARANTEED: 100% risk-free, never hurt again.",
        "Secure your footing; procured mats; occurring; 1000 reps; TODOS; xTODO; TODO: stop",
        "Pain-free forever, \u212aeep it 100 % \u017fafe: cur\u0131ng",
        "TODO",
    ],
)
def test_the_matchers_agree_on_written_and_hostile_texts(text):
    same_patterns_let_through(text)
    agree(text)
    shared_pass_agrees(text)
    played_down_agrees(text)


def test_a_set_made_later_is_read_with_its_own_words(monkeypatch):
    # A set made after texts were read (a language read for the first time) adds its words
    # to the one scan: the texts already read are read again, not answered without them.
    monkeypatch.setattr(pattern_sets, "_kept", ThisRunOnly)  # no word kept for later runs
    word = "flurble" + uuid.uuid4().hex  # in no vocabulary kept by an earlier run
    text = f"zzqx {word} wobbit"
    before = pattern_sets.words_in(text)
    assert word not in before
    later = PatternSet([re.compile(rf"\b{word}\b", re.IGNORECASE)])
    assert later.may_match(text) == (0,)
    assert later.may_match("nothing here") == ()
    assert word in pattern_sets.words_in(text)


def test_few_searches_are_made():
    # The point of the sets: most patterns are not searched in most texts.
    text = "Keep your back straight and breathe out as you lift. (sheet 7)"
    searched = sum(len(patterns.may_match(text)) for _, patterns in SETS_BY_NAME)
    assert searched < len(PATTERNS) / 10


def test_words_kept_from_earlier_runs_change_no_answer(monkeypatch):
    # The automaton is made with the words the last runs' sets needed too (one automaton a
    # run, not one per set): a word no set needs, or a kept file of anything else, changes
    # nothing a set answers.
    texts = ["Chest pain or tightness: call 999 now.", "Keep going, 3 x 10 reps, 7/10 is fine."]
    before = {text: [s.may_match(text) for _, s in SETS_BY_NAME] for text in texts}
    monkeypatch.setattr(pattern_sets, "_kept", ThisRunOnly)  # no word kept for later runs
    vocabulary = pattern_sets._VOCABULARY
    vocabulary.add({"chest pai", "ness: ca", "zzz", "g, 3 x", "\u00e9"})
    try:
        for text in texts:
            assert "ness: ca" in pattern_sets.words_in(text) or "zzz" not in text
            assert [s.may_match(text) for _, s in SETS_BY_NAME] == before[text]
        # A word of one character beyond ASCII (none of the patterns', one a kept file may
        # hold) is found by the automaton, as the ASCII ones are one by one.
        assert "\u00e9" in pattern_sets.words_in("un caf\u00e9")
        assert "\u00e9" not in pattern_sets.words_in("un cafe")
    finally:
        vocabulary.words -= {"chest pai", "ness: ca", "zzz", "g, 3 x", "\u00e9"}
    assert pattern_sets._words_kept(("chest", 3, "", None)) == {"chest"}
    assert pattern_sets._words_kept(("chest", "", "x")) == {"chest", "x"}
    assert pattern_sets._words_kept("chest") == set()
    assert pattern_sets._words_kept(("w",) * (pattern_sets.WORDS_KEPT + 1)) == set()


@st.composite
def dosage_steps(draw) -> str:
    """Numbers as a step writes them (grouped, with decimals, in words, run together) and
    units, with the words and marks around them."""
    parts = st.one_of(
        st.from_regex(r"[0-9]{1,4}", fullmatch=True),
        st.sampled_from(
            [" ", "  ", "x", " x ", "\u00d7", ",", ".", "-", "\u2013", "'", "\u2019", "e5", "a"]
        ),
        st.sampled_from(["seconds", "s", "reps", "sets", "minutes", "hours", "times", "to", "or"]),
        st.sampled_from(["ten", "twenty-five", "half an", "a couple of", "one", "hold for "]),
        st.sampled_from(["\u0663", "\uff13", "1 111 ", "1,000", "3 sets of 10", "2 x 10 reps"]),
    )
    return "".join(draw(st.lists(parts, max_size=20)))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dosage_steps())
@example("hold 10 s, then 2 x 10, 1 111 111 seconds, \u0663 reps")
def test_amounts_tried_at_digits_are_the_searches_matches(text):
    # DOSE005's amount patterns tried only where a digit starts a number (H735): the same
    # matches as the search from the start, whenever the text holds no number word.
    at_digits = not dosage_text._NUMBER_WORDS.may_match(text)
    for pattern in (dosage_text._AMOUNT, dosage_text._SETS_BY):
        tried = dosage_text._starting_with_a_number(pattern, text, at_digits)
        assert [_span(m) for m in tried] == [_span(m) for m in pattern.finditer(text)], text
