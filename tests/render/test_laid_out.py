"""The renderer's memory of parsed and laid-out texts (`protocol_kit.render.laid_out`) never
changes a sheet: a sheet rendered after others in the same process is the sheet rendered
alone, to the byte, and a paragraph whose lines it shares and that is split over pages keeps
every word."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sheet_helpers import (
    EXAMPLE,
    EXAMPLES,
    contains_words,
    pages_text,
    render,
    self_contained,
    write_json,
)

from protocol_kit.render.laid_out import forget


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large print"])
def test_a_sheet_after_other_sheets_is_the_sheet_rendered_alone(large_print):
    forget()
    alone = render(EXAMPLE, fresh=True, large_print=large_print)
    for path in EXAMPLES:  # every text of the examples parsed and laid out, at both sizes
        for large in (False, True):
            render(path, fresh=True, large_print=large)
    assert render(EXAMPLE, fresh=True, large_print=large_print) == alone


def test_a_long_paragraph_split_over_pages_keeps_every_word_when_its_lines_are_shared(tmp_path):
    data = self_contained(EXAMPLE)
    # A run-in paragraph ("Starting position: ...", two fonts) longer than a large-print page:
    # reportlab splits it, and a split changes the pieces of its lines in place.
    words = [f"word{n}" for n in range(900)]
    data["exercises"][0]["starting_position"] = " ".join(words) + "."
    path = write_json(tmp_path, "long.json", data)
    forget()
    first = render(path, fresh=True, large_print=True)
    again = render(path, fresh=True, large_print=True)  # its lines now from the first render
    assert again == first
    pages = pages_text(again)
    holding = [n for n, page in enumerate(pages) if "word1 " in page or "word899" in page]
    assert holding[-1] > holding[0]  # over pages
    printed = re.findall(r"\bword\d+\b", "\n".join(pages))
    assert printed == words  # every word, once, in order
    assert contains_words(pages[holding[0]], "Starting position: word0 word1 word2")
    # and the lines the first render laid out are still whole for the next sheet
    assert render(path, fresh=True, large_print=True) == first


def test_a_split_never_changes_the_lines_another_paragraph_shares():
    from protocol_kit.render.fonts import sheet_fonts
    from protocol_kit.render.styles import sheet_look
    from protocol_kit.render.tags import tagged_paragraph

    style = sheet_look(sheet_fonts(), "#1F5FA8", False).styles["run_in"]
    text = "<b>Starting position:</b> " + " ".join(f"word{n}" for n in range(120))

    def drawn(paragraph) -> list[str]:  # the text of each line, as it would be drawn
        return ["".join(word.text for word in line.words) for line in paragraph.blPara.lines]

    forget()
    alone = tagged_paragraph(text, style, "P")
    alone.wrap(200, 10_000)
    expected = drawn(alone)
    split = tagged_paragraph(text, style, "P")
    split.wrap(200, 10_000)  # the lines `alone` laid out
    assert len(split.split(200, style.leading * 5)) == 2
    later = tagged_paragraph(text, style, "P")
    later.wrap(200, 10_000)
    assert drawn(later) == expected


def test_a_word_is_measured_once_and_to_the_width_reportlab_gives(monkeypatch):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import paragraph as paragraphs

    from protocol_kit.render import laid_out
    from protocol_kit.render.fonts import sheet_fonts
    from protocol_kit.render.styles import sheet_look

    render(EXAMPLE, fresh=True)
    assert paragraphs.stringWidth is laid_out.string_width  # what breaks lines measures by
    measured = []

    def counting(*args):
        measured.append(args[0])
        return stringWidth(*args)

    monkeypatch.setattr(laid_out, "_measure", counting)
    forget()
    styles = sheet_look(sheet_fonts(), "#1F5FA8", False).styles
    fonts = sorted({styles["body"].fontName, styles["dosage_value"].fontName})
    words = ("stretch", "Hüftbeuger", "", " ", "knee\u00adcap")
    for font in fonts:
        for size in (9.5, 16, 16.0):  # (16 and 16.0: one size)
            for word in words:
                for _ in range(2):
                    assert laid_out.string_width(word, font, size) == stringWidth(word, font, size)
    assert len(measured) == len(words) * len(fonts) * 2  # once per word, font and size
    shy = paragraphs._SHYStr("knee\u00adcap")  # a word reportlab marked: measured each time
    font = fonts[0]
    assert laid_out.string_width(shy, font, 12) == stringWidth(shy, font, 12)
    assert laid_out.string_width(shy, font, 12) == stringWidth(shy, font, 12)
    assert measured.count(shy) >= 2


def test_the_layouts_of_a_card_share_what_they_make(monkeypatch):
    """A card with a picture is laid out up to three ways (`Cards.card`): each part of it is
    made into flowables once per width, and the layouts take the same ones."""
    from protocol_kit.render.blocks import Blocks

    made: dict[tuple[int, float], int] = {}
    make = Blocks.flowables

    def counting(self, block, width):
        key = (id(block), width)
        made[key] = made.get(key, 0) + 1
        return make(self, block, width)

    monkeypatch.setattr(Blocks, "flowables", counting)
    forget()
    render(EXAMPLE, fresh=True)
    assert made
    assert max(made.values()) == 1


def _parsed_by_reportlab(text: str, style) -> list:
    from reportlab.platypus.paragraph import cleanBlockQuotedText
    from reportlab.platypus.paraparser import ParaParser

    parser = ParaParser()
    parser.caseSensitive = 1
    return parser.parse(cleanBlockQuotedText(text), style)[1]


def _same_pieces(ours: list, theirs: list) -> bool:
    return [(type(p), p.__dict__) for p in ours] == [(type(p), p.__dict__) for p in theirs]


def test_every_text_of_the_examples_is_cut_into_the_pieces_reportlabs_parser_makes():
    """`laid_out` cuts our markup into pieces without reportlab's HTML parser: for every text
    of every example sheet, at both sizes and in every style it is printed in, the pieces are
    the parser's, attribute for attribute."""
    from reportlab.platypus.paragraph import cleanBlockQuotedText

    from protocol_kit.render import laid_out

    forget()
    for path in EXAMPLES:
        for large in (False, True):
            render(path, fresh=True, large_print=large, clinician=True)
    texts = [(text, entry[0]) for (text, _), entry in laid_out._PARSED.items()]
    assert len(texts) > 300
    for text, style in texts:
        ours = laid_out._our_pieces(cleanBlockQuotedText(text), style)
        assert ours is not None, text  # only our markup on a sheet
        assert _same_pieces(ours, _parsed_by_reportlab(text, style)), text


