"""An import stopped half way: by Ctrl-C or SIGTERM it undoes itself; killed outright (SIGKILL,
a power cut) at any point, the next import finishes it or rolls it back from its journal, and
later imports see a folder whose files and record agree.

The child process stops at an exact move and tells the test so through a pipe; it goes on only
when the test says so (or a signal arrives). Nothing here waits for time to pass: every step is
synchronised on the pipe, and the only timeouts are generous limits that catch a hang.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from bundle_helpers import ID, import_current, publish, run_import, snapshot

from conftest import REPO

# The real command, stopped at one move into place (`before N`: when N moves are done and the
# next is about to be made; `after N`: right after the N-th): it writes "stopped" to the fd
# `report` and waits for a line on the fd `go`. A signal interrupts the wait (unless the import
# has blocked it, as it does around its last move). Only moves into the target folder count:
# the user's cache (compiled patterns, the parsed configuration) is also written by a rename
# when it is cold, which made a run stop one move early now and then.
STOP_AT_MOVE = """
import os, signal, sys

# Ctrl-C as at a terminal, even when the test runner's worker ignores SIGINT.
signal.signal(signal.SIGINT, signal.default_int_handler)

report, go, when, number = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
target = os.path.abspath(sys.argv[5])
real, done = os.replace, []

def stop():
    os.write(report, b"stopped\\n")
    os.read(go, 1)

def into_target(destination):
    path = os.path.abspath(os.fsdecode(destination))
    return path == target or path.startswith(target + os.sep)

def replace(source, destination, *args, **kwargs):
    if not into_target(destination):
        return real(source, destination, *args, **kwargs)
    if when == "before" and len(done) == number:
        stop()
    real(source, destination, *args, **kwargs)
    done.append(destination)
    if when == "after" and len(done) == number:
        stop()

