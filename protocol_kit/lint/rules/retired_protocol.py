from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol


class RetiredProtocol(Rule):
    """The protocol is retired.

    `"status": "retired"` means the protocol must no longer be given to patients. Keeping it
    among the protocols a clinic prints from invites someone to use it. Move it to an archive
    folder that is not checked, or ignore this rule for that folder's files.

    Bad:

        "status": "retired"   (in the folder the clinic prints from)

    Good:

        "status": "active"
    """

    code = "GOV002"
    name = "retired-protocol"
    default_severity = Severity.WARNING
    protocol_part = True  # reads only the part files copied from one another share
    summary = "the protocol is retired and must not be given to patients"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if protocol.status == "retired":
            yield Problem(
                "/status",
                "this protocol is retired and must not be given to patients: "
                "move it out of the folders the clinic prints from",
            )
