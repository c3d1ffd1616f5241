"""The `protokit` click group: its lazy command table, click's errors as one line each, and
the refusal of empty file names. `protocol_kit.cli.main` runs it for every command line that
`validate`'s quick reading (`validate_run.quick_args`) leaves to click."""

from __future__ import annotations

import importlib
import importlib.util
import re

import click

from protocol_kit import __version__
from protocol_kit.cli.main import CALLED, COMMANDS, EXIT_INTERRUPTED, EXIT_USAGE
from protocol_kit.cli.output import echo
from protocol_kit.untrusted.text import QUOTED_LIMIT, capped, printable, quoted


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
        return quote_extra_arguments(refuse_empty_names(getattr(module, attribute)))

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
            matches = [CALLED[name]] if ctx.parent is None and name in CALLED else []
            matches = matches or difflib.get_close_matches(name, self.list_commands(ctx))
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
    argument or to an option, as a usage error; and `-` where the option does not mean
    standard input or output by it.

    Python reads the path `''` as the current folder: `protokit fmt "$FILE"` with FILE unset
    reformatted every file under it, `validate ""` checked it, `build -o ""` wrote sheets into
    it and `--config ""` fell back to the defaults without a word."""
    if getattr(command, "_empty_names_refused", False):
        return command
    command._empty_names_refused = True  # type: ignore[attr-defined]
    for param in command.params:
        if isinstance(param.type, click.Path) and not param.type.allow_dash:
            # `-o -` wrote a file named "-" (and "wrote -" into the pipe meant for it) where
            # validate's `-o -` is standard output (H227).
            param.callback = _not_a_dash(_non_empty(param.callback, PATH_EMPTY))
        elif isinstance(param.type, click.Path) or param.name == "paths":
            param.callback = _non_empty(param.callback, PATH_EMPTY)
        elif param.name == "language":
            # `--language "$LANG_TAG"` with the variable unset printed the default language.
            param.callback = _non_empty(param.callback, LANGUAGE_EMPTY)
    for subcommand in getattr(command, "commands", {}).values():
        refuse_empty_names(subcommand)
    return command


def quote_extra_arguments(command: click.Command) -> click.Command:
    """`command` (and its subcommands) refusing arguments it does not take with each one
    quoted as it is. Click joins them with spaces, and a line break in one was printed as a
    space: `render a.json $'b.json\\n' -o s.pdf` said "(b.json )", and one argument "x y"
    could not be told from two (H471)."""
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            quote_extra_arguments(subcommand)
        return command
    if getattr(command, "_extra_arguments_quoted", False):
        return command
    command._extra_arguments_quoted = True  # type: ignore[attr-defined]
    command.allow_extra_args = True  # so that click leaves them to the check below
    parse = command.parse_args

    def parse_args(ctx: click.Context, args: list[str]) -> list[str]:
        rest = parse(ctx, args)
        if ctx.args and not ctx.resilient_parsing:
            extra = ", ".join(quoted(arg) for arg in ctx.args)
            plural = "s" if len(ctx.args) > 1 else ""
            ctx.fail(f"Got unexpected extra argument{plural} ({extra})")
        return rest

    command.parse_args = parse_args  # type: ignore[method-assign]
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


DASH = (
    "'-' means standard input or output, which this option does not read or write; name a file "
    "or folder (./- for one called '-')"
)


def _not_a_dash(callback):  # noqa: ANN001, ANN202 (click's callback protocol)
    def check(ctx: click.Context, param: click.Parameter, value: object) -> object:
        values = value if isinstance(value, (tuple, list)) else (value,)
        if any(isinstance(v, str) and v == "-" for v in values):
            raise click.BadParameter(DASH, ctx, param)
        return callback(ctx, param, value)

    return check


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="protokit")
def cli() -> None:
    """Validate, lint and publish exercise protocols.

    Protocols are JSON files checked against the published schemas and clinical safety rules.
    In a new folder, start with `protokit init` (your clinic's details, printed on every sheet),
    then `protokit new protocol knee-rehab` and `protokit validate .`, or work in the browser
    with `protokit serve`.
    """


# Click 8.2+ raises this for a group called without a command: it shows the group's help.
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


# A run of text in click's message long enough to be a value the user gave, not click's words.
_LONG_WORD = re.compile(rf"\S{{{2 * QUOTED_LIMIT + 1},}}")
_CLOSING = re.compile(r"['\")]*[.,:;]?\Z")


def usage_line(error: click.UsageError) -> str:
    """Click's usage error as one line in the tool's style: the command, the message, and where
    to find help (`protokit render: error: Missing option '-o' / '--output' (see: ...)`). A
    value click quotes whole (an unknown command, option or choice of thousands of
    characters, from an unset or runaway variable) is shortened as every message shortens
    what it quotes (H350, H390)."""
    ctx = error.ctx
    command = ctx.command_path if ctx is not None else "protokit"
    message = _LONG_WORD.sub(_shortened, printable(" ".join(error.format_message().split())))
    if message.endswith(".") and not message.endswith(".."):
        message = message[:-1]
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        help_names = ctx.command.get_help_option_names(ctx)
        option = "-h" if "-h" in help_names else min(help_names, key=len)
        message += f" (see: {command} {option})"
    return f"{command}: error: {message}"


def _shortened(word: re.Match[str]) -> str:
    text = word.group()
    closing = _CLOSING.search(text).group()  # the quote (and full stop) click closed it with
    return capped(text, 2 * QUOTED_LIMIT, closing)


def _interrupted(error: BaseException) -> bool:
    """Whether an Abort comes from Ctrl-C (click turns KeyboardInterrupt into Abort)."""
    cause = error.__cause__ or error.__context__
    return isinstance(cause, KeyboardInterrupt)


def run(argv: list[str] | None) -> int | None:
    """Run the group; click's own failures (usage, an aborted prompt) become one line and an
    exit code. Everything else goes up to `protocol_kit.cli.main`."""
    try:
        return cli.main(args=argv, prog_name="protokit", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except _NO_ARGS_IS_HELP as error:
        error.show()  # `protokit` alone, or a group alone: its help, as click prints it
        return EXIT_USAGE
    except click.UsageError as error:
        echo(usage_line(error), err=True)
        return EXIT_USAGE
    except click.ClickException as error:
        message = printable(" ".join(error.format_message().split()))
        echo(f"protokit: error: {message}", err=True)
        return EXIT_USAGE
    except click.exceptions.Abort as error:
        if _interrupted(error):
            echo("protokit: interrupted", err=True)
            return EXIT_INTERRUPTED
        echo("protokit: aborted", err=True)
        return EXIT_USAGE
