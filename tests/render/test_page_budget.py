"""How many pages a sheet takes, held: every example in standard and large print, and
3- and 5-exercise protocols with the examples' text in every sheet language, each with a
picture of the size the exercise drawings have (58 x 35 mm) on every card.

The budgets are the page counts measured for this layout (docs/sheets.md, "How long a sheet
is", explains them and why the issue's targets of 2 and 3 pages are not reached with the
examples' text): a change that makes a sheet longer fails here and has to say why.
"""

from __future__ import annotations

import copy
import io

import pytest
from sheet_helpers import (
    EXAMPLES,
    render,
    rewrite_texts,
    self_contained,
    with_pictures,
    write_json,
)

from conftest import REPO
from protocol_kit.app.render import clinic_profile
from protocol_kit.config import load_config
from protocol_kit.sheet.wording import LANGUAGES

# protocol: (exercises, pages in standard print, pages in large print), with pictures.
EXAMPLE_BUDGETS = {
    # 6 and 14 since issue 12's review: its last two cards' "Take care" gained the
    # osteoporosis precaution and the stop box the complete red-flag list, so the fourth
    # card's head (kept whole with its picture, dosage and first step) and then the log each
    # move to the next page (docs/sheets.md).
    "abdominal-strength-lower-back-release": (4, 6, 14),
    "hip-flexor-stretch-programme": (3, 5, 11),
    "mid-back-ankle-hip-mobility": (5, 6, 15),
    "psoas-stretch-glute-bridge": (2, 4, 9),
    "smr-dynamic-hip-mobility": (5, 6, 15),
}
# exercises: (standard, large print) for the synthetic protocols, in every language.
SYNTHETIC_BUDGETS = {3: (5, 12), 5: (7, 16)}
# Translations run longer than English; the test texts are made longer to match.
LONGER = {"en": "", "fr": "Traduit : ", "es": "Traducido: ", "de": "Übersetzt: ",
          "pl": "Tłumaczenie: ", "el": "Μετάφραση: "}  # fmt: skip


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_every_example_has_a_budget():
    assert sorted(EXAMPLE_BUDGETS) == sorted(path.stem for path in EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_sheets_keep_to_their_page_budget(tmp_path, path):
    exercises, standard, large = EXAMPLE_BUDGETS[path.stem]
    data = with_pictures(self_contained(path), tmp_path)
    assert len(data["exercises"]) == exercises
    pictured = write_json(tmp_path, path.name, data)
    profile = clinic_profile(load_config(start=REPO))
    assert pages(render(pictured, clinic=profile)) <= standard
    assert pages(render(pictured, clinic=profile, large_print=True)) <= large


def synthetic(tmp_path, count: int, language: str):
    """`count` exercises with the examples' text (ids and names made unique), with pictures,
    in `language`."""
    data = with_pictures(self_contained(), tmp_path)
    exercises = []
    for n in range(count):
        exercise = copy.deepcopy(data["exercises"][n % 2])
        exercise["id"] = f"exercise-{n + 1}"
        exercise["name"] = f"{exercise['name']} {n + 1}"
        exercises.append(exercise)
    data["exercises"] = exercises
    prefix = LONGER[language]
    declared = None if language == "en" else language
    return rewrite_texts(tmp_path, data, lambda s: prefix + s, declared)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("count", sorted(SYNTHETIC_BUDGETS))
def test_synthetic_sheets_keep_to_their_page_budget_in_every_language(tmp_path, count, language):
    standard, large = SYNTHETIC_BUDGETS[count]
    path = synthetic(tmp_path, count, language)
    normal_pages = pages(render(path, language=language))
    assert normal_pages <= standard
    assert pages(render(path, language=language, large_print=True)) <= large
