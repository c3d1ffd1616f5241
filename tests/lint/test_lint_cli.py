"""Lint as a user meets it: `protokit validate` options and configuration, `protokit rules`,
`protokit checklist`, and the generated rule documentation."""

from __future__ import annotations

import json
import re

import pytest
from lint_helpers import exercise, minimal

from conftest import CASES, PROTOCOLS, REPO, run_protokit

MINIMAL = CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json"
EXAMPLE = PROTOCOLS / "psoas-stretch-glute-bridge.json"


@pytest.fixture
def project(tmp_path):
    """A folder with a pyproject.toml and a protocol whose stretch is held 90 s (DOSE002)."""
    data = minimal()
    exercise(data)["type"] = "stretch"
    exercise(data)["dosage"]["hold_seconds"] = 90
    (tmp_path / "protocol.json").write_text(json.dumps(data, indent=2))
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'clinic'\n")
    return tmp_path


def configure(project, text):
    (project / "pyproject.toml").write_text(f"[project]\nname = 'clinic'\n\n{text}\n")


def test_warning_passes_unless_strict(project):
    result = run_protokit("validate", "protocol.json", cwd=project)
    assert result.code == 0
    assert "protocol.json:" in result.stdout and "warning DOSE002" in result.stdout
    assert "[/exercises/0/dosage/hold_seconds]" in result.stdout
    assert run_protokit("validate", "--warnings-as-errors", "protocol.json", cwd=project).code == 1
    configure(project, "[tool.protokit.lint]\nwarnings_as_errors = true")
    assert run_protokit("validate", "protocol.json", cwd=project).code == 1


def test_a_run_failed_by_warnings_says_why_in_its_summary(project):
    # A CI log of warnings only ended "1 failed (0 errors, 1 warning)": the clinic lead looked
    # for an error that was not there.
    configure(project, "[tool.protokit.lint]\nwarnings_as_errors = true")
    result = run_protokit("validate", "protocol.json", cwd=project)
    assert result.code == 1
    assert result.stderr.strip().endswith(
        "warnings count as errors here (--warnings-as-errors, or warnings_as_errors in the "
        "configuration)"
    )
    configure(project, "")
    relaxed = run_protokit("validate", "protocol.json", cwd=project)
    assert relaxed.code == 0 and "count as errors" not in relaxed.stderr


