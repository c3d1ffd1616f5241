"""Whether a translation of a safety text keeps its "not" (SAFE015, H653): "Do not bounce"
translated as "Rebondissez" has the same numbers and sentences as the original, and tells
the patient the opposite. The words are data (`data/negation_words.json`), per language."""

from __future__ import annotations

import functools
import json
import re

from protocol_kit.bounded import text_cache
from protocol_kit.package_data import read_text
from protocol_kit.patterns import compiled


@text_cache()
def drops_negation(source: str, own: str, translated: str, language: str) -> bool:
    """Whether `source` (in `own`) says "not" and `translated` (in `language`) does not, in
    its own words or the original's (a text left untranslated keeps the original's "not").
    Languages without a word list are not compared."""
    words = _words()
    source_words = words.get(own.split("-")[0])
    target_words = words.get(language.split("-")[0])
    if source_words is None or target_words is None or not source_words.search(source):
        return False
    return not (target_words.search(translated) or source_words.search(translated))


@functools.lru_cache(maxsize=1)
def _words() -> dict[str, re.Pattern[str]]:
    data = json.loads(read_text("protocol_kit.lint", "data/negation_words.json"))
    return {
        language: compiled(pattern, re.IGNORECASE)
        for language, pattern in data.items()
        if language != "description"
    }
