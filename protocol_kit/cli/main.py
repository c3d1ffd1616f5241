"""The `protokit` command's entry point: the exit-code policy, and every failure as one line.

The click group is in `protocol_kit.cli.group`, imported only for command lines that the quick
reading of `validate` (`protocol_kit.cli.validate_run.quick_args`) leaves to it: importing click
is about a third of the start-up of `protokit validate FILE`."""

from __future__ import annotations

import errno
import gc
import os
import sys

from protocol_kit.cli import _imports_uncollected
from protocol_kit.cli.output import ClosedOutput, discard_stdout, echo, keep_encodable
from protocol_kit.errors import ProtokitError
from protocol_kit.lean_imports.json_module import json_module
from protocol_kit.lean_imports.pathlib_module import pathlib
from protocol_kit.lean_imports.signals import signals as signal
from protocol_kit.untrusted.text import printable

_imports_uncollected.over()

# Command name -> "module:attribute". Modules are imported only when the command is used.
COMMANDS = {
    "validate": "protocol_kit.cli.validate:validate",
    "init": "protocol_kit.cli.init:init",
    "new": "protocol_kit.cli.new:new",
    "schemas": "protocol_kit.cli.schemas:schemas",
    "rules": "protocol_kit.cli.rules:rules",
    "checklist": "protocol_kit.cli.checklist:checklist",
    "redflags": "protocol_kit.cli.redflags:redflags",
    "measures": "protocol_kit.cli.measures:measures",
    "codes": "protocol_kit.cli.codes:codes",
    "render": "protocol_kit.cli.render:render",
    "illustrate": "protocol_kit.cli.illustrate:illustrate",
    "build": "protocol_kit.cli.build:build",
    "bundle": "protocol_kit.cli.bundle:bundle",
    "keys": "protocol_kit.cli.keys:keys",
    "export": "protocol_kit.cli.export:export",
    "import": "protocol_kit.cli.importing:import_",
    "fmt": "protocol_kit.cli.fmt:fmt",
    "serve": "protocol_kit.cli.serve:serve",
}

# What the documentation calls a command by, where that is not its name: `protokit workbench`
# (docs/workbench.md, "the workbench") said only "No such command".
CALLED = {"workbench": "serve"}

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report
# A write that failed for lack of room, a broken device or no output at all (not a programming
# error).
_WRITE_FAILURES = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EBADF}


class Terminated(BaseException):
    """SIGTERM (a `kill`, a service stopping, a CI job cancelled), raised where the program is,
    like KeyboardInterrupt for Ctrl-C: so that work in progress is undone the same way (an
    import puts every file back) instead of the process vanishing half way."""


