"""The picture in a PDF: a flowable of the width asked for, in proportion, drawn as vector
paths that a PDF reader shows, with the same bytes for the same input."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pose_helpers import library

from protocol_kit.illustration import alt_text, scene_for
from protocol_kit.render.illustration import picture_flowable, picture_pdf

PDFTOPPM = shutil.which("pdftoppm")


def test_flowable_keeps_the_pictures_proportions():
    scene = scene_for(library()[1])
    flowable = picture_flowable(scene, 200.0, "alt")
    width, height = flowable.wrap(500, 800)
    assert width == 200.0
    assert height == pytest.approx(200.0 * scene.height / scene.width)
    assert flowable.alt_text == "alt"


def test_tall_picture_fits_a_box_by_its_height():
    standing = next(e for e in library() if e.id == "buttock-release-ball-wall")
    scene = scene_for(standing)
    width, height = picture_flowable(scene, 200.0, "", max_height=150.0).wrap(500, 800)
    assert height == pytest.approx(150.0)
    assert width == pytest.approx(150.0 * scene.width / scene.height)


def test_same_picture_same_pdf_bytes():
    exercise = library()[1]
    one = picture_pdf(scene_for(exercise), 200.0, alt_text(exercise, "en"), "Glute bridge")
    two = picture_pdf(scene_for(exercise), 200.0, alt_text(exercise, "en"), "Glute bridge")
    assert one == two and one.startswith(b"%PDF-")
    assert b"Glute bridge" in one  # the title in the document's metadata


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pdf_picture_shows_the_figure(tmp_path):
    """Rendered by poppler, the page is mostly white with the figure's outline and fill."""
    exercise = next(e for e in library() if e.id == "glute-bridge")
    pdf = tmp_path / "bridge.pdf"
    pdf.write_bytes(picture_pdf(scene_for(exercise), 300.0, "bridge"))
    subprocess.run(
        [PDFTOPPM, "-r", "50", "-gray", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    data = (tmp_path / "page.pgm").read_bytes()
    header, pixels = _pgm(data)
    dark = sum(1 for p in pixels if p < 80) / len(pixels)
    mid = sum(1 for p in pixels if 80 <= p < 240) / len(pixels)
    assert 0.01 < dark < 0.3  # outlines
    assert mid > 0.05  # filled limbs, floor
    assert header[0] == pytest.approx(300 * 50 / 72, abs=2)


def _pgm(data: bytes) -> tuple[tuple[int, int], bytes]:
    parts = data.split(maxsplit=4)
    width, height = int(parts[1]), int(parts[2])
    return (width, height), parts[4][: width * height]
