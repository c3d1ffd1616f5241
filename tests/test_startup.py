"""Start-up stays light: `protokit validate` of one valid file imports only what it needs.

The time itself is measured in benchmarks/bench_validate.py, not asserted here; this guards
the imports that would make it slow again."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import CASES, PROTOCOLS, REPO, WARMING, warm_cache
from protocol_kit.cli import main as cli_main

VALID = CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json"
INVALID = CASES / "validate" / "invalid" / "misspelt-field" / "protocol.json"
# Needed only by files that fail, by large runs, or by other commands and formats.
LAZY = (
    "click",  # the command line's plain forms are read without it (cli/validate_run.py)
    # Records (protocol_kit/record.py) instead of dataclasses on the way to a valid file's
    # last rule: dataclasses imports inspect, which imports ast, dis and tokenize.
    "dataclasses",
    "inspect",
    "jsonschema",
    "referencing",
    "json_source_map",
    "reportlab",
    "cryptography",
    "concurrent.futures.process",
    "xml.sax",
    # FHIR: protokit's own export, and the libraries the tests validate it with.
    "protocol_kit.fhir",
    "fhir",
    "fhircraft",
    "pydantic",
    "protocol_kit.illustration.placement",  # the pose geometry, for files with poses only
    "copy",  # the configuration's values are plain data, copied without it
    # Type names are imported only for type checkers (protocol_kit.lean_imports.TYPE_CHECKING):
    # typing's import is about 13 million instructions, 4 % of a one-file run.
    "typing",
    # jsonschema-rs imports email.utils only to date its own build
    # (protocol_kit/lean_imports/jsonschema_engine.py):
    # the email package's modules, and socket, random and calendar behind them.
    "email.utils",
    "email.charset",
    "socket",
    "random",
    "calendar",
    # The version rule's git process is started by os.posix_spawnp (protocol_kit/lint/history.py).
    "subprocess",
    "threading",
    "locale",
    # Read only for what needs them: a prescription's own checks, an image's bytes.
    "protocol_kit.prescription",
    "struct",
    # (zlib is imported: its CRC-32 checks every kept cache file, protocol_kit/cache.py; its
    # import is about 0.6 million instructions, blake2b's digest of the files was 9 million.)
    "bisect",  # the ICD-10-CM index kept in memory, when there is no cache folder to use
    # pathlib imports urllib.parse (and it ipaddress) for PurePath.as_uri only
    # (protocol_kit/lean_imports/pathlib_module.py).
    "urllib.parse",
    "ipaddress",
    # The SIGTERM handler and the version rule's git process use `_signal`'s functions and
    # numbers, without the enums `signal` builds over them (protocol_kit/lean_imports/signals.py).
    "signal",
    # pathlib's Windows paths, for `PureWindowsPath` only: its import looks for five
    # Windows-only modules along the whole path (protocol_kit/lean_imports/pathlib_module.py).
    "ntpath",
    # The dates are `_datetime`'s own types (protocol_kit/lean_imports/dates.py): datetime.py
    # builds every class in Python and then replaces it with the compiled module's.
    "datetime",
    # Installed packages are found for the cache files' names by the import system's own
    # search, modules imported by name with `__import__` (protocol_kit/lean_imports
    # `installed_spec`, `import_module`): `protokit`, the console script, imported the
    # importlib package, importlib.util and importlib._abc for them (`python -m` has them
    # from runpy).
    "importlib",
    "importlib.util",
    "importlib._abc",
    # The caches, the output and the git process suppress errors with try/except and take
    # the cache folder's lock by a function (protocol_kit/cache.py `_locked_folder`): contextlib
    # is 3 million instructions of the console script's run (`python -m` has it from runpy).
    "contextlib",
    # What a rule reads of a file that has it, imported then: the image checks (LINK001,
    # protocol_kit/lint/rules/media_missing.py), a translation's (SAFE015), a plan's stages
    # (DOSE007). The rules run for every file.
    "protocol_kit.untrusted.images",
    "protocol_kit.lint.rules._negation",
    "protocol_kit.lint.rules._translation_meaning",
    "protocol_kit.prescribing.stages",
)
# Needed only while the user's cache is made (the ICD-10-CM index, a new text's readability
# grade: the libraries behind them use both): protocol-kit reads its data files from its
# folders and names the cache files from the dist-info folders. The configuration file is
# parsed (tomllib) only when its text is not in the cache yet, and the patterns the rules
# search texts with are compiled by `re` only then (the largest are the red-flag sets').
# The two SQLite tables (the ICD-10-CM index, the reading grades) are opened, and sqlite3
# imported, only for a question the latest runs did not ask (cache.Recent).
FILLING_THE_CACHE = ("importlib.resources", "importlib.metadata", "tomllib", "sqlite3")


# The fast schema engine (and the `decimal` it imports): only for a document that did not pass
# its schema in an earlier run (protocol_kit/validation/schema_verdicts.py).
SCHEMA_ENGINE = ("jsonschema_rs", "decimal")


# The pictures' drawing code: the pose rules place the body, they do not draw it.
DRAWING = (
    "protocol_kit.illustration.compose",
    "protocol_kit.illustration.figure",
    "protocol_kit.illustration.outline",
    "protocol_kit.illustration.scene",
)


# Placing and checking poses: only when a set of poses was not checked in an earlier run.
PLACING = (
    "protocol_kit.illustration.checks",
    "protocol_kit.illustration.placement",
    "protocol_kit.illustration.body",
    "protocol_kit.illustration.geometry",
)


def python_printed(code: str, env=None, *args: str) -> list[str]:
    """The lines `python -c code args` printed, run from the repository; it must succeed."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO, env=env
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def imported_by_validate(path, modules=LAZY, cache=None) -> set[str]:
    code = (
        "import sys\n"
        "from protocol_kit.cli.main import main\n"
        f"sys.argv = ['protokit', 'validate', '-q', {str(path)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(','.join(m for m in {modules!r} if m in sys.modules))\n"
    )
    env = None if cache is None else {**os.environ, "PROTOKIT_CACHE_DIR": str(cache)}
    printed = python_printed(code, env)
    last_line = printed[-1] if printed else ""  # after the findings, if any
    return set(filter(None, last_line.split(",")))


