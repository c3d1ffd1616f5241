"""Regular expressions compiled once per Python build, not once per run.

Python's `re` turns a pattern into its matching engine's code in Python itself: for the
red-flag sets, the dosage words and the other patterns the lint rules search patient texts
with, that was about a fifth of the CPU of a one-file `protokit validate` (issue 17). The code
depends only on the pattern, its flags and the interpreter, so `compiled` keeps it in the
user's cache folder (`protocol_kit.cache.store`), in a file named after the interpreter's
version and engine, and later runs hand it straight to the engine (`_sre.compile`, which
checks it).

The cache is an optimisation only, and can never change a match: an entry is used only for
its exact pattern and flags under the exact interpreter that wrote it, the file carries a
digest of its entries and each entry one of its code (checked when the code is handed to
the engine), and anything unexpected (no file, a damaged, truncated or foreign one, a
damaged piece of code, an engine that refuses the code, an interpreter whose `re` works
differently) leaves `re.compile` to do the work. New patterns are added when the process
ends, written to a temporary file and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import atexit
import os
import re
import sys
from collections.abc import Iterator, Mapping
from zlib import crc32

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

# Entries written at most: patterns of earlier data files stop being carried forward then.
LIMIT = 2000
# The layout of the file below; a file of another layout is ignored. 2: each pattern's code
# kept as the bytes of its machine words (byte order in the label), unpacked when the pattern
# is used: unmarshalling every pattern's list of ints was half of reading the file. 3: the
# file checked by CRC-32 (`cache.stored_at`), under a name of its own, so that an earlier
# version in another environment, which reads the digest of format 2, keeps its own file.
# 4: each pattern's code after the entries, checked by a CRC-32 of its own when the pattern
# is handed to the engine (`_Cache.piece`); the file's check covers the entries alone.
_FORMAT = 4

try:
    import _sre
    from re import _compiler, _parser

    _ENGINE = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
    # Everything that could make two interpreters compile a pattern differently, in the file.
    _INTERPRETER = (
        f"{_FORMAT} {' '.join(sys.version.split())} {sys.hexversion} {_ENGINE} {sys.byteorder}"
    )
    # The code's words as unsigned ints of the engine's size, read without the array module.
    _WORDS = "I" if memoryview(bytes(8)).cast("I").itemsize == _sre.CODESIZE else ""
except (ImportError, AttributeError):  # pragma: no cover (an interpreter without them)
    _sre = None
    _ENGINE = _INTERPRETER = _WORDS = ""

Key = tuple[str, int]
# (pattern, flags) -> the engine's arguments after the pattern: its flags, code, number of
# groups, group names to numbers, and numbers to names. The code is a list of ints for the
# engine; in the file, the bytes of its words among the file's pieces, and in an entry read
# from it, where they are (`Where`) until the pattern is used.
Where = tuple[int, int, int]  # (offset, length, CRC-32) in the file's pieces
Entry = tuple[int, list[int] | bytes | Where, int, dict[str, int], tuple[str | None, ...]]
# A pattern of prose (keyed with `_AS_WRITTEN`) has one more element: the pattern as rewritten.


class _Cache:
    def __init__(self) -> None:
        self.entries: dict[Key, Entry] | None = None  # read on first use
        # The file's pieces: each entry's code, checked when the entry is used (`piece`).
        self.pieces = memoryview(b"")
        self.used: set[Key] = set()
        self.added = False
        self.pid = os.getpid()
        self.when_searched = False  # `hand_over_when_searched`

    def load(self) -> dict[Key, Entry]:
        if self.entries is None:
            self.entries = read() if _sre is not None else {}
        return self.entries

    def piece(self, where: Where) -> memoryview:
        """The code at `where` in the file's pieces, as written (its CRC-32): ValueError
        when that piece is damaged or cut short."""
        offset, length, check = where
        found = self.pieces[offset : offset + length]
        if offset < 0 or len(found) != length or crc32(found) != check:
            raise ValueError("a damaged piece of the patterns' cache file")
        return found


_CACHE = _Cache()


_VOCABULARY = "package_data/apostrophes.txt"
# Marks the vocabulary may not hold: each pattern writes the marks into its character classes
# as they are ("[{APOSTROPHES}]", here and in the rules), where these are the class's own
# syntax: "]" or "\\" made every pattern with an apostrophe read nothing, or refused to compile
# ("-" a range); and an ASCII letter or digit would be read as an apostrophe in every text.
_NOT_A_MARK = "\\[]^-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_HEX = "0123456789ABCDEFabcdef"


def _apostrophes() -> str:
    """The marks typed for an apostrophe, the ASCII one first: the vocabulary's data file
    (`package_data/apostrophes.txt`, one code point a line). Read as text, not JSON: `json`
    is imported through this module's cache (`lean_imports.json_module`). A file missing,
    unreadable or edited out of its shape is an error that names it (H1550), never a set
    of patterns that silently reads nothing."""
    from protocol_kit.package_data import read_text

    try:
        text = read_text("protocol_kit", _VOCABULARY)
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise _damaged(None, f"{reason}; reinstall protocol-kit") from None
    return marks_listed(text)


def marks_listed(text: str) -> str:
    """The marks of the apostrophes' vocabulary `text`: a line "U+XXXX NAME" a mark, lines
    starting with "#" and blank ones skipped; any other line, a code point that is no
    character one types, a mark twice, or the ASCII apostrophe not first is an error naming
    the line (H1550)."""
    marks: list[str] = []
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        written = line.strip()
        if not written or written.startswith("#"):
            continue
        digits = written.split()[0].removeprefix("U+")
        if digits == written.split()[0] or not 4 <= len(digits) <= 6 or digits.strip(_HEX):
            raise _damaged(number, f"{written[:40]!r} is not a mark (U+ and 4 to 6 hex digits)")
        value = int(digits, 16)
        mark = chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else ""
        if not mark.isprintable() or mark.isspace() or mark in _NOT_A_MARK:
            raise _damaged(number, f"U+{digits} is not a mark typed for an apostrophe")
        if mark in marks:
            raise _damaged(number, f"U+{digits} is listed twice")
        marks.append(mark)
    if marks[:1] != ["'"]:
        raise _damaged(None, "the first mark must be the ASCII apostrophe, U+0027")
    return "".join(marks)


def _damaged(line: int | None, said: str) -> Exception:
    from protocol_kit.errors import InputError, Place

    place = Place(f"protocol_kit/{_VOCABULARY}", line, 1 if line is not None else None)
    return InputError(f"{place}: {said} (the apostrophes' vocabulary)")


# The apostrophe as it is typed (the data file's marks). Every pattern of patient prose (the
# red flags, SAFE013's phrases, the negations: each compiled case-insensitively) writes the
# ASCII one, and read "can’t catch your breath" as nothing (H648), "can´t pass urine" (H1510).
APOSTROPHES = _apostrophes()
# `str.translate`'s table reading each way of typing an apostrophe as the ASCII one (a text
# compared with words written with it: `pattern_needs`, SAFE015's words, a prescription's note).
ONE_APOSTROPHE = str.maketrans(dict.fromkeys(APOSTROPHES[1:], "'"))


# An escape, or a whole class ("]" first in it, or after "^", is one of its members): the
# pieces of a pattern in which an apostrophe is not a plain character of the text. Compiled
# through `compiled` (its code from the cache) at the first pattern of prose.
_ESCAPE_OR_CLASS = r"(\\.|\[\^?\]?(?:\\.|[^\\\]])*\])"
_ANY_APOSTROPHE = f"[{APOSTROPHES}]"


def any_apostrophe(pattern: str) -> str:
    """`pattern` with each apostrophe it matches (`'` or `\\'`, in a class or not) matching
    every one of `APOSTROPHES`; `compiled` rewrites a prose pattern the cache does not hold
    yet: split in C, not read a character at a time (a twelfth of the time)."""
    if "'" not in pattern:
        return pattern
    pieces = compiled(_ESCAPE_OR_CLASS, re.DOTALL).split(pattern)
    for i in range(0, len(pieces), 2):  # the text between escapes and classes
        if "'" in pieces[i]:
            pieces[i] = pieces[i].replace("'", _ANY_APOSTROPHE)
    for i in range(1, len(pieces), 2):
        piece = pieces[i]
        if "'" in piece:
            pieces[i] = _ANY_APOSTROPHE if piece == "\\'" else piece.replace("'", APOSTROPHES)
    return "".join(pieces)


# The flags as plain ints: `int & re.RegexFlag` goes through the enum's own methods, about as
# costly as a cache look-up, for each of the five hundred patterns a run compiles.
_IGNORECASE = int(re.IGNORECASE)
_DEBUG = int(re.DEBUG)
# Not a flag of `re`: in a key, it marks a pattern of prose as written, before
# `any_apostrophe`, whose entry carries the pattern as rewritten (what the engine, and
# `pattern_needs`, read as the pattern) after the engine's arguments.
_AS_WRITTEN = 1 << 30


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, with the engine's code from the cache when it holds it.
    A case-insensitive pattern is one of prose: its apostrophe matches every way of typing one
    (`any_apostrophe`). Such a pattern is found in the cache as written, with its rewritten
    form: rewriting every prose pattern at every start was 5 % of a one-file run."""
    flags = int(flags)
    prose = flags & _IGNORECASE
    if _sre is None or flags & _DEBUG:
        return re.compile(any_apostrophe(pattern) if prose else pattern, flags)
    key = (pattern, flags | _AS_WRITTEN) if prose else (pattern, flags)
    entries = _CACHE.load()
    _CACHE.used.add(key)
    entry = entries.get(key)
    if entry is None:
        return _made(pattern, flags, key)
    if _CACHE.when_searched:
        return _Kept(pattern, flags, key, entry)  # type: ignore[return-value]
    return _from_entry(pattern, flags, key, entry)


