"""`protokit serve [FOLDER]`: the therapist's workbench in the browser."""

from __future__ import annotations

from pathlib import Path

import click

from protocol_kit.cli.options import CONTEXT, ExistingPath


@click.command(context_settings=CONTEXT, short_help="Author and prescribe in the browser.")
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. Other than this machine's own (127.0.0.1, "
    "localhost, ::1) only with --tls-cert and --tls-key, or --insecure.",
)
@click.option(
    "--port", default=0, type=click.IntRange(0, 65535), help="The port. Default: a free one."
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser; only print the address.")
@click.option(
    "--tls-cert",
    type=ExistingPath(dir_okay=False),
    help="A TLS certificate (PEM), to serve https.",
)
@click.option(
    "--tls-key",
    type=ExistingPath(dir_okay=False),
    help="The TLS certificate's private key (PEM).",
)
@click.option(
    "--insecure",
    is_flag=True,
    help="Allow --host without TLS: the token and patient data cross the network unencrypted.",
)
def serve(folder, host, port, no_browser, tls_cert, tls_key, insecure) -> None:
    """Open the workbench over FOLDER (default: the current folder): browse and search its
    protocols and library exercises, edit them in forms made from the published schemas with
    the checks of `protokit validate` shown as you type, preview the sheet, and prescribe a
    protocol for a patient and print the sheet.

    The files stay the only copy: saves are written in the layout of `protokit fmt`, atomically,
    and never over a file changed on disk since it was opened. The address printed holds a
    one-time access token; every request needs it. Ctrl-C stops the workbench.
    """
    from protocol_kit.errors import UsageError
    from protocol_kit.untrusted.text import printable
    from protocol_kit.workbench.server import ServeOptions, prepare, serve_forever, warm_up

    if bool(tls_cert) != bool(tls_key):
        raise UsageError("--tls-cert and --tls-key go together")
    options = ServeOptions(
        Path(folder),
        host,
        port,
        insecure,
        Path(tls_cert) if tls_cert else None,
        Path(tls_key) if tls_key else None,
    )
    running = prepare(options)
    # "the workbench for . is at" named no folder when started in the clinic's own (s41-users):
    # named as the page's header names it.
    named = f"this folder ({Path.cwd().name})" if Path(folder) == Path(".") else folder
    click.echo(f"protokit serve: the workbench for {printable(named)} is at")
    click.echo(f"    {running.url}")
    click.echo("Open that address (it holds the access token). Ctrl-C stops the workbench.")
    warm_up()
    if not no_browser:
        import webbrowser

        webbrowser.open(running.url)
    serve_forever(running)
