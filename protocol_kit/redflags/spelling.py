"""A red flag's words read as meant when misspelt ("If you nock your hed ..."): the
misspellings are data (`misspellings.json`, with why each is safe to read so and its sources);
this module reads them and gives the red-flag matcher a text with them put right, and where
each of its places was in the text as written. The sheet prints the text as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from protocol_kit.package_data import read_json
from protocol_kit.patterns import compiled


class Misspellings:
    """One language's misspellings: one search for all of them, and the word each means."""

    def __init__(self, entries: list[Mapping]) -> None:
        # Each entry is a group of one alternation, so a match says which entry it is.
        self.pattern = compiled(
            "|".join(
                f"\\b{_after(entry)}(?P<e{i}>{entry['written']})\\b"
                for i, entry in enumerate(entries)
            ),
            re.IGNORECASE,
        )
        # Each form's meaning with a pattern of the form: the search ignores case, which in
        # Unicode also matches "ſ" (long s) for "s" and "ı" (dotless i) for "i", so the form
        # found is matched as the search matched it, not looked up by its letters.
        self.meant = [
            meant
            if isinstance(meant, str)
            else [(compiled(form, re.IGNORECASE), word) for form, word in meant.items()]
            for meant in (entry["meant"] for entry in entries)
        ]

    def entry(self, found: re.Match[str]) -> str:
        """The group of the entry `found` is a match of ("e2")."""
        return next(name for name, value in found.groupdict().items() if value is not None)

    def word_meant(self, found: re.Match[str], group: str) -> str:
        meant = self.meant[int(group[1:])]
        if isinstance(meant, str):
            return meant
        written = found.group(group)
        return next((word for form, word in meant if form.fullmatch(written)), written)


def _after(entry: Mapping) -> str:
    """The words an entry is read after, kept as written (not a look-behind: they vary in
    length)."""
    return f"(?:{entry['after']})" if entry.get("after") else ""


@functools.lru_cache(maxsize=1)
def _misspellings() -> Mapping[str, tuple[Misspellings, ...]]:
    """Per language, the misspellings in two passes: single words first, then those read
    only after other words (`after`), which may be misspelt themselves ("nock you head")."""
    data = read_json(__name__.rpartition(".")[0], "misspellings.json")
    sources = data["sources"]
    found = {}
    for language, entries in data.items():
        if language in ("description", "sources"):
            continue
        for entry in entries:
            cited = entry.get("sources", ())
            if not cited or any(s not in sources for s in cited) or not entry.get("why"):
                raise ValueError(f"misspelling {entry.get('written')!r}: why or sources")
        passes = (
            [entry for entry in entries if not entry.get("after")],
            [entry for entry in entries if entry.get("after")],
        )
        found[language] = tuple(Misspellings(entries) for entries in passes if entries)
    return found


def as_meant(text: str, language: str) -> str:
    """`text` with the misspellings of `language` (its first part) put right; `text` itself
    when it has none (nearly every text)."""
    return as_meant_with_places(text, language)[0]


def as_meant_with_places(text: str, language: str) -> tuple[str, list[int] | None]:
    """`as_meant`, and for each place of its answer (and its end) the place in `text` it comes
    from (a word put right: all its places are the misspelling's start, the place after it
    the misspelling's end); None when nothing was put right."""
    places: list[int] | None = None
    for words in _misspellings().get(language.split("-")[0].lower(), ()):
        text, more = _put_right(text, words)
        if more is not None:
            places = more if places is None else [places[i] for i in more]
    return text, places


def _put_right(text: str, words: Misspellings) -> tuple[str, list[int] | None]:
    found = words.pattern.search(text)
    if found is None:
        return text, None
    parts: list[str] = []
    places: list[int] = []
    done = 0
    while found is not None:
        group = words.entry(found)
        start = found.start(group)
        parts.append(text[done:start])
        places.extend(range(done, start))
        meant = words.word_meant(found, group)
        parts.append(meant)
        places.extend([start] * len(meant))
        done = found.end(group)
        found = words.pattern.search(text, done)
    parts.append(text[done:])
    # The place after a word put right is the next part's first, so a sign ending with the
    # word ends where the misspelling ends.
    places.extend(range(done, len(text) + 1))
    return "".join(parts), places
