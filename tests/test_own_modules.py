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
