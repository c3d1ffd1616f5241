"""What each finding code means, for reporters that describe their rules (SARIF) and for the
generated page docs/rules/checks.md.

Lint rules describe themselves (their docstrings, `protocol_kit.lint.docs`); the other checks
(reading, schemas, library references, prescriptions, sheets, bundles) are described in
`check_codes.toml` beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from protocol_kit.report.base import INFORMATION_URI

# Where the rule pages of docs/rules/ are published.
RULE_DOCS_URI = INFORMATION_URI + "docs/rules/"
CHECKS_PAGE = "checks.md"


@dataclass(frozen=True)
class CodeDescription:
    """A finding code as a tool describes a rule: names, one line, a paragraph, a page."""

    code: str
    name: str
    summary: str  # one line, lower case
    description: str  # the first paragraph of the documentation
    help_text: str  # the whole page as plain text
    help_markdown: str  # the whole page as Markdown
    help_uri: str
    level: str  # "error" or "warning": the default severity
    group: str


@cache
def check_codes() -> dict[str, CodeDescription]:
    """The codes of the checks that are not lint rules, from check_codes.toml."""
    from protocol_kit.package_data import read_toml

    table = read_toml("protocol_kit.report", "check_codes.toml")
    described = {}
    for code, entry in table.items():
        summary = entry["summary"]
        description = " ".join(entry["description"].split())
        heading = f"{code} {entry['name']}"
        described[code] = CodeDescription(
            code=code,
            name=entry["name"],
            summary=summary,
            description=description,
            help_text=f"{heading}\n{_sentence(summary)}\n\n{description}\n",
            help_markdown=f"# {heading}\n\n{_sentence(summary)}\n\n{description}\n",
            help_uri=f"{RULE_DOCS_URI}{CHECKS_PAGE}#{_anchor(heading)}",
            level=entry.get("level", "error"),
            group=_GROUPS.get(code.rstrip("0123456789"), "checks"),
        )
    return described


_GROUPS = {
    "IO": "files",
    "JSON": "JSON",
    "SCHEMA": "schema",
    "I18N": "translations",
    "REF": "references",
    "RX": "prescriptions",
    "PDF": "sheets",
    "BDL": "bundles",
}


def lint_rule(code: str) -> CodeDescription | None:
    """A lint rule's description, from its documentation page."""
    from protocol_kit.lint.docs import find_rule, rule_page, rule_text

    rule = find_rule(code)
    if rule is None or rule.code != code:
        return None
    documentation = rule.documentation()
    return CodeDescription(
        code=rule.code,
        name=rule.name,
        summary=rule.summary,
        description=" ".join(documentation.split("\n\n", 1)[0].split()),
        help_text=rule_text(rule),
        help_markdown=rule_page(rule),
        help_uri=f"{RULE_DOCS_URI}{rule.code}.md",
        level=rule.default_severity.value,
        group=rule.group,
    )


def describe(code: str) -> CodeDescription:
    """Any finding code's description; a code nothing describes gets a plain one, so that a
    report never breaks on it."""
    described = check_codes().get(code) or lint_rule(code)
    if described is not None:
        return described
    text = f"{code}: see the message of each finding."
    return CodeDescription(
        code, code.lower(), f"finding {code}", text, text, text, RULE_DOCS_URI, "error", "checks"
    )


def checks_page() -> str:
    """docs/rules/checks.md: the codes that are not lint rules."""
    sections = [
        f"## {entry.code} {entry.name}\n\n{_sentence(entry.summary)}\n\n{entry.description}\n"
        for entry in check_codes().values()
    ]
    return (
        "# Checks that are not lint rules\n\n"
        "<!-- Generated from protocol_kit/report/check_codes.toml by "
        "`protokit rules --docs docs/rules`. -->\n\n"
        "`protokit validate` (and `build`, `bundle create`) report these codes for a file that "
        "cannot be read or parsed, breaks its schema, or refers to something that does not "
        "exist. They cannot be switched off or suppressed: a file with one of them was not (or "
        "not fully) checked. The lint rules are listed in [README.md](README.md).\n\n"
        + "\n".join(sections)
    )


def _sentence(summary: str) -> str:
    return summary[0].upper() + summary[1:] + "."


def _anchor(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")
