"""Text from the sheet document into reportlab markup: the ONE place where it is escaped.

reportlab's Paragraph reads its text as markup. Every text of a sheet must print exactly as
written, so every string passes through `escape` here and nowhere else; our own markup (bold
runs, line breaks) is added only around escaped text.
"""

from __future__ import annotations

from xml.sax.saxutils import escape as _xml_escape

from protocol_kit.sheet.document import Inline


def escape(value: str) -> str:
    """Plain text as Paragraph markup that prints it literally; line breaks are kept."""
    return _xml_escape(value).replace("\n", "<br/>")


def bold(value: str) -> str:
    return f"<b>{escape(value)}</b>"


def sized(value: str, size: float, colour: str) -> str:
    """`value` at another size and colour inside a paragraph (colour written 0xRRGGBB or
    #RRGGBB)."""
    return f'<font size="{size:g}" color="#{colour[-6:]}">{escape(value)}</font>'


def markup(content: Inline) -> str:
    """Runs of text as Paragraph markup: each escaped, the strong ones in bold."""
    return "".join(bold(span.text) if span.strong else escape(span.text) for span in content)
