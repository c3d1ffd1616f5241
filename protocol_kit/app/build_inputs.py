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

import hashlib
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from protocol_kit.errors import InputError, ProtokitError

# What tells that a file was written or replaced: a rename gives another inode; a write in
# place, another digest of its bytes. The size and times are kept too, but they cannot be
# trusted alone: a filesystem that keeps times to the second or two (FAT, some network
# shares) or a kernel that keeps them to the clock tick gives the same times to a second write
# of the same size within that step (H1476), `touch -r` sets the modification time back, and
# where there is no change time (Windows' `st_ctime` is the creation time; FAT; some FUSE
# filesystems) an older file written in place and set back had the state it had (H1612).
FileState = tuple[int, int, int, int, str | None]


def file_state(path: str, with_digest: bool = True) -> FileState | None:
    """The state of the file at `path` now, or None when it cannot be looked at; its digest
    (of a regular file) when `with_digest`."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    digest = _digest(path) if with_digest and stat.S_ISREG(status.st_mode) else None
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns, digest)


def _digest(path: str) -> str:
    """A digest of the file's bytes ("" when it cannot be read: not the digest of any)."""
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
    except (OSError, ValueError):
        return ""
    return digest.hexdigest()


def states_of(paths: Iterable[str]) -> dict[str, FileState | None]:
    """Each file's state, by its absolute path, taken before the files are checked."""
    return {os.path.abspath(path): file_state(path) for path in paths}


def states_with_libraries(
    files: Iterable[str], library_dirs: Iterable[Path]
) -> dict[str, FileState | None]:
    """`states_of` the files and of every file of the library folders they use (`--library`,
    the configuration's, a `library/` above them), by the path the checks read each from:
    a library folder that is a link, or outside the paths given, is read by the checks as
    much as one under them (H1477)."""
    from protocol_kit.library import Library
    from protocol_kit.untrusted.files import files_under

    library = Library(None, extra_dirs=library_dirs)
    folders: dict[Path, None] = {}
    every = []
    for path in files:
        every.append(path)
        folders.update(dict.fromkeys(library.dirs_near(path)))
    for folder in folders:
        try:
            every += files_under(folder, ".json")
        except (OSError, InputError):  # (the checks say it)
            continue
    return states_of(every)


SHEET_NOT_MADE = "its sheet was not made, as it would print what the checks never saw"


def refuse_changed(
    inputs: Iterable[tuple[str, str | None]],
    checked: Mapping[str, FileState | None],
    not_made: str = SHEET_NOT_MADE,
) -> None:
    """ProtokitError when one of `inputs` (what it is, path) that the build checked is not as
    it was before the checks: its sheet would print what the checks never saw. A file the
    build did not check (a picture) is not looked at here."""
    for what, path in inputs:
        if path is None:
            continue
        key = os.path.abspath(path)
        if key not in checked:
            continue
        before = checked[key]
        # (the digest compared when one was taken before: the file was written just then)
        now = file_state(path, with_digest=before is not None and before[4] is not None)
        if now != before:
            raise ProtokitError(
                f"{what} {path} changed while the build ran, after it was checked: {not_made}; "
                "run protokit build again"
            )
