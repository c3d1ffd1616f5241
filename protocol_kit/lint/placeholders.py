"""What a placeholder is: text a therapist left to fill in later ("TODO", "TBC", "xx",
"[insert number]", "___", "..."), as one vocabulary (`lint/data/placeholders.json`) that the
protocols' rule TEXT003 and the prescriptions' check RX003 both read.

TEXT003 knew only "TODO" and RX003 a few more of its own, so that "Hold for xx seconds" or a
red flag reading "TBC" passed `validate` in a protocol and reached the patient's sheet.
"""

from __future__ import annotations

import functools
import re

from protocol_kit.package_data import read_json
from protocol_kit.patterns import compiled


@functools.cache
def _vocabulary() -> dict[str, list[str]]:
    return read_json("protocol_kit.lint", "data/placeholders.json")


def _either(words: list[str]) -> str:
    # Longest first: "XXX" before "XX", so that the match is the whole word.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.cache
def placeholder_pattern() -> re.Pattern[str]:
    """Finds a placeholder in one text (the module's docstring, the data's description)."""
    said = _vocabulary()
    alone = _either([w.casefold() for w in said["alone"]])
    return compiled(
        rf"(?<!\w)(?:{_either(said['words'])})(?!\w)"
        rf"|^\W*(?i:{_either(said['labels'])})\s*:"
        rf"|(?i:{_either(said['phrases'])})"
        rf"|{_either(said['blanks'])}"
        rf"|[\[<{{]\s*(?i:{_either(said['bracketed'])})(?!\w)[^\]>}}]*[\]>}}]"
        r"|^\s*(?:\[[^\]]*\]|<[^>]*>|\{[^}]*\}|[(\[]?(?:\.{3,}|\u2026)[)\]]?)\s*$"
        rf"|^\s*(?i:{alone})\.?\s*$"
    )


class _Searcher:
    """`placeholder_in` as the lint's `library_text_matches` searches with (a key and a
    search)."""

    pattern = "protocol_kit.lint.placeholders"

    @staticmethod
    def search(text: str) -> re.Match[str] | None:
        return placeholder_in(text)


SEARCHER = _Searcher()


def placeholder_in(text: str) -> re.Match[str] | None:
    """The first placeholder in `text`, or None. A text holding none of the pieces every
    placeholder has (`_pieces`) is passed at once: the pattern, tried at every character,
    cost the lint of a file of new texts half as much again (issue 17)."""
    pieces, labels, alone = _pieces()
    if (
        pieces.search(text) is None
        and not text.lstrip(_MARKS)[:_LABEL_LENGTH].casefold().startswith(labels)
        and text.strip().casefold().removesuffix(".") not in alone
    ):
        return None
    return placeholder_pattern().search(text)


_MARKS = " \t\n\"'*-([<{#>"
_LABEL_LENGTH = 8


@functools.cache
def _pieces() -> tuple[re.Pattern[str], tuple[str, ...], frozenset[str]]:
    """What a text must hold to be looked at with the pattern: a word as written (one that
    holds a shorter one is covered by it: "XXX" by "XX"), a blank, an ellipsis, a bracket, a
    phrase (from its second letter, the first may be a capital); or start with a label, in
    any case; or be one of the texts the vocabulary takes alone. The pieces are one pattern
    of fixed strings: looking for each in turn cost half as much again, on every text the
    lint's shared pass reads and every other string of a new file (H958)."""
    said = _vocabulary()
    pieces = (*_fewest(said["words"]), *said["blanks"], "...", "\u2026", "[", "<", "{")
    pieces += _fewest([p[1:] for p in said["phrases"]])
    labels = tuple(label.casefold() for label in said["labels"])
    either = compiled("|".join(re.escape(piece) for piece in pieces))
    return either, labels, frozenset(text.casefold() for text in said["alone"])


def _fewest(words: list[str]) -> tuple[str, ...]:
    """Pieces that every one of `words` holds one of, fewer of them: "TB" for TBC, TBD...,
    "XX" for "XXX"; a word that holds another is left to it."""
    shorter = {"TB" if w.startswith("TB") else w for w in words}
    return tuple(sorted(w for w in shorter if not any(o != w and o in w for o in shorter)))
