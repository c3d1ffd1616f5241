from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol
from protocol_kit.patterns import compiled

# A value that names nobody: one letter, "x", "n/a", "TBD", "unknown", "test", no letters.
_NOBODY = compiled(
    r"^\W*(x+|tbd|tbc|n/?a|none|unknown|test|dummy|placeholder|anon\w*|[^\W\d_])?\W*$",
    re.IGNORECASE,
)
_LETTERS = compiled(r"[^\W\d_]")


class SignOffIdentity(Rule):
    """The sign-off does not name a clinician a patient or colleague could check.

    The sheet prints "Approved by" with the sign-off's name, profession and registration: it
    tells the patient that a registered clinician stands behind the programme, and lets a
    colleague look the clinician up on the regulator's register. A sign-off of "x", "n/a" or
    "TBD", a name of one letter, or a registration number without a digit (every register
    numbers its members) passes the schema and prints an approval that nobody gave.

    Bad:

        "sign_off": {"name": "x", "profession": "physio",
                     "registration": {"body": "n/a", "number": "tbc"}, "date": "2026-10-01"}

    Good:

        "sign_off": {"name": "B. Clinician", "profession": "physiotherapist",
                     "registration": {"body": "AHPRA", "number": "PHY0001234567"},
                     "date": "2026-10-01"}
    """

    code = "GOV008"
    name = "sign-off-identity"
    default_severity = Severity.ERROR
    protocol_part = True  # reads only the part files copied from one another share
    summary = "the sign-off's name, profession or registration is a placeholder"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        approval = protocol.sign_off
        if approval is None:
            return
        fields = (
            ("/sign_off/name", approval.name, "the approving clinician's full name"),
            ("/sign_off/profession", approval.profession, "their profession"),
            ("/sign_off/registration/body", approval.registration_body, "the regulator"),
        )
        for pointer, value, what in fields:
            if _NOBODY.match(value) or len(_LETTERS.findall(value)) < 2:
                yield Problem(pointer, f"{shown(value)} names nobody: write {what}")
        number = approval.registration_number
        if _NOBODY.match(number) or not any(c.isdigit() for c in number):
            yield Problem(
                "/sign_off/registration/number",
                f"{shown(number)} is not a registration number (it has no digit): write the "
                "number on the regulator's register",
            )
