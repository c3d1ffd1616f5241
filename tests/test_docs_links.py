"""Every relative link of the README and docs/ leads somewhere: the file exists, and a
`#section` is a heading of that page (as GitHub makes heading anchors). A reader who follows
"see docs/sheets.md#the-clinic-profile" from a message or a page must land on it."""

from __future__ import annotations

import re

import pytest

from conftest import REPO

PAGES = sorted([REPO / "README.md", *REPO.glob("docs/**/*.md"), *REPO.glob("protocols/**/*.md")])
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(page) -> set[str]:
    """The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces
    as hyphens."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    headings = re.findall(r"^#+ (.*)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def links(page) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return [
        link for link in LINK.findall(text) if not link.startswith(("http:", "https:", "mailto:"))
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_leads_to_a_file_and_a_heading(page):
    for link in links(page):
        path, _, section = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{link}: no such file"
        if section and target.suffix == ".md":
            assert section in anchors(target), f"{link}: no such heading in {target.name}"


def test_a_page_or_section_named_in_a_message_or_help_exists():
    """Messages and help send the reader to a page (`see docs/configuration.md`), or to its
    section (`docs/format.md#text`)."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in REPO.glob("protocol_kit/**/*.py"))
    named = set(re.findall(r"docs/([\w/.-]+?\.md)(?:#([\w-]+))?", sources))
    assert len(named) > 3
    for page, section in named - {("rules/CODE.md", "")}:  # a docstring's pattern
        assert (REPO / "docs" / page).is_file(), f"docs/{page}"
        if section:
            assert section in anchors(REPO / "docs" / page), f"docs/{page}#{section}"
