"""The commands of docs/*.md are run as a reader pastes them, page by page in the order shown,
in a copy of the repository's example files: each must succeed, or fail where the page says
it does. docs/sheets.md once showed only `protocols/back.json`, a file nobody has, and
docs/bundles.md a public key where `keys generate` had not written it.

The README (tests/test_readme.py) and the walkthrough (tests/test_walkthrough.py) have their
own tests. What is not run here is listed, with the reason, so that a new command is run by
default."""

from __future__ import annotations

import re

import pytest
from test_readme import example_copy, run_line

from conftest import REPO

DOCS = REPO / "docs"
# Pages whose commands are run elsewhere or are not protokit's to run here.
OWN_TEST = {
    "walkthrough.md": "tests/test_walkthrough.py runs it in a folder of its own",
    "performance.md": "the benchmarks take minutes; benchmarks/ has its own tests",
    "workbench.md": "protokit serve runs until stopped; tests/workbench/ starts it",
    "languages.md": "tests/test_languages_howto.py follows it in the walkthrough's folder",
}
# A line naming one of these is a pattern to adapt, not a command to paste: a file of the
# reader's own, or a synopsis of the options.
PLACEHOLDERS = ("back.json", "my-library/", "PATH...", "[-")
# Where a page says a command fails (the prescription just made still has its TODOs).
EXPECTED_FAILURES = {
    ("sheets.md", "protokit validate prescriptions/alex.json"): 1,
    (
        "sheets.md",
        "protokit render protocols/psoas-stretch-glute-bridge.json "
        "--prescription prescriptions/alex.json -o alex.pdf",
    ): 2,
}


def page_commands(page) -> list[str]:
    """The shell commands of a page's `sh` blocks, continuation lines joined, comments dropped;
    in a block that shows a session (`$ command` and its output), only the commands."""
    commands = []
    text = page.read_text(encoding="utf-8")
    for block in re.findall(r"^ *```sh\n(.*?)^ *```", text, re.S | re.M):
        lines = [line.strip() for line in block.replace("\\\n", " ").splitlines()]
        session = any(line.startswith("$ ") for line in lines)
        for line in lines:
            if session:
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def pages() -> list[str]:
    return sorted(
        page.name for page in DOCS.glob("*.md") if page.name not in OWN_TEST and page_commands(page)
    )


def runnable(command: str) -> bool:
    return not any(mark in command for mark in PLACEHOLDERS)


def test_every_page_with_commands_has_some_that_run():
    assert {"bundles.md", "editors.md", "fhir.md", "illustrations.md", "sheets.md"} <= set(pages())
    for name in pages():
        assert any(runnable(c) for c in page_commands(DOCS / name)), name


@pytest.mark.parametrize("name", pages())
def test_every_command_of_the_page_works_in_order(tmp_path, name):
    folder = example_copy(tmp_path / "clinic")
    done = set()
    for command in filter(runnable, page_commands(DOCS / name)):
        if command in done:  # a step shown again where it is explained is not a new step
            continue
        done.add(command)
        result = run_line(command, folder)
        if result == 0:
            continue
        expected = EXPECTED_FAILURES.get((name, command), 0)
        assert result.code == expected, f"{name}: {command}\n{result.stdout}{result.stderr}"
