from lint_helpers import codes, exercise, lint


def unilateral(side):
    def change(data):
        exercise(data)["laterality"] = "unilateral"
        exercise(data)["dosage"]["side"] = side

    return change


def test_unilateral_exercise_dosed_both(tmp_path):
    findings = lint(tmp_path, unilateral("both"))
    assert codes(findings) == [("DOSE003", "/exercises/0/dosage/side")]
    assert "write 'each'" in findings[0].message


def test_each_side_is_fine(tmp_path):
    assert lint(tmp_path, unilateral("each")) == []
    assert lint(tmp_path, unilateral("left")) == []
