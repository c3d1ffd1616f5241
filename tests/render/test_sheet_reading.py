"""Lines a patient reads whole: a short list run in after its label ("You need: ..."), each item
as written and a capital never after "; "; the clinic's telephone in the header
on one line; a drawing named by its exercise in the HTML."""

import re

from sheet_helpers import EXAMPLE, clinic, pages_text, pdftotext, render


def test_an_item_written_with_a_capital_starts_a_sentence():
    # The kneeling hip flexor stretch needs "A cushion for the knee" and "A chair or wall to
    # hold" (its texts as the 8th sitting's round 2 shortened them): "...knee; A chair" read wrong.
    text = " ".join(" ".join(pages_text(render(EXAMPLE))).split())
    assert "A cushion for the knee. A chair or wall to hold" in text
    assert "; A " not in text


def test_the_header_telephone_with_words_stays_on_one_line(tmp_path):
    # This repository's clinic: "01632 960000 (not a real number)"; the telephone's third of
    # the header broke it after "(not a", under the number the patient is told to call.
    phone = "01632 960000 (not a real number)"
    pdf = render(EXAMPLE, clinic=clinic(phone=phone))
    first_page = pdftotext(pdf, tmp_path, layout=True)[0]
    assert any(f"Telephone {phone}" in line for line in first_page.splitlines())


def test_a_drawing_in_the_html_has_the_exercise_as_title_and_the_pose_as_description():
    # The title was the description again: a screen reader read the pose twice.
    page = render(EXAMPLE, output_format="html").decode()
    drawings = re.findall(r"<title [^>]*>(.*?)</title>\s*<desc [^>]*>(.*?)</desc>", page, re.S)
    assert len(drawings) == 2
    assert all(title != desc for title, desc in drawings)
    assert [t for t, _ in drawings] == ["1. Kneeling hip flexor stretch", "2. Glute bridge"]


def test_the_header_is_no_taller_for_a_telephone_that_wraps_anyway(tmp_path):
    # In large print the same telephone does not fit on one line even in 60 % of the width: a
    # wider column still wrapped it, and the clinic's name beside it took three lines (a sheet
    # a page longer). The clinic's name keeps its half of the width and its two lines.
    phone = "01632 960000 (not a real number)"
    name = "Example Physiotherapy Clinic (not a real clinic)"
    pdf = render(EXAMPLE, clinic=clinic(phone=phone, name=name), large_print=True)
    first_page = pdftotext(pdf, tmp_path, layout=True)[0]
    header = first_page.split("Stop and seek care")[0]
    assert any("Example Physiotherapy" in line for line in header.splitlines())
