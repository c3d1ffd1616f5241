"""Retired fields rewritten as today's format has them (`protokit fmt --migrate`).

Only what can be rewritten without a clinician's judgement: `last_reviewed` is renamed
`updated` (the date of the content), in its place, as GOV006 asks; where `updated` is given
too, `last_reviewed` is removed. A `sign_off` is never written: it records a real approval,
with the approver's registration, which no program can supply (the old `reviewer` stays, and
the lint keeps saying what to do with it).
"""

from __future__ import annotations

from typing import Any

from protocol_kit.schemas import KIND_BY_NAME


def migrate(data: Any) -> tuple[str, ...]:
    """Rewrite `data` (a parsed file, changed in place) and say what changed."""
    if not isinstance(data, dict) or data.get("$schema") != KIND_BY_NAME["protocol"].uri:
        return ()
    if "last_reviewed" not in data:
        return ()
    if "updated" in data:
        del data["last_reviewed"]
        return ("last_reviewed removed ('updated' is given)",)
    members = list(data.items())
    data.clear()
    for key, value in members:
        data["updated" if key == "last_reviewed" else key] = value
    return ("last_reviewed renamed 'updated'",)
