import json
import shutil
import subprocess

import pytest
from lint_helpers import codes, lint_file, minimal

from conftest import PROTOCOLS, run_protokit

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(folder, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repository(tmp_path):
    git(tmp_path, "init", "-q")
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(minimal(), indent=2))
    git(tmp_path, "add", "protocol.json")
    git(tmp_path, "commit", "-qm", "first")
    return path


def rewrite(path, **changes):
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))  # reformatted too: formatting must not count


def test_content_changed_without_a_new_version(repository):
    rewrite(repository, summary="Gentle movement for a stiff back.")
    findings = lint_file(repository)
    assert codes(findings) == [("GOV004", "/version")]
    assert "changed since HEAD but the version is still 1.0.0" in findings[0].message


def test_new_version_is_fine(repository):
    rewrite(repository, summary="Gentle movement for a stiff back.", version="1.1.0")
    assert lint_file(repository) == []


def test_reformatting_alone_is_fine(repository):
    rewrite(repository)
    assert lint_file(repository) == []


def test_version_going_down(repository):
    rewrite(repository, version="0.9.0")
    assert codes(lint_file(repository)) == [("GOV004", "/version")]


def test_outside_git_and_untracked_files_are_skipped(tmp_path, repository):
    outside = tmp_path.parent / (tmp_path.name + "-plain")
    outside.mkdir()
    (outside / "protocol.json").write_text(json.dumps(minimal()))
    assert lint_file(outside / "protocol.json") == []
    (repository.parent / "new.json").write_text(json.dumps(minimal()))
    assert lint_file(repository.parent / "new.json") == []


@pytest.fixture
def started(monkeypatch):
    """The commands of the processes the version rule's history starts."""
    from protocol_kit.lint import history

    commands = []
    real = history.spawn

    def counting(*args, **kwargs):
        commands.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(history, "spawn", counting)
    return commands


def test_one_git_process_answers_every_file(repository, started):
    from protocol_kit.lint import history

    reader = history.GitHistory()
    for _ in range(3):
        assert reader.previous(str(repository), "HEAD")["version"] == "1.0.0"
    assert reader.previous(str(repository.parent / "missing.json"), "HEAD") is None
    # One batch process answers whether the revision exists and every file.
    assert [command[3] for command in started] == ["cat-file"]


def test_a_one_file_run_starts_git_before_the_first_question(tmp_path, repository, started):
    # Started early, so that git starts while the file is checked; the same one process
    # then answers, and nothing is started for a file outside git, for standard input, for
    # a folder, for a run over several files or when the rule does not run.
    from protocol_kit.lint.engine import Linter, LintSettings

    outside = tmp_path.parent / (tmp_path.name + "-plain")
    outside.mkdir()
    (outside / "protocol.json").write_text(json.dumps(minimal()))
    for paths, settings in (
        ([str(outside / "protocol.json")], LintSettings()),
        (["-"], LintSettings()),
        ([str(repository.parent)], LintSettings()),
        ([str(repository), str(repository)], LintSettings()),
        ([str(repository)], LintSettings(ignore=("GOV",))),
    ):
        Linter(settings).expect(paths)
    assert started == []
    linter = Linter(LintSettings())
    linter.expect([str(repository)])
    assert [command[3] for command in started] == ["cat-file"]
    assert linter._history is not None
    assert linter._history.previous(str(repository), "HEAD")["version"] == "1.0.0"
    assert len(started) == 1


def test_a_library_exercise_changed_without_a_new_version(tmp_path):
    # A safety fix in a library exercise changes every protocol that uses it: it needs a new
    # version as much as a protocol does.
    folder = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS / "library", folder / "library")
    shutil.copyfile(PROTOCOLS / "psoas-stretch-glute-bridge.json", folder / "psoas.json")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first")
    bridge = folder / "library" / "glute-bridge.json"
    data = json.loads(bridge.read_text("utf-8"))
    data["dosage"]["repetitions"] = 12
    bridge.write_text(json.dumps(data, indent=2), "utf-8")

    result = run_protokit("validate", "protocols", cwd=tmp_path)
    assert result.code == 1
    assert "protocols/library/glute-bridge.json:4:" in result.stdout
    assert "error GOV004" in result.stdout and "every protocol that uses this exercise" in (
        result.stdout
    )
    major, minor, _ = data["version"].split(".")
    data["version"] = f"{major}.{int(minor) + 1}.0"
    bridge.write_text(json.dumps(data, indent=2), "utf-8")
    assert run_protokit("validate", "protocols", cwd=tmp_path).code == 0


