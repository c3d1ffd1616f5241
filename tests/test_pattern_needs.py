"""A red-flag search is skipped only where it could not have found anything
(protocol_kit/pattern_needs.py): what the red-flag sets find in a text is what searching every
item's pattern finds, for the repository's texts, texts made to match each pattern, and texts
with the characters `re` matches to ASCII letters under IGNORECASE."""

from __future__ import annotations

import ast
import functools
import json
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CASES, PROTOCOLS, REPO, examples, texts_matching, warm_cache
from protocol_kit import pattern_needs
from protocol_kit.pattern_needs import lowered, may_match, needs, plain, requirement
from protocol_kit.patterns import APOSTROPHES, any_apostrophe, compiled
from protocol_kit.redflags import _named_in, red_flag_sets
from protocol_kit.redflags.spelling import as_meant

SETS = red_flag_sets()
ITEM_PATTERNS = [
    (item.id, language, pattern)
    for item in SETS.items.values()
    for language, pattern in item.patterns.items()
]
# Characters beyond ASCII that `re` matches to ASCII letters under IGNORECASE.
LOOK_ALIKES = {"k": "\u212a", "s": "\u017f", "i": "\u0131", "I": "\u0130"}


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


@functools.cache
def written() -> list[str]:
    """Every text of the example protocols, the test cases and the lint tests, as written.
    Read when a test first asks (once a worker), not when the module is collected: every
    xdist worker collects every module, and most run none of these tests."""
    texts: set[str] = set()
    files = [*PROTOCOLS.rglob("*.json"), *CASES.rglob("*.json"), *REPO.glob("tests/lint/*.json")]
    for path in files:
        try:
            texts.update(strings(json.loads(path.read_text(encoding="utf-8"))))
        except (ValueError, UnicodeDecodeError):
            continue  # the invalid cases' files
    for path in REPO.glob("tests/lint/test_*.py"):  # the phrasings the rules' tests try
        tree = ast.parse(path.read_text(encoding="utf-8"))
        texts.update(
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        )
    return sorted({" ".join(text.split()) for text in texts if len(text) > 3})


@functools.cache
def corpus() -> list[str]:
    """The written texts as written, in capitals, and with each way of typing an apostrophe;
    their look-alike letters are `look_alikes`."""
    varied = set(written())
    for text in written():
        varied.add(text.upper())
        for apostrophe in APOSTROPHES:  # each way of typing one, for each of the others
            varied.add(text.translate(dict.fromkeys(map(ord, APOSTROPHES), apostrophe)))
    return sorted(varied)


def look_alikes(text: str) -> list[str]:
    """`text` with each letter that has a look-alike (`LOOK_ALIKES`) written as it.

    Such a text is not `plain`, so the sets search every pattern in it, as the reference
    does: what it can show is a look-alike taken for plain (its patterns then skipped by
    their ASCII words), and a skipped search only loses what the reference finds. So the
    comparisons try these where the reference finds something in the written text (under
    IGNORECASE `re` matches each look-alike as its letter: in every look-alike text of the
    corpus the reference finds what it finds in the written one). The other 5,900 of the
    corpus's 7,700 look-alike texts, a third of its texts and of the comparisons' CPU,
    could not fail them (thirty-first sitting)."""
    return [
        text.replace(letter, look_alike)
        for letter, look_alike in LOOK_ALIKES.items()
        if letter in text
    ]


@functools.cache
def with_apostrophes() -> list[re.Pattern[str]]:
    """The patterns a lint of the example protocols asked `needs` about that write an
    apostrophe (red flags, SAFE013's phrases, DOSE005's, the ways of writing a dose), as
    compiled: each apostrophe a class of every way of typing one."""
    from conftest import run_protokit

    run_protokit("validate", "-q", *map(str, sorted(PROTOCOLS.glob("*.json"))))
    found = [
        re.compile(pattern, flags)
        for pattern, flags in pattern_needs._NEEDED
        if any(apostrophe in pattern for apostrophe in APOSTROPHES[1:])
    ]
    return sorted(found, key=lambda p: p.pattern)


MINIMAL = CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json"