@pytest.mark.parametrize(
    "spans",
    [
        [("a & b < c > d \"e\" 'f'", False)],
        [("Stop if: ", True), ("pain & numbness\nor <tingling>", False), ("!", True)],
        [("  spaced   out\t\ttext  ", False), ("", True), ("\n\n", False)],
        [("Μετάφραση: ", False), ("Übersetzt & Tłumaczenie", True), ("\u00a0nbsp\u00ad", False)],
        [("&amp; is written as it is; so is &lt;b&gt;", False)],
        [("", False)],
    ],
)
def test_text_with_entities_tags_and_line_breaks_is_cut_as_reportlabs_parser_cuts_it(spans):
    from reportlab.platypus.paragraph import cleanBlockQuotedText

    from protocol_kit.render import laid_out
    from protocol_kit.render.fonts import sheet_fonts
    from protocol_kit.render.styles import sheet_look
    from protocol_kit.render.text import markup, sized
    from protocol_kit.sheet.document import Span

    styles = sheet_look(sheet_fonts(), "#1F5FA8", True).styles
    text = markup(tuple(Span(t, strong) for t, strong in spans))
    for style in (styles["body"], styles["dosage_value"], styles["run_in"]):
        for written in (text, sized(spans[0][0], 7.5, "0x5A6270") + "<br/>" + text):
            ours = laid_out._our_pieces(cleanBlockQuotedText(written), style)
            assert ours is not None
            assert _same_pieces(ours, _parsed_by_reportlab(written, style)), written


