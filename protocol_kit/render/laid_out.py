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
  sitting), and reportlab measures every word again each time.

None of this changes what is drawn: the same pieces at the same places, the same bytes.
"""

from __future__ import annotations

import copy
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
    from reportlab.platypus import paragraph as paragraphs
    from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
    from reportlab.platypus.paraparser import ParaParser

    if paragraphs.stringWidth is not string_width:  # what breaks lines measures words once
        global _measure
        _measure = paragraphs.stringWidth
        paragraphs.stringWidth = string_width

    parser = ParaParser()
    parser.caseSensitive = 1
    used_style, frags, bullet_frags = parser.parse(cleanBlockQuotedText(text), style)
    if frags is None:  # as Paragraph reports it
        raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph beginning\n"
                         f"'{text[:30]}'")  # fmt: skip
    textTransformFrags(frags, used_style)
    if len(_PARSED) >= MOST_PARSED:
        _PARSED.clear()
    _PARSED[key] = (style, frags, bullet_frags)
    return frags, bullet_frags


# (word, font name, size, encoding) -> its width: reportlab's `stringWidth` (`_measure`) of it.
_WIDTHS: dict[tuple[str, str, float, str], float] = {}
MOST_WIDTHS = 50_000
_measure: Any = None


def string_width(text: Any, font_name: str, font_size: float, encoding: str = "utf8") -> float:
    """reportlab's `stringWidth`, remembered per plain string, font, size and encoding:
    the name reportlab's line breaking (`reportlab.platypus.paragraph`) measures words by,
    set by `parsed`. A font's widths never change once it is registered (`fonts`), so this
    is the same number, to the last bit. A word reportlab marked (a str subclass: a split or
    soft-hyphenated word) is measured as before."""
    if type(text) is not str:
        return _measure(text, font_name, font_size, encoding)
    key = (text, font_name, font_size, encoding)
    width = _WIDTHS.get(key)
    if width is None:
        width = _measure(text, font_name, font_size, encoding)
        if len(_WIDTHS) >= MOST_WIDTHS:
            _WIDTHS.clear()
        _WIDTHS[key] = width
    return width


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


# What Paragraph.wrap sets on the paragraph (reportlab 4 and 5).
_LAID_OUT = (
    "width", "height", "blPara", "frags", "_wrapWidths", "_width_max", "_splitLongWordCount",
    "_hyphenations",
)  # fmt: skip
# (text, style id, bullet, width) -> (style, what wrap set).
_LINES: dict[tuple, tuple[Any, dict[str, Any]]] = {}
MOST_LAID_OUT = 20_000


def forget() -> None:
    """Empty the parsed texts, laid-out lines and measured words (for benchmarks: a sheet
    whose texts were never seen before)."""
    _PARSED.clear()
    _LINES.clear()
    _WIDTHS.clear()


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