# The ways of typing an apostrophe that are no word character: `re` reads each alike (no
# letter, digit or space; each matched to itself alone) but where a pattern names one.
# U+02BC (a modifier letter) is a word character: `\b` tells it from the others.
MARKS = "".join(mark for mark in APOSTROPHES if not re.match(r"\w", mark))


def tells_marks_apart(parsed) -> bool:
    """Whether a pattern, parsed (`re._parser`), could match a text and not the same text
    with one of `MARKS` typed as another: a mark it names, or a class holding some but not
    all of them; a back reference (it compares what two places hold); an operation not
    known here (so, conservatively, yes)."""
    from re import _constants as sre

    def named(items) -> set[str]:
        found = set()
        for op, value in items:
            if op is sre.LITERAL:
                found.add(chr(value))
            elif op is sre.RANGE:
                found.update(chr(c) for c in range(value[0], value[1] + 1) if chr(c) in MARKS)
            elif op not in (sre.NEGATE, sre.CATEGORY):  # a category holds none of them
                return set(MARKS[0])  # not known: counted as telling them apart
        return found & set(MARKS)

    for op, value in parsed:
        if op in (sre.LITERAL, sre.NOT_LITERAL):
            apart = chr(value) in MARKS
        elif op is sre.IN:
            apart = len(named(value)) not in (0, len(MARKS))
        elif op in (sre.ANY, sre.AT):  # no mark is a line break or a word character
            apart = False
        elif op is sre.BRANCH:
            apart = any(tells_marks_apart(branch) for branch in value[1])
        elif op is sre.SUBPATTERN:
            apart = tells_marks_apart(value[3])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            apart = tells_marks_apart(value[2])
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            apart = tells_marks_apart(value[1])
        elif op is sre.ATOMIC_GROUP:
            apart = tells_marks_apart(value)
        elif op is sre.GROUPREF_EXISTS:
            apart = any(tells_marks_apart(p) for p in value[1:] if p is not None)
        else:  # a back reference, or an operation not known here
            apart = True
        if apart:
            return True
    return False


def as_searched_alike(text: str) -> str | None:
    """A text each item pattern finds what it finds in `text` in, shared by the texts that
    differ from it only in the case of ASCII letters and in which of `MARKS` is typed; None
    for a text beyond ASCII but for those marks. Where it holds: every item pattern is
    case-insensitive throughout, and no pattern tells the marks apart
    (`test_the_reference_patterns_read_case_and_marks_alike`); under IGNORECASE `re` matches an
    ASCII letter and its other case alike."""
    alike = text.translate(dict.fromkeys(map(ord, MARKS), "'"))
    return alike.lower() if alike.isascii() else None


def found_by_searching_all(text: str, language: str, answers: dict | None = None):
    """The items whose pattern `search` finds in `text`, each pattern searched.

    With `answers` (a dict the caller keeps), a text searched alike as one searched before
    (`as_searched_alike`) is given that one's answer: the corpus holds each text in capitals
    and with each way of typing an apostrophe, searched once each, not up to 14 times."""
    # As the matcher reads the text: its misspellings of red-flag words put right (H1600).
    text = as_meant(text, language)
    key = (as_searched_alike(text), language) if answers is not None else (None, language)
    if key[0] is not None and key in answers:
        return answers[key]
    found = tuple(
        item_id
        for item_id, lang, pattern in ITEM_PATTERNS
        if lang == language and pattern.search(text) is not None
    )
    if key[0] is not None:
        answers[key] = found
    return found


