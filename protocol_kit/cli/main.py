"""The `protokit` group, its lazy command table, and the exit-code policy."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

from protocol_kit import __version__
from protocol_kit.errors import ProtokitError

# Command name -> "module:attribute". Modules are imported only when the command is used.
COMMANDS = {
    "validate": "protocol_kit.cli.validate:validate",
    "new": "protocol_kit.cli.new:new",
    "schemas": "protocol_kit.cli.schemas:schemas",
    "rules": "protocol_kit.cli.rules:rules",
    "checklist": "protocol_kit.cli.checklist:checklist",
    "render": "protocol_kit.cli.render:render",
    "build": "protocol_kit.cli.build:build",
    "bundle": "protocol_kit.cli.bundle:bundle",
    "keys": "protocol_kit.cli.keys:keys",
    "export": "protocol_kit.cli.export:export",
}

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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
        return getattr(module, attribute)

    @staticmethod
    def _available(name: str) -> bool:
        module_name = COMMANDS[name].partition(":")[0]
        return importlib.util.find_spec(module_name) is not None


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="protokit")
def cli() -> None:
    """Validate, lint and publish exercise protocols.

    Protocols are JSON files checked against the published schemas in `schemas/`. Start with
    `protokit new protocol my-protocol`, then `protokit validate protocols/`.
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the group and turns every failure into one line and an exit code."""
    try:
        code = cli.main(args=argv, prog_name="protokit", standalone_mode=False)
    except click.exceptions.Exit as done:
        code = done.exit_code
    except click.ClickException as error:
        error.show()
        code = EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("protokit: aborted", err=True)
        code = EXIT_USAGE
    except ProtokitError as error:
        click.echo(f"protokit: error: {error}", err=True)
        code = error.exit_code
    except KeyboardInterrupt:
        click.echo("protokit: interrupted", err=True)
        code = 130
    except BrokenPipeError:
        # The reader went away (for example `| head`): nothing left to say to it.
        sys.stderr.close()
        code = EXIT_FINDINGS
    except Exception as error:  # the last safety net: one line, never a traceback
        if os.environ.get("PROTOKIT_DEBUG"):
            raise
        click.echo(
            f"protokit: internal error: {type(error).__name__}: {error} "
            "(please report this; set PROTOKIT_DEBUG=1 for details)",
            err=True,
        )
        code = EXIT_USAGE
    sys.exit(code if isinstance(code, int) else EXIT_OK)
