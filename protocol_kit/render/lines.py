"""A paragraph of one style broken into lines as reportlab breaks it, in less time (issue 17,
eighth sitting).

Most of a sheet's paragraphs are one piece of text in one style (a step, a label, a line of
the stop box). reportlab's `Paragraph.breakLines` lays such a paragraph out word by word:
for each word it calls its width function, pops the word from the front of a list, and
tests for soft hyphens, split words and hyphenation. On a sheet whose texts are new to the
process that loop is about a tenth of the sheet's CPU time, its words measured in calls of
a few microseconds each.

`simple_lines` lays out the same lines for that case alone: the same words (reportlab's
`split` of the text, stripped by its `strip`), each width looked up in the measured words
of its font (`laid_out.widths_in`, filled by reportlab's own measure), the same arithmetic
in the same order (so the same floating-point numbers), the same line when a word does not
fit, and the same result (a clone of the piece with `kind=0`, the lines, the font's ascent
and descent). It answers None, and reportlab breaks the lines, for anything else: more than
one piece, a soft hyphen, a word wider than its line (which reportlab splits), hyphenation,
right-to-left or shaped text, dots to the line's end, a picture or a background in the
text. `tests/render/test_lines.py` holds it to reportlab's result, attribute for attribute.
"""

from __future__ import annotations

from typing import Any

from protocol_kit.render.laid_out import string_width, widths_in


def simple_lines(paragraph: Any, width: Any) -> Any | None:
    """What reportlab's `paragraph.breakLines(width)` gives for a paragraph of one plain
    piece of text, with its side effects on the paragraph; None (nothing changed) when the
    paragraph is not that case."""
    from reportlab.platypus import paragraph as paragraphs
    from reportlab.platypus.paraparser import ParaFrag

    style = paragraph.style
    frags = paragraph.frags
    if (
        type(width) is not list  # (Paragraph.wrap passes a list: first line, later lines)
        or len(frags) != 1
        or style.wordWrap
        or style.shaping
        or style.endDots
        or getattr(style, "hyphenationLang", "")
        or style.uriWasteReduce
        or style.embeddedHyphenation
    ):
        return None
    piece = frags[0]
    if type(piece) is not ParaFrag:
        return None
    attributes = piece.__dict__
    text = attributes.get("text")
    if type(text) is not str or "\xad" in text or "cbDefn" in attributes:
        return None
    if "backColor" in attributes:
        return None
    first_widths = list(width)
    # reportlab narrows the first line for a bullet, in the list it was given
    paragraphs._handleBulletWidth(paragraph.bulletText, style, width)
    font_name, font_size = piece.fontName, piece.fontSize
    ascent, descent = paragraphs.getAscentDescent(font_name, font_size)
    text = paragraphs.strip(text)
    lines: list[Any] = []
    widest = 0
    if text:
        laid = _lines(paragraphs.split(text), paragraph.encoding, style, width, font_name,
                      font_size)  # fmt: skip
        if laid is None:  # a word wider than its line: reportlab splits it
            width[:] = first_widths
            return None
        lines, widest = laid
    paragraph._width_max = widest
    paragraph.height = 0
    paragraph._splitLongWordCount = paragraph._hyphenations = 0
    return piece.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=font_size)


def _lines(
    words: list[str], encoding: str, style: Any, widths: list[float], font_name: str,
    font_size: float,
) -> tuple[list[Any], float] | None:  # fmt: skip
    """The words in lines, each line (the width it leaves, its words), greedily as reportlab
    fills them: a word joins the line while the line with it, a space before it, is no wider
    than the line's width plus the space's shrinkage for each word on the line; and the
    widest line's width. None for a word wider than its own line."""
    measured = widths_in(font_name, font_size, encoding)
    space = string_width(" ", font_name, font_size, encoding)
    shrink = style.spaceShrinkage * space
    split_long = style.splitLongWords
    last = len(widths) - 1
    line_number = 0
    line_width = widths[0]
    widest = 0
    current = -space
    line: list[str] = []
    lines: list[Any] = []
    for word in words:
        word_width = measured.get(word)
        if word_width is None:
            word_width = string_width(word, font_name, font_size, encoding)
        wider = current + space + word_width
        limit = line_width + shrink * len(line)
        if wider > limit and split_long and word_width > widths[min(line_number, last)]:
            return None
        if wider <= limit or not line:
            line.append(word)
            current = wider
        else:
            if current > widest:
                widest = current
            lines.append((line_width - current, line))
            line = [word]
            current = word_width
            line_number += 1
            line_width = widths[min(last, line_number)]
    if current > widest:
        widest = current
    lines.append((line_width - current, line))
    return lines, widest
