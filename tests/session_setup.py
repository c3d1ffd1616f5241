"""Slow set-up done once per test session, started as soon as the tests are collected.

Some tests need something slow that is not protocol-kit: the npm packages of the independent
validators, Playwright for the browser, fhircraft (tens of seconds to import). Done in a
session fixture, each xdist worker would do it again, and the tests would wait for it. So the
process that runs pytest starts each one, in a process of its own, as soon as the tests that
need it are collected, and they run beside the other tests; the tests wait for its end, in
whichever worker they run.

Each piece of work has a folder under the session's folder and a lock file that its process
holds (inherited from the starter) until it ends: waiting is taking the lock, which no timing
decides. A status file says how it ended.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Reached only when a piece of work hangs (npm without a network, say).
HANG_SECONDS = 1800


@dataclass(frozen=True)
class NpmPackages:
    """The packages of a package.json, installed into a folder of their own with the scripts
    beside it (`sources`), for the tests whose node ids start with `tests`."""

    name: str
    sources: Path
    tests: tuple[str, ...]


NPM = {
    setup.name: setup
    for setup in (
        NpmPackages(
            "node-tools",
            REPO / "tests" / "tools",
            (
                "tests/test_schemas_ajv.py",
                "tests/report/test_sarif_validators.py",
                "tests/fhir/test_fhir_validators.py",
            ),
        ),
        NpmPackages("editor", REPO / "tests" / "editor", ("tests/test_editor.py",)),
        NpmPackages("browser", REPO / "tests" / "browser", ("tests/render/test_html_sheet.py",)),
    )
}


def lock_for(folder: Path) -> Path:
    return folder.with_name(folder.name + ".lock")


def start_held(folder: Path, command: Sequence[str], **popen: object) -> subprocess.Popen:
    """Start `command` in a new process that holds `folder`'s lock until it ends."""
    with open(lock_for(folder), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return subprocess.Popen(command, pass_fds=(lock.fileno(),), **popen)  # type: ignore[call-overload]


def wait_for(folder: Path) -> None:
    """Wait until the process that holds `folder`'s lock has ended."""
    deadline = time.monotonic() + HANG_SECONDS
    with open(lock_for(folder), "a") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                assert time.monotonic() < deadline, f"{folder.name}: still not done"
                time.sleep(0.2)


def npm_cache_options(session: Path) -> list[str]:
    """npm keeps what it downloads in ~/.npm (or $npm_config_cache). In a home folder it
    cannot write (mounted read-only, as some CI sandboxes do) every npm install failed, and
    with it every test of the independent validators; there npm is given a cache in the
    session's folder (it downloads again on each run), elsewhere the user's cache is kept."""
    cache = Path(os.environ.get("npm_config_cache") or Path.home() / ".npm")  # noqa: SIM112 (npm's own name)
    nearest = next(folder for folder in (cache, *cache.parents) if folder.exists())
    if os.access(nearest, os.W_OK):
        return []
    return ["--cache", str(session / "npm-cache")]


def start_npm_install(session: Path, setup: NpmPackages, npm: str) -> subprocess.Popen:
    folder = session / setup.name
    folder.mkdir()
    for source in setup.sources.iterdir():
        if source.is_file():
            shutil.copy(source, folder / source.name)
    # The exit status goes to a file: the tests that wait for it may run in another process.
    script = '"$@" >npm-output.txt 2>&1; echo $? >npm-status.txt'
    return start_held(
        folder,
        [
            "sh",
            "-c",
            script,
            "sh",
            npm,
            "install",
            "--no-audit",
            "--no-fund",
            "--silent",
            *npm_cache_options(session),
        ],
        cwd=folder,
        stdin=subprocess.DEVNULL,
    )


def npm_installed(session: Path, name: str, npm: str) -> Path:
    """The folder where the packages of `name` are installed: waits for the install started
    at collection, or installs them now if none was started (a test collected otherwise)."""
    folder = session / name
    if not lock_for(folder).exists():
        with open(lock_for(session / f"{name}-start"), "w") as starting:
            fcntl.flock(starting, fcntl.LOCK_EX)  # one worker starts it, the other waits
            if not lock_for(folder).exists():
                start_npm_install(session, NPM[name], npm).wait()
    wait_for(folder)
    status = (folder / "npm-status.txt").read_text().strip()
    output = (folder / "npm-output.txt").read_text(errors="replace")
    assert status == "0", f"npm install of {name} failed ({status}): {output[-3000:]}"
    return folder


def start_for(ids: Sequence[str], session: Path, started: list[subprocess.Popen]) -> None:
    """Start every piece of work that a collected test needs (`ids`, their node ids)."""
    npm = shutil.which("npm")
    for setup in NPM.values():
        if npm and any(i.startswith(setup.tests) for i in ids):
            started.append(start_npm_install(session, setup, npm))
    if any(i.startswith("tests/fhir/test_fhir_validators.py") for i in ids):
        start_fhircraft: Callable[[Path], subprocess.Popen | None] = _fhircraft_starter()
        process = start_fhircraft(session / "fhircraft")
        if process is not None:  # None: every verdict was kept from an earlier run
            started.append(process)


def _fhircraft_starter() -> Callable[[Path], subprocess.Popen | None]:
    import sys

    sys.path.insert(0, str(REPO / "tests" / "fhir"))
    from fhir_helpers import FhircraftRun

    def start(folder: Path) -> subprocess.Popen | None:
        folder.mkdir()
        return FhircraftRun(folder).start()

    return start
