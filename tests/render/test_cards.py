"""An exercise card as a patient reads it: never split before its picture, dosage and first
step; "Take care" before the steps; the dosage large; a box in the log for every prescribed
session; and nothing said twice."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sheet_helpers import (
    EXAMPLE,
    EXAMPLES,
    clinic,
    font_sizes,
    pdftotext,
    render,
    self_contained,
    with_pictures,
    words,
    write_json,
)

from protocol_kit.app.check import load_protocol
from protocol_kit.app.render import RenderOptions, sheet_request
from protocol_kit.render.sheet import font_check
from protocol_kit.render.styles import LARGE, STANDARD
from protocol_kit.sheet.colours import contrast, readable_accent
from protocol_kit.sheet.content import build_sheet
from protocol_kit.sheet.document import Card, Section, block_texts


def flat(text: str) -> str:
    return " ".join(words(text))


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_card_is_never_split_before_its_dosage_and_first_step(tmp_path, path, large_print):
    data = with_pictures(self_contained(path), tmp_path)
    pictured = write_json(tmp_path, path.name, data)
    protocol = load_protocol(str(pictured))
    language = protocol.language
    pages = [flat(page) for page in pdftotext(render(pictured, large_print=large_print), tmp_path)]
    for number, exercise in enumerate(protocol.exercises, start=1):
        title = flat(f"{number}. {exercise.name.get(language)}")
        # The card's page: the first with its title (the picture credits, after the cards,
        # name each exercise again, and may run onto the next page).
        page = next(p for p in pages if title in p and f"{title} continued" not in p)
        card = page[page.index(title) :]
        first_step = flat(exercise.steps[0].get(language))
        assert first_step in card, f"card {number}: its first step is not on its page"
        assert "Sets" in card.split(first_step)[0]  # the dosage grid comes before it
        cautions = [p.patient_advice for p in exercise.precautions if p.patient_advice]
        if cautions:
            take_care = card.index("Take care")
            assert take_care < card.index(flat(exercise.starting_position.get(language)))
            assert take_care < card.index(first_step)


def test_the_foam_roller_placement_is_printed_under_take_care(tmp_path):
    # A safety statement, so a caution before the steps, not a tip after them.
    [path] = [p for p in EXAMPLES if p.stem == "mid-back-ankle-hip-mobility"]
    protocol = load_protocol(str(path))
    [roller] = [e for e in protocol.exercises if e.id == "mid-back-extension-foam-roller"]
    text = flat(" ".join(pdftotext(render(path), tmp_path)))
    card = text[text.index(flat(roller.name.get(protocol.language))) :]
    statement = flat("Never put the roller under your lower back or your neck")
    assert card.index("Take care") < card.index(statement)
    position = flat(roller.starting_position.get(protocol.language))
    assert card.index(statement) < card.index(position)
    assert card.index(statement) < card.index("Tips")


@pytest.mark.parametrize(
    "stem, exercise_id, statement",
    [
        ("smr-dynamic-hip-mobility", "buttock-release-ball-wall", "never on bone"),
        ("smr-dynamic-hip-mobility", "buttock-release-ball-wall", "move the ball: it is in"),
        ("psoas-stretch-glute-bridge", "kneeling-hip-flexor-stretch", "front of the hip, never"),
        ("abdominal-strength-lower-back-release", "knee-to-chest-stretch", "gentle pull, never"),
    ],
)
def test_the_safety_tips_are_printed_under_take_care(tmp_path, stem, exercise_id, statement):
    # Moved from the tips (after the steps) to "Take care" (before them), word for word (H248).
    [path] = [p for p in EXAMPLES if p.stem == stem]
    protocol = load_protocol(str(path))
    [exercise] = [e for e in protocol.exercises if e.id == exercise_id]
    text = flat(" ".join(pdftotext(render(path), tmp_path)))
    card = text[text.index(flat(exercise.name.get(protocol.language))) :]
    card = card[: card.index("Tips")]  # this card's parts up to its tips
    assert card.index("Take care") < card.index(flat(statement))
    position = flat(exercise.starting_position.get(protocol.language))
    assert card.index(flat(statement)) < card.index(position)


@pytest.mark.parametrize("sizes, options", [(STANDARD, {}), (LARGE, {"large_print": True})])
def test_the_dosage_figures_are_at_least_1_4_times_the_body_text(sizes, options):
    pdf = render(EXAMPLES[0], **options)
    found = font_sizes(pdf, "Sets")  # the label; the figure under it:
    figures = font_sizes(pdf, "10")  # "10" repetitions of the pelvic tilt
    assert max(figures) >= 1.4 * sizes["body"]
    assert found


def test_the_log_has_one_box_for_every_prescribed_session(tmp_path):
    data = self_contained()
    for exercise in data["exercises"]:
        exercise["dosage"]["sessions_per_day"] = 2
        exercise["dosage"]["days_per_week"] = 5
    path = write_json(tmp_path, "protocol.json", data)
    page = render(path, output_format="html").decode()
    weeks = data["delivery"]["programme_weeks"]
    assert page.count('<span class="tick">') == weeks * 5 * 2
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", page).group(1)
    assert re.findall(r'<th scope="col">([^<]*)</th>', header) == ["Day", "1", "2", "3", "4", "5"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_sentence_of_the_sheet_is_printed_twice(path):
    # Every card stands on its own: two exercises may share a caution or an item of
    # equipment, and each card's labels ("Steps") repeat by design. Otherwise a sentence is
    # said once: in the front matter, in a card, and not in both.
    request = sheet_request(load_protocol(str(path)), RenderOptions(clinic=clinic()))
    sheet = build_sheet(request, font_check())
    cards = [block for section in sheet.body if isinstance(section, Section)
             for block in section.blocks if isinstance(block, Card)]  # fmt: skip
    in_cards = [[t for t in block_texts(card) if len(t) > 30] for card in cards]
    front = [
        t
        for block in sheet.body
        for part in (block.blocks if isinstance(block, Section) else (block,))
        if not isinstance(part, Card)
        for t in block_texts(part)
        if len(t) > 30
    ]
    for texts in (front, *in_cards):
        assert [t for t, n in Counter(texts).items() if n > 1] == []
    assert not set(front) & {t for card in in_cards for t in card}


def test_a_pale_clinic_colour_gives_way_to_the_ink():
    assert readable_accent("#1F5C99") == "#1F5C99"
    assert readable_accent("#FFD700") == "#1A1A1A"  # gold: white text on it is unreadable
    assert contrast("#FFFFFF", "#1F5C99") >= 4.5


def test_the_rest_between_sets_is_printed_in_the_dosage_grid_when_it_fits_there():
    # The psoas stretch: "rest 15 s between sets" in a last cell of the grid beside the
    # picture (no line of its own under the grid); a grid too narrow for it keeps the line.
    from reportlab.platypus import Paragraph

    from protocol_kit.render.card import GAP
    from protocol_kit.render.sheet import _Writer
    from protocol_kit.render.styles import PICTURE_WIDTH

    request = sheet_request(load_protocol(str(EXAMPLE)), RenderOptions(clinic=clinic()))
    writer = _Writer(build_sheet(request, font_check()))
    stretch = next(block for section in writer.sheet.body if isinstance(section, Section)
                   for block in section.blocks if isinstance(block, Card))  # fmt: skip
    assert stretch.dosage.notes == ("rest 15\u00a0s between sets",)
    beside = writer.width - PICTURE_WIDTH - GAP
    [grid] = writer.cards.grid(stretch.dosage, beside)
    note = grid._cellvalues[0][-1]
    assert isinstance(note, Paragraph) and "rest 15" in note.text
    narrow = writer.cards.grid(stretch.dosage, beside * 0.75)
    assert [f.text for f in narrow if isinstance(f, Paragraph)] == [note.text]
