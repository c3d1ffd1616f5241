"""Options shared by the bundle, keys and export commands, declared once."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from protocol_kit.untrusted.text import quoted

CONTEXT = {"help_option_names": ["-h", "--help"]}
# R4 first: the default (docs/fhir.md says why). The version numbers are accepted too.
FHIR_VERSIONS = ("R4", "R4B", "4.0.1", "4.3.0")
BUNDLE_TYPES = ("collection", "transaction", "batch")
PASSPHRASE_VARIABLE = "PROTOKIT_KEY_PASSPHRASE"

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class ExistingPath(click.Path):
    """`click.Path(exists=True)` that tells a symbolic link to nothing from a missing file:
    click said "File 'x.json' does not exist" of a link whose target is gone or whose links
    go round in a loop, and the user looked for a file that is there (H423)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(exists=True, **options)

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if (
            isinstance(value, str)
            and value != "-"
            and os.path.islink(value)
            and not os.path.exists(value)
        ):
            self.fail(
                f"{quoted(value)} is a link to nothing (its target is missing, or its links "
                "go round in a loop)",
                param,
                ctx,
            )
        return super().convert(value, param, ctx)


def stacked(*options: Decorator) -> Decorator:
    """Several click options as one decorator, in the order given."""

    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


class ByteSize(click.ParamType):
    """A size in bytes, with an optional K, M or G suffix (powers of 1024)."""

    name = "size"
    _UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*([0-9]+)\s*([KMG]?)i?B?\s*", str(value), re.IGNORECASE)
        if not match or int(match.group(1)) < 1:
            self.fail(f"{quoted(value)} is not a size such as 512M", param, ctx)
        return int(match.group(1)) * self._UNITS[match.group(2).upper()]


class NumberRange(click.FloatRange):
    """click's FloatRange without NaN: every comparison with `nan` is false, so FloatRange
    let `--width nan` through, and the picture's PDF was written with a MediaBox of nan (H232)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> float:
        number = super().convert(value, param, ctx)
        if number != number:  # NaN, however it was written (nan, NaN, -nan)
            self.fail(f"{quoted(value)} is not a number", param, ctx)
        return number


# The archive limits: (option, ArchiveLimits field, type, what it refuses).
_LIMITS = (
    ("--max-entries", "max_entries", click.IntRange(min=1), "a bundle with more files than this"),
    (
        "--max-size",
        "max_total_bytes",
        ByteSize(),
        "a bundle that unpacks to more bytes than this (K, M, G suffixes)",
    ),
    ("--max-file-size", "max_entry_bytes", ByteSize(), "a bundle with a file larger than this"),
    (
        "--max-ratio",
        "max_ratio",
        click.IntRange(min=1),
        "a compressed file that unpacks to more than this many times its size",
    ),
)


def _readable(value: int) -> str | int:
    """A default size as it would be typed (512M), so that help shows it that way."""
    for suffix, unit in (("G", 1024**3), ("M", 1024**2), ("K", 1024)):
        if value % unit == 0:
            return f"{value // unit}{suffix}"
    return value


def _store_limit(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    ctx.meta.setdefault("limits", {})[param.name] = value


def limit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The archive limits as options; the command reads them with `limits_from_context()`."""
    from protocol_kit.bundle.archive import DEFAULT_LIMITS

    options = [
        click.option(
            flag,
            field,
            type=kind,
            default=_readable(getattr(DEFAULT_LIMITS, field))
            if isinstance(kind, ByteSize)
            else getattr(DEFAULT_LIMITS, field),
            show_default=True,
            expose_value=False,
            callback=_store_limit,
            help=f"Refuse {refuses}.",
        )
        for flag, field, kind, refuses in _LIMITS
    ]
    return stacked(*options)(command)


def limits_from_context() -> Any:
    from protocol_kit.bundle.archive import ArchiveLimits

    return ArchiveLimits(**click.get_current_context().meta.get("limits", {}))


trust_options = stacked(
    click.option(
        "--trust",
        type=ExistingPath(dir_okay=False),
        help="The trust file listing the publishers' keys you accept. Default: trust in the "
        "[bundle] table of protokit.toml ([tool.protokit.bundle] in pyproject.toml).",
    ),
    click.option(
        "--allow-untrusted",
        "--allow-unsigned",
        "allow_unsigned",
        is_flag=True,
        help="(--allow-unsigned is its older name.) Accept a bundle whose publisher is not "
        "verified: unsigned, or signed by a key the trust file does not list (only after "
        "checking its origin another way). Never accepts a bundle in a trusted clinic's name "
        "without that clinic's key, a broken signature or a changed file.",
    ),
)

library_option = click.option(
    "--library",
    multiple=True,
    type=ExistingPath(file_okay=False),
    help="An extra library folder to search for referenced exercises (repeatable).",
)

publisher_options = stacked(
    click.option(
        "--publisher-name",
        help="The publishing clinic. Default: name in the [clinic] table of protokit.toml "
        "([tool.protokit.clinic] in pyproject.toml).",
    ),
    click.option(
        "--publisher-contact",
        help="How to reach the clinic (e-mail, telephone or web address). Default: contact, "
        "email or phone in the [clinic] table.",
    ),
)

fhir_options = stacked(
    click.option(
        "--fhir-version",
        type=click.Choice(FHIR_VERSIONS, case_sensitive=False),
        default=FHIR_VERSIONS[0],
        show_default=True,
        help="R4 (4.0.1), which most FHIR servers speak, carries contraindications in an "
        "extension; R4B (4.3.0) has the ClinicalUseDefinition resource for them.",
    ),
    click.option(
        "--bundle-type",
        type=click.Choice(BUNDLE_TYPES),
        default=BUNDLE_TYPES[0],
        show_default=True,
        help="collection to read and share; transaction to post to a FHIR server (each "
        "resource a conditional PUT on its canonical URL, so exporting again updates); batch "
        "for the same requests one by one (R4), for servers that limit transactions.",
    ),
    click.option(
        "--canonical-base",
        help="The publisher's base URL for canonical URLs, e.g. https://fhir.clinic.example. "
        "Default: canonical_base in the [fhir] table of protokit.toml, else urn:uuid "
        "identities derived from the publisher's name and contact.",
    ),
)


def passphrase(prompt: str, confirm: bool = False) -> bytes | None:
    """A key's passphrase: from PROTOKIT_KEY_PASSPHRASE, else asked on a terminal."""
    value = os.environ.get(PASSPHRASE_VARIABLE)
    if not value and sys.stdin.isatty():
        value = click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return value.encode("utf-8") if value else None


sign_option = click.option(
    "--sign",
    "key",
    type=ExistingPath(dir_okay=False),
    help="Sign the bundle with this private key (protokit keys generate). An encrypted key "
    f"reads its passphrase from {PASSPHRASE_VARIABLE} or asks for it.",
)


def signing_key_from(key: str | None) -> Any:
    """The private key named by --sign, loaded (asking for its passphrase if it needs one)."""
    if not key:
        return None
    from protocol_kit.bundle.signing import load_signing_key

    return load_signing_key(Path(key), lambda: passphrase("Passphrase for the key"))
