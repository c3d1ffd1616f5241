"""How far up protokit looks from a folder for what a project holds: its `protokit.toml` or
`[tool.protokit]`, its `library/` folders, a prescription's protocol.

Up to the top of the file system, or to (not into) the nearest folder named in
$PROTOKIT_CEILING_DIRECTORIES, as git's GIT_CEILING_DIRECTORIES: a test suite, or a build that
unpacks protocols into a temporary folder, says where its project ends, so that a protokit.toml,
a library/ folder or protocols someone left above it (in /tmp, in a home folder) are not read as
its own. Without the variable nothing changes: a clinic's protokit.toml above its protocols is
found as before.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

CEILING_VARIABLE = "PROTOKIT_CEILING_DIRECTORIES"


def folders_upwards(start: Path) -> list[Path]:
    """`start` and the folders above it, nearest first, stopping below a ceiling. `start`
    itself is searched even when it is a ceiling (a command run there is in its project),
    and nothing above it then."""
    ceilings = _ceilings(os.environ.get(CEILING_VARIABLE, ""))
    folders = [start]
    if start in ceilings:
        return folders
    for above in start.parents:
        if above in ceilings:
            break
        folders.append(above)
    return folders


@functools.lru_cache(maxsize=4)
def _ceilings(named: str) -> frozenset[Path]:
    """The folders named (separated by os.pathsep; relative names and empty entries are
    ignored, as git does), each as written and resolved, since callers walk up from either."""
    names = [name for name in named.split(os.pathsep) if os.path.isabs(name)]
    folders = [Path(os.path.abspath(name)) for name in names]
    return frozenset([*folders, *(folder.resolve() for folder in folders)])
