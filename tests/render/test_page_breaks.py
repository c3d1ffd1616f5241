"""Where a sheet's pages break, as a patient notices it: a heading is never the last line of a
page (its text on the next), and a sheet never ends on a page that holds only its picture
credits. Page 1 is filled to different heights by a summary made longer step by step, so
that the two columns of "Before you start" and "About your programme" break at every point."""

from __future__ import annotations

from pathlib import Path

import pytest
from sheet_helpers import (
    contains_words,
    pages_text,
    patient_texts,
    pdftotext,
    render,
    rewrite_texts,
    self_contained,
    with_pictures,
    write_json,
)

from protocol_kit.app.check import load_protocol
from protocol_kit.sheet.wording import wording_for

HEADINGS = ("pain_guide", "before_you_start", "about_programme", "your_exercises", "cool_down",
            "log_heading", "credits")  # fmt: skip
# Words added to the summary at each step: about a line of page 1.
LINE = "and a few more words to make the summary one line longer than before"


def body_lines(page: str) -> list[str]:
    """A page's lines, without the footer's page number."""
    return [line.strip() for line in page.splitlines() if line.strip() and "Page " not in line]


def placed_words(pdf: bytes, folder: Path) -> list[list[tuple[str, float, float, float]]]:
    """Each page's words with where they are: (word, left, top, bottom) in points."""
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = folder / "sheet-for-boxes.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         check=True, text=True).stdout  # fmt: skip
    root = ET.fromstring(out)
    pages = []
    xhtml = "{http://www.w3.org/1999/xhtml}"
    for page in root.iter(f"{xhtml}page"):
        pages.append([(w.text or "", float(w.get("xMin")), float(w.get("yMin")),
                       float(w.get("yMax"))) for w in page.iter(f"{xhtml}word")])  # fmt: skip
    return pages


def headings_without_text_under(pages, headings: set[str]) -> list[str]:
    """Headings after which nothing follows in their column on their page: the next line
    under a heading starts within a few points of its left edge, a line below."""
    alone = []
    for number, page in enumerate(pages, start=1):
        for heading in headings:
            first, *rest = heading.split()
            for i, (word, left, _top, bottom) in enumerate(page):
                following = [w for w, *_ in page[i + 1 : i + 1 + len(rest)]]
                if word != first or following != rest:
                    continue
                under = [w for w in page if abs(w[1] - left) < 25 and bottom < w[2] < bottom + 30]
                if not under:
                    alone.append(f"page {number}: {heading}")
    return alone


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_no_heading_ends_a_page_or_a_column(tmp_path, large_print):
    words = wording_for("en")
    headings = {words[key] for key in HEADINGS}
    data = self_contained()
    summary = data["summary"]
    for step in range(16):
        data["summary"] = " ".join([summary, *[LINE] * step])
        path = write_json(tmp_path, f"protocol-{step}.json", data)
        pages = placed_words(render(path, large_print=large_print), tmp_path)
        assert headings_without_text_under(pages, headings) == [], f"summary +{step} lines"


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_a_sheet_never_ends_on_a_page_of_credits_only(tmp_path, large_print):
    words = wording_for("en")
    data = with_pictures(self_contained(), tmp_path)
    summary = data["summary"]
    for step in range(0, 40, 3):
        data["summary"] = " ".join([summary, *[LINE] * step])
        path = write_json(tmp_path, f"protocol-{step}.json", data)
        pages = pdftotext(render(path, large_print=large_print), tmp_path)
        lines = [body_lines(page) for page in pages]
        # The frame: lines printed on more than one page (banner, running header, footer).
        frame = {line for line in set().union(*map(set, lines))
                 if sum(line in page for page in lines) > 1}  # fmt: skip
        assert any(words["credits"] in line for page in lines for line in page)
        rest = [line for line in lines[-1] if line not in frame and line != words["credits"]
                and "protocol-kit tests" not in line and "CC0-1.0" not in line]  # fmt: skip
        assert rest, f"summary +{step} lines: the last page holds only the credits"


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_a_card_part_longer_than_a_page_breaks_between_its_items(tmp_path, large_print):
    """70 tips and 45 cautions: printed whole, over pages, where a row or a cell that cannot
    break would stop the sheet."""
    data = self_contained()
    exercise = data["exercises"][0]
    exercise["cues"] = [
        f"Tip {k}: keep breathing slowly and steadily as you move." for k in range(70)
    ]
    exercise["precautions"] += [
        {
            "description": f"Case {k}.",
            "management": "Watch it.",
            "patient_advice": f"Caution {k}: if this hurts your knee, stop and tell your physio.",
        }
        for k in range(45)
    ]
    path = rewrite_texts(tmp_path, data, lambda s: s)
    document = "\n".join(pages_text(render(path, large_print=large_print)))
    protocol = load_protocol(str(path))
    assert [t for t in patient_texts(protocol) if not contains_words(document, t)] == []


