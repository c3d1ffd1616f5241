"""The shared exercise library: finding library exercises and resolving protocol references.

A protocol names a library exercise by id (`{"ref": "glute-bridge"}`). The library is every
exercise file in a folder called `library` beside the protocol or in any folder above it, up to
the project root (the first folder holding `.git`, `pyproject.toml` or `protokit.toml`), plus any
folder given with `--library`. Each folder is read once per run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from protocol_kit.digests import blake2b
from protocol_kit.errors import InputError
from protocol_kit.findings import Finding, shown_path
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.loading import JsonProblem, Limits, iter_strings, load
from protocol_kit.model import (
    ANY_FILE,
    Exercise,
    LibrarySource,
    Origin,
    build_dosage,
    build_exercise,
    exercise_changed,
    exercise_in_file,
    merge_dosage,
    origin_at,
    shared_exercise,
)
from protocol_kit.record import Record, init
from protocol_kit.schemas import KIND_BY_NAME
from protocol_kit.shared_parts import SharedParts
from protocol_kit.suggestions import closest_name
from protocol_kit.untrusted.files import files_under, folders_upwards

if TYPE_CHECKING:
    from typing import Any

LIBRARY_FOLDER = "library"
PROJECT_MARKERS = (".git", "pyproject.toml", "protokit.toml")
UNKNOWN_EXERCISE = "REF001"
DUPLICATE_EXERCISE = "REF002"
BROKEN_LIBRARY_EXERCISE = "REF003"
EXERCISE_KIND = KIND_BY_NAME["exercise"]
_TWICE = (
    "{other} gives the same id, so which of the two is meant cannot be told; give each library "
    "exercise its own id"
)


class LibraryEntry(Record):
    """One library exercise file: its data when it is valid, else why it is not."""

    __slots__ = ("id", "path", "data", "problem", "digest", "where")
    id: str
    path: str
    data: dict[str, Any] | None
    problem: str | None
    # What the file holds, as a short digest: answers worked out about a library exercise
    # and kept for a run are keyed by it, not by its path alone, so that a file changed while
    # a process lives (the workbench) is never given its old answers (H212).
    digest: bytes
    # Where in the file the problem is, as `:line:column` after its name (or "").
    where: str

    def __init__(
        self,
        id: str,
        path: str,
        data: dict[str, Any] | None,
        problem: str | None = None,
        digest: bytes = b"",
        where: str = "",
    ) -> None:
        init(self, "id", id)
        init(self, "path", path)
        init(self, "data", data)
        init(self, "problem", problem)
        init(self, "digest", digest)
        init(self, "where", where)


class Library:
    """Library exercises by id, loaded lazily from each library folder once."""

    def __init__(
        self, checker: Any, limits: Limits = Limits(), extra_dirs: Iterable[Path] = ()
    ) -> None:
        self._checker = checker
        self._limits = limits
        # Each folder once, however often it is named (`--library`, the configuration's list:
        # 200,000 names of one folder were each resolved and searched, H1610).
        named = dict.fromkeys(Path(folder) for folder in extra_dirs)
        self._extra_dirs = tuple(dict.fromkeys(folder.resolve() for folder in named))
        self._folders: dict[Path, dict[str, LibraryEntry]] = {}
        self._dirs_near: dict[Path, tuple[Path, ...]] = {}
        self._resolved: dict[str, Path] = {}
        self._built: dict[str, Exercise] = {}
        self._provenance: dict[tuple[str, bytes], tuple[tuple[str, str], ...]] = {}
        # Answers about library exercises worked out once per run, keyed by what they depend
        # on, the file's content among it (`consistency.translation_findings`).
        self.answers: dict[Any, Any] = {}

    def dirs_near(self, document_path: str) -> tuple[Path, ...]:
        """Library folders that apply to a document: `--library` ones, then nearest first."""
        start = Path.cwd() if document_path == "-" else self._folder_of(document_path)
        cached = self._dirs_near.get(start)
        if cached is not None:
            return cached
        found = list(self._extra_dirs)
        for folder in folders_upwards(start):
            candidate = folder / LIBRARY_FOLDER
            if candidate.is_dir() and candidate not in found:
                found.append(candidate)
            if any((folder / marker).exists() for marker in PROJECT_MARKERS):
                break
        result = self._dirs_near[start] = tuple(found)
        return result

    def _folder_of(self, document_path: str) -> Path:
        """The real folder of a file, its symbolic links resolved. Resolving costs a system
        call per path component, so it is done once per folder, not once per file; a file
        that is itself a link is resolved on its own (its folder is that of its target)."""
        if os.path.islink(document_path):
            # realpath, not Path.resolve: a link in a loop (`a.json` -> `b.json` -> `a.json`)
            # is RuntimeError there before Python 3.13, and `build` stopped at it as an
            # internal error before a file was checked (H1673); its read says what it is.
            return Path(os.path.realpath(document_path)).parent
        # Joined, not normalised: `link/../x.json` must resolve the link before the `..`.
        folder = os.path.join(os.getcwd(), os.path.dirname(document_path))
        resolved = self._resolved.get(folder)
        if resolved is None:
            resolved = self._resolved[folder] = Path(folder).resolve()
        return resolved

    def exercise(self, entry: LibraryEntry) -> Exercise:
        """The model of a valid library exercise, built once per run: every protocol that
        refers to it shares its (frozen) texts, whose origins are in the library file."""
        exercise = self._built.get(entry.path)
        if exercise is None:
            assert entry.data is not None
            data = entry.data
            exercise = build_exercise(data, data["language"], Origin(entry.path))
            self._built[entry.path] = exercise
        return exercise

    def provenance(self, entry: LibraryEntry) -> tuple[tuple[str, str], ...]:
        """A valid library file's authors' and references' strings with their pointers
        (`LibrarySource.provenance`), found once per run: a clinic's files refer to the same
        few exercises thousands of times."""
        key = (entry.path, entry.digest)
        found = self._provenance.get(key)
        if found is None:
            data = entry.data
            assert data is not None
            texts = {key: data[key] for key in PROVENANCE_TEXTS if key in data}
            found = self._provenance[key] = tuple(iter_strings(texts))
        return found

    def lookup(
        self, exercise_id: str, document_path: str, dirs: tuple[Path, ...] | None = None
    ) -> LibraryEntry | None:
        """The entry for the id in the folders near the document (`dirs`, when the caller
        has them already: each reference of one file is looked up in the same folders)."""
        for folder in self.dirs_near(document_path) if dirs is None else dirs:
            entry = self._entries(folder).get(exercise_id)
            if entry is not None:
                return entry
        return None

    def ids_near(self, document_path: str) -> list[str]:
        """Every library exercise id a document can refer to."""
        return [i for folder in self.dirs_near(document_path) for i in self._entries(folder)]

    def folders_read(self) -> tuple[Path, ...]:
        """The library folders read so far (each is read once, when first needed)."""
        return tuple(self._folders)

    def _entries(self, folder: Path) -> dict[str, LibraryEntry]:
        entries = self._folders.get(folder)
        if entries is None:
            entries = self._folders[folder] = self._read_folder(folder)
        return entries

    def _read_folder(self, folder: Path) -> dict[str, LibraryEntry]:
        entries: dict[str, LibraryEntry] = {}
        twice: set[str] = set()
        # A library subfolder that cannot be read is an error (InputError), never skipped.
        for path in sorted(files_under(folder, ".json")):
            entry = self._read_entry(path)
            if entry is None:
                continue
            first = entries.get(entry.id)
            if first is None:
                entries[entry.id] = entry
            elif entry.id not in twice:
                # Two files of one folder with one id (a copy edited but not renamed): the
                # first by name was used without a word, whichever the author meant.
                twice.add(entry.id)
                entries[entry.id] = LibraryEntry(
                    entry.id, first.path, None, _TWICE.format(other=shown_path(entry.path))
                )
        return entries

    def _read_entry(self, path: Path) -> LibraryEntry | None:
        name = str(path)
        try:
            document = load(name, self._limits)
        except JsonProblem as problem:
            where = f":{problem.line}:{problem.column}" if problem.line else ""
            return LibraryEntry(path.stem, name, None, problem.message, where=where)
        except InputError as problem:
            # The finding names the file already, as the report shows it: the error's own
            # prefix named it a second time, by the absolute path the library folder was
            # searched by (H1274).
            reason = str(problem).removeprefix(f"{name}: ")
            return LibraryEntry(path.stem, name, None, reason)
        data = document.data
        if data.get("$schema") != EXERCISE_KIND.uri:
            return None  # not a library exercise; validated on its own if named
        exercise_id = data.get("id") if isinstance(data.get("id"), str) else path.stem
        if not self._checker.is_valid(EXERCISE_KIND, data):
            return LibraryEntry(exercise_id, name, None, "it does not pass its schema")
        digest = blake2b(document.text.encode("utf-8", "surrogatepass"), digest_size=16)
        return LibraryEntry(exercise_id, name, data, digest=digest.digest())


def _suggestion(ref: str, ids: list[str]) -> str:
    close = closest_name(ref, ids)
    return f": did you mean '{close}'?" if close else ""


def resolve_exercises(
    protocol: dict[str, Any], path: str, library: Library, shared: SharedParts | None = None
) -> tuple[tuple[Exercise, ...], list[Finding]]:
    """Build a schema-valid protocol's exercises, following library references.

    Returns the exercises that could be built and a finding for each reference that could not
    be resolved and each repeated exercise id. With `shared`, an exercise written in the
    protocol is the one built for an earlier file with the same one at the same place, but
    for its own place and images (`model.exercise_in_file`).
    """
    language = protocol["language"]
    exercises: list[Exercise] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    dirs: tuple[Path, ...] | None = None  # found at the first reference, for all of them
    # Each exercise as orjson writes it, when the schema check wrote them (`shared_parts`).
    writing = None if shared is None else shared.writing_of(protocol)
    # And each one's digest, which the exercises' part tables key them by.
    digests = None if shared is None else shared.digests_of(protocol)
    for index, entry in enumerate(protocol["exercises"]):
        written = None if writing is None else writing[1][index]
        digest = None if digests is None else digests[index]
        # The entry's place in this file is made only where it is used: a reference or an
        # exercise found in the part tables needs none (issue 17: two places a reference).
        pointer = f"/exercises/{index}"
        if "ref" in entry:
            if dirs is None:
                dirs = library.dirs_near(path)
            if shared is None:
                exercise = _from_library(
                    entry, origin_at(path, pointer), path, language, library, findings, dirs
                )
            else:
                exercise = _shared_from_library(
                    entry,
                    index,
                    pointer,
                    path,
                    language,
                    library,
                    findings,
                    dirs,
                    shared,
                    written,
                    digest,
                )
        elif shared is None:
            exercise = build_exercise(entry, language, origin_at(path, pointer))
        else:
            one = shared.exercises.part(
                ("exercise", index),
                language,
                entry,
                shared_exercise,
                entry,
                language,
                index,
                written=written,
                digest=digest,
            )
            exercise = exercise_in_file(one, entry, language, path, pointer)
        if exercise is None:
            continue
        if exercise.id in seen:
            findings.append(
                Finding(
                    path,
                    DUPLICATE_EXERCISE,
                    f"exercise id '{exercise.id}' is used twice in this protocol; give the second "
                    "one its own 'id'",
                    pointer=pointer,
                )
            )
        seen.add(exercise.id)
        exercises.append(exercise)
    return tuple(exercises), findings


def _shared_from_library(
    entry: dict[str, Any],
    index: int,
    pointer: str,
    path: str,
    language: str,
    library: Library,
    findings: list[Finding],
    folders: tuple[Path, ...],
    shared: SharedParts,
    written: bytes | None = None,
    digest: bytes | None = None,
) -> Exercise | None:
    """`_from_library`, the exercise shared by every file with the same reference at the same
    place to the same library file (its content): its reference entry and dosage override
    then name no file (`model.ANY_FILE`). A reference that cannot be used is reported for
    this file, as `_from_library` does. `pointer` is the entry's place in the file."""
    found = _usable_entry(entry, pointer, path, library, findings, folders)
    if found is None:
        return None
    return shared.references.part(
        ("ref", index, found.path, found.digest),
        language,
        entry,
        _shared_exercise_of_entry,
        found,
        entry,
        pointer,
        language,
        library,
        written=written,
        digest=digest,
    )