def test_the_reference_patterns_read_case_and_marks_alike():
    # What `found_by_searching_all` and `ignored_by_searching` keep their answers by. No
    # pattern, nor any part of one, tells an ASCII letter from its other case (a part could
    # turn flags off inline, as in `(?-i:...)` or `(?s-i:...)`) or one of `MARKS` from another.
    from re import _parser

    searched = [(item_id, pattern) for item_id, _, pattern in ITEM_PATTERNS]
    searched += [
        (f"ignore-pain {language}", pattern)
        for language, patterns in ignore_pain_words().items()
        for pattern in patterns
    ]
    for name, pattern in searched:
        assert pattern.flags & re.IGNORECASE, name
        assert not re.search(r"\(\?[a-zA-Z]*-", pattern.pattern), name
        assert not tells_marks_apart(_parser.parse(pattern.pattern, pattern.flags)), name
    # The marks `re` reads alike where no pattern names them: no word character, digit,
    # space or line break in any mode; each matched only to itself under IGNORECASE
    # (`test_re_matches_a_typed_apostrophe_only_to_itself`).
    assert len(MARKS) == len(APOSTROPHES) - 1 and "'" in MARKS
    for flags in (0, re.ASCII):
        assert not re.search(r"[\w\d\s]", MARKS, flags)
    # The check can tell: a pattern naming one mark, a class of some, a back reference.
    for telling in ("can\u2019t", "can[\u2019']t", "(a)x\\1", "[^\u2018]", "x\\s*\u2019"):
        assert tells_marks_apart(_parser.parse(telling, re.IGNORECASE)), telling
    assert not tells_marks_apart(_parser.parse(any_apostrophe(r"can't [^.;]\b"), re.I))


def test_the_sets_find_what_searching_every_pattern_finds():
    named = set()
    as_written = set(written())
    not_plain = 0
    answers: dict = {}
    for text in corpus():
        found = found_by_searching_all(text, "en", answers)
        assert _named_in.__wrapped__(SETS, text, "en") == found, text
        named.update(found)
        for variant in look_alikes(text) if found and text in as_written else ():
            assert _named_in.__wrapped__(SETS, variant, "en") == found, variant
            assert found_by_searching_all(variant, "en") == found, variant
            not_plain += not plain(variant)
    # The comparison means something only if the corpus does name every red flag, and holds
    # texts the sets' quick reading does not cover (searched as they are).
    assert named == {item_id for item_id, _, _ in ITEM_PATTERNS}
    assert not_plain > 0


def test_most_searches_are_skipped():
    # The point of it: of the corpus's texts, few need their patterns searched. (Each text
    # lowered once, not once a pattern: `lowered` is a function of the text alone.)
    needed = [needs(pattern) for _, _, pattern in ITEM_PATTERNS]
    searched = sum(
        1
        for text in corpus()
        if plain(text)
        for low in (lowered(text),)
        for need in needed
        if may_match(need, low)
    )
    assert searched < len(corpus()) * len(ITEM_PATTERNS) / 5


@settings(
    max_examples=examples(200, long=400),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.data())
def test_a_text_a_pattern_matches_has_what_it_needs(data):
    _, _, pattern = data.draw(st.sampled_from(ITEM_PATTERNS))
    text = data.draw(texts_matching(pattern))
    assert pattern.search(text)
    assert not plain(text) or may_match(needs(pattern), lowered(text))


def test_plain_knows_every_character_re_matches_to_ascii():
    # Every character beyond ASCII that some ASCII character matches under IGNORECASE, found
    # by asking `re` of each ASCII character against all of them.
    beyond = "".join(map(chr, range(0x80, sys.maxunicode + 1)))
    like_ascii = {
        found.group()
        for code in range(0x80)
        for found in re.finditer(re.escape(chr(code)), beyond, re.IGNORECASE)
    }
    assert {"\u212a", "\u017f", "\u0131", "\u0130"} <= like_ascii
    for char in like_ascii:
        assert not plain(f"pain {char}"), hex(ord(char))
    assert plain("caf\u00e9 \u2019 \u2014 pain")  # other characters beyond ASCII do not count


