from __future__ import annotations

import functools
import os
from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    exercise_pointer,
    in_library,
    library_place,
    remembered,
)
from protocol_kit.lint.rules._red_flags import own_routed_key
from protocol_kit.model import Exercise, Protocol, Text, iter_exercise_texts, lookup
from protocol_kit.record import Record, init


class Passage(Record):
    """Texts a patient reads together, measured as one."""

    __slots__ = ("label", "pointer", "texts", "exercise")
    label: str
    pointer: str
    texts: tuple[Text, ...]
    exercise: Exercise | None  # an exercise's passage: its texts are the exercise's

    def __init__(
        self,
        label: str,
        pointer: str,
        texts: tuple[Text, ...] = (),
        exercise: Exercise | None = None,
    ) -> None:
        init(self, "label", label)
        init(self, "pointer", pointer)
        init(self, "texts", texts)
        init(self, "exercise", exercise)

    def all_texts(self) -> tuple[Text, ...]:
        exercise = self.exercise
        if exercise is None:
            return self.texts
        return tuple(t for t in iter_exercise_texts(exercise) if t is not exercise.name)


def _exercise_passage(exercise: Exercise) -> Passage:
    return Passage(f"exercise '{exercise.id}'", exercise_pointer(exercise), exercise=exercise)


def _protocol_passages(protocol: Protocol) -> Iterator[Passage]:
    safety = protocol.safety
    yield Passage(
        "the safety information",
        "/safety",
        (
            *(flag.text for flag in safety.red_flags),
            *safety.stop_criteria,
            safety.pain_guide.green,
            safety.pain_guide.amber,
            safety.pain_guide.red,
            *safety.general_advice,
            *(p.patient_advice for p in safety.precautions if p.patient_advice),
        ),
    )
    delivery = protocol.delivery
    yield Passage(
        "the programme's summary and education",
        "/summary",
        (
            protocol.summary,
            *delivery.education,
            *(t for t in (delivery.warm_up, delivery.cool_down) if t),
        ),
    )


def _as_sentence(value: str) -> str:
    value = value.strip()
    return value if value[-1:] in ".!?:;" else value + "."


