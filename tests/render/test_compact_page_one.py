"""Issue 13's page targets, seventh sitting: room on page 1.

The clinic's name takes the full width above its details and telephone when beside the
telephone it would take more lines; the first card, kept with the "Your exercises" heading,
chooses among its layouts as the other cards do, so that it starts on page 1 when one of its
layouts' heads fits in the room left there.
"""

from __future__ import annotations

import copy

import pytest
from sheet_helpers import EXAMPLE, clinic, pages_text, pdftotext, render, self_contained, write_json

from protocol_kit.app.check import load_protocol
from protocol_kit.app.render import RenderOptions, sheet_request
from protocol_kit.render.blocks import _phone_width
from protocol_kit.render.card import _height
from protocol_kit.render.sheet import _Writer, font_check
from protocol_kit.sheet.content import build_sheet

NAME = "Example Physiotherapy Clinic (not a real clinic)"
PHONE = "01632 960000 (not a real number)"


def test_a_long_clinic_name_is_on_one_line_above_the_telephone(tmp_path):
    # This repository's clinic: beside the telephone (on one line, H324) the name took two
    # lines, "Example Physiotherapy Clinic (not a real" and "clinic)": a line of page 1.
    pdf = render(EXAMPLE, clinic=clinic(name=NAME, phone=PHONE, email="examples@clinic.invalid"))
    lines = pdftotext(pdf, tmp_path, layout=True)[0].split("Stop and seek care")[0].splitlines()
    assert any(NAME in line for line in lines)
    assert any(f"Telephone {PHONE}" in line for line in lines)  # still whole on its line


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_the_header_with_the_name_above_is_never_taller(large_print):
    # Of the two arrangements the lower is kept: the header is never taller than the name
    # beside the telephone, the only arrangement before.
    written = _writer(large_print)
    blocks, header, width = written.blocks, written.sheet.clinic, written.width
    phone = _phone_width(header.phone, blocks.styles["phone"], width, large_print)
    beside = blocks._clinic_beside(header, width, phone)
    assert _height(blocks.clinic_header(header, width), width) <= _height([beside], width)


def _writer(large_print: bool) -> _Writer:
    profile = clinic(name=NAME, phone=PHONE, email="examples@clinic.invalid")
    request = sheet_request(
        load_protocol(str(EXAMPLE)), RenderOptions(clinic=profile, large_print=large_print)
    )
    return _Writer(build_sheet(request, font_check()))


def test_the_first_card_starts_on_page_one_when_a_layout_of_it_fits_there(tmp_path):
    # The psoas example with two general-advice items and two "About" items fewer: page 1 has
    # room for the kneeling stretch's head laid out with its purpose under the band, not for
    # its shortest layout's. The first card used to be its shortest layout only, and started
    # on page 2 under a third of a page left blank.
    data = copy.deepcopy(self_contained())
    data["safety"]["general_advice"] = data["safety"]["general_advice"][:-2]
    data["delivery"]["education"] = data["delivery"]["education"][:-2]
    path = write_json(tmp_path, "shorter.json", data)
    pages = pages_text(render(path))
    assert "1. Kneeling hip flexor stretch" in pages[0]
    assert "Your exercises" in pages[0]  # with its heading


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_the_signature_row_is_never_lower_than_its_label(large_print):
    # H382: the row where the clinician signs was set 2.0 lines high (eighth sitting, was 2.6):
    # "Signature du thérapeute" on two lines in large print overflowed it upwards, over
    # "Prochain rendez-vous" above it.
    from protocol_kit.render.blocks import Blocks
    from protocol_kit.render.fonts import sheet_fonts
    from protocol_kit.render.sheet import _look
    from protocol_kit.sheet.document import Field, Fields

    look = _look(sheet_fonts(), "#1F5C99", large_print)
    fields = Fields(
        (Field("Patient", ""), Field("Date de naissance", ""), Field("Prescrit par", ""),
         Field("Date", ""), Field("Date de début", ""), Field("Prochain rendez-vous", "")),
        signature=Field("Signature du thérapeute du patient", ""),
    )  # fmt: skip
    [table] = Blocks(look).flowables(fields, 538.0)
    table.wrap(538.0, 10_000)
    label = table._cellvalues[-1][0]
    spanned = sum(table._colWidths[: 2 if len(table._colWidths) == 6 else 1])
    assert label.wrap(spanned - 8, 10_000)[1] <= table._rowHeights[-1] - 4.5