@pytest.mark.parametrize(
    ("pattern", "need"),
    [
        (r"\bchest\b", ("chest",)),
        (r"\bCHEST pain", ("chest pain",)),
        (
            r"(?:in|on) (?:your|the) chest",
            (frozenset({"in the chest", "in your chest", "on the chest", "on your chest"}),),
        ),
        (r"pains?\b.{0,20}jaw", ("pain", "jaw")),
        (r"angina|heart attack", (frozenset({"angina", "heart attack"}),)),
        # Alternatives of more than one part each.
        (r"chest pain|pain.{0,9}chest", ([("chest pain",), ("pain", "chest")],)),
        (r"(?:x+y)", ("x", "y")),  # a repeat of at least one needs its body
        (r"angina|\w+ attack", (frozenset({"angina", " attack"}),)),
        # An alternative that needs nothing: the pattern needs nothing.
        (r"angina|\w+", ()),
        (r"a?b*", ()),
        # Letters that match other letters are not asked for: a group with flags of its own,
        # a back reference, a look-around, a class.
        (r"(?-i:Chest)", ()),
        (r"(a)\1", ("a",)),
        (r"(?=chest)\w+", ()),
        (r"[^a]b", ("b",)),
        ("caf\u00e9 au lait", ("caf", " au lait")),
        # A typed apostrophe is read as the ASCII one, alone or in a class of them (H666).
        (any_apostrophe(r"\bcan't breathe"), ("can't breathe",)),
        (any_apostrophe(r"(?:can't|won't) stop"), (frozenset({"can't stop", "won't stop"}),)),
        ("don\u2019t|don\u02bct", ("don't",)),
        ("[\u2018\u2019]em", ("'em",)),
        # With an ASCII letter, one more text; with another character, the stretch ends.
        ("can[\u2019a]t", (frozenset({"can't", "canat"}),)),
        ("can[\u2019\u00e9]t", ("can", "t")),
    ],
)
def test_requirement(pattern, need):
    assert requirement(pattern, re.IGNORECASE) == need


def test_re_matches_a_typed_apostrophe_only_to_itself():
    # Why a stretch may hold one (`pattern_needs._LETTERS`): under IGNORECASE, alone or in a
    # class of them, `re` matches each apostrophe to itself alone, found by asking `re` of every
    # character; and no character but an apostrophe lower-cases to a text holding one.
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    for apostrophe in APOSTROPHES:
        found = re.findall(re.escape(apostrophe), every, re.IGNORECASE)
        assert found == [apostrophe]
    assert re.findall(f"[{APOSTROPHES}]", every, re.IGNORECASE) == sorted(APOSTROPHES)
    # In a class with a letter, `re` compares each character lower-cased (another opcode).
    assert re.findall(f"[{APOSTROPHES}a]", every, re.IGNORECASE) == sorted(f"{APOSTROPHES}aA")
    # A character its own lower case holds one only by being one: the others are those whose
    # lower case differs (1,433 of the 1.1 million, found with `map` in C, not a loop here).
    changed = [(c, low) for c, low in zip(every, map(str.lower, every)) if low != c]
    lowered_to_one = {c for c, low in changed if any(a in low for a in APOSTROPHES)}
    lowered_to_one |= {c for c in APOSTROPHES if c.lower() == c}
    assert lowered_to_one == set(APOSTROPHES)


@pytest.mark.parametrize("apostrophe", APOSTROPHES)
def test_a_phrase_typed_with_any_apostrophe_is_searched(apostrophe):
    pattern = compiled(r"\bcan't (?:catch|get) (?:your|my) breath\b", re.IGNORECASE)
    assert sorted(needs(pattern)[0]) == [
        "can't catch my breath",
        "can't catch your breath",
        "can't get my breath",
        "can't get your breath",
    ]
    text = f"If you CAN{apostrophe}T catch your breath, call 999."
    assert pattern.search(text)
    assert may_match(needs(pattern), lowered(text))
    assert not may_match(needs(pattern), lowered("You can catch your breath: it's fine."))


@settings(
    max_examples=examples(150, long=300),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.data())
def test_a_text_a_pattern_with_an_apostrophe_matches_has_what_it_needs(data):
    # Every prose pattern of the data files that writes an apostrophe, with texts made to match
    # it (hypothesis picks any member of each apostrophe class) and then retyped.
    pattern = data.draw(st.sampled_from(with_apostrophes()))
    text = data.draw(texts_matching(pattern))
    apostrophe = data.draw(st.sampled_from(APOSTROPHES))
    retyped = text.translate(dict.fromkeys(map(ord, APOSTROPHES), apostrophe))
    for each in (text, retyped, text.upper()):
        if pattern.search(each):
            assert not plain(each) or may_match(needs(pattern), lowered(each)), each