def _shared_exercise_of_entry(
    found: LibraryEntry, entry: dict[str, Any], pointer: str, language: str, library: Library
) -> Exercise:
    """`_exercise_of_entry` at `pointer` of no file (`model.ANY_FILE`): the place is made
    when the part is built, not for every file that finds it built."""
    return _exercise_of_entry(
        found, entry, origin_at(ANY_FILE, pointer), ANY_FILE, language, library
    )


def _from_library(
    entry: dict[str, Any],
    origin: Origin,
    path: str,
    language: str,
    library: Library,
    findings: list[Finding],
    folders: tuple[Path, ...],
) -> Exercise | None:
    found = _usable_entry(entry, origin.pointer, path, library, findings, folders)
    if found is None:
        return None
    return _exercise_of_entry(found, entry, origin, path, language, library)


def _usable_entry(
    entry: dict[str, Any],
    pointer: str,
    path: str,
    library: Library,
    findings: list[Finding],
    folders: tuple[Path, ...],
) -> LibraryEntry | None:
    """The library entry a reference (at `pointer` in the file) names, or None with a
    finding for this file when there is none or it cannot be used."""
    ref = entry["ref"]
    found = library.lookup(ref, path, folders)
    if found is None:
        searched = (
            ", ".join(shown_path(f) for f in folders) if folders else "no library folder found"
        )
        findings.append(
            Finding(
                path,
                UNKNOWN_EXERCISE,
                f"no library exercise with id '{ref}' (searched: {searched})"
                f"{_suggestion(ref, library.ids_near(path))}",
                pointer=f"{pointer}/ref",
            )
        )
        return None
    if found.data is None:
        findings.append(
            Finding(
                path,
                BROKEN_LIBRARY_EXERCISE,
                f"library exercise '{ref}' in {shown_path(found.path)}{found.where} cannot be "
                f"used: {found.problem}",
                pointer=f"{pointer}/ref",
            )
        )
        return None
    return found


