"""protocol_kit's own modules found and loaded by the short way
(protocol_kit/lean_imports/own_modules.py, H763): the same modules, names and files as the
import system's path finder gives, and never a bytecode file older than its source."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.machinery import SourceFileLoader

import pytest

from protocol_kit.lean_imports import own_modules

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("prefix", [None, "bytecode"])
def test_the_command_loads_its_modules_as_the_path_finder_finds_them(prefix, tmp_path):
    code = (
        "import importlib.machinery, inspect, sys\n"
        "import protocol_kit.cli.main\n"
        "import protocol_kit.lint.engine, protocol_kit.lint.rules\n"
        "import protocol_kit.lean_imports.dates\n"
        "for name in ('protocol_kit.lint.engine', 'protocol_kit.lint.rules',"
        " 'protocol_kit.lean_imports.dates'):\n"
        "    module = sys.modules[name]\n"
        "    parent = sys.modules[name.rpartition('.')[0]]\n"
        "    plain = importlib.machinery.PathFinder.find_spec(name, parent.__path__)\n"
        "    spec = module.__spec__\n"
        "    print(type(module.__loader__).__name__, module.__file__ == plain.origin,\n"
        "          module.__cached__ == plain.cached, spec.parent == plain.parent,\n"
        "          spec.submodule_search_locations == plain.submodule_search_locations,\n"
        "          getattr(module, '__path__', None) == plain.submodule_search_locations,\n"
        "          inspect.getsource(module) == open(module.__file__, encoding='utf-8').read())\n"
    )
    env = {**os.environ}
    if prefix is not None:  # bytecode kept out of the sources' folders (the benchmarks do)
        env["PYTHONPYCACHEPREFIX"] = str(tmp_path / prefix)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["_Loader True True True True True True"] * 3


@pytest.fixture
def bytecode_written(monkeypatch):
    # The suite runs with PYTHONDONTWRITEBYTECODE; a user's runs write bytecode files.
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def _value(tmp_path) -> object:
    spec = own_modules.OwnModules.find_spec("protocol_kit.fake", [str(tmp_path)])
    namespace: dict[str, object] = {}
    exec(spec.loader.get_code("protocol_kit.fake"), namespace)
    return namespace["X"]


def test_a_changed_source_is_never_run_from_its_old_bytecode(tmp_path, bytecode_written):
    source = tmp_path / "fake.py"
    source.write_text("X = 1\n")
    assert _value(tmp_path) == 1
    cached = tmp_path / "__pycache__" / f"fake.{sys.implementation.cache_tag}.pyc"
    assert cached.is_file()  # written by the standard loader, read the short way next
    assert _value(tmp_path) == 1
    source.write_text("X = 22\n")  # another size
    assert _value(tmp_path) == 22
    before = os.stat(source).st_mtime
    source.write_text("X = 33\n")  # the same size, another time
    os.utime(source, (before + 10, before + 10))
    assert _value(tmp_path) == 33
    # A damaged bytecode file whose header still fits the source: what the standard loader
    # does with it (it raises), not a module made from part of it.
    data = cached.read_bytes()
    cached.write_bytes(data[:20])
    with pytest.raises(EOFError):
        SourceFileLoader("protocol_kit.fake", str(source)).get_code("protocol_kit.fake")
    with pytest.raises(EOFError):
        _value(tmp_path)
    # Another header (a hash-checked bytecode file): the standard loader's to read.
    cached.write_bytes(data[:4] + b"\x01" + data[5:])
    assert _value(tmp_path) == 33


def test_a_loader_asked_again_looks_at_the_source_again(tmp_path, bytecode_written):
    # `find_spec`'s look at the source serves the import that follows it, once: a later
    # `get_code` (inspect, a debugger) sees a source changed since.
    source = tmp_path / "fake.py"
    source.write_text("X = 1\n")
    assert _value(tmp_path) == 1  # bytecode written
    spec = own_modules.OwnModules.find_spec("protocol_kit.fake", [str(tmp_path)])
    namespace: dict[str, object] = {}
    exec(spec.loader.get_code("protocol_kit.fake"), namespace)
    assert namespace["X"] == 1
    source.write_text("X = 22\n")
    exec(spec.loader.get_code("protocol_kit.fake"), namespace)
    assert namespace["X"] == 22


def test_anything_else_is_left_to_the_import_system(tmp_path):
    (tmp_path / "fake.py").write_text("X = 1\n")
    find = own_modules.OwnModules.find_spec
    assert find("other.fake", [str(tmp_path)]) is None
    assert find("protocol_kit.fake", None) is None
    assert find("protocol_kit.fake", [str(tmp_path), str(tmp_path)]) is None
    assert find("protocol_kit.missing", [str(tmp_path)]) is None
    assert find("protocol_kit.fake", [str(tmp_path)]).submodule_search_locations is None
    # A package and a module of one name: the package, as the path finder takes it.
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "__init__.py").write_text("X = 2\n")
    spec = find("protocol_kit.fake", [str(tmp_path)])
    assert spec.submodule_search_locations == [str(tmp_path / "fake")]
    assert spec.origin == str(tmp_path / "fake" / "__init__.py")


# One process with one thread (the suite's workers run threads, where the import system's own
# function imports): each case imported by the short way and by the import system's function,
# under names of its own, and what each gave printed side by side.
_SHORT_WAY_CASES = r"""
import _frozen_importlib, sys, threading, types
from _frozen_importlib import ModuleSpec
import protocol_kit.cli.main  # installs the short way, as the command does
from protocol_kit.lean_imports import own_modules