@pytest.mark.parametrize(
    "text", ["<i>other</i> markup", "<b>open", "close</b>", "<b><br/></font>", "&nbsp;", "a < b"]
)
def test_markup_beyond_ours_goes_to_reportlabs_parser(text):
    from protocol_kit.render import laid_out
    from protocol_kit.render.fonts import sheet_fonts
    from protocol_kit.render.styles import sheet_look

    style = sheet_look(sheet_fonts(), "#1F5FA8", False).styles["body"]
    assert laid_out._our_pieces(text, style) is None


def test_reportlab_uses_its_c_accelerator():
    """reportlab's C accelerator (rl_accel, the `accel` extra the package depends on) is
    installed and every function it provides is the C one (issue 17)."""
    from reportlab.lib import rl_accel

    assert rl_accel._py_funcs == {}
    assert set(rl_accel._c_funcs) >= {"sameFrag", "instanceStringWidthTTF", "fp_str"}


def test_whether_two_pieces_share_a_style_is_answered_as_reportlabs_accelerator_answers():
    """`laid_out.same_style` stands for rl_accel's sameFrag while lines are broken: the same
    answer for every pair of pieces of the examples, and of pieces with attributes taken away,
    added or changed."""
    from _rl_accel import sameFrag
    from reportlab.lib.colors import HexColor
    from reportlab.platypus.paraparser import ParaFrag

    from protocol_kit.render import laid_out

    forget()
    render(EXAMPLE, fresh=True)
    pieces = [p for entry in list(laid_out._PARSED.values())[:60] for p in entry[1]]
    variants = []
    for piece in pieces[:12]:
        for change in (
            {"link": None}, {"backColor": None}, {"backColor": HexColor("#FFFFFF")},
            {"fontSize": piece.fontSize + 0.0}, {"fontSize": piece.fontSize + 1},
            {"lineBreak": True}, {"cbDefn": object()}, {"textColor": HexColor("#1A1A1A")},
            {"nobr": False},
        ):  # fmt: skip
            variant = ParaFrag(**piece.__dict__)
            variant.__dict__.update(change)
            variants.append(variant)
        for absent in ("link", "us_lines", "rise"):
            variant = ParaFrag(**piece.__dict__)
            del variant.__dict__[absent]
            variants.append(variant)
    everything = pieces + variants
    answers = set()
    for f in everything:
        for g in everything:
            expected = sameFrag(f, g)
            assert laid_out.same_style(f, g) is expected
            answers.add(expected)
    assert answers == {True, False}


_WHITE = "\t\n\x0b\x0c\r\x1c\x1f \x85\xa0\u1680\u2000\u2009\u200a\u200b\u2028\u2029\u202f\u3000"


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.sampled_from(list(_WHITE) + list("ab<>&;é/")), max_size=12),
        st.text(alphabet=st.sampled_from(list(" \xa0ab<>&;é/")), max_size=12),
    )
)
def test_a_text_left_uncleaned_is_one_reportlabs_cleaning_leaves_as_it_is(text):
    """`laid_out` skips reportlab's cleaning of a text's white space only where the cleaning
    would change nothing."""
    from reportlab.platypus.paragraph import cleanBlockQuotedText

    from protocol_kit.render import laid_out

    if laid_out._UNCLEAN.search(text) is None:
        assert cleanBlockQuotedText(text) == text


def test_a_fonts_ascent_and_descent_are_reportlabs_and_looked_up_once(monkeypatch):
    from reportlab.pdfbase.pdfmetrics import getAscentDescent
    from reportlab.platypus import paragraph as paragraphs

    from protocol_kit.render import laid_out
    from protocol_kit.render.fonts import sheet_fonts

    render(EXAMPLE, fresh=True)
    assert paragraphs.getAscentDescent is laid_out.ascent_descent  # what breaks lines asks
    asked = []

    def counting(*args):
        asked.append(args)
        return getAscentDescent(*args)

    monkeypatch.setattr(laid_out, "_ascent_descent", counting)
    monkeypatch.setattr(laid_out, "_HEIGHTS", {})
    fonts = sheet_fonts()
    for font in (fonts.regular, fonts.bold):
        for size in (7, 9.5, 16, 16.0, None, 0):
            for _ in range(2):
                assert laid_out.ascent_descent(font, size) == getAscentDescent(font, size)
    assert len(asked) == 2 * 5  # once per font and size (16 and 16.0: one size)


