"""Publisher names compared as people read them.

A bundle names its publisher in free text, and the trust file says which key belongs to which
name. A forger who holds any trusted key (or none) can write another clinic's name so that it
looks the same to a person and differs to a program: in another Unicode normal form (an "é" as
"e" plus a combining accent), with a zero-width space or another invisible character inside, or
with a letter from another script that looks the same (Cyrillic "о" for Latin "o"). So:

- names are compared after NFKC normalisation, case folding and collapsing of spaces
  (`same_name`);
- a name that holds an invisible, control or format character, or that mixes letters of
  scripts that are not written together, is refused outright (`name_problem`): no real clinic
  needs one;
- a name that is not the same as a trusted name but looks like it, letter for letter
  (`looks_like`, from Unicode's confusable characters), is treated as a claim to that name.

The script and confusable data come from Unicode's tables as packaged by confusable-homoglyphs.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from protocol_kit.untrusted.text import character_name, printable

# Scripts that are written together in one name (Japanese mixes kanji and kana; Korean may mix
# hanja and hangul). "COMMON" (digits, punctuation) and "INHERITED" (combining marks) go with
# any script.
_WRITTEN_TOGETHER = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HAN", "HANGUL"}),
)
_ANY_SCRIPT = {"COMMON", "INHERITED"}
# Characters that are not seen: controls, format characters (zero-width space and joiners,
# direction overrides, the byte order mark, soft hyphen), line separators, unassigned and
# private-use code points, surrogates.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"}


def comparable(name: str) -> str:
    """The form in which two names are compared: NFKC, case-folded, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def same_name(one: str, other: str) -> bool:
    return comparable(one) == comparable(other)


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a publisher's name, or None."""
    if not comparable(name):
        return "is empty"
    hidden = [c for c in name if unicodedata.category(c) in _INVISIBLE_CATEGORIES]
    if hidden:
        shown = ", ".join(f"U+{ord(c):04X} {character_name(c)}" for c in hidden[:3])
        return f"holds a character that cannot be seen ({shown})"
    scripts = _scripts(unicodedata.normalize("NFKC", name))
    if len(scripts) > 1 and not any(scripts <= group for group in _WRITTEN_TOGETHER):
        return (
            f"mixes letters of different scripts ({' and '.join(sorted(scripts))}), as a name "
            "made to look like another would"
        )
    return None


def check_own_name(name: str, what: str = "the publisher's name") -> None:
    """UsageError for a name this clinic gives itself that receiving clinics would refuse."""
    from protocol_kit.errors import UsageError

    problem = name_problem(name)
    if problem is not None:
        raise UsageError(
            f"{what} {described(name)} {problem}: clinics that receive it would refuse it as "
            "a possible forgery; type the name again"
        )


def looks_like(one: str, other: str) -> bool:
    """Whether two names that are not the same read the same, letter for letter."""
    return not same_name(one, other) and _skeleton(comparable(one)) == _skeleton(comparable(other))


def described(name: str) -> str:
    """A name for a message: quoted, with anything unprintable escaped."""
    return f'"{printable(name)}"'


def _scripts(text: str) -> set[str]:
    from confusable_homoglyphs import categories

    found = set()
    for character in text:
        if unicodedata.category(character).startswith("L"):
            found.add(categories.alias(character))
    return found - _ANY_SCRIPT


@lru_cache(maxsize=4096)
def _prototype(character: str) -> str:
    """The Latin letter a character is confused with, or the character itself."""
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(character, preferred_aliases=["latin"], greedy=True)
    if found:
        for glyph in found[0]["homoglyphs"]:
            if glyph["c"].isascii():
                return glyph["c"].casefold()
    return character


def _skeleton(text: str) -> str:
    return "".join(_prototype(c) if not c.isascii() else c for c in text)
