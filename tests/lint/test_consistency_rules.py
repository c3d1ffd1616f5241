"""DOSE005 dosage-text, DOSE006 side-steps, SAFE009 contraindicated-population, SAFE010
contraindication-precaution and GOV007 template-values: each catches its bad case at its line
and column, and leaves the good case clean."""

from __future__ import annotations

import json

import pytest
from lint_helpers import ICD, codes, coding, exercise, lint, lint_file, minimal, only

from conftest import run_protokit


def stretch(**dosage):
    def change(data):
        ex = exercise(data)
        ex["type"] = "stretch"
        ex["dosage"] = {
            "sets": 2, "hold_seconds": 30, "side": "both", "sessions_per_day": 1,
            "days_per_week": 7, "intensity": "A gentle stretch, never pain", **dosage,
        }  # fmt: skip

    return change


def both(*changes):
    def change(data):
        for c in changes:
            c(data)

    return change


def field(name, value):
    return lambda data: exercise(data).update({name: value})


# -- DOSE005 ---------------------------------------------------------------------------------


def test_progression_starting_from_another_hold(tmp_path):
    change = both(stretch(hold_seconds=45), field(
        "progression", "When 30 seconds feels easy, hold for up to 60 seconds."))  # fmt: skip
    findings = lint(tmp_path, change)
    assert codes(findings) == [("DOSE005", "/exercises/0/progression")]
    assert 'progression says "30 seconds", but the dosage holds for 45 seconds' in (
        findings[0].message
    )
    assert findings[0].line is not None


def test_progression_from_the_prescribed_hold_is_fine(tmp_path):
    change = both(stretch(hold_seconds=30), field(
        "progression", "When 30 seconds feels easy, hold for up to 60 seconds."))  # fmt: skip
    assert lint(tmp_path, change) == []


def test_a_step_that_says_another_hold(tmp_path):
    change = both(stretch(), field("steps", ["Lean forwards.", "Hold for 20 seconds."]))
    assert codes(lint(tmp_path, change)) == [("DOSE005", "/exercises/0/steps/1")]
    good = both(stretch(), field("steps", ["Lean forwards.", "Hold for 20 to 30 seconds."]))
    assert lint(tmp_path, good) == []


def test_a_progression_that_is_no_progression_and_a_regression_that_is_no_regression(tmp_path):
    change = both(
        stretch(sets=3),
        field("progression", "Do a third set."),
        field("regression", "Hold for 40 seconds."),
    )
    assert codes(lint(tmp_path, change)) == [
        ("DOSE005", "/exercises/0/progression"),
        ("DOSE005", "/exercises/0/regression"),
    ]


def test_a_library_text_against_a_protocols_override_is_reported_at_the_override(tmp_path):
    from lint_helpers import library_exercise

    def library_body(body):
        data = {"exercises": [body]}
        stretch()(data)
        body["progression"] = "When 30 seconds feels easy, hold for up to 60 seconds."

    library_exercise(tmp_path, library_body)

    def protocol(data):
        data["exercises"] = [{"ref": "cat-cow", "dosage": {"hold_seconds": 45}}]

    findings = lint(tmp_path, protocol)
    assert codes(findings) == [("DOSE005", "/exercises/0/dosage/hold_seconds")]


