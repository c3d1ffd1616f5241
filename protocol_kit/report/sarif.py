"""SARIF 2.1.0, for code-scanning interfaces (GitHub code scanning, IDE viewers).

- Every rule is described in full: `shortDescription`, `fullDescription`, `help` (text and
  Markdown: the rule's documentation page) and `helpUri`, with its default level.
- Columns are Unicode code points (`columnKind`), as protokit counts them.
- A file under the project's root (the git repository, or the current folder outside one) is
  named relative to it, with `uriBaseId` `SRCROOT`; a file elsewhere by its absolute `file:` URI.
- `partialFingerprints` identify a result by rule, file, JSON pointer and message, not by line,
  so a result keeps its identity when lines above it move.
- A path that could not be checked, or a file that could not be read, is a tool execution
  notification, and the invocation is marked unsuccessful: the log is complete even then.
- A message is plain text, whose square brackets SARIF reads as an embedded link
  (`[text](target)`, 2.1.0 section 3.11.6): those of a message, which quotes a file's keys and
  texts, are escaped (`\\[`), so that a key such as `[Fix it](https://...)` shows as written,
  never as a link in a code-scanning alert (H869).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from protocol_kit import __version__
from protocol_kit.findings import (
    READ_ERROR,
    FileReport,
    Finding,
    LibraryPlace,
    RunReport,
    RunTally,
)
from protocol_kit.report.base import (
    INFORMATION_URI,
    ReportContext,
    reported_level,
    rules_waiting_words,
)
from protocol_kit.report.paths import ProjectRoot, project_root, uri_path
from protocol_kit.untrusted.text import printable

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT_ID = "SRCROOT"
FINGERPRINT = "protokitFinding/v1"
# The notification's id for a file whose safety rules did not run yet (not a check's code).
RULES_WAITING = "rules-waiting"


def sarif_report(report: RunReport, context: ReportContext) -> str:
    from protocol_kit.report.catalogue import check_codes, describe

    root = project_root()
    failures = [*report.path_errors, *(f for f in report.findings() if f.code == READ_ERROR)]
    results = [f for f in report.findings() if f.code != READ_ERROR]
    codes = sorted(set(check_codes()) | set(context.rule_summaries) | {f.code for f in results})
    rule_index = {code: i for i, code in enumerate(codes)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": context.tool_name,
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(describe(code)) for code in codes],
            }
        },
        "invocations": [_invocation(failures, _rules_waiting(report), root)],
        "originalUriBaseIds": {
            ROOT_ID: {
                "uri": root.path.as_uri().rstrip("/") + "/",
                "description": {
                    "text": "The root of the git repository"
                    if root.in_git
                    else "The folder protokit ran in"
                },
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(f, rule_index[f.code], root, report.warnings_as_errors) for f in results
        ],
    }
    payload = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def sarif_stream(
    files: Iterable[FileReport], tally: RunTally, context: ReportContext
) -> Iterator[str]:
    """The same report of files given as they are checked. A SARIF log lists results, not
    files: only the files with something to say are kept until the run is over."""
    kept = [file for file in files if file.findings or file.rules_waiting]
    run = RunReport(kept, tally.warnings_as_errors, tally.path_errors, tally.seconds)
    yield sarif_report(run, context)


def _rule(described: Any) -> dict[str, Any]:
    return {
        "id": described.code,
        "name": described.name,
        "shortDescription": {"text": described.summary[0].upper() + described.summary[1:]},
        "fullDescription": {"text": described.description},
        "help": {"text": described.help_text, "markdown": described.help_markdown},
        "helpUri": described.help_uri,
        "defaultConfiguration": {"level": described.level},
        "properties": {"tags": [described.group]},
    }


def artifact_location(path: str, root: ProjectRoot) -> dict[str, Any]:
    if path == "-":
        return {"description": {"text": "standard input"}}
    relative = root.relative(path)
    if relative is not None:
        return {"uri": uri_path(relative), "uriBaseId": ROOT_ID}
    from pathlib import Path

    return {"uri": Path(path).absolute().as_uri()}


def _physical_location(finding: Finding, root: ProjectRoot) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(finding.path, root)}
    if finding.path != "-":
        # A finding about the whole file (no line known) is shown at its start.
        line, column = (finding.line, finding.column or 1) if finding.line else (1, 1)
        physical["region"] = {"startLine": line, "startColumn": column}
    return physical


def _result(
    finding: Finding, index: int, root: ProjectRoot, warnings_as_errors: bool
) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": _physical_location(finding, root)}
    if finding.pointer:
        location["logicalLocations"] = [
            {"fullyQualifiedName": printable(finding.pointer), "kind": "member"}
        ]
    where = root.relative(finding.path) or finding.path
    identity = "\0".join((finding.code, where, finding.pointer, finding.message))
    # A file name that is not UTF-8 reaches here as lone surrogates: hash its bytes as they are.
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()
    level, note = reported_level(finding, warnings_as_errors)
    message = finding.message + note  # the note is not in the fingerprint: the same finding
    result = {
        "ruleId": printable(finding.code),
        "ruleIndex": index,
        "level": level,
        "message": {"text": plain_text(message)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: digest},
    }
    if finding.in_library is not None:
        result["relatedLocations"] = [_library_location(finding.in_library, root)]
    return result


def _library_location(place: LibraryPlace, root: ProjectRoot) -> dict[str, Any]:
    """Where in a library exercise's file the text a finding is about lives: the result's
    related location (its own location stays at the protocol's reference to the exercise)."""
    physical: dict[str, Any] = {"artifactLocation": artifact_location(place.path, root)}
    if place.line is not None:
        physical["region"] = {"startLine": place.line, "startColumn": place.column or 1}
    related: dict[str, Any] = {"id": 1, "physicalLocation": physical}
    if place.pointer:  # "" is the whole file (TEXT001's passage): no member, as for a result
        related["logicalLocations"] = [
            {"fullyQualifiedName": printable(place.pointer), "kind": "member"}
        ]
    related["message"] = {"text": plain_text(f"library exercise '{place.exercise}'")}
    return related


def plain_text(message: str) -> str:
    """A message as a SARIF plain-text message: one line of visible characters, with the
    square brackets a viewer would take for a link escaped (a viewer shows them as written)."""
    return printable(message).replace("[", "\\[").replace("]", "\\]")


def _rules_waiting(report: RunReport) -> list[Finding]:
    """A note for each file whose clinical safety rules wait for its schema or reference
    errors to be fixed (the text report's summary says the same)."""
    return [
        Finding(
            file.path,
            RULES_WAITING,
            f"schema or reference errors: {rules_waiting_words()}",
        )
        for file in report.reported()
        if file.rules_waiting
    ]


def _invocation(
    failures: list[Finding], waiting: list[Finding], root: ProjectRoot
) -> dict[str, Any]:
    notifications = [
        {
            "level": level,
            "message": {"text": plain_text(f"{failure.path}: {failure.message}")},
            "locations": [{"physicalLocation": _physical_location(failure, root)}],
            "descriptor": {"id": printable(failure.code)},
        }
        for level, group in (("error", failures), ("note", waiting))
        for failure in group
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not failures}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