# What of a library file a bundle keeps beside its exercise (`bundle.contents`' `x-library`):
# its authors and references. (`last_reviewed`, a date, holds no text.)
PROVENANCE_TEXTS = ("authors", "references")


def _exercise_of_entry(
    found: LibraryEntry,
    entry: dict[str, Any],
    origin: Origin,
    path: str,
    language: str,
    library: Library,
) -> Exercise:
    """The library's exercise (`found`, usable) with the reference's id, dosage and source."""
    data = found.data
    assert data is not None  # `_usable_entry` refused the others
    override = entry.get("dosage", {})
    source = LibrarySource(
        entry["ref"], found.path, data["version"], override, entry.get("note"), origin,
        found.digest, library.provenance(found),
    )  # fmt: skip
    shared = library.exercise(found)
    dosage = shared.dosage  # located in the library file
    if override:
        # The numbers come from the protocol. The intensity text stays the library's (its
        # language, its place) unless the protocol overrides it too, in its own language.
        merged = merge_dosage(data["dosage"], override)
        dosage = build_dosage(
            merged,
            language,
            origin_at(path, f"{origin.pointer}/dosage"),
            None if "intensity" in override else shared.dosage.intensity,
        )
    return exercise_changed(shared, id=entry.get("id", data["id"]), dosage=dosage, library=source)
