"""The pose checks' findings for a set of poses (`checks.check`), kept between runs (issue 17).

Placing and checking a set of poses is the largest part of validating one file with poses
(about a sixth of a one-file `protokit validate`, with the modules and vocabulary files it
reads), and its findings depend only on the poses (`poses_key`: posture, view, angles, lean
and props of the start and the end), the pose vocabulary's data files and the code that places
and checks them. They are kept in the user's cache folder (`cache.Recent`) in a file whose
label names the interpreter, the source of every module the checks run (`CODE`) and the
content of every vocabulary file (`vocabulary.FILES`): a change to any starts afresh, and a
set of poses seen before is neither placed nor checked, nor are the geometry modules imported.
A damaged file is not read (`cache.stored_at`: its CRC-32), and the checks run again.

A finding is kept as plain data, `(kind, pointer, message)`: what the rules read of a
`checks.PoseIssue`.
"""

from __future__ import annotations

import functools
import os

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from protocol_kit.model import Poses

# (kind, pointer relative to the exercise's `poses`, message), as `checks.PoseIssue` holds them.
Verdict = tuple[tuple[str, str, str], ...]
_TITLE = "pose verdicts"
_FORMAT = 1
# Every module of protocol_kit the checks run, relative to the package's folder: the label
# names their sources (tests/illustration/test_pose_verdicts.py holds that none is missing).
CODE = (
    "illustration/__init__.py",
    "illustration/verdicts.py",
    "illustration/checks.py",
    "illustration/placement.py",
    "illustration/body.py",
    "illustration/geometry.py",
    "illustration/vocabulary.py",
    "record.py",
    "package_data/__init__.py",
    # The vocabularies' decoded JSON is kept between runs (package_data/kept.py, in a file
    # that cache.py reads).
    "package_data/kept.py",
    "cache.py",
)


def verdict(poses: Poses, key: tuple) -> Verdict:
    """The findings of the pose checks for `poses`, whose `poses_key` is `key`, in the
    checks' order; kept between runs."""
    from protocol_kit.cache import UNKNOWN

    kept = _kept()
    found = kept.get(key)
    if found is UNKNOWN:
        found = worked_out(poses)
        kept.add(key, found)
    return found


def worked_out(poses: Poses) -> Verdict:
    """`verdict`, worked out: the poses placed and checked."""
    from protocol_kit.illustration import pose_request
    from protocol_kit.illustration.checks import check

    requests = {"start": pose_request(poses.start)}
    if poses.end is not None:
        requests["end"] = pose_request(poses.end, poses.start)
    return tuple((issue.kind, issue.pointer, issue.message) for issue in check(requests))


def label() -> str | None:
    """What the kept findings depend on besides the poses; None when a source or data file
    cannot be read (a zipped or frozen install)."""
    from protocol_kit.cache import files_label

    return files_label(_TITLE, _FORMAT, _package(), _files())


def _package() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _files() -> list[str]:
    from protocol_kit.illustration.vocabulary import FILES

    return [*CODE, *(f"illustration/data/{name}.json" for name in FILES)]


@functools.cache
def _kept() -> Any:
    """The findings kept between runs, in a file labelled with everything they depend on."""
    from protocol_kit.cache import kept_answers

    return kept_answers(_TITLE, _FORMAT, _package(), _files(), most=1024, fits=_a_verdict)


def _a_verdict(found: object) -> bool:
    """Whether a kept answer has `worked_out`'s shape, a `Verdict` (H588)."""
    return type(found) is tuple and all(
        type(issue) is tuple and len(issue) == 3 and all(type(part) is str for part in issue)
        for issue in found
    )
