"""How many pages a sheet takes, and how its pages are filled, held: every example as
printed (with the drawings of its poses) in standard and large print, rendered once for the
module; and 3- and 5-exercise protocols with the examples' text in every sheet language, each
with a picture of the drawings' size (58 x 35 mm) on every card.

The budgets are the page counts measured for this layout (docs/sheets.md, "How long a sheet
is"): a change that makes a sheet longer fails here and has to say why. Beside the counts,
what a patient notices in a sheet's pages: no page printed for a couple of lines (the weekly
log shares the last page or fills its own; a card's tail never sits alone on a page).
"""

from __future__ import annotations

import copy
import io

import pytest
from sheet_helpers import (
    EXAMPLE,
    EXAMPLES,
    pdftotext,
    render,
    rewrite_texts,
    self_contained,
    with_pictures,
    words,
)

from conftest import REPO
from protocol_kit.app.render import clinic_profile
from protocol_kit.config import load_config
from protocol_kit.sheet.wording import LANGUAGES

# protocol: (exercises, pages in standard print, pages in large print), as printed.
# Large print of the abdominal protocol +1 (9 -> 10; mid-back 11 -> 12, then 10 with the
# narrower picture column and the one-row large-print log) since the knee
# to chest stretch's and the kneeling hip flexor stretch's "Aim for a gentle pull ..., never
# pain." moved from their tips to "Take care", a list item before the steps (H248): a safety
# statement is read before the steps. The same for the 5-exercise synthetic sheet in German.
# Sixth sitting (docs/sheets.md): psoas 3 -> 2 and 6 -> 5, abdominal 4 -> 3 and 10 -> 8.
# Seventh: large print hip-flexor 8 -> 7, mid-back and the ball release 10 -> 9 (the clinic
# header and the card bands lower; "Take care" above the picture where that is shorter or
# its head fits the page; 8 mm side margins). Ninth: mid-back and the ball release 4 -> 3
# (shorter texts, a lower log, the cool-down beside "About your programme", a card's purpose
# under a narrow figure's picture); large print abdominal 8 -> 7, mid-back and the ball
# release 9 -> 8 (the running header without the clinic's name: one 16 pt line a page).
# Tenth: hip-flexor 3 -> 2 (six of its texts said in fewer words, every instruction kept,
# H460): the log shares page 2 with 18.8 pt to spare; large print hip-flexor 7 -> 6 (the log's
# pain scale beside its heading and its week rows 2 pt lower, H455).
EXAMPLE_BUDGETS = {
    "abdominal-strength-lower-back-release": (4, 3, 7),
    "hip-flexor-stretch-programme": (3, 2, 6),
    "mid-back-ankle-hip-mobility": (5, 3, 8),
    "psoas-stretch-glute-bridge": (2, 2, 5),
    "smr-dynamic-hip-mobility": (5, 3, 8),
}
# The psoas example with each example prescription (docs/examples): (pages in standard
# print, in large print), as printed with this repository's clinic. With
# prescription-psoas.json the psoas sheet reaches issue 13's 2 pages since every step of its
# stretch is beside the picture (fifth sitting; it was 3); its large print 6 -> 5 (seventh).
# Eighth sitting: the staged prescription's large print 7 -> 6.
PRESCRIPTION_BUDGETS = {"prescription-psoas.json": (2, 5), "prescription-staged.json": (3, 6)}
# Issue 13's targets: pages in standard print for a protocol of this many exercises (2 and 4
# between the issue's 3 -> 2 and 5 -> 3), and large print at most twice the standard count.
TARGET_PAGES = {2: 2, 3: 2, 4: 3, 5: 3}
LARGE_PRINT_TIMES = 2
# The examples that do not reach a target yet, each with the reason measured (docs/sheets.md,
# "Large print against twice the standard count": the story's height in points against what
# the target pages hold, `benchmarks/page_feet.py`; eleventh sitting: a later page holds 670
# pt, page 1 697; no layout lever left gains a page, even with the log or the pictures left
# out): each an expected failure that must fail, so that the one that reaches its target is
# moved out.
NOT_YET = {
    ("abdominal-strength-lower-back-release", "large-print"):
        "16 pt story 4,155 pt as placed (11th sitting), 6 pages hold at most 4,047: 108 pt "
        "(6 lines) over with no blank at any page's foot; its never-split card heads leave "
        "more than that blank",
    ("hip-flexor-stretch-programme", "large-print"):
        "16 pt story 3,561 pt (11th sitting); twice the 2 of standard print is 4 pages, "
        "which hold at most 2,707: 854 pt (44 lines) over",
    ("mid-back-ankle-hip-mobility", "large-print"):
        "16 pt story 4,767 pt as placed (11th sitting), 6 pages (twice the 3 of standard "
        "print) hold at most 4,047: 720 pt (38 lines) over",
    ("psoas-stretch-glute-bridge", "large-print"):
        "16 pt story 2,942 pt as placed (11th sitting), 4 pages (twice the 2 of standard "
        "print) hold at most 2,707: 235 pt (12 lines) over",
    ("smr-dynamic-hip-mobility", "large-print"):
        "16 pt story 4,904 pt as placed (11th sitting), 6 pages hold at most 4,047: 857 pt "
        "(45 lines) over",
}  # fmt: skip
# exercises: {language: (standard, large print)} for the synthetic protocols; the other
# languages' texts are about 10 % longer (LONGER), as translations are.
# Eighth sitting (the examples' shorter texts, tighter spacing, "About your programme" after
# the cards): large print 3 exercises fr 9 -> 7, es and de 8 -> 7, el 9 -> 8; 5 exercises fr
# 12 -> 10, es, de, pl and el 11 -> 10. Ninth (the lower log, the cool-down beside "About
# your programme", tighter card spacing): large print 3 exercises pl and el 8 -> 7; 5
# exercises es, fr, de and pl 10 -> 9. Tenth (the log's scale beside its heading in large
# print where it fits, its week rows lower): large print 3 exercises en 7 -> 6.
SYNTHETIC_BUDGETS = {
    3: {"en": (3, 6), "es": (3, 7), "fr": (3, 7), "de": (3, 7), "pl": (3, 7), "el": (3, 7)},
    5: {"en": (4, 9), "es": (4, 9), "fr": (4, 9), "de": (4, 9), "pl": (4, 9), "el": (4, 10)},
}
# Translations run longer than English; the test texts are made longer to match.
LONGER = {"en": "", "fr": "Traduit : ", "es": "Traducido: ", "de": "Übersetzt: ",
          "pl": "Tłumaczenie: ", "el": "Μετάφραση: "}  # fmt: skip