def _terminated_in(pid: int):  # noqa: ANN202 (a signal handler)
    def handler(number: int, frame: object) -> None:
        if os.getpid() != pid:
            # A forked worker (parallel validate or build): end as SIGTERM means; the parent
            # process does the cleaning up.
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        raise Terminated

    return handler


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the group and turns every failure into one line and an exit code.

    Without `argv` it is the process's command (the `protokit` script, `python -m
    protocol_kit`), which ends when it returns: `validate` then spares the process the
    collector's work on objects that live until the end (`_pause_for_setup`)."""
    if argv is None and sys.argv[1:2] == ["validate"]:
        _pause_for_setup()  # from the first module `validate` imports (`_run` may undo it)
    pathlib()  # before any module of the command imports it: without urllib.parse
    keep_encodable()
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        sys.stdout = ClosedOutput()
    try:
        previous = signal.signal(signal.SIGTERM, _terminated_in(os.getpid()))
    except ValueError:  # called from another thread than the main one: no handler there
        previous = None
    try:
        code = _flushed(_run(argv))
    except SystemExit as exiting:
        # `validate` read without click ends as its click command does (`_quick`).
        if not (isinstance(exiting.code, int) and _ends_at_once(argv)):
            raise
        code = _flushed(exiting.code)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if _collector["ending"]:
            settled()  # if a failure came before the files were checked
            gc.freeze()
    code = code if isinstance(code, int) else EXIT_OK
    if _ends_at_once(argv):
        _end_at_once(code)
    sys.exit(code)


def _ends_at_once(argv: list[str] | None) -> bool:
    """Whether this run is `validate` as the process's command (`_end_at_once`)."""
    return argv is None and _collector["ending"] and the_command()


def the_command() -> bool:
    """Whether this process is the `protokit` command itself: the console script (the
    program named `protokit`) or `python -m protocol_kit`, not a program or a test that
    calls `main` (`python -c`, a script of its own), which goes on after it returns."""
    program = sys.modules.get("__main__")
    spec = getattr(program, "__spec__", None)
    if spec is not None:
        return spec.name == "protocol_kit.__main__"
    return os.path.basename(getattr(program, "__file__", None) or "") == "protokit"


def _end_at_once(code: int) -> None:
    """End `protokit validate`, run as the process's command, as the interpreter would but
    without taking itself apart: the `atexit` functions run (the caches are written, git's
    process is waited for), standard output and error are flushed, and the process ends with
    `code`. The interpreter's own ending then cleared every module and freed, one by one,
    every object still alive (each module's functions, classes and tables) for memory the
    system takes back at once: about 5 million instructions, 1.7 % of a one-file `protokit
    validate` (issue 17). Every file `validate` writes is written whole and closed where it
    is made (`files.write_atomic`), its SQLite writes committed (`cache`), before this.
    Not under `python -i` (its prompt comes after), nor where `atexit` cannot be asked to
    run its functions (another interpreter): there the process ends as usual."""
    import atexit

    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_functions is None or sys.flags.inspect:
        sys.exit(code)
    try:
        run_exit_functions()
        for stream in (sys.stdout, sys.stderr):
            try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
                stream.flush()
            except (OSError, ValueError, AttributeError):  # closed, or gone: nothing to keep
                pass
    finally:  # a Ctrl-C meanwhile: still this status, never a traceback
        os._exit(code)


# The cyclic garbage collector in `protokit validate`, run as the process's command.
# New objects between young collections while one named file is checked (the default is 700):
# its check makes a few thousand objects that mostly live until the end, and the collector
# went over them about ten times (2.6 million instructions of psoas's run, issue 17). Still a
# number, not "never": a file of the largest size (--max-bytes) is collected as it goes.
_ONE_FILE_YOUNG = 50_000
_collector = {"paused": False, "ending": False}


def _pause_for_setup() -> None:
    """No cyclic collection while `validate` sets up (its modules, configuration and rules)
    until `settled`, and none of what is left at exit (`main`).

    Importing modules makes objects that live as long as the process: the collector, started
    every 700 new objects, scanned them again and again before the file was read (about
    thirty young and three older collections), finding almost nothing. At exit the
    interpreter's last collection went over every object still alive (each module's
    functions, classes and data) to free memory the system takes back a moment later: about
    a tenth of `protokit validate FILE`. Frozen, they are outside its scans. What the exit
    does is otherwise unchanged: the `atexit` functions run (the patterns cache is written,
    git's process is waited for), standard output and error are flushed, every module's
    globals are cleared and what they alone held is freed; only objects held in reference
    cycles are left to the system instead of being taken apart one by one (and nothing is,
    when the process is the command itself: `_end_at_once`). protocol-kit
    keeps nothing that only a finalizer would release: its files are written and closed
    where they are made (`files.write_atomic`), its SQLite writes committed (`cache`)."""
    _collector["ending"] = True
    if gc.isenabled():
        gc.disable()
        _collector["paused"] = True


def _resume() -> None:
    """`_pause_for_setup` undone: the collector as it was before it."""
    _collector["ending"] = False
    if _collector["paused"]:
        _collector["paused"] = False
        gc.enable()


def settled(one_file: bool = False) -> None:
    """Set-up is over: what it made is frozen (outside the collector's scans from now on, as
    a worker does with what it starts with) and the collector runs again, so that a run over
    many files stays flat in memory (`one_file`: one named file of at most the default size,
    checked with young collections further apart, `_ONE_FILE_YOUNG`, and its caches' answers
    not weighed, `bounded.weigh_answers`). Nothing when the collector was not
    paused (a test that calls `main` with its arguments, the click command)."""
    if _collector["paused"]:
        _collector["paused"] = False
        gc.freeze()
        if one_file:
            from protocol_kit.bounded import weigh_answers

            gc.set_threshold(_ONE_FILE_YOUNG, *gc.get_threshold()[1:])
            weigh_answers(False)
        gc.enable()


def _run(argv: list[str] | None) -> int | None:
    words = sys.argv[1:] if argv is None else list(argv)
    try:
        os.getcwd()
    except FileNotFoundError:
        # Every command finds its configuration and names files from the working folder: in
        # one deleted under the shell (a checkout, a clean-up), each ended in an internal
        # error (H420).
        echo(
            "protokit: error: the current folder no longer exists (it was deleted or moved): "
            "change to a folder that exists and run the command again",
            err=True,
        )
        return EXIT_USAGE
    files = sys.modules.get("protocol_kit.files")
    if files is not None:  # a command run before in this process (tests): its files are its own
        files.forget_written()
    try:
        if words[:1] == ["validate"] and not os.environ.get(_COMPLETING):
            # json's own patterns from their code in the pattern cache, which validate reads
            # anyway: before the modules of validate import json.
            json_module()
            from protocol_kit.cli.validate_run import execute, quick_args

            args = quick_args(words)
            if args is not None:
                return _quick(execute, args)
        _resume()  # the click command's: collected as any other command's
        from protocol_kit.cli.group import run

        code = run(argv)
    except ProtokitError as error:
        # Messages quote file names and values from files: one visible line, whatever they hold.
        echo(f"protokit: error: {printable(error)}", err=True)
        code = error.exit_code
    except KeyboardInterrupt:
        echo("protokit: interrupted", err=True)
        code = EXIT_INTERRUPTED
    except Terminated:
        echo("protokit: terminated", err=True)
        code = EXIT_TERMINATED
    except BrokenPipeError:
        # The reader went away (for example `| head`): nothing left to say to it.
        sys.stderr.close()
        code = EXIT_FINDINGS
    except OSError as error:
        if error.errno not in _WRITE_FAILURES:
            if error.filename is not None and error.strerror:
                # The system refused a path the user gave (a name too long, a folder that
                # cannot be entered): the user's to fix, said in one line, not a defect.
                name = printable(os.fsdecode(error.filename))
                echo(f"protokit: error: {name}: {error.strerror}", err=True)
                return EXIT_USAGE
            return _internal_error(error)
        # Standard output is a full disk or a broken device (`> /dev/full`): the report was not
        # written, and success must not be claimed.
        echo(_output_failed(error), err=True)
        discard_stdout()
        code = EXIT_USAGE
    except Exception as error:  # the last safety net: one line, never a traceback
        return _internal_error(error)
    return code


# Set by a shell asking click for completions: click's to answer.
_COMPLETING = "_PROTOKIT_COMPLETE"


def _quick(execute, args) -> int:  # noqa: ANN001 (validate_run's, imported on use)
    """`validate` read without click, run as the click command runs it: its exit status as
    SystemExit, and Ctrl-C or the end of input as click reports them (an empty line first)."""
    try:
        raise SystemExit(execute(args))
    except KeyboardInterrupt:
        echo("", err=True)
        raise
    except EOFError:
        echo("", err=True)
        echo("protokit: aborted", err=True)
        return EXIT_USAGE


def _internal_error(error: Exception) -> int:
    if os.environ.get("PROTOKIT_DEBUG"):
        raise error
    echo(
        f"protokit: internal error: {type(error).__name__}: {printable(error)} "
        "(please report this; set PROTOKIT_DEBUG=1 for details)",
        err=True,
    )
    return EXIT_USAGE


def _flushed(code: int | None) -> int | None:
    """Write out what is still buffered for standard output, so that a write that fails at the
    end (a full disk) is reported, not lost in the interpreter's shutdown."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return code
    except OSError as error:
        echo(_output_failed(error), err=True)
        discard_stdout()
        return EXIT_USAGE
    return code


def _output_failed(error: OSError) -> str:
    """The report could not be written; what the command did write is kept, and said, so that
    a script (or a person) does not take a finished build, bundle or import for undone and
    do it again in the dark."""
    said = f"protokit: error: cannot write the output: {error.strerror}"
    files = sys.modules.get("protocol_kit.files")
    written = files.written_files() if files else []
    if not written:
        return said
    if len(written) == 1:
        return f"{said} ({printable(written[0])} was written and is kept)"
    names = ", ".join(printable(path) for path in written[:3])
    more = f" and {len(written) - 3} more" if len(written) > 3 else ""
    return f"{said} ({len(written)} files were written and are kept: {names}{more})"