folder, way = sys.argv[1], sys.argv[2]
standard_calls = []
kept = own_modules._STANDARD_FIND_AND_LOAD
def standard(name, import_):
    standard_calls.append(name)
    return kept(name, import_)
own_modules._STANDARD_FIND_AND_LOAD = standard
if way == "standard":
    _frozen_importlib._find_and_load = kept
assert (_frozen_importlib._find_and_load is own_modules.find_and_load) == (way == "short")

package = "protocol_kit.zz_" + way
parent = types.ModuleType(package)
parent.__path__ = [folder]
parent.__spec__ = ModuleSpec(package, None, is_package=True)
parent.__spec__.submodule_search_locations = [folder]
sys.modules[package] = parent

def seen(module, tail):
    spec = module.__spec__
    return (
        module.__name__.replace(way, "WAY"), module.__file__, module.__cached__,
        type(module.__loader__).__name__, module.__package__.replace(way, "WAY"),
        spec.name.replace(way, "WAY"), spec.parent.replace(way, "WAY"), spec._initializing,
        getattr(module, "__path__", None), getattr(parent, tail, None) is module,
        sys.modules.get(module.__name__) is module, list(sys.modules)[-1] == module.__name__,
    )

import importlib, importlib.util
plain = importlib.import_module(package + ".plain")
print("plain", seen(plain, "plain"), plain.VALUE)
inner = importlib.import_module(package + ".inner.leaf")
print("package", seen(sys.modules[package + ".inner"], "inner"))
print("leaf", seen(inner, "XX")[:9], inner.VALUE)
try:
    importlib.import_module(package + ".failing")
except ZeroDivisionError as error:
    print("failing", type(error).__name__, package + ".failing" in sys.modules,
          hasattr(parent, "failing"), parent.__spec__._uninitialized_submodules)
replaced = importlib.import_module(package + ".replacing")
print("replacing", replaced, hasattr(parent, "replacing") and parent.replacing is replaced)
try:
    importlib.import_module(package + ".cycle_a")
except ImportError as error:
    print("cycle", str(error).replace(folder, "FOLDER").replace(way, "WAY"))
