"""The installed version of a distribution, from the name of its `.dist-info` folder
(`NAME-VERSION.dist-info`, as installers name it), found without importing
importlib.metadata: its import and its search of every folder of the path cost a one-file
`protokit validate` more than its checks. protokit's own version (`protocol_kit.__version__`)
is read this way, and the versions that name cache files (`cache.package_version`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator


def dist_info_version(distribution: str, beside: Iterable[str]) -> str:
    """The installed version of `distribution`, whose `.dist-info` folder is looked for in
    the folders `beside` (the folder holding its package), then in the site-packages folders
    (an editable install, `pip install -e .`, keeps its package in the source tree). Anything
    unusual (no such folder, several, an installation without one) is left to
    importlib.metadata."""
    prefix = distribution.replace("-", "_").replace(".", "_").lower() + "-"
    for folder in _folders(beside):
        try:
            found = [
                name[len(prefix) : -len(".dist-info")]
                for name in _listing(folder)
                if name.lower().startswith(prefix) and name.endswith(".dist-info")
            ]
        except OSError:
            continue
        if len(found) == 1 and found[0]:
            return found[0]
        if found:
            break  # several installed over one another: importlib.metadata's to tell
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        # Not installed at all: a source checkout run as `PYTHONPATH=. python -m protocol_kit`
        # still says its version, read from the pyproject.toml beside its package.
        found = _source_tree_version(distribution, beside)
        if found is None:
            raise
        return found


# Each folder's names, listed once a process: a one-file `protokit validate` asks for the
# versions of up to eight distributions in one site-packages folder (protokit's own, the
# schema engine's, the pattern engine's, those the lint's kept answers are labelled with),
# each a listing of its hundreds of names (issue 17, thirty-fifth sitting). The versions of a
# process's libraries are those it found first: a library imported is not imported again.
_LISTED: dict[str, list[str]] = {}


def _listing(folder: str) -> list[str]:
    if folder not in _LISTED:
        _LISTED[folder] = os.listdir(folder)
    return _LISTED[folder]


def _source_tree_version(distribution: str, beside: Iterable[str]) -> str | None:
    """The version in a `pyproject.toml` of one of the folders `beside` that declares
    `distribution`, or None."""
    from protocol_kit.errors import ConfigError
    from protocol_kit.tomlfile import parse_toml

    for folder in beside:
        path = os.path.join(folder, "pyproject.toml")
        try:
            with open(path, encoding="utf-8") as handle:
                project = parse_toml(handle.read(), path, ConfigError).get("project", {})
        except (OSError, UnicodeDecodeError, ConfigError):
            continue
        if project.get("name") == distribution and isinstance(project.get("version"), str):
            return project["version"]
    return None


def _folders(beside: Iterable[str]) -> Iterator[str]:
    """`beside`, then the site-packages folders as `site` set them up (none under `python
    -S`), asked for only when needed; not every folder of the path: under `python -m` its
    first is the current folder, which may hold thousands of protocols."""
    yield from beside
    site = sys.modules.get("site")
    if site is not None:
        yield from site.getsitepackages()
        yield site.getusersitepackages()
