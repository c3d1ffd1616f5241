from lint_helpers import codes, lint


def test_todo_left_in_a_clinician_note(tmp_path):
    def change(data):
        data["delivery"]["tailoring"] = "TODO: what is adjusted"

    findings = lint(tmp_path, change)
    assert codes(findings) == [("TEXT003", "/delivery/tailoring")]
    assert (findings[0].line, findings[0].column) == (154, 18)


def test_the_word_todo_inside_another_word_is_fine(tmp_path):
    assert lint(tmp_path, lambda d: d.update(summary="Gentle moves; TODOS are not here.")) == []


def test_new_protocol_template_is_full_of_placeholders(tmp_path):
    import json

    from lint_helpers import lint_file

    from protocol_kit.templates import new_protocol

    path = tmp_path / "new.json"
    path.write_text(json.dumps(new_protocol("knee-rehab"), indent=2))
    found = {f.pointer for f in lint_file(path) if f.code == "TEXT003"}
    assert {"/title", "/safety/stop_criteria/0", "/exercises/0/steps/0"} <= found
