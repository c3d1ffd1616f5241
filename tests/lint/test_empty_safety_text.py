import json

from lint_helpers import codes, lint, lint_file

from conftest import CASES


def test_stop_criterion_that_says_nothing(tmp_path):
    def change(data):
        data["safety"]["stop_criteria"] = ["n/a"]

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE003", "/safety/stop_criteria/0")]
    assert (findings[0].line, findings[0].column) == (129, 7)


def test_red_flag_of_punctuation_only(tmp_path):
    def change(data):
        data["safety"]["red_flags"][0]["text"] = "-"

    assert codes(lint(tmp_path, change)) == [("SAFE003", "/safety/red_flags/0/text")]


def test_translated_text_points_at_the_language(tmp_path):
    data = json.loads((CASES / "validate/valid/translated-protocol/protocol.json").read_text())
    data["safety"]["stop_criteria"][0]["fr"] = "Rien"
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(data, indent=2))
    findings = lint_file(path)
    assert codes(findings) == [("SAFE003", "/safety/stop_criteria/0/fr")]
    assert "stop criterion (fr)" in findings[0].message
