"""SARIF: complete rule descriptions, code-point columns, paths from the project's root,
fingerprints, and a log written even when a path fails. Checked against the SARIF 2.1.0 schema
here; tests/report/test_validators.py adds Microsoft's SARIF multitool with GitHub's rules."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import REPO, run_protokit
from protocol_kit.findings import FileReport, Finding, RunReport, Severity
from protocol_kit.lint.registry import rule_summaries
from protocol_kit.report import REPORTERS, ReportContext

BAD_PROTOCOL = (
    REPO / "tests" / "cases" / "validate" / "invalid" / "wrong-enum-side" / "protocol.json"
)


def sarif(report, context=None, cwd=None, monkeypatch=None):
    if cwd is not None:
        monkeypatch.chdir(cwd)
    return json.loads(REPORTERS["sarif"](report, context or ReportContext()))


def sample(path="protocols/a.json"):
    findings = [
        Finding(
            path,
            "SCHEMA002",
            "missing required field 'stop_criteria'",
            pointer="/safety",
            line=12,
            column=5,
        ),
        Finding(path, "GOV004", "the content changed", Severity.WARNING, "/version", 3, 14),
    ]
    return RunReport([FileReport(path, "protocol", findings)])


def test_every_rule_is_described_in_full(tmp_path, monkeypatch):
    run = sarif(sample(), ReportContext(rule_summaries=rule_summaries()), tmp_path, monkeypatch)[
        "runs"
    ][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert {"SCHEMA002", "IO001", "JSON001", "GOV004", "SAFE001", "SUP001"} <= set(rules)
    for code, rule in rules.items():
        short = rule["shortDescription"]["text"]
        assert short and short != code and code not in short, code
        assert rule["fullDescription"]["text"] not in ("", short), code
        assert rule["help"]["text"] and rule["help"]["markdown"].startswith(f"# {code} "), code
        assert rule["helpUri"].startswith("https://"), code
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    gov = rules["GOV004"]
    # The help is the rule's documentation page, generated from its docstring.
    page = (REPO / "docs" / "rules" / "GOV004.md").read_text(encoding="utf-8")
    assert gov["help"]["markdown"] == page
    assert gov["helpUri"].endswith("/GOV004.md")
    assert gov["fullDescription"]["text"].startswith("The content of a protocol")
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    assert all(rules_list_id(run, r) == r["ruleId"] for r in results)


def rules_list_id(run, result):
    return run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"]


def test_paths_under_the_folder_are_relative_with_a_base_id(tmp_path, monkeypatch):
    inside = str(tmp_path / "sub dir" / "a.json")
    report = RunReport(
        [
            FileReport(inside, "protocol", [Finding(inside, "SCHEMA002", "x", line=1, column=1)]),
            FileReport(
                "/elsewhere/b.json", "protocol", [Finding("/elsewhere/b.json", "SCHEMA002", "y")]
            ),
        ]
    )
    run = sarif(report, cwd=tmp_path, monkeypatch=monkeypatch)["runs"][0]
    first, second = (
        r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]
    )
    assert first == {"uri": "sub%20dir/a.json", "uriBaseId": "SRCROOT"}
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.as_uri() + "/"
    assert second == {"uri": "file:///elsewhere/b.json"}


def test_paths_are_from_the_repository_root_in_a_subfolder(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "clinic").mkdir()
    run = sarif(sample("a.json"), cwd=tmp_path / "clinic", monkeypatch=monkeypatch)["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "clinic/a.json", "uriBaseId": "SRCROOT"}
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.as_uri() + "/"


def test_fingerprints_survive_moved_lines_and_tell_findings_apart(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def prints(line):
        findings = [
            Finding("a.json", "SCHEMA002", "one", pointer="/a", line=line, column=1),
            Finding("a.json", "SCHEMA002", "two", pointer="/a", line=line, column=1),
        ]
        run = sarif(RunReport([FileReport("a.json", "protocol", findings)]))["runs"][0]
        return [r["partialFingerprints"] for r in run["results"]]

    assert prints(3) == prints(40)
    first, second = prints(3)
    assert first != second


def test_a_missing_path_is_a_notification_and_the_log_is_still_written(tmp_path):
    output = tmp_path / "protokit.sarif"
    result = run_protokit(
        "validate", "--format", "sarif", "-o", str(output), "protocols", "no-such-folder"
    )
    assert result.code == 2
    assert "protokit: error: no-such-folder: no such file or folder" in result.stderr
    run = json.loads(output.read_text(encoding="utf-8"))["runs"][0]
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["message"]["text"] == "no-such-folder: no such file or folder"
    assert run["results"] == []  # the other files were checked: the examples are valid


def test_columns_are_code_points(tmp_path):
    # Two characters outside the Basic Multilingual Plane before the mistake: two code points
    # (four UTF-16 units, eight UTF-8 bytes).
    document = BAD_PROTOCOL.read_text(encoding="utf-8")
    line_of_side = next(n for n, line in enumerate(document.splitlines()) if '"side"' in line)
    lines = document.splitlines()
    before = lines[line_of_side]
    indent = len(before) - len(before.lstrip())
    lines[line_of_side] = " " * indent + '"side": "\U0001f9d8\U0001f9d8 both sides",'
    changed = tmp_path / "protocol.json"
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_protokit("validate", "--format", "sarif", "--no-lint", str(changed))
    run = json.loads(result.stdout)["runs"][0]
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == line_of_side + 1
    assert region["startColumn"] == indent + len('"side": ') + 1


@pytest.mark.parametrize("name", ["tab\there.json", 'quote"and<angle>.json', "ümlaut.json"])
def test_odd_file_names_give_valid_uris(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    run = sarif(sample(name))["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert all(33 <= ord(c) < 127 for c in uri) and "/" not in uri


def test_a_link_written_in_a_file_is_shown_as_written_never_as_a_link(tmp_path):
    # H869: SARIF reads `[text](target)` in a plain-text message as an embedded link, and a
    # code-scanning alert showed a key quoted by SCHEMA002 as a link to wherever it said.
    document = json.loads(BAD_PROTOCOL.read_text(encoding="utf-8"))
    document["[Open the fix](https://example.invalid/x)"] = 1
    changed = tmp_path / "[see](https:x).json"
    changed.write_text(json.dumps(document, indent=2), encoding="utf-8")
    missing = tmp_path / "[gone](https:y).json"
    result = run_protokit(
        "validate", "--format", "sarif", "--no-lint", str(changed), str(missing), cwd=tmp_path
    )
    run = json.loads(result.stdout)["runs"][0]
    texts = [r["message"]["text"] for r in run["results"]]
    texts += [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    quoting = [text for text in texts if "Open the fix" in text or "gone" in text]
    assert len(quoting) == 2, texts
    for text in texts:
        assert "](" not in text.replace("\\]", ""), text  # no bracket left to open a link
    assert "\\[Open the fix\\](https://example.invalid/x)" in quoting[0]
