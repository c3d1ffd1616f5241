"""Letters `re.IGNORECASE` takes for an ASCII one ("twıce" with a dotless i matches "twice",
"ſets" with a long s matches "sets") are read as that letter when a matched word is looked up:
before, `str.lower` left them as they were, the look-up found nothing, and `validate` of a
protocol whose advice said "twıce a day" ended in "internal error"."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from protocol_kit.lint.rules import dosage_text
from protocol_kit.patterns import folded

REPO = Path(__file__).resolve().parents[2]
TWINS = {"i": ("\u0130", "\u0131"), "k": ("\u212a",), "s": ("\u017f",)}
TEXTS = (
    "Do these exercises twice a day.",
    "Do it once a day, 5 times a week.",
    "3 sets of 10 repetitions, then a second set; hold for 30 seconds.",
    "Repeat every 2 hours, five times daily.",
)


def twin_spellings(text: str) -> list[str]:
    """`text` with every letter that has an IGNORECASE twin written as each of its twins."""
    return [text.replace(letter, twin) for letter, twins in TWINS.items() for twin in twins]


def amounts(text: str) -> list[tuple[str, float, float]]:
    return [(a.field, a.low, a.high) for a in dosage_text._amounts(text)]


@pytest.mark.parametrize("text", TEXTS)
def test_a_twin_letter_reads_as_its_ascii_letter(text):
    assert amounts(text)  # the plain text states amounts
    for spelt in twin_spellings(text):
        assert amounts(spelt) == amounts(text), spelt


def test_folded_gives_the_word_the_pattern_spelt():
    assert folded("TW\u0130CE") == folded("tw\u0131ce") == "twice"
    assert folded("\u017fets") == "sets" and folded("wee\u212a") == "week"


@pytest.mark.parametrize(
    "advice", ["Do these exercises tw\u0131ce a day.", "A \u017fecond \u017fet, 3 \u017fets."]
)
def test_validate_reads_a_twin_letter_without_an_internal_error(tmp_path, advice):
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    path = tmp_path / "protocols" / "psoas-stretch-glute-bridge.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["safety"]["general_advice"].append(advice)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "protocol_kit", "validate", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "internal error" not in done.stderr + done.stdout
    assert done.returncode in (0, 1)
    assert "checked 1 file" in done.stdout + done.stderr