def compiled_as_is(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)` as it is, with the engine's code from the cache when it
    holds it: for the few patterns that are not prose (no apostrophe rewriting: a
    case-insensitive pattern goes to `re.compile`), which code outside protocol-kit may be
    handed, so never a `_Kept`. `re.compile` compiled each of them in Python at every start
    (the strict parse's, the configuration's, about 0.1 ms each; issue 17)."""
    flags = int(flags)
    if _sre is None or not isinstance(pattern, str) or flags & (_DEBUG | _IGNORECASE):
        return re.compile(pattern, flags)
    key = (pattern, flags)  # as `compiled` keys a pattern that is not prose: the same code
    entries = _CACHE.load()
    _CACHE.used.add(key)
    entry = entries.get(key)
    if entry is None:
        return _made(pattern, flags, key)
    return _from_entry(pattern, flags, key, entry)


def load() -> None:
    """The cache file read now, if it is not yet, with the modules that read it: for
    `lean_imports.json_module`, which must not import them while `re` is a stand-in."""
    _CACHE.load()


def _from_entry(pattern: str, flags: int, key: Key, entry: Entry) -> re.Pattern[str]:
    """The pattern made from the cache's `entry` for it; compiled again (and the entry
    replaced) when the engine refuses that code."""
    try:
        return _sre.compile(entry[5] if flags & _IGNORECASE else pattern, *_unpacked(entry[:5]))
    except Exception:  # noqa: BLE001 (code the engine refuses: compiled again)
        _CACHE.load().pop(key, None)
        return _made(pattern, flags, key)


def hand_over_when_searched(few_files: bool) -> None:
    """Whether the patterns the cache holds are handed to the engine at their first search
    (`_Kept`) or at once, as real patterns (the default). Only `protokit validate` of a few
    files asks for `_Kept`: there the 6.7 million instructions saved at the start are 2 % of
    the run; over many files each search through a `_Kept` costs a dictionary look-up more
    (about 12,000 instructions a file on the copies corpus: a loss after some 560 files). And
    a `_Kept` is not an `re.Pattern` (code outside protocol-kit that checks the type refuses
    it: Hypothesis's `from_regex` did, in a test that met a cache file), so no other command
    and no library use of the patterns gets one. Decided before the rules' modules compile
    their patterns."""
    _CACHE.when_searched = few_files


def _made(pattern: str, flags: int, key: Key) -> re.Pattern[str]:
    """The pattern compiled by `re`'s own code, its code added to the cache."""
    prose = flags & _IGNORECASE
    written = any_apostrophe(pattern) if prose else pattern
    made = _compile(written, flags)
    if made is None:
        return re.compile(written, flags)
    _CACHE.load()[key] = (*made, written) if prose else made
    if not _CACHE.added:
        _CACHE.added = True
        atexit.register(_save)
    return _sre.compile(written, *made)


# What a compiled pattern is asked for; `_Kept` holds the real pattern's, once it has one.
_METHODS = (
    "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
    "groups", "groupindex",
)  # fmt: skip


class _Kept:
    """A pattern whose code the cache holds, handed to the engine when it is first searched
    with. A run loads every rule's patterns, but one file's texts are searched with about a
    third of them (the others' words are not in its texts: `pattern_needs`), and unpacking
    and handing the code of the other two thirds to the engine (about 400,000 words of it,
    the largest SAFE013's and SAFE012's phrase sets) was 5 to 7 % of a one-file `protokit
    validate` (issue 17). Its `pattern` and `flags` are the engine's (what `pattern_needs`
    reads) without it; anything else is the real pattern's, whose methods are then kept on
    this object, so that a later search costs what the pattern's own costs."""

    def __init__(self, written: str, flags: int, key: Key, entry: Entry) -> None:
        self._written = written  # as given to `compiled`
        self._asked = flags
        self._key = key
        self._entry = entry
        self.pattern: str = entry[5] if len(entry) > 5 else written  # type: ignore[misc]
        self.flags: int = entry[0]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or "_entry" not in self.__dict__:
            raise AttributeError(name)  # copy's and pickle's questions, before __init__
        real = self._real()
        for method in _METHODS:
            setattr(self, method, getattr(real, method))
        return getattr(real, name)

    def _real(self) -> re.Pattern[str]:
        real = self.__dict__.get("_pattern")
        if real is None:
            real = self._pattern = _from_entry(self._written, self._asked, self._key, self._entry)
        return real

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Kept):
            other = other._real()
        return self._real() == other

    def __hash__(self) -> int:
        return hash(self._real())

    def __repr__(self) -> str:
        return repr(self._real())

    def __copy__(self) -> _Kept:
        return self  # as a compiled pattern's copy is the pattern

    def __deepcopy__(self, memo: object) -> _Kept:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (compiled, (self._written, self._asked))


def _compile(pattern: str, flags: int) -> Entry | None:
    """The engine's arguments for `pattern`, as `re` works them out; None when this
    interpreter's `re` is not shaped as expected (then `re.compile` is used as it is)."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        state = parsed.state
        names = dict(state.groupdict)
        numbers: list[str | None] = [None] * state.groups
        for name, number in names.items():
            numbers[number] = name
        # Plain ints: the engine's opcodes are an int subclass, which marshal does not write.
        code = [int(word) for word in code]
        return (int(flags | state.flags), code, state.groups - 1, names, tuple(numbers))
    except re.error:
        raise
    except Exception:  # noqa: BLE001 (another interpreter's internals)
        return None


def _label() -> str:
    """The cache file's label: the interpreter's, and how prose patterns are rewritten (the
    apostrophes, `any_apostrophe`'s own code, `compiled`'s, which decides what is prose, and
    `_made`'s, which rewrites it), since their entries are found by the pattern as written: a
    change to the rewriting starts afresh. `compiled` was left out, so a change there (a
    second rewriting, another flag for prose) would have kept the code of the old patterns
    from a stale file (H684)."""
    import zlib

    check = 0
    for function in (any_apostrophe, compiled, _made):
        code = function.__code__
        how = repr((APOSTROPHES, _ESCAPE_OR_CLASS, code.co_consts, code.co_names)).encode()
        check = zlib.crc32(code.co_code + how, check)
    return f"{_INTERPRETER} prose-{check:08x}"


def cache_name() -> str:
    """The cache file's name: one per interpreter version and matching engine, and per
    layout, so that two protocol-kit versions of one interpreter (two projects' virtual
    environments) do not each throw the other's file away on every run."""
    return f"patterns-{_ENGINE}-{_FORMAT}.marshal"


def read() -> dict[Key, Entry]:
    """The entries of the cache file; empty when it is missing, damaged or was written by
    another interpreter. Each entry's code stays in the file's pieces (`_CACHE.pieces`)
    until the pattern is handed to the engine: checking the whole 1.2 MB file at every start
    was 4.6 million instructions of a one-file `protokit validate` (1.6 %, issue 17), which
    hands the engine the code of about a third of the patterns (`_Kept`)."""
    from protocol_kit.cache import stored_with_pieces

    found = stored_with_pieces(cache_name(), _label())
    if found is None or not isinstance(found[0], dict):
        return {}
    entries, _CACHE.pieces = found
    return entries


def write(entries: dict[Key, Entry]) -> None:
    from protocol_kit.cache import store_with_pieces

    pieces = bytearray()
    kept: dict[Key, Entry] = {}
    for key, entry in entries.items():
        try:
            code = _code_bytes(entry[1])
        except ValueError:  # a damaged piece of the file read: compiled again next time
            continue
        if isinstance(code, bytes):
            where = (len(pieces), len(code), crc32(code))
            pieces += code
            entry = (entry[0], where, *entry[2:])
        kept[key] = entry
    store_with_pieces(cache_name(), _label(), kept, bytes(pieces))


def _code_bytes(code: list[int] | bytes | Where) -> list[int] | bytes:
    """The code of an entry as the file keeps it: the bytes of its words (a list of ints
    when this interpreter's words cannot be read back without the array module)."""
    if isinstance(code, tuple):
        return bytes(_CACHE.piece(code))
    if not _WORDS or not isinstance(code, list):
        return code
    import array  # only when new patterns are written

    return array.array(_WORDS, code).tobytes()


def _unpacked(entry: Entry) -> Entry:
    """The entry as the engine takes it: its code as a list of ints."""
    code = entry[1]
    if isinstance(code, list):
        return entry
    if isinstance(code, tuple):
        code = _CACHE.piece(code)
    return (entry[0], memoryview(code).cast(_WORDS).tolist(), *entry[2:])


def _save() -> None:
    if os.getpid() != _CACHE.pid or _CACHE.entries is None:
        return  # a forked worker: the parent writes what it compiled
    entries: dict[Key, Any] = _CACHE.entries
    if len(entries) > LIMIT:
        entries = {key: entries[key] for key in _CACHE.used if key in entries}
    try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
        write(entries)
    except Exception:  # noqa: BLE001, S110 (nothing may reach the user from the cache)
        pass


class Compiled(Mapping[str, re.Pattern[str]]):
    """Patterns by name (a language), each `compiled` when it is first asked for: a data
    file's patterns that a run may never search with cost it nothing. The red-flag items'
    whole alternations, 23 patterns of the largest compiled code, are searched only by
    `Item.named_in` (the lint searches each alternative on its own), and unpacking and
    handing their code to the engine at every start was about 3 million instructions of a
    one-file `protokit validate` (issue 17). Asking which names there are compiles nothing."""

    __slots__ = ("_sources", "_flags", "_made")

    def __init__(self, sources: Mapping[str, str], flags: int = 0) -> None:
        self._sources = dict(sources)
        self._flags = flags
        self._made: dict[str, re.Pattern[str]] = {}

    def __getitem__(self, name: str) -> re.Pattern[str]:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = compiled(self._sources[name], self._flags)
        return made

    def __contains__(self, name: object) -> bool:
        return name in self._sources

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def __repr__(self) -> str:
        return f"Compiled({self._sources!r}, {self._flags!r})"


# The letters that `re.IGNORECASE` takes for an ASCII one although `str.lower` does not make
# them that letter: a pattern written "twice" matches "twıce" (dotless i), "ſets" (long s).
_IGNORECASE_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def folded(matched: str) -> str:
    """`matched`, a part of a text an IGNORECASE pattern matched, as the lower-case ASCII
    word the pattern spelt: what its value is looked up by. `str.lower` alone left "twıce"
    and "ſets" unknown, and a look-up by them failed (internal error)."""
    return matched.translate(_IGNORECASE_TWINS).lower()
