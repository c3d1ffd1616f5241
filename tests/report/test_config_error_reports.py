"""A run that a configuration error stops still writes the report a CI step uploads (thirty-first
sitting, users: a clinic lead's workflow as docs/ci.md has it, H1318). The SARIF step wrote no
file, so the upload step failed with "Path does not exist: protokit.sarif", and the code
scanning view and the pull request said nothing of the TODO left in protokit.toml or of the git
revision GOV004 could not find."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest

from conftest import REPO, run_protokit

PROTOCOL = REPO / "protocols" / "psoas-stretch-glute-bridge.json"
TODO_NAME = 'name = "TODO: your clinic\'s name, as patients know it"'


@pytest.fixture
def clinic(tmp_path):
    """The example protocols, with the clinic's name still the TODO `protokit init` writes."""
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    config = (REPO / "protokit.toml").read_text("utf-8")
    lines = config.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("name = "))
    lines[at] = TODO_NAME
    (tmp_path / "protokit.toml").write_text("\n".join(lines) + "\n", "utf-8")
    return tmp_path, at + 1


def test_a_todo_in_the_configuration_is_said_in_each_ci_report(clinic):
    folder, line = clinic
    said = f"protokit.toml:{line}:8: [clinic] name: still says TODO"
    result = run_protokit("validate", "--format", "sarif", "-o", "p.sarif", "protocols", cwd=folder)
    assert result.code == 2 and f"protokit: error: {said}" in result.stderr
    [run] = json.loads((folder / "p.sarif").read_text("utf-8"))["runs"]
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False and run["results"] == []
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error" and notification["descriptor"]["id"] == "CONFIG001"
    place = notification["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"] == "protokit.toml"
    assert place["region"] == {"startLine": line, "startColumn": 8}

    result = run_protokit("validate", "--format", "junit", "-o", "p.xml", "protocols", cwd=folder)
    assert result.code == 2
    [error] = ET.parse(folder / "p.xml").getroot().iter("error")
    assert error.get("type") == "CONFIG001" and error.text.startswith(said)

    result = run_protokit("validate", "--format", "json", "-o", "p.json", "protocols", cwd=folder)
    [unchecked] = json.loads((folder / "p.json").read_text("utf-8"))["unchecked"]
    assert result.code == 2 and unchecked["code"] == "CONFIG001"

    result = run_protokit("validate", "--format", "github", "protocols", cwd=folder)
    assert result.code == 2
    assert result.stdout.startswith(
        f"::error file=protokit.toml,line={line},col=8,title=CONFIG001::"
    )

    # The text report is the error line alone, as before: no file is written.
    result = run_protokit("validate", "-o", "p.txt", "protocols", cwd=folder)
    assert result.code == 2 and not (folder / "p.txt").exists()


def test_a_file_that_is_not_a_report_is_not_replaced_by_the_error_s_report(clinic):
    folder, _ = clinic
    (folder / "notes.txt").write_text("the clinic's notes\n", "utf-8")
    result = run_protokit(
        "validate", "--format", "sarif", "-o", "notes.txt", "protocols", cwd=folder
    )
    assert result.code == 2 and "TODO" in result.stderr
    assert (folder / "notes.txt").read_text("utf-8") == "the clinic's notes\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_git_revision_gov004_cannot_find_is_said_in_the_sarif_report(tmp_path):
    """GOV004 stops the run at the first file it compares, after the report was begun: the
    report written so far is let go and the error's report written in its place."""
    shutil.copy(PROTOCOL, tmp_path / "protocol.json")
    shutil.copytree(REPO / "protocols" / "library", tmp_path / "library")
    config = (REPO / "protokit.toml").read_text("utf-8")
    config += '\n[lint.options.GOV004]\nrevision = "origin/main"\n'
    (tmp_path / "protokit.toml").write_text(config, "utf-8")
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "first"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *command],
            cwd=tmp_path, check=True, capture_output=True,
        )  # fmt: skip
    result = run_protokit(
        "validate", "--format", "sarif", "-o", "p.sarif", "protocol.json", cwd=tmp_path
    )
    assert result.code == 2 and "GOV004 (version-not-bumped)" in result.stderr
    [run] = json.loads((tmp_path / "p.sarif").read_text("utf-8"))["runs"]
    [notification] = run["invocations"][0]["toolExecutionNotifications"]
    assert "GOV004 (version-not-bumped) compares" in notification["message"]["text"]
    uri = notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "protokit.toml" and run["results"] == []


