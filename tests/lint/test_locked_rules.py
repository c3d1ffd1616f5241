"""The rules that keep a patient safe cannot be switched off: not by `[lint] ignore` (in
protokit.toml or pyproject.toml), `--ignore`, `select`/`--select`, a `severity` that makes
their errors warnings, nor a protocol's own `suppress` (H245). Style rules stay ignorable."""

from __future__ import annotations

import json

import pytest
from lint_helpers import TODAY, codes, lint, minimal

from conftest import run_protokit
from protocol_kit.lint.engine import LintSettings
from protocol_kit.lint.registry import RULES

REASON = "The clinic's own pathway handles this sign."
LOCKED = {rule.code for rule in RULES if not rule.ignorable}


def without_chest_pain(data):
    """SAFE005: the chest pain red flag (an emergency: call 999) is gone from the sheet."""
    flags = data["safety"]["red_flags"]
    data["safety"]["red_flags"] = [f for f in flags if "chest-pain" not in f["covers"]]


@pytest.fixture
def project(tmp_path):
    data = minimal()
    without_chest_pain(data)
    (tmp_path / "protocol.json").write_text(json.dumps(data, indent=2))
    return tmp_path


def test_the_rules_that_keep_a_patient_safe_are_marked_in_their_data():
    safety = {f"SAFE{n:03}" for n in range(1, 17)} | {"DOSE001", "DOSE007"}
    # SAFE018 (H1725): a translation that sends an emergency lower or later.
    safety |= {"SAFE018"}
    # TEXT004 (H705): the safety rules read a text only as far as it lets the text through.
    assert safety | {"TEXT004"} == LOCKED
    style = ("TEXT", "CODE", "GOV")
    assert all(
        rule.ignorable for rule in RULES if rule.code.startswith(style) and rule.code != "TEXT004"
    )


@pytest.mark.parametrize(
    ("toml", "place", "entry"),
    [
        ('[lint]\nignore = ["SAFE"]\n', "protokit.toml:2:11:", "'SAFE'"),
        (
            '[lint]\nignore = [\n  "TEXT001",  # not "SAFE"\n  "SAFE005",\n]\n',
            "protokit.toml:4:3:",
            "'SAFE005'",
        ),  # fmt: skip
        ("[lint]\nignore = ['ALL']\n", "protokit.toml:2:11:", "'ALL'"),
        ('[lint]\nignore = ["TEXT004"]\n', "protokit.toml:2:11:", "'TEXT004'"),
        ('[lint]\nignore = ["TEXT"]\n', "protokit.toml:2:11:", "'TEXT'"),
        ('[lint.severity]\nTEXT004 = "warning"\n', "protokit.toml:2:1:", "TEXT004"),
        ('lint = {ignore = ["DOSE"]}\n', "protokit.toml:1:19:", "'DOSE'"),
        (
            '[lint.severity]\nDOSE002 = "error"\nSAFE006 = "warning"\n',
            "protokit.toml:3:1:",
            "SAFE006",
        ),  # fmt: skip
    ],
)
def test_a_configuration_that_silences_a_safety_rule_is_refused(project, toml, place, entry):
    (project / "protokit.toml").write_text(toml)
    result = run_protokit("validate", "protocol.json", cwd=project)
    assert result.code == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("protokit: error: ") and "Traceback" not in result.stderr
    assert f"{place} [lint] " in line and entry in line and "keep" in line


def test_the_same_in_pyproject_and_for_render(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "clinic"\n\n[tool.protokit.lint]\nignore = ["TEXT001", "SAFE"]\n'
    )
    for command in (("validate",), ("render", "-o", "sheet.pdf")):
        result = run_protokit(*command, "protocol.json", cwd=project)
        assert result.code == 2, result.stderr
        assert "pyproject.toml:5:22: [tool.protokit] lint.ignore: 'SAFE' would turn off" in (
            result.stderr
        )
    assert not (project / "sheet.pdf").exists()


def test_the_command_line_cannot_ignore_them(project):
    result = run_protokit("validate", "--ignore", "TEXT001,SAFE005", "protocol.json", cwd=project)
    assert result.code == 2
    assert result.stderr.startswith(
        "protokit: error: --ignore: 'SAFE005' would turn off SAFE005, which keeps the patient safe"
    )


def test_select_does_not_leave_them_out(project):
    for config in ('[lint]\nselect = ["TEXT001"]\n', ""):
        (project / "protokit.toml").write_text(config)
        result = run_protokit("validate", "--select", "DOSE002", "protocol.json", cwd=project)
        assert result.code == 1 and "error SAFE005" in result.stdout


def test_settings_made_in_code_run_them_and_keep_them_errors(tmp_path):
    settings = LintSettings(
        today=TODAY, select=("TEXT",), ignore=("SAFE", "ALL"), severity={"SAFE005": "warning"}
    )
    (finding,) = [f for f in lint(tmp_path, without_chest_pain, settings)]
    assert (finding.code, finding.severity.value) == ("SAFE005", "error")


def test_a_protocol_cannot_suppress_text004(tmp_path):
    # H705: a protocol's `suppress` of TEXT004 left "сһеѕt pain" (Cyrillic) on the sheet.
    def change(data):
        data["safety"]["stop_criteria"] = [
            "If you get \u0441\u04bb\u0435\u0455t pain, ring your physiotherapist tomorrow."
        ]
        data["suppress"] = [{"rule": "TEXT004", "reason": REASON}]

    findings = lint(tmp_path, change)
    assert codes(findings) == [
        ("TEXT004", "/safety/stop_criteria/0"),
        ("SUP002", "/suppress/0/rule"),
    ]


def test_a_protocol_cannot_suppress_them(tmp_path):
    def change(data):
        without_chest_pain(data)
        data["suppress"] = [{"rule": "SAFE005", "reason": REASON}]

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE005", "/safety/red_flags"), ("SUP002", "/suppress/0/rule")]
    assert "keeps the patient safe and cannot be suppressed" in findings[1].message


def test_style_rules_stay_ignorable(project):
    (project / "protokit.toml").write_text('[lint]\nignore = ["TEXT001", "GOV001", "DOSE002"]\n')
    result = run_protokit("validate", "protocol.json", cwd=project)
    assert result.code == 1 and "error SAFE005" in result.stdout
