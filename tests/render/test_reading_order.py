"""The sheet read in its logical order, whatever the places of its columns on the page.

In standard print a card may set every step beside the picture and its further parts (what
you need, how it should feel, tips) in the column under the picture, and the stop box may set
two of its groups side by side. Read by their places on the page (pdftotext's default), such
columns come out interleaved; a screen reader follows the tagged PDF's structure tree, which
is built in the order the sheet is drawn. So: the structure tree's order is the drawing order
(`pdftotext -raw`), and in that order every card reads its title, "Take care", the starting
position, the steps, and then its further parts.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from sheet_helpers import EXAMPLE, EXAMPLES, clinic, html_text, pdftotext, render, words

from protocol_kit.app.check import load_protocol
from protocol_kit.app.render import RenderOptions, sheet_request
from protocol_kit.render import card as card_module
from protocol_kit.render.sheet import font_check
from protocol_kit.sheet.content import build_sheet
from protocol_kit.sheet.document import Card, Section, StopBox, block_texts

PSOAS_PRESCRIPTION = EXAMPLE.parent.parent / "docs" / "examples" / "prescription-psoas.json"


def flat(text: str) -> str:
    return " ".join(words(text))


def sheet_of(path, prescription: str | None = None, **options):
    options = RenderOptions(clinic=clinic(), **options)
    request = sheet_request(load_protocol(str(path)), options, prescription)
    return build_sheet(request, font_check())


def cards(sheet) -> list[Card]:
    return [block for section in sheet.body if isinstance(section, Section)
            for block in section.blocks if isinstance(block, Card)]  # fmt: skip


def card_texts(card: Card) -> list[str]:
    """A card's texts in its logical order: title, "Take care", starting position and
    steps, then its further parts."""
    texts = [card.title]
    for block in (card.take_care, *card.beside, *card.after):
        if block is not None:
            texts += block_texts(block)
    return [flat(text) for text in texts if flat(text)]


def out_of_order(document: str, texts: list[str]) -> str | None:
    """The first of `texts` not found after the one before it in `document`, else None."""
    at = 0
    for text in texts:
        found = document.find(text, at)
        if found < 0:
            return text
        at = found + len(text)
    return None


def raw_text(pdf: bytes, folder) -> str:
    return flat(" ".join(pdftotext(pdf, folder)))


def marked_content_order(pdf: bytes) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(page, MCID) of every marked content the structure tree refers to, in the tree's
    order (depth first); and of every marked content the pages draw, in drawing order."""
    found: list[tuple[int, int]] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.obj.objgen: n for n, page in enumerate(document.pages)}

        def visit(element) -> None:
            kids = element.get("/K")
            if isinstance(kids, int):
                found.append((pages[element.Pg.objgen], kids))
            elif isinstance(kids, pikepdf.Array):
                for kid in kids:
                    visit(kid)
            elif isinstance(kids, pikepdf.Dictionary):
                visit(kids)

        visit(document.Root.StructTreeRoot)
        drawn: list[tuple[int, int]] = []
        for n, page in enumerate(document.pages):
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    drawn.append((n, int(operands[1].MCID)))
    return found, drawn


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_the_structure_tree_reads_the_sheet_in_the_order_it_is_drawn(large_print):
    # So `pdftotext -raw` (drawing order) reads what a screen reader reads.
    tree, drawn = marked_content_order(
        render(EXAMPLE, prescription=str(PSOAS_PRESCRIPTION), large_print=large_print)
    )
    assert tree == drawn
    assert len(drawn) > 100


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_card_reads_take_care_steps_then_its_further_parts(tmp_path, path, large_print):
    document = raw_text(render(path, large_print=large_print), tmp_path)
    for card in cards(sheet_of(path, large_print=large_print)):
        assert out_of_order(document, card_texts(card)) is None, card.title


def test_the_stop_box_reads_its_groups_in_order(tmp_path):
    document = raw_text(render(EXAMPLE), tmp_path)
    [box] = [block for block in sheet_of(EXAMPLE).body if isinstance(block, StopBox)]
    assert out_of_order(document, [flat(t) for t in block_texts(box)]) is None


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_the_log_reads_its_pain_scale_before_its_instructions_in_both_formats(
    tmp_path, large_print
):
    # Standard print sets the scale on the log heading's line (drawn, and read, before the
    # instructions under it); the document, and so the HTML and large print, say the same.
    [log] = [block for block in sheet_of(EXAMPLE).body
             if isinstance(block, Section) and block.kind == "log"]  # fmt: skip
    instructions = flat(log.blocks[0].content[0].text)
    texts = [flat(log.heading), "Pain guide 0 1 2 3 4 5 6 7 8 9 10", instructions]
    assert [flat(t) for t in block_texts(log)][:3] == [texts[0], "Pain guide", instructions]
    pdf = raw_text(render(EXAMPLE, large_print=large_print), tmp_path)
    html = flat(html_text(render(EXAMPLE, output_format="html", large_print=large_print)))
    for document in (pdf, html):
        assert out_of_order(document, texts) is None


def test_every_step_beside_the_picture_is_read_before_the_parts_under_it(tmp_path, monkeypatch):
    # The psoas sheet: the bridge's every step beside the picture, its purpose and what you
    # need under the picture, read after the last step. (The stretch, first, starts on page 1
    # since the eighth sitting, in the layout whose head fits there: its steps below the
    # picture. With the prescription the stretch is shortest with its steps under the
    # picture, since the sixth sitting put the rest between sets in the dosage grid.)
    pdf = render(EXAMPLE)
    sheet = sheet_of(EXAMPLE)
    stretch = cards(sheet)[1]
    document = raw_text(pdf, tmp_path)
    assert out_of_order(document, card_texts(stretch)) is None
    # The parts under the picture are beside the steps on the page: read by their places
    # they come in the middle of the steps.
    physical = flat(" ".join(pdftotext(pdf, tmp_path, layout=True)))
    assert out_of_order(physical, card_texts(stretch)) is not None
    # Drawn in the wrong order (the parts under the picture in the first row), the check
    # fails: it can tell.
    original = card_module._picture_and_steps

    def parts_first(picture, steps, under, column, text_width):
        return original(picture + under, steps, [], column, text_width)

    monkeypatch.setattr(card_module, "_picture_and_steps", parts_first)
    wrong = raw_text(render(EXAMPLE, fresh=True), tmp_path)
    assert out_of_order(wrong, card_texts(stretch)) is not None