@pytest.mark.parametrize("where", [0, 1], ids=["first-item", "second-item"])
def test_a_section_too_long_for_two_columns_is_printed_whole_in_one(tmp_path, where):
    """H193: "Before you start" and "About your programme" share two columns of page 1; a piece
    of general advice of some 500 words where a column starts (pasted from a leaflet) made
    reportlab's balanced columns fail (`internal error: ValueError: ... cannot make initial
    split`). The sections then take the full width, one after the other, every word printed."""
    data = self_contained()
    advice = data["safety"]["general_advice"]
    advice[where] = " ".join(["leaflet"] * 600)
    pdf = render(write_json(tmp_path, "long-advice.json", data))
    text = "\n".join(pages_text(pdf))
    assert text.count("leaflet") == 600
    for other in advice[:where] + advice[where + 1 :]:
        assert contains_words(text, other)


@pytest.mark.parametrize("where", ["advice", "education"])
def test_a_text_taller_than_a_column_is_printed_whole_at_its_size(tmp_path, where):
    """H1307: a piece of general advice or education of thousands of words after the first
    (an item the columns' first page did not hold) stopped the sheet (`internal error:
    ValueError: ... cannot make initial split`), and one of 600 words (taller than a column)
    was printed shrunk to fit its column. Both take the full width, at the body's size."""
    data = self_contained()
    texts = (data["safety"]["general_advice"] if where == "advice"
             else data["delivery"].setdefault("education", []))  # fmt: skip
    texts += ["Short words as a yardstick.", ""]
    for words in (600, 1200):
        texts[-1] = " ".join(["leaflet"] * words)
        pdf = render(write_json(tmp_path, f"long-{where}-{words}.json", data))
        boxes = [w for page in placed_words(pdf, tmp_path) for w in page]
        assert sum(word == "leaflet" for word, *_ in boxes) == words
        [compare] = [bottom - top for word, _, top, bottom in boxes if word == "yardstick."]
        sizes = {round(bottom - top, 1) for word, _, top, bottom in boxes if word == "leaflet"}
        assert sizes == {round(compare, 1)}, f"{words} words: printed at {sizes}, not {compare}"


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_one_precaution_taller_than_a_page_is_printed_whole(tmp_path, large_print):
    """H1308: the "Take care" box of one precaution (its advice of some 1,200 words) stopped
    the sheet (`internal error: LayoutError`): its one row was the row repeated on every page
    it runs over, and a row taller than a page could then never fit."""
    data = self_contained()
    [precaution, *_] = data["safety"]["precautions"]
    precaution["patient_advice"] = " ".join(["leaflet"] * 1200)
    data["safety"]["precautions"] = [precaution]
    pdf = render(write_json(tmp_path, "long-care.json", data), large_print=large_print)
    assert "\n".join(pages_text(pdf)).count("leaflet") == 1200


def test_a_table_row_taller_than_a_page_is_split_inside_the_row(tmp_path):
    """H187: a row of a table (here the pain guide's amber band) taller than a whole page made
    reportlab stop the sheet (`internal error: LayoutError`); it is split inside the row."""
    data = self_contained()
    data["safety"]["pain_guide"]["amber"] = " ".join(["amberband"] * 900)
    text = "\n".join(pages_text(render(write_json(tmp_path, "long-band.json", data))))
    assert text.count("amberband") == 900


def test_one_piece_of_general_advice_is_printed_across_the_page(tmp_path):
    """Users' round (fourteenth sitting): a protocol with one piece of general advice (as
    `protokit new protocol` writes it) printed it wrapped in the left of two columns, the right
    one empty. Alone, it takes the full width: one line; two pieces still share two columns."""
    data = self_contained()
    advice = (
        "Move slowly and smoothly, do not bounce, and breathe normally: never hold your breath."
    )
    data["safety"]["general_advice"] = [advice]
    # (no warm-up and no precaution: they would be the section's second and third parts)
    data["delivery"].pop("warm_up", None)
    data["safety"]["precautions"] = []
    lines = pdftotext(render(write_json(tmp_path, "one.json", data)), tmp_path, layout=True)[0]
    [line] = [line for line in lines.splitlines() if "Move slowly" in line]
    assert " ".join(line.split()) == f"• {advice}"
    data["safety"]["general_advice"] = [advice, "Wear loose, comfortable clothes."]
    lines = pdftotext(render(write_json(tmp_path, "two.json", data)), tmp_path, layout=True)[0]
    [line] = [line for line in lines.splitlines() if "Move slowly" in line]
    assert "never hold your breath" not in line  # wrapped in its column, beside the other
