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

# (imported when a paragraph is first broken into lines: by then reportlab is loaded)
from reportlab.platypus import paragraph as paragraphs
from reportlab.platypus.paraparser import ParaFrag

from protocol_kit.render.laid_out import MOST_LAID_OUT, PIECE_WORDS, string_width, widths_in


def _plain_breaking(style: Any, width: Any) -> bool:
    """Whether reportlab breaks lines in `style` by width alone: no hyphenation, no
    right-to-left or shaped text, no dots to the line's end; `width` a list (Paragraph.wrap
    passes one: the first line's width, the later lines')."""
    return type(width) is list and not (
        style.wordWrap
        or style.shaping
        or style.endDots
        or getattr(style, "hyphenationLang", "")
        or style.uriWasteReduce
        or style.embeddedHyphenation
    )


def _broken(paragraph: Any, widest: float) -> None:
    """What reportlab's line breaking sets on the paragraph besides its lines."""
    paragraph._width_max = widest
    paragraph.height = 0
    paragraph._splitLongWordCount = paragraph._hyphenations = 0


def simple_lines(paragraph: Any, width: Any) -> Any | None:
    """What reportlab's `paragraph.breakLines(width)` gives for a paragraph of one plain
    piece of text, with its side effects on the paragraph; None (nothing changed) when the
    paragraph is not that case."""
    style = paragraph.style
    frags = paragraph.frags
    if len(frags) != 1 or not _plain_breaking(style, width):
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
    if paragraph.bulletText:  # (reportlab's does nothing without a bullet)
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
    _broken(paragraph, widest)
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


def styled_lines(paragraph: Any, width: Any) -> Any | None:
    """What reportlab's `paragraph.breakLines(width)` gives for a paragraph of several pieces
    of text (bold runs, a sized run, line breaks), with its side effects on the paragraph;
    None (nothing changed) for anything else (`simple_lines` names the cases).

    reportlab cuts the pieces into words (its `_getFragWords`, called here as it is), then
    fills each line word by word. The filling below is reportlab's for these pieces, step
    for step and number for number, with its repeated questions answered once a paragraph:
    whether two pieces are drawn alike (`sameFrag`, asked for every word and only ever of
    the paragraph's own few pieces), a font's ascent and descent, the width of a space."""
    style = paragraph.style
    frags = paragraph.frags
    if len(frags) < 2 or not _plain_breaking(style, width):
        return None
    for piece in frags:
        if type(piece) is not ParaFrag or "cbDefn" in piece.__dict__:
            return None
        text = piece.__dict__.get("text")
        if text is None:
            if "lineBreak" not in piece.__dict__:
                return None
        elif type(text) is not str or "\xad" in text:
            return None
    first_widths = list(width)
    if paragraph.bulletText:  # (reportlab's does nothing without a bullet)
        paragraphs._handleBulletWidth(paragraph.bulletText, style, width)
    laid = _styled(_words_of(frags, width[0]), paragraphs, style, width)
    if laid is None:  # a word wider than its line: reportlab splits it
        width[:] = first_widths
        return None
    lines, words, widest = laid
    _broken(paragraph, widest)
    paragraph.frags = words
    return paragraphs.ParaLines(kind=1, lines=lines)


def _words_of(frags: list[Any], width: float) -> list[Any]:
    """reportlab's words of a paragraph's pieces (`_getFragWords`), made once per pieces: a
    text is broken at each width it is laid out at (a card's layouts, a table measured and
    drawn), and its pieces are the same objects each time (`laid_out.parsed`). The words
    depend on the width only through a picture's width in per cent, which our pieces never
    have (`styled_lines` takes no piece with a picture). reportlab reads the words and never
    changes them (a split or a hyphenated word is a new one); the list is a copy."""
    key = tuple(map(id, frags))
    found = PIECE_WORDS.get(key)
    if found is None or any(a is not b for a, b in zip(found[0], frags, strict=True)):
        if len(PIECE_WORDS) >= MOST_LAID_OUT:
            PIECE_WORDS.clear()
        found = PIECE_WORDS[key] = (tuple(frags), paragraphs._getFragWords(frags, width))
    return list(found[1])


