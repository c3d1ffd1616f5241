"""The sheet's own wording per language (data files in protocol_kit/sheet/wording/), and the
dosage grid a patient reads at a glance."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from conftest import REPO
from protocol_kit.errors import UsageError
from protocol_kit.model import Dosage, Origin, Text
from protocol_kit.render.fonts import first_missing_glyph
from protocol_kit.render.text import escape, markup
from protocol_kit.sheet.document import Span
from protocol_kit.sheet.dosage import dosage_grid, log_sessions
from protocol_kit.sheet.wording import LANGUAGES, wording_for

INTENSITY = Text({"en": "gentle"}, Origin("x"))
WORDING = resources.files("protocol_kit.sheet").joinpath("wording")


def fields_of(value) -> list[set[str]]:
    forms = [value] if isinstance(value, str) else list(value)
    return [set(re.findall(r"{(\w+)}", form)) for form in forms]


def test_there_is_a_file_for_every_language_and_no_other():
    files = sorted(p.name for p in WORDING.iterdir() if p.name.endswith(".json"))
    assert files == sorted(f"{language}.json" for language in LANGUAGES)


# Words only a language reviewed by a clinician has: a sheet needing them in another language
# is refused (the maternity box, twenty-third sitting; tests/render/test_maternity_box.py).
REVIEWED_ONLY = {"maternity_intro", "maternity_action"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_key_with_the_same_fields(language):
    english, words = wording_for("en").words, wording_for(language).words
    reviewed = wording_for(language).reviewed
    assert set(words) == (set(english) if reviewed else set(english) - REVIEWED_ONLY)
    for key, value in words.items():
        assert value, key
        assert set().union(*fields_of(value)) == set().union(*fields_of(english[key])), key
        for form in [value] if isinstance(value, str) else value:
            assert first_missing_glyph(form) is None, key
        if language == "pl" and isinstance(value, list):
            assert len(value) in (2, 3), key


def test_machine_quality_translations_are_marked_unreviewed():
    reviewed = {language: wording_for(language).reviewed for language in LANGUAGES}
    assert reviewed == {"en": True, "fr": False, "es": False, "de": False, "pl": False, "el": False}
    for language in LANGUAGES:
        data = json.loads(WORDING.joinpath(f"{language}.json").read_text("utf-8"))
        assert data["language"] == language
        assert data["review_note"]


# How each language addresses the patient, or makes a step wait on the clinician's consent.
PATIENT_ADDRESS = {
    "en": "your",
    "fr": "votre",
    "es": "su terapeuta",
    "de": "Ihre",
    "pl": "za zgodą",
    "el": "σας",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_harder_version_is_labelled_for_the_clinician(language):
    # Only the clinician's copy prints the harder version (docs/sheets.md, "What the patient's
    # sheet prints, and why"): its label is the clinician's, not advice to the patient.
    label = wording_for(language)("harder")
    assert PATIENT_ADDRESS[language] not in label
    assert wording_for("en")("harder") == "Harder version (progression, at a review)"


def test_every_key_is_used_by_the_sheet():
    # A word no code prints is a word nobody checks; a key the code asks for that a file
    # lacks is caught above.
    sources = "\n".join(
        path.read_text("utf-8")
        for folder in ("sheet", "render")
        for path in (REPO / "protocol_kit" / folder).glob("*.py")
    )
    unused = [
        key
        for key in wording_for("en").words
        if f'"{key}"' not in sources and f"'{key}'" not in sources and key not in measure_keys()
    ]
    assert unused == []


def measure_keys() -> set[str]:
    """The keys the sheet makes from measures.json: each standard measure's patient name,
    subscore and risk groups."""
    from protocol_kit.prescribing.measures import standard_measures

    keys = set()
    for code, measure in standard_measures().items():
        key = code.replace("-", "_")
        keys.add(f"measure_short_{key}")
        if measure.subscore:
            keys.add(f"subscore_{key}")
        keys.update(f"risk_{g['name']}" for g in (measure.risk_groups or {}).get("groups", ()))
    return keys


def dosage(**values):
    base = {"sets": 3, "side": "each", "sessions_per_day": 2, "days_per_week": 7}
    return Dosage(**{**base, **values}, intensity=INTENSITY)


def cells(grid) -> list[tuple[str, str]]:
    """The grid's cells; a figure and its unit are joined by a no-break space."""
    return [(cell.label, cell.value.replace("\u00a0", " ")) for cell in grid.cells]


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", [("Sets", "3"), ("Hold", "30 s"), ("Side", "each side"),
                ("How often", "twice a day, every day")]),
        ("fr", [("Séries", "3"), ("Maintien", "30 s"), ("Côté", "de chaque côté"),
                ("Fréquence", "deux fois par jour, tous les jours")]),
        ("de", [("Sätze", "3"), ("Halten", "30 s"), ("Seite", "jede Seite"),
                ("Wie oft", "zweimal täglich, jeden Tag")]),
        ("el", [("Σετ", "3"), ("Κράτημα", "30 δευτ."), ("Πλευρά", "κάθε πλευρά"),
                ("Πόσο συχνά", "δύο φορές την ημέρα, κάθε μέρα")]),
    ],
)  # fmt: skip
def test_hold_dosage_grid_per_language(language, expected):
    assert cells(dosage_grid(dosage(hold_seconds=30), wording_for(language))) == expected


