"""Data files shipped inside protocol-kit's packages (red-flag sets, vocabularies, word lists).

`read_text` reads them straight from the package's folder, as an installed package holds them.
`importlib.resources` would give the same text, and is still used for a package that is not a
folder (installed in a zip file); importing it costs a one-file `protokit validate` about as
much as some of its checks (it brings in tempfile, shutil and the compression modules).
"""

from __future__ import annotations

import importlib
import os
import sys


def read_text(package: str, name: str) -> str:
    """The UTF-8 text of the data file `name` (a '/'-separated path) in `package`."""
    module = sys.modules.get(package) or importlib.import_module(package)
    for folder in getattr(module, "__path__", ()):
        path = os.path.join(folder, *name.split("/"))
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                return handle.read()
    from importlib.resources import files

    return files(package).joinpath(name).read_text(encoding="utf-8")
