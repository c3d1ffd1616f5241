"""SAFE011 (screening links), DOSE007 (stage plan) and CODE007 (unknown measure): a bad case
caught at its place, a good case clean."""

from lint_helpers import codes, lint, only

CONDITION = {
    "id": "pregnancy",
    "description": "Pregnancy beyond 16 weeks.",
    "management": "Prop the upper body.",
    "patient_advice": "Ask your midwife first.",
}


def screened(decides):
    def change(data):
        data["safety"]["precautions"] = [dict(CONDITION)]
        data["screening"] = [{"id": "pregnant", "question": "Are you pregnant?",
                              "decides": decides}]  # fmt: skip

    return change


def test_a_question_that_decides_nothing_is_an_error(tmp_path):
    found = only(lint(tmp_path, screened(["pregnancy-lying-flat"])), "SAFE011")
    assert codes(found) == [("SAFE011", "/screening/0/decides/0")]
    assert "(ids: pregnancy)" in found[0].message


def test_a_question_tied_to_its_condition_is_clean(tmp_path):
    assert only(lint(tmp_path, screened(["pregnancy"])), "SAFE011") == []


def test_a_screened_precaution_without_advice_prints_nothing_for_a_yes(tmp_path):
    def change(data):
        screened(["pregnancy"])(data)
        del data["safety"]["precautions"][0]["patient_advice"]

    assert codes(only(lint(tmp_path, change), "SAFE011")) == [("SAFE011", "/screening/0/decides/0")]


def staged(*weeks, dosage=None, later=None):
    """Stages over `weeks`; the first with `dosage`, every later one with `later`."""

    def change(data):
        data["stages"] = [{"weeks": {"from": a, "to": b}} for a, b in weeks]
        if dosage is not None:
            data["stages"][0]["dosage"] = dosage
        for stage in data["stages"][1:]:
            if later is not None:
                stage["dosage"] = later

    return change


def test_stages_that_cover_the_programme_are_clean(tmp_path):
    # Stage 2 names the exercise with the dosage it keeps: stage 1's 3 sets, as written.
    three = {"cat-cow": {"sets": 3}}
    assert only(lint(tmp_path, staged((1, 2), (3, 6), dosage=three, later=three)),
                "DOSE007") == []  # fmt: skip


def test_a_stage_that_changes_a_dosage_without_naming_it(tmp_path):
    # Stage 1 raises the cat-cow to 3 sets; stage 2 does not name it, so the sheet printed
    # the protocol's 2 sets for weeks 3 to 6: a drop nobody wrote (H247). A prescription's
    # stages were refused for this (RX013); the protocol's own passed.
    found = only(lint(tmp_path, staged((1, 2), (3, 6), dosage={"cat-cow": {"sets": 3}})),
                 "DOSE007")  # fmt: skip
    assert codes(found) == [("DOSE007", "/stages/1")]
    assert found[0].message == (
        "stage 2 (weeks 3 to 6) does not name 'cat-cow': its dosage would change from stage 1's "
        "(sets 3) to the protocol's (sets 2); name it in stage 2 with the dosage meant"
    )


def test_overlap_gap_and_beyond_the_programme(tmp_path):
    assert codes(only(lint(tmp_path, staged((1, 3), (3, 6))), "DOSE007")) == [
        ("DOSE007", "/stages/1/weeks/from")
    ]
    assert codes(only(lint(tmp_path, staged((1, 2), (4, 6))), "DOSE007")) == [
        ("DOSE007", "/stages/1/weeks/from")
    ]
    found = only(lint(tmp_path, staged((1, 2), (3, 8))), "DOSE007")
    assert codes(found) == [("DOSE007", "/stages/1/weeks/to")]
    assert "beyond the programme's 6 weeks" in found[0].message
    assert codes(only(lint(tmp_path, staged((1, 2), (3, 4))), "DOSE007")) == [
        ("DOSE007", "/stages/1/weeks/to")
    ]


def test_a_stage_dose_beyond_the_limits_or_for_no_exercise(tmp_path):
    found = only(lint(tmp_path, staged((1, 6), dosage={"cat-cow": {"sets": 40}})), "DOSE007")
    assert codes(found) == [("DOSE007", "/stages/0/dosage/cat-cow/sets")]
    found = only(lint(tmp_path, staged((1, 6), dosage={"cat-cwo": {"sets": 2}})), "DOSE007")
    assert codes(found) == [("DOSE007", "/stages/0/dosage/cat-cwo")]


def test_weeks_of_an_exercise_under_stages_is_an_error(tmp_path):
    # The sheet printed "Weeks 5–6 · ... · for 5 weeks": two durations for one grid (H1305).
    found = only(lint(tmp_path, staged((1, 2), (3, 6), dosage={"cat-cow": {"weeks": 5}},
                                       later={"cat-cow": {"sets": 2}})), "DOSE007")  # fmt: skip
    assert codes(found) == [("DOSE007", "/stages/0/dosage/cat-cow/weeks")]
    assert "two durations" in found[0].message

    def own_weeks(data):
        staged((1, 6))(data)
        data["exercises"][0]["dosage"]["weeks"] = 4

    found = only(lint(tmp_path, own_weeks), "DOSE007")
    assert codes(found) == [("DOSE007", "/exercises/0/dosage/weeks")]
    assert "'for 4 weeks'" in found[0].message


def test_unknown_measure(tmp_path):
    def change(data):
        data["measures"] = ["nprs", "oswestry"]

    found = only(lint(tmp_path, change), "CODE007")
    assert codes(found) == [("CODE007", "/measures/1")]
    assert only(lint(tmp_path, lambda d: d.update(measures=["odi"])), "CODE007") == []
