from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol


class ReviewOverdue(Rule):
    """The protocol's next review date has passed.

    Clinical content goes stale: guidance changes, an exercise turns out to cause trouble. A
    protocol past its `next_review` date may no longer be what the clinic would prescribe
    today, whether it is `active` or a `draft` still waiting for its first review. Review it,
    then record the new approval in `sign_off` and set `next_review`. Retired protocols are
    not checked.

    Bad (checked on 2027-03-01):

        "sign_off": {..., "date": "2026-01-10"}, "next_review": "2027-01-10"

    Good:

        "sign_off": {..., "date": "2027-02-20"}, "next_review": "2028-02-20"
    """

    code = "GOV001"
    reads_beyond_the_file = True  # today's date: never kept with the file
    name = "review-overdue"
    default_severity = Severity.ERROR
    summary = "the protocol's next_review date has passed"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if protocol.status != "retired" and protocol.next_review < context.today:
            days = (context.today - protocol.next_review).days
            yield Problem(
                "/next_review",
                f"the review was due on {protocol.next_review.isoformat()} ({days} days ago): "
                "review the protocol, then record the approval in sign_off and set next_review",
            )
