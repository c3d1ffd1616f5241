"""Data files shipped inside protocol-kit's packages (red-flag sets, vocabularies, word lists).

`read_text` reads them straight from the package's folder, as an installed package holds them.
`importlib.resources` would give the same text, and is still used for a package that is not a
folder (installed in a zip file); importing it costs a one-file `protokit validate` about as
much as some of its checks (it brings in tempfile, shutil and the compression modules).
"""

from __future__ import annotations

import os
import sys

from protocol_kit.lean_imports import TYPE_CHECKING, import_module

if TYPE_CHECKING:
    from typing import Any


def read_text(package: str, name: str) -> str:
    """The UTF-8 text of the data file `name` (a '/'-separated path) in `package`."""
    path = _path(package, name)
    if path is not None:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    from importlib.resources import files

    return files(package).joinpath(name).read_text(encoding="utf-8")


def read_json(package: str, name: str) -> Any:
    """`json.loads(read_text(package, name))`: the decoded value is kept between runs while
    the file is unchanged (`package_data.kept`), and each call gets a copy of its own."""
    path = _path(package, name)
    if path is not None:
        from protocol_kit.package_data.kept import read_json_file

        return read_json_file(path)
    import json

    return json.loads(read_text(package, name))


def _path(package: str, name: str) -> str | None:
    """The file `name` in `package`'s folder, or None (a package inside a zip file)."""
    module = sys.modules.get(package) or import_module(package)
    for folder in getattr(module, "__path__", ()):
        path = os.path.join(folder, *name.split("/"))
        if os.path.isfile(path):
            return path
    return None
