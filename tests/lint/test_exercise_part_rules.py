"""The answers of the rules about each exercise (`Rule.exercise_part`) kept for the run and
given to every file that holds the same exercise (issue 17): one look-up an exercise for all
of them, moved to the exercise's place in each file. A file whose protocol differs in what
such a rule reads outside the exercise (the general advice, a precaution's advice, the pain
guide) gets its own findings, whichever file came first, in a run that shares parts as
`protokit validate` does."""

from __future__ import annotations

import json

import pytest
from lint_helpers import ICD, TODAY, same_findings_shared_or_alone, variant_files

from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.lint.base import Rule
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.lint.registry import RULES

SETTINGS = LintSettings(today=TODAY)

BOUNCE = "Bounce gently at the end of the stretch."
NEVER_BOUNCE = "Move slowly and smoothly; never bounce into a stretch."
SIX = "Lower slowly; aim for a pain of 6 out of 10."
FOUR = "Lower slowly; aim for a pain of 4 out of 10."
POOR_BALANCE = "Poor balance: cannot step backwards safely."
POOR_BALANCE_START = "A patient with poor balance starts with the easier version."


def _advice(data):
    data["safety"]["general_advice"] = [NEVER_BOUNCE]  # TEXT006 for the bouncing step


def _precaution(data):
    precautions = data["safety"].setdefault("precautions", [])
    precautions.append(
        {
            "description": "Stiff, painful lower back.",
            "management": "Check the range at the first appointment.",
            "patient_advice": "Never bounce into a stretch.",  # TEXT006, under 'Take care'
        }
    )


def _narrower_guide(data):
    # A 4 is above these bands, within the others' (3 and 5). Bands are narrowed, not widened:
    # amber above 5 is SAFE004's error (H861).
    data["safety"]["pain_guide"].update(green_max=1, amber_max=3)


def _population(data):
    data["delivery"]["starting_level"] = POOR_BALANCE_START  # SAFE009 for the exercise


def _empty_stop(data):
    data["safety"]["stop_criteria"] = ["n/a"]  # SAFE003, outside the exercises


def _second(data):
    """The same exercise second, after another: its findings at /exercises/1."""
    other = json.loads(json.dumps(data["exercises"][0]))
    other.update(id="other-first", name="Another exercise", steps=["Sit tall."])
    data["exercises"].insert(0, other)


VARIANTS = {"plain": None, "advice": _advice, "precaution": _precaution}
VARIANTS.update(guide=_narrower_guide, second=_second, population=_population, stop=_empty_stop)


def _files(tmp_path, steps):
    """Copies of the minimal protocol whose exercise has `steps` added, each variant several
    times (a part is kept the second time it is built), under their own ids and titles, the
    variants interleaved."""

    def prepare(data):
        data["exercises"][0]["steps"] += steps
        data["exercises"][0]["contraindications"] = [{"description": POOR_BALANCE}]

    return variant_files(tmp_path, VARIANTS, 3, prepare)


def _variant(path):
    return path.rsplit("/", 1)[1].split("-")[0]


def test_the_general_advice_and_a_precaution_decide_whether_the_same_step_contradicts(tmp_path):
    expected = same_findings_shared_or_alone(_files(tmp_path, [BOUNCE]))
    for path, found in expected.items():
        contradicted = [pointer for code, pointer, _ in found if code == "TEXT006"]
        name = _variant(path)
        if name in ("advice", "precaution"):
            # Only the files whose advice forbids bouncing, at the step where it is.
            assert contradicted == ["/exercises/0/steps/2"], path
        else:
            assert contradicted == [], path


def test_the_pain_guide_decides_whether_the_same_level_is_above_the_stop_band(tmp_path):
    expected = same_findings_shared_or_alone(_files(tmp_path, [FOUR]))
    for path, found in expected.items():
        targets = [(pointer, message) for code, pointer, message in found if code == "SAFE014"]
        if _variant(path) == "guide":
            assert [pointer for pointer, _ in targets] == ["/exercises/0/steps/2"], path
            assert "stop above 3" in targets[0][1]
        else:
            assert targets == [], path


def test_whom_the_protocol_plans_for_decides_whether_the_same_exercise_is_contraindicated(
    tmp_path,
):
    expected = same_findings_shared_or_alone(_files(tmp_path, []))
    for path, found in expected.items():
        contraindicated = [pointer for code, pointer, _ in found if code == "SAFE009"]
        if _variant(path) == "population":
            assert contraindicated == ["/exercises/0/contraindications/0"], path
        else:
            assert contraindicated == [], path


