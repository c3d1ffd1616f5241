"""A one-file `protokit validate`'s lint answer kept between runs (protocol_kit/lint/one_file.py):
given without importing the rules while the file, the configuration, the code and what the
rules read beyond the file are as they were, and never otherwise.

The runs are new processes of a copy of the package (`tree`), as the command runs: a kept
answer is used only by the command's own process, and a rule's source is edited in the copy,
never in the package the other tests run. Whether a run imported the rules is read from
`python -X importtime`."""

from __future__ import annotations

import base64
import compileall
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import CASES, HANG_SECONDS, PROTOCOLS, REPO, run_protokit
from protocol_kit.cache import store_at
from protocol_kit.findings import Finding, LibraryPlace, Severity
from protocol_kit.lint import code_state, one_file
from protocol_kit.lint.registry import RULES

# A file with findings of two rules (SAFE006, DOSE005), and the clean example with two library
# exercises.
WITH_FINDINGS = CASES / "validate" / "invalid" / "red-flags-in-everyday-words" / "protocol.json"
EXAMPLE = "psoas-stretch-glute-bridge.json"
# A real 1x1 pixel PNG (tests/lint/test_media_missing.py).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
# DOSE005's message, in the copy's source, and as edited.
DOSE005_SAID = 'said = f"{kind} says {shown(amount.words)}"'
DOSE005_EDITED = 'said = f"{kind} now says {shown(amount.words)}"'


class Run:
    def __init__(self, done: subprocess.CompletedProcess, rules: bool, stderr: str) -> None:
        self.code = done.returncode
        self.stdout = done.stdout
        self.stderr = stderr
        self.rules = rules  # whether the lint engine (and its rules) was imported

    @property
    def said(self) -> tuple[int, str, str]:
        return self.code, self.stdout, self.stderr


def copy_of_the_package(folder: Path, settled: float = 0.0) -> Path:
    """protocol_kit and the schemas copied into `folder`, compiled, with the time a file must
    have been left alone before a run for its answers to be kept (`code_state.SETTLED`) set
    to `settled`: the copy's files are new."""
    shutil.copytree(REPO / "protocol_kit", folder / "protocol_kit")
    shutil.copytree(REPO / "schemas", folder / "schemas")
    source = folder / "protocol_kit" / "lint" / "code_state.py"
    text = source.read_text(encoding="utf-8")
    assert text.count("\nSETTLED = 2.0\n") == 1
    source.write_text(text.replace("\nSETTLED = 2.0\n", f"\nSETTLED = {settled!r}\n"))
    compileall.compile_dir(folder / "protocol_kit", quiet=1)
    return folder


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return copy_of_the_package(tmp_path_factory.mktemp("tree"))


@pytest.fixture
def work(tmp_path):
    """A folder with the examples (and their library) and a file with findings."""
    folder = tmp_path / "work"
    shutil.copytree(PROTOCOLS, folder / "protocols")
    shutil.copyfile(WITH_FINDINGS, folder / "findings.json")
    return folder


