from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol


def _person_key(name: str) -> str:
    return " ".join(name.casefold().split())


class ReviewerIsAuthor(Rule):
    """The reviewer is also an author.

    The schema requires a reviewer once a protocol is `active`; the point of a review is a
    second clinician's eyes. A reviewer who wrote the protocol has reviewed nothing. Names are
    compared ignoring case and spacing.

    Bad:

        "authors": [{"name": "A. Therapist", ...}],
        "reviewer": {"name": "A. Therapist", ...}

    Good:

        "authors": [{"name": "A. Therapist", ...}],
        "reviewer": {"name": "B. Clinician", ...}
    """

    code = "GOV003"
    name = "reviewer-is-author"
    default_severity = Severity.ERROR
    summary = "the protocol's reviewer is also one of its authors"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        reviewer = protocol.reviewer
        if reviewer is None:
            return
        if any(_person_key(a.name) == _person_key(reviewer.name) for a in protocol.authors):
            yield Problem(
                "/reviewer/name",
                f"the reviewer {shown(reviewer.name)} is also an author: "
                "a protocol must be reviewed by a clinician who did not write it",
            )
