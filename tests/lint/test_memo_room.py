"""What the lint's run memo holds (issue 17, seventh round): answers about parts that files
share, not answers about a whole file's combination of parts, which are not found again and
pushed the shared ones out; and the sameness of two codings, kept by every string it reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from lint_helpers import ICD, SNOMED, TODAY, minimal

from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.findings import Finding
from protocol_kit.lint.base import _kind
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.lint.registry import RULES_BY_CODE
from protocol_kit.lint.rules._codings import same_condition
from protocol_kit.model import Coding, Origin

WHO = "http://hl7.org/fhir/sid/icd-10"
HERE = Origin("p.json", "/indications/0")
RULE_CODES = set(RULES_BY_CODE)


def _coding(system: str, code: str) -> Coding:
    return Coding(system, code, "a condition", HERE)


def test_sameness_of_codings_is_kept_by_both_systems_and_both_codes():
    """Asked in an order where an answer kept under a key that leaves out any of the four
    strings would be found for the next question, and be wrong."""
    asked = [
        ((ICD, "A00"), (ICD, "A00.1"), True),  # one contains the other
        ((ICD, "A00"), (ICD, "B00"), False),  # the second code differs
        ((ICD, "B00"), (ICD, "A00.1"), False),  # the first code differs
        ((ICD, "A00"), (SNOMED, "A00.1"), None),  # the second system differs: no mapping
        ((SNOMED, "A00"), (ICD, "A00.1"), None),  # the first system differs
        ((SNOMED, "A00"), (SNOMED, "A00.1"), False),  # SNOMED: no hierarchy
        ((ICD, "G83.4"), (WHO, "G83.4"), True),  # across systems, the same words
        ((ICD, "A00"), (ICD, "A00.1"), True),  # the first again, after the others
    ]
    for (a_system, a_code), (b_system, b_code), same in asked:
        found = same_condition(_coding(a_system, a_code), _coding(b_system, b_code))
        assert found is same, (a_system, a_code, b_system, b_code)


def _contradicting(data: dict) -> None:
    """The protocol contraindicates osteoporosis; its exercise lists it as a precaution."""
    data["safety"]["contraindications"] = [
        {"description": "Osteoporosis: loaded flexion may fracture a vertebra."}
    ]
    data["exercises"][0]["precautions"] = [
        {
            "description": "Osteoporosis: keep the movement small.",
            "patient_advice": "Move gently and stop if it hurts.",
        }
    ]


def _run(folder: Path, protocols: list[dict]) -> tuple[Linter, list[list[Finding]]]:
    """The protocols checked in turn by one checker and linter, as one run checks them."""
    checked = list(_each_checked(folder, protocols))
    return checked[-1][0], [findings for _, findings in checked]


def _each_checked(folder: Path, protocols: list[dict]) -> Iterator[tuple[Linter, list[Finding]]]:
    """The linter and each protocol's findings, as the run (one checker and linter) checks
    it: the linter's memo as it is after that file."""
    linter = Linter(LintSettings(today=TODAY))
    checker = FileChecker(CheckOptions(hooks=(linter,)))
    for index, data in enumerate(protocols):
        path = folder / f"p{index}.json"
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        yield linter, checker.check(str(path)).findings


def test_no_whole_file_answer_of_safe010_or_code006_is_kept_for_the_run(tmp_path):
    """Their answers read a file's conditions and all its exercises together: kept for the
    run they were one new answer per file (8,600 in a run of 10,000 files), which filled
    the bounded memo and pushed out the answers about single exercises that files share.
    Each file is still judged: the one with a contradiction, among others, gets it."""
    protocols = []
    for index in range(6):
        data = minimal()
        data["id"] = f"{data['id']}-{index}"
        if index == 4:
            _contradicting(data)
        # A coded precaution no indication's system can be compared with (CODE006).
        data["indications"] = [{"system": SNOMED, "code": "161891005", "display": "Backache"}]
        data["safety"]["precautions"] = [
            {
                "description": f"Cauda equina syndrome, case {index}: go gently.",
                "coding": {"system": WHO, "code": "G83.4", "display": "Cauda equina syndrome"},
            }
        ]
        protocols.append(data)
    linter, found = _run(tmp_path, protocols)
    for index, findings in enumerate(found):
        safe010 = [(f.code, f.pointer) for f in findings if f.code == "SAFE010"]
        expected = [("SAFE010", "/exercises/0/precautions/0")] if index == 4 else []
        assert safe010 == expected, findings
        assert [f.code for f in findings if f.code == "CODE006"] == ["CODE006"], findings
    kinds = {_kind(key) for key in linter._memo}
    assert "SAFE010" not in kinds and "CODE006" not in kinds


PER_PLACE = ("SAFE010-place", "CODE006-place", "CODE004-place")


def test_answers_about_each_place_are_kept_once_whatever_the_file(tmp_path):
    """SAFE010, CODE006 and CODE004 keep an answer about each place (the protocol's own
    conditions and codings, each exercise), not about a file: files that differ only in what
    those rules do not read (here their id and title) add none."""
    protocols = []
    for index in range(5):
        data = minimal()
        data["id"] = f"{data['id']}-{index}"
        data["title"] = f"Programme {index}"
        _contradicting(data)
        protocols.append(data)
    counts = []
    for linter, findings in _each_checked(tmp_path, protocols):
        assert [f.code for f in findings if f.code == "SAFE010"], findings  # each file's own
        counts.append(sum(_kind(key) in PER_PLACE for key in linter._memo))
    assert counts[0] > 0 and counts == [counts[0]] * len(counts), counts


def test_answers_kept_for_the_run_cannot_be_changed_in_place(tmp_path):
    """A rule that changed a kept answer in place would change every later file's."""
    data = minimal()
    linter, _ = _run(tmp_path, [data])
    kept = [value for key, value in linter._memo.items() if _kind(key) in RULE_CODES]
    assert kept and all(isinstance(answer, tuple) for answer in kept)


def _coded_precaution(coding: dict) -> dict:
    return {
        "description": "Low back pain: move within comfort.",
        "coding": coding,
        "management": "Smaller range on painful days.",
    }


def test_a_place_with_a_coding_to_report_is_found_among_files_without(tmp_path):
    """CODE004 and CODE006 keep whether each place has a coding to report (H572): in one run,
    the exercise given a wrong display, and then one given a code no indication's system can
    be compared with, are reported in their files, and the same exercise without them is not;
    each file's findings are those a new linter gives."""
    wrong_display = {"system": ICD, "code": "M54.50", "display": "Neck pain"}
    other_system = {"system": WHO, "code": "G83.4", "display": "Cauda equina syndrome"}
    protocols = []
    for index, coding in enumerate((None, wrong_display, None, other_system, None)):
        data = minimal()
        data["id"] = f"{data['id']}-{index}"
        data["indications"] = [{"system": SNOMED, "code": "161891005", "display": "Backache"}]
        if coding is not None:
            data["exercises"][0]["precautions"] = [_coded_precaution(coding)]
        protocols.append(data)
    _, found = _run(tmp_path, protocols)
    codes = [sorted({f.code for f in findings} & {"CODE004", "CODE006"}) for findings in found]
    assert codes == [[], ["CODE004"], [], ["CODE006"], []], found
    for index, findings in enumerate(found):
        alone = Linter(LintSettings(today=TODAY))
        checker = FileChecker(CheckOptions(hooks=(alone,)))
        assert checker.check(str(tmp_path / f"p{index}.json")).findings == findings
