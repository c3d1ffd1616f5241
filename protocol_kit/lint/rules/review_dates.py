from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol

FUTURE_TOLERANCE = dt.timedelta(days=1)


class ReviewDates(Rule):
    """The review dates contradict each other or lie in the future.

    A `last_reviewed` date after today (more than a day ahead, for time zones) records a review
    that has not happened, and a
    `next_review` on or before `last_reviewed` means the protocol was overdue the day it was
    reviewed. Both are usually typing mistakes in the year.

    Bad (checked on 2026-11-22):

        "last_reviewed": "2027-11-22", "next_review": "2026-11-22"

    Good:

        "last_reviewed": "2026-11-22", "next_review": "2027-11-22"
    """

    code = "GOV005"
    name = "review-dates"
    default_severity = Severity.ERROR
    summary = "last_reviewed is in the future, or next_review is not after it"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # One day of tolerance: review dates are calendar days in the reviewer's time zone, and
        # time zones are up to 26 hours apart (Kiritimati, UTC+14, to Baker Island, UTC-12), so
        # a protocol reviewed "today" in one place is dated tomorrow as seen from another.
        if protocol.last_reviewed > context.today + FUTURE_TOLERANCE:
            yield Problem(
                "/last_reviewed",
                f"last_reviewed ({protocol.last_reviewed.isoformat()}) is in the future: "
                "write the date the review took place",
            )
        if protocol.next_review <= protocol.last_reviewed:
            yield Problem(
                "/next_review",
                f"next_review ({protocol.next_review.isoformat()}) must be after last_reviewed "
                f"({protocol.last_reviewed.isoformat()})",
            )
