from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol

_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)")


def version_key(version: str) -> tuple[int, ...]:
    match = _SEMVER.match(version)
    return tuple(int(part) for part in match.groups()) if match else ()


def _content(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "version"}


class VersionNotBumped(Rule):
    """The content of a protocol or of a library exercise changed but its version did not go up.

    Clinics tell two copies of a protocol apart by their version, and bundles record it: two
    different protocols with the same version is how a patient ends up with the old dosage.
    A library exercise is checked too: a change to it changes every protocol that uses it.
    The file is compared with its committed version at the git revision named by the
    `revision` option (default `HEAD`: the check suits a pre-commit hook; in CI set it to the
    branch you merge into, for example `origin/main`). Only content counts, not formatting or
    the version field itself. Outside a git repository, or for a file git does not know, the
    rule does nothing.

    Bad: changing `hold_seconds` from 30 to 45 and leaving `"version": "1.0.0"`.

    Good: the same change with `"version": "1.1.0"`.
    """

    code = "GOV004"
    name = "version-not-bumped"
    default_severity = Severity.ERROR
    summary = "the content changed since the last commit but the version did not go up"
    options = {"revision": "HEAD"}
    library_files = True

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        yield from _version_problems(protocol.origin.path, protocol.version, context, "")

    def check_library_file(self, path: str, context: Context) -> Iterator[Problem]:
        version = context.data.get("version")
        if isinstance(version, str):
            note = ", and every protocol that uses this exercise changes with it"
            yield from _version_problems(path, version, context, note)


def _version_problems(path: str, now: str, context: Context, note: str) -> Iterator[Problem]:
    revision = context.option("revision")
    previous = context.previous(path, revision)
    if not previous or not isinstance(previous.get("version"), str):
        return
    before = previous["version"]
    if version_key(now) < version_key(before):
        yield Problem(
            "/version",
            f"the version went down from {before} at {revision} to {now}: versions only go up",
        )
    elif _content(previous) != _content(context.data) and version_key(now) == version_key(before):
        yield Problem(
            "/version",
            f"the content changed since {revision} but the version is still {now}: "
            f"raise it, so that the two can be told apart{note}",
        )