@pytest.mark.parametrize("strict", ["--warnings-as-errors", "configuration"])
def test_a_warning_that_fails_the_run_is_an_error_in_ci_reports(project, strict):
    # A GitHub job failed by warnings alone showed one yellow "warning" annotation, code
    # scanning a "warning" and JUnit "1 error" above a warning's line: the clinic lead could
    # not see what failed. The finding stays a warning in the text and JSON reports.
    if strict == "configuration":
        configure(project, "[tool.protokit.lint]\nwarnings_as_errors = true")
        extra = []
    else:
        extra = [strict]
    said = "(a warning; warnings count as errors here)"
    github = run_protokit("validate", *extra, "--format", "github", "protocol.json", cwd=project)
    assert github.code == 1
    assert github.stdout.startswith("::error file=protocol.json,line="), github.stdout
    assert f"title=DOSE002 {said.replace(',', '%2C')}::" in github.stdout
    sarif = run_protokit("validate", *extra, "--format", "sarif", "protocol.json", cwd=project)
    (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
    assert sarif.code == 1 and result["level"] == "error"
    assert result["message"]["text"].endswith(said)
    junit = run_protokit("validate", *extra, "--format", "junit", "protocol.json", cwd=project)
    assert junit.code == 1
    assert (
        'failure message="0 errors, 1 warning (warnings count as errors here)" type="DOSE002"'
    ) in junit.stdout
    data = json.loads(
        run_protokit("validate", *extra, "-f", "json", "protocol.json", cwd=project).stdout
    )
    assert data["files"][0]["findings"][0]["severity"] == "warning"


def test_a_warning_is_a_warning_in_ci_reports_when_it_does_not_fail_the_run(project):
    github = run_protokit("validate", "--format", "github", "protocol.json", cwd=project)
    assert github.code == 0 and github.stdout.startswith("::warning file=protocol.json,")
    assert "title=DOSE002::" in github.stdout
    sarif = run_protokit("validate", "--format", "sarif", "protocol.json", cwd=project)
    (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result["level"] == "warning" and "counted as an error" not in result["message"]["text"]


def test_severity_ignore_and_select_from_configuration(project):
    configure(project, '[tool.protokit.lint.severity]\nDOSE002 = "error"')
    result = run_protokit("validate", "protocol.json", cwd=project)
    assert result.code == 1 and "error DOSE002" in result.stdout
    configure(project, '[tool.protokit.lint]\nignore = ["DOSE"]')
    assert run_protokit("validate", "protocol.json", cwd=project).stdout == ""
    configure(project, '[tool.protokit.lint]\nselect = ["SAFE", "GOV"]')
    assert run_protokit("validate", "protocol.json", cwd=project).stdout == ""


def test_command_line_select_ignore_and_no_lint(project):
    assert (
        run_protokit("validate", "--select", "SAFE,GOV", "protocol.json", cwd=project).stdout == ""
    )
    assert (
        run_protokit("validate", "--ignore", "DOSE002", "protocol.json", cwd=project).stdout == ""
    )
    assert run_protokit("validate", "--no-lint", "protocol.json", cwd=project).stdout == ""
    assert (
        "DOSE002"
        in run_protokit("validate", "--select", "DOSE", "protocol.json", cwd=project).stdout
    )


def test_bounds_from_configuration(project):
    configure(project, "[tool.protokit.lint.bounds.stretch]\nhold_seconds = [15, 120, 180]")
    assert run_protokit("validate", "protocol.json", cwd=project).stdout == ""


def test_a_lowered_safe_limit_is_kept(project):
    # A clinic may be stricter than protocol-kit: a 30 s hold beyond its limit of 20 s.
    configure(project, "[tool.protokit.lint.bounds.stretch]\nhold_seconds = [5, 15, 20]")
    assert "DOSE001" in run_protokit("validate", "protocol.json", cwd=project).stdout


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[tool.protokit.lint]\nselct = ["DOSE"]', "lint.selct: unknown field"),
        ('[tool.protokit.lint]\nselect = ["DOSX"]', "lint.select: 'DOSX' matches no rule"),
        ('[tool.protokit.lint.severity]\nDOSE002 = "fatal"', "lint.severity.DOSE002:"),
        ("[tool.protokit.lint.bounds.strech]\nsets = [1, 2, 3]", "lint.bounds.strech: unknown"),
        (
            "[tool.protokit.lint.bounds.stretch]\nhold_seconds = [60, 15, 180]",
            "lint.bounds.stretch.hold_seconds: must be [usual minimum",
        ),
        (
            # DOSE001 cannot be switched off, nor its limit raised out of reach (H271).
            "[tool.protokit.lint.bounds.stretch]\nhold_seconds = [15, 120, 6000]",
            "lint.bounds.stretch.hold_seconds: the safe limit may be lowered, not raised",
        ),
        (
            '[tool.protokit.lint.options.DOSE004]\nmax_minutes = "long"',
            "lint.options.DOSE004.max_minutes: must be a whole number",
        ),
    ],
)
def test_bad_configuration_is_one_line_with_file_and_key(project, toml, key):
    configure(project, toml)
    result = run_protokit("validate", "protocol.json", cwd=project)
    assert result.code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("protokit: error: ")
    assert re.search(r"pyproject\.toml:\d+:\d+: \[tool\.protokit\] ", lines[0])
    assert key in lines[0]


def test_explicit_config_file(project):
    (project / "strict.toml").write_text('[lint.severity]\nDOSE002 = "error"\n')
    result = run_protokit("validate", "--config", "strict.toml", "protocol.json", cwd=project)
    assert result.code == 1 and "error DOSE002" in result.stdout
    missing = run_protokit("validate", "--config", "none.toml", "protocol.json", cwd=project)
    assert missing.code == 2 and "none.toml: no such configuration file" in missing.stderr


def test_unknown_code_on_the_command_line(project):
    result = run_protokit("validate", "--ignore", "NOPE1", "protocol.json", cwd=project)
    assert result.code == 2
    assert (
        result.stderr.strip()
        == "protokit: error: --ignore: 'NOPE1' matches no rule (see: protokit rules)"
    )


def test_lint_findings_in_every_format(project):
    github = run_protokit("validate", "-f", "github", "protocol.json", cwd=project).stdout
    assert github.startswith("::warning file=protocol.json,line=") and "title=DOSE002" in github
    sarif = json.loads(run_protokit("validate", "-f", "sarif", "protocol.json", cwd=project).stdout)
    run = sarif["runs"][0]
    rules = {r["id"]: r["shortDescription"]["text"] for r in run["tool"]["driver"]["rules"]}
    assert rules["SAFE001"].startswith("An exercise is contraindicated")
    (result,) = run["results"]
    assert result["ruleId"] == "DOSE002" and result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] > 1
    report = json.loads(run_protokit("validate", "-f", "json", "protocol.json", cwd=project).stdout)
    assert report["files"][0]["findings"][0]["code"] == "DOSE002"


