"""Work a sheet does once, not each time reportlab asks: the sheet's CPU time (issue 17).

reportlab recomputes whatever it is asked for. A paragraph's markup is parsed by an HTML
parser each time a Paragraph is made, a paragraph is wrapped each time something asks its
size (a KeepTogether, the frame, a table when it measures its cells and again when it draws
them), and a table measures every cell each time it is wrapped. The same texts in the same
styles recur on every sheet (labels, the stop box, library exercises), and the lines of a
paragraph or the rows of a table depend only on the width. So:

- `paragraph` parses a markup text in a style once per process and builds each Paragraph
  from the parsed pieces (reportlab's own `frags` argument);
- `LaidOutOnce` keeps a paragraph's lines, and `MeasuredOnce` a table's row heights and
  column widths, when they are wrapped again at the width they were last wrapped at;
- the width of a word in a font and size is measured once (`string_width`): a card laid out
  several ways breaks the same paragraphs into lines at several widths (issue 17, fifth
  sitting), and reportlab measures every word again each time;
- our own markup (escaped text, bold, line breaks, a sized run: `protocol_kit.render.text`)
  is cut into reportlab's pieces without its HTML parser (`_our_pieces`): each piece is a
  copy of the piece the parser made of a one-letter text in the same tags and style, with
  the text put in (issue 17, seventh sitting);
- a font's ascent and descent at a size are looked up once (`ascent_descent`), and the
  strings of the PDF's objects that are printable ASCII are encoded as ASCII, the same bytes
  as reportlab's PDFDocEncoding codec gives them (`pdf_text_bytes`);
- reportlab's test of whether two pieces have the same style, called for every word broken
  into lines, is done in Python for its own pieces (`same_style`): the C accelerator's
  version raises and clears an exception for each attribute a piece does not have;
- a paragraph's lines are filled by `protocol_kit.render.lines` where it covers the case
  (`LaidOutOnce.breakLines`), with a text's words made once for all its widths
  (`PIECE_WORDS`), and a drawn text whose characters have codes in the font's subset
  already is cut into them without reportlab's loop (`split_string`) (issue 17, eighth
  sitting).

None of this changes what is drawn: the same pieces at the same places, the same bytes.
"""

from __future__ import annotations

import copy
import re
from typing import Any

# (markup, style id) -> (style, its parsed pieces, the bullet's pieces). Styles are made
# once per look (`protocol_kit.render.styles.sheet_look`, cached by the writer), so their ids
# are stable; the style is kept in the entry, so an id is never reused while its entry lives.
_PARSED: dict[tuple[str, int], tuple[Any, list[Any], Any]] = {}
# About a hundred sheets' worth of distinct texts; then start again rather than grow.
MOST_PARSED = 20_000


def parsed(text: str, style: Any) -> tuple[list[Any], Any]:
    """The pieces reportlab's parser makes of the markup `text` in `style` (as Paragraph
    would), and the bullet's pieces if the markup has any; parsed once per process."""
    key = (text, id(style))
    hit = _PARSED.get(key)
    if hit is not None and hit[0] is style:
        return hit[1], hit[2]
    from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
    from reportlab.platypus.paraparser import ParaParser

    _stand_in_for_reportlab()
    clean = text if _UNCLEAN.search(text) is None else cleanBlockQuotedText(text)
    frags = _our_pieces(clean, style)
    if frags is not None:
        used_style, bullet_frags = style, None
    else:  # markup beyond ours: reportlab's parser
        parser = ParaParser()
        parser.caseSensitive = 1
        used_style, frags, bullet_frags = parser.parse(clean, style)
        if frags is None:  # as Paragraph reports it
            raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph beginning\n"
                             f"'{text[:30]}'")  # fmt: skip
    textTransformFrags(frags, used_style)
    if len(_PARSED) >= MOST_PARSED:
        _PARSED.clear()
    _PARSED[key] = (style, frags, bullet_frags)
    return frags, bullet_frags