def step_finding(tmp_path, exercise, step):
    """The one finding of an exercise whose second step is `step`: DOSE005 at that step."""
    findings = lint(tmp_path, both(exercise, field("steps", ["Lean forwards.", step])))
    assert codes(findings) == [("DOSE005", "/exercises/0/steps/1")]
    return findings[0]


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("Hold for twenty seconds.", '"twenty seconds", but the dosage holds for 30 seconds'),
        ("Hold for twenty-five seconds.", '"twenty-five seconds"'),
        ("Do three sets.", '"three sets", but the dosage has 2 sets'),
        ("Do 3 x 30 s.", '"3 x 30 s", but the dosage has 2 sets'),
        ("Rest for 60 seconds between sets.", '"60 seconds", but the dosage rests 15 seconds'),
    ],
)
def test_numbers_in_words_sets_by_and_rest_are_read(tmp_path, step, said):
    assert said in step_finding(tmp_path, stretch(rest_seconds=15), step).message


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("Hold for 1,030 seconds.", '"1,030 seconds", but the dosage holds for 30 seconds'),
        ("Hold for 1e-30 seconds.", '"1e-30 seconds", but the dosage holds for 30 seconds'),
        ("Hold for 1e400 seconds.", '"1e400 seconds", but the dosage holds for 30 seconds'),
    ],
)
def test_a_number_is_read_as_written_not_by_its_last_digits(tmp_path, step, said):
    """H425: "1,030 seconds" was read as 030 (the same as a 30-second hold, so it passed),
    "1e-30 seconds" as 30, and "1e400 seconds" not at all."""
    assert said in step_finding(tmp_path, stretch(), step).message


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("Hold for 1\u00a0030 seconds.", '"1\u00a0030 seconds", but the dosage holds for 30'),
        ("Hold for 1 030 seconds.", '"1 030 seconds", but the dosage holds for 30'),
        ("Hold for 1'030 seconds.", '"1\'030 seconds", but the dosage holds for 30'),
    ],
)
def test_digits_grouped_by_spaces_or_apostrophes_are_one_number(tmp_path, step, said):
    """H470: "1 030 seconds" (digits grouped as many countries write them) was read as 030,
    so it agreed with a 30-second hold and passed."""
    assert said in step_finding(tmp_path, stretch(), step).message


@pytest.mark.parametrize(
    "step",
    [
        "Hold for 1,0030 seconds.",
        "Hold for 1,0000 seconds.",
        "Hold for 1,5 minutes.",
        "Hold for 1.0.30 seconds.",
        "Repeat every 1,5 hours.",
        "When 1,0030 seconds feels easy, hold longer.",
    ],
)
def test_a_number_that_reads_more_than_one_way_is_reported_whole(tmp_path, step):
    """H470: "1,0030 seconds" was read as 0030, agreeing with a 30-second hold; "1,0000" as
    0000 and "1,5 minutes" as 5 minutes. Such a number is reported as written, whatever the
    dosage says."""
    message = step_finding(tmp_path, stretch(), step).message
    number = step.split(" ")[2] if step.startswith(("Hold", "Repeat")) else "1,0030"
    assert f"{number} " in message
    assert "a number that reads more than one way" in message


def test_sets_by_repetitions_and_reps_in_words(tmp_path):
    def strengthening(data):
        ex = exercise(data)
        ex["dosage"].update(sets=2, repetitions=8)
        ex["dosage"].pop("hold_seconds", None)

    for step in ("Do 2 x 10.", "Do ten repetitions.", "Do 2 sets of 10.", "2 sets of twelve."):
        change = both(strengthening, field("steps", ["Lift your foot.", step]))
        found = [f.message for f in lint(tmp_path, change) if f.code == "DOSE005"]
        assert len(found) == 1 and "the dosage has 8 repetitions" in found[0], step
    # H190: "sets of N" is how clinicians write repetitions; the number after it was not read.
    for step in ("Do 2 sets of 8.", "2 sets of 6 to 8.", "2 sets of 8 repetitions."):
        change = both(strengthening, field("steps", ["Lift your foot.", step]))
        assert lint(tmp_path, change) == [], step


@pytest.mark.parametrize(
    "step",
    [
        "Hold for thirty seconds.",
        "Rest for 15 seconds between sets.",
        "Take 15 seconds' rest between sets.",
        "Lower your foot. That is one repetition.",
        "Do 2 x 30 s.",
    ],
)
def test_words_that_agree_with_the_dosage_are_fine(tmp_path, step):
    change = both(stretch(rest_seconds=15), field("steps", ["Lean forwards.", step]))
    assert lint(tmp_path, change) == []


