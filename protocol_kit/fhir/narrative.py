"""Human-readable narrative (`Resource.text`) for the resources protocol-kit writes.

A FHIR viewer shows a resource's narrative; without one, a person reading the resource sees no
contraindication, red flag or stop criterion at all. Each resource gets `text.status`
`generated` and a `div` of XHTML built from plain parts: headings, paragraphs and lists.
Every piece of text from a file is escaped (`&`, `<`, `>`, quotes), so that a protocol's text
is shown as written and can never become markup; characters XML cannot hold are written as
visible escapes. Only the elements FHIR's narrative rules allow are used (div, h2-h4, p, ul,
ol, li, b, br). A protocol in several languages gets one section per language, each marked with
its language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

XHTML = "http://www.w3.org/1999/xhtml"
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
# What XML 1.0 cannot hold, even as a reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Text for XHTML: markup characters escaped, characters XML cannot hold made visible."""
    text = _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return "".join(_ESCAPES.get(c, c) for c in text)


def escape_lines(text: str) -> str:
    """`escape`, with a text's line breaks kept as `<br/>`: XHTML reads a bare line break as a
    space, so two instructions on two lines would be shown run together (as H295 in the HTML
    sheet)."""
    return "<br/>".join(escape(line) for line in text.split("\n"))


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 3


@dataclass(frozen=True)
class Paragraph:
    text: str
    label: str | None = None  # shown in bold before the text


@dataclass(frozen=True)
class Items:
    items: Sequence[str]
    ordered: bool = False


Block = Heading | Paragraph | Items


def _render(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{escape_lines(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        label = f"<b>{escape_lines(block.label)}</b> " if block.label else ""
        return f"<p>{label}{escape_lines(block.text)}</p>"
    tag = "ol" if block.ordered else "ul"
    items = "".join(f"<li>{escape_lines(item)}</li>" for item in block.items)
    return f"<{tag}>{items}</{tag}>" if block.items else ""


def narrative(sections: Iterable[tuple[str, Sequence[Block]]]) -> dict[str, str]:
    """`Resource.text` from sections of (language tag, blocks); one section needs no wrapper
    of its own, several are each marked with their language."""
    sections = [(language, blocks) for language, blocks in sections if blocks]
    if len(sections) == 1:
        body = "".join(_render(block) for block in sections[0][1])
    else:
        body = "".join(
            f'<div lang="{escape(language)}" xml:lang="{escape(language)}">'
            + "".join(_render(block) for block in blocks)
            + "</div>"
            for language, blocks in sections
        )
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{body}</div>'}


def labelled(label: str, values: Iterable[str]) -> list[Block]:
    """A heading and a list, or nothing when there are no values."""
    values = list(values)
    return [Heading(label, 4), Items(values)] if values else []