def test_repetitions_with_hold_rest_weeks_and_side():
    grid = dosage_grid(
        dosage(
            sets=2,
            repetitions=10,
            hold_seconds=2.5,
            side="left",
            sessions_per_day=1,
            days_per_week=5,
            rest_seconds=60,
            weeks=6,
        ),
        wording_for("en"),
    )
    assert cells(grid) == [
        ("Sets", "2"),
        ("Repetitions", "10"),
        ("Hold", "2.5 s"),
        ("Side", "left side only"),
        ("How often", "once a day, 5 days a week"),
    ]
    assert grid.notes == ("rest 1\u00a0min between sets", "for 6 weeks")
    french = dosage_grid(dosage(repetitions=1, hold_seconds=2.5), wording_for("fr"))
    assert ("Maintien", "2,5 s") in cells(french)


def test_both_sides_together_has_no_side_cell():
    grid = dosage_grid(dosage(side="both", repetitions=8), wording_for("en"))
    assert [label for label, _ in cells(grid)] == ["Sets", "Repetitions", "How often"]


def test_the_log_has_a_box_for_every_prescribed_session():
    assert log_sessions([dosage(sessions_per_day=2, days_per_week=5)]) == (2, 5)
    mixed = [
        dosage(sessions_per_day=1, days_per_week=7),
        dosage(sessions_per_day=3, days_per_week=3),
    ]
    assert log_sessions(mixed) == (3, 7)


@pytest.mark.parametrize(
    "n, expected",
    [(1, "przez 1 tydzień"), (3, "przez 3 tygodnie"), (5, "przez 5 tygodni"),
     (12, "przez 12 tygodni"), (22, "przez 22 tygodnie")],
)  # fmt: skip
def test_polish_plurals(n, expected):
    assert wording_for("pl").plural("weeks", n) == expected


def test_language_tags_map_to_their_wording():
    assert wording_for("en-GB") is wording_for("en")
    assert wording_for("de-CH") is wording_for("de")
    with pytest.raises(UsageError):
        wording_for("ja")


def test_escape_keeps_text_literal():
    assert escape('<b>x</b> & <img src="y"/>\nz') == (
        '&lt;b&gt;x&lt;/b&gt; &amp; &lt;img src="y"/&gt;<br/>z'
    )
    assert markup((Span("<i>", strong=True), Span(" & "))) == "<b>&lt;i&gt;</b> &amp; "


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_standard_measure_has_its_patient_name_in_every_language(language):
    """The sheet names a standard measure, its subscore and its risk groups from the wording
    (a measure added to measures.json without them would stop the sheet)."""
    words = wording_for(language).words
    assert all(words.get(key) for key in measure_keys())
