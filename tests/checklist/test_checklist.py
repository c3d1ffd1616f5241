"""The content-based CERT/TIDieR checklist: every item can fail, the hollow protocol comes out
thin or missing, items about what happened are never covered, and the three formats."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from conftest import CASES, PROTOCOLS, REPO, run_protokit
from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.checklist import (
    COVERED,
    MISSING,
    NOT_APPLICABLE,
    THIN,
    checklist,
    items,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "render"))
from sheet_helpers import self_contained  # noqa: E402

HOLLOW = CASES / "checklist" / "hollow" / "protocol.json"
EXAMPLES = sorted(PROTOCOLS.glob("*.json"))
FULL = self_contained()


def statuses(data, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    results = checklist(load_protocol(str(path), FileChecker(CheckOptions())))
    return {(r.item.standard, r.item.number): r for r in results}


def every_exercise(data, field, value):
    for exercise in data["exercises"]:
        exercise[field] = copy.deepcopy(value)


# For each item with evidence: a change to the complete example that takes that evidence
# away, so that the item must stop being covered. An item judged by a constant fails here.
BREAK = {
    "1": lambda d: every_exercise(d, "equipment", ["x"]),
    "2": lambda d: d["delivery"]["provider"].update(qualifications="Physio."),
    "3": None,  # a structured enum the schema requires: covered by its value
    "4": None,
    "5": lambda d: d["delivery"]["adherence"].update(method="none"),
    "6": lambda d: d["delivery"].update(motivation="Keep going."),
    "7a": lambda d: d["delivery"].update(
        progression_rule="Progress the programme steadily over time."
    ),
    "7b": lambda d: d["exercises"][0].update(progression="Harder."),
    "8": lambda d: every_exercise(d, "steps", ["Stretch."]),
    "9": lambda d: every_exercise(d, "steps", ["Go."]),
    "10": lambda d: d["delivery"].update(education=["Be good."]),
    "12": None,
    "13": lambda d: d["exercises"][0]["dosage"].update(intensity="x"),
    "14a": lambda d: d["delivery"].update(tailoring="TBD"),
    "14b": lambda d: d["delivery"].update(tailoring="Chosen for each patient at the first visit."),
    "15": lambda d: d["delivery"].update(starting_level="Start."),
    "16a": lambda d: d["delivery"]["adherence"].update(description="Diary."),
}
TIDIER_BREAK = {
    "1": lambda d: d.update(title="Back"),
    "2": lambda d: d.update(summary="Exercises."),
    "3": lambda d: d["delivery"].update(education=["..."]),
    "4": lambda d: every_exercise(d, "starting_position", "Lie down."),
    "5": lambda d: d["delivery"]["provider"].update(qualifications="-"),
    "6": None,
    "7": None,
    "8": lambda d: [
        e["dosage"].update(sets=1, repetitions=1, hold_seconds=1) for e in d["exercises"]
    ],
    "9": lambda d: d["delivery"].update(starting_level="n/a"),
    "11": lambda d: d["delivery"]["adherence"].update(description="x"),
}


def test_the_example_covers_every_applicable_item(tmp_path):
    found = statuses(FULL, tmp_path)
    assert {r.status for r in found.values()} == {COVERED, NOT_APPLICABLE}


@pytest.mark.parametrize(
    ("standard", "number"),
    [("CERT", n) for n, f in BREAK.items() if f]
    + [("TIDieR", n) for n, f in TIDIER_BREAK.items() if f],
)
def test_each_item_fails_when_its_content_is_taken_away(tmp_path, standard, number):
    data = copy.deepcopy(FULL)
    (BREAK if standard == "CERT" else TIDIER_BREAK)[number](data)
    result = statuses(data, tmp_path)[(standard, number)]
    assert result.status in (THIN, MISSING), result
    assert result.notes, "a thin or missing item says what is missing"


def test_every_judged_item_has_a_breaking_case():
    judged = {(i.standard, i.number) for i in items() if i.not_applicable is None}
    listed = {("CERT", n) for n in BREAK} | {("TIDieR", n) for n in TIDIER_BREAK}
    assert judged == listed


def test_the_hollow_protocol_is_mostly_thin_or_missing():
    # Every delivery field "x", one-word steps, placeholder equipment: valid against the
    # schema, and reported as covering almost nothing.
    results = checklist(load_protocol(str(HOLLOW)))
    applicable = [r for r in results if r.status != NOT_APPLICABLE]
    poor = [r for r in applicable if r.status in (THIN, MISSING)]
    assert len(poor) >= 0.8 * len(applicable)
    covered = {(r.item.standard, r.item.number) for r in applicable if r.status == COVERED}
    # Only the structured choices (format, supervision, setting) remain covered.
    assert covered <= {
        ("CERT", "3"),
        ("CERT", "4"),
        ("CERT", "12"),
        ("TIDieR", "6"),
        ("TIDieR", "7"),
    }


@pytest.mark.parametrize(
    "junk",
    [
        "asdf asdf asdf asdf asdf asdf asdf asdf asdf",
        "same as above same as above same as above",
        "Text goes here text goes here text goes here please",
        "To be confirmed, to be confirmed later when it is decided.",
        "blah blah blah blah blah when if set record review therapist",
    ],
)
def test_long_junk_is_not_content(tmp_path, junk):
    # The hollow protocol with every "x" made long enough to pass a word count: repeated
    # words and stand-in phrases carry no item either.
    data = json.loads(HOLLOW.read_text(encoding="utf-8"))
    delivery = data["delivery"]
    for key in ("starting_level", "tailoring", "motivation", "progression_rule"):
        delivery[key] = junk
    delivery["provider"]["qualifications"] = junk
    delivery["adherence"]["description"] = junk
    delivery["education"] = [junk]
    data["title"] = data["summary"] = junk
    for key in ("purpose", "starting_position", "progression"):
        data["exercises"][0][key] = junk
    data["exercises"][0]["steps"] = [junk, junk]
    data["exercises"][0]["equipment"] = [junk]
    applicable = [r for r in statuses(data, tmp_path).values() if r.status != NOT_APPLICABLE]
    covered = {(r.item.standard, r.item.number) for r in applicable if r.status == COVERED}
    assert covered <= {("CERT", "3"), ("CERT", "4"), ("CERT", "12"), ("TIDieR", "6"),
                       ("TIDieR", "7")}, junk  # fmt: skip


def test_items_about_what_happened_are_never_covered(tmp_path):
    data = copy.deepcopy(FULL)
    data["delivery"]["adverse_events"] = (
        "Two patients reported increased pain after the first week; both recovered."
    )
    found = statuses(data, tmp_path)
    for key in (("CERT", "11"), ("CERT", "16b"), ("TIDieR", "10"), ("TIDieR", "12")):
        assert found[key].status == NOT_APPLICABLE


def test_a_programme_without_a_home_part_has_no_home_item(tmp_path):
    data = copy.deepcopy(FULL)
    data["delivery"]["setting"] = ["clinic"]
    assert statuses(data, tmp_path)[("CERT", "9")].status == NOT_APPLICABLE


def test_checklist_of_the_hollow_protocol_on_the_command_line():
    result = run_protokit("checklist", str(HOLLOW.relative_to(REPO)))
    assert result.code == 1
    assert "one session takes under a minute" in result.stdout
    assert "  6    missing         Motivation strategies" in result.stdout
    assert '- delivery.motivation: only a placeholder ("x")' in result.stdout
    assert "covering" not in result.stdout


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_covers_every_applicable_item(path):
    result = run_protokit("checklist", str(path.relative_to(REPO)))
    assert result.code == 0, result.stdout
    assert " thin " not in result.stdout and " missing " not in result.stdout


def test_json_format():
    payload = json.loads(run_protokit("checklist", "-f", "json", str(HOLLOW)).stdout)
    by_item = {(i["standard"], i["item"]): i for i in payload["items"]}
    assert len([k for k in by_item if k[0] == "CERT"]) == 19  # 16 items, 3 in two parts
    assert len([k for k in by_item if k[0] == "TIDieR"]) == 12
    assert by_item[("CERT", "7a")]["status"] == "missing"
    assert by_item[("CERT", "7a")]["fields"] == "delivery.progression_rule"
    assert by_item[("CERT", "7a")]["notes"][0].startswith("delivery.progression_rule: ")
    assert payload["counts"]["missing"] >= 10


def test_markdown_format_is_a_table_and_escapes_the_protocols_text(tmp_path):
    data = copy.deepcopy(FULL)
    data["delivery"]["motivation"] = "*"
    path = tmp_path / "p|q.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_protokit("checklist", "--format", "markdown", str(path))
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("## CERT and TIDieR checklist: ") and "p\\|q.json" in lines[0]
    rows = [line for line in lines if line.startswith("| CERT") or line.startswith("| TIDieR")]
    assert len(rows) == 31
    assert all(row.count(" | ") == 5 for row in rows)
    assert "| CERT | 6 | Motivation strategies | missing |" in result.stdout
    assert 'placeholder ("\\*")' in result.stdout  # not read as emphasis
