"""The rules about a protocol's own `suppress` list. The engine applies them after every other
rule has run, since they depend on what the others found; their `check` yields nothing."""

from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol


class _EngineRule(Rule):
    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        return iter(())


class UnusedSuppression(_EngineRule):
    """A suppression that suppresses nothing.

    Every exception to a rule must be reviewable, so a suppression names the rule, optionally
    the place (`at`, a JSON pointer: that place and everything below it), and a written reason
    (the schema requires at least 10 characters). Once the problem is fixed the suppression
    must go, or it would silently hide the problem if it came back.

    Bad:

        "suppress": [{"rule": "DOSE002", "at": "/exercises/0/dosage/hold_seconds",
                      "reason": "Long hold agreed with the spinal team"}]
        (and the hold is 30 seconds)

    Good: no suppression, or one that matches a finding.
    """

    code = "SUP001"
    name = "unused-suppression"
    default_severity = Severity.WARNING
    summary = "a suppression matches no finding: remove it"


class UnknownSuppressedRule(_EngineRule):
    """A suppression names a rule that does not exist, or that cannot be suppressed.

    Only lint rules can be suppressed; schema and reference errors (SCHEMA, REF, I18N, JSON)
    and the suppression rules themselves cannot. A misspelt code would suppress nothing while
    looking like a reviewed exception.

    Bad:

        "suppress": [{"rule": "DOS001", "reason": "Long hold agreed with the spinal team"}]

    Good:

        "suppress": [{"rule": "DOSE001", "at": "/exercises/0/dosage/hold_seconds",
                      "reason": "Long hold agreed with the spinal team"}]
    """

    code = "SUP002"
    name = "unknown-suppressed-rule"
    default_severity = Severity.ERROR
    summary = "a suppression names a rule that does not exist or cannot be suppressed"


class SuppressionTarget(_EngineRule):
    """A suppression's `at` pointer names no place in the file.

    A pointer that points nowhere suppresses nothing now, but reads as if something had been
    reviewed; it usually means the file changed shape (an exercise moved) since the
    suppression was written.

    Bad:

        "suppress": [{"rule": "DOSE002", "at": "/exercises/7/dosage", "reason": "..."}]
        (and the protocol has two exercises)

    Good: a pointer to an existing place, such as `/exercises/1/dosage`.
    """

    code = "SUP003"
    name = "suppression-target"
    default_severity = Severity.ERROR
    summary = "a suppression's 'at' pointer names no place in the file"
