"""A text as a patient reads it through the marks inside its words: "ch–est pain", "Ignóre".

A patient reads "ch–est pain" (an en dash inside the word), "ch·est pain" or "Ig*nore the
pain" as the words they break, and in an English text "Ignóre the pain", "go to A&E in the
mórning" as the words without their accents; every check read them as words it does not know,
and the texts passed (H703, H704). So the checks read a text again in its *plain reading*:
without the marks that break a word (`BREAKING`, between two letters), and, for an English
text, without its accents (`untrusted.accents`). A text whose plain reading says something
the text as written does not is TEXT004's error.

Two readings, because a hyphen, a full stop, a slash and an apostrophe are part of ordinary
words ("warm-up", "e.g.", "111.nhs.uk", "knee/hip", "don't"): taken away, a word the rules
read ("don't", "A&E") could be lost. The red flags are read in the *loose* reading, with those
taken away as well ("ch-est pain", "ch.est pain"): a search of one pattern set per text, and
a word lost there only names fewer red flags. Every other safety rule is run again only on
the plain reading without them, which few texts have (`lint.rules._plain_reading`).
"""

from __future__ import annotations

from protocol_kit.patterns import APOSTROPHES, compiled

# Marks that no word of a patient text carries between two of its letters, and that a reader
# reads through: dashes other than the hyphen-minus (U+2010 to U+2015, the minus sign, the
# small and full-width hyphen-minus), dots in the middle of the line and bullets, the
# ellipsis ("G…P": H778), the asterisk, underscore, tilde, vertical bar, caret and double
# quotes. Not the apostrophes ("don't", and the backtick typed for one, "can`t": H1510;
# `patterns.APOSTROPHES` are read as letters), the ampersand ("A&E"), the slash
# ("knee/hip"), the full stop ("e.g.", a web address) or the hyphen-minus.
BREAKING = (
    "\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
    "\u00b7\u2022\u2027\u2219\u22c5\u2043\u30fb\u2026"
    '\u0387*_~|^"\u201c\u201d\u201e'
)
# The loose reading's marks besides: the hyphen-minus, full stop, slash and apostrophes; an
# apostrophe that ends a contraction or a possessive ("don't", "patient's", "you're") is the
# word's own, and is kept.
_LOOSE_MARKS = f"\\-./{APOSTROPHES}"
_LOOSE_MARK = f"(?:[{BREAKING}\\-./]|[{APOSTROPHES}](?!(?:s|t|re|ll|ve|d|m)\\b))"
_BREAK = compiled(f"(?<=[^\\W\\d_])[{BREAKING}]+(?=[^\\W\\d_])")
_LOOSE_BREAK = compiled(f"(?<=[^\\W\\d_]){_LOOSE_MARK}+(?=[^\\W\\d_])")
# Whether a text may hold a mark only the loose reading takes away: the mark first, so that
# the search skips to it (a letter first is tried at every character: 2.6 µs a text, not 0.3).
_ANY_LOOSE = compiled(f"[{_LOOSE_MARKS}](?<=[^\\W\\d_].)(?=[^\\W\\d_])")
# Whether a text may hold one: a quick look before the search with its look-behind.
_ANY_BREAK = compiled(f"[{BREAKING}]")
# A full stop, or a full stop and a space, between two single capitals ("G.P.", "G. P.",
# "A.E."): an abbreviation the patient reads as the word without them ("call 999 or see your
# G.P." is "GP" to a reader, and passed the red flags' routing, which knows "GP": H758; "G. P."
# the same: H778). Other full stops are kept: "e.g.", "111.nhs.uk", a sentence's end ("Plan
# B. Then"). The full stop first, so that the search skips to it.
_CAPITALS_DOT = compiled(r"\.(?<=\b[A-Z]\.) ?(?=[A-Z]\b)")
# "G P" is "GP" to a reader too, and passed the routing the same way (H778). Only this
# abbreviation, the one the routing's lower words hang on: a space between any two single
# capitals, searched in every text, cost 3 to 8 times the full stop's search (issue 17); a
# text without "G " (nearly every one) is not searched at all (`plain_reading`).
_SPACED_GP = compiled(r"\bG (?=P\b)")


# What a text that fails a check in its plain reading is told to do (protocols' TEXT004 and
# prescriptions' notes alike).
RETYPE = (
    "type those words again without accents (an English text spells them without) and "
    "without marks inside a word"
)


# A Latin letter with an accent (Latin-1 Supplement to Latin Extended-B, Latin Extended
# Additional) or a combining mark: a text without one has no accent to take away.
_ACCENTED = compiled("[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")


def has_accent(text: str) -> bool:
    """Whether `text` holds a Latin letter with an accent or a combining mark."""
    return _ACCENTED.search(text) is not None


def without_accents(text: str) -> str:
    """`text` with the combining marks of its letters taken away ("chést" -> "chest")."""
    import unicodedata  # only for a text with an accent (a start-up's milliseconds)

    split = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in split if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


def may_break_words(text: str) -> bool:
    """False when no mark of `BREAKING` is in `text` (True: read it again)."""
    return _ANY_BREAK.search(text) is not None


def may_break_words_loosely(text: str) -> bool:
    """False when the loose reading of `text` is certainly `text` itself, but for a mark of
    `BREAKING` (`may_break_words`)."""
    found = _ANY_LOOSE.search(text)
    while found is not None:
        if _LOOSE_BREAK.match(text, found.start()):
            return True
        found = _ANY_LOOSE.search(text, found.end())
    return False


def plain_reading(text: str, language: str, loose: bool = False) -> str:
    """`text` without the marks that break its words between two letters (`loose`: the
    hyphen-minus, full stop, slash and apostrophes too; otherwise the full stops between
    single capitals, "G.P.", "G. P.", and the space of "G P"), and without its accents when it is
    English; `text` itself when there is nothing to take away."""
    plain = text
    if may_break_words(text) or (loose and may_break_words_loosely(text)):
        plain = (_LOOSE_BREAK if loose else _BREAK).sub("", text)
    if not loose and _CAPITALS_DOT.search(plain) is not None:  # the loose reading took them
        plain = _CAPITALS_DOT.sub("", plain)
    if not loose and "G " in plain:
        plain = _SPACED_GP.sub("G", plain)
    if not plain.isascii() and language.split("-")[0].lower() == "en" and has_accent(plain):
        plain = without_accents(plain)
    return plain


def broken_words(text: str, loose: bool = False) -> list[str]:
    """The words of `text` broken by such a mark, in order, each once ("ch–est")."""
    pattern = _LOOSE_BREAK if loose else _BREAK
    words: list[str] = []
    for found in _WORD_WITH_BREAKS.finditer(text):
        word = found.group()
        if pattern.search(word) and word not in words:
            words.append(word)
    return words


# A word with the marks inside it ("ch–est", "Ig*nore"), found only from its first letter:
# tried from every letter of a long word without a mark, the search took each one to the
# word's end and back, seconds for one long text (H768); from within a word it finds
# nothing that it would not have found from the word's start.
_WORD_WITH_BREAKS = compiled(
    "(?<![^\\W\\d_])(?<![\u0300-\u036f])"
    f"(?:[^\\W\\d_]|[\u0300-\u036f])+(?:{_LOOSE_MARK}+(?:[^\\W\\d_]|[\u0300-\u036f])+)+"
)
