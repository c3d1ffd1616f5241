"""The sheet's own words, per language, read from the data files in `wording/`.

Everything the sheet prints that does not come from the protocol, the prescription or the
clinic: headings, the stop box's headings and what to do, dosage words, log labels. One JSON
file per language (`wording/<language>.json`): `words` maps a key to a `str.format` pattern
or, for words that take a count, a list of plural forms (one, other; Polish: one, few, many).
`reviewed` says whether a native speaker who is also a clinician has checked the wording
(machine-quality translations are marked false, and docs/sheets.md says so).

A language without a file is a clear error (`wording_for`), never a fallback to English: a
patient must be able to read every word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from protocol_kit.errors import UsageError
from protocol_kit.untrusted.text import quoted

# The languages the sheet is printed in, in the order they are listed to a user.
LANGUAGES = ("en", "fr", "es", "de", "pl", "el")


@dataclass(frozen=True)
class Wording:
    """One language's words."""

    language: str
    reviewed: bool
    words: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.words[key]

    def __contains__(self, key: object) -> bool:
        return key in self.words

    def __call__(self, key: str, **fields: Any) -> str:
        """The words of `key`, with `fields` filled in."""
        pattern = self.words[key]
        return pattern.format(**fields) if fields else pattern

    def plural(self, key: str, n: int) -> str:
        """The form of `key` for the count `n`, filled in."""
        forms = self.words[key]
        if isinstance(forms, str):
            return forms.format(n=n)
        if len(forms) == 3:  # Polish: 1; 2-4 except 12-14; everything else
            if n == 1:
                form = forms[0]
            elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
                form = forms[1]
            else:
                form = forms[2]
        else:
            form = forms[0] if n == 1 else forms[1]
        return form.format(n=n)


# A language tag as the configuration's `language` is checked (a language, then subtags of at
# most 8 letters or digits), of at most the 35 characters BCP 47 asks every reader to take.
# `--language "en-$RUNAWAY"` printed an English sheet, and `--language "de-$RUNAWAY"` gave an
# error line of 9,000 characters naming it three times (H474).
_TAG = re.compile(r"(?=.{2,35}\Z)[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", re.DOTALL)


def sheet_language(language: str) -> str:
    """The wording's language for a tag (`en-GB` -> `en`); UsageError if there is none."""
    if not _TAG.fullmatch(language):
        raise UsageError(f"{quoted(language)} is not a language tag such as en, fr or de-CH")
    primary = language.split("-", 1)[0].lower()
    if primary not in LANGUAGES:
        raise UsageError(
            f"no sheet wording for language {quoted(language)} (sheets can be printed in: "
            f"{', '.join(LANGUAGES)})"
        )
    return primary


def wording_for(language: str) -> Wording:
    """The sheet's words in `language` (a tag such as `de-CH`); UsageError without them."""
    return _load(sheet_language(language))


@functools.cache
def _load(language: str) -> Wording:
    from protocol_kit.package_data import read_json

    data = read_json(__package__, f"wording/{language}.json", kept=False)
    return Wording(language, bool(data["reviewed"]), data["words"])
