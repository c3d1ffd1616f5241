"""Semantic version order (semver.org, section 11), for deciding whether an import is an update.

`1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11
< 1.0.0-rc.1 < 1.0.0 < 1.0.1 < 1.1.0 < 2.0.0`: numbers compare as numbers, a pre-release is lower
than its release, and pre-release identifiers compare one by one (numeric ones lower than
alphanumeric ones, a shorter list lower when all before are equal).
"""

from __future__ import annotations

import re

from protocol_kit.untrusted.text import quoted

_SEMVER = re.compile(
    r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


def version_key(version: str) -> tuple:
    """A sort key in semantic version order; ValueError for a string that is not one."""
    match = _SEMVER.match(version)
    if match is None:
        raise ValueError(f"{quoted(version)} is not a semantic version")
    major, minor, patch, prerelease = match.groups()
    release = (int(major), int(minor), int(patch))
    if prerelease is None:
        return (*release, 1, ())
    identifiers = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in prerelease.split(".")
    )
    return (*release, 0, identifiers)


def compare_versions(left: str, right: str) -> int:
    """-1, 0 or 1 as `left` is lower than, equal to or higher than `right`."""
    a, b = version_key(left), version_key(right)
    return (a > b) - (a < b)
