"""A file's committed content at a git revision, for the version-not-bumped rule.

One `git cat-file --batch` process per repository per run (per worker process for large runs)
answers every file, instead of one `git` process per file. Outside a git repository, without
git, or for a file git does not know, the answer is None and the rule stays silent. A revision
that does not exist in the repository at all is different: comparing with it is impossible, so
`previous` raises MissingRevision (the rule turns it into a configuration error with the fix).
"""

from __future__ import annotations

import atexit
import os
import time
from pathlib import Path

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lean_imports.signals import signals as signal
from protocol_kit.untrusted.state import StateProblem, parse_state

if TYPE_CHECKING:
    from typing import IO, Any


class MissingRevision(Exception):
    """The revision to compare with does not exist in the repository."""

    def __init__(
        self, root: Path, revision: str, shallow: bool, missing_remote: str | None = None
    ) -> None:
        super().__init__(f"{revision} does not exist in {root}")
        self.root = root
        self.revision = revision
        self.shallow = shallow
        # The remote the revision names ("origin" of "origin/main") when the repository has
        # no such remote: a repository not yet pushed, where fetching cannot help.
        self.missing_remote = missing_remote


# The batch processes still running, each closed when the history that started it is let go
# (`GitHistory.__del__`), or else at exit (`_close_open`, registered with the first one).
_open: set[Batch] = set()


class GitHistory:
    """What git holds, asked of one batch process per repository for as long as this
    history is used: a run of `validate`, or one check or preview in the workbench. When it is
    let go its processes end, so that a workbench checking a file all day does not keep one
    git process (and its two pipes) per check until it stops."""

    def __init__(self) -> None:
        # The working folder the run's relative names are named from, read once: nothing in a
        # run changes it (protokit never calls `chdir`; each run, and each of the workbench's
        # checks, makes its own history), and one `getcwd` a file was 40 % of `previous` on
        # a file outside git (issue 17, thirty-second sitting, H1455).
        self._working = os.getcwd()
        self._roots: dict[str, Path | None] = {}
        self._named_roots: dict[tuple[str, str], Path | None] = {}
        self._batches: dict[Path, Batch | None] = {}
        self._revisions: dict[tuple[Path, str], bool | None] = {}

    def __del__(self) -> None:
        for process in self._batches.values():
            if process in _open:
                _open.discard(process)
                _close(process)

    def expect(self, path: str) -> None:
        """Start the batch process that will answer about `path` now, if it is in a
        repository: git starts on the other core while the file is read and checked, rather
        than when the version rule first asks (a pre-commit hook's one file waited for it)."""
        if path != "-" and "\n" not in path and os.path.isfile(path):
            root = self._root_of(os.path.dirname(os.path.abspath(path)))
            if root is not None:
                self._batch(root)

    def previous(self, path: str, revision: str) -> dict[str, Any] | None:
        """The JSON object `path` held at `revision`, or None."""
        if path == "-" or "\n" in path or "\n" in revision:
            return None
        # The repository by the folder as named (and the working folder it is named from),
        # so that a run over many files outside git makes no absolute path for each.
        # The absolute path as `os.path.abspath` makes it, from the run's working folder:
        # needed only for a file in a repository.
        working = self._working
        where = (working, os.path.dirname(path))
        if where not in self._named_roots:
            absolute_folder = os.path.normpath(os.path.join(working, os.path.dirname(path)))
            self._named_roots[where] = self._root_of(absolute_folder)
        root = self._named_roots[where]
        if root is None:
            return None
        absolute = os.path.normpath(os.path.join(working, path))
        batch = self._batch(root)
        known = self._revision_known(root, revision, batch)
        if known is None:
            return None  # a repository without any commit yet: nothing to compare with
        if not known:
            shallow = self._git(root, "rev-parse", "--is-shallow-repository") == "true"
            raise MissingRevision(root, revision, shallow, self._missing_remote(root, revision))
        if batch is None:
            return None
        relative = Path(absolute).relative_to(root).as_posix()
        if "\n" in relative:
            return None  # `cat-file --batch` reads one name a line: git cannot be asked
        found = self._ask(root, batch, f"{revision}:{relative}")
        if found is None or found[0] != b"blob":
            return None  # not in that revision
        content = found[1]
        # What a revision holds is read as any file from outside is: a committed file nested
        # too deep or holding a number of thousands of digits is no earlier version to compare.
        try:
            return parse_state(content)
        except StateProblem:
            return None

    def _revision_known(self, root: Path, revision: str, batch: Batch | None) -> bool | None:
        """Whether `revision` names a commit in the repository; None when nothing can be
        compared (git cannot be run, or HEAD in a repository without any commit yet).

        The batch process that reads the files answers the usual case (the revision is a
        commit) too: one git process a run, not two, for a pre-commit hook's single file."""
        key = (root, revision)
        if key not in self._revisions:
            found = None if batch is None else self._ask(root, batch, f"{revision}^{{commit}}")
            commit = f"{revision}^{{commit}}"
            if (found is not None and found[0] == b"commit") or self._git(
                root, "rev-parse", "--verify", "--quiet", "--end-of-options", commit
            ):
                known: bool | None = True
            elif self._git(root, "rev-parse", "--git-dir") is None or (
                revision == "HEAD" and not self._has_commits(root)
            ):
                known = None  # git cannot run here, or no commit yet
            else:
                known = False
            self._revisions[key] = known
        return self._revisions[key]

    def _ask(self, root: Path, batch: Batch, name: str) -> tuple[bytes, bytes] | None:
        """The type and content of the object `name` (`REV:PATH`, `REV^{commit}`) from the
        batch process; None when git has no such object or the process is gone."""
        try:
            batch.stdin.write(f"{name}\n".encode())
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if len(header) != 3 or not header[2].isdigit():
                return None  # "<name> missing" (or ambiguous)
            content = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)  # the newline after each object
        except (OSError, ValueError):
            self._batches[root] = None
            if batch in _open:  # a process that broke its pipe: ended now, not at exit
                _open.discard(batch)
                _close(batch)
            return None
        return header[1], content

    def _has_commits(self, root: Path) -> bool:
        return bool(self._git(root, "rev-list", "-n", "1", "--all"))

    def _missing_remote(self, root: Path, revision: str) -> str | None:
        """The remote `revision` names (`origin` of `origin/main`) when the repository has
        no remote of that name; None for a revision that names none, or one that exists."""
        remote, slash, _ = revision.partition("/")
        if not slash or not remote:
            return None
        remotes = self._git(root, "remote")
        if remotes is None or remote in remotes.split():
            return None
        return remote

    @staticmethod
    def _git(root: Path, *args: str) -> str | None:
        """What a git command prints, stripped; None when it fails or git is missing."""
        import subprocess  # a question the batch process does not answer: seldom asked

        try:
            done = subprocess.run(
                ["git", "-C", str(root), *args],
                capture_output=True,
                text=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    def _root_of(self, folder: str) -> Path | None:
        """The repository holding `folder` (an absolute path), worked out once per folder."""
        if folder not in self._roots:
            path = Path(folder)
            self._roots[folder] = next(
                (f for f in (path, *path.parents) if (f / ".git").exists()), None
            )
        return self._roots[folder]

    def _batch(self, root: Path) -> Batch | None:
        if root not in self._batches:
            try:
                process = spawn(["git", "-C", str(root), "cat-file", "--batch"])
            except OSError:
                process = None
            else:
                if not _open:
                    atexit.unregister(_close_open)  # registered once, however often
                    atexit.register(_close_open)
                _open.add(process)
            self._batches[root] = process
        return self._batches[root]


class Batch:
    """A child process with pipes to its standard input and from its standard output."""

    __slots__ = ("pid", "stdin", "stdout", "popen")

    def __init__(self, pid: int, stdin: IO[bytes], stdout: IO[bytes], popen: Any = None) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.popen = popen  # the subprocess.Popen that started it, where one did


def spawn(command: list[str]) -> Batch:
    """Start `command` (found on PATH) with pipes to its standard input and from its standard
    output, its standard error to the null device: what `subprocess.Popen` does for it, by
    `os.posix_spawnp`. Importing subprocess (threading, selectors, locale) took about a
    tenth of a valid file's start-up, and posix_spawn does not copy the interpreter's memory
    map as fork does. The signals the interpreter ignores are reset for the child, as Popen
    does (restore_signals). Where posix_spawnp is missing (Windows), Popen starts it."""
    if not hasattr(os, "posix_spawnp"):
        return _popen(command)
    child_in, to_child = os.pipe()
    from_child, child_out = os.pipe()
    try:
        pid = os.posix_spawnp(
            command[0],
            command,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, child_in, 0),
                (os.POSIX_SPAWN_DUP2, child_out, 1),
                (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
            ],
            setsigdef=[
                getattr(signal, name)
                for name in ("SIGPIPE", "SIGXFZ", "SIGXFSZ")
                if hasattr(signal, name)
            ],
        )
    except BaseException:
        os.close(to_child)
        os.close(from_child)
        raise
    finally:
        os.close(child_in)
        os.close(child_out)
    return Batch(pid, open(to_child, "wb"), open(from_child, "rb"))  # noqa: SIM115 (kept open)