os.replace = replace
from protocol_kit.cli.main import main
main(sys.argv[6:])
"""
# Long enough for any machine under load; reached only when something hangs.
HANG = 120


class Stopped:
    """A `protokit bundle import` child, stopped at a move."""

    def __init__(self, bundle: Path, target: Path, when: str, number: int) -> None:
        report_read, report_write = os.pipe()
        self.go_read, self.go_write = os.pipe()
        command = ["bundle", "import", str(bundle), "--into", str(target), "--allow-unsigned"]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                STOP_AT_MOVE,
                str(report_write),
                str(self.go_read),
                when,
                str(number),
                str(target),
                *command,
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(report_write, self.go_read),
        )
        os.close(report_write)
        os.close(self.go_read)
        ready, _, _ = select.select([report_read], [], [], HANG)
        said = os.read(report_read, 64) if ready else b""
        os.close(report_read)
        if said != b"stopped\n":
            self.process.kill()
            out, err = self.process.communicate(timeout=HANG)
            pytest.fail(f"the import never reached {when} move {number}: {out!r} {err!r}")

    def go(self) -> None:
        os.write(self.go_write, b"\n")

    def finish(self) -> tuple[int, str, str]:
        with contextlib.suppress(BrokenPipeError):  # already gone (killed)
            os.write(self.go_write, b"\n")
        out, err = self.process.communicate(timeout=HANG)
        os.close(self.go_write)
        return self.process.returncode, out.decode(), err.decode()


@pytest.fixture
def received(tmp_path) -> Path:
    return import_current(tmp_path)


# With the update of the example protocol, the plan moves: 1 the new protocol's image in, 2 the
# old example protocol aside, 3 its new version in, 4 the new protocol in, 5 the old record
# aside, 6 the new record in.
MOVES = 6


@pytest.mark.parametrize(
    "number, status, said",
    [(signal.SIGTERM, 143, "protokit: terminated"), (signal.SIGINT, 130, "protokit: interrupted")],
    ids=["SIGTERM", "Ctrl-C"],
)
def test_a_signal_while_files_are_moved_undoes_the_import(tmp_path, received, number, status, said):
    """The trial: SIGTERM left a half-done import, and the example protocol only in the staging
    folder."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(received)
    child = Stopped(bundle, received, "after", 3)
    child.process.send_signal(number)
    code, _, error = child.finish()
    assert code == status
    assert error.splitlines()[-1] == said
    assert snapshot(received) == before  # every file back, and no staging folder


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_after_the_last_move_reports_the_import_as_done(tmp_path, received, number):
    """The trial: a SIGTERM that came once the files were in place reported "terminated" (exit
    143) although the import was applied."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    child = Stopped(bundle, received, "after", MOVES)
    child.process.send_signal(number)  # blocked by the import around its last move
    code, _, error = child.finish()
    assert code == 0, error
    lines = error.splitlines()
    assert lines[-2] == f"imported into {received}: 1 added, 1 updated, 0 unchanged"
    assert lines[-1] == (
        "protokit: a request to stop arrived after the import was complete; nothing was undone"
    )
    assert '"version": "1.1.0"' in (received / f"{ID}.json").read_text()
    assert not list((received / ".protokit").glob("staging-*"))
    assert run_import(bundle, received).code == 0  # the record agrees: all unchanged


def contents(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in folder.rglob("*")
    }


@pytest.mark.parametrize(
    "when, number",
    [("before", n) for n in range(MOVES)] + [("after", MOVES)],
    ids=[f"after-{n}-moves" for n in range(MOVES)] + ["after-the-last-move"],
)
def test_an_import_killed_at_any_point_is_finished_or_rolled_back_by_the_next(
    tmp_path, received, when, number
):
    """The trial: after a SIGKILL at some points, the documented recovery made later updates
    fail with false reasons ("changed here"). Now the next import reads the journal."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = contents(received)
    child = Stopped(bundle, received, when, number)
    child.process.kill()  # as a power cut: nothing can be undone by the process itself
    child.finish()
    [staging] = (received / ".protokit").glob("staging-*")

    dry = run_import(bundle, received, "--dry-run")
    assert dry.code == 1
    assert dry.stderr.splitlines() == [
        f"protokit: error: {staging}: an earlier import into {received} was stopped before it "
        "finished; the next import (without --dry-run) finishes or rolls it back first, then "
        "imports; nothing was changed"
    ]
    assert staging.exists()

    complete = when == "after"
    result = run_import(bundle, received)
    assert result.code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("protokit: note:")]
    if complete:
        assert notes == [
            f"protokit: note: an earlier import into {received} was stopped after every file "
            "was in place: it was complete, and its staging folder was removed"
        ]
        assert result.stderr.splitlines()[-1].endswith("0 added, 0 updated, 2 unchanged")
    else:
        assert notes == [
            f"protokit: note: an earlier import into {received} was stopped before it "
            "finished: it was rolled back, and the folder is as it was before it"
        ]
    if not complete:
        assert result.stderr.splitlines()[-1].endswith("1 added, 1 updated, 0 unchanged")
    assert not staging.exists()
    # No false reasons later: the record agrees with the files, so an update goes through.
    later = publish(tmp_path, "1.2.0", hold=55, name="later.pkb")
    updated = run_import(later, received)
    assert updated.code == 0, updated.stderr
    assert updated.stderr.splitlines()[-1].endswith("0 added, 1 updated, 1 unchanged")
    assert set(contents(received)) >= set(before)


def test_an_import_killed_while_it_rolls_back_a_killed_one_is_rolled_back_by_the_next(
    tmp_path, received
):
    """Recovery is itself interrupted (SIGKILL half way through putting files back): the
    `rolling-back` mark makes the next run continue it, never take it for a finished import."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = contents(received)
    first = Stopped(bundle, received, "after", 3)
    first.process.kill()
    first.finish()
    # The recovering import is stopped after its first move back (the example protocol).
    second = Stopped(bundle, received, "after", 1)
    second.process.kill()
    second.finish()
    [staging] = (received / ".protokit").glob("staging-*")
    assert (staging / "rolling-back").exists()
    result = run_import(bundle, received, "--dry-run")
    assert result.code == 1
    result = run_import(bundle, received)
    assert result.code == 0, result.stderr
    assert "it was rolled back" in result.stderr
    assert not staging.exists()
    assert set(contents(received)) >= set(before)


def test_a_second_import_into_the_same_folder_waits_for_none_and_is_refused(tmp_path, received):
    """The trial: two imports at once both reported success, and the record could disagree
    with the files. The folder's lock refuses the second at once."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    first = Stopped(bundle, received, "after", 2)
    second = run_import(bundle, received)
    assert second.code == 1
    assert second.stderr.splitlines() == [
        f"protokit: error: {received}: another import into this folder is running: wait until "
        "it has finished, then import again; nothing was changed"
    ]
    code, _, error = first.finish()
    assert code == 0, error
    assert run_import(bundle, received).stderr.splitlines()[-1].endswith("2 unchanged")


