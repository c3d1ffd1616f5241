from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.dosage import session_seconds
from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule, exercise_facts
from protocol_kit.model import Exercise, Protocol


def session_minutes(protocol: Protocol) -> float:
    """The estimated length of one session of the whole programme, in minutes."""
    return sum(session_seconds(e.dosage.fields()) for e in protocol.exercises) / 60


class SessionTime(Rule):
    """One session of the programme takes longer than a patient can be expected to keep up.

    The estimate adds up every exercise's sets, repetitions, holds, rest and sides, plus time
    to get into position (`protocol_kit.dosage.session_seconds`); `protokit checklist` prints
    it. Adherence to home programmes falls as they get longer; a session far beyond the
    `max_minutes` option (default 45) is usually a dosage mistake or too much for one sheet.

    Bad: eight exercises of 5 sets of 60-second holds on each side (about 90 minutes).

    Good: the same exercises at 3 sets of 30 seconds, or split into two programmes.
    """

    code = "DOSE004"
    name = "session-time"
    default_severity = Severity.WARNING
    summary = "the estimated time of one session is longer than max_minutes"
    options = {"max_minutes": 45}

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # Each exercise's time, worked out once per run for each distinct exercise, with the
        # other rules' values of it (`exercise_fact`).
        minutes = sum(exercise_facts(self, protocol, context)) / 60
        limit = context.options["max_minutes"]
        if minutes > limit:
            yield Problem(
                "/exercises",
                f"one session takes about {minutes:.0f} minutes, more than {limit:g}: "
                "reduce sets, holds or exercises",
            )

    def exercise_fact(self, exercise: Exercise, protocol: Protocol, context: Context) -> float:
        """The exercise's seconds in one session (its dosage alone)."""
        return session_seconds(exercise.dosage.fields())
