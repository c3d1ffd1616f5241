"""The thirty-third sitting's follow-up round (hazard H1571): a fresh protocol coded for a
blood thinner (Z79.01, Z79.02, WHO ICD-10 Z92.1) was warned TEXT001 about the toolkit's own
starting text, the knock to the head written as its summary in one 50-word sentence (grade
8.2, more with another family). The red flag starts from the item's `starting_text`, the same
facts in shorter sentences; the messages still quote the summary."""

from __future__ import annotations

import json

import pytest

from conftest import run_protokit
from protocol_kit.redflags import red_flag_sets
from protocol_kit.starter.conditions import starting_red_flags

_ITEM = "head-injury-anticoagulant"


@pytest.mark.parametrize(
    "codes",
    [
        "Z79.01",
        "Z79.02",
        "icd-10:Z92.1",
        "Z79.02,M54.50",
        "Z79.01,icd-10-cm:M54.2",
        "Z79.02,icd-10-cm:S93.401A",
        "Z79.01,Z96.641",
        "Z79.02,Z33.1",
        "Z79.02,icd-10-cm:M76.60",
    ],
)
def test_a_fresh_blood_thinner_protocol_is_not_warned_about_its_starting_text(tmp_path, codes):
    # Fails without H1571: "warning TEXT001 the safety information reads at school grade 8.2"
    # (9.4 with the ankle's family).
    made = run_protokit("new", "protocol", "fresh", "-c", codes, cwd=tmp_path)
    assert made.code == 0, made.stderr
    data = json.loads((tmp_path / "fresh.json").read_text(encoding="utf-8"))
    [knock] = [f for f in data["safety"]["red_flags"] if f["covers"] == [_ITEM]]
    assert knock["action"] == "emergency"
    checked = run_protokit("validate", "fresh.json", cwd=tmp_path)
    lines = checked.stdout.splitlines()
    assert not [line for line in lines if "TEXT001" in line or " SAFE0" in line]
    # The starting text is still marked for review.
    assert f'"{knock["text"][:40]}' in checked.stdout  # GOV009's list


def test_the_starting_text_keeps_every_fact_of_the_summary():
    item = red_flag_sets().items[_ITEM]
    flags, _ = starting_red_flags(
        [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "Z79.02", "display": "x"}]
    )
    [knock] = [f for f in flags if f["covers"] == [_ITEM]]
    text = knock["text"]
    assert text == item.starting_text and text != item.summary
    for fact in (
        "a knock or blow to your head, even a small one",
        "blood thinner",
        "even if you feel fine",
        "anticoagulant",
        "warfarin, apixaban, rivaroxaban, edoxaban or dabigatran",
        "antiplatelet medicine",
        "clopidogrel, prasugrel or ticagrelor",
        "other than aspirin alone",
    ):
        assert fact in text.lower() and fact in item.summary, fact
    # Every sentence short: the summary was one sentence of 50 words.
    assert max(len(s.split()) for s in text.split(". ")) <= 20
    assert item.summary.startswith("a knock or blow to your head")  # the messages' words