# How often a step says to do the exercise is the dosage's sessions a day or days a week; "3
# times a day" was read as 3 repetitions, and "twice a week" against a daily dosage passed.
@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("Do this twice a week.", '"twice a week", but the dosage is done on 7 days a week'),
        ("Do this 5 days a week.", '"5 days a week", but the dosage is done on 7 days a week'),
        ("Do this three times a day.", '"three times a day", but the dosage is done once a day'),
        ("Do this twice daily.", '"twice daily", but the dosage is done once a day'),
    ],
)
def test_a_step_that_says_another_frequency(tmp_path, step, said):
    assert said in step_finding(tmp_path, stretch(), step).message


@pytest.mark.parametrize(
    "step",
    ["Do this once a day.", "Do this every day.", "Do this daily.", "Repeat 7 days a week."],
)
def test_a_frequency_that_agrees_with_the_dosage_is_fine(tmp_path, step):
    assert lint(tmp_path, both(stretch(), field("steps", ["Lean forwards.", step]))) == []


def test_three_times_a_day_is_not_three_repetitions(tmp_path):
    def change(data):
        stretch(sessions_per_day=3)(data)
        exercise(data)["dosage"].update(repetitions=8)
        exercise(data)["steps"] = ["Lean forwards.", "Do this three times a day."]

    assert lint(tmp_path, change) == []


def test_a_progression_beyond_the_safe_limit(tmp_path):
    # "Hold for up to 5 minutes": more than the dosage, so a progression, but beyond the
    # 180-second limit of a stretch that DOSE001 would refuse in the dosage (hazard H208).
    change = both(stretch(), field("progression", "When it feels easy, hold for up to 5 minutes."))
    findings = lint(tmp_path, change)
    assert codes(findings) == [("DOSE005", "/exercises/0/progression")]
    assert "beyond the safe limit of 180" in findings[0].message


def test_a_progression_within_the_limit_is_fine(tmp_path):
    change = both(stretch(), field("progression", "When it feels easy, hold for up to 60 seconds."))
    assert lint(tmp_path, change) == []


# -- DOSE006 ---------------------------------------------------------------------------------

MARCH = [
    "Lift your right foot a few centimetres.",
    "Do the same with your left foot. One lift of each foot is one repetition.",
]


def one_sided(side, steps):
    def change(data):
        ex = exercise(data)
        ex["laterality"] = "unilateral"
        ex["dosage"]["side"] = side
        ex["steps"] = steps

    return change


def test_each_side_with_alternating_steps(tmp_path):
    findings = lint(tmp_path, one_sided("each", MARCH))
    assert codes(findings) == [("DOSE006", "/exercises/0/dosage/side")]
    assert "take the sides in turn" in findings[0].message


@pytest.mark.parametrize(
    "step",
    ["Keep going, switching legs each time.", "Swap sides each repetition.",
     "Change feet after every lift."],
)  # fmt: skip
def test_each_side_with_sides_switched_every_time(tmp_path, step):
    steps = ["Lift your right foot.", step]
    assert codes(lint(tmp_path, one_sided("each", steps))) == [
        ("DOSE006", "/exercises/0/dosage/side")
    ]


def test_one_side_only_with_steps_that_repeat_on_the_left(tmp_path):
    steps = ["Lift your right foot 8 times.", "Repeat on the left."]
    assert codes(lint(tmp_path, one_sided("right", steps))) == [
        ("DOSE006", "/exercises/0/dosage/side")
    ]


def test_each_side_with_one_side_then_the_other_is_fine(tmp_path):
    steps = ["Lift your right foot.", "Do all the lifts with your right foot, then swap feet "
             "and repeat."]  # fmt: skip
    assert lint(tmp_path, one_sided("each", steps)) == []


