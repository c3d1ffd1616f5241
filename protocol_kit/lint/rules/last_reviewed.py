from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol


class LastReviewed(Rule):
    """The protocol still has the retired `last_reviewed` date.

    `last_reviewed` mixed two dates: when the content last changed, and when a clinician
    approved it. On a draft it claimed a review that had not happened, and a sheet or an
    export repeated the claim. It is replaced by `updated` (the date of the content) and
    `sign_off` (who approved this version, with their registration, and when). The schema
    still accepts `last_reviewed` so that older files stay valid; migrate them:
    rename `last_reviewed` to `updated` (`protokit fmt --migrate` does it for every file it is
    given), and, only if a registered clinician has approved
    this version, add `sign_off` with that approval's date.

    Bad:

        "status": "draft", "last_reviewed": "2026-11-22"

    Good:

        "status": "draft", "updated": "2026-11-22"
    """

    code = "GOV006"
    name = "last-reviewed"
    default_severity = Severity.WARNING
    summary = "the retired last_reviewed date: rename it updated, record approval in sign_off"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if "last_reviewed" not in context.data:
            return
        if protocol.status == "draft":
            why = "on a draft it claims a review that has not happened"
        else:
            why = "the approval is recorded in sign_off (who, registration, date)"
        both = " (remove it: 'updated' is given)" if "updated" in context.data else ""
        yield Problem(
            "/last_reviewed",
            f"last_reviewed is retired: {why}; rename it 'updated' (the date of the content){both}"
            " (`protokit fmt --migrate` does this for every file it is given)",
            at_key=True,
        )
