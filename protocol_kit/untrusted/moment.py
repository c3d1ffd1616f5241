"""SOURCE_DATE_EPOCH, the reproducible-builds convention for the time recorded in an output:
read the same way by every command that writes a dated file (a sheet, a bundle)."""

from __future__ import annotations

import datetime as dt

from protocol_kit.errors import UsageError
from protocol_kit.findings import shown

# The convention's own definition: seconds since 1970-01-01 UTC, never negative; and a
# year a PDF date and a bundle's `created` can both hold.
_LATEST = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc)


def source_date(value: str) -> dt.datetime:
    """The UTC time SOURCE_DATE_EPOCH names; a UsageError for anything but a whole number of
    seconds from 1970 to the year 9999."""
    text = value.strip()
    # (At most 12 digits: the year 9999 needs 12, and int() refuses a string of thousands.)
    digits = text.isascii() and text.isdigit() and len(text) <= 12
    seconds = int(text) if digits else None
    if seconds is None or seconds > _LATEST.timestamp():
        raise UsageError(
            f"SOURCE_DATE_EPOCH={shown(value)} is not a number of seconds since "
            "1970-01-01 (a whole number, not negative)"
        )
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