def shallow_clone(tmp_path, origin_branch="main"):
    """A clone like a CI checkout: one commit, no other branches."""
    source = tmp_path / "source"
    source.mkdir()
    git(source, "init", "-q", "-b", origin_branch)
    (source / "protocol.json").write_text(json.dumps(minimal(), indent=2))
    git(source, "add", "protocol.json")
    git(source, "commit", "-qm", "first")
    git(source, "commit", "-q", "--allow-empty", "-m", "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--single-branch", source.as_uri(), str(clone))
    return clone


def configure(folder, *lines):
    (folder / "protokit.toml").write_text("[lint.options.GOV004]\n" + "\n".join(lines) + "\n")


def test_a_revision_missing_from_a_shallow_clone_is_a_configuration_error(tmp_path):
    clone = shallow_clone(tmp_path)
    configure(clone, 'revision = "origin/develop"')
    result = run_protokit("validate", "protocol.json", cwd=clone)
    assert result.code == 2 and result.stdout == ""
    message = result.stderr.strip()
    assert message.startswith("protokit: error: GOV004 (version-not-bumped) compares each file")
    assert "'origin/develop', which does not exist" in message and "shallow clone" in message
    assert "`fetch-depth: 0`" in message and "`git fetch origin develop`" in message
    assert "\n" not in message


def test_a_mistyped_revision_is_a_configuration_error_outside_ci_too(repository):
    configure(repository.parent, 'revision = "orgin/main"')
    result = run_protokit("validate", "protocol.json", cwd=repository.parent)
    assert result.code == 2
    assert "'orgin/main', which does not exist" in result.stderr
    assert "it is not a branch, tag or commit there" in result.stderr


def test_a_missing_revision_can_be_allowed_explicitly(tmp_path):
    clone = shallow_clone(tmp_path)
    configure(clone, 'revision = "origin/develop"', "allow_missing_revision = true")
    assert run_protokit("validate", "protocol.json", cwd=clone).code == 0


def test_the_fetched_revision_is_compared(tmp_path):
    clone = shallow_clone(tmp_path)
    configure(clone, 'revision = "origin/main"')
    rewrite(clone / "protocol.json", summary="Gentle movement for a stiff back.")
    result = run_protokit("validate", "protocol.json", cwd=clone)
    assert result.code == 1 and "changed since origin/main" in result.stdout


def test_head_in_a_repository_without_commits_is_nothing_to_compare(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "protocol.json").write_text(json.dumps(minimal(), indent=2))
    assert lint_file(tmp_path / "protocol.json") == []


def test_an_option_like_revision_is_not_passed_to_git_as_an_option(repository):
    configure(repository.parent, 'revision = "--output=/tmp/x"')
    result = run_protokit("validate", "protocol.json", cwd=repository.parent)
    assert result.code == 2 and "'--output=/tmp/x', which does not exist" in result.stderr


def test_a_remote_branch_in_a_repository_never_pushed_says_to_push_first(repository):
    """A clinic lead following docs/ci.md names `origin/main` in protokit.toml for CI; the
    pre-commit hook reads it too, and in a new repository with no remote yet the message
    said to fetch (`git fetch origin main`), which fails there: it says to push first."""
    configure(repository.parent, 'revision = "origin/main"')
    result = run_protokit("validate", "protocol.json", cwd=repository.parent)
    assert result.code == 2 and result.stdout == ""
    message = result.stderr.strip()
    assert "the repository has no remote 'origin': it was never pushed" in message
    assert "`git remote add origin URL`, then `git push -u origin main`" in message
    assert "git fetch" not in message and "\n" not in message


def test_a_remote_that_exists_is_still_told_to_fetch(repository, tmp_path):
    """The same revision in a repository that has the remote but not the branch fetched."""
    git(repository.parent, "remote", "add", "origin", str(tmp_path / "nowhere.git"))
    configure(repository.parent, 'revision = "origin/main"')
    result = run_protokit("validate", "protocol.json", cwd=repository.parent)
    assert result.code == 2 and "`git fetch origin main`" in result.stderr
    assert "never pushed" not in result.stderr