class ReadingLevel(Rule):
    """Patient text that is harder to read than patient-education guidance recommends.

    Patient-education guidance (for example the US NIH and AMA) recommends writing for a
    reading level of about school grade 6 to 8; a patient who cannot follow the text cannot
    follow the programme safely. The Flesch-Kincaid grade is measured with the `textstat`
    library.

    Readability formulas are noisy on short fragments (one short step can score grade 0 or
    grade 14), so the texts are measured by passage, the way a patient reads them: each
    exercise (purpose, position, steps, cues, mistakes, intensity, progression), the safety
    information, and the summary with the education. A passage with fewer than `min_words`
    words (default 40) is not measured. Only English texts are measured: the formula is for
    English. The limit is the `max_grade` option (default 8).

    Bad:

        "purpose": "Facilitates neuromuscular re-education of the lumbopelvic stabilisation
                    musculature, ameliorating intervertebral loading during functional tasks."

    Good:

        "purpose": "Wakes up the deep muscles that support your lower back, so everyday
                    movements put less strain on it."
    """

    code = "TEXT001"
    name = "reading-level"
    default_severity = Severity.WARNING
    exercise_rule = True
    summary = "a passage of patient text reads above the max_grade school grade"
    options = {"max_grade": 8.0, "min_words": 40}

    # Of an exercise, reads its texts, and of the rest of the protocol its English languages
    # (`around`, with the options).
    exercise_part = True
    about_texts = True  # of the dosage, the intensity text alone (`exercises_text_key`)
    outside_part = True  # `outside`: the safety section, summary and delivery

    def around(self, protocol: Protocol, context: Context) -> tuple:
        languages = tuple(lang for lang in protocol.languages if lang.split("-")[0] == "en")
        return languages, context.option("max_grade"), context.option("min_words")

    def outside(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        languages, limit, minimum = self.around(protocol, context)
        if not languages:
            return
        # The protocol's two passages: kept for the run by their texts, which are the texts
        # SAFE006 keys the file's own answer by (`own_routed_key`: the safety information and
        # the education) and the summary, warm-up and cool-down.
        delivery = protocol.delivery
        key = (
            self.code,
            languages,
            limit,
            minimum,
            own_routed_key(protocol, context),
            *(_values(t) for t in (protocol.summary, delivery.warm_up, delivery.cool_down)),
        )
        yield from remembered(
            context,
            key,
            lambda: (
                problem
                for passage in _protocol_passages(protocol)
                for problem in _problems(passage, languages, limit, minimum, context.memo)
            ),
        )

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        languages, limit, minimum = self.around(protocol, context)
        if not languages:
            return []
        # An exercise's passage is its own texts: its problems are kept for the run by its
        # content (`exercise_key`; moved to its place), so a file whose exercises were seen before
        # gathers none of their texts again.
        return self.kept_about(
            protocol,
            context,
            index,
            lambda exercise: _problems(
                _exercise_passage(exercise), languages, limit, minimum, context.memo
            ),
            key=(languages, limit, minimum),
            dosage=False,  # reads the texts, the intensity's among them
        )


def _values(text: Text | None) -> tuple | None:
    return None if text is None else tuple(text.values.items())


def _problems(
    passage: Passage, languages: tuple[str, ...], limit: float, minimum: int, memo: dict
) -> Iterator[Problem]:
    exercise = passage.exercise
    for language in languages:
        grade = _passage_grade(passage, language, minimum, memo)
        if grade is not None and grade > limit:
            yield Problem(
                passage.pointer,
                f"{passage.label}{in_library(exercise) if exercise else ''}"
                f" reads at school grade {grade:.1f} ({language}), above "
                f"{limit:g}: use shorter sentences and everyday words",
                # An exercise's passage is all its texts: the exercise in its file.
                in_library=library_place(exercise, exercise.origin.pointer) if exercise else None,
            )


def _passage_grade(passage: Passage, language: str, minimum: int, memo: dict) -> float | None:
    exercise = passage.exercise
    if exercise is not None and exercise.library is not None:
        # The same library file gives the same texts, except the intensity, which a protocol
        # may override: measured once per run for each (file, intensity).
        intensity = exercise.dosage.intensity
        key = (
            "reading-level",
            exercise.library.content,
            intensity.get(language) if intensity.has(language) else None,
            language,
            minimum,
        )
        if key not in memo:
            memo[key] = _grade(_joined(passage, language), minimum, memo)
        return memo[key]
    # The same texts give the same grade: looked up by the texts themselves (a tuple of the
    # strings, whose hashes Python keeps), so a passage seen before is not joined again.
    values = tuple(lookup(t.values, language) for t in passage.all_texts())
    key = ("reading-level-texts", minimum, values)
    if key not in memo:
        memo[key] = _grade(_joined(passage, language), minimum, memo)
    return memo[key]


def _joined(passage: Passage, language: str) -> str:
    parts = []
    for text in passage.all_texts():
        value = lookup(text.values, language)
        if value is not None:
            parts.append(_as_sentence(value))
    return " ".join(parts)


def _grade(text: str, minimum: int, memo: dict) -> float | None:
    """The Flesch-Kincaid grade of a passage, None when it is too short to measure. Library
    exercises repeat across protocols, so grades are kept for the run, and on disk for the
    next run (see `_GradeStore`)."""
    key = ("reading-level", minimum, text)
    if key not in memo:
        memo[key] = _store().grade(text, minimum)
    return memo[key]


class _GradeStore:
    """Grades kept in the user's cache folder, so that textstat and the pronunciation
    dictionary's syllable counts (a third of a second to read) are needed only for a text
    not seen before; the grades of the latest runs also in a small file of their own
    (`cache.Recent`), so that a run whose texts were all graded before does not open the
    table."""

    def __init__(self) -> None:
        from protocol_kit.cache import Recent, package_version

        self._name = f"reading-grades-textstat-{package_version('textstat', 'textstat')}"
        # A grade is a number, or None (H588).
        self._recent = Recent(
            f"{self._name}.recent.marshal",
            fits=lambda grade: grade is None or type(grade) in (int, float),
        )
        self._connection = None
        self._opened = False

    def grade(self, text: str, minimum: int) -> float | None:
        from protocol_kit.cache import UNKNOWN
        from protocol_kit.digests import sha256

        key = sha256(f"{minimum}\0{text}".encode()).hexdigest()
        grade = self._recent.get(key)
        if grade is UNKNOWN:
            grade = self._from_table(key, text, minimum)
            self._recent.add(key, grade)
        return grade

    def _from_table(self, key: str, text: str, minimum: int) -> float | None:
        import sqlite3

        from protocol_kit.cache import row_check

        if not self._opened:
            from protocol_kit.cache import open_table

            self._opened = True
            self._connection = open_table(
                f"{self._name}.sqlite",
                "CREATE TABLE t (key TEXT PRIMARY KEY, grade REAL, crc INTEGER)",
            )
        if self._connection is not None:
            try:
                row = self._connection.execute("SELECT grade, crc FROM t WHERE key = ?", (key,))
                found = row.fetchone()
                # A damaged row read as another grade (H1186): measured again, and replaced.
                if found is not None and found[1] == row_check(key, found[0]):
                    return found[0]
            except sqlite3.Error:
                self._connection = None
        grade = _measure(text, minimum)
        if self._connection is not None:
            try:
                with self._connection:
                    self._connection.execute(
                        "INSERT OR REPLACE INTO t VALUES (?, ?, ?)",
                        (key, grade, row_check(key, grade)),
                    )
            except sqlite3.Error:
                pass  # busy or read-only: the next run measures it again
        return grade


def _measure(text: str, minimum: int) -> float | None:
    import textstat

    from protocol_kit.lint.rules._flesch_kincaid import flesch_kincaid_grade

    if len(text.split()) < minimum or textstat.lexicon_count(text) < minimum:
        return None
    # textstat's grade, without its pronunciation dictionary whole in memory (72 MB).
    return flesch_kincaid_grade(text)


@functools.lru_cache(maxsize=1)
def _store() -> _GradeStore:
    return _GradeStore()


# A SQLite connection must not cross into a forked worker: each process opens its own.
os.register_at_fork(after_in_child=_store.cache_clear)
