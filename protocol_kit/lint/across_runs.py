"""The lint's answers about a file's shared part and about each of its exercises, kept between
runs of `protokit validate` in the user's cache folder (issue 17, twenty-sixth sitting).

A run works out, for each shared part new to it (everything of a protocol but its id, title
and exercises), the answers of the rules about that part (`Linter._part_answers`), and for each
exercise new to it the answers of the rules about each exercise (`Linter._by_groups`); a run
over files checked before worked all of them out again, the first files' most of all (before
the workers start, while the other core waits). Here they are kept, as the schema verdicts
are (`validation.schema_verdicts`), in a file of the cache folder, and a later run finds them:
by one 16-byte digest of their question, held as sorted numbers (`digest_answers`, as the
whole files' answers below; thirty-third sitting: as a `cache.Recent`, a dictionary of
objects, they were held until a first run's end, about 150 bytes each, up to 16,384 of them).

What a kept answer depends on, and how each is in its key or in the file's label:

- The part: its digest as the schema check wrote it (`base.part_digest`: files with equal
  digests have equal parts). Only a part built by `validate`'s part tables from the data as
  written (its places name no file) is kept; any other is worked out as before.
- The exercise: its `base.exercise_key` (its entry as written, a library exercise's file by path
  and digest, the protocol's language) and its place in the file (`base.exercise_place`),
  with the part's digest (all that the rules' `around` may read of the rest of the protocol).
  A protocol's own override of a library exercise's dose or note is in its entry as written.
  An exercise keyed by itself (a model built by hand, `base.Same`) is not kept.
- The configuration: the enabled rules, their severities and options and the dose bounds
  (`LintSettings`), in every key, so that answers of two configurations live side by side.
- The working folder, in every key: messages name a library file relative to it
  (`findings.shown_path`).
- Not the day: no rule about a part or an exercise reads today's date (`Rule.protocol_part`,
  `Rule.exercise_part` forbid it; the rules that read it, GOV001 and GOV005, are about the
  whole file and never kept). It was in every key (twenty-sixth sitting), which made each
  day's first run work every answer out again (twenty-seventh sitting);
  `tests/lint/test_across_runs.py` gives a later day's run the kept answers and checks its
  findings are that day's, which fails for a kept rule that reads the date.
- The code and data that work the answers out: every module and data file of the package
  (`.py`, `.json`, `.toml`, `.txt`: red-flag families, vocabularies, translations...), by
  content (`cache.files_label`), with protokit's version, the interpreter's and those of the
  installed packages the rules read (the ICD lists, the pattern engine), in the file's label:
  a file written by another version or a changed data file is not read, and is replaced.

- The whole file (twenty-eighth sitting): the answers of every rule about it that reads
  nothing beyond it (all but `Rule.reads_beyond_the_file`'s), by its path as named, its text
  as written and each library exercise's file by path and digest (`_libraries`). A file
  checked before is then one look-up (`Linter.lint`), where its part's and exercises' answers
  and the rules about the whole file were some 225 look-ups and calls. They are kept in a
  file of their own (`_opened_files`), under the same label, so that a run over more files
  than it keeps never pushes the parts' and exercises' answers out; each is asked once a run,
  by its digest alone, so they are held as sorted numbers and answers read back only when
  found (`digest_answers`, thirty-first sitting): as a dictionary of objects they were what
  a 100,000-file run's largest process grew by most.

The findings of the rules that read beyond the file (today's date: GOV001, GOV005; git:
GOV004; the images it names: LINK001) are never kept: they are worked out for every file.

Only a run of `protokit validate` over more than one named file or over a folder keeps
answers (`Linter.expect`): a run of one named file does not import this module (the one-file
start-up bound, issue 17). The file is read at the first question that can be keyed: the
parts' digests are the schema check's writing, made once orjson is imported (a run of
`loading.QUICK_READ_AFTER` files or more), so a smaller run neither reads nor writes it. It
is bounded (`MOST` answers: the first a run adds, then the file's newest first), written
whole and renamed into place by each process that added answers, under the cache folder's
lock (`digest_answers.DigestAnswers`); a read-only, damaged or foreign file is not used, and
an answer of the wrong shape is worked out again (`_fits`).
"""

