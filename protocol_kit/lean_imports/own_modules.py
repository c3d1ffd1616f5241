"""protocol-kit's own modules found and loaded by the short way (issue 17).

Python's import system finds a module of a package by asking each finder on `sys.meta_path`
in turn, then the path finder's cached finder of the package's folder, which lists the
folder, tries every suffix and builds a spec; its loader then works out the bytecode file's
name (`cache_from_source`), reads it and checks its header: about 300,000 instructions a
module, of which 85,000 are in the finding and the names. A one-file `protokit validate`
imports some 140 of the package's modules, so that was about 12 million instructions (4 %
of the run) spent on questions whose answer is the same every time.

`OwnModules`, first on `sys.meta_path` (`install`), answers for a submodule of a package of
protocol_kit's own that lies in one plain folder: `NAME/__init__.py` (a package), else
`NAME.py`, the order in which the path finder takes them. The loader is the standard
`SourceFileLoader`, told the bytecode file's name (what `cache_from_source` gives without an
optimisation level); the bytecode is used only when its header says what
the standard loader checks (magic number, checked by time, the source's time and size),
else the standard loader's `get_code` does everything, as always (compiles, writes the file,
honours `sys.dont_write_bytecode`). Anything else (a zipped or frozen install, a folder
with several portions, an extension module, another optimisation level, a relative folder)
is left to the import system: `find_spec` says None.
"""

from __future__ import annotations

import _imp
import marshal
import os
import sys

# The import system's own classes, as `importlib.machinery` and `importlib.util` re-export
# them: importing those two modules cost 16 million instructions, more than this saves. Taken
# from its modules as the interpreter starts with them (`importlib._bootstrap` and
# `_bootstrap_external` are these): the `importlib` package imports `warnings` (issue 17).
from _frozen_importlib import ModuleSpec
from _frozen_importlib_external import MAGIC_NUMBER, SourceFileLoader
from stat import S_ISREG

_PACKAGE = "protocol_kit."
_Module = type(sys)
_TAG = sys.implementation.cache_tag
# The header of a bytecode file checked by the source's time and size (PEP 552 flags 0).
_HEADER = MAGIC_NUMBER + bytes(4)
# Read by its descriptor, in one call: a buffered file object asked the system whether the
# file is a terminal and where it stood (an `ioctl` and two `lseek`s a module), and made
# its buffer: about 1.5 million instructions of a one-file `protokit validate` (issue 17).
_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)


class _Loader(SourceFileLoader):
    """The standard loader, reading a current bytecode file without the detours."""

    def __init__(self, fullname: str, path: str, cached: str, status: os.stat_result) -> None:
        super().__init__(fullname, path)
        self._cached = cached
        # The source's status as `find_spec` found it, for the import that follows at once:
        # stat'ing it again cost a one-file run 143 system calls and status objects (about
        # 1 million instructions). Used once: a later call (inspect, a debugger) looks again.
        self._status: os.stat_result | None = status

    def create_module(self, spec: ModuleSpec):  # noqa: ANN201 (a module)
        """The new module with the names the import system gives it from `spec` that it
        first asks the module for (`_init_module_attrs`: `__file__`, `__cached__` and, for a
        package, `__path__`). Each of those asked of a module without it raised and formatted
        an AttributeError three times over (the module's own, and its spec's
        `_initializing` looked for on the way): about 3.6 million instructions of a one-file
        run with `find_spec`'s `_initializing` (issue 17). A plain module is never given a
        `__path__`: it would make it a package."""
        module = _Module(spec.name)
        module.__file__ = spec.origin
        module.__cached__ = spec.cached
        if spec.submodule_search_locations is not None:
            module.__path__ = spec.submodule_search_locations
        return module

    def get_code(self, fullname: str | None = None):  # noqa: ANN201 (a code object)
        status, self._status = self._status, None
        try:
            if status is None:
                status = os.stat(self.path)
            descriptor = os.open(self._cached, _READ)
        except OSError:
            return super().get_code(fullname)
        try:
            # A file that shrank since is read short: its code then fails to load below.
            data = os.read(descriptor, os.fstat(descriptor).st_size)
        except OSError:
            return super().get_code(fullname)
        finally:
            os.close(descriptor)
        if (
            data[:8] == _HEADER
            and int.from_bytes(data[8:12], "little") == int(status.st_mtime) & 0xFFFFFFFF
            and int.from_bytes(data[12:16], "little") == status.st_size & 0xFFFFFFFF
        ):
            try:
                code = marshal.loads(memoryview(data)[16:])
            except (EOFError, ValueError, TypeError):
                return super().get_code(fullname)  # a damaged file: written again
            _imp._fix_co_filename(code, self.path)  # as the standard loader does
            return code
        return super().get_code(fullname)


class OwnModules:
    """A finder on `sys.meta_path` for protocol_kit's own submodules (see the module)."""

    @staticmethod
    def find_spec(name: str, path: list[str] | None, target: object = None) -> ModuleSpec | None:
        if path is None or len(path) != 1 or not name.startswith(_PACKAGE):
            return None
        folder = path[0]
        if not folder.startswith("/") or folder.endswith("/"):
            return None  # named otherwise than the path finder names its files
        tail = name.rpartition(".")[2]
        package = f"{folder}/{tail}"
        source = f"{package}/__init__.py"
        status = _regular_file(source)
        if status is not None:
            cached = _bytecode_file(package, "__init__")
            loader = _Loader(name, source, cached, status)
            spec = ModuleSpec(name, loader, origin=source, is_package=True)
            spec.submodule_search_locations = [package]
        else:
            source = f"{package}.py"
            status = _regular_file(source)
            if status is None:
                return None  # anything else is the import system's
            cached = _bytecode_file(folder, tail)
            spec = ModuleSpec(name, _Loader(name, source, cached, status), origin=source)
        spec.has_location = True
        spec.cached = cached
        # What the import system sets to True while it runs the module: looked for (and
        # missing, an AttributeError formatted) at each name the new module is asked for.
        spec._initializing = False
        return spec


def _regular_file(path: str) -> os.stat_result | None:
    """The status of the regular file at `path` (what `os.path.isfile` asks), else None."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status if S_ISREG(status.st_mode) else None


def _bytecode_file(folder: str, stem: str) -> str:
    """The bytecode file of `folder`/`stem`.py, as `importlib.util.cache_from_source` names
    it (`folder` absolute): beside it in `__pycache__`, or under `sys.pycache_prefix` by the
    folder's whole path."""
    prefix = sys.pycache_prefix
    if prefix is None:
        return f"{folder}/__pycache__/{stem}.{_TAG}.pyc"
    return f"{prefix.rstrip('/')}{folder}/{stem}.{_TAG}.pyc"


def install() -> None:
    """`OwnModules` first on `sys.meta_path`, where its answers are the path finder's: a
    POSIX system that tells names apart by case (not macOS, not Windows), bytecode beside
    the sources or under an absolute `PYTHONPYCACHEPREFIX`, no optimisation level. Once."""
    prefix = sys.pycache_prefix
    if (
        os.name != "posix"
        or sys.platform == "darwin"
        or (prefix is not None and not (prefix.startswith("/") and prefix.strip("/")))
        or sys.flags.optimize
        or not _TAG
        or OwnModules in sys.meta_path
    ):
        return
    sys.meta_path.insert(0, OwnModules)
