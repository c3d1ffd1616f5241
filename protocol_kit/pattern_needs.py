"""The text a regular expression cannot match without, so that a search can be skipped when
that text is not there (issue 17).

The red-flag sets (`protocol_kit.redflags`) search every patient text of a file for each of
their items: about twenty patterns of many case-insensitive alternatives each, which Python's
`re` cannot scan quickly (its quick scan for a first letter is off under IGNORECASE). Most
texts name no red flag, and most patterns need words ("chest", "bladder", "faint") that a text
does not hold at all. `needs(pattern)` reads the pattern's parsed form (`re._parser`) and
keeps, for each way it can match, the stretches of plain letters it must match one after the
other ("heart attack", any one of "swollen", "swelling", "swells"); `may_match` says whether a
text holds them. A pattern is searched only when `may_match` says it may match: the search,
not this module, decides what is found.

Why a skipped search could never have matched (tests/test_pattern_needs.py holds each part):

- Only ASCII characters of the pattern are kept, and the typed apostrophes (`patterns.
  APOSTROPHES`), each read as the ASCII one, in the pattern and in the text (`lowered`): every
  prose pattern's apostrophe is a class of them (H648), which would otherwise end a stretch,
  so that "can't" needed "can" and "t", words of most texts, not "can't" (H666). The
  apostrophes have no case: `re` matches each, alone or in a class, with or without
  IGNORECASE, only to itself, and `str.lower` leaves it as it is; a text a stretch matches
  holds it, lower-cased, with its apostrophes made ASCII. A text that holds a character beyond ASCII
  that `re` matches to an ASCII letter under IGNORECASE (the Kelvin sign for "k", the long s
  for "s", the dotted and dotless i) is always searched (`plain` is False for it). In any other
  text, the characters an ASCII letter of the pattern matches are ASCII, and an ASCII character
  matches a letter, with or without IGNORECASE, only when their lower cases are equal: so the
  stretch, lower-cased, is in the text lower-cased.
- A stretch is only letters that match one after the other: literal characters, and small
  groups of alternatives that are themselves only literals ("(in|across|around)"), expanded
  into every text they can be. Anything else (`\\b`, a class, a repeat that may match nothing,
  a look-around, a back reference, a group with flags of its own) ends the stretch, and a
  part of the pattern this module does not understand requires nothing.
- Alternatives (`|`) need one of their requirements; a repeat of at least one needs its body's;
  a group is read as its body. A pattern whose alternatives include one that needs nothing
  needs nothing, and is always searched.

What a pattern needs depends only on the pattern, its flags and the interpreter's `re`, and
working it out (parsing the pattern) costs more than the searches it saves in one run: it is
kept between runs in the user's cache folder (`cache.Recent`), in a file whose label names
the interpreter and this module's own source, so that a change to either starts afresh.
"""

from __future__ import annotations

import functools
import re

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.patterns import APOSTROPHES, ONE_APOSTROPHE, compiled

if TYPE_CHECKING:
    from typing import Any

# The requirement of a pattern: a tuple of parts, every one of which must hold. A part is a
# `str` (lower-case ASCII that the text must hold), a `frozenset` of them (one of which the
# text must hold) or a `list` of requirements (one of which must hold). `()` holds for every
# text: nothing is known, the pattern is always searched.
Need = tuple
# (words one of which the text must hold, or () to ask nothing; the whole requirement).
Needed = tuple[tuple[str, ...], Need]
# Texts a stretch may expand to (a stretch followed by "(in|across|around) (your|the|my)"
# is 9 texts); beyond this the stretch is ended and the group starts another.
_MOST_TEXTS = 32
_TITLE = "pattern needs"
_FORMAT = 1

# The characters a stretch may hold, by code, as a text asked about holds them (`lowered`):
# ASCII lower-cased, and every typed apostrophe as the ASCII one.
_LETTERS = {code: chr(code).lower() for code in range(128)} | dict.fromkeys(
    map(ord, APOSTROPHES), "'"
)

# The ASCII marks typed for an apostrophe besides the apostrophe ("can`t"): an ASCII text
# that holds one is still read with it as the apostrophe (H1510).
_ASCII_MARKS = tuple(mark for mark in APOSTROPHES[1:] if mark.isascii())