def test_a_problem_outside_the_exercises_kept_with_the_part_is_only_its_files(tmp_path):
    expected = same_findings_shared_or_alone(_files(tmp_path, []))
    for path, found in expected.items():
        empty = [pointer for code, pointer, _ in found if code == "SAFE003"]
        assert empty == (["/safety/stop_criteria/0"] if _variant(path) == "stop" else []), path


def test_an_answer_found_again_is_moved_to_the_exercise_s_place(tmp_path):
    expected = same_findings_shared_or_alone(_files(tmp_path, [SIX, BOUNCE]))
    for path, found in expected.items():
        if _variant(path) == "second":
            pointers = {pointer for code, pointer, _ in found if code == "SAFE014"}
            assert pointers == {"/exercises/1/steps/2"}


def test_each_exercise_is_asked_once_for_every_rule(tmp_path):
    """Files with the same exercise and the same advice: the rules about each exercise are
    asked about it a few times (before its part is kept), not once a file."""
    paths = [p for p in _files(tmp_path, [SIX]) if _variant(p) in ("plain", "advice")] * 3
    asked = []
    rules = [rule for rule in RULES if rule.exercise_part]
    assert len(rules) >= 10

    def counted(rule):
        def about_exercise(exercise, index, protocol, context):
            asked.append(rule.code)
            return type(rule).about_exercise(rule, exercise, index, protocol, context)

        return about_exercise

    shared = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),), share_parts=True))
    try:
        for rule in rules:
            rule.about_exercise = counted(rule)  # on the instance, for this test only
        for path in paths:
            shared.check(path)
    finally:
        for rule in rules:
            del rule.about_exercise
    per_rule = {code: asked.count(code) for code in set(asked)}
    assert set(per_rule) == {rule.code for rule in rules}
    assert max(per_rule.values()) < len(paths) // 2, per_rule


@pytest.mark.parametrize("rule", [r for r in RULES if r.exercise_part], ids=lambda r: r.code)
def test_a_rule_about_each_exercise_reads_the_protocol_only_through_around(rule):
    """A rule whose `about_exercise` reads the protocol outside the exercise says what in
    `around`, and that is read from the shared part alone: the engine keys its answers by
    it. The rules that read nothing outside the exercise keep the default."""
    reads_more = {"SAFE001", "SAFE002", "SAFE006", "SAFE009", "SAFE014", "TEXT001", "TEXT006"}
    assert (type(rule).around is not Rule.around) == (rule.code in reads_more)
    # SAFE006's `around` (a pregnancy's fever, H1032) is () on nearly every sheet: its answers
    # stay in the group of the rules that read the exercise alone.
    assert rule.around_seldom == (rule.code == "SAFE006")


def _hip(data):
    """Indicated for hip pain, not low back pain: the exercise's conditions treat nothing."""
    data["indications"] = [{"system": ICD, "code": "M25.551", "display": "Pain in right hip"}]


def test_the_indications_decide_whether_the_same_exercise_s_conditions_clash(tmp_path):
    """SAFE001 and SAFE002 are answered with the rules about each exercise (twenty-ninth
    sitting, H1164): the same exercise, contraindicated for low back pain and with a precaution
    for it that has no management note, is an error in the files that treat low back pain and
    in no other, whichever file of a run that shares parts and answers came first."""

    def prepare(data):
        low_back = {"system": ICD, "code": "M54.50", "display": "Low back pain, unspecified"}
        data["exercises"][0]["contraindications"] = [
            {"coding": low_back, "description": "Not for low back pain."}
        ]
        data["exercises"][0]["precautions"] = [
            {"coding": low_back, "description": "Flexion may aggravate pain."}
        ]

    paths = variant_files(tmp_path, {"back": None, "hip": _hip}, 3, prepare)
    expected = same_findings_shared_or_alone(paths)
    for path, found in expected.items():
        clashes = sorted((code, pointer) for code, pointer, _ in found if code[:4] == "SAFE")
        clashes = [(code, pointer) for code, pointer in clashes if code in ("SAFE001", "SAFE002")]
        if _variant(path) == "back":
            assert clashes == [
                ("SAFE001", "/exercises/0/contraindications/0/coding"),
                ("SAFE002", "/exercises/0/precautions/0"),
            ], path
        else:
            assert clashes == [], path
