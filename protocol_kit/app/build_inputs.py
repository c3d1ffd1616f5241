"""The files a build checks, as they were before it checked them: a sheet is made only from
files that have not changed since.

`build` validates every file (the clinical safety rules included), then makes the sheets in
worker processes that read each protocol again and check it again without the lint (the run
ran it). A protocol or library file saved by an editor, `git pull` or a script in between was
printed unchecked by the safety rules: a sheet without the red flags its condition needs, in a
build whose report said the file was valid (H1421). Each file's state is taken before the
checks read it, and compared when its sheet is about to be written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from protocol_kit.errors import ProtokitError

# What tells that a file was written or replaced: a rename gives another inode, a write in
# place another size or change time (which no program can set back).
FileState = tuple[int, int, int, int]


def file_state(path: str) -> FileState | None:
    """The state of the file at `path` now, or None when it cannot be looked at."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def states_of(paths: Iterable[str]) -> dict[str, FileState | None]:
    """Each file's state, by its absolute path, taken before the files are checked."""
    return {os.path.abspath(path): file_state(path) for path in paths}


def refuse_changed(
    inputs: Iterable[tuple[str, str | None]], checked: Mapping[str, FileState | None]
) -> None:
    """ProtokitError when one of `inputs` (what it is, path) that the build checked is not as
    it was before the checks: its sheet would print what the checks never saw. A file the
    build did not check (a library folder outside the paths given, a picture) is not looked
    at here."""
    for what, path in inputs:
        if path is None:
            continue
        key = os.path.abspath(path)
        if key in checked and file_state(path) != checked[key]:
            raise ProtokitError(
                f"{what} {path} changed while the build ran, after it was checked: its sheet "
                "was not made, as it would print what the checks never saw; run protokit "
                "build again"
            )
