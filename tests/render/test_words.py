"""The sheet's fixed wording per language, and the dosage line a patient reads at a glance."""

from __future__ import annotations

import re

import pytest

from protocol_kit.model import Dosage, Origin, Text
from protocol_kit.render.dosage_line import dosage_line
from protocol_kit.render.fonts import first_missing_glyph
from protocol_kit.render.strings import SHEET_STRINGS, plural, sheet_strings
from protocol_kit.render.text import escape

INTENSITY = Text({"en": "gentle"}, Origin("x"))


def fields_of(value) -> list[set[str]]:
    forms = [value] if isinstance(value, str) else list(value)
    return [set(re.findall(r"{(\w+)}", form)) for form in forms]


@pytest.mark.parametrize("language", sorted(SHEET_STRINGS))
def test_every_language_has_every_string_with_the_same_fields(language):
    english, strings = SHEET_STRINGS["en"], SHEET_STRINGS[language]
    assert set(strings) == set(english)
    for key, value in strings.items():
        assert set().union(*fields_of(value)) == set().union(*fields_of(english[key])), key
        for form in [value] if isinstance(value, str) else value:
            assert first_missing_glyph(form) is None, key


def dosage(**values):
    base = {"sets": 3, "side": "each", "sessions_per_day": 2, "days_per_week": 7}
    return Dosage(**{**base, **values}, intensity=INTENSITY)


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "3 × 30 s hold, each side, twice a day, every day"),
        ("fr", "3 × 30 s de maintien, de chaque côté, deux fois par jour, tous les jours"),
        ("es", "3 × 30 s manteniendo la posición, cada lado, dos veces al día, todos los días"),
        ("de", "3 × 30 s halten, jede Seite, zweimal täglich, jeden Tag"),
        ("pl", "3 × 30 s utrzymania pozycji, na każdą stronę, dwa razy dziennie, codziennie"),
        ("el", "3 × κράτημα 30 δευτ., κάθε πλευρά, δύο φορές την ημέρα, κάθε μέρα"),
    ],
)
def test_hold_dosage_per_language(language, expected):
    assert dosage_line(dosage(hold_seconds=30), sheet_strings(language)) == expected


def test_repetitions_with_hold_rest_weeks_and_side():
    line = dosage_line(
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
        sheet_strings("en"),
    )
    assert line == (
        "2 × 10 repetitions, hold each for 2.5 s, left side only, once a day, 5 days a week, "
        "rest 1 min between sets, for 6 weeks"
    )
    french = dosage_line(dosage(repetitions=1, hold_seconds=2.5), sheet_strings("fr"))
    assert french.startswith("3 × 1 répétition, maintenir 2,5 s à chaque fois")


@pytest.mark.parametrize(
    "n, expected",
    [
        (1, "1 powtórzenie"),
        (3, "3 powtórzenia"),
        (5, "5 powtórzeń"),
        (12, "12 powtórzeń"),
        (22, "22 powtórzenia"),
    ],
)
def test_polish_plurals(n, expected):
    assert plural(sheet_strings("pl"), "repetitions", n) == expected


def test_language_tags_map_to_their_wording():
    assert sheet_strings("en-GB") is SHEET_STRINGS["en"]
    assert sheet_strings("de-CH") is SHEET_STRINGS["de"]


def test_escape_keeps_text_literal():
    assert escape('<b>x</b> & <img src="y"/>\nz') == (
        '&lt;b&gt;x&lt;/b&gt; &amp; &lt;img src="y"/&gt;<br/>z'
    )
