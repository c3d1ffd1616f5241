"""One escaping of untrusted text for every output.

A file name, a JSON key, a value or a publisher's name comes from someone else. Printed as it
is, a newline in it forges a second report line (`x.json:1:1: error ...` or `result: OK`), a
carriage return overwrites the line, an escape sequence recolours or clears the terminal, a
right-to-left override reverses what the reader sees, and a NUL or escape character makes an
XML report invalid. A byte of a file name that is not UTF-8 reaches Python as a lone surrogate,
which cannot even be encoded for output.

`printable` writes each such character as a visible escape (`\\n`, `\\x1b`, `\\u202e`, `\\xff`
for a byte of a file name that is not UTF-8), so that the result is one line of plain text that
shows what is there. Every reporter and every message built from untrusted text uses it; the
formats' own quoting (XML, GitHub's workflow commands, JSON) is applied after it.
"""

from __future__ import annotations

import re

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NOT_PRINTABLE = re.compile(r"[^\x20-\x7e]")


def _escape(character: str) -> str:
    if character.isprintable():
        return character
    short = _SHORT.get(character)
    if short:
        return short
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(value: object) -> str:
    """`value` as one line of visible text: control, format and separator characters and the
    bytes of a file name that is not UTF-8 written as escapes; everything else unchanged."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    return _NOT_PRINTABLE.sub(lambda match: _escape(match.group()), text)


_SURROGATE_BYTE = re.compile(r"(?<!\\)((?:\\\\)*)\\udc([89a-f][0-9a-f])")
ELLIPSIS = "..."
# How much of a value a message quotes: enough to recognise it, never a whole page of it (a
# 10,000-character "language" echoed into an error, a terminal or the workbench).
QUOTED_LIMIT = 60


def capped(text: str, limit: int, closing: str = "") -> str:
    """`text` as it is when it has at most `limit` characters, else cut with an ellipsis (and
    `closing`, the quote it was opened with) so that the result has `limit` characters. The
    one place every message shortens what it quotes from a file or a request."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(ELLIPSIS) - len(closing), 1)] + ELLIPSIS + closing


def quoted(value: object, limit: int = QUOTED_LIMIT) -> str:
    """A value from a file or a request quoted for a message, as Python writes it ('knee', 3,
    None), shortened to `limit` characters with an ellipsis inside the quotes, and one line
    of visible text whatever it holds."""
    text = repr(value)
    closing = text[-1] if isinstance(value, str) else ""
    if isinstance(value, str) and not value.isprintable():
        # `repr` writes a byte of a command-line argument or file name that is not UTF-8 as
        # the lone surrogate Python keeps it as ('\udcff'): written as the byte it is, as
        # `printable` writes it ('\xff'); an escaped backslash before it is left alone.
        text = _SURROGATE_BYTE.sub(r"\1\\x\2", text)
    return capped(printable(text), limit, closing)


def named(name: object, limit: int = 2 * QUOTED_LIMIT) -> str:
    """A file name from a request or an archive for a message: `printable`, and shortened
    with an ellipsis when longer than `limit` (a name the system refuses as too long is
    still said, not echoed whole)."""
    return capped(printable(name), limit)


def is_printable(value: str) -> bool:
    """Whether `printable` leaves `value` as it is."""
    return value.isprintable()


def shell_word(value: str) -> str | None:
    """`value` quoted as one word for a POSIX shell command the user is advised to paste, or
    None when it holds a character that no quoting makes safe to show in a command (a line
    break, an escape sequence): then the advice must not include it."""
    import shlex

    if not value.isprintable():
        return None
    return shlex.quote(value)


def advised_command(command: str, path: object) -> str:
    """`command` with `path` as its last word, to advise in a message ("run: ..."): the path
    quoted for the shell (a name holding `$(...)` would run when the advice is pasted), or a
    placeholder when no quoting makes it safe to show."""
    word = shell_word(str(path))
    return f"{command} {word if word is not None else 'FILE'}"


# What a code point without a Unicode name is, by its category, for messages that name it.
_UNNAMED = {
    "Cc": "a control character",
    "Co": "a private-use character",
    "Cn": "not a character: unassigned, or a noncharacter",
    "Cs": "half of a UTF-16 surrogate pair",
}


def character_name(character: str) -> str:
    """The Unicode name of `character`, or what it is when it has none: a private-use
    character (U+E000) or a noncharacter (U+FFFF) was called "a control character"."""
    import unicodedata

    return unicodedata.name(character, "") or _UNNAMED.get(
        unicodedata.category(character), "an unnamed character"
    )