def test_what_a_pattern_needs_is_kept_between_runs(tmp_path):
    code = (
        "import sys\n"
        "from protocol_kit import pattern_needs\n"
        "worked_out = []\n"
        "real = pattern_needs.requirement\n"
        "def counted(*args):\n"
        "    worked_out.append(args)\n"
        "    return real(*args)\n"
        "pattern_needs.requirement = counted\n"
        "from protocol_kit.cli.main import main\n"
        "sys.argv = ['protokit', 'validate', '-q', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(len(worked_out))\n"
    )

    # A user's cache after first runs (compiled patterns, the code index...) but for what the
    # patterns need: the runs below work that out as a first run does.
    cache = warm_cache(tmp_path / "cache")
    for kept in cache.glob("pattern-needs-*"):
        kept.unlink()

    def worked_out() -> int:
        out = subprocess.run(
            [sys.executable, "-c", code, str(MINIMAL)],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**__import__("os").environ, "PROTOKIT_CACHE_DIR": str(cache)},
        )
        assert out.returncode == 0, out.stderr
        return int(out.stdout.rstrip("\n").rpartition("\n")[2])

    # At least each alternative of the red-flag items' patterns (searched as sets, each
    # pattern on its own: protocol_kit/pattern_sets), with their signs (SAFE008), the routing
    # words, SAFE013's English phrases (the file is in English), the ways of writing a dose
    # and a pain score, and the words of SAFE012's anticoagulant condition (H529, H532).
    asked = worked_out()
    english = {
        (p.pattern, p.flags) for item in SETS.items.values() for p in item.alternatives["en"]
    }
    assert asked > len(english)
    # The next run works none of them out.
    assert worked_out() == 0
    # A damaged file is not read: each pattern is worked out again.
    (kept,) = cache.glob("pattern-needs-*")
    kept.write_bytes(kept.read_bytes()[:-1] + b"x")
    assert worked_out() == asked


def test_another_version_of_this_module_starts_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path))
    pattern_needs._kept.cache_clear()
    kept = pattern_needs._kept()
    monkeypatch.setattr(pattern_needs, "__file__", str(REPO / "README.md"))
    pattern_needs._kept.cache_clear()
    try:
        assert pattern_needs._kept().label != kept.label
    finally:
        pattern_needs._kept.cache_clear()


def test_validate_searches_few_red_flag_patterns():
    # The example with library exercises has 56 texts for the red-flag sets' 21 items: on main
    # each item's pattern was searched for in each text (1,008 searches, a tenth of the run).
    # Each alternative of an item's pattern is searched on its own (protocol_kit/pattern_sets).
    code = (
        "import sys\n"
        # The engine's own patterns, whose methods the profile sees called (a kept pattern
        # is otherwise handed to the engine at its first search: patterns.py `_Kept`).
        "from protocol_kit.patterns import hand_over_when_searched\n"
        "hand_over_when_searched(False)\n"
        "from protocol_kit.redflags import red_flag_sets\n"
        "items = red_flag_sets().items.values()\n"
        "patterns = {id(p) for i in items for ps in i.alternatives.values() for p in ps}\n"
        "searched = []\n"
        "def seen(frame, event, arg):\n"
        "    if event == 'c_call' and id(getattr(arg, '__self__', None)) in patterns:\n"
        "        searched.append(arg.__name__)\n"
        "from protocol_kit.cli.main import main\n"
        "sys.argv = ['protokit', 'validate', '-q', sys.argv[1]]\n"
        "sys.setprofile(seen)\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.setprofile(None)\n"
        "print(len(searched))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(PROTOCOLS / "psoas-stretch-glute-bridge.json")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert out.returncode == 0, out.stderr
    assert 0 < int(out.stdout.rstrip("\n").rpartition("\n")[2]) < 100


def test_without_its_source_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pattern_needs, "__file__", str(tmp_path / "missing.py"))
    pattern_needs._kept.cache_clear()
    try:
        pattern = re.compile(r"\bangina\b", re.IGNORECASE)
        assert needs(pattern) == (("angina",), ("angina",))
        assert needs(pattern) == (("angina",), ("angina",))
        assert not list(tmp_path.iterdir())
    finally:
        pattern_needs._kept.cache_clear()


# SAFE013 (ignore-pain) skips its phrases' search the same way: one case-insensitive
# alternation per language, searched in every text of a file (issue 17).
def ignore_pain_words():
    from protocol_kit.lint.rules.ignore_pain import _words

    return _words()


