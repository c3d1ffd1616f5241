"""Find condition codes by words ("low back pain"), in every code list available offline:
ICD-10-CM (every code of the installed list), WHO ICD-10 (the 2019 list) and the SNOMED CT
concepts protocol-kit knows the display of. Used by the workbench's condition picker; the
results are codings a protocol can carry as they are (system, code, display)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from protocol_kit.model import ICD10CM, ICD10WHO, SNOMED, SYSTEM_NAMES
from protocol_kit.package_data import read_json

SYSTEMS = (ICD10CM, ICD10WHO, SNOMED)


@dataclass(frozen=True, slots=True)
class CodeMatch:
    system: str
    code: str
    display: str
    billable: bool  # the most specific code of its branch (the one to use)

    @property
    def system_name(self) -> str:
        return SYSTEM_NAMES[self.system]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def search_codes(
    query: str, systems: tuple[str, ...] = SYSTEMS, limit: int = 20
) -> list[CodeMatch]:
    """Codes whose display holds every word of `query` (as the start of a word), or whose code
    starts with it; the most specific codes and the shortest displays first."""
    # Each word once: a query of one word said a hundred times ("a a a ...", 200 characters)
    # compared every display with each, seconds of work for the picker per keystroke (H288).
    words = list(dict.fromkeys(_words(query)))
    if not words:
        return []
    code_prefix = query.strip().upper()
    # The query as typed, and as the code lists name a phrase of it ("neck pain" is filed as
    # "Cervicalgia"): a therapist's own words for the condition found nothing before.
    variants = [words, *_phrases_named_otherwise(words)]
    found = list(dict.fromkeys(m for v in variants for m in _matching(v, code_prefix, systems)))
    found.sort(
        key=lambda m: (
            not m.code.startswith(code_prefix),
            not m.billable,
            len(m.display),
            SYSTEMS.index(m.system),
            m.code,
        )
    )
    return found[:limit]


def _matching(words: list[str], code_prefix: str, systems: tuple[str, ...]) -> list[CodeMatch]:
    """Codes whose display holds every word (or another way of writing it), or whose code
    starts with `code_prefix`."""
    # Each word with the other ways the code lists write it ("tendinopathy" is filed under
    # "tendinitis" in ICD-10): a therapist's own term found nothing before.
    alternatives = [_other_ways().get(w, (w,)) for w in words]
    found: list[CodeMatch] = []
    for system in systems:
        for code, display, billable, lowered in _code_list(system):
            # A substring test first (cheap), then the words' starts on the few that pass.
            if code.startswith(code_prefix) or (
                all(any(a in lowered for a in alts) for alts in alternatives)
                and _all_words(alternatives, lowered)
            ):
                found.append(CodeMatch(system, code, display, billable))
    return found


def _phrases_named_otherwise(words: list[str]) -> list[list[str]]:
    """`words` with each phrase the code lists name by another word put in that word's place
    (["chronic", "neck", "pain"] also as ["chronic", "cervicalgia"])."""
    variants = []
    for phrase, ways in _other_phrases().items():
        size = len(phrase)
        for start in range(len(words) - size + 1):
            if tuple(words[start : start + size]) == phrase:
                variants += [[*words[:start], way, *words[start + size :]] for way in ways]
    return variants


def _all_words(alternatives: list[tuple[str, ...]], display: str) -> bool:
    have = _words(display)
    return all(any(h.startswith(a) for h in have for a in alts) for alts in alternatives)


@functools.lru_cache(maxsize=1)
def _other_ways() -> dict[str, tuple[str, ...]]:
    """Each query word the data file knows, with every way of writing it to look for."""
    data = read_json("protocol_kit.terminology", "data/search_words.json")
    return {word: tuple(ways) for word, ways in data["words"].items()}


@functools.lru_cache(maxsize=1)
def _other_phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each phrase the data file knows (as its words), with the words the code lists use."""
    data = read_json("protocol_kit.terminology", "data/search_words.json")
    return {tuple(_words(phrase)): tuple(ways) for phrase, ways in data["phrases"].items()}


@functools.lru_cache(maxsize=3)
def _code_list(system: str) -> tuple[tuple[str, str, bool, str], ...]:
    """(code, display, billable, lower-case display) of every code of the system."""
    return tuple((c, d, b, d.lower()) for c, d, b in _codes_of(system))


def warm() -> None:
    """Read every code list now (about a second), so that the first search is quick."""
    for system in SYSTEMS:
        _code_list(system)


def _codes_of(system: str):
    if system == ICD10CM:
        from protocol_kit.terminology.icd10cm import _index

        return _index().rows()
    if system == ICD10WHO:
        from protocol_kit.terminology.icd10who import _list, _package

        listed = _list()
        if listed is not None:
            return listed.rows()
        icd = _package()
        return tuple(
            (code, icd.get_description(code), icd.is_leaf(code))
            for code in icd.get_all_codes(with_dots=True)
            if not icd.is_chapter_or_block(code)
        )
    from protocol_kit.terminology.snomed import DISPLAYS

    return tuple((code, display, True) for code, (display, _) in DISPLAYS.items())
