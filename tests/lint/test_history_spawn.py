"""The version rule's git process, started without subprocess (protocol_kit/lint/history.py
`spawn`): pipes both ways, standard error to the null device, the signals the interpreter
ignores reset, the process waited for at exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import types

import pytest

from protocol_kit.lint import history


def ignored_signals(batch: history.Batch) -> int:
    batch.stdin.close()
    mask = next(
        line.split()[1]
        for line in batch.stdout.read().decode().splitlines()
        if line.startswith("SigIgn:")
    )
    return int(mask, 16)


@pytest.mark.parametrize("by_popen", [False, True])
def test_a_child_answers_through_its_pipes(monkeypatch, by_popen):
    if by_popen:  # as where posix_spawnp is missing
        monkeypatch.delattr(os, "posix_spawnp")
    batch = history.spawn(["sh", "-c", 'read line; echo "got $line"; echo oops >&2'])
    batch.stdin.write(b"HEAD:protocol.json\n")
    batch.stdin.flush()
    assert batch.stdout.readline() == b"got HEAD:protocol.json\n"
    assert batch.stdout.read() == b""  # its standard error went elsewhere
    history._close(batch)
    with pytest.raises(ChildProcessError):
        os.waitpid(batch.pid, os.WNOHANG)  # waited for already


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="Linux's /proc")
def test_the_child_does_not_ignore_sigpipe():
    # The interpreter ignores SIGPIPE; git, like any program, expects it as it comes.
    assert signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN
    batch = history.spawn(["cat", "/proc/self/status"])
    assert not ignored_signals(batch) & (1 << (signal.SIGPIPE - 1))
    history._close(batch)


def test_a_missing_program_is_an_os_error():
    with pytest.raises(OSError):
        history.spawn(["protokit-no-such-program-here"])


def clock_of(monotonic, sleep):
    """A stand-in for the `time` module as `history` alone sees it: patching the module itself
    changed the clock of every thread of the test process (a workbench server's thread on the
    same worker died of the exhausted clock)."""
    return types.SimpleNamespace(monotonic=monotonic, sleep=sleep)


def test_a_child_that_does_not_end_is_killed(monkeypatch):
    batch = history.spawn(["sh", "-c", "trap '' TERM; exec sleep 30 < /dev/null"])
    clock = iter([0.0, 10.0, 20.0])
    monkeypatch.setattr(history, "time", clock_of(lambda: next(clock), time.sleep))
    history._close(batch)
    with pytest.raises(ChildProcessError):
        os.waitpid(batch.pid, os.WNOHANG)


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="Linux's process descriptors")
def test_a_child_ending_with_its_input_is_waited_for_not_polled(monkeypatch):
    # git ends as soon as its input is closed: its end is waited for (a process descriptor),
    # not looked for at growing intervals, which saw it 4 to 9 ms late at the end of every
    # validate in a repository (issue 17).
    try:
        os.close(os.pidfd_open(os.getpid()))
    except OSError:
        pytest.skip("a kernel without process descriptors")

    def no_sleep(seconds):
        raise AssertionError(f"polled: slept {seconds} s")

    batch = history.spawn(["cat"])
    monkeypatch.setattr(history, "time", clock_of(time.monotonic, no_sleep))
    history._close(batch)
    with pytest.raises(ChildProcessError):
        os.waitpid(batch.pid, os.WNOHANG)  # waited for already


def test_pipes_are_not_crossed_when_standard_streams_are_closed():
    # `protokit validate FILE <&- >&-` (a hook runner with no terminal): the pipes' own
    # numbers are then 0 and 1, the very ones the child's ends are moved to.
    code = (
        "import os, sys\n"
        "os.close(0)\n"
        "os.close(1)\n"
        "from protocol_kit.lint import history\n"
        "batch = history.spawn(['sh', '-c', 'read line; echo \"got $line\"'])\n"
        "batch.stdin.write(b'HEAD\\n')\n"
        "batch.stdin.flush()\n"
        "sys.stderr.write(batch.stdout.readline().decode())\n"
        "history._close(batch)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr == "got HEAD\n"


def _git_repository(folder):
    def git(*args):
        subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "lead@example.org")
    git("config", "user.name", "Lead")
    (folder / "protocol.json").write_text('{"version": "1.0.0"}\n')
    git("add", "protocol.json")
    git("commit", "-qm", "first")
    return folder / "protocol.json"


def test_a_history_let_go_ends_its_git_process(tmp_path):
    # The workbench builds a linter (and its history) for each check: were the batch process
    # kept until the server stops, a day of checks would leave a git process and two pipes
    # per check, until the server ran out of processes or files.
    path = _git_repository(tmp_path)
    started = []
    for _ in range(3):
        found = history.GitHistory()
        assert found.previous(str(path), "HEAD") == {"version": "1.0.0"}
        (batch,) = found._batches.values()
        started.append(batch)
        del found  # as a check's linter is let go
    for batch in started:
        with pytest.raises(ChildProcessError):
            os.waitpid(batch.pid, os.WNOHANG)  # ended and waited for, not left to exit
