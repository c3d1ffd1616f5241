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
