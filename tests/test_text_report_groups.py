"""A therapist's report of a new protocol says each problem once (H1018): the starting texts
(GOV009) once above the texts, each at its line; a problem at several places of one library
exercise once at the exercise's reference, each place in the library file below. The machine
formats keep one entry per finding. And a placeholder anywhere in a library exercise, its
muscles as much as its steps, is found at the protocol that uses it (H1019)."""

from __future__ import annotations

import json
import shutil

from test_starter import CLINIC

from conftest import REPO, run_protokit
from protocol_kit.findings import Finding, LibraryPlace


def new_protocol_of_a_new_exercise(tmp_path):
    assert run_protokit("init", "clinic", cwd=tmp_path).code == 0
    folder = tmp_path / "clinic"
    shutil.copy(CLINIC, folder / "protokit.toml")
    assert run_protokit("new", "exercise", "wall-squat", cwd=folder).code == 0
    assert run_protokit("new", "protocol", "knee", "-e", "wall-squat", cwd=folder).code == 0
    return folder


def test_a_new_protocol_s_report_says_each_problem_once_and_every_place(tmp_path):
    folder = new_protocol_of_a_new_exercise(tmp_path)
    result = run_protokit("validate", "knee.json", cwd=folder)
    assert result.code == 1
    lines = result.stdout.splitlines()
    # The starting texts: what to do once, then each text at its line and column.
    starting = [line for line in lines if " GOV009 " in line]
    assert starting == [
        "knee.json: warning GOV009 11 texts are still the starting texts protokit new wrote, "
        "not yet reviewed: read each, and change it to fit this programme or keep it (a "
        "sign_off records the review):"
    ]
    below = lines[lines.index(starting[0]) + 1 :][:11]
    assert below[0] == (
        '  knee.json:35:17: "Chest pain, pressure or tightness, or sudden severe bre..." '
        "[/safety/red_flags/0/text]"
    )
    assert all(line.startswith("  knee.json:") for line in below)
    assert below[-1].endswith("[/delivery/adherence/description]")
    # The library exercise's placeholders: once at its reference, each place below.
    header = next(line for line in lines if " places of library exercise " in line)
    assert header.endswith(
        "error TEXT003 placeholder left in 11 places of library exercise 'wall-squat' "
        "(library/wall-squat.json): write the real text [/exercises/0]"
    )
    places = lines[lines.index(header) + 1 :][:11]
    # Each at its line and column in the library file, in the file's order (an editor or a
    # terminal opens FILE:LINE:COLUMN), read from the finding's place, not its message.
    assert places[0] == (
        "  library/wall-squat.json:6:11: \"TODO: the exercise's name as the patient will read "
        'it" [/name]'
    )
    assert (
        places[2] == '  library/wall-squat.json:12:7: "TODO: muscle" [/targets/muscles/0]'
    )  # H1019
    assert (
        places[-1] == '  library/wall-squat.json:39:17: "TODO: how to make it easier" [/regression]'
    )

    assert not any("(at /" in line for line in lines)
    assert "(19 errors, 11 warnings)" in result.stderr

    # The machine formats: one entry per finding, at its place, its message whole.
    report = json.loads(run_protokit("validate", "-f", "json", "knee.json", cwd=folder).stdout)
    found = report["files"][0]["findings"]
    assert sum(f["code"] == "GOV009" for f in found) == 11
    in_library = [f for f in found if f["code"] == "TEXT003" and f["pointer"] == "/exercises/0"]
    assert len(in_library) == 11
    assert in_library[-1]["message"] == (
        "placeholder left (at /targets/muscles/0, library exercise 'wall-squat', "
        'library/wall-squat.json): "TODO: muscle": write the real text'
    )
    # and the place in the library file, for tools (H1049).
    assert in_library[-1]["library"] == {
        "path": "library/wall-squat.json",
        "exercise": "wall-squat",
        "pointer": "/targets/muscles/0",
        "line": 12,
        "column": 7,
    }
    sarif = json.loads(run_protokit("validate", "-f", "sarif", "knee.json", cwd=folder).stdout)
    results = [r for r in sarif["runs"][0]["results"] if r.get("relatedLocations")]
    # The 11 placeholders, and the template's dosage left in the library file (GOV007).
    assert [r["ruleId"] for r in results] == ["GOV007"] + ["TEXT003"] * 11
    related = results[-1]["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "library/wall-squat.json"
    assert related["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 7}
    assert related["logicalLocations"][0]["fullyQualifiedName"] == "/targets/muscles/0"
    github = run_protokit("validate", "-f", "github", "knee.json", cwd=folder).stdout
    # One annotation for the 11 places, each in the library file after the words: GitHub
    # shows 10 error annotations of a step, and the 11 hid every other error (H1112).
    (grouped,) = [a for a in github.splitlines() if "title=TEXT003::placeholder left in" in a]
    assert (
        "::placeholder left in 11 places of library exercise 'wall-squat' "
        "(library/wall-squat.json): write the real text [/exercises/0] (library/wall-squat.json:"
    ) in grouped
    assert grouped.count("library/wall-squat.json:") == 11
    assert "library/wall-squat.json:12:7" in grouped
    assert not any("(at /" in a for a in github.splitlines())
    # A problem at one place of the library file keeps its own annotation, with the place.
    (template,) = [a for a in github.splitlines() if "title=GOV007" in a]
    assert template.endswith("[/exercises/0] (library/wall-squat.json:30:13)")

    # Checked with its library file, the protocol waits for that file, which lists all 12.
    both = run_protokit("validate", "knee.json", "library/wall-squat.json", cwd=folder)
    assert "is not finished: fix the 12 findings listed at that file" in both.stdout
    assert sum(" TEXT003 " in line for line in both.stdout.splitlines()) == 7 + 11


def test_a_problem_at_one_place_of_a_library_exercise_keeps_its_own_line():
    from protocol_kit.report.text import file_lines

    def found(pointer, line=None, message=None):
        place = LibraryPlace("lib) (at /x: y.json", "bridge", pointer, '"TBC"', line, 3)
        said = message or f'placeholder left{place.said}: "TBC": write the real text'
        return Finding("p.json", "TEXT003", said, pointer="/exercises/0", line=9, column=5,
                       in_library=place)  # fmt: skip

    findings = [found("/steps/1", 12), found("/steps/0", 11)]
    # A file name like the words around it: grouped by the finding's place, nothing lost, in
    # the library file's order.
    assert list(file_lines(findings)) == [
        "p.json:9:5: error TEXT003 placeholder left in 2 places of library exercise 'bridge' "
        "(lib) (at /x: y.json): write the real text [/exercises/0]",
        '  lib) (at /x: y.json:11:3: "TBC" [/steps/0]',
        '  lib) (at /x: y.json:12:3: "TBC" [/steps/1]',
    ]
    # One place alone, or a message that does not say the place: the finding's own line.
    alone = findings[0].message
    assert list(file_lines(findings[:1])) == [f"p.json:9:5: error TEXT003 {alone} [/exercises/0]"]
    other = [found("/steps/0", message="something else"), found("/steps/1", message="more")]
    assert len(list(file_lines(other))) == 2


def test_a_placeholder_in_a_library_exercise_s_muscles_is_found_at_the_protocol(tmp_path):
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    shutil.copy(REPO / "protokit.toml", tmp_path / "protokit.toml")
    exercise = tmp_path / "protocols" / "library" / "glute-bridge.json"
    data = json.loads(exercise.read_text(encoding="utf-8"))
    data["targets"]["muscles"][0] = "TODO: muscle"
    exercise.write_text(json.dumps(data, indent=2), encoding="utf-8")
    protocol = "protocols/psoas-stretch-glute-bridge.json"
    checked = run_protokit("validate", protocol, cwd=tmp_path)
    assert checked.code == 1  # it passed: the muscles were not looked at
    assert (
        "error TEXT003 placeholder left (at /targets/muscles/0, library exercise 'glute-bridge', "
        'protocols/library/glute-bridge.json): "TODO: muscle": write the real text [/exercises/1]'
    ) in checked.stdout
    # `bundle create` said "internal error: the self-contained form of this protocol is not
    # equivalent ... please report this".
    bundled = run_protokit("bundle", "create", protocol, "-o", "b.pkb", cwd=tmp_path)
    assert bundled.code == 1 and "internal error" not in bundled.stderr
    assert "TODO: muscle" in bundled.stdout and not (tmp_path / "b.pkb").exists()

    # So are the other strings a bundle carries with the exercise, for every such rule.
    data["targets"]["muscles"][0] = "gluteus\u200b maximus"  # a zero-width space
    data["references"] = [{"citation": "TBC"}]
    exercise.write_text(json.dumps(data, indent=2), encoding="utf-8")
    checked = run_protokit("validate", protocol, cwd=tmp_path)
    assert "error TEXT004 character U+200B (ZERO WIDTH SPACE) (at /targets/muscles/0," in (
        checked.stdout
    )
    assert "error TEXT003 placeholder left (at /references/0/citation," in checked.stdout


def test_the_starting_texts_are_listed_from_the_value_each_finding_carries():
    # The listing cut each text out of GOV009's message with a pattern of its words: a
    # message worded otherwise (a value followed by more than ": ...") listed the whole
    # message. The value quoted is the finding's own data (`Finding.quoted_value`).
    from protocol_kit.findings import Severity
    from protocol_kit.report.text import file_lines

    def starting(pointer, value, line):
        said = f"starting text, not yet reviewed, {value} (read it)"
        return Finding("p.json", "GOV009", said, Severity.WARNING, pointer, line, 7,
                       quoted_value=value)  # fmt: skip

    findings = [starting("/safety/stop_criteria/0", '"Stop: \\"sharp\\" pain"', 4),
                starting("/safety/stop_criteria/1", '"Feeling dizzy"', 5)]  # fmt: skip
    lines = list(file_lines(findings))
    assert lines[1:] == [
        '  p.json:4:7: "Stop: \\"sharp\\" pain" [/safety/stop_criteria/0]',
        '  p.json:5:7: "Feeling dizzy" [/safety/stop_criteria/1]',
    ]


def test_gov009_carries_the_value_its_message_quotes(tmp_path):
    from protocol_kit.app.check import CheckOptions, FileChecker
    from protocol_kit.lint.engine import Linter, LintSettings

    folder = new_protocol_of_a_new_exercise(tmp_path)
    checker = FileChecker(CheckOptions(hooks=(Linter(LintSettings()),)))
    found = [f for f in checker.check(str(folder / "knee.json")).findings if f.code == "GOV009"]
    assert len(found) == 11
    for finding in found:
        assert finding.quoted_value.startswith('"')
        assert f": {finding.quoted_value}: read it" in finding.message


def test_a_new_protocol_s_starting_texts_are_one_github_annotation(tmp_path):
    # GitHub shows 10 warning annotations of a step: a new protocol's 11 starting texts, one
    # annotation each, hid every other warning of the run from the pull request.
    folder = new_protocol_of_a_new_exercise(tmp_path)
    result = run_protokit("validate", "-f", "github", "knee.json", cwd=folder)
    starting = [line for line in result.stdout.splitlines() if "title=GOV009" in line]
    assert len(starting) == 1
    (said,) = starting
    assert said.startswith("::warning file=knee.json,line=")
    assert (
        "::11 texts are still the starting texts protokit new wrote, not yet reviewed (lines "
        in said
    )
    assert "): protokit validate knee.json lists each; change them to fit this programme" in said
    lines = said.split("(lines ")[1].split(")")[0].split(", ")
    report = json.loads(run_protokit("validate", "-f", "json", "knee.json", cwd=folder).stdout)
    found = [f for f in report["files"][0]["findings"] if f["code"] == "GOV009"]
    assert lines == [str(f["line"]) for f in found]  # json keeps one entry each
    assert f"line={found[0]['line']},col={found[0]['column']}," in said
