"""Drawing a posed body: outline groups, painted far to near, in one line-art style.

Each outline group (trunk, head, each arm, each leg) is one compound path: the hulls of its
consecutive balls. It is drawn twice, first stroked at twice the outline width and then filled
without a stroke, so that the fill covers the inner half of every stroke and only the outer
edge of the union is left: limbs with rounded joints and no lines across them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from protocol_kit.illustration import outline, vocabulary
from protocol_kit.illustration.body import Ball, PosedBody
from protocol_kit.illustration.camera import Camera
from protocol_kit.illustration.scene import Command, Paint, Path

# A limb is drawn in front of the trunk when their depths are this close (cm): in a front view
# the arms hang beside the trunk, not behind it.
_LIMB_BIAS = 4.0
# Limbs of the two sides count as near and far only when their depths differ by more than this.
_NEAR_FAR = 6.0


@dataclass(frozen=True, slots=True)
class GroupShape:
    name: str
    side: str | None
    depth: float
    commands: tuple[Command, ...]
    by_segment: tuple[tuple[str, tuple[Command, ...]], ...]  # each segment's own hulls


def _group_specs() -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for spec in vocabulary.body()["segments"]:
        groups.setdefault(spec["group"], []).append(spec)
    return groups


def group_shapes(body: PosedBody, cam: Camera) -> list[GroupShape]:
    """Every outline group of the body as seen by `cam`, far first."""
    balls: dict[tuple[str, int], Ball] = {(b.segment, b.index): b for b in body.balls()}

    def flat(ball: Ball) -> tuple[tuple[float, float], float]:
        return cam.project(ball.centre), ball.radius

    shapes: list[GroupShape] = []
    for name, specs in _group_specs().items():
        commands: list[Command] = []
        members: list[Ball] = []
        by_segment: list[tuple[str, tuple[Command, ...]]] = []
        for spec in specs:
            segment = spec["name"]
            own = [balls[(segment, i)] for i in range(len(spec["balls"]))]
            members += own
            pairs = [(own[a], own[b]) for a, b in spec.get("chain", ())]
            pairs += [(balls[(other, i)], own[j]) for other, i, j in spec.get("links", ())]
            used = {id(b) for pair in pairs for b in pair}
            mine: list[Command] = []
            for a, b in pairs:
                (ca, ra), (cb, rb) = flat(a), flat(b)
                mine += outline.hull(ca, ra, cb, rb)
            for ball in own:
                if id(ball) not in used:
                    c, r = flat(ball)
                    mine += outline.circle(c, r)
            commands += mine
            by_segment.append((segment, tuple(mine)))
        depth = sum(cam.depth(b.centre) for b in members) / len(members)
        side = specs[0].get("side")
        bias = _LIMB_BIAS if side else (1.0 if name == "head" else 0.0)
        shapes.append(GroupShape(name, side, depth + bias, tuple(commands), tuple(by_segment)))
    shapes.sort(key=lambda s: (s.depth, s.name))
    return shapes


def near_sides(shapes: Sequence[GroupShape]) -> dict[str, bool]:
    """Group name -> whether it is drawn as near (full tone) or far (a shade lighter). An arm
    is far when the other arm is nearer by more than a few centimetres; a leg likewise."""
    depth = {shape.name: shape.depth for shape in shapes}
    near: dict[str, bool] = {}
    for shape in shapes:
        side, _, limb = shape.name.partition("_")
        if shape.side is None or not limb:
            near[shape.name] = True
            continue
        twin = f"{'left' if side == 'right' else 'right'}_{limb}"
        near[shape.name] = twin not in depth or depth[shape.name] >= depth[twin] - _NEAR_FAR
    return near


def figure_paths(
    body: PosedBody,
    cam: Camera,
    ghost: bool = False,
    working: Iterable[str] = (),
) -> list[Path]:
    """The body's primitives (y up), painted far to near. `working` names the segments
    filled in the highlight colour (the parts the exercise works); a ghost (the start of a
    movement) is pale and dashed, without highlight."""
    colours = vocabulary.style()["body"]
    width = vocabulary.style()["outline"]
    shapes = group_shapes(body, cam)
    near = near_sides(shapes)
    highlighted = set(working)
    paths: list[Path] = []
    for shape in shapes:
        paint = colours["ghost"] if ghost else colours["near" if near[shape.name] else "far"]
        dash = tuple(paint.get("dash", ()))
        paths.append(Path(shape.commands, Paint(None, paint["stroke"], 2 * width, dash)))
        paths.append(Path(shape.commands, Paint(paint["fill"], None, 0.0)))
        if ghost:
            continue
        tone = colours["working_near" if near[shape.name] else "working_far"]["fill"]
        for segment, commands in shape.by_segment:
            if segment in highlighted and commands:
                paths.append(Path(commands, Paint(tone, None, 0.0)))
    return paths