def test_valid_file_imports_nothing_it_does_not_need(tmp_path):
    # A cache of this test's own: the configuration tests, on another worker, parse other
    # configurations into the user's cache, which keeps only the newest few.
    # Filled by first runs of the minimal protocol and of one with library exercises (poses,
    # ICD-10-CM codes, texts whose reading grade is measured), as a user's first runs fill it.
    # The poses' verdicts are kept in the cache too (illustration/verdicts.py): a later run
    # does not place them.
    cache = warm_cache(tmp_path / "cache")
    for path in WARMING:
        # From now on, as in every later run:
        later = LAZY + FILLING_THE_CACHE + PLACING + SCHEMA_ENGINE
        assert imported_by_validate(path, later, cache=cache) == set()


def test_a_files_first_run_builds_the_engine_without_typing(tmp_path):
    # A file not seen before (no schema verdict kept, every other answer kept): the fast
    # engine is imported, but not the `typing` its package imports for `TYPE_CHECKING`
    # alone (protocol_kit/lean_imports/jsonschema_engine.py), nor anything else of LAZY.
    cache = warm_cache(tmp_path / "cache")  # the psoas file's first run among others
    with_poses = PROTOCOLS / "psoas-stretch-glute-bridge.json"
    for kept in cache.glob("schema-verdicts-*"):
        kept.unlink()
    assert imported_by_validate(with_poses, LAZY + SCHEMA_ENGINE, cache=cache) == set(SCHEMA_ENGINE)


