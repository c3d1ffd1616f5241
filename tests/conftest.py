"""Shared helpers: run the real `protokit` command, and paths to the repository's files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROTOCOLS = REPO / "protocols"
CASES = Path(__file__).resolve().parent / "cases"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_protokit(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    prefix: Sequence[str] = (),
) -> Result:
    """Run `python -m protocol_kit ARGS` as a user would, in a clean environment; `prefix` is
    a command that runs it (as another user, for example)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    environment.update(env or {})
    completed = subprocess.run(
        [*prefix, sys.executable, "-m", "protocol_kit", *args],
        cwd=cwd or REPO,
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=120,
    )
    return Result(
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture
def protokit():
    return run_protokit


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the slow checks that run in a process of their own, so that they run beside the
    other tests (their tests wait for them)."""
    if any("test_fhircraft_with_its_invariants" in item.nodeid for item in session.items):
        from fhir_helpers import fhircraft_run  # tests/fhir is importable once collected

        fhircraft_run()


@dataclass(frozen=True)
class NodeTools:
    """The validators of tests/tools/package.json, installed once per test run."""

    folder: Path
    node: str

    @property
    def modules(self) -> Path:
        return self.folder / "node_modules"

    def run(self, script: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        """Run a script of tests/tools/ where it finds the installed packages."""
        return subprocess.run(
            [self.node, str(self.folder / script.name), *args],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@pytest.fixture(scope="session")
def node_tools(tmp_path_factory) -> NodeTools:
    import shutil

    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        pytest.skip("Node.js is not installed (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("node-tools")
    for source in (REPO / "tests" / "tools").iterdir():
        shutil.copy(source, folder / source.name)
    npm_install(npm, folder)
    return NodeTools(folder, node)


def npm_install(npm: str, folder: Path) -> None:
    """Install the packages of `folder/package.json` there, from the npm registry."""
    installed = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert installed.returncode == 0, installed.stderr