from __future__ import annotations

import marshal
import os

from protocol_kit.cache import UNKNOWN, ThisRunOnly, kept_answers, package_version
from protocol_kit.digests import blake2b
from protocol_kit.findings import LibraryPlace, place_fits
from protocol_kit.lint.code_state import READ, code_and_data_files, package_folder
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lint.base import (
    Problem,
    exercise_place,
    exercises_keys,
    part_answer,
    part_digest,
)
from protocol_kit.model import ANY_FILE, library_contents

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from protocol_kit.lint.base import Context
    from protocol_kit.lint.engine import LintSettings
    from protocol_kit.model import Protocol

_TITLE = "lint answers"
# 2: a problem's place in a library file (`in_library`) kept with it; 3: the value its
# message quotes (`quoted_value`); 4: the answers about whole files (`file_answers`); 5: those
# by their digest alone, as sorted numbers (`digest_answers`); 6: the parts' and exercises'
# answers likewise, their kind in the digest.
_FORMAT = 6
# Answers about parts and exercises kept in the file: the first a run adds (a run adds no more
# once it holds this many), then the file's, newest first. 10,000 copies of a clinic's files
# add about 3,700, 30,000 about 6,200 (docs/performance.md); each about 20 bytes in memory
# and in the file (its digest and its answer's index; each distinct answer once), so that
# however many files a run checks, it holds at most some 170 KB of them.
MOST = 8192
# The whole files' answers (`file_answers`), in a file of their own, so that a run over more
# files than it keeps never pushes the parts' and exercises' answers out: one a file. Held as
# sorted digests (`digest_answers`), about 20 bytes an answer, so that a run of 100,000 files
# checked before finds every one: with 16,384 (a dictionary of objects, about 200 bytes an
# answer) such a run linted five files in six again, and its largest process was 55 MB
# where this is 42 (thirty-first sitting, docs/performance.md). 2.6 MB when full.
_FILES_TITLE = "lint file answers"
MOST_FILES = 131072
_PART = b"p"
# What the part's digest is kept under in the part's table (`part_answer`).
_PART_DIGEST = "part-digest"
_EXERCISE = b"e"
# The part's answers when no rule finds anything (most): one object.
_NOTHING: Mapping[str, tuple[Problem, ...]] = {}
# `Problem`'s fields in the order `_plain` writes them; its place in a library file last.
_PROBLEM_FIELDS = Problem.__slots__
assert _PROBLEM_FIELDS[-1] == "in_library", _PROBLEM_FIELDS


