"""The schemas work in an editor: VS Code's own JSON language service, configured with the
settings `protokit schemas --vscode` prints, validates protocols offline and agrees with
`protokit validate` on where the mistakes are."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from session_setup import npm_installed

from conftest import CASES, PROTOCOLS, REPO, run_protokit, session_folder

NODE = shutil.which("node")
NPM = shutil.which("npm")
pytestmark = pytest.mark.skipif(not (NODE and NPM), reason="Node.js is not installed")


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    folder = npm_installed(session_folder(), "editor", NPM)  # started at collection
    settings = tmp_path_factory.mktemp("editor") / "settings.json"
    settings.write_text(run_protokit("schemas", "--vscode").stdout, encoding="utf-8")

    def check(document):
        result = subprocess.run(
            [NODE, str(folder / "check.mjs"), str(settings), str(document)],
            capture_output=True,
            text=True,
            timeout=300,  # only a hang: node checks the schemas in seconds
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    return check


def test_example_protocols_have_no_editor_problems(editor):
    for path in sorted(PROTOCOLS.rglob("*.json")):
        if path.name != "README.json":
            assert editor(path) == [], path.name


@pytest.mark.parametrize(
    "case, expected",
    [
        (
            "wrong-enum-side",
            '93:17 Value is not accepted. Valid values: "each", "left", "right", "both".',
        ),
        ("misspelt-field", "44:5 Property general_advise is not allowed."),
        ("bad-icd-code", "21:15 String does not match the pattern"),
    ],
)
def test_editor_flags_the_same_place_as_protokit(editor, case, expected):
    problems = editor(CASES / "validate" / "invalid" / case / "protocol.json")
    assert any(p.startswith(expected) for p in problems), problems
    line_column = expected.split(" ")[0]
    assert (
        f"protocol.json:{line_column}:"
        in (CASES / "validate" / "invalid" / case / "expected.txt").read_text()
    )


def test_editor_marks_the_dosage_of_an_omitted_exercise(editor):
    # The schemas carry no messages of their own (strict validators refuse `errorMessage`):
    # the editor marks the field itself, and `protokit validate` says why.
    case = CASES / "validate" / "invalid" / "prescription-omit-with-dosage"
    problems = editor(case / "rx.json")
    assert problems == ["20:7 Property dosage is not allowed."]
    expected = (case / "expected.txt").read_text()
    assert expected.startswith("rx.json:20:") and "has no dosage" in expected


def test_the_example_prescription_has_no_editor_problems(editor):
    example = REPO / "docs" / "examples" / "prescription-psoas.json"
    assert editor(example) == []
