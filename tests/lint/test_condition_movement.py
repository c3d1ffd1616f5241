"""SAFE012 condition-movement: an exercise that takes the body where a screened or treated
condition needs care (spinal flexion with osteoporosis, the hip beyond 90 degrees after a hip
replacement, lying on the back in pregnancy) must say so in a precaution or contraindication
(hazard H203)."""

from __future__ import annotations

import json

import pytest
from lint_helpers import ICD, codes, coding, exercise, lint, only

PREGNANT = {"id": "pregnant", "question": "Are you pregnant?", "decides": ["pregnancy"]}
PREGNANCY_PRECAUTION = {
    "id": "pregnancy",
    "description": "Pregnancy beyond about 16 weeks: lying flat on the back may cause "
    "light-headedness.",
    "management": "Prop the upper body on pillows.",
    "patient_advice": "If you are pregnant, ask your therapist or midwife first.",
}


def lying_on_the_back(data):
    exercise(data)["starting_position"] = "Lie on your back with your knees bent."


def test_a_pregnancy_question_and_an_exercise_on_the_back_with_no_precaution(tmp_path):
    def change(data):
        data["screening"] = [dict(PREGNANT, decides=["kneeling"])]
        exercise(data)["contraindications"] = [{"id": "kneeling", "description": "Knee injury."}]
        lying_on_the_back(data)

    findings = only(lint(tmp_path, change), "SAFE012")
    assert codes(findings) == [("SAFE012", "/exercises/0")]
    assert "lying flat on the back" in findings[0].message
    assert "pregnancy" in findings[0].message


def test_the_precaution_in_other_words_is_enough(tmp_path):
    def change(data):
        data["screening"] = [PREGNANT]
        exercise(data)["precautions"] = [PREGNANCY_PRECAUTION]
        lying_on_the_back(data)

    assert only(lint(tmp_path, change), "SAFE012") == []


@pytest.mark.parametrize(
    ("code", "display", "step"),
    [
        ("M81.0", "Age-related osteoporosis without current pathological fracture",
         "Do 10 sit-ups."),
        ("M80.08XA", "Age-related osteoporosis with current pathological fracture, vertebra(e), "
         "initial encounter for fracture", "Curl up and touch your toes."),
        ("Z96.641", "Presence of right artificial hip joint", "Pull both knees to your chest."),
    ],
)  # fmt: skip
def test_a_treated_condition_and_a_movement_named_in_the_steps(tmp_path, code, display, step):
    def change(data):
        data["indications"].append(coding(ICD, code, display))
        exercise(data)["steps"].append(step)

    assert [f.code for f in lint(tmp_path, change) if f.code == "SAFE012"] == ["SAFE012"]


def test_a_hip_bent_beyond_90_degrees_in_a_pose(tmp_path):
    def change(data):
        data["indications"].append(coding(ICD, "Z96.641", "Presence of right artificial hip joint"))
        exercise(data)["poses"] = {
            "start": {"posture": "lying-back-knees-bent"},
            "end": {"posture": "lying-back-knees-bent", "joints": {"right_hip": {"flexion": 120}}},
        }

    findings = only(lint(tmp_path, change), "SAFE012")
    assert len(findings) == 1
    assert "right hip flexion 120 degrees" in findings[0].message


def test_a_condition_the_protocol_does_not_plan_for_is_not_asked_about(tmp_path):
    assert only(lint(tmp_path, lambda d: exercise(d)["steps"].append("Do 10 sit-ups.")),
                "SAFE012") == []  # fmt: skip


def test_a_coded_precaution_counts(tmp_path):
    def change(data):
        data["indications"].append(coding(ICD, "M81.0", "Age-related osteoporosis without "
                                           "current pathological fracture"))  # fmt: skip
        exercise(data)["steps"].append("Do 10 sit-ups.")
        exercise(data)["precautions"] = [
            {
                "coding": coding(
                    ICD, "M81.0", "Age-related osteoporosis without current pathological fracture"
                ),  # fmt: skip
                "description": "Bone fragility: keep the curl small.",
                "management": "Limit the range; consider leaving it out.",
            }
        ]

    assert only(lint(tmp_path, change), "SAFE012") == []


def test_a_hip_hinge_with_a_straight_back_is_not_spinal_flexion(tmp_path):
    # Bending forwards from the hips with the back straight is what osteoporosis programmes
    # teach instead of bending the spine.
    def change(data):
        data["indications"].append(
            coding(ICD, "M81.0", "Age-related osteoporosis without current pathological fracture")
        )
        # The hinge alone: the cat and cow's "Round your back up" is spinal flexion.
        exercise(data)["steps"] = ["Bend forwards from your hips, keeping your back straight."]

    assert only(lint(tmp_path, change), "SAFE012") == []


def test_what_the_run_keeps_of_one_file_never_decides_another(tmp_path):
    """Which conditions a file plans for is kept for the run by its indications and screening
    questions (issue 17): files checked by one linter, one after the other, each get their own
    answer, whichever came first."""
    from lint_helpers import TODAY, minimal

    from protocol_kit.app.check import CheckOptions, FileChecker
    from protocol_kit.lint.engine import Linter, LintSettings

    def written(name, question, decides):
        data = minimal()
        data["screening"] = [dict(PREGNANT, question=question, decides=[decides])]
        exercise(data)["contraindications"] = [{"id": "kneeling", "description": "Knee injury."}]
        lying_on_the_back(data)
        path = tmp_path / name
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return str(path)

    pregnant = written("pregnant.json", "Are you pregnant?", "kneeling")
    other = written("other.json", "Do you have a knee injury?", "kneeling")
    for order in ((pregnant, other, pregnant), (other, pregnant, other)):
        checker = FileChecker(CheckOptions(hooks=(Linter(LintSettings(today=TODAY)),)))
        for path in order:
            found = [f for f in checker.check(path).findings if f.code == "SAFE012"]
            assert len(found) == (1 if path == pregnant else 0), (path, found)