def validate(tree: Path, cache: Path, cwd: Path, *args: str) -> Run:
    """`python -m protocol_kit validate ARGS` of the package in `tree`, as the command runs."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PROTOKIT_CACHE_DIR": str(cache)}
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "protocol_kit", "validate", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
    )
    lines = done.stderr.splitlines()
    timed = [line for line in lines if line.startswith("import time:")]
    rules = any(line.rstrip().endswith(" protocol_kit.lint.engine") for line in timed)
    stderr = "\n".join(line for line in lines if not line.startswith("import time:"))
    return Run(done, rules, stderr)


def kept_then_given(tree: Path, cache: Path, cwd: Path, *args: str) -> Run:
    """Two runs: the first works the answer out and keeps it, the second is given it."""
    first = validate(tree, cache, cwd, *args)
    assert first.rules
    second = validate(tree, cache, cwd, *args)
    assert not second.rules, second.stderr
    assert second.said == first.said
    return second


@pytest.mark.parametrize("name", [EXAMPLE, "findings.json"])
@pytest.mark.parametrize("format_", ["text", "sarif"])
def test_a_file_checked_before_is_answered_without_the_rules(tree, work, tmp_path, name, format_):
    path = name if name == "findings.json" else f"protocols/{name}"
    given = kept_then_given(tree, tmp_path / "cache", work, "-f", format_, path)
    assert given.code == (1 if name == "findings.json" else 0)
    if format_ == "sarif":  # the rules' list, which the registry gives, is there
        rules = json.loads(given.stdout)["runs"][0]["tool"]["driver"]["rules"]
        assert {"SAFE006", "DOSE005", "GOV004"} <= {rule["id"] for rule in rules}
    else:
        said = given.stdout
        assert ("SAFE006" in said and "DOSE005" in said) == (name == "findings.json")
    # What a run with nothing kept says.
    assert validate(tree, tmp_path / "another-cache", work, "-f", format_, path).said == given.said


def _edit_a_rule(tree, work, extra_tree):
    source = tree / "protocol_kit" / "lint" / "rules" / "dosage_text.py"
    text = source.read_text(encoding="utf-8")
    assert DOSE005_SAID in text
    source.write_text(text.replace(DOSE005_SAID, DOSE005_EDITED), encoding="utf-8")
    return lambda run: "now says" in run.stdout


def _configure(tree, work, extra_tree):
    (work / "protokit.toml").write_text('[lint]\nignore = ["DOSE005"]\n')
    return lambda run: "DOSE005" not in run.stdout and "SAFE006" in run.stdout


def _configure_wrongly(tree, work, extra_tree):
    (work / "protokit.toml").write_text('[lint]\nignore = ["NOPE001"]\n')
    return lambda run: run.code == 2 and "NOPE001" in run.stderr


def _change_a_schema(tree, work, extra_tree):
    with (tree / "schemas" / "protocol.schema.json").open("a") as schema:
        schema.write("\n")
    return lambda run: "DOSE005" in run.stdout


def _another_version(tree, work, extra_tree):
    (tree / "protocol_kit-9.9.9.dist-info").mkdir()
    return lambda run: "DOSE005" in run.stdout


def _another_copy(tree, work, extra_tree):
    # Another installation of the package, with its own code, sharing the cache folder.
    source = extra_tree / "protocol_kit" / "lint" / "rules" / "dosage_text.py"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(DOSE005_SAID, DOSE005_EDITED), encoding="utf-8")
    return lambda run: "now says" in run.stdout


def _ignore_on_the_command_line(tree, work, extra_tree):
    return lambda run: "DOSE005" not in run.stdout and "SAFE006" in run.stdout


def _change_a_library_exercise(tree, work, extra_tree):
    library = work / "protocols" / "library" / "glute-bridge.json"  # one of the example's
    data = json.loads(library.read_text(encoding="utf-8"))
    data["steps"][0] = data["steps"][0] + " TODO"
    library.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return lambda run: "TEXT003" in run.stdout


CHANGES = {
    "a rule's source": (_edit_a_rule, "findings.json", ()),
    "the configuration": (_configure, "findings.json", ()),
    "a configuration the rules refuse": (_configure_wrongly, "findings.json", ()),
    "the command line's --ignore": (_ignore_on_the_command_line, "findings.json", ("--ignore", "DOSE005")),
    "a schema": (_change_a_schema, "findings.json", ()),
    "protokit's version": (_another_version, "findings.json", ()),
    "another installation": (_another_copy, "findings.json", ()),
    "a library exercise's file": (_change_a_library_exercise, f"protocols/{EXAMPLE}", ()),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_to_what_the_answer_depends_on_gives_a_fresh_answer(
    tmp_path, work, change
):
    made, path, options = CHANGES[change]
    tree = copy_of_the_package(tmp_path / "tree")
    extra_tree = copy_of_the_package(tmp_path / "another") if change == "another installation" else None
    cache = tmp_path / "cache"
    kept_then_given(tree, cache, work, path)
    fresh = made(tree, work, extra_tree)
    runs_in = extra_tree if change == "another installation" else tree
    after = validate(runs_in, cache, work, *options, path)
    assert after.rules or after.code == 2, after.stderr
    assert fresh(after), after.said
    # The same as a run that kept nothing.
    assert validate(runs_in, tmp_path / "nothing-kept", work, *options, path).said == after.said


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_commit_since_the_answer_was_kept_gives_a_fresh_answer(tree, tmp_path):
    def git(*args):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=repository,
            check=True,
            capture_output=True,
        )

    repository = tmp_path / "repository"
    shutil.copytree(PROTOCOLS, repository)
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first")
    path = repository / EXAMPLE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["summary"] += " Changed."
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    given = kept_then_given(tree, tmp_path / "cache", repository, EXAMPLE)
    assert "GOV004" in given.stdout  # changed since HEAD, the version still 1.0.6
    git("commit", "-qam", "second")  # the file as it is: nothing changed since HEAD now
    after = validate(tree, tmp_path / "cache", repository, EXAMPLE)
    assert after.rules and after.code == 0 and "GOV004" not in after.stdout


def test_an_image_changed_since_the_answer_was_kept_gives_a_fresh_answer(tree, tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    data = json.loads((CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json").read_text())
    data["exercises"][0]["media"] = [
        {"kind": "image", "path": "cat.png", "alt": "Cat pose", "author": "A", "licence": "CC0-1.0"}
    ]
    (folder / "protocol.json").write_text(json.dumps(data, indent=2))
    (folder / "cat.png").write_bytes(PNG)
    given = kept_then_given(tree, tmp_path / "cache", folder, "protocol.json")
    assert "LINK001" not in given.stdout
    (folder / "cat.png").write_text("<svg/>")
    after = validate(tree, tmp_path / "cache", folder, "protocol.json")
    assert after.rules and "LINK001" in after.stdout and "not a PNG or JPEG" in after.stdout
    (folder / "cat.png").unlink()
    gone = validate(tree, tmp_path / "cache", folder, "protocol.json")
    assert gone.rules and "does not exist" in gone.stdout


def test_nothing_is_kept_while_the_code_changed_lately(tmp_path, work):
    # `code_state.SETTLED` as long as the test: every file of the copy changed "lately".
    tree = copy_of_the_package(tmp_path / "tree", settled=3600.0)
    cache = tmp_path / "cache"
    for _ in range(2):
        assert validate(tree, cache, work, "findings.json").rules
    assert not list(cache.glob("lint-one-file-*"))


def test_a_program_that_calls_main_is_not_given_kept_answers(monkeypatch):
    # Its rules may have been changed in memory (a test's monkeypatch): `cli.main.the_command`.
    def not_here(self, path):
        raise AssertionError("a kept answer read by a program that calls main")

    monkeypatch.setattr(one_file.OneFileLint, "start", not_here)
    for _ in range(2):
        assert run_protokit("validate", str(WITH_FINDINGS)).code == 1


def test_every_rule_that_reads_beyond_the_file_is_one_whose_reading_is_recorded():
    assert {rule.code for rule in RULES if rule.reads_beyond_the_file} == one_file.BEYOND


def test_a_kept_answer_is_for_its_day_only(monkeypatch):
    lint = one_file.OneFileLint(b"c" * 16, lambda: None)

    class Alone:  # a protocol whose exercises name no image
        exercises = ()

    today = date.today().toordinal()
    assert lint._holds((today, (), (), ()), Alone())
    assert not lint._holds((today - 1, (), (), ()), Alone())


def test_a_finding_is_kept_with_every_field():
    place = LibraryPlace("library/a.json", "cat-cow", "/steps/0", '"text"', 3, 5)
    finding = Finding(
        "p.json", "SAFE013", "message", Severity.WARNING, "/x", 1, 2, True, "form", "lib.json",
        place, '"quoted"',
    )  # fmt: skip
    plain = one_file._plain(finding)
    assert one_file._finding_fits(plain)
    again = one_file._finding(plain)
    assert again.__getstate__() == finding.__getstate__()
    assert not one_file._finding_fits(plain[:-1])
    assert not one_file._finding_fits((*plain[:3], "fatal", *plain[4:]))


def test_a_kept_file_of_another_shape_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path))
    path = tmp_path / one_file._NAME
    store_at(path, one_file._LABEL, {"code": 7})
    assert one_file._read() is None
    value = {"code": ("a", "b", "c", (), ()), "summaries": {}, "configurations": {}, "answers": {}}
    store_at(path, one_file._LABEL, value)
    assert one_file._read() == value
    store_at(path, one_file._LABEL, {**value, "configurations": {b"c": "yes"}})
    assert one_file._read() is None
    assert not one_file._record_fits((1, (), (), ((1,),)))
    assert not one_file._record_fits((1, (("p", "HEAD", None),), (), ()))
    assert one_file._record_fits((1, (("p", "HEAD", b"=1"),), (("cat.png", None, b"d"),), ()))


def test_a_files_state_changes_with_its_content_whatever_its_times_say(tmp_path):
    path = tmp_path / "rule.py"
    path.write_text("A = 1\n")
    before = code_state.state_of([str(path)])
    status = os.stat(path)
    path.write_text("A = 2\n")  # the same size
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # its time put back
    after = code_state.state_of([str(path)])
    assert after is not None and before is not None
    assert after[0][:2] == before[0][:2]  # size and modification time as they were
    assert after != before  # its change time, which no program can put back, is not
    assert not code_state.settled_before(after, os.stat(path).st_ctime)
    assert code_state.state_of([str(tmp_path / "gone.py")]) is None


def test_the_kept_file_keeps_the_newest_answers():
    answers = {bytes([n % 256, n // 256]) * 8: (n,) for n in range(one_file.MOST + 10)}
    newest = one_file._newest(answers, one_file.MOST)
    assert list(newest) == list(answers)[-one_file.MOST :]
    assert one_file._newest({b"a": 1}, 2) == {b"a": 1}
