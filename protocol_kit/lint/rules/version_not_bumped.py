from __future__ import annotations

from collections.abc import Iterator, Mapping

from protocol_kit.errors import ConfigError
from protocol_kit.findings import Severity
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.history import MissingRevision
from protocol_kit.model import Protocol
from protocol_kit.patterns import compiled

if TYPE_CHECKING:
    from typing import Any

_SEMVER = compiled(r"^(\d+)\.(\d+)\.(\d+)")


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

    A revision that does not exist in the repository is a configuration error, never a silent
    pass: a CI checkout is usually shallow (one commit, no other branches), so `origin/main`
    is not there unless the workflow fetches it (`fetch-depth: 0` in `actions/checkout`, or
    `git fetch origin main`). Where comparing is not wanted, for example in a shallow checkout
    on purpose, set the option `allow_missing_revision = true` and the rule does nothing when
    the revision is missing.

    Bad: changing `hold_seconds` from 30 to 45 and leaving `"version": "1.0.0"`.

    Good: the same change with `"version": "1.1.0"`.
    """

    code = "GOV004"
    reads_beyond_the_file = True  # the file's committed version (git): never kept with the file
    name = "version-not-bumped"
    default_severity = Severity.ERROR
    summary = "the content changed since the last commit but the version did not go up"
    options = {"revision": "HEAD", "allow_missing_revision": False}
    library_files = True

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        yield from _version_problems(protocol.origin.path, protocol.version, context, "")

    def check_library_file(self, path: str, context: Context) -> Iterator[Problem]:
        version = context.data.get("version")
        if isinstance(version, str):
            note = ", and every protocol that uses this exercise changes with it"
            yield from _version_problems(path, version, context, note)


def _version_problems(path: str, now: str, context: Context, note: str) -> Iterator[Problem]:
    revision = context.options["revision"]  # asked for every file: no call of `option`
    try:
        previous = context.previous(path, revision)
    except MissingRevision as missing:
        if context.option("allow_missing_revision"):
            return
        raise ConfigError(missing_revision_message(missing)) from None
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


def missing_revision_message(missing: MissingRevision) -> str:
    """What is wrong and how to fix it, for a revision that is not in the repository."""
    where = (
        "this is a shallow clone, which holds only the latest commit"
        if missing.shallow
        else ("it is not a branch, tag or commit there")
    )
    remote_branch = missing.revision.split("/", 1)
    if missing.missing_remote is not None:
        # Not pushed yet (a new clinic repository whose protokit.toml already names the
        # branch CI compares with, read by the pre-commit hook too): fetching cannot help.
        remote, branch = missing.missing_remote, remote_branch[1]
        where += f", and the repository has no remote {remote!r}: it was never pushed"
        fix = f"Push it first (`git remote add {remote} URL`, then `git push -u {remote} {branch}`)"
    else:
        fetch = (
            f"git fetch origin {remote_branch[1]}"
            if len(remote_branch) == 2 and remote_branch[0] == "origin"
            else f"git fetch origin {missing.revision}"
        )
        fix = (
            "Fetch it first (GitHub Actions: `fetch-depth: 0` in actions/checkout; elsewhere: "
            f"`{fetch}`)"
        )
    return (
        f"GOV004 (version-not-bumped) compares each file with git revision "
        f"{missing.revision!r}, which does not exist in {missing.root} ({where}), so versions "
        f"cannot be checked. {fix}, or set revision under [lint.options.GOV004] "
        "(protokit.toml; [tool.protokit.lint.options.GOV004] in pyproject.toml) to one "
        "that exists; allow_missing_revision = true lets the rule do nothing instead"
    )