class AcrossRuns:
    """The answers one `Linter` keeps between runs, read from the cache folder at the first
    question that can be keyed (`_kept`)."""

    def __init__(self, settings: LintSettings) -> None:
        self.settings = settings
        self.kept: Any = None  # a `DigestAnswers` (or `ThisRunOnly`) once read
        self.files: Any = None  # the whole files' answers, likewise (`_kept_files`)
        self.salt = b""

    def _kept(self) -> Any:
        if self.kept is None:
            self._salted()
            self.kept = _opened()
        return self.kept

    def _kept_files(self) -> Any:
        if self.files is None:
            # The salt alone: not the parts' and exercises' answers, which a run whose every
            # file was checked before never asks (their file's label is the package's code
            # and data read whole, in every process).
            self._salted()
            self.files = _opened_files()
        return self.files

    def _salted(self) -> None:
        if not self.salt:
            self.salt = _salt(self.settings)

    def _key(self, key: tuple) -> bytes:
        """`key` (a kind and what the answer depends on in the file) with the configuration
        and working folder (`salt`), as one 16-byte digest (`digest_answers`). The kind
        comes first, one byte, before the salt: a part's and an exercise's questions are
        never written alike."""
        kind, *rest = key
        return blake2b(kind + self.salt + marshal.dumps(tuple(rest), 2), digest_size=16).digest()

    def part_answers(
        self,
        digest: bytes,
        context: Context,
        compute: Callable[..., Mapping[str, tuple[Problem, ...]]],
        *args: Any,
    ) -> Mapping[str, tuple[Problem, ...]]:
        """`compute(*args)`, the answers of the rules about the part of digest `digest`: kept."""
        kept = self._kept()
        key = self._key((_PART, digest))
        found = kept.get(key)
        if found is not UNKNOWN:
            return {code: _problems(plain) for code, plain in found.items()} or _NOTHING
        answers = compute(*args)
        kept.add(key, {code: _plain(problems) for code, problems in answers.items()})
        return answers

    def file_answers(
        self,
        protocol: Protocol,
        source: str,
        compute: Callable[..., Mapping[str, tuple[Problem, ...]]],
        *args: Any,
    ) -> Mapping[str, tuple[Problem, ...]] | None:
        """`compute(*args)`, the answers of the rules about the file that read nothing
        beyond it (all but `Rule.reads_beyond_the_file`'s), by code: kept with the file as
        written (`source`), or None when it cannot be keyed."""
        libraries = _libraries(protocol)
        if libraries is None:
            return None
        kept = self._kept_files()
        # As `_key` makes it, with the text digested as it is, not first written by marshal
        # (a copy of the whole text, a third of what keying a file cost).
        digest = blake2b(
            self.salt + marshal.dumps((protocol.origin.path, libraries), 2), digest_size=16
        )
        digest.update(source.encode("utf-8", "surrogatepass"))
        key = digest.digest()
        found = kept.get(key)
        if found is not UNKNOWN:
            return {code: _problems(plain) for code, plain in found.items()} if found else _NOTHING
        answers = compute(*args)
        kept.add(key, {code: _plain(problems) for code, problems in answers.items()} or ())
        return answers

    def exercise_answers(
        self,
        protocol: Protocol,
        context: Context,
        index: int,
        compute: Callable[..., tuple[tuple[str, ...], tuple[Problem, ...]]],
        *args: Any,
    ) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
        """`compute(*args)`, the answers of the rules about the protocol's exercise at `index`,
        at its place, and each one's code: kept when the exercise and its part can be keyed."""
        found_key = _exercise_key(protocol, context, index)
        if found_key is None:
            return compute(*args)
        kept = self._kept()
        key = self._key(found_key)
        found = kept.get(key)
        if found is not UNKNOWN:
            return (found[0], _problems(found[1])) if found else ((), ())
        codes, problems = compute(*args)
        kept.add(key, (codes, _plain(problems)) if problems else ())
        return codes, problems


def shared_part(protocol: Protocol) -> bool:
    """Whether the protocol's shared part was built by `validate`'s part tables (its places
    name no file), from the data as written alone (`Linter._part_answers_of`)."""
    return protocol.safety.pain_guide.origin.path == ANY_FILE


def _exercise_key(protocol: Protocol, context: Context, index: int) -> tuple | None:
    if not shared_part(protocol):
        return None
    # Kept with the part (`part_answer`): a part's writing is digested once, not for each
    # exercise new to the run (a third of what keeping answers cost a run that kept none).
    digest = part_answer(protocol, context, _PART_DIGEST, part_digest, context)
    if digest is None:
        return None
    key = exercises_keys(protocol, context)[index]
    if type(key) is not tuple:  # keyed by itself: nothing to find it by in another run
        return None
    return (_EXERCISE, digest, key, exercise_place(protocol.exercises[index]))


def _libraries(protocol: Protocol) -> tuple[tuple[str, bytes], ...] | None:
    """What the answers about a whole file depend on besides its path as named, its text as
    written and the run's (`_salt`): each library exercise's file by path and digest (the
    library folder it is found in depends on where the file is, the exercise on that file's
    text). None for a protocol not built from its file's data alone (`shared_part`) or a
    library exercise read without its file's digest: its answers are not kept."""
    if not shared_part(protocol):
        return None
    return library_contents(protocol)


