"""The values the rules about a whole file read of each exercise (`Rule.exercise_fact`: DOSE004
its seconds, SAFE010 its conditions), worked out by the engine for all of them together and
kept for the run by the exercise's number, and SAFE010's verdicts on two places' conditions,
kept by the two (issue 17, thirty-first sitting). Files that differ only in what such a value
or verdict reads get their own findings, whichever came first, in a run that shares parts as
`protokit validate` does (H1275, H1276)."""

from __future__ import annotations

from lint_helpers import (
    ICD,
    OSTEOPOROSIS,
    library_exercise,
    minimal,
    same_findings_shared_or_alone,
    variant_files,
)

from protocol_kit.lint.base import exercise_facts
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.lint.registry import RULES_BY_CODE

# 8 sets of 30 repetitions with 5 minutes' rest between them: about 55 minutes, past 45.
LONG = {"sets": 8, "repetitions": 30, "rest_seconds": 300}


def _variant(path: str) -> str:
    return path.rsplit("/", 1)[1].split("-")[0]


def test_a_library_exercise_s_time_is_kept_with_the_dosage_its_reference_overrides(tmp_path):
    """The same library exercise, its reference overriding the dosage or not: the overridden
    one's session is too long. A value kept by the exercise's texts alone (which leave the
    reference's numbers out) would give one file the other's time."""
    library_exercise(tmp_path)
    variants = {
        "plain": lambda data: data.update(exercises=[{"ref": "cat-cow"}]),
        "long": lambda data: data.update(exercises=[{"ref": "cat-cow", "dosage": LONG}]),
    }
    expected = same_findings_shared_or_alone(variant_files(tmp_path, variants, 3))
    for path, found in expected.items():
        long_session = [pointer for code, pointer, _ in found if code == "DOSE004"]
        assert long_session == (["/exercises"] if _variant(path) == "long" else []), path


def _contraindicated(data: dict) -> None:
    """The protocol contraindicates osteoporosis, coded, in other words than the exercise's."""
    code, display = OSTEOPOROSIS
    data["safety"]["contraindications"] = [
        {
            "description": "Fragile bones: no loaded bending forwards.",
            "coding": {"system": ICD, "code": code, "display": display},
        }
    ]


def _precaution(code: str, display: str):
    """The exercise's precaution, coded as `code`: the same words whatever the code."""

    def change(data: dict) -> None:
        _contraindicated(data)
        data["exercises"][0]["precautions"] = [
            {
                "description": "Thin bones: keep the movement small.",
                "coding": {"system": ICD, "code": code, "display": display},
                "management": "Check the range at the first appointment.",
                "patient_advice": "Move gently and stop if it hurts.",
            }
        ]

    return change


def test_whether_two_places_name_one_condition_is_kept_by_their_codes_too(tmp_path):
    """The exercise's precaution in the same words, coded as the protocol's contraindication or
    as another condition: only the first is the same condition (by the codes, the words
    differ). A verdict kept by the places' names alone would give one file the other's."""
    back_pain = minimal()["indications"][0]
    variants = {
        "same": _precaution(*OSTEOPOROSIS),
        "other": _precaution(back_pain["code"], back_pain["display"]),
    }
    expected = same_findings_shared_or_alone(variant_files(tmp_path, variants, 3))
    for path, found in expected.items():
        clash = [pointer for code, pointer, _ in found if code == "SAFE010"]
        wanted = ["/exercises/0/precautions/0"] if _variant(path) == "same" else []
        assert clash == wanted, path


def test_a_rule_called_on_its_own_reads_the_same_values(tmp_path):
    """`exercise_facts` outside the engine (a rule's `check` called directly) works each value
    out itself: the same as the engine's."""
    from protocol_kit.app.check import CheckOptions, FileChecker

    library_exercise(tmp_path)
    paths = variant_files(
        tmp_path,
        {"long": lambda data: data.update(exercises=[{"ref": "cat-cow", "dosage": LONG}])},
        1,
    )
    seen = {}

    class Watching(Linter):
        def lint(self, protocol, data, source):
            found = super().lint(protocol, data, source)
            context = self._context(data, source)
            rule = RULES_BY_CODE["DOSE004"]
            seen["alone"] = exercise_facts(rule, protocol, context)
            return found

    checker = FileChecker(CheckOptions(hooks=(Watching(LintSettings()),)))
    checker.check(paths[0])
    [seconds] = seen["alone"]
    assert seconds / 60 > 45


def _uncoded_precaution(description: str):
    """The protocol contraindicates osteoporosis, uncoded; the exercise's precaution, uncoded
    too, is `description`."""

    def change(data: dict) -> None:
        data["safety"]["contraindications"] = [
            {"description": "Osteoporosis: no loaded bending forwards."}
        ]
        data["exercises"][0]["precautions"] = [
            {
                "description": description,
                "management": "Check the range at the first appointment.",
                "patient_advice": "Move gently and stop if it hurts.",
            }
        ]

    return change


def test_whether_two_places_name_one_condition_is_kept_by_their_words_too(tmp_path):
    """The exercise's precaution, uncoded, names the protocol's uncoded contraindication or
    another condition: only the first is the same condition. A verdict kept by numbers that
    leave the conditions' names out (both places have no code) would give one file the
    other's (H1385)."""
    variants = {
        "same": _uncoded_precaution("Osteoporosis: keep the movement small."),
        "other": _uncoded_precaution("Knee replacement: keep the movement small."),
    }
    expected = same_findings_shared_or_alone(variant_files(tmp_path, variants, 3))
    for path, found in expected.items():
        clash = [pointer for code, pointer, _ in found if code == "SAFE010"]
        wanted = ["/exercises/0/precautions/0"] if _variant(path) == "same" else []
        assert clash == wanted, path