# Words a page holds besides its frame (banner, running header, footer), at the least: a
# page is never printed for a heading and a line or two.
FEWEST_WORDS = 40


@pytest.fixture(scope="module")
def example_sheets(tmp_path_factory):
    """Every example's PDF in standard and large print, as `protokit render` prints it with
    this repository's clinic: {(stem, large_print): pages' text}."""
    folder = tmp_path_factory.mktemp("budget")
    profile = clinic_profile(load_config(start=REPO))
    sheets = {}
    for path in EXAMPLES:
        for large_print in (False, True):
            pdf = render(path, clinic=profile, large_print=large_print)
            sheets[path.stem, large_print] = pdftotext(pdf, folder)
    return sheets


def body_words(page: str, frame: set[str]) -> list[str]:
    """The words of a page's text outside its frame lines."""
    lines = [line for line in page.splitlines() if line.strip() and line.strip() not in frame]
    return [w for line in lines for w in words(line)]


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_every_example_has_a_budget():
    assert sorted(EXAMPLE_BUDGETS) == sorted(path.stem for path in EXAMPLES)


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_sheets_keep_to_their_page_budget(example_sheets, path, large_print):
    exercises, standard, large = EXAMPLE_BUDGETS[path.stem]
    assert len(self_contained(path)["exercises"]) == exercises
    assert len(example_sheets[path.stem, large_print]) <= (large if large_print else standard)


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_page_of_an_example_is_printed_for_a_few_lines(example_sheets, path, large_print):
    pages = example_sheets[path.stem, large_print]
    # The frame: what every page after the first repeats (banner, running header, footer).
    repeated = [set(line.strip() for line in page.splitlines() if line.strip()) for page in pages]
    frame = set.intersection(*repeated[1:]) if len(pages) > 2 else set()
    frame |= {line.strip() for page in pages for line in page.splitlines() if "Page " in line}
    for number, page in enumerate(pages, start=1):
        assert len(body_words(page, frame)) >= FEWEST_WORDS, f"page {number} is nearly empty"


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("name", sorted(PRESCRIPTION_BUDGETS))
def test_the_psoas_example_with_a_prescription_keeps_to_its_page_budget(name, large_print):
    profile = clinic_profile(load_config(start=REPO))
    pdf = render(EXAMPLE, clinic=profile, large_print=large_print,
                 prescription=str(REPO / "docs" / "examples" / name))  # fmt: skip
    standard, large = PRESCRIPTION_BUDGETS[name]
    assert pages(pdf) <= (large if large_print else standard)