# What reportlab's cleaning of a paragraph's text (`cleanBlockQuotedText`: every run of
# white space one space, none at either end) would change: white space other than a space
# (reportlab's list or Python's), two spaces, a space at either end. Most texts have none,
# and are left as they are without the cleaning's calls.
_UNCLEAN = re.compile(
    "[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]|  |^ | $"
)


def _stand_in_for_reportlab() -> None:
    """Put this module's stand-ins where reportlab looks its functions up, once a process:
    each gives reportlab's answer, in less time."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.platypus import paragraph as paragraphs

    if paragraphs.stringWidth is string_width:
        return
    global _measure, _same_frag, _ascent_descent
    _measure = paragraphs.stringWidth  # what breaks lines measures words once
    paragraphs.stringWidth = string_width
    _ascent_descent = paragraphs.getAscentDescent
    paragraphs.getAscentDescent = ascent_descent
    _same_frag = paragraphs.sameFrag
    if type(_same_frag).__name__ == "builtin_function_or_method":  # rl_accel's (C)
        paragraphs.sameFrag = same_style
    pdfdoc.pdfdocEnc = pdf_text_bytes  # what writes the PDF's objects
    from reportlab.pdfbase.ttfonts import TTFont

    global _split_string
    _split_string = TTFont.splitString
    TTFont.splitString = split_string  # what draws each run of text


# Our markup, one token at a time: a tag we write, an entity `escape` writes, or text.
_TOKEN = re.compile(
    r'<b>|</b>|<br/>|<font size="[^"<>&]*" color="[^"<>&]*">|</font>|&amp;|&lt;|&gt;|[^<&]+'
)
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
# (style id, the open tags, a line break or text) -> (style, the piece reportlab's parser
# makes there). Per style and tags, not per text: kept by `forget`, like the styles.
_PIECES: dict[tuple[int, tuple[str, ...], bool], tuple[Any, Any]] = {}


def _our_pieces(text: str, style: Any) -> list[Any] | None:
    """The pieces reportlab's parser makes of `text` (markup cleaned as Paragraph cleans it)
    in `style`, when it is only our markup (`protocol_kit.render.text`); None otherwise.

    The parser (an HTMLParser) makes one piece per run of text between tags and entities,
    one per entity, and one per line break, each a copy of the piece on top of its stack of
    open tags with the text set: a piece depends on its tags and its text only. So each piece
    here is a copy of the one the parser makes of "x" (or of a line break) in the same tags,
    with the text put in."""
    pieces: list[Any] = []
    tags: list[str] = []
    at = 0
    for match in _TOKEN.finditer(text):
        if match.start() != at:
            return None
        at = match.end()
        token = match.group()
        if token[0] == "&":
            pieces.append(_piece(style, tags, _ENTITIES[token]))
        elif token[0] != "<":
            pieces.append(_piece(style, tags, token))
        elif token == "<br/>":
            pieces.append(_piece(style, tags, None))
        elif token[1] != "/":
            tags.append(token)
        elif tags and tags[-1].startswith(token[2:-1], 1):  # </b> closes <b>, </font> <font
            tags.pop()
        else:
            return None
    if at != len(text) or tags:
        return None
    return pieces


def _piece(style: Any, tags: list[str], text: str | None) -> Any:
    """A copy of the piece the parser makes of a text (None: a line break) inside `tags`."""
    key = (id(style), tuple(tags), text is None)
    hit = _PIECES.get(key)
    if hit is None or hit[0] is not style:
        from reportlab.platypus.paraparser import ParaParser

        parser = ParaParser()
        parser.caseSensitive = 1
        closing = "".join(f"</{tag[1:].split(' ')[0].rstrip('>')}>" for tag in reversed(tags))
        probe = "".join(tags) + ("<br/>" if text is None else "x") + closing
        _, made, _ = parser.parse(probe, style)
        if made is None or len(made) != 1:  # never for our tags
            raise ValueError(f"reportlab parsed {probe!r} as {made!r}")
        if len(_PIECES) >= MOST_PARSED:  # (a few per style; styles are made once per look)
            _PIECES.clear()
        hit = _PIECES[key] = (style, made[0])
    piece = object.__new__(type(hit[1]))
    piece.__dict__.update(hit[1].__dict__)  # as copy.copy, which the parser uses
    if text is not None:
        piece.text = text
    return piece


_ParaFrag: Any = None  # reportlab's piece class, imported once (`same_style` is called a lot)


def _import_para_frag() -> None:
    global _ParaFrag
    from reportlab.platypus.paraparser import ParaFrag

    _ParaFrag = ParaFrag


_STYLE_NAMES = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor",
                "nobr")  # fmt: skip
_ABSENT = object()
_same_frag: Any = None


def same_style(f: Any, g: Any) -> bool:
    """reportlab's `sameFrag` (rl_accel): whether two pieces are drawn in the same style, so
    that reportlab may join them into one word. The C version asks each piece for each
    attribute and clears the exception when it has none, several microseconds a call and a
    call per word broken into lines; this reads the pieces' attributes, which for reportlab's
    own pieces (ParaFrag: no attributes of its class, no __getattr__) is the same thing, and
    compares them as it does: absent equals only absent, else `!=` after identity. Any other
    kind of piece goes to reportlab's."""
    if _ParaFrag is None:
        _import_para_frag()
    if type(f) is not _ParaFrag or type(g) is not _ParaFrag:
        return _same_frag(f, g)
    fd, gd = f.__dict__, g.__dict__
    if "cbDefn" in fd or "lineBreak" in fd or "cbDefn" in gd or "lineBreak" in gd:
        return False
    for name in _STYLE_NAMES:
        a, b = fd.get(name, _ABSENT), gd.get(name, _ABSENT)
        if a is _ABSENT or b is _ABSENT:
            if a is not b:
                return False
        elif a is not b and a != b:
            return False
    return True


