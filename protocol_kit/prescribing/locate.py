"""Finding the protocol a prescription names, for `protokit validate`: in the prescription's
folder and each folder above it up to the project's root (a folder with `.git`,
`pyproject.toml` or `protokit.toml`), the `*.json` files there and in a `protocols` or `drafts`
folder (the README keeps a new protocol in `drafts/` until it validates, and its prescription
checked against it there: H717)."""

from __future__ import annotations

import json
import os
import re
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
    """A cheap first test before a file is parsed: its text holds the id as a JSON string."""
    head = head_of(path)
    return head is not None and json.dumps(protocol_id).encode() in head


def head_of(path: Path) -> bytes | None:
    """The first megabyte of the file, where a protocol's id is looked for; None when it is
    not a regular file that can be read: a named pipe called `out.json` beside the
    prescription was opened and waited on for ever (H917)."""
    try:
        with open_regular(path) as handle:
            return handle.read(_HEAD)
    except OSError:
        return None


_HEAD = 1 << 20
# An identifier written as a JSON string (common.schema.json `$defs/identifier`); what follows
# is looked at, not taken, so that `"a"b"` gives both. For such an id, `json.dumps(id)` in a
# file's text is the same question as the id among these found in it.
_IDENTIFIER_TEXT = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_IDENTIFIER = re.compile(_IDENTIFIER_TEXT)
_QUOTED_IDENTIFIER = re.compile(b'"(' + _IDENTIFIER_TEXT.encode() + b')(?=")')


class ProtocolSearch:
    """The files near prescriptions that name a protocol id, for one run (one checker): each
    file read once, whatever the number of ids asked for. Each id asked for in a folder of
    400 prescriptions and 200 protocols listed, globbed and read the folder again (the
    workbench's first list: 10 of its 15 seconds; H1611). The files of a folder are listed
    once, and read as far as a search has gone, each file's identifiers noted as it is
    read."""

    def __init__(self) -> None:
        self._places: dict[Path, _Place] = {}

    def files_naming(self, prescription_path: str, protocol_id: str) -> Iterator[Path]:
        """The files that may hold the protocol and name its id, nearest first."""
        start = Path(os.path.abspath(prescription_path)).parent
        place = self._places.get(start)
        if place is None:
            place = self._places[start] = _Place(list(candidates(prescription_path)))
        if not _IDENTIFIER.fullmatch(protocol_id):  # (not an id: the schema says so)
            return (path for path in place.files if mentions_id(path, protocol_id))
        return place.naming(protocol_id)


class _Place:
    """The files of one prescription folder's search, and what the ones read so far name."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self.read = 0  # the files before this one have been read
        self.naming_id: dict[bytes, list[int]] = {}  # an identifier -> the files naming it

    def naming(self, protocol_id: str) -> Iterator[Path]:
        wanted = protocol_id.encode()
        for number in tuple(self.naming_id.get(wanted, ())):
            yield self.files[number]
        while self.read < len(self.files):
            number = self.read
            self.read += 1
            head = head_of(self.files[number])
            named = set(_QUOTED_IDENTIFIER.findall(head)) if head else ()
            for identifier in named:
                self.naming_id.setdefault(identifier, []).append(number)
            if wanted in named:
                yield self.files[number]
