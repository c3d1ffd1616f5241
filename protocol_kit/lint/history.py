"""A file's committed content at a git revision, for the version-not-bumped rule.

One `git cat-file --batch` process per repository per run (per worker process for large runs)
answers every file, instead of one `git` process per file. Outside a git repository, without
git, or for a file git does not know, the answer is None and the rule stays silent.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
from pathlib import Path
from typing import Any


class GitHistory:
    def __init__(self) -> None:
        self._roots: dict[str, Path | None] = {}
        self._batches: dict[Path, subprocess.Popen | None] = {}

    def previous(self, path: str, revision: str) -> dict[str, Any] | None:
        """The JSON object `path` held at `revision`, or None."""
        if path == "-" or "\n" in path or "\n" in revision:
            return None
        absolute = os.path.abspath(path)
        root = self._root_of(os.path.dirname(absolute))
        if root is None:
            return None
        batch = self._batch(root)
        if batch is None:
            return None
        relative = Path(absolute).relative_to(root).as_posix()
        try:
            assert batch.stdin is not None and batch.stdout is not None
            batch.stdin.write(f"{revision}:{relative}\n".encode())
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                return None  # "<name> missing": not in that revision
            content = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)  # the newline after each object
        except (OSError, ValueError):
            self._batches[root] = None
            return None
        try:
            data = json.loads(content)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _root_of(self, folder: str) -> Path | None:
        """The repository holding `folder` (an absolute path), worked out once per folder."""
        if folder not in self._roots:
            path = Path(folder)
            self._roots[folder] = next(
                (f for f in (path, *path.parents) if (f / ".git").exists()), None
            )
        return self._roots[folder]

    def _batch(self, root: Path) -> subprocess.Popen | None:
        if root not in self._batches:
            try:
                process = subprocess.Popen(
                    ["git", "-C", str(root), "cat-file", "--batch"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except OSError:
                process = None
            else:
                atexit.register(_close, process)
            self._batches[root] = process
        return self._batches[root]


def _close(process: subprocess.Popen) -> None:
    if process.stdin:
        process.stdin.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
