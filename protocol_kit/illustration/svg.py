"""A scene as SVG text: for the docs, the HTML sheet and any web view.

The picture carries its alt text as `<title>` (short name) and `<desc>`, with `role="img"` and
`aria-labelledby`, so that a screen reader announces it. Text from a protocol is escaped, never
read as markup. Numbers are printed with a fixed format, so the same scene always gives the same
bytes.
"""

from __future__ import annotations

import re

from protocol_kit.illustration.scene import (
    Circle,
    Line,
    Paint,
    Path,
    Polygon,
    Primitive,
    Scene,
    tenths,
)
from protocol_kit.illustration.scene import number as num
from protocol_kit.untrusted.text import printable

# Characters XML 1.0 does not allow, even as a character reference: C0 controls other than tab
# and line breaks, a lone surrogate, U+FFFE and U+FFFF. One in an exercise's name (from a file
# `illustrate` draws, or a form the workbench draws as it is typed) made the SVG not
# well-formed: a viewer shows an error instead of the picture (H422).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Text as XML character data or an attribute value: markup characters escaped, and a
    character XML cannot hold written as a visible escape (`\x1b`), as reports write it."""
    if _NOT_XML.search(text):
        text = _NOT_XML.sub(lambda found: printable(found.group()), text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _paint(paint: Paint) -> str:
    parts = [f'fill="{paint.fill}"' if paint.fill else 'fill="none"']
    if paint.stroke:
        parts.append(f'stroke="{paint.stroke}" stroke-width="{tenths((paint.width,))}"')
        parts.append('stroke-linejoin="round" stroke-linecap="round"')
        if paint.dash:
            parts.append(f'stroke-dasharray="{tenths(paint.dash)}"')
    return " ".join(parts)


def path_data(commands: tuple) -> str:
    """Path data in tenths of a unit."""
    return "".join([c[0] + tenths(c[1:]) for c in commands])


def _points(points: tuple[tuple[float, float], ...]) -> str:
    return " ".join([tenths(p).replace(" ", ",") for p in points])


def element(primitive: Primitive, cache: dict[int, str] | None = None) -> str:
    """One primitive as an SVG element, in tenths of a unit. `cache` shares the path data of
    primitives drawn twice from the same commands (an outline, then its fill)."""
    if isinstance(primitive, Path):
        key = id(primitive.commands)
        data = cache.get(key) if cache is not None else None
        if data is None:
            data = path_data(primitive.commands)
            if cache is not None:
                cache[key] = data
        return f'<path d="{data}" {_paint(primitive.paint)}/>'
    if isinstance(primitive, Circle):
        cx, cy, r = tenths((primitive.cx, primitive.cy, primitive.r)).split()
        return f'<circle cx="{cx}" cy="{cy}" r="{r}" {_paint(primitive.paint)}/>'
    if isinstance(primitive, Polygon):
        return f'<polygon points="{_points(primitive.points)}" {_paint(primitive.paint)}/>'
    if isinstance(primitive, Line):
        return f'<polyline points="{_points(primitive.points)}" {_paint(primitive.paint)}/>'
    raise TypeError(f"not a scene primitive: {primitive!r}")


def to_svg(scene: Scene, alt_text: str, title: str | None = None, element_id: str = "pk") -> str:
    """The scene as a standalone SVG document (also valid inline in HTML).

    `alt_text` becomes the description a screen reader reads; `title` (the exercise's name,
    if given) its short name. `element_id` keeps ids unique when several pictures share a page.
    """
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    width, height = num(scene.width), num(scene.height)
    # Scene y runs up, SVG y down: the picture is drawn mirrored top to bottom into a view box
    # that is mirrored too, so path data stays in scene coordinates.
    box = f"{num(scene.x0)} {num(-(scene.y0 + scene.height))} {width} {height}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}">\n'
        f'<title id="{title_id}">{escape(title or alt_text)}</title>\n'
        f'<desc id="{desc_id}">{escape(alt_text)}</desc>\n'
    )
    body = [head]
    if scene.background:
        body.append(
            f'<rect x="{num(scene.x0)}" y="{num(-(scene.y0 + scene.height))}" '
            f'width="{width}" height="{height}" fill="{scene.background}"/>\n'
        )
    # Path data is in tenths of a unit; y is flipped (see above).
    body.append('<g transform="scale(0.1,-0.1)">\n')
    cache: dict[int, str] = {}
    body += [element(p, cache) + "\n" for p in scene.primitives]
    body.append("</g>\n</svg>\n")
    return "".join(body)
