"""The pre-commit hook shows the warnings of a commit that passes (H1198).

pre-commit prints a hook's output only when the hook fails, unless the hook is `verbose`
(pre-commit's documentation, "Creating new hooks": "verbose ... forces the output of the hook
to be printed even when the hook passes"). Walked with a real `pre-commit install` (4.7.0) in
a scratch repository, the hook's repository a local clone of protocol-kit: a commit of a
protocol with 24 starting texts never reviewed said "protokit validate....Passed" and
nothing else. pre-commit itself is not a test dependency: the hook is run as pre-commit runs
it (tests/test_ci_docs.py)."""

from __future__ import annotations

import json
import shlex
import shutil

import yaml

from conftest import REPO, run_protokit

PROTOCOL = "protocols/psoas-stretch-glute-bridge.json"


def _hook(hook_id: str) -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = [hook for hook in hooks if hook["id"] == hook_id]
    return hook


def test_the_validate_hook_shows_the_warnings_of_a_commit_that_passes(tmp_path):
    hook = _hook("protokit-validate")
    # pre-commit shows what the hook printed, though it passed, only for a verbose hook.
    assert hook.get("verbose") is True
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    shutil.copy(REPO / "protokit.toml", tmp_path / "protokit.toml")
    changed = tmp_path / PROTOCOL
    data = json.loads(changed.read_text("utf-8"))
    data["exercises"][0]["dosage"]["sets"] = 8  # beyond the usual range, within the safe limit
    changed.write_text(json.dumps(data, indent=2), "utf-8")
    command = shlex.split(hook["entry"])[1:] + hook["args"] + [PROTOCOL]
    result = run_protokit(*command, cwd=tmp_path)
    assert result.code == 0, result.stdout  # the commit goes through...
    assert "warning DOSE002" in result.stdout  # ...and the hook said why to look again


def test_the_fmt_hook_stays_quiet_when_it_passes():
    # It has no warnings to show: a passing layout check has nothing to say.
    assert not _hook("protokit-fmt").get("verbose")
