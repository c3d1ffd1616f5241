"""The "Stop and seek care" box as a patient reads it, page by page: whole on the first page when
it fits there; when it does not, every red flag and stop criterion is on a page that also shows,
above it, the heading saying what to do (emergency, urgent, contact your clinician)."""

from __future__ import annotations

import pytest
from sheet_helpers import (
    EXAMPLE,
    EXAMPLES,
    pages_text,
    render,
    rewrite_texts,
    self_contained,
    words,
)

from conftest import REPO
from protocol_kit.app.check import load_protocol
from protocol_kit.app.render import clinic_profile
from protocol_kit.config import load_config
from protocol_kit.render.stop_box import continued_heading
from protocol_kit.sheet.wording import wording_for as sheet_strings

EN = sheet_strings("en")
TITLE = EN["stop_heading"]
CONTINUED_TITLE = EN["continued"].format(name=TITLE)
NEXT_PAGE = EN["continued_next_page"]
PRESCRIPTION = REPO / "docs" / "examples" / "prescription-psoas.json"


def find(haystack: list[str], needle: str, start: int = 0) -> int:
    """Where the words of `needle` start in `haystack` (a page's words), or -1."""
    wanted = words(needle)
    for i in range(start, len(haystack) - len(wanted) + 1):
        if haystack[i : i + len(wanted)] == wanted:
            return i
    return -1


def box_groups(path) -> list[tuple[str, list[str]]]:
    """The box's groups as printed: (heading, items), in order."""
    protocol = load_protocol(str(path))
    safety, language = protocol.safety, protocol.language
    groups = [
        ("emergency_intro", [f.text for f in safety.red_flags if f.action == "emergency"]),
        ("urgent_intro", [f.text for f in safety.red_flags if f.action != "emergency"]),
        ("stop_intro", list(safety.stop_criteria)),
    ]
    return [(EN[key], [t.get(language) for t in texts]) for key, texts in groups if texts]


def box_pages(pdf: bytes, groups: list[tuple[str, list[str]]]) -> list[int]:
    """Check the box page by page as a patient reads it; return the pages it is on.

    Every item is printed whole on exactly one page, and on that page the nearest heading above
    it is its own group's heading, below the box's title; the box's pages follow one another,
    the first has the plain title, each later one the title marked continued, and every page
    but the last ends the box with "Continued on the next page"."""
    pages = [words(text) for text in pages_text(pdf)]
    headings = [heading for heading, _ in groups]
    on: set[int] = set()
    for heading, items in groups:
        for item in items:
            found = [n for n, page in enumerate(pages) if find(page, item) >= 0]
            assert len(found) == 1, f"{item!r} is on pages {[n + 1 for n in found]}"
            n = found[0]
            page, at = pages[n], find(pages[n], item)
            above = [(find(page, h), h) for h in headings]
            above = [(i, h) for i, h in above if 0 <= i < at]
            assert above, f"page {n + 1}: {item!r} has no heading above it"
            nearest = max(above)[1]
            assert nearest == heading, f"page {n + 1}: {item!r} is under {nearest!r}"
            assert 0 <= find(page, TITLE) < max(above)[0], f"page {n + 1}: no box title"
            on.add(n)
    first, last = min(on), max(on)
    assert sorted(on) == list(range(first, last + 1))
    for n in range(first, last + 1):
        page = pages[n]
        title_continued = find(page, CONTINUED_TITLE) >= 0
        assert title_continued == (n > first), f"page {n + 1}: title (continued) is wrong"
        assert (find(page, NEXT_PAGE) >= 0) == (n < last), f"page {n + 1}: 'next page' is wrong"
    return sorted(on)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_have_the_whole_box_on_the_first_page(path):
    assert box_pages(render(path), box_groups(path)) == [0]