def test_a_prescriptions_first_card_starts_on_page_one(tmp_path):
    # H1425: under the prescription's notes every layout's head (picture, dosage, "Take care"
    # and the first step, never split) was a few points too tall for the room left, and the
    # patient's page 1 ended a quarter blank; the picture with the dose and "Take care" beside
    # it now starts there, the steps following on page 2.
    profile = clinic_profile(load_config(start=REPO))
    prescription = REPO / "docs" / "examples" / "prescription-psoas.json"
    pdf = render(EXAMPLE, clinic=profile, prescription=str(prescription))
    first, second = pdftotext(pdf, tmp_path)
    first = " ".join(first.split())
    assert "1. Kneeling hip flexor stretch" in first
    assert "once a day, every day" in first and "Take care" in first
    assert "Aim for a gentle pull at the front of the hip, never pain." in first
    assert "Kneeling hip flexor stretch (continued)" in " ".join(second.split())


def _targets() -> list:
    """Every example in both sizes; those in NOT_YET expected (strictly) to fail."""

    def marks(key: tuple[str, str]) -> list:
        if key not in NOT_YET:
            return []
        return [pytest.mark.xfail(strict=True, reason=f"issue 13 not reached: {NOT_YET[key]}")]

    return [
        pytest.param(path, size, marks=marks((path.stem, size)), id=f"{path.stem}-{size}")
        for path in EXAMPLES
        for size in ("standard", "large-print")
    ]  # fmt: skip


@pytest.mark.parametrize(("path", "size"), _targets())
def test_example_sheets_reach_the_issues_targets(example_sheets, path, size):
    exercises = len(self_contained(path)["exercises"])
    standard = len(example_sheets[path.stem, False])
    if size == "standard":
        assert standard <= TARGET_PAGES[exercises]
    else:
        assert len(example_sheets[path.stem, True]) <= LARGE_PRINT_TIMES * standard


# The examples whose first card starts on page 1 in standard print (its head, never split,
# fits in the room "Before you start" leaves): all of them since the 8th sitting's round 2 (the ball
# release's purpose under its narrow picture; its head was 8 pt taller than that room).
FIRST_CARD_LATER: dict[str, str] = {}


@pytest.mark.parametrize(
    "path",
    [pytest.param(path, id=path.stem, marks=[pytest.mark.xfail(
        strict=True, reason=FIRST_CARD_LATER[path.stem])] if path.stem in FIRST_CARD_LATER else [])
     for path in EXAMPLES],
)  # fmt: skip
def test_the_first_card_starts_on_page_one(example_sheets, path):
    # H380: a head that fitted the room left on page 1 only without the space above it was
    # chosen there, then moved whole to page 2, leaving page 1's foot blank.
    name = self_contained(path)["exercises"][0]["name"]
    name = name if isinstance(name, str) else next(iter(name.values()))
    assert f"1. {name}" in " ".join(example_sheets[path.stem, False][0].split())


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_about_the_programme_follows_the_exercises(example_sheets, path, large_print):
    # H381, the lead's decision (docs/sheets.md): "About your programme" after the cards,
    # before the cool-down and the log; the stop box and (in standard print: in large print
    # the stop box and the patient block fill page 1) "Before you start" stay on page 1.
    pages = example_sheets[path.stem, large_print]
    first = " ".join(pages[0].split())
    assert "Stop and seek care" in first
    assert large_print or "Before you start" in first
    text = " ".join(" ".join(pages).split())
    data = self_contained(path)
    last = data["exercises"][-1]["name"]
    last = last if isinstance(last, str) else next(iter(last.values()))
    about = text.index("About your programme")
    assert text.index(f"{len(data['exercises'])}. {last}") < about
    assert about < text.index("Weekly exercise log")
    assert text.index("Before you start") < text.index("Your exercises") < about


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
    standard, large = SYNTHETIC_BUDGETS[count][language]
    path = synthetic(tmp_path, count, language)
    normal_pages = pages(render(path, language=language))
    assert normal_pages <= standard
    assert pages(render(path, language=language, large_print=True)) <= large
