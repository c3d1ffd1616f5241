"""English number words, read once from the lint's data (`data/number_words.json`): DOSE005
reads "hold for thirty seconds" as 30 seconds, SAFE014 "a pain of seven out of ten" as 7."""

from __future__ import annotations

import functools

from protocol_kit.package_data import read_json


@functools.lru_cache(maxsize=1)
def number_word_parts() -> dict:
    """English number words by kind ("units", "teens", "tens") and "zero"."""
    return read_json("protocol_kit.lint", "data/number_words.json")["en"]


def pain_score_words() -> dict[str, int]:
    """The words of a pain score's scale, zero to ten, in order."""
    parts = number_word_parts()
    return {"zero": parts["zero"], **parts["units"], "ten": parts["teens"]["ten"]}
