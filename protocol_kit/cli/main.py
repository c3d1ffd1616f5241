"""The `protokit` group, its lazy command table, and the exit-code policy."""

from __future__ import annotations

import contextlib
import errno
import importlib
import importlib.util
import os
import signal
import sys

import click

from protocol_kit import __version__
from protocol_kit.cli.output import keep_encodable
from protocol_kit.errors import ProtokitError
from protocol_kit.untrusted.text import printable

# Command name -> "module:attribute". Modules are imported only when the command is used.
COMMANDS = {
    "validate": "protocol_kit.cli.validate:validate",
    "new": "protocol_kit.cli.new:new",
    "schemas": "protocol_kit.cli.schemas:schemas",
    "rules": "protocol_kit.cli.rules:rules",
    "checklist": "protocol_kit.cli.checklist:checklist",
    "redflags": "protocol_kit.cli.redflags:redflags",
    "measures": "protocol_kit.cli.measures:measures",
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

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report
# A write that failed for lack of room or a broken device (not a programming error).
_WRITE_FAILURES = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT}


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


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._available(name)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                return None  # listed for a feature that is not in this version
            raise
        return refuse_empty_names(getattr(module, attribute))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as error:
            # Click suggests only commands it has loaded; these are loaded on first use.
            import difflib  # only for a mistyped command: not at every start-up

            message = error.format_message()
            name = click.utils.make_str(args[0])
            matches = difflib.get_close_matches(name, self.list_commands(ctx))
            if error.ctx is not ctx or "Did you mean" in message or not matches:
                raise
            choices = ", ".join(repr(match) for match in matches)
            hint = (
                f"Did you mean {choices}?"
                if len(matches) == 1
                else f"(Did you mean one of: {choices}?)"
            )
            raise click.UsageError(f"{message} {hint}", ctx) from None

    @staticmethod
    def _available(name: str) -> bool:
        module_name = COMMANDS[name].partition(":")[0]
        return importlib.util.find_spec(module_name) is not None


def refuse_empty_names(command: click.Command) -> click.Command:
    """`command` (and its subcommands) refusing an empty file or folder name, given as an
    argument or to an option, as a usage error.

    Python reads the path `''` as the current folder: `protokit fmt "$FILE"` with FILE unset
    reformatted every file under it, `validate ""` checked it, `build -o ""` wrote sheets into
    it and `--config ""` fell back to the defaults without a word."""
    if getattr(command, "_empty_names_refused", False):
        return command
    command._empty_names_refused = True  # type: ignore[attr-defined]
    for param in command.params:
        if isinstance(param.type, click.Path) or param.name == "paths":
            param.callback = _non_empty(param.callback, PATH_EMPTY)
        elif param.name == "language":
            # `--language "$LANG_TAG"` with the variable unset printed the default language.
            param.callback = _non_empty(param.callback, LANGUAGE_EMPTY)
    for subcommand in getattr(command, "commands", {}).values():
        refuse_empty_names(subcommand)
    return command


PATH_EMPTY = "an empty name names no file or folder (it would be read as the current folder)"
LANGUAGE_EMPTY = (
    "an empty tag names no language (en, fr, es, de, pl, el; leave the option out for the default)"
)


def _non_empty(callback, message: str):  # noqa: ANN001, ANN202 (click's callback protocol)
    def check(ctx: click.Context, param: click.Parameter, value: object) -> object:
        values = value if isinstance(value, (tuple, list)) else (value,)
        if any(isinstance(v, str) and v == "" for v in values):
            raise click.BadParameter(message, ctx, param)
        return callback(ctx, param, value) if callback is not None else value

    return check


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="protokit")
def cli() -> None:
    """Validate, lint and publish exercise protocols.

    Protocols are JSON files checked against the published schemas in `schemas/`. Start with
    `protokit new protocol my-protocol`, then `protokit validate protocols/`.
    """


# Click 8.2+ raises this for a group called without a command: it shows the group's help.
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


def usage_line(error: click.UsageError) -> str:
    """Click's usage error as one line in the tool's style: the command, the message, and where
    to find help (`protokit render: error: Missing option '-o' / '--output' (see: ...)`)."""
    ctx = error.ctx
    command = ctx.command_path if ctx is not None else "protokit"
    message = printable(" ".join(error.format_message().split()))
    if message.endswith(".") and not message.endswith(".."):
        message = message[:-1]
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        help_names = ctx.command.get_help_option_names(ctx)
        option = "-h" if "-h" in help_names else min(help_names, key=len)
        message += f" (see: {command} {option})"
    return f"{command}: error: {message}"


def _interrupted(error: BaseException) -> bool:
    """Whether an Abort comes from Ctrl-C (click turns KeyboardInterrupt into Abort)."""
    cause = error.__cause__ or error.__context__
    return isinstance(cause, KeyboardInterrupt)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the group and turns every failure into one line and an exit code."""
    keep_encodable()
    try:
        previous = signal.signal(signal.SIGTERM, _terminated_in(os.getpid()))
    except ValueError:  # called from another thread than the main one: no handler there
        previous = None
    try:
        code = _flushed(_run(argv))
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _run(argv: list[str] | None) -> int | None:
    try:
        code = cli.main(args=argv, prog_name="protokit", standalone_mode=False)
    except click.exceptions.Exit as done:
        code = done.exit_code
    except _NO_ARGS_IS_HELP as error:
        error.show()  # `protokit` alone, or a group alone: its help, as click prints it
        code = EXIT_USAGE
    except click.UsageError as error:
        click.echo(usage_line(error), err=True)
        code = EXIT_USAGE
    except click.ClickException as error:
        message = printable(" ".join(error.format_message().split()))
        click.echo(f"protokit: error: {message}", err=True)
        code = EXIT_USAGE
    except click.exceptions.Abort as error:
        if _interrupted(error):
            click.echo("protokit: interrupted", err=True)
            code = EXIT_INTERRUPTED
        else:
            click.echo("protokit: aborted", err=True)
            code = EXIT_USAGE
    except ProtokitError as error:
        # Messages quote file names and values from files: one visible line, whatever they hold.
        click.echo(f"protokit: error: {printable(error)}", err=True)
        code = error.exit_code
    except KeyboardInterrupt:
        click.echo("protokit: interrupted", err=True)
        code = EXIT_INTERRUPTED
    except Terminated:
        click.echo("protokit: terminated", err=True)
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
                click.echo(f"protokit: error: {name}: {error.strerror}", err=True)
                return EXIT_USAGE
            return _internal_error(error)
        # Standard output is a full disk or a broken device (`> /dev/full`): the report was not
        # written, and success must not be claimed.
        click.echo(f"protokit: error: cannot write the output: {error.strerror}", err=True)
        _discard_stdout()
        code = EXIT_USAGE
    except Exception as error:  # the last safety net: one line, never a traceback
        return _internal_error(error)
    return code


def _internal_error(error: Exception) -> int:
    if os.environ.get("PROTOKIT_DEBUG"):
        raise error
    click.echo(
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
        click.echo(f"protokit: error: cannot write the output: {error.strerror}", err=True)
        _discard_stdout()
        return EXIT_USAGE
    return code


def _discard_stdout() -> None:
    # What could not be written must not be tried again (and fail again) at exit.
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (kept open until exit)
