"""Shared helpers: run the real `protokit` command, and paths to the repository's files."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROTOCOLS = REPO / "protocols"
CASES = Path(__file__).resolve().parent / "cases"
# The numbers every patient sheet prints (`render` refuses to draw a sheet without them).
CLINIC_NUMBERS = (
    '[clinic]\nphone = "0113 496 0000"\nemergency_number = "999"\nurgent_number = "111"\n'
)


def corpus_module():
    """benchmarks/corpus.py, the benchmarks' corpus maker (a folder of scripts, not a
    package), for tests that check many generated files."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus", REPO / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("corpus", module)
    spec.loader.exec_module(module)
    return module


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


# Long enough for any machine under load; reached only when a command hangs.
HANG_SECONDS = 120


def _hypothesis_without_clocks() -> None:
    """No property test is timed: Hypothesis's deadline (200 ms an example) and its
    "too slow" health check (drawing examples slower than a second) are timing assertions,
    which a loaded machine fails. Loaded before any test module makes its own `settings`,
    which start from this profile. In CI (`CI` set, as `.ci/run` is run) the examples are
    the same on every run: a failing example found by chance fails a local run, where it is
    seen and kept, not one CI run in many."""
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "protokit",
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=bool(os.environ.get("CI")),
    )
    settings.load_profile("protokit")


_hypothesis_without_clocks()


def _writes_not_flushed_to_the_disk() -> None:
    """`os.fsync` a no-op in the test processes. protocol-kit flushes each file it writes to
    the disk before renaming it into place (`files.py`, the bundle journal), so that a power
    cut leaves the old file or the new, never a torn one; no test can cut the power, and what
    they do check (the temporary file, the rename, nothing half-written when a command fails
    or is stopped) is the same with or without the flush. The flush is the disk's wait, not
    the code's: 2,763 of them in a run of the suite, about 12 ms each on the loaded 2-core
    machine (33 s of the two workers' time, thirty-fifth sitting, docs/performance.md). A
    `protokit` started as a process of its own (start-up, signals, worker pools) flushes as
    a user's does."""
    os.fsync = _flush_skipped


def _flush_skipped(descriptor: int) -> None:
    os.fstat(descriptor)  # a closed or wrong descriptor still fails as fsync would fail


_writes_not_flushed_to_the_disk()


def examples(suite: int, long: int) -> int:
    """A costly property test's number of examples: `suite` in the test suite, `long` with
    PROTOKIT_FUZZ=long (the README's longer search). In the pattern tests, Hypothesis's own
    drawing from the regex strategies is most of their CPU, not the code under test (twenty-
    eighth sitting); the suite draws half the examples those tests drew until the twenty-ninth
    sitting, each with the same assertions, and the long search the full number."""
    return long if os.environ.get("PROTOKIT_FUZZ") == "long" else suite


@functools.cache
def texts_matching(pattern: re.Pattern[str], fullmatch: bool = False):
    """Hypothesis's strategy for the texts `pattern` matches, built once a pattern in a run.
    Hypothesis keeps the strategies it builds in a cache of 1,024, which the parts of one long
    pattern fill (the English ignore-pain phrases, 9,500 characters): drawn with
    `st.from_regex` each time, the pattern's strategy was built again for a third of the
    examples, 64 s of CPU instead of 2.5 s for the same 300 examples (twenty-seventh
    sitting). The same strategy, only not built again."""
    from hypothesis import strategies as st

    return st.from_regex(pattern, fullmatch=fullmatch)


def run_protokit(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    prefix: Sequence[str] = (),
    subprocess_only: bool = False,
) -> Result:
    """Run `protokit ARGS` as a user would, in a clean environment, and return its exit code
    and output.

    It runs in this process (`protocol_kit.cli.main.main` with its own argv, current folder,
    environment, standard streams and exit code), which tests the same behaviour as a new
    process without paying for Python's start-up and imports each time. A new process is used
    when `prefix` is a command to run it with (as another user, for example), when
    `subprocess_only` asks for one (start-up, signals, worker processes), and for every call
    when PROTOKIT_TEST_SUBPROCESS=1 is set (to check that both agree).
    """
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    environment.update(env or {})
    if not (prefix or subprocess_only or os.environ.get("PROTOKIT_TEST_SUBPROCESS")):
        return _run_in_process(args, cwd or REPO, stdin, environment)
    completed = subprocess.run(
        [*prefix, sys.executable, "-m", "protocol_kit", *args],
        cwd=cwd or REPO,
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=HANG_SECONDS,
    )
    return Result(
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
    )