# (font name, size, encoding) -> {word: its width}: reportlab's `stringWidth` (`_measure`).
_WIDTHS: dict[tuple[str, float, str], dict[str, float]] = {}
MOST_WIDTHS = 50_000  # words a font and size
_measure: Any = None


def widths_in(font_name: str, font_size: float, encoding: str = "utf8") -> dict[str, float]:
    """The words measured so far in a font, size and encoding, by word (`string_width`
    fills it): the line breaking of `protocol_kit.render.lines` looks each word up here."""
    key = (font_name, font_size, encoding)
    found = _WIDTHS.get(key)
    if found is None:
        found = _WIDTHS[key] = {}
    elif len(found) >= MOST_WIDTHS:
        found.clear()
    return found


def string_width(text: Any, font_name: str, font_size: float, encoding: str = "utf8") -> float:
    """reportlab's `stringWidth`, remembered per plain string, font, size and encoding:
    the name reportlab's line breaking (`reportlab.platypus.paragraph`) measures words by,
    set by `parsed`. A font's widths never change once it is registered (`fonts`), so this
    is the same number, to the last bit. A word reportlab marked (a str subclass: a split or
    soft-hyphenated word) is measured as before."""
    if type(text) is not str:
        return _measure(text, font_name, font_size, encoding)
    widths = _WIDTHS.get((font_name, font_size, encoding))
    if widths is not None:
        width = widths.get(text)
        if width is not None:
            return width
    widths = widths_in(font_name, font_size, encoding)
    width = widths[text] = _measure(text, font_name, font_size, encoding)
    return width


# (font name, size) -> reportlab's `getAscentDescent` of them (`_ascent_descent`).
_HEIGHTS: dict[tuple[str, Any], tuple[float, float]] = {}
_ascent_descent: Any = None