def test_a_leftover_staging_folder_without_older_copies_says_so(tmp_path, received):
    """A staging folder without a journal was made by an earlier protokit: a person decides."""
    staging = received / ".protokit" / "staging-x1y2"
    (staging / "new").mkdir(parents=True)
    (staging / "new" / f"{ID}.json").write_text("{}")
    result = run_import(publish(tmp_path, "1.1.0"), received)
    assert result.code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"protokit: error: {staging}: an import into {received} is running")
    assert line.endswith(
        f"It holds no older copy of any file in {received}, only files the import had not "
        f"moved in yet. If no import into {received} is running, delete the folder and import "
        "again; nothing was changed"
    )
    assert staging.exists()


class Interruption(Exception):
    pass


def _import_in_process(bundle: Path, target: Path):
    from protocol_kit.app.bundle import ImportOptions, VerifyOptions, import_bundle

    return import_bundle(bundle, target, ImportOptions(verify=VerifyOptions(allow_unsigned=True)))


def _replace_calling(monkeypatch, actions: dict[int, object], within: Path) -> None:
    """os.replace, with `actions[n]` done at its n-th move of a file in `within` (the import's
    own moves): an exception raised, or a function called before the move. A cache file that
    the run writes meanwhile (kept answers, compiled patterns: how many depends on what
    earlier runs left) is moved elsewhere and not counted, or the test would depend on it."""
    real, calls = os.replace, []

    def ours(path) -> bool:
        return isinstance(path, (str, os.PathLike)) and Path(path).is_relative_to(within)

    def replace(*args):
        if not (ours(args[0]) or ours(args[1])):
            return real(*args)
        calls.append(args)
        action = actions.get(len(calls))
        if isinstance(action, BaseException):
            raise action
        if callable(action):
            action()
        return real(*args)

    monkeypatch.setattr(os, "replace", replace)


@pytest.fixture
def ctrl_c():
    """Ctrl-C as at a terminal (KeyboardInterrupt), even in a test worker that ignores SIGINT."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_a_second_signal_during_the_undo_waits_until_the_folder_is_restored(
    tmp_path, received, monkeypatch, ctrl_c
):
    """Ctrl-C pressed again while the import puts files back: the undo finishes first."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(received)
    # Move 4 fails; move 5 is the undo putting the old example protocol back.
    second_press = lambda: os.kill(os.getpid(), signal.SIGINT)  # noqa: E731
    _replace_calling(monkeypatch, {4: Interruption("disk full"), 5: second_press}, received)
    with pytest.raises(KeyboardInterrupt):
        _import_in_process(bundle, received)
    assert snapshot(received) == before


def test_an_undo_that_fails_keeps_the_older_copies_and_says_where(tmp_path, received, monkeypatch):
    from protocol_kit.errors import OutputError

    bundle = publish(tmp_path, "1.1.0", hold=50)
    original = (received / f"{ID}.json").read_bytes()
    failure = OSError(5, "Input/output error")
    _replace_calling(monkeypatch, {4: Interruption("disk full"), 5: failure}, received)
    with pytest.raises(OutputError) as raised:
        _import_in_process(bundle, received)
    [staging] = (received / ".protokit").glob("staging-*")
    assert str(raised.value) == (
        f"{staging}: the import into {received} failed (disk full) and could not be undone "
        f"completely. The older copies of the files it replaced are kept in "
        f"{staging / 'replaced'}: read {staging / 'README.txt'} and put them back"
    )
    assert (staging / "replaced" / f"{ID}.json").read_bytes() == original
    monkeypatch.undo()
    # The next import puts the older copies back from the journal, then imports.
    result = run_import(bundle, received)
    assert result.code == 0, result.stderr
    assert "it was rolled back" in result.stderr


def test_a_staging_folder_left_beside_the_target_by_an_earlier_protokit_is_reported(
    tmp_path, received
):
    """Earlier versions staged beside the target; a killed import left the only copy of a
    replaced protocol there, as `old-N`."""
    legacy = received.parent / f".{received.name}.import-k2j4"
    legacy.mkdir()
    (legacy / "old-1").write_bytes((received / f"{ID}.json").read_bytes())
    result = run_import(publish(tmp_path, "1.1.0"), received)
    assert result.code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"protokit: error: {legacy}: an import into {received} is running")
    assert "Its files named old-N are the older copies of files that the import had" in line
    assert legacy.exists()
