"""The follow-ups of a prescription: the prescriptions of its folder whose `follows` names its
file and its date (`protokit new prescription --from` writes both).

A follow-up names the file it follows; nothing in the earlier file names the follow-up. RX004
on an earlier prescription of a protocol whose version has changed since tells the therapist
to write a follow-up, which is wrong once one exists: the earlier file is then the record of
what the patient was given, kept as written (RX025 says so instead, naming the follow-up).
Only a prescription of an older version asks, so a run without one reads nothing more; a
folder asked about is read once for the run, each of its `*.json` files once, however many
of its prescriptions ask (a folder of 10,000 prescriptions read for each of them was H1422's
quadratic reading).
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from protocol_kit.errors import InputError
from protocol_kit.findings import shown_path
from protocol_kit.loading import JsonProblem, Limits, parsed, read_bytes
from protocol_kit.untrusted.text import advised_command, printable

# Looked for in a file's bytes before it is parsed: most files of a folder follow nothing.
_FOLLOWS_KEY = b'"follows"'
_VERSION = re.compile(r"[0-9]{1,9}\.[0-9]{1,9}\.[0-9]{1,9}(-[0-9A-Za-z.-]{1,40})?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class FollowUp(NamedTuple):
    name: str  # the follow-up's file name, in the folder of the prescription it follows
    version: str | None  # the protocol version it prescribes, when it gives one
    date: str | None = None  # its own date, when it gives one as the schema writes a date


class FollowUps:
    """The follow-ups of each prescription file, by folder, read once a run when first asked."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._by_folder: dict[str, dict[str, list[tuple[FollowUp, str]]]] = {}

    def of(self, path: str, date: str) -> list[str]:
        """The files of the folder of the prescription at `path` (dated `date`) that follow
        it, by name, in the folder's order; none for a prescription not read from a file."""
        return [follow_up.name for follow_up in self.with_versions(path, date)]

    def with_versions(self, path: str, date: str) -> list[FollowUp]:
        """`of`, each with the protocol version it prescribes: a follow-up of an older version
        than the protocol's is no sheet to print either (s41-users)."""
        if not os.path.isfile(path):
            return []
        here = _key(path)
        folder = os.path.dirname(here)
        if folder not in self._by_folder:
            self._by_folder[folder] = _follow_ups_in(folder, self.limits)
        return [follow_up for follow_up, follows_date in self._by_folder[folder].get(here, ()) if
                follows_date == date]  # fmt: skip


def _follow_ups_in(folder: str, limits: Limits) -> dict[str, list[tuple[FollowUp, str]]]:
    """Each file of `folder` that a prescription there follows -> (the follow-up, the date
    its `follows` gives)."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".json") and n[:1] != ".")
    except OSError:
        return {}
    followed: dict[str, list[tuple[FollowUp, str]]] = {}
    for name in names:
        path = os.path.join(folder, name)
        try:
            raw = read_bytes(path, limits)
            if _FOLLOWS_KEY not in raw:
                continue
            data = parsed(raw, path, limits).data
        except (InputError, JsonProblem, OSError):
            continue  # reported when the file itself is checked
        follows = data.get("follows") if isinstance(data, dict) else None
        if not isinstance(follows, dict):
            continue
        named, date = follows.get("file"), follows.get("date")
        if not isinstance(named, str) or not named.strip() or not isinstance(date, str):
            continue
        earlier = _key(os.path.join(folder, named))
        if earlier != _key(path):
            prescribed = data.get("protocol")
            version = prescribed.get("version") if isinstance(prescribed, dict) else None
            # Quoted in a message about another file: only a version as the schema writes
            # one (the follow-up's own check reports anything else).
            version = version if isinstance(version, str) and _VERSION.match(version) else None
            own_date = data.get("date")
            own_date = own_date if isinstance(own_date, str) and _DATE.match(own_date) else None
            followed.setdefault(earlier, []).append((FollowUp(name, version, own_date), date))
    return followed


def _key(path: str) -> str:
    return os.path.normcase(os.path.normpath(os.path.abspath(path)))


def followed_up_warning(path: str, follow_ups: list[FollowUp]) -> str | None:
    """What `render` of the prescription at `path` says beside the sheet when later
    prescriptions of its folder follow it (of the same protocol version it still prints): a
    therapist printing a patient's earlier prescription, its follow-up beside it, gave the
    patient the exercises and doses the follow-up had changed, and was told nothing (s41-users2).
    None when none follows it."""
    if not follow_ups:
        return None
    named = ", ".join(printable(f"{f.name} ({f.date})" if f.date else f.name) for f in follow_ups)
    if len(follow_ups) == 1:
        latest = os.path.join(os.path.dirname(path), follow_ups[0].name)
        current = advised_command("--prescription", shown_path(latest))
    else:
        current = "--prescription with the latest of them"
    return (
        f"{printable(shown_path(path))} is followed up by {named}: this sheet is of the earlier "
        f"prescription; for the patient's current one, render with {current}"
    )