def ascent_descent(font_name: str, font_size: Any = None) -> tuple[float, float]:
    """reportlab's `getAscentDescent`, remembered per font and size: asked for every word
    that is broken into lines, it looks for the font's ascent where a TrueType font has none
    and catches the exception each time. A registered font never changes (`fonts`), so this
    is the same pair of numbers; a few dozen fonts and sizes, kept by `forget`."""
    key = (font_name, font_size)
    found = _HEIGHTS.get(key)
    if found is None:
        found = _HEIGHTS[key] = _ascent_descent(font_name, font_size)
    return found


def pdf_text_bytes(value: Any) -> Any:
    """reportlab's `pdfdocEnc`: a string of the PDF (a name, a number, an operator) in
    PDFDocEncoding, through reportlab's Python codec, about 2 µs for each of the thousands of
    strings a sheet's objects are written as. That codec maps each character on its own, and
    maps each printable ASCII character to its ASCII byte: such a string is encoded as ASCII,
    the same bytes; any other goes to the codec."""
    if isinstance(value, str):
        if value.isascii() and value.isprintable():
            return value.encode("ascii")
        return value.encode("extpdfdoc")
    return value


_split_string: Any = None


def split_string(font: Any, text: Any, doc: Any, encoding: str = "utf-8") -> list[Any]:
    """reportlab's `TTFont.splitString`: a drawn text as runs of one-byte codes, each run
    in one subset of the font, the codes given out in the order the document first uses
    each character (a no-break space drawn as a space). reportlab looks each character up
    in a Python loop, for every run of text drawn. A code, once given, never changes, so a
    text whose characters all have one in the first subset is those codes in one run; any
    other text (a new character, a later subset, a character the font lacks) goes to
    reportlab's, which gives out the codes."""
    state = font.state.get(doc)
    if state is not None and type(text) is str:
        assignments = state.assignments
        try:
            codes = [assignments[code] for code in map(ord, text.replace("\xa0", " "))]
        except KeyError:
            pass
        else:
            if not codes:
                return []
            if max(codes) < 256:
                return [(0, bytes(codes))]
    return _split_string(font, text, doc, encoding)


def paragraph(cls: type, text: str, style: Any, bullet: str | None = None) -> Any:
    """A `cls` (a Paragraph class) of the markup `text` in `style`, made from the parsed
    pieces: reportlab reads them and never changes them in place (a paragraph that is split
    or justified makes new ones), so paragraphs of the same text share them."""
    frags, bullet_frags = parsed(text, style)
    made = cls.__new__(cls)
    made.__init__(text, style, bulletText=bullet_frags or bullet, frags=list(frags))
    made._from_text = True  # its lines may be shared (`LaidOutOnce`)
    return made