def test_personalised_example_has_the_whole_box_on_the_first_page():
    pdf = render(EXAMPLE, prescription=str(PRESCRIPTION))
    assert box_pages(pdf, box_groups(EXAMPLE)) == [0]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_large_print_examples_start_the_box_on_the_first_page_with_every_heading(path):
    # Large print: the header blocks leave no room for the whole box on page 1, so it splits,
    # and the heading of the group that runs on is repeated on page 2 above its items there.
    groups = box_groups(path)
    pdf = render(path, large_print=True)
    pages = box_pages(pdf, groups)
    assert pages[0] == 0 and len(pages) <= 2
    first_page = words(pages_text(pdf)[0])
    assert find(first_page, groups[0][1][0]) >= 0  # the first emergency red flag on page 1


@pytest.mark.parametrize("clinic", [False, True], ids=["no-clinic", "repository-clinic"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_large_print_examples_have_the_whole_emergency_group_on_the_first_page(path, clinic):
    # What a patient must act on in an emergency is on page 1: the emergency heading and every
    # red flag under it, also below the clinic header of this repository's protokit.toml (as
    # `protokit render` prints it). Page 1 keeps no room for a running header or a card's
    # "continued" line, which only later pages have.
    heading, red_flags = box_groups(path)[0]
    assert heading == EN["emergency_intro"] and red_flags
    options = {"clinic": clinic_profile(load_config(start=REPO))} if clinic else {}
    pdf = render(path, large_print=True, **options)
    box_pages(pdf, box_groups(path))
    first_page = words(pages_text(pdf)[0])
    at = find(first_page, heading)
    assert at >= 0, "the emergency heading is not on page 1"
    for red_flag in red_flags:
        assert find(first_page, red_flag, at) >= 0, f"{red_flag!r} is not on page 1"


def short_box(tmp_path):
    data = self_contained()
    data["safety"]["red_flags"] = data["safety"]["red_flags"][:1]
    data["safety"]["stop_criteria"] = data["safety"]["stop_criteria"][:1]
    return rewrite_texts(tmp_path, data, lambda s: s)


def test_a_box_that_fits_stays_whole_on_the_first_page_in_large_print(tmp_path):
    path = short_box(tmp_path)
    assert box_pages(render(path, large_print=True), box_groups(path)) == [0]


def many_red_flags(tmp_path, emergency=18, urgent=7):
    """The example with 25 red flags, all different, so that the box cannot fit on one page."""
    data = self_contained()
    parts = ("left leg", "right leg", "bladder", "bowel")
    flags = [
        {
            "text": f"Red flag {n}: new {parts[n % 4]} weakness, numbness or loss of control "
            "that does not settle within a few minutes of resting.",
            "action": "emergency" if n <= emergency else "urgent",
        }
        for n in range(1, emergency + urgent + 1)
    ]
    data["safety"]["red_flags"] = flags
    return rewrite_texts(tmp_path, data, lambda s: s)


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize(
    "emergency, urgent, runs_on",
    [(18, 7, "emergency_intro"), (2, 23, "urgent_intro")],
    ids=["emergency-group-split", "urgent-group-split"],
)
def test_a_box_too_long_for_a_page_repeats_the_heading_of_every_continued_group(
    tmp_path, large_print, emergency, urgent, runs_on
):
    path = many_red_flags(tmp_path, emergency, urgent)
    groups = box_groups(path)
    pdf = render(path, large_print=large_print)
    pages = box_pages(pdf, groups)
    assert pages[0] == 0 and len(pages) >= 2
    texts = [words(t) for t in pages_text(pdf)]
    heading = continued_heading(EN[runs_on], lambda s: EN["continued"].format(name=s))
    assert any(find(texts[n], heading) >= 0 for n in pages[1:])
    assert render(path, large_print=large_print) == pdf


def test_continued_headings_keep_their_colon_last():
    def mark(language):
        strings = sheet_strings(language)
        return lambda name: strings["continued"].format(name=name)

    assert (
        continued_heading(EN["urgent_intro"], mark("en"))
        == "Stop and seek urgent medical care if (continued):"
    )
    french = sheet_strings("fr")["urgent_intro"]
    assert continued_heading(french, mark("fr")) == (
        "Arrêtez et consultez un médecin en urgence si (suite) :"
    )
    assert continued_heading("No colon", mark("en")) == "No colon (continued)"