# A character beyond ASCII that `re` matches to some ASCII character under IGNORECASE.
_LIKE_ASCII = compiled(r"[\x00-\x7f]", re.IGNORECASE)


def plain(text: str) -> bool:
    """Whether every character of `text` that an ASCII character of a pattern can match,
    with or without IGNORECASE, is itself ASCII (`may_match` is exact only then)."""
    return text.isascii() or not any(
        _LIKE_ASCII.match(char) for char in set(text) if not char.isascii()
    )


def lowered(text: str) -> str:
    """`text` as `may_match` reads it: lower-cased (`str.lower`), each typed apostrophe the
    ASCII one."""
    low = text.lower()
    if low.isascii():
        for mark in _ASCII_MARKS:  # a loop, not any(): a generator tripled this call's time
            if mark in low:
                break
        else:
            return low
    return low.translate(ONE_APOSTROPHE)


def may_match(needed: Needed, lowered: str) -> bool:
    """Whether a text, as `lowered`, holds what a pattern needs (`needs`)."""
    first, need = needed
    if first:  # most texts lack all of these: one quick loop instead of the whole tree
        for word in first:
            if word in lowered:
                break
        else:
            return False
    return holds(need, lowered)


def cannot_match(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `pattern` surely finds nothing in `text` (it lacks what the pattern needs),
    so that the search is skipped: most texts of a file, for a pattern of rare words."""
    return plain(text) and not may_match(needs(pattern), lowered(text))


def holds(need: Need, lowered: str) -> bool:
    """Whether a text, as `lowered`, holds every part of `need`."""
    for part in need:
        kind = part.__class__
        if kind is str:
            if part not in lowered:
                return False
        elif kind is frozenset:
            for text in part:
                if text in lowered:
                    break
            else:
                return False
        else:
            for option in part:
                if holds(option, lowered):
                    break
            else:
                return False
    return True


def needs(pattern: re.Pattern[str]) -> Needed:
    """What `pattern` cannot match without (see the module's docstring), for `may_match`;
    kept between runs."""
    key = (pattern.pattern, pattern.flags)
    found = _NEEDED.get(key)
    if found is not None:
        return found
    kept = _kept()
    found = kept.get(key)
    if found is _unknown():
        need = requirement(pattern.pattern, pattern.flags)
        found = (tuple(sorted(one_of(need), key=len, reverse=True)), need)
        kept.add(key, found)
    _NEEDED[key] = found
    return found


# What each pattern of this process needs, once read: the kept file's answer is checked for
# its shape (H588) at each `get`, which for DOSE005's and SAFE012's per-text searches cost
# more than the searches (issue 17). The patterns are the data files', a few hundred.
_NEEDED: dict[tuple[str, int], Needed] = {}


def one_of(need: Need) -> set[str]:
    """Texts one of which a text must hold for `need` to hold (the longest such that the tree
    offers, and none that holds another); empty when there are none to ask."""
    best: set[str] = set()
    for part in need:
        if part.__class__ is str:
            found = {part}
        elif part.__class__ is frozenset:
            found = set(part)
        else:
            found = set()
            for option in part:
                inner = one_of(option)
                if not inner:  # an option that asks for nothing: the part asks for nothing
                    found = set()
                    break
                found |= inner
            # A word that holds another adds nothing: the shorter is in the text too.
            found = {word for word in found if not any(o != word and o in word for o in found)}
        if found and (not best or _rank(found) > _rank(best)):
            best = found
    return best


def _rank(words: set[str]) -> tuple[int, int]:
    """Longer words are rarer; fewer words are quicker."""
    return min(map(len, words)), -len(words)


def requirement(pattern: str, flags: int = 0) -> Need:
    """`needs`, worked out; `()` when this interpreter's `re` is not shaped as expected."""
    try:
        from re import _parser

        return _sequence(list(_parser.parse(pattern, flags)))
    except re.error:
        raise
    except Exception:  # noqa: BLE001 (another interpreter's internals: always search)
        return ()


@functools.cache
def _kept() -> Any:
    """The requirements kept between runs, in a file labelled with this module's source."""
    import os

    from protocol_kit.cache import kept_answers

    # No `__file__` (a frozen install): no file to read, nothing kept between runs.
    folder, name = os.path.split(__file__ or "")
    return kept_answers(_TITLE, _FORMAT, folder, [name], most=4096, fits=_needed)


def _needed(found: object) -> bool:
    """Whether a kept answer has `needs`'s shape, a `Needed` (H588)."""
    return (
        type(found) is tuple
        and len(found) == 2
        and type(found[0]) is tuple
        and _of_strings(found[0])
        and _a_need(found[1])
    )


def _a_need(need: object) -> bool:
    """Whether `need` has a `Need`'s shape (the module's first comment)."""
    if type(need) is not tuple:
        return False
    for part in need:
        kind = part.__class__
        if kind is str:
            continue
        if kind is frozenset:
            if not _of_strings(part):
                return False
        elif kind is list:
            for option in part:
                if not _a_need(option):
                    return False
        else:
            return False
    return True


# The type of every member, in C, against this: a generator a member, as `all` was asked,
# made the check of the kept answers 2 % of a one-file run (issue 17).
_ONLY_STRINGS = frozenset((str,))


def _of_strings(values: tuple | frozenset) -> bool:
    """Whether every member of `values` is a `str` (not a subclass of it)."""
    return _ONLY_STRINGS.issuperset(map(type, values))


@functools.cache
def _unknown() -> Any:
    # Imported once: an import statement run again asks the module for `__path__`, and its
    # absence is an AttributeError formatted twice, at each of a few hundred patterns
    # (about a million instructions of a one-file run, issue 17).
    from protocol_kit.cache import UNKNOWN

    return UNKNOWN


def _sequence(items: list) -> Need:
    """What a sequence of parsed items needs: each stretch of letters, and each part the
    items that end a stretch need."""
    from re._constants import (
        ATOMIC_GROUP,
        BRANCH,
        MAX_REPEAT,
        MIN_REPEAT,
        POSSESSIVE_REPEAT,
    )

    parts: list[Any] = []
    stretch = [""]

    def end_stretch() -> None:
        if "" not in stretch:  # an empty text is in every text: nothing to ask
            parts.append(stretch[0] if len(stretch) == 1 else frozenset(stretch))

    for op, value in _flattened(items):
        texts = _texts(op, value)
        if texts is not None:
            if len(stretch) * len(texts) > _MOST_TEXTS:
                end_stretch()
                stretch = [""]
            if len(texts) <= _MOST_TEXTS:
                stretch = [before + text for before in stretch for text in texts]
                continue
        end_stretch()
        stretch = [""]
        if op is BRANCH:
            options = [_sequence(list(option)) for option in value[1]]
            if all(options):
                parts.append(_one_of(options))
        elif op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT) and value[0] >= 1:
            parts.extend(_sequence(list(value[2])))
        elif op is ATOMIC_GROUP:
            parts.extend(_sequence(list(value)))
    end_stretch()
    return tuple(parts)


def _texts(op: Any, value: Any) -> list[str] | None:
    """Every text (lower-case ASCII) an item matches, when it matches only literal ASCII
    characters, one after the other, each way it can; else None."""
    from re._constants import BRANCH, IN, LITERAL

    if op is LITERAL:
        return [_LETTERS[value]] if value in _LETTERS else None
    if op is IN:
        if all(kind is LITERAL and code in _LETTERS for kind, code in value):
            return sorted({_LETTERS[code] for _, code in value})
        return None
    if op is BRANCH:
        found: list[str] = []
        for option in value[1]:
            texts = [""]
            for inner_op, inner_value in _flattened(list(option)):
                inner = _texts(inner_op, inner_value)
                if inner is None or len(texts) * len(inner) > _MOST_TEXTS:
                    return None
                texts = [before + text for before in texts for text in inner]
            found += texts
        return sorted(set(found))
    return None


def _flattened(items: list) -> list:
    """The items, with each group without flags of its own read as its contents."""
    from re._constants import SUBPATTERN

    flat: list = []
    for op, value in items:
        if op is SUBPATTERN and not value[1] and not value[2]:
            flat += _flattened(list(value[3]))
        else:
            flat.append((op, value))
    return flat


def _one_of(options: list[Need]) -> frozenset[str] | list[Need]:
    """The part for alternatives: the texts, when each alternative is one text; else the
    alternatives, each once."""
    if all(len(option) == 1 and option[0].__class__ is str for option in options):
        return frozenset(option[0] for option in options)
    unique: list[Need] = []
    for option in options:
        if option not in unique:
            unique.append(option)
    return unique