def _popen(command: list[str]) -> Batch:
    import subprocess

    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdin is not None and process.stdout is not None
    return Batch(process.pid, process.stdin, process.stdout, process)


def _close_open() -> None:
    """At exit: close the batch processes whose history was never let go."""
    while _open:
        _close(_open.pop())


def _close(process: Batch) -> None:
    """Close the child's input (git then ends) and wait for it, 5 seconds at most."""
    try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
        process.stdin.close()
    except OSError:
        pass
    if process.popen is not None:
        _close_popen(process.popen)
        return
    deadline = time.monotonic() + 5
    try:
        if not _ended_by(process.pid, deadline):
            os.kill(process.pid, signal.SIGKILL)
            os.waitpid(process.pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass  # already waited for
    try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
        process.stdout.close()
    except OSError:
        pass


def _ended_by(pid: int, deadline: float) -> bool:
    """Whether the child `pid` ended, and was waited for, before `deadline` (a
    `time.monotonic` time). Where the system tells when a process ends (Linux's process file
    descriptors) that moment is waited for; else, or if it did not end by then, the child
    is asked at growing intervals. git ends about half a millisecond after its input is
    closed: asked at intervals, its end was seen 4 to 9 ms later on a loaded machine, at the
    end of every `protokit validate` in a repository (issue 17)."""
    ending = _ending_of(pid)
    if ending is not None:
        import select  # only here: a poll without the limit `select.select` has on numbers

        try:
            waiting = select.poll()
            waiting.register(ending, select.POLLIN)
            waiting.poll(max(0.0, deadline - time.monotonic()) * 1000)
        finally:
            os.close(ending)
    delay = 0.0005
    while os.waitpid(pid, os.WNOHANG)[0] == 0:
        if time.monotonic() > deadline:
            return False
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
    return True


def _ending_of(pid: int) -> int | None:
    """A file descriptor that becomes readable when the child `pid` ends (Linux 5.3 and
    later), or None."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):  # another system, an older kernel, an ended child
        return None


def _close_popen(process: Any) -> None:
    import subprocess

    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
