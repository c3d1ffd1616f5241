"""Every way of typing an apostrophe reads as the straight one (s38-clinical3, H1481): a word
processor or a phone writes "don’t" (U+2019), some keyboards "donʼt" (U+02BC), a slip of the
quotes "don‘t" (U+2018). The lint's patterns of prose are compiled through
`patterns.compiled`, which makes each apostrophe they write match all of them (H648); these
tests hold that for every contraction the lint's data holds, and for a sentence of each rule
that reads one (the fall told "don’t get up", H1451, among them)."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from lint_helpers import HIP, ICD, advice, advice_routing, coding, lint, stop, treated

from protocol_kit.patterns import APOSTROPHES, compiled

_OTHER_APOSTROPHES = APOSTROPHES.replace("'", "")
# A contraction or an elision in a pattern: letters, an apostrophe, letters ("don't", "n't",
# "c'est").
_CONTRACTION = re.compile(r"[^\W\d_]*'[^\W\d_]+")
_DATA = (
    ("protocol_kit.lint", "data"),
    ("protocol_kit.redflags", ""),
)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _data_patterns() -> list[str]:
    """Every string of the lint's and the red flags' data that is a pattern (it compiles) and
    writes a contraction."""
    found = []
    for package, folder in _DATA:
        root = resources.files(package)
        root = root / folder if folder else root
        for entry in sorted(root.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".json"):
                continue
            for text in _strings(json.loads(entry.read_text(encoding="utf-8"))):
                if not _CONTRACTION.search(text) or " " in text and "\\b" not in text:
                    continue  # prose (a source, a description), not a pattern
                try:
                    re.compile(text)
                except re.error:
                    continue
                found.append(text)
    return found


_PATTERNS = _data_patterns()
_CONTRACTIONS = sorted({c.lower() for p in _PATTERNS for c in _CONTRACTION.findall(p)})


def test_the_data_holds_the_contractions_the_rules_read():
    # The list below is not empty by accident: the negations and the signs read these.
    for needed in ("don't", "can't", "won't", "n't", "doesn't", "mustn't", "c'est"):
        assert needed in _CONTRACTIONS


@pytest.mark.parametrize("contraction", _CONTRACTIONS)
def test_every_contraction_of_the_data_reads_every_apostrophe(contraction):
    patterns = [p for p in _PATTERNS if contraction in p.lower()]
    for pattern in patterns:
        # As the rules compile prose: case-insensitive, through `patterns.compiled`.
        source = compiled(pattern, re.IGNORECASE).pattern
        for apostrophe in _OTHER_APOSTROPHES:
            # Each place the pattern writes the contraction matches it typed with `apostrophe`.
            typed = contraction.replace("'", apostrophe)
            assert re.search(_written(contraction, source), typed, re.IGNORECASE), (
                contraction,
                apostrophe,
                pattern[:80],
            )


def _written(contraction: str, source: str) -> str:
    """The piece of the compiled `source` that stands for `contraction`: its letters and, for
    its apostrophe, whatever the compiled pattern put there (a class of every apostrophe)."""
    head, tail = contraction.split("'", 1)
    found = re.search(re.escape(head) + r"(\[[^\]]*\]|')" + re.escape(tail), source, re.I)
    assert found, (contraction, source[:120])
    return re.escape(head) + found.group(1) + re.escape(tail)


_BACK = coding(ICD, "M54.50", "Low back pain, unspecified")


def _routing(tmp_path, text):
    return advice_routing(tmp_path, _BACK, text)


def _advice(tmp_path, text):
    return lint(tmp_path, advice(text))


def _stop(tmp_path, text):
    return lint(tmp_path, stop(text))


def _step(tmp_path, text):
    return lint(tmp_path, treated(*HIP, text))


# A sentence of each rule that reads a contraction, each found by the lint with the straight
# apostrophe (the falls told not to get up: H1451).
_SENTENCES = [
    (_routing, "If you fall, don't get up; tell us next time."),
    (_routing, "If you fall, don't try to get up. Tell us at your next session."),
    (_advice, "If you can't pass urine, stop and tell your physiotherapist next week."),
    (_advice, "If you get chest pain, don't call an ambulance, just rest."),
    (_advice, "The red flags don't matter for this gentle exercise."),
    (_step, "Never jump, and don't hop too fast."),
    (_step, "Don't avoid jumping."),
]


def _said(findings):
    # TEXT004 aside: the fullwidth apostrophe (H1510) is also a character the sheet cannot
    # print, which that rule reports as well (`test_clinical_thirty_third_sitting`).
    return sorted(
        (f.code, f.pointer, f.message.translate(str.maketrans(dict.fromkeys(APOSTROPHES, "'"))))
        for f in findings
        if f.code != "TEXT004"
    )


@pytest.mark.parametrize(("read", "sentence"), _SENTENCES)
def test_a_rule_reads_each_apostrophe_as_the_straight_one(tmp_path, read, sentence):
    straight = _said(read(tmp_path, sentence))
    assert straight, sentence
    for apostrophe in _OTHER_APOSTROPHES:
        typed = sentence.replace("'", apostrophe)
        assert _said(read(tmp_path, typed)) == straight, typed


def _negation_contractions() -> list[tuple[str, str]]:
    """(language, word) for every contraction of `negation_words.json`, read as words, not as
    patterns (`_negation.split_words`)."""
    data = json.loads(
        (resources.files("protocol_kit.lint") / "data" / "negation_words.json").read_text(
            encoding="utf-8"
        )
    )
    return [
        (language, word)
        for language, entry in data.items()
        if language != "description"
        for word in (*entry["words"], *entry["parts"])
        if "'" in word
    ]


@pytest.mark.parametrize(("language", "word"), _negation_contractions())
def test_the_negation_words_read_each_apostrophe(language, word):
    from protocol_kit.lint.rules._negation import _says_not, _words, split_words

    negation = _words()[language]
    assert _says_not(split_words(f"x {word} y"), negation)
    for apostrophe in _OTHER_APOSTROPHES:
        typed = f"x {word.strip().replace(chr(39), apostrophe)} y"
        assert _says_not(split_words(typed), negation), typed
