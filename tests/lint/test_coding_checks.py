"""CODE001, CODE002, CODE003 and CODE005 ask first, place by place, whether the file has a
coding one of them reports (lint/rules/_coding_checks.py): what they find is what they find
listing every coding of every file, in one run over files that share their exercises, and the
question is "yes" exactly for the files one of them reports."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from lint_helpers import ICD, SNOMED, TODAY, coding, exercise, library_exercise, minimal

from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.lint.rules import (
    _coding_checks,
    icd_not_billable,
    icd_unknown,
    snomed_identifier,
    who_icd_unknown,
)

WHO = "http://hl7.org/fhir/sid/icd-10"
RULES = ("CODE001", "CODE002", "CODE003", "CODE005")
# Each kind of coding: fine, and one each of the four rules reports.
CODINGS = [
    None,
    coding(ICD, "M54.50", "Low back pain, unspecified"),
    coding(ICD, "M54.55", "Low back pain"),  # not in the list: CODE001
    coding(ICD, "M54.5", "Low back pain"),  # a header: CODE002
    coding(SNOMED, "279039007", "Low back pain"),
    coding(SNOMED, "279039008", "Low back pain"),  # a wrong check digit: CODE003
    coding(WHO, "M54.5", "Low back pain"),
    coding(WHO, "M54.50", "Low back pain"),  # not a WHO code: CODE005
]


def protocol(indication, contraindication, precaution, library: bool) -> dict:
    data = minimal()
    if indication is not None:
        data["indications"] = [indication]
    if contraindication is not None:
        data["safety"]["contraindications"] = [
            {"coding": contraindication, "description": "Back pain."}
        ]
    if precaution is not None:
        exercise(data)["precautions"] = [
            {"coding": precaution, "description": "Back pain.", "management": "Go gently."}
        ]
    if library:  # the exercise from the library file beside it, as most clinics' files
        data["exercises"] = [{"ref": exercise(data)["id"]}]
    return data


def findings(paths, asked_first: bool, monkeypatch) -> dict[str, list]:
    """The four rules' findings in each file, from one run (one run memo)."""
    if not asked_first:
        for module in (icd_unknown, icd_not_billable, snomed_identifier, who_icd_unknown):
            monkeypatch.setattr(module, "may_report", lambda protocol, context: True)
    try:
        checker = FileChecker(CheckOptions(hooks=(Linter(LintSettings(today=TODAY)),)))
        found = {}
        for path in paths:
            report = checker.check(str(path))
            found[path.name] = [
                (f.code, f.pointer, f.message) for f in report.findings if f.code in RULES
            ]
        return found
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_rules_find_what_listing_every_coding_finds(tmp_path, monkeypatch, seed):
    library_exercise(tmp_path)
    combinations = list(itertools.product(CODINGS, CODINGS, CODINGS, (False,)))
    combinations += [(i, c, None, True) for i, c in itertools.product(CODINGS, CODINGS)]
    random.Random(seed).shuffle(combinations)  # files in another order: another memo
    paths = []
    for number, combination in enumerate(combinations[:160]):
        path = tmp_path / f"p{number}.json"
        path.write_text(json.dumps(protocol(*combination)), encoding="utf-8")
        paths.append(path)
    asked_first = findings(paths, True, monkeypatch)
    listing = findings(paths, False, monkeypatch)
    assert asked_first == listing
    # The comparison means something: each rule reports in some files, and none in others.
    reported = {code for found in listing.values() for code, _, _ in found}
    assert reported == set(RULES)
    assert any(not found for found in listing.values())


def test_the_question_is_yes_exactly_where_a_rule_reports(tmp_path):
    for number, kind in enumerate(CODINGS):
        data = protocol(None, None, kind, False)
        path = tmp_path / f"p{number}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        checker = FileChecker(CheckOptions(hooks=(Linter(LintSettings(today=TODAY)),)))
        reported = [f for f in checker.check(str(path)).findings if f.code in RULES]
        system_code = None if kind is None else (kind["system"], kind["code"])
        said = system_code is not None and _coding_checks.reported(*system_code)
        assert said == bool(reported), kind
