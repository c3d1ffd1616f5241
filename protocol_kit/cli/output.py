"""The one way a command prints a message built from names and texts it did not write.

File names come from the user's disk, names and titles from files and bundles: a newline in
one forges a second line ("protokit: error: ..." or "result: OK"), an escape sequence
recolours or clears the terminal, a right-to-left override reverses what is read. `say` prints
a one-line message through `protocol_kit.untrusted.text.printable`, so that whatever a name
holds shows as visible escapes on the line it belongs to; `say_lines` does the same for each
line of a summary whose lines the command made (the names in it must not add any). Reports
in a machine format (JSON, SARIF, JUnit, a PDF) are not messages: their formats quote what
they hold themselves.
"""

from __future__ import annotations

import click

from protocol_kit.untrusted.text import printable


def say(message: str, err: bool = False) -> None:
    """Print a one-line message as one line of visible text."""
    click.echo(printable(message), err=err)


def say_lines(text: str, err: bool = False) -> None:
    """Print `text`, each of its lines one line of visible text."""
    click.echo("\n".join(printable(line) for line in text.split("\n")), err=err)
