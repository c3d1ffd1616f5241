from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol


def _person_key(name: str) -> str:
    return " ".join(name.casefold().split())


class ReviewerIsAuthor(Rule):
    """The clinician who signed the protocol off is also one of its authors.

    The schema requires a sign-off once a protocol is `active`; the point of it is a second
    clinician's eyes. A clinician who wrote the protocol and approved it has reviewed nothing.
    Names are compared ignoring case and spacing. The deprecated `reviewer` is checked too.

    Bad:

        "authors": [{"name": "A. Therapist", ...}],
        "sign_off": {"name": "A. Therapist", "profession": "physiotherapist", ...}

    Good:

        "authors": [{"name": "A. Therapist", ...}],
        "sign_off": {"name": "B. Clinician", "profession": "physiotherapist", ...}
    """

    code = "GOV003"
    name = "reviewer-is-author"
    default_severity = Severity.ERROR
    protocol_part = True  # reads only the part files copied from one another share
    summary = "the clinician who signed the protocol off is also one of its authors"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        authors = {_person_key(a.name) for a in protocol.authors}
        approvers = []
        if protocol.sign_off is not None:
            approvers.append(("/sign_off/name", protocol.sign_off.name, "signed it off"))
        if protocol.reviewer is not None:
            approvers.append(("/reviewer/name", protocol.reviewer.name, "reviewed it"))
        for pointer, name, did in approvers:
            if _person_key(name) in authors:
                yield Problem(
                    pointer,
                    f"{shown(name)} {did} and is also an author: a protocol must be approved "
                    "by a clinician who did not write it",
                )
