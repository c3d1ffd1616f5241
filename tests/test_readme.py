"""The README's commands are run in the order it shows them, as a new user pastes them, in a copy
of the repository's example files: each must succeed (or fail where the README says the files
are not finished yet). A signed bundle made with `--fhir` once failed `bundle verify`, and no
test ran the README's commands one after another."""

from __future__ import annotations

import re
import shlex
import shutil

from conftest import REPO, run_protokit

README = REPO / "README.md"
# What the README's commands read besides what they write themselves.
EXAMPLE_FILES = [
    "protocols",
    "protokit.toml",
    "docs/examples",
    "tests/cases/validate/valid/translated-protocol",
]
# Commands that are not protokit's job to test here: set-up, the long-running server, the
# benchmarks, the long fuzzing profile and the slowed-down browser tests (each has its own tests).
NOT_RUN = (
    "python3 -m venv", ".venv/bin/", ". .venv", "PROTOKIT_FUZZ", "PROTOKIT_BROWSER_SLOWDOWN",
    "protokit serve",
)  # fmt: skip
# The README's drafts are templates with TODOs: it says `validate drafts/` lists them.
EXPECTED_FAILURES = {"protokit validate drafts/ prescriptions/": 1}


def readme_commands() -> list[str]:
    """Every shell command of the README's `sh` blocks, continuation lines joined, comments
    dropped."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("#"):
                continue
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command and not command.startswith(NOT_RUN):
                commands.append(command)
    return commands


def run_line(command: str, folder):
    """Run one README line: `protokit ...` with `< FILE`, `> FILE` or `>> FILE`, or `mkdir -p`."""
    words = shlex.split(command)
    if words[:2] == ["mkdir", "-p"]:
        for name in words[2:]:
            (folder / name).mkdir(parents=True, exist_ok=True)
        return 0
    assert words[0] == "protokit", command
    stdin = append = write = None
    arguments = []
    pending = None
    for word in words[1:]:
        if pending:
            if pending == "<":
                stdin = (folder / word).read_bytes()
            elif pending == ">>":
                append = folder / word
            else:
                write = folder / word
            pending = None
        elif word in ("<", ">", ">>"):
            pending = word
        else:
            arguments.append(word)
    result = run_protokit(*arguments, cwd=folder, stdin=stdin)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, command
    if append is not None:
        with append.open("a", encoding="utf-8") as out:
            out.write(result.stdout)
    if write is not None:
        write.write_text(result.stdout, encoding="utf-8")
    return result


def test_the_readme_lists_the_commands_a_new_user_runs():
    commands = readme_commands()
    # The walk goes through every part of the toolkit the README introduces.
    parts = ["validate", "render", "build", "new", "keys generate", "bundle create",
             "bundle verify", "bundle import", "export fhir", "import fhir"]  # fmt: skip
    for part in parts:
        start = f"protokit {part}"
        assert any(c.startswith(start) for c in commands), start


def example_copy(folder):
    """A copy of what the commands read, in `folder` (made here), as a new user has it."""
    for name in EXAMPLE_FILES:
        source, target = REPO / name, folder / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return folder


def test_every_readme_command_works_in_order(tmp_path):
    folder = example_copy(tmp_path / "clinic")
    for command in readme_commands():
        result = run_line(command, folder)
        if result == 0:
            continue
        expected = EXPECTED_FAILURES.get(command, 0)
        assert result.code == expected, f"{command}\n{result.stdout}{result.stderr}"
    # What the commands made is there and is what a clinic receives and reads back.
    assert (folder / "received" / "psoas-stretch-glute-bridge.json").is_file()
    assert run_protokit("validate", "psoas-from-fhir.json", cwd=folder).code == 0
