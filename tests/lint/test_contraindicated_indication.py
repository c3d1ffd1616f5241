from lint_helpers import ICD, codes, coding, exercise, library_exercise, lint, only


def contraindicate(code, display):
    def change(data):
        exercise(data)["contraindications"] = [
            {"coding": coding(ICD, code, display), "description": "Not for back pain."}
        ]

    return change


def test_exercise_contraindicated_for_the_indication(tmp_path):
    findings = lint(tmp_path, contraindicate("M54.50", "Low back pain, unspecified"))
    assert codes(only(findings, "SAFE001")) == [
        ("SAFE001", "/exercises/0/contraindications/0/coding")
    ]
    (finding,) = only(findings, "SAFE001")
    assert finding.severity.value == "error"
    assert "exercise 'cat-cow' is contraindicated for M54.50" in finding.message


def test_a_category_contraindication_covers_its_codes(tmp_path):
    findings = lint(tmp_path, contraindicate("M54", "Dorsalgia"))
    assert [f.code for f in only(findings, "SAFE001")] == ["SAFE001"]


def test_programme_contraindicated_for_its_own_indication(tmp_path):
    def change(data):
        data["safety"]["contraindications"] = [
            {"coding": coding(ICD, "M54.50", "Low back pain, unspecified"), "description": "x"}
        ]

    findings = lint(tmp_path, change)
    assert codes(only(findings, "SAFE001")) == [("SAFE001", "/safety/contraindications/0/coding")]


def test_unrelated_contraindication_is_fine(tmp_path):
    findings = lint(tmp_path, contraindicate("G83.4", "Cauda equina syndrome"))
    assert only(findings, "SAFE001") == []


def test_library_exercise_contraindication_is_reported_at_the_reference(tmp_path):
    def change(body):
        body["contraindications"] = [
            {"coding": coding(ICD, "M54.5", "Low back pain"), "description": "Not for it."}
        ]

    library_exercise(tmp_path, change)
    findings = only(lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}])), "SAFE001")
    assert codes(findings) == [("SAFE001", "/exercises/0")]
    assert "exercise 'cat-cow' (library exercise 'cat-cow', " in findings[0].message
    assert "library/cat-cow.json) is contraindicated for M54.5" in findings[0].message
