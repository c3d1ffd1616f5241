"""The picture: one style, near and far limbs, a pale start under a solid end with an arrow,
views chosen per pose, and identical bytes for identical input."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree

from pose_helpers import exercise_with, library, poses

from conftest import REPO
from protocol_kit.illustration import picture_of, scene_for, vocabulary
from protocol_kit.illustration.compose import draw
from protocol_kit.illustration.scene import Path, Polygon
from protocol_kit.illustration.svg import to_svg

SVG = "{http://www.w3.org/2000/svg}"
MARCH = {
    "side": "right",
    "start": {"posture": "lying-back-knees-bent", "props": [{"prop": "mat"}]},
    "end": {"posture": "lying-back-knees-bent", "joints": {"right_hip": {"flexion": 60}}},
}


def colours(scene, kind="fill"):
    return [getattr(p.paint, kind) for p in scene.primitives]


def test_no_poses_no_picture():
    assert scene_for(exercise_with(None)) is None


def test_every_library_exercise_has_a_picture():
    for exercise in library():
        scene = scene_for(exercise)
        assert scene is not None, exercise.id
        assert 40 < scene.width < 400 and 40 < scene.height < 300, exercise.id


def test_overlay_draws_a_pale_dashed_start_a_solid_end_and_an_arrow():
    style = vocabulary.style()
    scene = draw(picture_of(poses(MARCH, "unilateral"), ("hip",)))
    strokes = colours(scene, "stroke")
    ghost = style["body"]["ghost"]
    assert ghost["stroke"] in strokes
    assert any(p.paint.dash for p in scene.primitives if p.paint.stroke == ghost["stroke"])
    assert style["body"]["near"]["stroke"] in strokes  # the solid end
    assert style["body"]["far"]["stroke"] in strokes  # its far limbs, a shade lighter
    arrow = style["arrow"]["stroke"]
    assert any(isinstance(p, Polygon) and p.paint.fill == arrow for p in scene.primitives)
    # The working part (the right thigh, for 'hip') in the highlight colour, near side.
    assert style["body"]["working_near"]["fill"] in colours(scene)


def test_side_by_side_draws_two_solid_figures():
    data = {**MARCH, "layout": "side-by-side"}
    style = vocabulary.style()
    scene = draw(picture_of(poses(data, "unilateral")))
    assert style["body"]["ghost"]["stroke"] not in colours(scene, "stroke")
    near = style["body"]["near"]["stroke"]
    outlines = [p for p in scene.primitives if isinstance(p, Path) and p.paint.stroke == near]
    assert len(outlines) >= 6  # the groups of two bodies


def test_working_side_is_nearest_to_the_viewer():
    """Seen from the working side: a left-sided exercise shows the figure from its left."""

    def head_faces_right(side):
        data = {"side": side, "start": {"posture": "standing"}}
        picture = picture_of(poses(data, "unilateral"))
        from protocol_kit.illustration.camera import view_camera
        from protocol_kit.illustration.placement import place

        placed = place(picture.start)
        camera = view_camera("side", side)
        nose = camera.project(placed.body.segment("head").balls[2].centre)[0]
        back = camera.project(placed.body.segment("head").balls[0].centre)[0]
        return nose > back

    assert head_faces_right("right") and not head_faces_right("left")


def test_front_view_shows_the_knees_rolling_to_the_figures_right():
    data = {
        "start": {"posture": "lying-back-knees-bent", "view": "front"},
        "end": {
            "posture": "lying-back-knees-bent",
            "view": "front",
            "joints": {"lumbar": {"rotation_left": 10}, "thoracic": {"rotation_left": 20}},
        },
    }
    picture = picture_of(poses(data))
    from protocol_kit.illustration.camera import view_camera
    from protocol_kit.illustration.placement import place

    camera = view_camera("front", "both")
    start, end = place(picture.start), place(picture.end)
    knee = [camera.project(p.body.segment("right_thigh").balls[2].centre)[0] for p in (start, end)]
    # Seen from the feet the figure's right is on the left of the picture.
    assert knee[1] < knee[0] - 10


def test_same_input_same_bytes_in_any_process():
    exercise = library()[0]
    first = to_svg(scene_for(exercise), "x")
    assert to_svg(scene_for(exercise), "x") == first
    code = (
        "from pose_helpers import library\n"
        "from protocol_kit.illustration import scene_for\n"
        "from protocol_kit.illustration.svg import to_svg\n"
        "print(to_svg(scene_for(library()[0]), 'x'), end='')\n"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=REPO / "tests" / "illustration",
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": f"{REPO}:{REPO / 'tests'}"},
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout == first


def test_svg_is_well_formed_with_escaped_title_and_description():
    hostile = 'Knee <b>"up"</b> & <script>alert(1)</script> \u00e9t\u00e9'
    svg = to_svg(scene_for(library()[0]), hostile, title="A & B <c>", element_id="ex1")
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "ex1-title ex1-desc"
    assert root.find(f"{SVG}title").text == "A & B <c>"
    assert root.find(f"{SVG}desc").text == hostile
    assert "<script>" not in svg and "<b>" not in svg


def test_svg_stays_well_formed_with_characters_xml_cannot_hold():
    """H422: a control character, an escape sequence or U+FFFF in an exercise's name (drawn
    by `illustrate` from a file, or by the workbench from a form being typed) was written into
    the SVG as it was: not well-formed XML, so a viewer shows an error, not the picture."""
    name = "Bridge \x01\x1b[31m \uffff \ud800 \u8170 end"
    svg = to_svg(scene_for(library()[0]), name, title=name, element_id="ex1")
    root = ElementTree.fromstring(svg.encode("utf-8", "surrogatepass"))
    shown = "Bridge \\x01\\x1b[31m \\uffff \\ud800 \u8170 end"
    assert root.find(f"{SVG}title").text == shown and root.find(f"{SVG}desc").text == shown


def test_no_reportlab_in_the_illustration_package():
    import ast

    for path in (REPO / "protocol_kit" / "illustration").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.startswith("reportlab") for n in names), path.name
