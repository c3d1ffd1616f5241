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
    """The protocol's content changed but its version did not go up.

    Clinics tell two copies of a protocol apart by their version, and bundles record it: two
    different protocols with the same version is how a patient ends up with the old dosage.
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

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        revision = context.option("revision")
        previous = context.previous(protocol.origin.path, revision)
        if not previous or not isinstance(previous.get("version"), str):
            return
        before, now = previous["version"], protocol.version
        if version_key(now) < version_key(before):
            yield Problem(
                "/version",
                f"the version went down from {before} at {revision} to {now}: versions only go up",
            )
        elif _content(previous) != _content(context.data) and version_key(now) == version_key(
            before
        ):
            yield Problem(
                "/version",
                f"the content changed since {revision} but the version is still {now}: "
                "raise it, so that the two can be told apart",
            )
