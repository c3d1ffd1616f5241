"""Checks a schema cannot express but a valid file must pass: every patient-facing text is
present in every language the file declares, and nowhere in a language it does not declare."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import is_not

from protocol_kit.findings import Finding, shown_path
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.model import Exercise, Protocol, Text, iter_exercise_texts, iter_protocol_texts

if TYPE_CHECKING:
    from typing import Any

    from protocol_kit.shared_parts import SharedParts

MISSING_TRANSLATION = "I18N001"
UNDECLARED_LANGUAGE = "I18N002"


def translation_findings(
    protocol: Protocol, memo: dict | None = None, shared: SharedParts | None = None
) -> list[Finding]:
    """Missing and undeclared languages in a protocol, library exercises included.

    Texts that live in a library file are reported once per exercise and language, at the
    protocol's reference to it, since that is where the protocol's languages are declared.
    Which of a library exercise's texts lack which language is worked out once per run for
    each library file, content and set of languages, in `memo` when one is given. With
    `shared` (the parts `validate` shares between files, `shared_parts`), which texts of a
    kept shared part differ from the declared languages is worked out once, not for every
    file that holds the part (`_noted_differing`); the findings are the same, in the same
    order.
    """
    path = protocol.origin.path
    languages = protocol.languages
    declared = set(languages)
    differing = None if shared is None else _noted_differing(protocol, languages, declared, shared)
    if differing is None:
        # A library exercise's texts are its file's (`library.Library.exercise`, shared by
        # every protocol that uses it), located there, and reported below per exercise; the
        # one text a protocol can write into it is its dosage's intensity (a dosage
        # override). Every other text is written in the protocol: told by where it sits in
        # the model, not by the file its place names, which a part shared between files
        # leaves empty (`shared_parts`).
        texts = iter_protocol_texts(protocol)
        for exercise in protocol.exercises:
            if exercise.library is None:
                texts += iter_exercise_texts(exercise)
            elif _intensity_written_here(exercise):
                texts.append(exercise.dosage.intensity)
        # Screening questions are asked by the clinician, not printed on the sheet, but are
        # translated like every patient text.
        texts += [q.question for q in protocol.screening]
        # Most texts have exactly the declared languages: nothing to report.
        differing = [text for text in texts if text.values.keys() != declared]
    findings: list[Finding] = []
    for text in differing:
        findings.extend(_text_findings(text, languages, path))
    for exercise in protocol.exercises:
        if exercise.library is not None:
            findings.extend(_library_findings(exercise, languages, path, memo))
    return findings


def _noted_differing(
    protocol: Protocol, languages: tuple[str, ...], declared: set[str], shared: SharedParts
) -> list[Text] | None:
    """The texts `translation_findings` goes through whose languages are not the declared
    ones, in the same order, what a kept shared part holds asked of its table's notes
    (`shared_parts.PartTable.note`); None when the protocol's own part is not kept (a file
    whose parts no other file shares), which is then gone through text by text. A note keeps
    the languages it was worked out for, and the protocol's note the sections it was worked
    out from: a protocol whose sections are not all the noted ones (one made otherwise than
    from the part) is gone through text by text too."""

    def differ(texts: list[Text]) -> list[Text]:
        return [text for text in texts if text.values.keys() != declared]

    sections = _sections(protocol)
    noted = shared.protocols.note(
        protocol.safety,
        # Everything `iter_protocol_texts` lists but the title (each file's own), and the
        # screening questions, from the sections of the part.
        lambda: (
            languages,
            sections,
            differ(iter_protocol_texts(protocol)[1:]),
            differ([q.question for q in protocol.screening]),
        ),
    )
    if noted is None or noted[0] != languages or any(map(is_not, noted[1], sections)):
        return None
    differing = differ([protocol.title]) + noted[2]
    for exercise in protocol.exercises:
        if exercise.library is not None:
            if _intensity_written_here(exercise):
                differing += differ([exercise.dosage.intensity])
            continue
        found = shared.exercises.note(
            exercise, lambda e=exercise: (languages, differ(iter_exercise_texts(e)))
        )
        if found is None or found[0] != languages:
            differing += differ(iter_exercise_texts(exercise))
        else:
            differing += found[1]
    return differing + noted[3]


def _sections(protocol: Protocol) -> tuple[Any, ...]:
    """The sections of a protocol that hold its texts but its title, compared by identity."""
    return (
        protocol.summary,
        protocol.safety,
        protocol.delivery,
        protocol.stages,
        protocol.screening,
    )


def exercise_translation_findings(
    exercise: Exercise, language: str, translations: Iterable[str]
) -> list[Finding]:
    languages = (language, *translations)
    findings: list[Finding] = []
    for text in iter_exercise_texts(exercise):
        findings.extend(_text_findings(text, languages, text.origin.path))
    return findings


def _text_findings(text: Text, languages: tuple[str, ...], path: str) -> Iterator[Finding]:
    for language in languages:
        if language not in text.values:
            yield Finding(
                path,
                MISSING_TRANSLATION,
                f"no '{language}' version of this text: write it as one entry per language, "
                f"{_entries(languages)} (the file declares {_listed(languages)})",
                pointer=text.origin.pointer,
            )
    for language in text.values:
        if language not in languages:
            yield Finding(
                path,
                UNDECLARED_LANGUAGE,
                f"a '{language}' version is given but the file declares only {_listed(languages)}: "
                "add it to 'translations' or correct the tag",
                pointer=f"{text.origin.pointer}/{language}",
                at_key=True,
            )


def _entries(languages: tuple[str, ...]) -> str:
    """What a text in every declared language looks like: a therapist adding a second
    language met "no 'fr' version" without a word of how to write one (s23-users)."""
    return "{" + ", ".join(f'"{language}": "..."' for language in languages) + "}"


def _library_findings(
    exercise: Exercise, languages: tuple[str, ...], path: str, memo: dict | None
) -> Iterator[Finding]:
    source = exercise.library
    assert source is not None
    for language, missing in _library_gaps(exercise, languages, path, memo):
        shown = ", ".join(missing[:3]) + (
            f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        )
        yield Finding(
            path,
            MISSING_TRANSLATION,
            f"library exercise '{source.ref}' ({shown_path(source.path)}) has no '{language}' "
            f"version of {len(missing)} text{'s' * (len(missing) != 1)}: {shown}; write them in "
            f"that file (its \"translations\" names '{language}' too), where protokit validate "
            "lists each",
            pointer=source.entry.pointer,
        )


def _library_gaps(
    exercise: Exercise, languages: tuple[str, ...], path: str, memo: dict | None
) -> list[tuple[str, list[str]]]:
    """Each language the library file's texts of `exercise` lack, with their pointers in that
    file. Keyed by the file's content (`LibrarySource.content`), the languages and whether
    the intensity is the file's: the texts of one library file are the same objects in every
    protocol that uses it, but for a dosage override's intensity."""
    source = exercise.library
    assert source is not None
    intensity_written_here = _intensity_written_here(exercise)
    key = ("library-translations", source.content, languages, intensity_written_here)
    found = memo.get(key) if memo is not None else None
    if found is None:
        texts = iter_exercise_texts(exercise)
        if intensity_written_here:
            intensity = exercise.dosage.intensity  # by identity: another text may be equal
            texts = [t for t in texts if t is not intensity]
        found = []
        for language in languages:
            missing = [
                t.origin.pointer for t in texts if language not in t.values and not t.has(language)
            ]
            if missing:
                found.append((language, missing))
        if memo is not None:
            memo[key] = found
    return found


def _intensity_written_here(exercise: Exercise) -> bool:
    """Whether a library exercise's intensity is the protocol's (its dosage override gives
    one, `library._from_library`) rather than the library file's. Told by the override, not
    by the file the text's place names, which a part shared between files leaves empty."""
    source = exercise.library
    return source is not None and "intensity" in source.dosage_override


def _listed(languages: tuple[str, ...]) -> str:
    return ", ".join(f"'{language}'" for language in languages)
