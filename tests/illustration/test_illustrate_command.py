"""`protokit illustrate`: pictures of the poses in files, refused for invalid files, and the
docs' gallery is what the command makes today."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from pose_helpers import library

from conftest import PROTOCOLS, REPO, run_protokit
from protocol_kit.app.illustrate import source_of, stamped, write_pictures

GALLERY = REPO / "docs" / "images" / "illustrations"
# The command that makes the gallery (docs/illustrations.md shows it):
#   protokit illustrate protocols/library -o docs/images/illustrations \
#       --format svg --format png --width 100


def test_pictures_of_a_library_file(tmp_path):
    result = run_protokit(
        "illustrate", str(PROTOCOLS / "library" / "glute-bridge.json"), "-o", str(tmp_path / "out")
    )
    assert result.code == 0, result.stderr
    svg = (tmp_path / "out" / "glute-bridge.svg").read_text(encoding="utf-8")
    assert '<title id="glute-bridge-title">Glute bridge</title>' in svg
    assert result.stdout.strip().endswith("glute-bridge.svg")


def test_a_protocol_draws_each_of_its_exercises_once(tmp_path):
    result = run_protokit(
        "illustrate",
        str(PROTOCOLS / "abdominal-strength-lower-back-release.json"),
        "-o",
        str(tmp_path),
    )
    assert result.code == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        f"{n}.svg"
        for n in (
            "pelvic-tilt",
            "lying-march",
            "knee-to-chest-stretch",
            "hands-and-knees-rock-back",
        )
    )
    assert "Start: lying on the back" in (tmp_path / "pelvic-tilt.svg").read_text("utf-8")


def test_a_language_the_file_is_not_written_in_is_refused(tmp_path):
    bridge = str(PROTOCOLS / "library" / "glute-bridge.json")
    result = run_protokit("illustrate", bridge, "-o", str(tmp_path), "--language", "fr")
    assert result.code == 2
    assert "glute-bridge.json: exercise 'glute-bridge' has no 'fr' translation" in result.stderr


def changed_bridge(tmp_path, change):
    """The library's glute bridge after `change(data)`, written to `tmp_path`, and the result
    of illustrating it into `tmp_path/out`."""
    data = json.loads((PROTOCOLS / "library" / "glute-bridge.json").read_text("utf-8"))
    change(data)
    path = tmp_path / "bridge.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path, run_protokit("illustrate", str(path), "-o", str(tmp_path / "out"))


def test_invalid_file_is_refused_with_its_line(tmp_path):
    path, result = changed_bridge(
        tmp_path, lambda d: d["poses"]["end"]["joints"].update(left_knee={"flexion": 400})
    )
    assert result.code == 2
    assert f"{path}:" in result.stderr and "400 is too large" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_pose_problems_are_notes_and_the_picture_is_drawn(tmp_path):
    _, result = changed_bridge(
        tmp_path, lambda d: d["poses"]["end"]["joints"].update(left_shoulder={"extension": 45})
    )
    assert result.code == 0
    assert "note: " in result.stderr and "POSE002" in result.stderr
    assert (tmp_path / "out" / "glute-bridge.svg").exists()


def test_a_file_that_is_not_a_picture_is_not_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "glute-bridge.svg").write_text("my notes", encoding="utf-8")
    bridge = str(PROTOCOLS / "library" / "glute-bridge.json")
    result = run_protokit("illustrate", bridge, "-o", str(out))
    assert result.code == 2 and "exists and is not an SVG picture" in result.stderr
    assert (out / "glute-bridge.svg").read_text(encoding="utf-8") == "my notes"
    (out / "glute-bridge.svg").write_text("<svg/>", encoding="utf-8")  # an earlier picture
    assert run_protokit("illustrate", bridge, "-o", str(out)).code == 0


def test_nothing_to_draw_is_an_error(tmp_path):
    _, result = changed_bridge(tmp_path, lambda d: d.pop("poses"))
    assert result.code == 2 and "nothing to draw" in result.stderr


def test_png_carries_the_hash_of_its_drawing():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\x00" * 13 + b"\x00" * 4 + b"rest"
    marked = stamped(png, "<svg/>")
    assert source_of(marked) == hashlib.sha256(b"<svg/>").hexdigest()
    assert source_of(png) is None


def _expected(tmp_path):
    """The gallery as the command makes it now (SVG only: PNGs are checked by their stamp)."""
    folder = tmp_path / "gallery"
    folder.mkdir()
    for exercise in library():
        write_pictures(exercise, folder, ("svg",), None, 100.0)
    return folder


def test_docs_gallery_is_up_to_date(tmp_path):
    expected = _expected(tmp_path)
    names = sorted(p.stem for p in expected.glob("*.svg"))
    assert sorted(p.stem for p in GALLERY.glob("*.svg")) == names
    assert sorted(p.stem for p in GALLERY.glob("*.png")) == names
    stale = []
    for name in names:
        svg = (expected / f"{name}.svg").read_text(encoding="utf-8")
        if (GALLERY / f"{name}.svg").read_text(encoding="utf-8") != svg:
            stale.append(f"{name}.svg")
        digest = hashlib.sha256(svg.encode("utf-8")).hexdigest()
        if source_of((GALLERY / f"{name}.png").read_bytes()) != digest:
            stale.append(f"{name}.png")
    assert stale == [], (
        "the gallery is out of date; run: protokit illustrate protocols/library "
        "-o docs/images/illustrations --format svg --format png --width 100"
    )


def test_docs_show_every_picture():
    page = (REPO / "docs" / "illustrations.md").read_text(encoding="utf-8")
    for path in GALLERY.glob("*.png"):
        assert f"images/illustrations/{path.name}" in page


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_png_regeneration_is_deterministic(tmp_path):
    bridge = next(e for e in library() if e.id == "glute-bridge")
    first = write_pictures(bridge, tmp_path, ("png",), None, 100.0)[0].read_bytes()
    second = write_pictures(bridge, tmp_path, ("png",), None, 100.0)[0].read_bytes()
    assert first == second