def test_both_sides_with_steps_that_repeat_on_the_other_side(tmp_path):
    def change(data):
        exercise(data)["steps"] = [
            "Turn your knees to the left.",
            "After all the repetitions, turn to the other side and repeat.",
        ]

    assert codes(lint(tmp_path, change)) == [("DOSE006", "/exercises/0/dosage/side")]


# -- SAFE009 ---------------------------------------------------------------------------------


def lunge_contraindicated(data):
    exercise(data)["contraindications"] = [
        {"description": "Poor balance: cannot step backwards safely while holding a support."}
    ]


def test_an_exercise_contraindicated_for_the_patients_the_starting_rule_names(tmp_path):
    def change(data):
        lunge_contraindicated(data)
        data["delivery"]["starting_level"] = (
            "A patient with poor balance starts holding the chair with both hands."
        )

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE009", "/exercises/0/contraindications/0")]
    assert "delivery.starting_level plans for patients with it" in findings[0].message


@pytest.mark.parametrize(
    "starting_level",
    [
        "A patient who is unsteady on their feet starts holding a chair with both hands.",
        "Patients with a history of falls start next to a wall.",
        "A patient with balance problems starts holding a chair.",
        "People with impaired balance hold a kitchen counter.",
    ],
)
def test_the_population_named_in_other_words(tmp_path, starting_level):
    def change(data):
        lunge_contraindicated(data)
        data["delivery"]["starting_level"] = starting_level

    assert codes(lint(tmp_path, change)) == [("SAFE009", "/exercises/0/contraindications/0")]


def test_other_words_left_out_are_fine(tmp_path):
    def change(data):
        lunge_contraindicated(data)
        data["delivery"]["starting_level"] = (
            "Start at the dosage shown. A patient who is unsteady leaves out the cat and cow."
        )

    assert lint(tmp_path, change) == []


def test_an_exercise_left_out_for_them_is_fine(tmp_path):
    assert lint(tmp_path, lunge_contraindicated) == []

    def change(data):
        lunge_contraindicated(data)
        data["delivery"]["starting_level"] = (
            "Start at the dosage shown. A patient with poor balance leaves out the cat and cow."
        )

    assert lint(tmp_path, change) == []


def test_a_coded_contraindication_for_a_condition_the_protocol_accepts_with_care(tmp_path):
    # Reported once, by SAFE010 (contraindication here, precaution there), not twice.
    osteoporosis = coding(ICD, "M81.0", "Age-related osteoporosis without current pathological "
                          "fracture")  # fmt: skip

    def change(data):
        exercise(data)["contraindications"] = [
            {"coding": osteoporosis, "description": "Loaded spinal flexion."}
        ]
        data["safety"]["precautions"] = [
            {"coding": osteoporosis, "description": "Bone density.",
             "management": "Avoid loaded flexion."}
        ]  # fmt: skip

    assert codes(lint(tmp_path, change)) == [("SAFE010", "/safety/precautions/0")]


# -- SAFE010 ---------------------------------------------------------------------------------


def test_a_contraindication_of_the_protocol_is_only_a_precaution_of_the_exercise(tmp_path):
    def change(data):
        data["safety"]["contraindications"] = [
            {"description": "Spinal, hip or abdominal surgery in the last 12 weeks, unless the "
             "surgical team has cleared these exercises."}
        ]  # fmt: skip
        exercise(data)["precautions"] = [
            {"description": "Abdominal or hernia surgery in the last 12 weeks.",
             "management": "Check with the surgical team."}
        ]  # fmt: skip

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE010", "/exercises/0/precautions/0")]
    assert '"abdominal surgery in the last 12 weeks" is only a precaution' in findings[0].message


def test_coded_conditions_compared_across_systems(tmp_path):
    def change(data):
        data["safety"]["contraindications"] = [
            {"coding": coding("http://hl7.org/fhir/sid/icd-10", "M54.3", "Sciatica"),
             "description": "Sciatica."}
        ]  # fmt: skip
        exercise(data)["precautions"] = [
            {"coding": coding(ICD, "M54.31", "Sciatica, right side"),
             "description": "Right-sided leg pain.", "management": "Monitor."}
        ]  # fmt: skip

    assert codes(lint(tmp_path, change)) == [("SAFE010", "/exercises/0/precautions/0")]


