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


def placeholder_in(text: str) -> re.Match[str] | None:
    """The first placeholder in `text`, or None."""
    return placeholder_pattern().search(text)


@functools.cache
def _in_source() -> re.Pattern[str]:
    """Finds, in a file's JSON text, every place a placeholder could be (more than there are):
    a file where it finds nothing holds none, and its strings are not looked at one by one."""
    said = _vocabulary()
    return compiled(
        rf"{_either(said['words'])}|(?i:{_either([*said['labels'], *said['phrases']])})"
        rf"|{_either(said['blanks'])}|\.\.\.|\u2026|\"\s*[\[<{{]"
        rf"|[\[<{{]\s*(?i:{_either(said['bracketed'])})(?!\w)"
        rf'|"\s*(?:[-?]+|(?i:{_either(said["alone"])}))\.?\s*"'
    )


def source_may_hold(source: str) -> bool:
    """Whether the file's JSON text may hold a placeholder (`_in_source`)."""
    return _in_source().search(source) is not None