def _styled(
    words: list[Any], paragraphs: Any, style: Any, widths: list[float]
) -> tuple[list[Any], list[Any], float] | None:
    """The lines (reportlab's FragLine) of `words` (reportlab's words of pieces), the words
    taken, and the widest line's width; None for a word wider than its line. Each line's
    words are copies of the pieces, a piece's text joined to the one before it when the two
    are drawn alike."""
    text_kind, break_kind = paragraphs._FK_TEXT, paragraphs._FK_BREAK
    spaced_word = paragraphs._HSFrag
    fragment_line = paragraphs.FragLine
    heights = paragraphs.getAscentDescent
    same_frag = paragraphs.sameFrag
    alike: dict[tuple[int, int], bool] = {}
    spaces: dict[tuple[str, float], float] = {}

    def space_width(font_name: str, font_size: float) -> float:
        """A space's width in a font and size, measured and kept in `spaces`, which the
        loop reads first (a call a word costs more than the look-up)."""
        found = spaces[font_name, font_size] = string_width(" ", font_name, font_size)
        return found

    shrinkage = style.spaceShrinkage
    split_long = style.splitLongWords
    keep_breaks = not style.justifyBreaks
    last = len(widths) - 1
    line_number = 0
    line_width = widths[0]
    widest = 0
    lines: list[Any] = []
    taken: list[Any] = []
    line: list[Any] = []  # the line's copies of pieces
    source: Any = None  # the piece the line's last copy was made from
    start = 0  # the index in `taken` of the line's first word (reportlab's sFW)
    for word in words:
        taken.append(word)
        last_piece = word[-1][0]
        font_name = last_piece.fontName
        font_size = last_piece.fontSize
        if not line:
            count = space = current = 0
            most_size = font_size
            most_ascent, least_descent = heights(font_name, font_size)
            measured = None  # the piece whose size and heights the line has taken last
        word_width = word[0]
        piece = word[1][0]
        wider = current + space + word_width if word_width > 0 else current
        line_break = piece._fkind == break_kind
        limit = line_width
        # The line's spaces may shrink, so it holds a little more than its width: that can
        # change only the answer for a word past the width (a shrinkage of zero or more
        # never narrows the line), and the spaces are counted for such a word alone, not
        # for each word of the line (a negative shrinkage, which no sheet style has, is
        # counted for each word, as reportlab does).
        if shrinkage and (wider > line_width or shrinkage < 0):
            shrink = space
            for earlier in line:
                if earlier._fkind == text_kind:
                    spaces_in = earlier.text.count(" ")
                    if spaces_in:
                        key = (earlier.fontName, earlier.fontSize)
                        shrink += spaces_in * (spaces.get(key) or space_width(*key))
            shrink *= shrinkage
            limit += shrink
        if (
            not line_break
            and wider > limit
            and split_long
            and word_width > widths[min(line_number, last)]
        ):
            return None
        if not ((wider > limit and count > 0) or line_break):  # the word joins the line
            word_text = word[1][1]
            if word_text:
                count += 1
            font_size = piece.fontSize
            if piece is not measured:  # (taken again, the same numbers change nothing)
                ascent, descent = heights(piece.fontName, font_size)
                most_size = max(most_size, font_size)
                most_ascent = max(most_ascent, ascent)
                least_descent = min(least_descent, descent)
                measured = piece
            if not line:
                copy = piece.clone()
                line = [copy]
                copy.text = word_text
                source = piece
            else:
                key = (id(source), id(piece))
                same = alike.get(key)
                if same is None:
                    same = alike[key] = same_frag(source, piece)
                if not same:
                    if space:
                        for earlier in reversed(line):
                            if earlier._fkind == text_kind:
                                if not earlier.text.endswith(" "):
                                    earlier.text += " "
                                break
                    copy = piece.clone()
                    line.append(copy)
                    copy.text = word_text
                    source = piece
                else:  # joined to the line's last copy
                    copy = line[-1]
                    if space and not copy.text.endswith(" "):
                        copy.text += " " + word_text
                    else:
                        copy.text += word_text
            space = (
                spaces.get((font_name, font_size)) or space_width(font_name, font_size)
                if isinstance(word, spaced_word)
                else 0
            )
            if len(word) > 2:
                most = (most_size, most_ascent, least_descent)
                most, rest_has_text = _rest_of_word(word, line, heights, most)
                most_size, most_ascent, least_descent = most
                source = word[-1][0]
                if not word_text and rest_has_text:
                    count += 1
            current = wider
            continue
        # the line ends: before this word, or at a line break
        if line_break:
            line.append(piece.clone())
        if current > widest:
            widest = current
        lines.append(fragment_line(extraSpace=line_width - current, wordCount=count,
                                   lineBreak=line_break and keep_breaks, words=line,
                                   fontSize=most_size, ascent=most_ascent, descent=least_descent,
                                   maxWidth=line_width, sFW=start))  # fmt: skip
        start = len(taken) - 1
        line_number += 1
        line_width = widths[min(last, line_number)]
        if line_break:
            line = []
            continue
        space = (
            spaces.get((font_name, font_size)) or space_width(font_name, font_size)
            if isinstance(word, spaced_word)
            else 0
        )
        current = word_width
        count = 1
        copy = piece.clone()
        most_size = copy.fontSize
        most_ascent, least_descent = heights(copy.fontName, most_size)
        line = [copy]
        copy.text = word[1][1]
        source = measured = piece
        if len(word) > 2:
            most = (most_size, most_ascent, least_descent)
            (most_size, most_ascent, least_descent), _ = _rest_of_word(word, line, heights, most)
            source = word[-1][0]
    if line:
        if current > widest:
            widest = current
        lines.append(fragment_line(extraSpace=line_width - current, wordCount=count,
                                   lineBreak=False, words=line, fontSize=most_size,
                                   ascent=most_ascent, descent=least_descent, maxWidth=line_width,
                                   sFW=start))  # fmt: skip
    return lines, taken, widest


def break_lines(paragraph: Any, width: Any) -> Any | None:
    """reportlab's `paragraph.breakLines(width)` for the paragraphs a sheet has (one plain
    piece, or several pieces of text and line breaks); None for reportlab to break."""
    lines = simple_lines(paragraph, width)
    return lines if lines is not None else styled_lines(paragraph, width)


def _rest_of_word(
    word: list[Any], line: list[Any], heights: Any, most: tuple[float, float, float]
) -> tuple[tuple[float, float, float], bool]:
    """A copy of each further piece of a word (a word in two styles: "Hold:" in bold, then
    its value) added to the line; the line's largest size, ascent and least descent (`most`)
    with them, and whether any of them has text."""
    most_size, most_ascent, least_descent = most
    has_text = False
    for later, later_text in word[2:]:
        copy = later.clone()
        copy.text = later_text
        if later_text:
            has_text = True
        line.append(copy)
        font_size = copy.fontSize
        ascent, descent = heights(copy.fontName, font_size)
        most_size = max(most_size, font_size)
        most_ascent = max(most_ascent, ascent)
        least_descent = min(least_descent, descent)
    return (most_size, most_ascent, least_descent), has_text
