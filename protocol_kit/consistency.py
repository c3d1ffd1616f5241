"""Checks a schema cannot express but a valid file must pass: every patient-facing text is
present in every language the file declares, and nowhere in a language it does not declare."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import is_
from typing import Any

from protocol_kit.findings import Finding
from protocol_kit.model import Exercise, Protocol, Text, iter_exercise_texts, iter_protocol_texts

MISSING_TRANSLATION = "I18N001"
UNDECLARED_LANGUAGE = "I18N002"


def translation_findings(protocol: Protocol, memo: dict | None = None) -> list[Finding]:
    """Missing and undeclared languages in a protocol, library exercises included.

    Texts that live in a library file are reported once per exercise and language, at the
    protocol's reference to it, since that is where the protocol's languages are declared.
    Which of a library exercise's texts lack which language is worked out once per run for
    each library file, content and set of languages, in `memo` when one is given.
    """
    path = protocol.origin.path
    languages = protocol.languages
    declared = set(languages)
    # A library exercise's texts are its file's (`library.Library.exercise`, shared by every
    # protocol that uses it), located there, and reported below per exercise; the one text a
    # protocol can write into it is its dosage's intensity (a dosage override). Every other
    # text is written in the protocol: told by where it sits in the model, not by the file its
    # place names, which a part shared between files leaves empty (`shared_parts`).
    own, screening = _protocol_odd_texts(protocol, languages, declared)
    # Most texts have exactly the declared languages: nothing to report.
    texts = [protocol.title] if protocol.title.values.keys() != declared else []
    texts += own
    answers = _EXERCISES
    for exercise in protocol.exercises:
        if exercise.library is None:
            found = answers.get(id(exercise))
            if found is None or found[0] is not exercise or found[1] != languages:
                odd = [t for t in iter_exercise_texts(exercise) if t.values.keys() != declared]
                found = exercise, languages, odd
                if len(answers) >= _MOST_EXERCISES:
                    del answers[next(iter(answers))]  # the oldest
                answers[id(exercise)] = found
            texts += found[2]
        elif _intensity_written_here(exercise):
            intensity = exercise.dosage.intensity
            if intensity.values.keys() != declared:
                texts.append(intensity)
    # Screening questions are asked by the clinician, not printed on the sheet, but are
    # translated like every patient text.
    texts += screening
    findings: list[Finding] = []
    for text in texts:
        findings.extend(_text_findings(text, languages, path))
    for exercise in protocol.exercises:
        if exercise.library is not None:
            findings.extend(_library_findings(exercise, languages, path, memo))
    return findings


# Which texts of a part of a model lack a declared language or have another, by the part's
# identity (an exercise written in a protocol; a protocol's own part, by its first record).
# `validate` gives every file with the same section or exercise as an earlier one the same
# records (`shared_parts`), so that the answer holds for each such file: going through a
# protocol's texts again was most of the translation check (issue 17). An answer holds the
# records it is about, so that no other object can take their identity while it is kept (the
# records are frozen). Plain dictionaries, the oldest answer dropped when full: files whose
# parts all differ (a clinic's own) find nothing here, and asking must cost them next to
# nothing.
_PROTOCOL_PARTS: dict[int, tuple[tuple[Any, ...], tuple[str, ...], Any]] = {}
_EXERCISES: dict[int, tuple[Exercise, tuple[str, ...], list[Text]]] = {}
# As many as `shared_parts.SharedParts` keeps: the records an answer holds are mostly those
# its tables hold, and never more of them (files whose parts all differ: at most about 0.7 and
# 2.2 MB more, the tables' own ceilings).
_MOST_PROTOCOL_PARTS = 32
_MOST_EXERCISES = 160


def _protocol_odd_texts(
    protocol: Protocol, languages: tuple[str, ...], declared: set[str]
) -> tuple[list[Text], list[Text]]:
    """The texts of the protocol's own part (`iter_protocol_texts` but its title) and of its
    screening questions whose languages are not the declared ones, in reading order: the
    same records in every file with that part (`model.build_protocol`)."""
    part = (protocol.safety, protocol.summary, protocol.delivery, protocol.stages)
    part += (protocol.screening,)
    answers = _PROTOCOL_PARTS
    found = answers.get(id(part[0]))
    if found is not None and found[1] == languages and all(map(is_, found[0], part)):
        return found[2]
    texts = iter_protocol_texts(protocol)
    own = [t for t in texts[1:] if t.values.keys() != declared]  # the title: the caller
    questions = [q.question for q in protocol.screening if q.question.values.keys() != declared]
    if len(answers) >= _MOST_PROTOCOL_PARTS:
        del answers[next(iter(answers))]  # the oldest
    answers[id(part[0])] = part, languages, (own, questions)
    return own, questions


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
                f"no '{language}' version of this text; the file declares {_listed(languages)}",
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
            f"library exercise '{source.ref}' ({source.path}) has no '{language}' version of "
            f"{len(missing)} text{'s' * (len(missing) != 1)}: {shown}",
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
