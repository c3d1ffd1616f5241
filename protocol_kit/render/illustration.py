"""An illustration scene in the PDF: a flowable of a given width, drawn as vector graphics.

The scene's primitives become PDF path operators written once per flowable, with the same
fixed number format as the SVG writer, so that the same scene always gives the same bytes.
They are drawn inside a saved graphics state (`q` ... `Q`), scaled to the width asked for and
keeping the picture's proportions.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from protocol_kit.illustration import outline
from protocol_kit.illustration.scene import (
    TENTHS,
    Circle,
    Line,
    Paint,
    Path,
    Polygon,
    Primitive,
    Scene,
    tenths,
)


class Picture(Flowable):
    """A scene `width` points wide (its height follows from the scene's proportions), or
    `max_height` high when that is smaller.

    `alt_text` travels with the flowable for writers that tag the PDF (what the picture shows,
    for a screen reader)."""

    def __init__(
        self, scene: Scene, width: float, alt_text: str = "", max_height: float | None = None
    ) -> None:
        super().__init__()
        self.scene = scene
        self.width = float(width)
        self.height = self.width * scene.aspect
        if max_height is not None and self.height > max_height:
            # A tall picture (a standing figure) fits the box by its height instead.
            self.height = float(max_height)
            self.width = self.height / scene.aspect
        self.alt_text = alt_text
        self._operators: str | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if self._operators is None:
            self._operators = pdf_operators(self.scene)
        scale = self.width / self.scene.width
        canvas = self.canv
        canvas.saveState()
        canvas.scale(scale, scale)
        canvas.translate(-self.scene.x0, -self.scene.y0)
        canvas.addLiteral(self._operators)
        canvas.restoreState()


def picture_flowable(
    scene: Scene, width: float, alt_text: str = "", max_height: float | None = None
) -> Flowable:
    """The scene as a flowable `width` points wide, in proportion; with `max_height`, no taller
    than that (narrower instead). `alt_text` rides along for a writer that tags the PDF."""
    return Picture(scene, width, alt_text, max_height)


def picture_pdf(
    scene: Scene, width: float, alt_text: str, title: str | None = None, language: str = "en"
) -> bytes:
    """The picture alone as a one-page PDF `width` points wide (for previews and the docs'
    gallery): title, description and language in its metadata; the same input gives the same
    bytes."""
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    picture = Picture(scene, width, alt_text)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(picture.width, picture.height), invariant=1, lang=language)
    canvas.setTitle(title or alt_text)
    canvas.setSubject(alt_text)
    canvas.setCreator("protocol-kit")
    picture.drawOn(canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdf_operators(scene: Scene) -> str:
    """The scene as PDF content-stream operators, in scene coordinates (y up, as in PDF),
    numbers in whole tenths of a unit (a `cm` operator scales them back)."""
    found = _OPERATORS.get(id(scene))
    if found is not None and found[0] is scene:
        return found[1]
    out = [f"{1 / TENTHS:g} 0 0 {1 / TENTHS:g} 0 0 cm", "1 j 1 J"]  # round joins and caps
    state: dict[str, object] = {}
    paths: dict[int, str] = {}  # an outline and its fill share their path
    for primitive in scene.primitives:
        out.extend(_paint(primitive.paint, state))
        if isinstance(primitive, Path):
            path = paths.get(id(primitive.commands))
            if path is None:
                path = paths[id(primitive.commands)] = _path(primitive)
        else:
            path = _path(primitive)
        out.append(path)
        out.append(_operator(primitive))
    operators = "\n".join(out)
    if len(_OPERATORS) >= 256:
        _OPERATORS.clear()
    _OPERATORS[id(scene)] = (scene, operators)  # the scene is kept, so its id stays its own
    return operators


# Scene id -> (scene, operators): a picture drawn on every sheet that uses the exercise (the
# scenes themselves are kept by `scene_for`) is turned into operators once.
_OPERATORS: dict[int, tuple[Scene, str]] = {}


def _colour(hex_colour: str, operator: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5))
    return f"{r:.3f} {g:.3f} {b:.3f} {operator}"


def _paint(paint: Paint, state: dict[str, object]) -> list[str]:
    """The operators that set this paint, leaving out what is already set."""
    out = []
    wanted = {
        "fill": paint.fill,
        "stroke": paint.stroke,
        "width": paint.width if paint.stroke else None,
        "dash": paint.dash if paint.stroke else None,
    }
    if wanted["fill"] and state.get("fill") != wanted["fill"]:
        out.append(_colour(paint.fill, "rg"))
        state["fill"] = paint.fill
    if wanted["stroke"]:
        if state.get("stroke") != paint.stroke:
            out.append(_colour(paint.stroke, "RG"))
            state["stroke"] = paint.stroke
        if state.get("width") != paint.width:
            out.append(f"{tenths((paint.width,))} w")
            state["width"] = paint.width
        if state.get("dash", ()) != paint.dash:
            out.append(f"[{tenths(paint.dash)}] 0 d")
            state["dash"] = paint.dash
    return out


def _path(primitive: Primitive) -> str:
    if isinstance(primitive, Path):
        commands = primitive.commands
    elif isinstance(primitive, Circle):
        commands = tuple(outline.circle((primitive.cx, primitive.cy), primitive.r))
    else:
        first, *rest = primitive.points
        commands = (("M", *first), *(("L", *p) for p in rest))
        if isinstance(primitive, Polygon):
            commands += (("Z",),)
    operator = {"M": "m", "L": "l", "C": "c"}
    return " ".join(
        [
            "h" if command[0] == "Z" else f"{tenths(command[1:])} {operator[command[0]]}"
            for command in commands
        ]
    )


def _operator(primitive: Primitive) -> str:
    paint = primitive.paint
    if isinstance(primitive, Line):
        return "S" if paint.stroke else "n"
    if paint.fill and paint.stroke:
        return "B"  # non-zero winding: overlapping outlines fill as one shape
    if paint.fill:
        return "f"
    return "S" if paint.stroke else "n"
