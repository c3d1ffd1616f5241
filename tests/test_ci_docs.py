"""docs/ci.md as a clinic lead follows it, in a repository of protocols of its own (not this
one): the pre-commit configuration it shows, with the hooks of `.pre-commit-hooks.yaml`, and
every `protokit` step of its GitHub Actions workflow, in a clone where `origin/main` exists as
after `fetch-depth: 0`. Its commands are in YAML blocks, which tests/test_docs_commands.py (the
`sh` blocks) does not run.

pre-commit itself is not a test dependency: each hook is run as pre-commit runs it, its `entry`
and `args` followed by the changed files its `files` pattern matches."""

from __future__ import annotations

import json
import math
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO, run_protokit

CI = REPO / "docs" / "ci.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", CI.read_text("utf-8"), re.S | re.M)


def _git(folder, *arguments: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Lead", "-c", "user.email=lead@clinic.invalid", *arguments],
        cwd=folder, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def _clinic_repository(tmp_path):
    """A clinic's own repository: its protocols, its configuration with the GOV004 revision
    docs/ci.md gives, committed on main and cloned, as the workflow's checkout is."""
    origin = tmp_path / "origin"
    shutil.copytree(REPO / "protocols", origin / "protocols")
    [gov004] = [block for block in _blocks("toml") if 'revision = "origin/main"' in block]
    config = (REPO / "protokit.toml").read_text("utf-8")
    (origin / "protokit.toml").write_text(f"{config}\n{gov004}", "utf-8")
    [pre_commit] = [yaml.safe_load(block) for block in _blocks("yaml") if "repos:" in block]
    (origin / ".pre-commit-config.yaml").write_text(yaml.safe_dump(pre_commit), "utf-8")
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-q", "-m", "the clinic's protocols")
    _git(tmp_path, "clone", "-q", str(origin), "clinic")
    return tmp_path / "clinic", pre_commit


def _workflow_steps() -> list[str]:
    [workflow] = [yaml.safe_load(block) for block in _blocks("yaml") if "jobs:" in block]
    steps = workflow["jobs"]["validate"]["steps"]
    return [step["run"] for step in steps if step.get("run", "").startswith("protokit ")]


def _batches(definition: dict, files: list[str], cores: int = 2) -> list[list[str]]:
    """The files of each process pre-commit starts for a hook: one process for a hook with
    `require_serial`; otherwise the files shared among the cores, at least 4 a process (on a
    2-core machine, 5 files already make two processes)."""
    if definition.get("require_serial") or not files:
        return [files]
    size = max(4, math.ceil(len(files) / cores))
    return [files[start : start + size] for start in range(0, len(files), size)]


def _hooks(pre_commit, changed: list[str]) -> list[tuple[str, list[str]]]:
    """Each hook the docs' configuration names, as pre-commit runs it on the changed files:
    one command per process it starts."""
    definitions = {
        hook["id"]: hook
        for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    }
    commands = []
    for hook in pre_commit["repos"][0]["hooks"]:
        definition = {**definitions[hook["id"]], **hook}
        exclude = definition.get("exclude")
        files = [
            name
            for name in changed
            if re.search(definition["files"], name) and not (exclude and re.search(exclude, name))
        ]
        command = shlex.split(definition["entry"])[1:] + definition.get("args", [])
        commands += [(hook["id"], command + batch) for batch in _batches(definition, files)]
    return commands


def test_the_workflow_and_the_hooks_pass_a_clinic_s_valid_protocols(tmp_path):
    clinic, pre_commit = _clinic_repository(tmp_path)
    steps = _workflow_steps()
    assert len(steps) == 2 and any("--format sarif" in step for step in steps)
    for step in steps:
        result = run_protokit(*shlex.split(step)[1:], cwd=clinic, env={"GITHUB_ACTIONS": "true"})
        assert result.code == 0, (step, result.stderr)
    sarif = json.loads((clinic / "protokit.sarif").read_text("utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    changed = _git(clinic, "ls-files").split()
    for hook, command in _hooks(pre_commit, changed):
        assert any(name.startswith("protocols/") for name in command), hook
        result = run_protokit(*command, cwd=clinic)
        assert result.code == 0, (hook, result.stderr)


def test_the_workflow_and_the_hook_fail_an_unsafe_change_where_it_is(tmp_path):
    clinic, pre_commit = _clinic_repository(tmp_path)
    changed = "protocols/psoas-stretch-glute-bridge.json"
    text = (clinic / changed).read_text("utf-8")
    (clinic / changed).write_text(text.replace('"sets": 2', '"sets": 40', 1), "utf-8")
    annotations, sarif_step = _workflow_steps()
    result = run_protokit(*shlex.split(annotations)[1:], cwd=clinic, env={"GITHUB_ACTIONS": "true"})
    assert result.code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    # The dose beyond the safe limit, and the content changed without a new version.
    assert {re.search(r"title=(\w+)", line).group(1) for line in errors} == {"DOSE001", "GOV004"}
    assert all(f"file={changed}," in line for line in errors)
    result = run_protokit(*shlex.split(sarif_step)[1:], cwd=clinic)
    assert result.code == 1
    results = json.loads((clinic / "protokit.sarif").read_text("utf-8"))["runs"][0]["results"]
    assert {r["ruleId"] for r in results if r["level"] == "error"} == {"DOSE001", "GOV004"}
    [(_, validate), _] = _hooks(pre_commit, [changed])
    result = run_protokit(*validate, cwd=clinic)
    assert result.code == 1 and "error DOSE001" in result.stdout


def test_a_configuration_error_is_said_once_by_each_hook(tmp_path):
    """A commit of many protocols while protokit.toml still has a TODO (as `protokit init`
    writes it): pre-commit printed the same error once per process it started for a hook."""
    clinic, pre_commit = _clinic_repository(tmp_path)
    config = (clinic / "protokit.toml").read_text("utf-8")
    name = re.search(r'^name = ".*"$', config, re.M).group(0)
    (clinic / "protokit.toml").write_text(config.replace(name, 'name = "TODO: your clinic"'))
    line = config[: config.index(name)].count("\n") + 1
    changed = [name for name in _git(clinic, "ls-files").split() if name.endswith(".json")]
    assert len(changed) >= 8  # enough for two processes a hook without require_serial
    said: dict[str, list[str]] = {}
    for hook, command in _hooks(pre_commit, changed):
        result = run_protokit(*command, cwd=clinic)
        assert result.code == 2, (hook, result.stderr)
        said.setdefault(hook, []).extend(result.stderr.splitlines())
    assert set(said) == {"protokit-validate", "protokit-fmt"}
    for hook, lines in said.items():
        assert lines == [f"protokit: error: protokit.toml:{line}:8: [clinic] name: still says "
                         "TODO: write your clinic's own details in its place"], hook  # fmt: skip


def test_the_changed_files_step_checks_only_what_a_pull_request_changed(tmp_path):
    """docs/ci.md's pull-request step, run by bash as GitHub runs it: the unsafe change fails
    the step and is the only file checked; a branch that changed no JSON file passes."""
    [step] = [
        yaml.safe_load(block)[0]["run"]
        for block in _blocks("yaml")
        if "xargs" in block and "jobs:" not in block
    ]
    clinic, _ = _clinic_repository(tmp_path)
    protokit = Path(sys.executable).parent / "protokit"  # the environment's, as pip installs it
    assert protokit.exists()
    script = step.replace("protokit validate", f"'{protokit}' validate")
    _git(clinic, "checkout", "-q", "-b", "change")
    (clinic / "notes.txt").write_text("no protocol changed\n", "utf-8")
    _git(clinic, "add", "-A")
    _git(clinic, "commit", "-q", "-m", "notes")
    quiet = subprocess.run(["bash", "-c", script], cwd=clinic, capture_output=True, text=True)
    assert (quiet.returncode, quiet.stdout) == (0, "")
    changed = "protocols/psoas-stretch-glute-bridge.json"
    text = (clinic / changed).read_text("utf-8")
    (clinic / changed).write_text(text.replace('"sets": 2', '"sets": 40', 1), "utf-8")
    _git(clinic, "commit", "-q", "-am", "more sets")
    done = subprocess.run(["bash", "-c", script], cwd=clinic, capture_output=True, text=True)
    assert done.returncode == 123  # xargs's status for protokit's 1, as the page says
    assert "error DOSE001" in done.stdout and "checked 1 file: 1 failed" in done.stderr


def test_the_hooks_leave_out_the_import_record_kept_in_version_control(tmp_path):
    """docs/bundles.md says to keep `bundle import`'s record (`.protokit/imports.json`) in
    version control with the protocols: committing it with a bundle imported into
    protocols/received failed the validate hook (SCHEMA001, no "$schema")."""
    from protocol_kit.bundle.provenance import record_path, records_json

    clinic, pre_commit = _clinic_repository(tmp_path)
    received = clinic / "protocols" / "received"
    record_path(received).parent.mkdir(parents=True)
    record_path(received).write_bytes(records_json({}))
    protocol = "protocols/psoas-stretch-glute-bridge.json"
    hooks = _hooks(pre_commit, ["protocols/received/.protokit/imports.json", protocol])
    assert [command[-1:] for _, command in hooks] == [[protocol]] * 2
    for hook, command in hooks:
        result = run_protokit(*command, cwd=clinic)
        assert result.code == 0, (hook, result.stdout, result.stderr)
