"""An untrusted bundle's manifest read in parts: its protocols and files a few hundred at a
time, so that the manifest of 10,000 protocols is never held as one tree of dictionaries
(issue 17: parsing and checking it whole was the peak of `bundle verify`, `inspect` and
`import`: 15 MB over the 4 MB text at 10,000 protocols, growing with the bundle).

Every check of the whole way (`manifest.parse_manifest`) is made here on each part: strict
JSON (no repeated key, no `NaN`, numbers, texts and nesting within `MANIFEST_LIMITS`) and the
manifest schema, the top level with its two lists emptied and then each batch of items in
the same schema. That is the whole document's verdict because the schema says nothing of
the two lists but the type and schema of each item and a largest count (`_items_alone`
checks the schema says so, else the whole way is taken). This reader never refuses: at the
first doubt it answers None, and the whole way reads the manifest again and names the
problem with the words and the line it always had, so a tampered bundle is refused as
before, at the cost of reading its manifest twice.
"""

from __future__ import annotations

import datetime as dt
from json.decoder import WHITESPACE, scanstring
from typing import Any

from protocol_kit.bundle.manifest import (
    MANIFEST_KIND,
    MANIFEST_LIMITS,
    Manifest,
    file_record,
    manifest_of,
    protocol_path,
    protocol_record,
)
from protocol_kit.loading import DOUBTS, JsonProblem, StrictReader, decode

# Items checked against the schema at once: few enough that a batch is a small part of a large
# manifest, enough that the validator is asked a hundred times, not 20,000, at 10,000 protocols.
BATCH = 512
LISTS = ("protocols", "files")
# What the schema may say of the two lists for a batch's verdict to be the list's.
_ITEM_BY_ITEM = frozenset({"description", "type", "maxItems", "items"})
# And of the whole manifest, for the lists' contents to matter nowhere else.
_TOP = frozenset(
    {"$schema", "$id", "title", "description", "type", "required", "properties"}
    | {"additionalProperties", "$defs"}
)


class _Doubt(Exception):
    """Something this reader does not judge: the whole way reads the manifest."""


def read_in_parts(raw: bytes, checker: Any) -> Manifest | None:
    """The manifest `raw` holds when every part passes every check of the whole way, else
    None (the whole way then refuses it, or takes it). `checker` is a
    `validation.SchemaChecker`."""
    if len(raw) > MANIFEST_LIMITS.max_bytes or not _items_alone():
        return None
    try:
        text = decode(raw)
    except JsonProblem:
        return None
    reader = StrictReader(MANIFEST_LIMITS)
    if not reader.reads_alike(text):
        return None
    try:
        return _read(text, reader, checker)
    except (_Doubt, *DOUBTS):
        return None


def _items_alone() -> bool:
    """Whether the manifest schema judges its two lists item by item (see the module)."""
    from protocol_kit.schemas import all_schemas

    schema = all_schemas()[MANIFEST_KIND.uri]
    if not set(schema) <= _TOP:
        return False
    for name in LISTS:
        kept = schema["properties"][name]
        if not set(kept) <= _ITEM_BY_ITEM or kept.get("maxItems", 0) < MANIFEST_LIMITS.max_items:
            return False
    return True


def _read(text: str, reader: StrictReader, checker: Any) -> Manifest:
    top: dict[str, Any] = {}
    lists: dict[str, tuple[Any, ...]] = {}
    at = _expect(text, 0, "{")
    while True:
        if text[at : at + 1] != '"':
            raise _Doubt
        key, at = scanstring(text, at + 1, True)
        if key in top or key in lists:
            raise _Doubt  # a repeated key
        at = _expect(text, at, ":")
        at = _skip(text, at)
        if key in LISTS:
            lists[key], at = _list(text, _expect(text, at, "["), key, reader, checker)
            top[key] = []
        else:
            top[key], at = reader.decoder.raw_decode(text, at)
        at = _skip(text, at)
        if text[at : at + 1] == ",":
            at = _skip(text, at + 1)
        elif text[at : at + 1] == "}":
            break
        else:
            raise _Doubt
    if _skip(text, at + 1) != len(text) or len(top) > MANIFEST_LIMITS.max_items:
        raise _Doubt
    if not reader.within(top) or not checker.engine_passes(MANIFEST_KIND, top):
        raise _Doubt
    # As the whole way: a real calendar date, each protocol at its own path.
    dt.datetime.strptime(top["created"], "%Y-%m-%dT%H:%M:%SZ")
    return manifest_of(top, lists["protocols"], lists["files"])


def _list(
    text: str, at: int, name: str, reader: StrictReader, checker: Any
) -> tuple[tuple[Any, ...], int]:
    """The items of the list `name` that starts at `at` (after its bracket), checked batch
    by batch and kept as records; and where the list ends."""
    kept: list[Any] = []
    batch: list[dict[str, Any]] = []
    at = _skip(text, at)
    if text[at : at + 1] == "]":
        return (), at + 1
    while True:
        item, at = reader.decoder.raw_decode(text, at)
        if not _flat(item, reader):
            raise _Doubt
        batch.append(item)
        if len(batch) == BATCH:
            kept += _checked(batch, name, checker)
            batch = []
        # The whole way refuses a list of `max_items` items already (a comma counted each).
        if len(kept) + len(batch) >= MANIFEST_LIMITS.max_items:
            raise _Doubt
        at = _skip(text, at)
        if text[at : at + 1] == ",":
            at = _skip(text, at + 1)
        elif text[at : at + 1] == "]":
            kept += _checked(batch, name, checker)
            return tuple(kept), at + 1
        else:
            raise _Doubt


def _flat(item: Any, reader: StrictReader) -> bool:
    """An object of texts and whole numbers within the limits (three levels deep in the
    manifest, far within its depth; anything else is for the whole way)."""
    if type(item) is not dict:
        return False
    for value in item.values():
        if type(value) is not str and type(value) is not int:
            return False
    return reader.within(item)


def _checked(batch: list[dict[str, Any]], name: str, checker: Any) -> list[Any]:
    """The records of a batch of the list `name`, which passes the schema as the manifest's
    only items."""
    if not batch:
        return []
    from protocol_kit.bundle.manifest import FORMAT, FORMAT_VERSION

    # A manifest whose other members are trivially valid, so that only the batch is judged.
    probe = {
        "$schema": MANIFEST_KIND.uri,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": {"name": "-", "version": "-"},
        "publisher": {"name": "-", "contact": "-"},
        "created": "2000-01-01T00:00:00Z",
        "protocols": batch if name == "protocols" else [],
        "files": batch if name == "files" else [],
    }
    if not checker.engine_passes(MANIFEST_KIND, probe):
        raise _Doubt
    if name == "files":
        return [file_record(f) for f in batch]
    for item in batch:
        if item["path"] != protocol_path(item["id"]):
            raise _Doubt
    return [protocol_record(p) for p in batch]


def _skip(text: str, at: int) -> int:
    return WHITESPACE.match(text, at).end()


def _expect(text: str, at: int, mark: str) -> int:
    """Past `mark` (after white space) at `at`, and the white space after it."""
    at = _skip(text, at)
    if text[at : at + 1] != mark:
        raise _Doubt
    return _skip(text, at + 1)
