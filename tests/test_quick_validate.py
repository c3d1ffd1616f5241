"""`protokit validate` read without click (`validate_run.quick_args`) prints exactly what the
click command prints: the same bytes on stdout and stderr, the same exit status, for every
command line, whether it takes the quick way or is handed to click."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import CASES, PROTOCOLS, REPO, run_protokit
from protocol_kit.cli import validate_run

VALID = str(CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json")
INVALID = str(CASES / "validate" / "invalid" / "misspelt-field" / "protocol.json")
POSES = str(PROTOCOLS / "psoas-stretch-glute-bridge.json")
FOLDER = str(CASES / "validate" / "valid")
MISSING = "no-such-file.json"

# Read without click.
QUICK = [
    [VALID],
    [POSES],
    [INVALID],
    [VALID, INVALID],
    [FOLDER],
    [MISSING],
    [MISSING, VALID],
    ["-"],
    ["-q", VALID],
    [VALID, "--quiet"],
    [INVALID, "--no-lint"],
    [VALID, "--warnings-as-errors"],
    [POSES, "--warnings-as-errors", "-q"],
    [INVALID, "--color"],
    [INVALID, "--no-color"],
    [VALID, "-f", "json"],
    [INVALID, "--format", "sarif"],
    [INVALID, "--format=junit"],
    [INVALID, "-f", "github"],
    [INVALID, "-f", "text", "-q", VALID],
    ["--no-lint", INVALID, "-f", "json", "--quiet"],
    [VALID, "validate"],  # a file named like the command: a path all the same
]
# Handed to click: help, mistakes, other options, forms the quick reading leaves alone.
CLICK = [
    [],
    ["-q"],
    ["-f", "json"],
    [VALID, "-f"],
    [VALID, "-f", "yaml"],
    [VALID, "--format=JSON"],
    [VALID, "-fjson"],
    [VALID, "-qf", "json"],
    [VALID, "-q", "-q"],
    [VALID, "--color", "--no-color"],
    [VALID, ""],
    [VALID, "--", "-x"],
    [VALID, "-h"],
    [VALID, "--help"],
    [VALID, "--bogus"],
    [VALID, "--no-lin"],
    [VALID, "--select", "DOSE"],
    [INVALID, "--ignore", "SCHEMA"],
    [VALID, "--max-depth", "1"],
    [VALID, "--jobs", "1"],
    [VALID, "--config", MISSING],
    [VALID, "-o", "-"],
]


def both_ways(monkeypatch, args, **kwargs):
    quick = run_protokit("validate", *args, **kwargs)
    with monkeypatch.context() as patched:
        patched.setattr(validate_run, "quick_args", lambda argv: None)
        with_click = run_protokit("validate", *args, **kwargs)
    return timeless(quick), timeless(with_click)


def timeless(result):
    # JUnit reports say how long each check took: the one difference two runs may have.
    return (result.code, re.sub(r'time="[0-9.]+"', 'time=""', result.stdout), result.stderr)


@pytest.mark.parametrize("args", QUICK + CLICK, ids=lambda args: " ".join(args) or "(none)")
def test_same_bytes_and_status_either_way(monkeypatch, args):
    quick, with_click = both_ways(monkeypatch, args, stdin=b"{}")
    assert quick == with_click


@pytest.mark.parametrize("args", QUICK, ids=lambda args: " ".join(args))
def test_plain_forms_are_read_without_click(args):
    assert validate_run.quick_args(["validate", *args]) is not None


@pytest.mark.parametrize("args", CLICK, ids=lambda args: " ".join(args) or "(none)")
def test_other_forms_are_left_to_click(args):
    assert validate_run.quick_args(["validate", *args]) is None


def test_github_actions_default_format_either_way(monkeypatch):
    quick, with_click = both_ways(monkeypatch, [INVALID], env={"GITHUB_ACTIONS": "true"})
    assert "::error" in quick[1]
    assert quick == with_click


def test_a_broken_configuration_either_way(monkeypatch, tmp_path):
    (tmp_path / "protokit.toml").write_text("[tool.protokit.lint\n", encoding="utf-8")
    quick, with_click = both_ways(monkeypatch, [VALID], cwd=tmp_path)
    assert quick[0] == 2 and "protokit: error:" in quick[2]
    assert quick == with_click


def in_a_process(args, quick: bool, env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import sys\n"
        "from protocol_kit.cli import validate_run\n"
        "from protocol_kit.cli.main import main\n"
        + ("" if quick else "validate_run.quick_args = lambda argv: None\n")
        + "main(sys.argv[1:])\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, "validate", *args],
        capture_output=True,
        cwd=REPO,
        env={**os.environ, **env},
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_other_encodings_either_way(encoding):
    # Not UTF-8: the messages go through click both ways (it re-encodes an ASCII stream).
    args = [INVALID, MISSING, "é.json"]
    quick = in_a_process(args, quick=True, env={"PYTHONIOENCODING": encoding})
    with_click = in_a_process(args, quick=False, env={"PYTHONIOENCODING": encoding})
    assert quick.returncode == 2 and b"no-such-file" in quick.stderr
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        with_click.returncode,
        with_click.stdout,
        with_click.stderr,
    )


def test_the_other_commands_are_not_read_here():
    assert validate_run.quick_args(["render", VALID]) is None
    assert validate_run.quick_args([VALID, "validate"]) is None


def test_the_command_line_names_every_report_format():
    # validate_run names the formats itself (importing the reporters costs start-up): a
    # reporter added to one list and not the other could not be asked for.
    from protocol_kit.cli.validate_run import FORMATS
    from protocol_kit.report import REPORTERS

    assert tuple(REPORTERS) == FORMATS
