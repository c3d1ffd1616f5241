"""`protokit schemas --vscode FILE`: register the schemas in an editor's settings file, keeping
everything else in it.

docs/editors.md said `protokit schemas --vscode > .vscode/settings.json`: a clinic whose
settings file held its own settings (a font size, a formatter, other schemas) lost them all
(H834). The entries are merged instead: each of protocol-kit's schemas replaces the entry with
its address, every other entry and setting stays as it was, in its place. A settings file that
is not strict JSON (VS Code allows comments and trailing commas, which a JSON writer would
drop) is refused, named, and left untouched.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from protocol_kit.errors import InputError, OutputError

KEY = "json.schemas"
# A settings file is a few kilobytes; a larger one is no settings file.
SETTINGS_LIMIT = 16 * 1024 * 1024
_HALF_CHARACTER = re.compile("[\ud800-\udfff]")
NOT_WRITTEN = (
    "nothing was changed: add the entries `protokit schemas --vscode` prints to its "
    f'"{KEY}" list by hand'
)


def schema_entries() -> list[dict[str, Any]]:
    """One `json.schemas` entry per published schema, under its `$schema` address."""
    from protocol_kit.schemas import all_schemas

    return [{"url": uri, "schema": schema} for uri, schema in all_schemas().items()]


def merged(settings: Mapping[str, Any], entries: list[dict[str, Any]], where: str) -> dict:
    """`settings` with `entries` in its `json.schemas`: an entry with the same `url` is
    replaced where it was, the others kept, new ones added at the end."""
    kept = settings.get(KEY, [])
    if not isinstance(kept, list):
        raise InputError(f'{where}: "{KEY}" is not a list; {NOT_WRITTEN}')
    ours = {entry["url"]: entry for entry in entries}
    schemas = []
    for entry in kept:
        url = entry.get("url") if isinstance(entry, dict) else None
        if isinstance(url, str) and url in ours:
            schemas.append(ours.pop(url))
        elif not any(url == e["url"] for e in entries):  # a second copy of one of ours: gone
            schemas.append(entry)
    result = dict(settings)
    result[KEY] = schemas + list(ours.values())
    return result


def read_settings(path: Path) -> dict[str, Any]:
    """The settings in `path` ({} when there is no such file); InputError, naming the file
    and the line and column, when it is not a JSON object."""
    from protocol_kit.untrusted.files import read_file

    try:
        # Only a regular file: a link to /dev/zero, or a named pipe, waited forever (H851).
        raw = read_file(path, SETTINGS_LIMIT)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise InputError(f"{path}: cannot be read: {error.strerror or error}") from None
    try:
        settings = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; {NOT_WRITTEN}") from None
    except RecursionError:
        raise InputError(
            f"{path}: nested more deeply than a settings file is; {NOT_WRITTEN}"
        ) from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}:{error.lineno}:{error.colno}: not JSON ({error.msg}; VS Code allows comments "
            f"and trailing commas, which protokit would lose); {NOT_WRITTEN}"
        ) from None
    if not isinstance(settings, dict):
        raise InputError(f"{path}: not a JSON object of settings; {NOT_WRITTEN}")
    return settings


def write_vscode_settings(path: Path) -> tuple[int, int | None]:
    """Merge the schema entries into the settings file `path` (made, with its folder, when
    missing); (schemas registered, other settings kept, None for a new file)."""
    from protocol_kit.files import write_atomic

    existed = path.exists()
    settings = read_settings(path)
    entries = schema_entries()
    text = json.dumps(merged(settings, entries, str(path)), indent=2, ensure_ascii=False)
    if _HALF_CHARACTER.search(text):
        # A "\ud800" escape, half of a character: no UTF-8 file can hold it (H851).
        raise InputError(f"{path}: holds half of a character (a \\ud800 escape); {NOT_WRITTEN}")
    # Written where a link points (a settings file kept in a dotfiles folder), as `fmt` does:
    # a link replaced by a file parted the two without a word (H851).
    path = Path(os.path.realpath(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{path.parent}: cannot create the folder: {error.strerror}") from None
    write_atomic(path, text + "\n")
    return len(entries), len([key for key in settings if key != KEY]) if existed else None
