"""Finding the protocol a prescription names, for `protokit validate`: in the prescription's
folder and each folder above it up to the project's root (a folder with `.git`,
`pyproject.toml` or `protokit.toml`), the `*.json` files there and in a `protocols` or `drafts`
folder (the README keeps a new protocol in `drafts/` until it validates, and its prescription
checked against it there: H717)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from protocol_kit.library import PROJECT_MARKERS
from protocol_kit.untrusted.files import folders_upwards, open_regular

PROTOCOL_FOLDERS = ("protocols", "drafts")


def candidates(prescription_path: str) -> Iterator[Path]:
    """Files that may hold the protocol, nearest first."""
    start = Path(os.path.abspath(prescription_path)).parent
    for folder in folders_upwards(start):
        for place in (folder, *(folder / name for name in PROTOCOL_FOLDERS)):
            if place.is_dir():
                yield from map(_as_given, sorted(place.glob("*.json")))
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return


def _as_given(path: Path) -> Path:
    """`path` from the current folder, as messages name files (`validate` named the
    protocol `/home/jo/clinic/neck.json`, `render` `neck.json`)."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive (Windows)
        return path


def mentions_id(path: Path, protocol_id: str) -> bool:
    """A cheap first test before a file is parsed: its text holds the id as a JSON string.
    Only a regular file may: a named pipe called `out.json` beside the prescription was
    opened and waited on for ever (H917)."""
    try:
        with open_regular(path) as handle:
            head = handle.read(1 << 20)
    except OSError:
        return False
    return json.dumps(protocol_id).encode() in head
