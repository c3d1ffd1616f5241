"""What every hostile input must get, whatever the command: a clear refusal.

`assert_refused` checks the promise of issue 18 for one run: exit 1 or 2, a line that names the
file (with its line and column when asked), no traceback and no "internal error", every line of
output one line of visible text, and (with `folder` and its snapshot) the folder unchanged. The
time limit is the harness's own (`conftest.HANG_SECONDS`): it catches hangs, it times nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

from conftest import Result

# What a terminal would act on, or a reader would not see, in a line of output.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e]")


def state(folder: Path) -> dict[str, tuple[str, bytes | None]]:
    """Every name under `folder` with its kind and bytes: what "unchanged" compares."""
    found: dict[str, tuple[str, bytes | None]] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = ("link", str(path.readlink()).encode())
        elif path.is_dir():
            found[name] = ("dir", None)
        elif path.is_file():
            found[name] = ("file", path.read_bytes())
        else:
            found[name] = ("special", None)
    return found


def assert_clean_output(result: Result) -> None:
    """No traceback, no internal error, no line broken or forged by what a file holds."""
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    assert "internal error" not in both, both
    for line in both.splitlines():
        assert not _CONTROL.search(line), f"an unescaped control character in: {line!r}"


def assert_refused(
    result: Result,
    name: str | Path,
    *,
    located: bool = False,
    folder: Path | None = None,
    before: dict | None = None,
) -> None:
    """The run refused its input in the way every hostile input must be refused."""
    assert result.code in (1, 2), (result.code, result.stdout, result.stderr)
    assert_clean_output(result)
    shown = str(name)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if shown in line]
    assert lines, f"no line names {shown}: {result.stdout!r} {result.stderr!r}"
    if located:
        pattern = re.compile(re.escape(shown) + r":\d+:\d+")
        assert any(pattern.search(line) for line in lines), lines
    if folder is not None:
        assert state(folder) == before, "the folder changed"
    errors = [line for line in result.stderr.splitlines() if line.startswith("protokit: error")]
    assert len(errors) <= 1, errors


class NoChangeTimes:
    """`os` as a module sees it on a file system with no change time of its own (Windows'
    `st_ctime` is the creation time; FAT; some FUSE file systems): the change time is the
    modification time."""

    def __getattr__(self, name):  # noqa: ANN001, ANN204
        return getattr(os, name)

    @staticmethod
    def _without_change_time(real):  # noqa: ANN001, ANN205
        return SimpleNamespace(
            st_dev=real.st_dev,
            st_ino=real.st_ino,
            st_size=real.st_size,
            st_mode=real.st_mode,
            st_mtime_ns=real.st_mtime_ns,
            st_ctime_ns=real.st_mtime_ns,
        )

    def stat(self, path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        return self._without_change_time(os.stat(path, *args, **kwargs))

    def lstat(self, path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        return self._without_change_time(os.lstat(path, *args, **kwargs))