def _run_in_process(
    args: Sequence[str], cwd: Path, stdin: bytes | None, environment: dict[str, str]
) -> Result:
    import faulthandler
    import io

    from protocol_kit.cli.main import main

    def stream(data: bytes = b"") -> io.TextIOWrapper:
        # As Python sets up a process's streams in a UTF-8 locale.
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")

    saved = (sys.stdin, sys.stdout, sys.stderr, sys.argv, os.getcwd(), dict(os.environ))
    sys.stdin, sys.stdout, sys.stderr = stream(stdin or b""), stream(), stream()
    sys.argv = ["protokit", *args]
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(cwd)
    # A hang ends the test run with every thread's stack, rather than holding it forever.
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=sys.__stderr__)
    out, err = sys.stdout, sys.stderr
    try:
        try:
            main(list(args))
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except BaseException:  # what a process would print before dying: fail the test
            import traceback

            err.write(traceback.format_exc())
            code = 1
        for written in (out, err):
            with contextlib.suppress(ValueError):
                written.flush()
        stdout = _bytes_of(out)
        stderr = _bytes_of(err)
    finally:
        faulthandler.cancel_dump_traceback_later()
        sys.stdin, sys.stdout, sys.stderr, sys.argv, cwd_before, env_before = saved
        os.chdir(cwd_before)
        os.environ.clear()
        os.environ.update(env_before)
        _forget_files_read()
    return Result(code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"))


def _bytes_of(stream) -> bytes:
    try:
        return stream.buffer.getvalue()
    except ValueError:  # closed by the command (a broken pipe): nothing more to read
        return b""


def _forget_files_read() -> None:
    """Caches of file contents by path, which a test may change between two runs."""
    from protocol_kit import config

    config._lines_of.cache_clear()


@pytest.fixture
def protokit():
    return run_protokit


@pytest.fixture
def protocol_reads(monkeypatch) -> list[str]:
    """The files a `protokit` run in this process opens while it looks for prescriptions'
    protocols (`prescribing.locate`), in the order opened: how the tests of H1422 and H1611
    count the reads a search costs."""
    from protocol_kit.prescribing import locate

    opened: list[str] = []
    open_regular = locate.open_regular

    def counted(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        opened.append(str(path))
        return open_regular(path, *args, **kwargs)

    monkeypatch.setattr(locate, "open_regular", counted)
    return opened


# The files whose first runs fill a warm cache: the smallest protocol and one with library
# exercises (poses, ICD-10-CM codes, texts whose reading grade is measured).
WARMING = (
    CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json",
    PROTOCOLS / "psoas-stretch-glute-bridge.json",
)


def warm_cache(folder: Path) -> Path:
    """`folder`, a cache of a test's own holding what a user's first runs of `WARMING` leave
    in theirs (compiled patterns, the ICD-10-CM index, verdicts...): a copy of one the test run
    fills once. Each test that filled an empty cache of its own paid those first runs again
    (3 seconds of CPU each, a tenth of the suite's start-up tests); one whose point is a first
    run starts from an empty folder instead."""
    import fcntl
    import shutil

    template = session_folder() / "warm-cache"
    with open(session_folder() / "warm-cache.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker fills it, the other waits
        if not (session_folder() / "warm-cache.done").exists():
            shutil.rmtree(template, ignore_errors=True)
            environment = {**os.environ, "PROTOKIT_CACHE_DIR": str(template)}
            for path in WARMING:
                run = subprocess.run(
                    [sys.executable, "-m", "protocol_kit", "validate", "-q", str(path)],
                    cwd=REPO, env=environment, capture_output=True, timeout=HANG_SECONDS,
                )  # fmt: skip
                assert run.returncode == 0, run.stderr
            (session_folder() / "warm-cache.done").touch()
    # Copies, not links: a test's runs write into their cache (its SQLite files in place).
    shutil.copytree(template, folder, dirs_exist_ok=True)
    return folder


# The session's folder for slow set-up done once (tests/session_setup.py): made by the process
# that runs pytest and handed to each xdist worker.
_SESSION_FOLDER: list[Path] = []
_started: list[subprocess.Popen] = []


def session_folder() -> Path:
    return _SESSION_FOLDER[0]


def pytest_configure(config: pytest.Config) -> None:
    worker = getattr(config, "workerinput", None)
    if worker is not None:
        _SESSION_FOLDER.append(Path(worker["protokit_session_folder"]))
    else:
        import tempfile

        _SESSION_FOLDER.append(Path(tempfile.mkdtemp(prefix="protokit-tests-")))
    _only_this_runs_files(config)


def _only_this_runs_files(config: pytest.Config) -> None:
    """Every `protokit` a test runs (in this process, or a new one, which inherits the
    environment) reads only what the test run made, as on a fresh CI machine:
    - no configuration, library/ folder or protocols above the temporary folder: protokit
      looks for them from its folder upwards, and a protokit.toml someone left in /tmp (or
      above a --basetemp) gave the tests in tmp_path that clinic's numbers (8 tests of
      tests/render/test_contact.py failed); the temporary folder is a ceiling of the search
      ($PROTOKIT_CEILING_DIRECTORIES, as git's own tests set GIT_CEILING_DIRECTORIES);
    - a cache of the run's own, not the user's (or a benchmark's $PROTOKIT_CACHE_DIR): a
      test that passed only on a cache filled by an earlier run, or another tree, would fail
      on a fresh machine. Tests of the cache itself still set their own."""
    import tempfile

    from protocol_kit.untrusted.files import CEILING_VARIABLE

    ceilings = [os.path.realpath(tempfile.gettempdir())]
    if config.option.basetemp:
        ceilings.append(os.path.realpath(Path(config.option.basetemp).parent))
    named = [name for name in os.environ.get(CEILING_VARIABLE, "").split(os.pathsep) if name]
    kept = [*named, *(ceiling for ceiling in ceilings if ceiling not in named)]
    os.environ[CEILING_VARIABLE] = os.pathsep.join(kept)
    os.environ["PROTOKIT_CACHE_DIR"] = str(session_folder() / "cache")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:  # xdist: what a worker is given
    node.workerinput["protokit_session_folder"] = str(session_folder())


def pytest_unconfigure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    import shutil

    for process in _started:
        if process.poll() is None:  # its tests were not run (interrupted, -x): not needed
            process.kill()
        process.wait()
    shutil.rmtree(session_folder(), ignore_errors=True)


def _start_slow_setup(ids: Sequence[str]) -> None:
    """Start the slow set-up the collected tests need, so that it runs beside the other
    tests (they wait for it)."""
    if not _started:
        from session_setup import start_for

        start_for(ids, session_folder(), _started)


WAITS_FOR_SETUP = ("tests/fhir/test_fhir_validators.py::test_fhircraft_with_its_invariants",)
# The longest tests start first, so that the other worker is not left idle at the end while one
# of them finishes. xdist hands out the groups of a module first (the largest first), then each
# other test in this order: a long test left near the end of the collection (the pattern
# agreement tests, tests/test_p*, ran last but the workbench's) kept one worker busy for
# tens of seconds after the other had finished (`--durations`, eighteenth sitting).
LONGEST = (
    "tests/workbench/test_workbench_browser.py::",
    "tests/test_pattern_sets.py::test_the_matchers_agree_on_",
    "tests/test_pattern_needs.py::",
    "tests/test_schema_verdicts.py::test_a_cache_folder_that_cannot_be_used",
    "tests/test_schema_verdicts.py::test_a_file_changed_after_it_passed",
    "tests/test_isolation.py::test_a_protokit_toml_above_the_temporary_folder",
    "tests/test_translation_notes.py::test_noted_translation_findings_are_those",
    "tests/test_readme.py::test_every_readme_command_works_in_order",
    "tests/bundle/test_import_folder.py::test_a_read_only_",
    "tests/test_bounded_weight.py::test_weight_is_its_plain_definition",
    "tests/lint/test_memo_agreement.py::",
    "tests/test_long_texts.py::",
    "tests/test_quick_read.py::",
    "tests/test_cache.py::test_recent_answers_give_the_tables_findings",
    "tests/render/test_headings.py::test_headings_stay_with_their_content_wherever",
    "tests/render/test_layout.py::test_forty_exercises",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the tests of a module that share a module-scoped fixture (a corpus, a browser,
    clinics with keys) on one xdist worker (`--dist loadgroup`), so that the fixture is made
    once, not once per worker; every other test goes to whichever worker is free."""
    # A test that waits for slow set-up started at collection runs last, by when the set-up
    # has had the whole run to finish, rather than holding a worker idle half way.
    waiting = [item for item in items if item.nodeid.startswith(WAITS_FOR_SETUP)]
    longest = [item for item in items if item.nodeid.startswith(LONGEST)]
    rest = [item for item in items if item not in waiting and item not in longest]
    items[:] = longest + rest + waiting
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        definitions = fixtures.name2fixturedefs.values() if fixtures else ()
        if any(found[-1].scope == "module" for found in definitions if found):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def pytest_collection_finish(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # a run without xdist workers
        _start_slow_setup([item.nodeid for item in session.items])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids: Sequence[str]) -> None:
    _start_slow_setup(ids)  # the first worker's collection; the others collect the same


@dataclass(frozen=True)
class NodeTools:
    """The validators of tests/tools/package.json, installed once per test run."""

    folder: Path
    node: str

    @property
    def modules(self) -> Path:
        return self.folder / "node_modules"

    def run(self, script: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        """Run a script of tests/tools/ where it finds the installed packages."""
        return subprocess.run(
            [self.node, str(self.folder / script.name), *args],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@pytest.fixture(scope="session")
def node_tools() -> NodeTools:
    import shutil

    from session_setup import npm_installed

    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        if os.environ.get("CI"):  # the independent validators are never silently off in CI
            pytest.fail("CI must install Node.js and npm (.ci/run)")
        pytest.skip("Node.js is not installed (.ci/run installs it)")
    return NodeTools(npm_installed(session_folder(), "node-tools", npm), node)