def test_a_key_quoted_from_the_configuration_is_shown_as_untrusted_text(tmp_path):
    """The key is quoted in the error: a terminal escape or a direction override in it was
    written raw into the GitHub annotation."""
    config = (REPO / "protokit.toml").read_text("utf-8")
    config += '\n[lint]\n"a\\u001b[31m\\u202e" = 1\n'
    (tmp_path / "protokit.toml").write_text(config, "utf-8")
    shutil.copy(PROTOCOL, tmp_path / "protocol.json")
    result = run_protokit("validate", "--format", "github", "protocol.json", cwd=tmp_path)
    assert result.code == 2 and "title=CONFIG001::" in result.stdout
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "a\\x1b[31m\\u202e" in result.stdout


@pytest.mark.parametrize(
    "path", ["C:\\clinic\\protokit.toml", "a,b::c.toml", "x.toml:y.toml", "protokit.toml"]
)
def test_a_configuration_file_whose_name_holds_a_colon_is_placed_at_its_line(path):
    """A path with a colon (a Windows drive, `--config a::b.toml`) was not read as the
    message's file: the error was placed at the file given, line 1 (H1368)."""
    from protocol_kit.errors import ConfigError, Place
    from protocol_kit.report.config_error import configuration_finding

    error = ConfigError("[clinic] name: still says TODO", Place(path, 7, 8))
    assert str(error) == f"{path}:7:8: [clinic] name: still says TODO"
    finding = configuration_finding(error, "given.toml")
    assert (finding.path, finding.line, finding.column) == (path, 7, 8)
    assert finding.message == "[clinic] name: still says TODO"
    # An error naming no file is placed at the file given, as before.
    unplaced = configuration_finding(ConfigError("git revision abc: see x.toml: x"), "given.toml")
    assert (unplaced.path, unplaced.line) == ("given.toml", None)
    assert unplaced.message == "git revision abc: see x.toml: x"


def test_a_configuration_error_is_placed_from_its_data_in_every_report(tmp_path):
    """The error carries its file, line and column from where it is raised (H1400): its
    place was read back out of the message, and a path holding ": " (a folder "north: wing"),
    a line break, or not ending in .toml was placed nowhere, at the file given with the
    whole message (its place said twice) in every CI report."""
    folder = tmp_path / "north: wing é\nb"
    folder.mkdir()
    config = folder / "clinic: main.toml"
    config.write_text('[clinic]\nname = "Northside"\nphone = = 3\n', "utf-8")
    shutil.copy(PROTOCOL, tmp_path / "protocol.json")
    given = "north: wing é\nb/clinic: main.toml"
    shown = "north: wing é\\nb/clinic: main.toml"  # the line break as every report shows it
    said = 'not valid TOML: Invalid value: if this is text, put it in quotes: phone = "= 3"'
    options = ("validate", "--config", given, "protocol.json", "--format")

    result = run_protokit(*options, "text", cwd=tmp_path)
    assert result.code == 2 and result.stderr == f"protokit: error: {shown}:3:9: {said}\n"

    result = run_protokit(*options, "json", cwd=tmp_path)
    [unchecked] = json.loads(result.stdout)["unchecked"]
    assert result.code == 2 and unchecked["path"] == shown and unchecked["message"] == said

    result = run_protokit(*options, "github", cwd=tmp_path)
    file = shown.replace(":", "%3A")
    assert result.stdout == f"::error file={file},line=3,col=9,title=CONFIG001::{said}\n"

    result = run_protokit(*options, "sarif", cwd=tmp_path)
    [run] = json.loads(result.stdout)["runs"]
    [notification] = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["message"]["text"] == f"{shown}: {said}"
    place = notification["locations"][0]["physicalLocation"]
    assert place["region"] == {"startLine": 3, "startColumn": 9}
    assert unquote(place["artifactLocation"]["uri"]) == shown

    result = run_protokit(*options, "junit", cwd=tmp_path)
    [error] = ET.fromstring(result.stdout).iter("error")
    assert error.get("type") == "CONFIG001" and error.text.startswith(f"{shown}:3:9: {said}")