def test_poses_are_checked_without_the_drawing_code(tmp_path):
    with_poses = PROTOCOLS / "psoas-stretch-glute-bridge.json"  # library exercises with poses
    # The cache filled, but for the poses' verdicts: the poses are placed and checked (a
    # later run reads their verdict).
    cache = warm_cache(tmp_path / "cache")  # the psoas file's first run among others
    for kept in cache.glob("pose-verdicts-*"):
        kept.unlink()
    imported = imported_by_validate(with_poses, LAZY + DRAWING, cache=cache)
    assert imported == {"protocol_kit.illustration.placement"}


def test_invalid_file_brings_in_the_detailed_engine():
    # The other side of the same design: messages come from jsonschema, only when a file
    # fails; its locations from the pointer walk (jsontext.positions), json-source-map's
    # map of the whole file only for a pointer the walk is not sure of.
    imported = imported_by_validate(INVALID)
    assert "jsonschema" in imported
    assert "json_source_map" not in imported


def test_the_model_compiles_no_code_at_import():
    # A dataclass compiles its generated methods when its module is imported (about 1 ms a
    # class); the model's records are written out, compiled once into the bytecode.
    import protocol_kit.model as model
    from protocol_kit.record import Record

    records = [c for c in vars(model).values() if isinstance(c, type) and Record in c.__bases__]
    assert len(records) > 20
    for record in records:
        for method in ("__init__", "__eq__", "__hash__", "__repr__", "__setattr__"):
            code = getattr(record, method).__code__
            assert code.co_filename.endswith(".py"), f"{record.__name__}.{method}"


def test_digests_do_not_load_openssl(tmp_path):
    # hashlib loads OpenSSL's library (`_hashlib`) on import: a valid file's digests (memo
    # keys, readability cache keys) use CPython's own blake2b and sha256, in a first run (an
    # empty cache of this test's own: the user's is filled and emptied by the other worker's
    # tests meanwhile) and in a later one.
    cache = tmp_path / "cache"
    for _ in ("first", "later"):
        assert imported_by_validate(VALID, ("_hashlib", "hashlib"), cache=cache) == set()


def test_the_rules_patterns_come_from_the_cache(tmp_path):
    # Compiling a regular expression is Python code in `re`, about a fifth of a valid file's
    # CPU on main (the red-flag sets, the dosage words: 70 patterns, 14,000 characters). Once
    # the user's cache holds their compiled code (protocol_kit/patterns.py), the patterns
    # protocol-kit still hands to `re` are a few short ones, compiled in microseconds.
    code = (
        "import os, re, re._compiler as compiler, sys\n"
        "seen = []\n"
        "compile_ = compiler.compile\n"
        "def recording(pattern, flags=0):\n"
        "    frame = sys._getframe(1)\n"
        "    while frame and frame.f_code.co_filename.startswith(os.path.dirname(re.__file__)):\n"
        "        frame = frame.f_back\n"
        "    if frame and 'protocol_kit' in frame.f_code.co_filename:\n"
        "        seen.append(pattern)\n"
        "    return compile_(pattern, flags)\n"
        "compiler.compile = recording\n"
        "from protocol_kit.cli.main import main\n"
        "sys.argv = ['protokit', 'validate', '-q', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sum(len(p) for p in seen))\n"
    )

    # A cache of this test's own: between the run that fills the user's cache and the run
    # measured, the other worker's tests (other configurations, other patterns) can replace
    # what it kept.
    env = {**os.environ, "PROTOKIT_CACHE_DIR": str(warm_cache(tmp_path / "cache"))}

    def characters_compiled(path) -> int:
        return int(python_printed(code, env, str(path))[-1])

    # The file with library exercises meets the configuration's telephone pattern, the stray
    # combining marks' and the safety-in-tips rule's (about 400 characters, given to `re`
    # until the eighth round), and the modules' own short patterns (the clinic's numbers,
    # the schema messages', SNOMED identifiers', a few rules': about 250 characters until the
    # ninth). What is left is the strict reader's few (protocol_kit/loading.py).
    for path in WARMING:  # each file's first run filled the cache
        assert characters_compiled(path) < 150


