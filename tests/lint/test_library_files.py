"""A library exercise file is checked by the rules about each exercise when it is named on its
own, as a pre-commit hook names only the files that changed."""

import json

from lint_helpers import codes, library_exercise, lint_file

from protocol_kit.templates import new_exercise


def test_an_unsafe_dosage_in_a_changed_library_file_fails(tmp_path):
    library_exercise(tmp_path, lambda body: body["dosage"].update(sets=50))
    findings = lint_file(tmp_path / "library" / "cat-cow.json")
    assert codes(findings) == [("DOSE001", "/dosage/sets")]
    assert (findings[0].path, findings[0].severity.value) == (
        str(tmp_path / "library" / "cat-cow.json"),
        "error",
    )


def test_a_new_exercise_from_the_template_reports_its_placeholders(tmp_path):
    path = tmp_path / "wall-squat.json"
    path.write_text(json.dumps(new_exercise("wall-squat"), indent=2))
    found = {f.pointer for f in lint_file(path) if f.code == "TEXT003"}
    assert {"/name", "/steps/0"} <= found


def test_a_library_file_can_suppress_a_rule_with_a_reason(tmp_path):
    def change(body):
        body["dosage"].update(sets=50)
        body["suppress"] = [
            {"rule": "DOSE001", "at": "/dosage/sets", "reason": "Tested: pulses of a few seconds."}
        ]

    library_exercise(tmp_path, change)
    assert lint_file(tmp_path / "library" / "cat-cow.json") == []


def test_protocol_level_rules_do_not_run_on_a_library_file(tmp_path):
    # A library file has no indications, review dates or pain guide: SAFE, GOV001/005 and
    # SAFE004 have nothing to say about it.
    library_exercise(tmp_path)
    assert lint_file(tmp_path / "library" / "cat-cow.json") == []