class LaidOutOnce:
    """A paragraph's lines computed once per text, style, bullet and width in a process.

    A paragraph wrapped again at the width it was last wrapped at keeps its lines, and a
    paragraph of the same text, style and bullet as one laid out before at that width
    (a label, the stop box, a library exercise's steps on the next sheet) takes that one's
    lines: reportlab draws from them and never changes them, except when it splits a
    paragraph, which then lays out its own lines first."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # (reportlab drops the lines, `blPara`, when it splits a paragraph: then lay out again)
        if getattr(self, "_wrapped_at", None) == available_width and hasattr(self, "blPara"):
            return self.width, self.height
        key = self._lines_key(available_width)
        found = _LINES.get(key) if key is not None else None
        if found is not None and found[0] is self.style:  # type: ignore[attr-defined]
            self.__dict__.update(found[1])
            self._shared_lines = True
        else:
            super().wrap(available_width, available_height)  # type: ignore[misc]
            self._shared_lines = False
            if key is not None:
                if len(_LINES) >= MOST_LAID_OUT:
                    _LINES.clear()
                laid = {name: getattr(self, name) for name in _LAID_OUT if hasattr(self, name)}
                _LINES[key] = (self.style, laid)  # type: ignore[attr-defined]
        self._wrapped_at = available_width
        return self.width, self.height  # type: ignore[attr-defined]

    def _lines_key(self, width: float) -> tuple | None:
        """What a paragraph's lines depend on; None for a part of a split paragraph (made
        from pieces, not from a text)."""
        text = self.text  # type: ignore[attr-defined]
        if text is None or self.__dict__.get("_from_text") is not True:
            return None
        bullet = self.bulletText  # type: ignore[attr-defined]
        if bullet is not None and not isinstance(bullet, str):
            return None
        return (text, id(self.style), bullet, width)  # type: ignore[attr-defined]

    def breakLines(self, width: Any) -> Any:  # noqa: N802 (reportlab's name)
        lines = _break_lines()(self, width)
        return lines if lines is not None else super().breakLines(width)  # type: ignore[misc]

    def split(self, available_width: float, available_height: float) -> list[Any]:
        # reportlab's split of a paragraph of several fonts changes its lines' pieces in
        # place: lines shared with other paragraphs are laid out again, for this one alone.
        if self.__dict__.pop("_shared_lines", False):
            self.frags = list(parsed(self.text, self.style)[0])  # type: ignore[attr-defined]
            super().wrap(available_width, available_height)  # type: ignore[misc]
            self._wrapped_at = available_width
        return super().split(available_width, available_height)  # type: ignore[misc]

    def deepcopy(self) -> Any:
        """The copy reportlab splits when it tries where a column could end (BalancedColumns
        and other containers call `deepcopy()` when a flowable has one): a paragraph as made,
        without its lines, instead of a deep copy of its pieces, lines and style. A split of
        the copy lays it out again and never changes what the original shares with it."""
        clone = copy.copy(self)
        for laid in ("blPara", "_wrapped_at", "_shared_lines"):
            clone.__dict__.pop(laid, None)
        return clone


_line_breaker: Any = None


def _break_lines() -> Any:
    """`protocol_kit.render.lines.break_lines`, imported once (it imports this module)."""
    global _line_breaker
    if _line_breaker is None:
        from protocol_kit.render.lines import break_lines

        _line_breaker = break_lines
    return _line_breaker


# What Paragraph.wrap sets on the paragraph (reportlab 4 and 5).
_LAID_OUT = (
    "width", "height", "blPara", "frags", "_wrapWidths", "_width_max", "_splitLongWordCount",
    "_hyphenations",
)  # fmt: skip
# (text, style id, bullet, width) -> (style, what wrap set).
_LINES: dict[tuple, tuple[Any, dict[str, Any]]] = {}
MOST_LAID_OUT = 20_000


# (the ids of a paragraph's pieces) -> (the pieces, reportlab's words of them): filled by
# `protocol_kit.render.lines`, which breaks a text at each width it is laid out at.
PIECE_WORDS: dict[tuple[int, ...], tuple[tuple[Any, ...], list[Any]]] = {}


def forget() -> None:
    """Empty the parsed texts, laid-out lines and measured words (for benchmarks: a sheet
    whose texts were never seen before)."""
    _PARSED.clear()
    _LINES.clear()
    _WIDTHS.clear()
    PIECE_WORDS.clear()


class MeasuredOnce:
    """A table wrapped again at the width it was last wrapped at keeps its measurements.

    reportlab's Table measures every cell on each wrap; the result depends on the height
    offered only for a table with cells spanning rows (its long-table shortcut stops early
    there), so such a table is measured each time."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if getattr(self, "_measured_at", None) == available_width and not self._rowSpanning():
            return self._width, self._height
        size = super().wrap(available_width, available_height)  # type: ignore[misc]
        self._measured_at = available_width
        return size

    def _rowSpanning(self) -> bool:  # noqa: N802 (beside reportlab's names)
        return any(
            command[0] == "SPAN" and command[1][1] != command[2][1] for command in self._spanCmds
        )