@pytest.fixture
def filled_cache(tmp_path) -> dict[str, str]:
    """The environment of a later run: a cache of the test's own, filled by a first run of
    each file. What a check allocates depends on what the cache holds (an empty one: 32 young
    collections in the psoas file's run), and the user's cache is filled and emptied by the
    other worker's tests meanwhile."""
    return {**os.environ, "PROTOKIT_CACHE_DIR": str(warm_cache(tmp_path / "cache"))}


def test_the_collector_leaves_validates_objects_alone(filled_cache):
    # Run as the process's command, `validate` freezes what its set-up made before it reads
    # the file, and what is alive at exit before the interpreter's last collection, which on
    # main went over every object (cli/main.py `_pause_for_setup`). Called with its arguments
    # (tests, other programs), `main` leaves the collector as it found it.
    def frozen(call: str) -> tuple[int, bool, int]:
        code = (
            "import atexit, gc, sys\n"
            "atexit.register(lambda: print('at exit', gc.get_freeze_count()))\n"
            "from protocol_kit.cli.main import main\n"
            "import protocol_kit.app.check as check\n"
            "checking = check.found_files\n"
            "def counted(*args, **kwargs):\n"
            "    print('before the file', gc.get_freeze_count(), gc.isenabled())\n"
            "    return checking(*args, **kwargs)\n"
            "check.found_files = counted\n"
            f"sys.argv = ['protokit', 'validate', '-q', {str(VALID)!r}]\n"
            f"try:\n    {call}\nexcept SystemExit:\n    pass\n"
        )
        printed = python_printed(code, filled_cache)
        before, at_exit = (line.split(" ") for line in printed[-2:])
        return int(before[-2]), before[-1] == "True", int(at_exit[-1])

    before, enabled, at_exit = frozen("main()")
    assert before > 1_000 and enabled and at_exit > before
    assert frozen("main(sys.argv[1:])") == (0, True, 0)


def test_one_files_check_is_not_interrupted_by_young_collections_or_weighing(filled_cache):
    # Once set-up is frozen, the check of one named file allocates a few thousand objects
    # that live until the end: the collector, started every 700 of them, went over them
    # about ten times in the psoas file's run (cli/main.py `settled`). Its caches' new
    # answers are not weighed (protocol_kit/bounded.py `weigh_answers`): all they hold comes
    # from that file. A run over several files keeps the usual threshold and weighs, so that
    # it stays flat in memory.
    def collections(*paths) -> tuple[int, int, bool]:
        code = (
            "import atexit, gc, sys\n"
            "started = []\n"
            "from protocol_kit import bounded\n"
            "from protocol_kit.cli.main import main\n"
            "import protocol_kit.app.check as check\n"
            "checking = check.found_files\n"
            "def counted(*args, **kwargs):\n"
            "    gc.callbacks.append(lambda phase, info: started.append(phase == 'start'))\n"
            "    return checking(*args, **kwargs)\n"
            "check.found_files = counted\n"
            "atexit.register(lambda: print(sum(started), gc.get_threshold()[0],\n"
            "                              bounded.weight('a text') > 0))\n"
            f"sys.argv = ['protokit', 'validate', '-q', *{[str(p) for p in paths]!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
        )
        printed = python_printed(code, filled_cache)
        found, threshold, weighs = printed[-1].split()
        return int(found), int(threshold), weighs == "True"

    with_poses = PROTOCOLS / "psoas-stretch-glute-bridge.json"
    assert collections(with_poses) == (0, cli_main._ONE_FILE_YOUNG, False)
    assert collections(with_poses, VALID)[1:] == (700, True)


