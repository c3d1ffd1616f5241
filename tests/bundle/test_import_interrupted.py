"""An import stopped half way: by Ctrl-C or SIGTERM it undoes itself; killed outright (SIGKILL,
a power cut) it leaves its staging folder, which the next import explains instead of running."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bundle_helpers import ID, import_current, publish, run_import, snapshot

from conftest import REPO

# The real command, with each move into place slowed down and counted in a file, so that the
# test can send a signal while the import is half done.
SLOW_MOVES = """
import os, sys, time
from pathlib import Path

real, moves = os.replace, []
def slow(*args, **kwargs):
    real(*args, **kwargs)
    moves.append(args)
    Path(sys.argv[1]).write_text(str(len(moves)))
    time.sleep(0.5)
os.replace = slow

from protocol_kit.cli.main import main
main(sys.argv[2:])
"""


@pytest.fixture
def received(tmp_path) -> Path:
    return import_current(tmp_path)


def start_import(tmp_path: Path, bundle: Path, target: Path, moves: int) -> subprocess.Popen:
    """`protokit bundle import`, running, once it has made `moves` moves into the folder. With
    the update of the example protocol, the plan moves: 1 the new protocol's image in, 2 the old
    example protocol aside, 3 its new version in, 4 the new protocol in, 5 and 6 the record."""
    counter = tmp_path / "moves"
    counter.unlink(missing_ok=True)
    command = ["bundle", "import", str(bundle), "--into", str(target), "--allow-unsigned"]
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_MOVES, str(counter), *command],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not (counter.exists() and counter.read_text() and int(counter.read_text()) >= moves):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import never got that far"
        time.sleep(0.01)
    return process


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
    process = start_import(tmp_path, bundle, received, moves=3)
    process.send_signal(number)
    _, error = process.communicate(timeout=60)
    assert process.returncode == status
    assert error.decode().splitlines()[-1] == said
    assert snapshot(received) == before  # every file back, and no staging folder


def contents(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in folder.rglob("*")
    }


def test_a_hard_crash_leaves_a_staging_folder_that_the_next_import_explains(tmp_path, received):
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = contents(received)
    original = (received / f"{ID}.json").read_bytes()
    process = start_import(tmp_path, bundle, received, moves=3)
    process.kill()  # as a power cut: nothing can be undone
    process.wait(timeout=60)
    [staging] = (received / ".protokit").glob("staging-*")
    assert (staging / "replaced" / f"{ID}.json").read_bytes() == original  # the only copy

    for options in ((), ("--dry-run",)):
        result = run_import(bundle, received, *options)
        assert result.code == 1
        assert result.stderr.splitlines() == [
            f"protokit: error: {staging}: an import into {received} is running, or one was "
            "stopped before it finished (the process was killed or the computer stopped) and "
            "left this folder. It holds the older copies of 1 file that the import had already "
            f"replaced in {received} ({ID}.json), perhaps the only copies. Read its README.txt: "
            "put back what you need, then delete the folder and import again; nothing was "
            "changed"
        ]
    assert staging.exists()  # never deleted without a person

    # What README.txt says to do puts the folder back as it was.
    readme = (staging / "README.txt").read_text()
    assert f"importing {bundle} into {received}" in readme
    added = [line.split()[1] for line in readme.splitlines() if line.startswith("  add ")]
    image = next(name for name in contents(received) if name.startswith("media/"))
    assert sorted(added) == [image, "second-programme.json"]  # planned, moved in or not
    for name in added:
        (received / name).unlink(missing_ok=True)
    (received / "media").rmdir()
    for old in (staging / "replaced").rglob("*"):
        if old.is_file():
            shutil.copyfile(old, received / old.relative_to(staging / "replaced"))
    shutil.rmtree(staging)
    assert contents(received) == before
    assert run_import(bundle, received).code == 0


def test_a_leftover_staging_folder_without_older_copies_says_so(tmp_path, received):
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


def _replace_calling(monkeypatch, actions: dict[int, object]) -> None:
    """os.replace, with `actions[n]` done at its n-th call: an exception raised, or a function
    called before the move."""
    real, calls = os.replace, []

    def replace(*args):
        calls.append(args)
        action = actions.get(len(calls))
        if isinstance(action, BaseException):
            raise action
        if callable(action):
            action()
        return real(*args)

    monkeypatch.setattr(os, "replace", replace)


def test_a_second_signal_during_the_undo_waits_until_the_folder_is_restored(
    tmp_path, received, monkeypatch
):
    """Ctrl-C pressed again while the import puts files back: the undo finishes first."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(received)
    # Move 4 fails; move 5 is the undo putting the old example protocol back.
    second_press = lambda: os.kill(os.getpid(), signal.SIGINT)  # noqa: E731
    _replace_calling(monkeypatch, {4: Interruption("disk full"), 5: second_press})
    with pytest.raises(KeyboardInterrupt):
        _import_in_process(bundle, received)
    assert snapshot(received) == before


def test_an_undo_that_fails_keeps_the_older_copies_and_says_where(tmp_path, received, monkeypatch):
    from protocol_kit.errors import OutputError

    bundle = publish(tmp_path, "1.1.0", hold=50)
    original = (received / f"{ID}.json").read_bytes()
    failure = OSError(5, "Input/output error")
    _replace_calling(monkeypatch, {4: Interruption("disk full"), 5: failure})
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
    assert "It holds the older copies of 1 file" in run_import(bundle, received).stderr


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
