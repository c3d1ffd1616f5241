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
    """The UTF-8 text of the data file `name` (a '/'-separated path) in `package`.
    DamagedInstallation, naming the file, when it is missing or cannot be read as text."""
    path = _path(package, name)
    with shipped_file(path or where(package, name)):
        if path is not None:
            with open(path, encoding="utf-8") as handle:
                return handle.read()
        from importlib.resources import files

        return files(package).joinpath(name).read_text(encoding="utf-8")


def read_json(package: str, name: str, kept: bool = True) -> Any:
    """`json.loads(read_text(package, name))`: the decoded value is kept between runs while
    the file is unchanged (`package_data.kept`), and each call gets a copy of its own; not
    kept when not `kept` (a file a one-file `validate` never reads: every run reads the kept
    values' file at its start). DamagedInstallation, naming the file, when it is missing or
    not JSON."""
    path = _path(package, name)
    if path is not None and kept:
        from protocol_kit.package_data.kept import read_json_file

        with shipped_file(path):
            return read_json_file(path)
    import json

    text = read_text(package, name)
    with shipped_file(where(package, name)):
        return json.loads(text)


def read_toml(package: str, name: str) -> dict[str, Any]:
    """The table of the TOML data file `name` in `package`; DamagedInstallation, naming the
    file and the place, when it is missing or not TOML."""
    from protocol_kit.errors import DamagedInstallation
    from protocol_kit.tomlfile import parse_toml

    return parse_toml(read_text(package, name), where(package, name), DamagedInstallation)


class shipped_file:  # noqa: N801 (used as a `with` statement's function)
    """`with shipped_file(path):` around reading the file at `path` that protocol-kit ships
    (a data file, a schema): a file missing, unreadable, not UTF-8 or not JSON is
    DamagedInstallation naming it, one line that says to reinstall, not an internal error (an
    installation cut short by a full disk, a file changed by hand in site-packages). A class,
    not contextlib's decorator: a one-file `protokit validate` does not import contextlib."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: Any, traceback: Any) -> None:
        if error is None:
            return
        said = _damage(error)
        if said is not None:
            line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
            raise damaged(self.path, said, line, column) from None


def damaged(
    path: str | os.PathLike[str], said: str, line: int | None = None, column: int | None = None
) -> Exception:
    """DamagedInstallation: the shipped file at `path` (at `line` and `column`) is damaged,
    `said` saying how."""
    from protocol_kit.errors import DamagedInstallation, Place
    from protocol_kit.untrusted.text import printable

    return DamagedInstallation.at(Place(printable(os.fspath(path)), line, column), said)


def _damage(error: BaseException) -> str | None:
    """What is wrong with a shipped file that reading it raised `error` for, in words; None
    for an error that does not say the file is damaged (an interrupt)."""
    if isinstance(error, FileNotFoundError):
        return "it is missing"
    if isinstance(error, UnicodeDecodeError):
        return f"byte {error.start + 1} is not UTF-8 text"
    if isinstance(error, ValueError):  # json.JSONDecodeError: its line and column kept
        return f"not JSON: {getattr(error, 'msg', error)}"
    if isinstance(error, RecursionError):
        return "not JSON: nested deeper than any file of protocol-kit"
    if isinstance(error, OSError):
        return f"it cannot be read: {error.strerror or error}"
    return None


def where(package: str, name: str) -> str:
    """Where the data file `name` of `package` is (or would be, when it is missing)."""
    folders = _folders(package)
    return os.path.join(folders[0], *name.split("/")) if folders else f"{package}/{name}"


def _path(package: str, name: str) -> str | None:
    """The file `name` in `package`'s folder, or None (a package inside a zip file)."""
    for folder in _folders(package):
        path = os.path.join(folder, *name.split("/"))
        if os.path.isfile(path):
            return path
    return None


def _folders(package: str) -> list[str]:
    """The folders of `package` (none for a package inside a zip file)."""
    module = sys.modules.get(package) or import_module(package)
    return list(getattr(module, "__path__", ()))