def test_no_collection_while_validates_modules_are_imported(filled_cache):
    # The command's modules are imported with the collector paused (cli/_imports_uncollected,
    # `_pause_for_setup` before json and validate's own modules): it went over the new
    # modules' objects about ten times before the file was read (issue 17). Importing
    # `cli.main` alone (a library, a test) leaves the collector on; a `validate` the quick
    # reading leaves to click (here `--select`) runs with it on, as every other command.
    psoas = str(PROTOCOLS / "psoas-stretch-glute-bridge.json")

    def collections(*words: str) -> tuple[int, bool, bool]:
        code = (
            "import gc, os, sys\n"
            # Counted from the pause on: a module before it may be compiled from its source
            # (a bytecode file older than the source, not written under the suite's
            # PYTHONDONTWRITEBYTECODE), which makes enough objects for a collection.
            "import protocol_kit.cli._imports_uncollected\n"
            "started = []\n"
            "gc.callbacks.append(lambda phase, info: started.append(phase == 'start'))\n"
            "def opened(event, args):\n"
            f"    if event == 'open' and str(args[0]) == {psoas!r} and None not in started:\n"
            "        print(sum(filter(None, started)), enabled, gc.isenabled())\n"
            "        started.append(None)\n"
            "from protocol_kit.cli.main import main\n"
            "enabled = gc.isenabled()\n"
            "sys.addaudithook(opened)\n"
            f"sys.argv = ['protokit', 'validate', *{list(words)!r}, {psoas!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
        )
        printed = python_printed(code, filled_cache)
        found, enabled, now = printed[0].split()
        return int(found), enabled == "True", now == "True"

    assert collections("-q") == (0, True, True)  # on again once set-up is frozen (`settled`)
    found, enabled, now = collections("--select", "GOV007")
    assert found > 0 and enabled and now


def test_validate_as_the_command_ends_without_taking_the_interpreter_apart(filled_cache):
    # Run as the process's command (`python -m protocol_kit`, the console script), `validate`
    # ends once its `atexit` functions have run (the caches written, git waited for) and its
    # output is flushed, without the interpreter's own clearing of every module and object:
    # about 5 million instructions, 1.7 % of a one-file run (cli/main.py `_end_at_once`,
    # issue 17). The report, the exit status and the exit functions are as before.
    code = (
        "import atexit, os, runpy, sys\n"
        "class TakenApart:\n"
        "    def __del__(self, write=os.write):\n"
        "        write(1, b'taken apart\\n')\n"
        # Held by `sys`, whose attributes the interpreter's ending clears.
        "sys.kept_by_the_test = TakenApart()\n"
        "atexit.register(print, 'at exit')\n"
        f"sys.argv = ['protokit', 'validate', '-f', 'json', {str(VALID)!r}]\n"
        "runpy.run_module('protocol_kit', run_name='__main__', alter_sys=True)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=filled_cache
    )
    assert out.returncode == 0, out.stderr
    report, _, after = out.stdout.rpartition("}\n")
    assert json.loads(report + "}")["files"][0]["path"] == str(VALID)
    assert after == "at exit\n"
    assert out.stderr == "checked 1 file: all valid\n"


def test_only_the_command_itself_ends_at_once(monkeypatch):
    # A program or a test that calls `main` goes on after it (`python -c`, a script of its
    # own); the console script and `python -m protocol_kit` are the command.
    from importlib.machinery import ModuleSpec
    from types import ModuleType

    def main_module(file: str | None = None, spec: str | None = None) -> ModuleType:
        module = ModuleType("__main__")
        module.__file__ = file
        module.__spec__ = None if spec is None else ModuleSpec(spec, None)
        return module

    for module, command in (
        (main_module(), False),  # python -c
        (main_module("/usr/local/bin/protokit"), True),  # the console script
        (main_module("/tmp/run.py"), False),
        (main_module("/x/protocol_kit/__main__.py", "protocol_kit.__main__"), True),
        (main_module("/x/tool/__main__.py", "tool.__main__"), False),
    ):
        monkeypatch.setitem(sys.modules, "__main__", module)
        assert cli_main.the_command() is command, module