def _plain(problems: tuple[Problem, ...]) -> tuple[tuple, ...]:
    """Each problem as marshal writes it: every field of `Problem`, its place in a library
    file (`in_library`, a `LibraryPlace`) as the tuple of that place's fields. A field left
    out here would be lost on every run given the kept answer (`_problems`), so the shape is
    read from the classes' own fields, and `_fitting` checks it against them."""
    return tuple(
        tuple(getattr(p, field) for field in _PROBLEM_FIELDS[:-1])
        + (None if p.in_library is None else tuple(p.in_library.__getstate__()),)
        for p in problems
    )


def _problems(plain: tuple[tuple, ...]) -> tuple[Problem, ...]:
    return tuple(
        Problem(*each[:-1], None if each[-1] is None else LibraryPlace(*each[-1])) for each in plain
    )


def _salt(settings: LintSettings) -> bytes:
    """What every kept answer of this run depends on besides its file: the configuration
    and the working folder."""
    configuration = repr(
        (
            settings.select,
            settings.ignore,
            sorted(settings.severity.items()),
            sorted((code, sorted(values.items())) for code, values in settings.options.items()),
            settings.bounds,
        )
    )
    return repr((configuration, os.getcwd())).encode()


def _opened() -> Any:
    """The kept answers about parts and exercises (`_opened_as`): held as sorted numbers
    (`digest_answers`), as the whole files' are."""
    from protocol_kit.lint.digest_answers import DigestAnswers

    return _opened_as(_TITLE, MOST, _fits, DigestAnswers)


def _opened_files() -> Any:
    """The kept answers about whole files (`_opened_as`): each asked once a run, by its
    digest, held as sorted numbers (`digest_answers`)."""
    from protocol_kit.lint.digest_answers import DigestAnswers

    return _opened_as(_FILES_TITLE, MOST_FILES, _file_fits, DigestAnswers)


def _opened_as(
    title: str, most: int, fits: Callable[[Any], bool], keeper: Callable[..., Any] | None = None
) -> Any:
    """Kept answers, in a file labelled with the package's code and data and the versions
    of what the rules read; for this run only when they cannot be read."""
    package = _package()
    try:
        versions = " ".join(package_version(name, module) for name, module in READ)
    except Exception:  # noqa: BLE001 (a version that cannot be told: nothing is kept)
        return ThisRunOnly()
    from protocol_kit import __version__

    return kept_answers(
        title,
        _FORMAT,
        package,
        _files(package),
        most=most,
        extra=f"{__version__} {versions}",
        fits=fits,
        keeper=keeper,
    )


# The package's folder and its code and data files (`lint.code_state`), by the names this
# module's tests replace.
_package = package_folder
_files = code_and_data_files


def _fits(answer: Any) -> bool:
    """Whether a kept answer has the shape this module writes (H588: a file written by hand
    or restored from another build is not trusted to)."""
    if type(answer) is dict:
        return all(type(code) is str and _fitting(plain) for code, plain in answer.items())
    if answer == ():
        return True
    if type(answer) is not tuple or len(answer) != 2:
        return False
    codes, plain = answer
    return (
        type(codes) is tuple
        and all(type(code) is str for code in codes)
        and _fitting(plain)
        and len(codes) == len(plain)
    )


def _file_fits(answer: Any) -> bool:
    """Whether a kept answer about a whole file has the shape `file_answers` writes."""
    return answer == () or (type(answer) is dict and _fits(answer))


def _fitting(plain: Any) -> bool:
    return type(plain) is tuple and all(
        type(each) is tuple
        and len(each) == len(_PROBLEM_FIELDS)
        and type(each[0]) is str
        and type(each[1]) is str
        and type(each[2]) is bool
        and (each[3] is None or type(each[3]) is str)
        and (each[4] is None or type(each[4]) is str)
        and (each[5] is None or place_fits(each[5]))
        for each in plain
    )