WHO = "http://hl7.org/fhir/sid/icd-10"
SCT = "http://snomed.info/sct"
AGE_RELATED = "Age-related osteoporosis without current pathological fracture"


@pytest.mark.parametrize(
    "contraindicated",
    [
        coding(WHO, "M81.0", "Postmenopausal osteoporosis"),
        coding(WHO, "M81", "Osteoporosis without pathological fracture"),
        coding(SCT, "64859006", "Osteoporosis"),
    ],
)
def test_osteoporosis_in_another_system_is_the_same_condition(tmp_path, contraindicated):
    # The library's osteoporosis precaution is coded in ICD-10-CM; a UK protocol codes its
    # contraindication in WHO ICD-10 or SNOMED CT.
    def change(data):
        data["safety"]["contraindications"] = [
            {"coding": contraindicated, "description": "Severe bone thinning."}
        ]
        exercise(data)["precautions"] = [
            {"coding": coding(ICD, "M81.0", AGE_RELATED), "description": "Bone thinning.",
             "management": "Keep the bend small."}
        ]  # fmt: skip

    assert codes(only(lint(tmp_path, change), "SAFE010")) == [
        ("SAFE010", "/exercises/0/precautions/0")
    ]


def test_codes_with_no_known_mapping_are_compared_by_name(tmp_path):
    def change(data):
        data["safety"]["contraindications"] = [
            {"coding": coding(SCT, "38341003", "Hypertensive disorder"),
             "description": "High blood pressure: not controlled by medication."}
        ]  # fmt: skip
        exercise(data)["precautions"] = [
            {"coding": coding(ICD, "I10", "Essential (primary) hypertension"),
             "description": "High blood pressure: breathe out as you lift.",
             "management": "Check the blood pressure is controlled."}
        ]  # fmt: skip

    assert codes(only(lint(tmp_path, change), "SAFE010")) == [
        ("SAFE010", "/exercises/0/precautions/0")
    ]


def test_different_conditions_are_fine(tmp_path):
    def change(data):
        data["safety"]["contraindications"] = [{"description": "Hip surgery in the last year."}]
        exercise(data)["precautions"] = [
            {"description": "Knee pain when kneeling.", "management": "Use a cushion."}
        ]

    assert lint(tmp_path, change) == []


# -- GOV007 ----------------------------------------------------------------------------------


def test_a_new_exercise_with_only_its_todos_filled_in(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    path = folder / "wall-squat.json"
    assert run_protokit("new", "exercise", "wall-squat", "-o", str(path)).code == 0
    text = path.read_text(encoding="utf-8").replace("TODO: ", "Filled in: ")
    data = json.loads(text)
    data["targets"]["muscles"] = ["quadriceps"]
    data["equipment"] = ["A wall"]
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    findings = [f for f in lint_file(path) if f.code.startswith("GOV")]
    assert [(f.code, f.pointer) for f in findings] == [("GOV007", "/dosage")]
    assert "still has every value the template set" in findings[0].message
    data.update(type="strengthening", laterality="bilateral")
    data["dosage"].update(side="both", sets=2, repetitions=10)
    data["dosage"].pop("hold_seconds")
    data["targets"]["regions"] = ["knee", "hip"]
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert [f for f in lint_file(path) if f.code == "GOV007"] == []


def test_the_template_indication_left_in_a_protocol(tmp_path):
    findings = lint(tmp_path, lambda d: d.update(indications=[coding(ICD, "R69", "Illness")]))
    assert ("GOV007", "/indications/0/code") in codes(findings)


def test_minimal_is_untouched():
    assert minimal()["exercises"][0]["id"] == "cat-cow"
