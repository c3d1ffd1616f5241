"""Where a report says a file is: relative to the project's root, as code-review tools expect.

GitHub places an annotation, and code scanning a SARIF result, by the path from the root of
the repository; a path relative to the current folder is misplaced when protokit runs in a
subfolder. The root is the git repository that holds the current folder, or the current folder
outside git. A file outside the root keeps its absolute path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProjectRoot:
    path: Path  # absolute
    in_git: bool

    def relative(self, path: str) -> str | None:
        """`path` relative to the root, with forward slashes, or None when outside it."""
        absolute = os.path.abspath(path)
        try:
            relative = os.path.relpath(absolute, self.path)
        except ValueError:  # another drive on Windows
            return None
        if (
            relative == os.curdir
            or relative.startswith(os.pardir + os.sep)
            or relative == os.pardir
        ):
            return None
        return Path(relative).as_posix()

    def shown(self, path: str) -> str:
        """The path for an annotation: from the root when inside it, else absolute."""
        relative = self.relative(path)
        return relative if relative is not None else os.path.abspath(path)


def readable(path: str) -> str:
    """A path as text any output can hold: bytes of a file name that are not UTF-8 (kept by
    Python as lone surrogates) shown as `\\xNN`, never dropped or replaced."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def uri_path(path: str) -> str:
    """A relative path percent-encoded for a URI, byte for byte."""
    from urllib.parse import quote

    return quote(os.fsencode(path))


def project_root(cwd: str | None = None) -> ProjectRoot:
    """The git repository holding `cwd` (default: the current folder), else `cwd` itself."""
    start = Path(os.path.abspath(cwd or os.getcwd()))
    for folder in (start, *start.parents):
        if (folder / ".git").exists():  # a folder, or a file in a worktree or submodule
            return ProjectRoot(folder, True)
    return ProjectRoot(start, False)
