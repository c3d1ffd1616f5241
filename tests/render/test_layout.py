"""Pagination, large print, paper size and the clinic profile."""

from __future__ import annotations

import copy
import io

from sheet_helpers import (
    EXAMPLE,
    clinic,
    contains_words,
    font_sizes,
    pages_text,
    patient_texts,
    render,
    rewrite_texts,
    self_contained,
)

from conftest import run_protokit
from protocol_kit.app.check import load_protocol
from protocol_kit.sheet.request import ClinicProfile

LONG_STEP = " ".join(["Keep breathing slowly and steadily while you hold the position."] * 9)


def forty_exercises(tmp_path):
    data = self_contained()
    exercises = []
    for n in range(40):
        exercise = copy.deepcopy(data["exercises"][n % 2])
        exercise["id"] = f"exercise-{n}"
        exercise["name"] = f"Exercise number {n}"
        # Cards of different lengths, some longer than what is left of a page.
        exercise["steps"] = [
            *exercise["steps"],
            *(f"Step {k} unique to exercise {n}. {LONG_STEP}" for k in range(1 + n % 4)),
            # Every fourth card longer than a page: it runs over, marked "continued".
            *(
                f"Extra step {k} of exercise {n}: keep breathing slowly."
                for k in range(14 if n % 4 == 3 else 0)
            ),
        ]
        exercises.append(exercise)
    data["exercises"] = exercises
    return rewrite_texts(tmp_path, data, lambda s: s)


def test_forty_exercises_paginate_with_every_step_and_continuation_marks(tmp_path):
    path = forty_exercises(tmp_path)
    protocol = load_protocol(str(path))
    pages = pages_text(render(path))
    document = "\n".join(pages)
    assert [t for t in patient_texts(protocol) if not contains_words(document, t)] == []
    assert 25 <= len(pages) <= 60
    assert "(continued)" in document
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_large_print_sets_body_text_at_16_points_or_more():
    step = "Push through your heels and slowly lift"
    standard = font_sizes(render(EXAMPLE), step)
    large = font_sizes(render(EXAMPLE, large_print=True), step)
    assert standard and max(standard) < 16
    assert large and min(large) >= 16
    red_flag = "Trouble passing urine"
    assert min(font_sizes(render(EXAMPLE, large_print=True), red_flag)) >= 16


def test_letter_paper_and_clinic_profile_are_used():
    from pypdf import PdfReader

    profile = ClinicProfile(
        name="Clinique du Parc & Fils",
        phone="+33 1 23 45 67 89",
        emergency_number="112",
        urgent_number="116117",
        paper="Letter",
    )
    pdf = render(EXAMPLE, clinic=profile)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
    first = pages_text(pdf)[0]
    assert "Clinique du Parc & Fils" in first and "+33 1 23 45 67 89" in first


def test_clinic_profile_errors_are_one_line(tmp_path):
    cases = {
        'accent = "blue"': "[clinic] accent: must be a colour written #RRGGBB",
        'paper = "A5"': (
            '[clinic] paper: "A5" is not a paper size protokit prints: write A4 or Letter'
        ),
        'colour = "#112233"': "[clinic] colour: unknown field",
        'logo = "missing.png"': '[clinic] logo: no such file "missing.png"',
    }
    for line, message in cases.items():
        (tmp_path / "protokit.toml").write_text(
            f"[clinic]\nname = 'X'\nphone = '0113 496 0000'\nemergency_number = '999'\n"
            f"urgent_number = '111'\n{line}\n",
            "utf-8",
        )
        result = run_protokit("render", str(EXAMPLE), "-o", "x.pdf", cwd=tmp_path)
        assert result.code == 2, line
        assert message in result.stderr
        assert result.stderr.count("\n") == 1
        assert not (tmp_path / "x.pdf").exists()


def test_clinician_page_adds_codes_and_references():
    patient = "\n".join(pages_text(render(EXAMPLE)))
    clinician = "\n".join(pages_text(render(EXAMPLE, clinician=True)))
    for text in ("M54.50", "confirmed cauda equina", "NICE guideline NG59", "2027-11-22"):
        assert text not in patient
        assert text in clinician


def test_logo_and_media_are_printed_with_credits(tmp_path):
    from PIL import Image

    Image.new("RGB", (240, 160), (40, 90, 160)).save(tmp_path / "bridge.png")
    Image.new("RGB", (120, 60), (200, 30, 30)).save(tmp_path / "logo.png")
    data = self_contained()
    data["exercises"][1]["media"] = [
        {
            "kind": "image",
            "path": "bridge.png",
            "alt": "A bridge",
            "caption": "Top position",
            "author": "Ann Artist",
            "licence": "CC-BY-4.0",
        },
        {
            "kind": "video",
            "url": "https://video.example/bridge?a=1&b=2",
            "author": "Vid Maker",
            "licence": "CC-BY-SA-4.0",
        },
    ]
    path = rewrite_texts(tmp_path, data, lambda s: s)
    profile = clinic(name="Logo Clinic", logo=str(tmp_path / "logo.png"))
    pdf = render(path, clinic=profile)
    document = "\n".join(pages_text(pdf))
    assert "Top position" in document
    assert "https://video.example/bridge?a=1&b=2" in document
    assert contains_words(document, "Ann Artist, licence CC-BY-4.0")
    assert contains_words(document, "Vid Maker, licence CC-BY-SA-4.0")
    from pypdf import PdfReader

    images = [i for page in PdfReader(io.BytesIO(pdf)).pages for i in page.images]
    assert len(images) >= 2


def test_every_font_in_the_sheet_is_embedded():
    # A font that is not embedded is drawn with whatever the reader's computer substitutes:
    # a bullet or a table cell could then print differently from what was checked.
    from pypdf import PdfReader

    for options in ({}, {"large_print": True, "clinician": True}):
        reader = PdfReader(io.BytesIO(render(EXAMPLE, **options)))
        fonts = {}
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                fonts[font["/BaseFont"]] = font
        assert fonts
        for name, font in fonts.items():
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), name