print("missing", importlib.util.find_spec(package + ".missing") is None)
short_calls = len(standard_calls)
started = threading.Event()
stop = threading.Event()
other = threading.Thread(target=lambda: (started.set(), stop.wait()))
other.start()
started.wait()
importlib.import_module(package + ".with_a_thread")  # the import system's own, with its locks
stop.set()
other.join()
print("thread", len(standard_calls) - short_calls)
print("calls", way, [name for name in standard_calls if name.startswith(package)])
"""


def _short_way_folder(tmp_path):
    folder = tmp_path / "package"
    (folder / "inner").mkdir(parents=True)
    (folder / "plain.py").write_text("VALUE = __name__.rpartition('.')[2]\n")
    (folder / "inner" / "__init__.py").write_text("")
    (folder / "inner" / "leaf.py").write_text("VALUE = 'leaf'\n")
    (folder / "failing.py").write_text("1 / 0\n")
    (folder / "replacing.py").write_text("import sys\nsys.modules[__name__] = 'a stand-in'\n")
    (folder / "cycle_a.py").write_text("from .cycle_b import B\nA = 1\n")
    (folder / "cycle_b.py").write_text("from .cycle_a import A\nB = 1\n")
    (folder / "with_a_thread.py").write_text("")
    return folder


def test_the_short_way_imports_as_the_import_systems_own_function(tmp_path):
    # H1129: what a module is given, when it enters sys.modules, what a failure undoes, a
    # module that puts another object in its place, a cycle's message, the parent's
    # attribute: the same as the import system's `_find_and_load` gives (run under another
    # name in the same kind of process), with none of those imports left to it while the
    # process has one thread, and every import left to it while another thread runs.
    folder = _short_way_folder(tmp_path)
    runs = {}
    for way in ("short", "standard"):
        out = subprocess.run(
            [sys.executable, "-c", _SHORT_WAY_CASES, str(folder), way],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        assert out.returncode == 0, out.stderr
        runs[way] = out.stdout.splitlines()
    assert runs["short"][:-2] == runs["standard"][:-2]
    assert runs["short"][-1] == "calls short ['protocol_kit.zz_short.with_a_thread']"
    assert runs["short"][-2] == "thread 1"
    assert "cycle cannot import name 'A' from partially initialized module" in "\n".join(
        runs["short"]
    )
    assert runs["short"][0].startswith("plain ('protocol_kit.zz_WAY.plain', ")
    assert runs["short"][0].endswith(" False, None, True, True, True) plain")
    assert runs["short"][3].startswith("failing ZeroDivisionError False False []")
    assert runs["short"][4] == "replacing a stand-in True"


@pytest.mark.parametrize("followed", [(3, 99), (3, 0)])
def test_a_version_the_short_way_does_not_follow_keeps_the_import_systems_function(
    followed, monkeypatch
):
    # H1129: 3.10 keeps no `_uninitialized_submodules`, and a later version may import
    # otherwise: there the import system's own function stays (the finder is still installed).
    import _frozen_importlib

    monkeypatch.setattr(own_modules, "_FOLLOWED", followed)
    monkeypatch.setattr(own_modules, "_FOLLOWED_UNTIL", followed)
    monkeypatch.setattr(
        sys, "meta_path", [f for f in sys.meta_path if f is not own_modules.OwnModules]
    )
    standard = own_modules._STANDARD_FIND_AND_LOAD
    monkeypatch.setattr(_frozen_importlib, "_find_and_load", standard)
    own_modules.install()
    assert sys.meta_path[0] is own_modules.OwnModules
    assert _frozen_importlib._find_and_load is standard
    monkeypatch.setattr(own_modules, "_FOLLOWED", sys.version_info[:2])
    monkeypatch.setattr(own_modules, "_FOLLOWED_UNTIL", sys.version_info[:2])
    monkeypatch.setattr(
        sys, "meta_path", [f for f in sys.meta_path if f is not own_modules.OwnModules]
    )
    own_modules.install()
    assert _frozen_importlib._find_and_load is own_modules.find_and_load
