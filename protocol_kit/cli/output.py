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

import errno
import io
import os
import sys

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.untrusted.text import printable

if TYPE_CHECKING:
    from collections.abc import Iterable


def say(message: str, err: bool = False) -> None:
    """Print a one-line message as one line of visible text."""
    echo(printable(message), err=err)


def say_lines(text: str, err: bool = False) -> None:
    """Print `text`, each of its lines one line of visible text."""
    echo("\n".join(printable(line) for line in text.split("\n")), err=err)


def echo(message: str, err: bool = False) -> None:
    """`click.echo(message, err=err)` without importing click (30 ms of `protokit validate`'s
    start-up): the message and a line break, written and flushed, colour codes taken out for
    a stream that is not a terminal. A stream in another encoding than UTF-8 is click's to
    handle (it writes UTF-8 under an ASCII locale), so that both print the same bytes."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no console (pythonw): nothing to write to
        return
    if not _utf8(stream):
        import click

        click.echo(message, err=err)
        return
    text = message + "\n"
    if "\x1b" in text and not _isatty(stream):
        import re

        text = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", text)  # ANSI CSI sequences
    stream.write(text)
    stream.flush()


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except Exception:  # a stream that cannot say is not a terminal
        return False


def _utf8(stream: object) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8")


def keep_encodable() -> None:
    """Make standard output and error show a character their encoding lacks as an escape.

    Under `PYTHONIOENCODING=ascii`, a C locale without UTF-8 or a Latin-1 terminal, printing
    a file name, a clinician's name or a rule's text that holds `é` or `×` was an internal
    error, and the report was lost. Text for a person shows `\\xe9` instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _utf8(stream):
            reconfigure(errors="backslashreplace")


def discard_stdout() -> None:
    """After a failed write to standard output: what could not be written must not be tried
    again (and fail again) at exit."""
    try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (kept open until exit)
    except OSError:
        pass


class ClosedOutput(io.TextIOBase):
    """Standard output when the process was started without one (`protokit ... >&-`): Python
    sets `sys.stdout` to None, and the first print was an AttributeError (an internal error
    and a traceback). Writing nothing succeeds; writing anything fails as a closed descriptor
    does, so the command says the output could not be written instead of claiming success."""

    encoding = "utf-8"
    errors = "strict"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text:
            raise OSError(errno.EBADF, "standard output is closed")
        return 0


def write_document(text: str | Iterable[str]) -> None:
    """Write a document whose format is UTF-8 by definition (JSON, SARIF, JUnit XML, a FHIR
    Bundle) to standard output as UTF-8, whatever the terminal's encoding: escaping its
    characters for the terminal would make the document invalid. The document may come in
    pieces (a long report), written as they come."""
    pieces = (text,) if isinstance(text, str) else text
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or _utf8(sys.stdout):
        sys.stdout.writelines(pieces)
        return
    sys.stdout.flush()
    buffer.writelines(piece.encode("utf-8", "backslashreplace") for piece in pieces)
    buffer.flush()
