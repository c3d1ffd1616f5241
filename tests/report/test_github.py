"""GitHub annotations name files from the repository's root, as GitHub places them."""

from __future__ import annotations

import shutil
import subprocess

from conftest import CASES, run_protokit

BAD = CASES / "validate" / "invalid" / "wrong-enum-side" / "protocol.json"


def annotations(*args, cwd):
    result = run_protokit("validate", "--format", "github", *args, cwd=cwd)
    return result, [line for line in result.stdout.splitlines() if line.startswith("::")]


def test_from_a_subfolder_of_a_repository_paths_start_at_its_root(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    folder = tmp_path / "clinic" / "protocols"
    folder.mkdir(parents=True)
    shutil.copy(BAD, folder / "back.json")
    result, lines = annotations("back.json", cwd=folder)
    assert result.code == 1
    assert lines and all(
        line.startswith("::error file=clinic/protocols/back.json,") for line in lines
    )


def test_outside_a_repository_paths_start_at_the_current_folder(tmp_path):
    folder = tmp_path / "protocols"
    folder.mkdir()
    shutil.copy(BAD, folder / "back.json")
    _, lines = annotations("protocols/back.json", cwd=tmp_path)
    assert lines[0].startswith("::error file=protocols/back.json,line=")


def test_a_missing_path_is_an_error_annotation(tmp_path):
    result, lines = annotations("gone.json", cwd=tmp_path)
    assert result.code == 2
    assert lines == ["::error title=IO001::gone.json: no such file or folder"]


def test_a_run_of_more_annotations_than_github_shows_says_how_many_are_not_shown(tmp_path):
    # GitHub shows 10 error and 10 warning annotations of a step and drops the rest without a
    # word: 11 invalid files showed 10 on the pull request, and nothing said an 11th failed
    # (H1156).
    for number in range(11):
        shutil.copy(BAD, tmp_path / f"back-{number:02}.json")
    result, lines = annotations(".", cwd=tmp_path)
    errors = [line for line in lines if line.startswith("::error ")]
    assert result.code == 1 and len(errors) == 11
    assert lines[-1] == (
        "::notice title=protokit::GitHub shows only the first 10 error and 10 warning "
        "annotations of a step, and not 1 of the 11 error annotations of this run: the step's "
        "log lists every one, and protokit validate lists them in a checkout."
    )
    # Ten are all shown: no notice.
    (tmp_path / "back-10.json").unlink()
    _, lines = annotations(".", cwd=tmp_path)
    assert len(lines) == 10 and not any(line.startswith("::notice") for line in lines)


def _unescaped_property(value: str) -> str:
    """A property as GitHub's runner reads it back (its escapes undone, `%25` last)."""
    for escape, character in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ",")):
        value = value.replace(escape, character)
    return value.replace("%25", "%")


def test_a_line_break_in_a_path_is_escaped_as_github_reads_it(tmp_path):
    """H1475: `file=` is the repository's path after GitHub undoes its escapes; a line break
    written as `\\n` (two characters) named a file that is not there, and the annotation was
    not placed on the file. Each property and the message escaped as GitHub documents."""
    folder = tmp_path / "pro\nx,a:b%c\r"
    folder.mkdir()
    shutil.copy(BAD, folder / "back.json")
    result, lines = annotations(f"{folder.name}/back.json", cwd=tmp_path)
    assert result.code == 1 and lines
    for line in lines:
        command, _, message = line[2:].partition("::")
        assert "\r" not in line
        properties = dict(p.split("=", 1) for p in command.partition(" ")[2].split(","))
        assert _unescaped_property(properties["file"]) == f"{folder.name}/back.json", line
        assert ":" not in properties["title"]
        assert message and "%0A" not in message  # (the message's own text has no line break)