def ignored_by_searching(text: str, language: str, places: dict | None = None) -> str | None:
    """The first ignore-pain phrase found not after a negation, searching every phrase.

    With `places` (a dict the caller keeps), a text whose readings are searched alike as
    those of one searched before (`as_searched_alike`: the phrases and negations read case
    and these apostrophes alike, `test_the_reference_patterns_read_case_and_marks_alike`) is
    given the place found in that one: the same reading, start and end, cut from its own."""
    from protocol_kit.lint.rules.ignore_pain import unhyphenated

    phrases, negation = ignore_pain_words()[language]
    # As written, then (H777) with the hyphens inside words taken out, as the rule reads it.
    readings = (text, unhyphenated(text))
    key = (*map(as_searched_alike, readings), language) if places is not None else (None,)
    if None not in key and key in places:
        place = places[key]
        return None if place is None else readings[place[0]][place[1] : place[2]]
    place = next(
        (
            (i, found.start(), found.end())
            for i, reading in enumerate(readings)
            for found in phrases.finditer(reading)
            if not negation.search(reading[: found.start()])
        ),
        None,
    )
    if None not in key:
        places[key] = place
    return None if place is None else readings[place[0]][place[1] : place[2]]


@pytest.mark.parametrize("language", ["en", "fr", "es", "de"])
def test_ignore_pain_finds_what_searching_its_phrases_finds(language):
    from protocol_kit.lint.rules.ignore_pain import ignored_pain

    said = 0
    as_written = set(written())
    places: dict = {}
    for text in corpus():
        found = ignored_pain.__wrapped__(text, language)
        assert found == ignored_by_searching(text, language, places), text
        said += found is not None
        for variant in look_alikes(text) if found is not None and text in as_written else ():
            assert ignored_pain.__wrapped__(variant, language) == ignored_by_searching(
                variant, language
            ), variant
    if language == "en":  # the comparison means something only if the corpus says it
        assert said >= 5


@settings(
    max_examples=examples(150, long=300),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.data())
def test_a_text_an_ignore_pain_phrase_matches_has_what_it_needs(data):
    from protocol_kit.lint.rules.ignore_pain import phrase_set

    language = data.draw(st.sampled_from(sorted(ignore_pain_words())))
    phrases, _ = ignore_pain_words()[language]
    # Hypothesis takes a pattern only as re.Pattern; the cache's hands its own over at its
    # first search (protocol_kit/patterns.py `_Kept`).
    text = data.draw(texts_matching(re.compile(phrases.pattern, phrases.flags)))
    assert phrases.search(text)
    assert phrase_set(language).may_match(text)


def test_ignore_pain_searches_few_texts():
    # On main the English phrases were searched for in every text (a tenth of the lint's
    # time on the example with library exercises); most texts lack all the words they need.
    from protocol_kit.lint.rules.ignore_pain import phrase_set

    english = [text for text in corpus() if plain(text)]
    searched = sum(1 for text in english if phrase_set("en").may_match(text))
    assert searched < len(english) / 4


@pytest.mark.parametrize(
    ("kept", "fits"),
    [
        ((("chest",), ("chest", frozenset({"pain", "ache"}))), True),
        (((), ()), True),
        ((("a",), ("a", [("b", frozenset({"c"})), ("d",)])), True),
        ((("chest",), ("chest", frozenset({"pain", 3}))), False),  # a word that is no text
        ((("chest", b"pain"), ("chest",)), False),
        ((("chest",), ("chest", [("b",), ["c"]])), False),  # an option that is no tuple
        ((("chest",), ("chest", [("b", [(1,)])])), False),  # deep inside
        ((("chest",), ("chest", 7)), False),
        ((("chest",), ["chest"]), False),
        (("chest", ("chest",)), False),
        ((("chest",), ("chest",), ()), False),
    ],
)
def test_a_kept_requirement_is_used_only_in_its_shape(kept, fits):
    # H588: a kept answer of another shape (a cache file written by someone else) is worked
    # out again, not handed to `holds`, where it ended the run in an internal error.
    assert pattern_needs._needed(kept) is fits
