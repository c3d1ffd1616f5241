"""Reading TOML files as people save them: the one place every TOML file is decoded.

TOML is UTF-8, but the files protokit reads (the trust file, `protokit.toml`, `pyproject.toml`)
are often saved by tools that do otherwise: Windows PowerShell 5.1 writes `protokit keys show
... > trust.toml` as UTF-16 with a byte order mark, and Notepad may start a UTF-8 file with one.
Those encodings are recognised by their byte order mark and decoded before parsing; any other
bytes that are not UTF-8 are one error naming the file, saying to save it as UTF-8.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from protocol_kit.errors import ProtokitError
from protocol_kit.untrusted.files import open_regular

# A configuration or trust file is a few kilobytes; this only keeps a wrong path (a video, a
# device) from being read whole.
MAX_TOML_BYTES = 4 * 1024 * 1024

# Byte order marks and their encodings, longest first (no TOML file starts with a NUL byte, so
# UTF-32 needs no special case: its BOM is refused as not UTF-8).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_toml(raw: bytes, where: str, error: type[ProtokitError]) -> str:
    """The text of a TOML file: UTF-8, with or without a byte order mark, or UTF-16 with one."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raw, encoding = raw[len(bom) :], name
            break
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise error(
            f"{where}: is not readable text (not UTF-8, nor UTF-16 with a byte order mark): "
            "save it as UTF-8"
        ) from None


def read_toml_text(path: Path, error: type[ProtokitError], what: str = "") -> str:
    """The decoded text of the TOML file at `path`; `error` (naming the file) when it cannot be
    read. `what` names the file in messages ("the trust file")."""
    label = f" {what}" if what else ""
    try:
        with open_regular(path) as handle:
            raw = handle.read(MAX_TOML_BYTES + 1)
    except OSError as problem:
        raise error(f"{path}: cannot read{label}: {problem.strerror or problem}") from None
    if len(raw) > MAX_TOML_BYTES:
        raise error(f"{path}: is larger than {MAX_TOML_BYTES:,} bytes: not a {what or 'TOML file'}")
    return decode_toml(raw, str(path), error)


def parse_toml(text: str, where: str, error: type[ProtokitError], what: str = "") -> dict[str, Any]:
    """The table in `text`; `error` naming the file and place of a syntax mistake."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        label = f"{what} is " if what else ""
        raise error(f"{where}: {label}not valid TOML: {problem}") from None


def read_toml(path: Path, error: type[ProtokitError], what: str = "") -> dict[str, Any]:
    """Read, decode and parse the TOML file at `path` (see the module's docstring)."""
    return parse_toml(read_toml_text(path, error, what), str(path), error, what)
