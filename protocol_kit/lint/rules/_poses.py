"""Shared by the two pose rules: the checks run once per distinct set of poses and run, and
each rule reports its own kind of problem at the pose's place in the file, once per run for
each exercise (by its content, moved to its place)."""

from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lint.base import (
    Context,
    Problem,
    each_exercise_remembered,
    library_where,
)
from protocol_kit.model import Exercise, Poses, Protocol

if TYPE_CHECKING:
    from protocol_kit.illustration.verdicts import Verdict


def pose_problems(
    exercise: Exercise, index: int, protocol: Protocol, context: Context, kind: str
) -> list[Problem]:
    """The pose problems of `kind` of the protocol's exercise at `index`."""
    if exercise.poses is None:
        return []
    # Each exercise's problems are kept for the run by its content, moved to its place (see
    # `exercise_key`, which the red-flag rules have worked out for this file already), so
    # a file whose exercises were seen before does not key its poses again.
    return each_exercise_remembered(
        protocol,
        context,
        ("pose-problems", kind),
        lambda exercise, index: _problems(exercise, index, context, kind),
        dosage=False,  # reads the poses
        only=index,
    )


def _problems(exercise: Exercise, index: int, context: Context, kind: str) -> Iterator[Problem]:
    poses = exercise.poses
    assert poses is not None
    # Both pose rules read the same issues: worked out (or found) once per file.
    issues = context.shared(("pose-issues", index), lambda: _issues(poses, context))
    for issue_kind, issue_pointer, issue_message in issues:
        if issue_kind != kind:
            continue
        pointer = poses.origin.pointer + issue_pointer
        message = f"exercise '{exercise.id}': {issue_message}"
        yield _located(exercise, pointer, message)


def _located(exercise: Exercise, pointer: str, message: str) -> Problem:
    """At the pose in the file being checked; for a library exercise used by a protocol, at
    the protocol's reference, naming the place in the library file."""
    source = exercise.library
    if source is None:
        return Problem(pointer, message)
    where, place = library_where(exercise, pointer)
    return Problem(source.entry.pointer, f"{message}{where}", in_library=place)


def _issues(poses: Poses, context: Context) -> Verdict:
    """The pose checks' findings, worked out once per run for identical poses (a library
    exercise used by many protocols, or copied into them, is placed once), and kept between
    runs (`illustration.verdicts`)."""
    from protocol_kit.illustration import poses_key

    content = poses_key(poses)
    key = ("poses", content)
    found = context.memo.get(key)
    if found is None:
        # Imported here: `protokit validate` pays for the pose checks only when a file has
        # poses, and for the geometry only when they were not checked in an earlier run.
        from protocol_kit.illustration.verdicts import verdict

        found = context.memo[key] = verdict(poses, content)
    return found
