"""Checks a schema cannot express but a valid file must pass: every patient-facing text is
present in every language the file declares, and nowhere in a language it does not declare."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from protocol_kit.findings import Finding
from protocol_kit.model import Exercise, Protocol, Text, iter_exercise_texts, iter_texts

MISSING_TRANSLATION = "I18N001"
UNDECLARED_LANGUAGE = "I18N002"


def translation_findings(protocol: Protocol) -> list[Finding]:
    """Missing and undeclared languages in a protocol, library exercises included.

    Texts that live in a library file are reported once per exercise and language, at the
    protocol's reference to it, since that is where the protocol's languages are declared.
    """
    path = protocol.origin.path
    languages = protocol.languages
    declared = set(languages)
    findings: list[Finding] = []
    # Screening questions are asked by the clinician, not printed on the sheet, but are
    # translated like every patient text.
    for text in (*iter_texts(protocol), *(q.question for q in protocol.screening)):
        # A text located in another file is a library exercise's: reported below, per
        # exercise. Most texts have exactly the declared languages: nothing to report.
        if text.origin.path == path and text.values.keys() != declared:
            findings.extend(_text_findings(text, languages, path))
    for exercise in protocol.exercises:
        if exercise.library is not None:
            findings.extend(_library_findings(exercise, languages, path))
    return findings


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
    exercise: Exercise, languages: tuple[str, ...], path: str
) -> Iterator[Finding]:
    source = exercise.library
    assert source is not None
    texts = [t for t in iter_exercise_texts(exercise) if t.origin.path != path]
    for language in languages:
        missing = [
            t.origin.pointer for t in texts if language not in t.values and not t.has(language)
        ]
        if missing:
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


def _listed(languages: tuple[str, ...]) -> str:
    return ", ".join(f"'{language}'" for language in languages)