def test_rules_lists_and_explains():
    listing = run_protokit("rules")
    assert listing.code == 0
    assert "SAFE001  error    contraindicated-indication" in listing.stdout
    assert len(listing.stdout.splitlines()) >= 20
    one = run_protokit("rules", "DOSE004")
    assert one.code == 0 and one.stdout.startswith("DOSE004 session-time (dosage, warning)")
    assert "Options: max_minutes = 45" in one.stdout and "Bad:" in one.stdout
    assert run_protokit("rules", "unilateral-side").stdout.startswith("DOSE003")
    unknown = run_protokit("rules", "XYZ001")
    assert unknown.code == 2 and unknown.stderr.strip() == (
        'protokit: error: no lint rule or check "XYZ001" (run: protokit rules)'
    )
    # A code pasted by mistake (a whole file) is quoted short, not echoed 100,000 characters long.
    pasted = run_protokit("rules", "x" * 100_000)
    assert pasted.code == 2 and len(pasted.stderr) < 200, len(pasted.stderr)


def test_rules_explains_a_check_that_is_not_a_lint_rule():
    # A user who reads "RX016" in validate's output asks the same command what it means.
    for asked in ("RX016", "note-dosage", "rx016"):
        shown = run_protokit("rules", asked)
        assert shown.code == 0
        assert shown.stdout.startswith("RX016 note-dosage (error; not a lint rule")
        text = " ".join(shown.stdout.split())
        assert "compared with the exercise's dosage for this patient" in text
    assert run_protokit("rules", "SCHEMA002").stdout.startswith("SCHEMA002 ")


def test_rule_docs_are_up_to_date():
    from protocol_kit.lint.docs import pages

    folder = REPO / "docs" / "rules"
    expected = pages()
    present = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    assert present == expected, "docs/rules is out of date: run protokit rules --docs docs/rules"


def test_every_rule_documents_a_bad_and_a_good_example():
    from protocol_kit.lint.registry import RULES

    for rule in RULES:
        doc = rule.documentation()
        assert "Bad" in doc and "Good" in doc, rule.code


def test_checklist_of_an_example_covers_every_applicable_item():
    result = run_protokit("checklist", str(EXAMPLE.relative_to(REPO)))
    assert result.code == 0, result.stdout
    assert "one session takes about 8 minutes" in result.stdout
    assert " thin " not in result.stdout and " missing " not in result.stdout
    assert "  7a   covered         Decision rule for progressing the exercise" in result.stdout
    payload = json.loads(run_protokit("checklist", "-f", "json", str(EXAMPLE)).stdout)
    items = {(i["standard"], i["item"]): i["status"] for i in payload["items"]}
    assert len([k for k in items if k[0] == "CERT"]) == 19  # 16 items, 3 in two parts
    assert len([k for k in items if k[0] == "TIDieR"]) == 12
    assert items[("CERT", "16b")] == "not applicable"


def test_checklist_names_what_is_missing():
    result = run_protokit("checklist", str(MINIMAL))
    assert result.code == 1
    assert "  6    missing         Motivation strategies" in result.stdout
    assert "- delivery.motivation: none given: write how the patient is helped" in result.stdout


def test_checklist_of_an_invalid_file():
    bad = CASES / "validate" / "invalid" / "wrong-enum-status" / "protocol.json"
    result = run_protokit("checklist", str(bad))
    assert result.code == 2 and result.stderr.startswith("protokit: error: ")


@pytest.mark.parametrize(
    "arguments, configuration",
    [
        (["--select", ""], ""),
        (["--select", ","], ""),
        ([], "[tool.protokit.lint]\nselect = []"),
    ],
    ids=["select-empty", "select-comma", "config-select-empty-list"],
)
def test_an_empty_selection_never_turns_every_rule_off(project, arguments, configuration):
    """H175: `--select "$RULES"` with RULES unset, or `select = []`, ran no rule at all and
    printed `all valid` for a file with a safety error."""
    configure(project, configuration)
    result = run_protokit("validate", "--warnings-as-errors", *arguments, "protocol.json",
                          cwd=project)  # fmt: skip
    assert result.code == 2, result
    assert "would turn every lint rule off" in result.stderr
    assert "all valid" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_the_rule_pages_never_replace_a_file_protokit_did_not_write(tmp_path):
    """H195: `protokit rules --docs .` at the top of a project replaced its README.md (and any
    file named like a rule page) with the rules' index, without a word."""
    readme = tmp_path / "README.md"
    readme.write_text("# Our clinic's protocols\n", "utf-8")
    result = run_protokit("rules", "--docs", str(tmp_path))
    assert result.code == 2 and "README.md" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]  # nothing written
    assert readme.read_text("utf-8") == "# Our clinic's protocols\n"
    pages = tmp_path / "pages"
    assert run_protokit("rules", "--docs", str(pages)).code == 0
    assert run_protokit("rules", "--docs", str(pages)).code == 0  # its own pages: replaced
    assert (pages / "SAFE001.md").read_text("utf-8").startswith("# SAFE001")
