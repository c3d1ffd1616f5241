from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lean_imports.dates import dt
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol

FUTURE_TOLERANCE = dt.timedelta(days=1)


class ReviewDates(Rule):
    """The protocol's dates contradict each other or lie in the future.

    A sign-off dated after today (more than a day ahead, for time zones) records an approval
    that has not happened; so does an `updated` date in the future. Content `updated` after
    its sign-off was changed after the clinician approved it: the approval no longer covers
    what the patient reads, so the protocol must be signed off again. A `next_review` on or
    before the sign-off (or, for a draft, the last change) means the protocol was overdue the
    day it was written. Most of these are typing mistakes in the year.

    Bad (checked on 2026-11-22):

        "updated": "2026-11-20",
        "sign_off": {"name": "B. Clinician", ..., "date": "2026-10-01"},
        "next_review": "2026-09-01"

    Good:

        "updated": "2026-09-28",
        "sign_off": {"name": "B. Clinician", ..., "date": "2026-10-01"},
        "next_review": "2027-10-01"
    """

    code = "GOV005"
    reads_beyond_the_file = True  # today's date: never kept with the file
    name = "review-dates"
    default_severity = Severity.ERROR
    summary = (
        "a date is in the future, the content changed after its sign-off, or next_review is "
        "not after the sign-off"
    )

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # One day of tolerance: dates are calendar days in the writer's time zone, and time
        # zones are up to 26 hours apart (Kiritimati, UTC+14, to Baker Island, UTC-12), so a
        # protocol approved "today" in one place is dated tomorrow as seen from another.
        latest = context.today + FUTURE_TOLERANCE
        date_field = "/updated" if "updated" in context.data else "/last_reviewed"
        if protocol.updated > latest:
            yield Problem(
                date_field,
                f"{date_field[1:]} ({protocol.updated.isoformat()}) is in the future: write "
                "the date the content last changed",
            )
        approval = protocol.sign_off
        if approval is not None:
            if approval.date > latest:
                yield Problem(
                    "/sign_off/date",
                    f"the sign-off is dated {approval.date.isoformat()}, in the future: write "
                    "the date the clinician approved this version",
                )
            elif protocol.updated > approval.date:
                yield Problem(
                    "/sign_off/date",
                    f"the content was changed ({date_field[1:]} {protocol.updated.isoformat()}) "
                    f"after it was signed off ({approval.date.isoformat()}): the sign-off does "
                    "not cover the changes; have this version approved and date the sign-off",
                )
        since = approval.date if approval is not None else protocol.updated
        what = "the sign-off" if approval is not None else date_field[1:]
        if protocol.next_review <= since:
            yield Problem(
                "/next_review",
                f"next_review ({protocol.next_review.isoformat()}) must be after {what} "
                f"({since.isoformat()})",
            )
