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