def test_the_pdfs_strings_are_encoded_as_reportlabs_codec_encodes_them():
    from reportlab.pdfbase import pdfdoc

    from protocol_kit.render import laid_out

    render(EXAMPLE, fresh=True)
    assert pdfdoc.pdfdocEnc is laid_out.pdf_text_bytes
    for code in range(256):  # every printable ASCII character is its byte
        text = chr(code)
        try:
            expected = text.encode("extpdfdoc")
        except UnicodeEncodeError:
            with pytest.raises(UnicodeEncodeError):
                laid_out.pdf_text_bytes(text)
            continue
        assert laid_out.pdf_text_bytes(text) == expected
        assert laid_out.pdf_text_bytes(f"/Name{text}0.5 Tf") == f"/Name{text}0.5 Tf".encode(
            "extpdfdoc"
        )
    assert laid_out.pdf_text_bytes(b"bytes") == b"bytes"
    assert laid_out.pdf_text_bytes("é\u2014\n") == "é\u2014\n".encode("extpdfdoc")


class _Document:  # what a font keeps its subsets per (reportlab's canvas document)
    pass


def _split_both_ways(font, texts):
    """Each text split by reportlab's `splitString` in one document and by `split_string` in
    another, in the same order (so that both give out the same codes)."""
    from protocol_kit.render import laid_out

    theirs, ours = _Document(), _Document()
    for text in texts:
        assert laid_out.split_string(font, text, ours) == laid_out._split_string(
            font, text, theirs
        ), text
    given = [getattr(font.state.get(doc), "assignments", None) for doc in (ours, theirs)]
    assert given[0] == given[1]


def test_every_text_drawn_on_the_examples_is_split_into_codes_as_reportlab_splits_it(monkeypatch):
    """A drawn text whose characters have codes already is cut into them without reportlab's
    loop: for every text the example sheets draw, in the order they draw it, the same runs
    of codes as reportlab's, in a document of its own."""
    from reportlab.pdfbase.ttfonts import TTFont

    from protocol_kit.render import laid_out

    drawn: list[tuple[object, str]] = []
    split = laid_out.split_string

    def recording(font, text, doc, encoding="utf-8"):
        drawn.append((font, text))
        return split(font, text, doc, encoding)

    render(EXAMPLE, fresh=True)
    assert TTFont.splitString is laid_out.split_string
    monkeypatch.setattr(TTFont, "splitString", recording)
    for path in EXAMPLES:
        drawn.clear()
        render(path, fresh=True, large_print=path == EXAMPLE, clinician=True)
        fonts = {font for font, _ in drawn}
        assert len(drawn) > 300 and len(fonts) >= 2
        for font in fonts:
            _split_both_ways(font, [text for f, text in drawn if f is font])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(max_codepoint=0x3FF, exclude_categories=["Cs"]), max_size=20
        ),
        max_size=40,
    )
)
def test_any_text_is_split_into_codes_as_reportlab_splits_it(texts):
    """Texts of many characters (more than a subset holds: later subsets), no-break spaces
    and characters the font lacks."""
    from reportlab.pdfbase.pdfmetrics import getFont

    from protocol_kit.render.fonts import sheet_fonts
    from protocol_kit.render.laid_out import _stand_in_for_reportlab

    _stand_in_for_reportlab()
    font = getFont(sheet_fonts().regular)
    _split_both_ways(font, [*texts, *texts])  # and each again, its codes given out


def test_a_text_in_a_later_subset_of_the_font_is_split_as_reportlab_splits_it():
    from reportlab.pdfbase.pdfmetrics import getFont

    from protocol_kit.render.fonts import sheet_fonts
    from protocol_kit.render.laid_out import _stand_in_for_reportlab

    _stand_in_for_reportlab()
    font = getFont(sheet_fonts().regular)
    letters = [chr(code) for code in [*range(0x20, 0x250), *range(0x370, 0x400)]]
    assert sum(ord(c) in font.face.charToGlyph for c in letters) > 300  # past one subset
    words = ["".join(letters[n : n + 7]) for n in range(0, len(letters), 7)]
    _split_both_ways(font, [*words, *words, " ".join(words), "\u00a0".join(words[:9])])
