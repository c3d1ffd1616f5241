"""`protokit keys generate | show`: a clinic's signing keys and trust-file entries."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from protocol_kit.cli.options import CONTEXT, PASSPHRASE_VARIABLE, ExistingPath, passphrase
from protocol_kit.cli.output import discard_stdout, say


@click.group(
    context_settings=CONTEXT,
    short_help="Make signing keys; print trust-file entries.",
)
def keys() -> None:
    """Make the key pair a clinic signs its bundles with; print trust-file entries.

    How clinics exchange public keys and keep a trust file: docs/bundles.md in the
    protocol-kit source repository.
    """


@keys.command(context_settings=CONTEXT)
@click.option(
    "-o",
    "--output",
    "prefix",
    required=True,
    metavar="PREFIX",
    type=click.Path(dir_okay=False),
    help="Where to write: PREFIX.key (private, mode 0600) and PREFIX.pub (public). A .key "
    "or .pub ending is left out of PREFIX.",
)
@click.option(
    "--name",
    help="The clinic's name for the trust-file entry. Default: name in the [clinic] table of "
    "protokit.toml ([tool.protokit.clinic] in pyproject.toml).",
)
@click.option(
    "--encrypt",
    is_flag=True,
    help=f"Protect the private key with a passphrase (from {PASSPHRASE_VARIABLE}, else asked).",
)
@click.option("--force", is_flag=True, help="Replace existing key files.")
def generate(prefix: str, name: str | None, encrypt: bool, force: bool) -> None:
    """Make an Ed25519 key pair for signing bundles.

    Keep PREFIX.key secret (it never leaves the clinic; back it up safely). Give PREFIX.pub, or
    the trust-file entry printed here, to the clinics that receive your bundles: they check the
    fingerprint with you by telephone or in person before trusting it.
    """
    from protocol_kit.app.keys import GeneratedKeys, generate_keys
    from protocol_kit.bundle.signing import trust_entry
    from protocol_kit.config import load_config
    from protocol_kit.errors import OutputError, UsageError

    secret = None
    if encrypt:
        secret = passphrase("Passphrase for the new key", confirm=True)
        if not secret:
            raise UsageError(f"--encrypt needs a passphrase: set {PASSPHRASE_VARIABLE}")
    from protocol_kit.untrusted.identity import check_own_name

    # An empty --name is a mistake to report, not a reason to take the configured name.
    label = name if name is not None else load_config().section("clinic").get("name")
    if label is not None:
        check_own_name(label, "the clinic's name")

    def announce(generated: GeneratedKeys) -> None:
        # The entry is the only way the new key reaches other clinics: printed and flushed
        # before the files are kept. `> /dev/full` or a closed pipe keeps no key (and says so)
        # rather than a key pair beside an error that reads as if nothing had happened.
        entry = trust_entry(label or generated.public.stem, generated.key)
        try:
            click.echo(entry, nl=False)
            sys.stdout.flush()
        except OSError as error:
            discard_stdout()
            raise OutputError(
                f"{generated.private}: not kept: the trust-file entry could not be written to "
                f"standard output ({error.strerror or error}); no key was made"
            ) from None

    generated = generate_keys(prefix, secret, force, announce)
    say(f"wrote {generated.private} (private: keep it secret) and {generated.public}", err=True)
    click.echo(f"fingerprint: {generated.key.fingerprint}", err=True)
    click.echo("the trust-file entry above is for the clinics that receive your bundles", err=True)


@keys.command(context_settings=CONTEXT, short_help="Print the trust-file entry for a .pub file.")
@click.argument("public_key", metavar="PUBLIC_KEY", type=ExistingPath(dir_okay=False))
@click.option("--name", required=True, help="The publishing clinic's name, as you want to see it.")
def show(public_key: str, name: str) -> None:
    """Print the trust-file entry for a clinic's public key file (.pub).

    Compare the fingerprint with the clinic (by telephone or in person) before adding the entry
    to your trust file.
    """
    from protocol_kit.app.keys import describe_public_key

    click.echo(describe_public_key(Path(public_key), name), nl=False)
