"""The fast schema engine (jsonschema-rs), imported without the `email` package.

jsonschema-rs's compiled module imports `email.utils` when it is imported, only to turn its
own build date (an RFC 2822 text such as "Thu, 12 Nov 2026 07:50:16 +0000") into the
datetime of `jsonschema_rs.jsonschema_rs.__build__["info-time"]`. `email.utils` brings in
`socket`, `random`, `calendar`, `locale`, `base64`, `quopri` and most of the `email` package:
about 8 ms on top of the interpreter's 13 ms start, on every `protokit validate`, for a date
nothing here reads.

So while the engine is imported, `email.utils` in `sys.modules` is a stand-in whose
`parsedate_to_datetime` reads that one shape of date itself, giving the datetime the real
function gives; any other text, and any other name asked of the stand-in, goes to the real
`email.utils` (imported then), so the engine gets what it would have got. The stand-in is
taken out of `sys.modules` as soon as the import is over: a later `import email.utils`
anywhere imports the real module (`protocol_kit.lean_imports`).
"""

from __future__ import annotations

from types import ModuleType

from protocol_kit.lean_imports import TYPE_CHECKING, import_with_stand_ins, real_attribute
from protocol_kit.lean_imports.dates import dt

if TYPE_CHECKING:
    from typing import Any

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def jsonschema_rs() -> ModuleType:
    """The `jsonschema_rs` module, imported on first use."""
    return import_with_stand_ins(
        "jsonschema_rs",
        {
            "email.utils": {"parsedate_to_datetime": parsedate_to_datetime},
            # Its `__init__` imports `typing` for `TYPE_CHECKING` alone (about 10 million
            # instructions of a file's first run; issue 17): any other name asked of the
            # stand-in comes from the real `typing`.
            "typing": {"TYPE_CHECKING": False},
            # Its compiled module asks `datetime` for the C types' table (`datetime_CAPI`),
            # which is `_datetime`'s: the pure-Python module's classes, built and thrown away,
            # were about 5 million instructions of a file's first run
            # (protocol_kit/lean_imports/dates.py).
            "datetime": {"datetime_CAPI": dt.datetime_CAPI},
        },
    )


def parsedate_to_datetime(text: str) -> Any:
    """`email.utils.parsedate_to_datetime(text)`: read here for the one shape a build date
    has ("Thu, 12 Nov 2026 07:50:16 +0000"), by the real function for anything else."""
    datetime, timedelta, timezone = dt.datetime, dt.timedelta, dt.timezone
    parts = text.split(" ") if isinstance(text, str) else []
    if len(parts) == 6 and parts[0][:-1] in _DAYS and parts[0].endswith(","):
        _, day, month, year, clock, zone = parts
        hms = clock.split(":")
        if (
            day.isdigit()
            and len(day) <= 2
            and month in _MONTHS
            and year.isdigit()
            and len(year) == 4
            and len(hms) == 3
            and all(part.isdigit() and len(part) == 2 for part in hms)
            and len(zone) == 5
            and zone[0] in "+-"
            and zone[1:].isdigit()
            and zone != "-0000"  # "no zone known": a naive datetime, as the real one says
        ):
            minutes = int(zone[1:3]) * 60 + int(zone[3:5])
            offset = timedelta(minutes=-minutes if zone[0] == "-" else minutes)
            try:
                return datetime(
                    int(year),
                    _MONTHS.index(month) + 1,
                    int(day),
                    int(hms[0]),
                    int(hms[1]),
                    int(hms[2]),
                    tzinfo=timezone(offset),
                )
            except ValueError:
                pass  # not a real date or time: the real function says how
    return real_attribute("email.utils", "parsedate_to_datetime")(text)
