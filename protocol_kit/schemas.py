"""The published JSON Schemas, found locally and indexed by `$id`.

Validation never touches the network: every `$schema` a file names and every `$ref` between
schemas is resolved from the files shipped with the package (or from `schemas/` in a source
checkout).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from protocol_kit.errors import InputError
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.record import Record, init

if TYPE_CHECKING:
    from typing import Any

SCHEMA_BASE = "https://schemas.protocol-kit.org/v1/"


class DocumentKind(Record):
    """A kind of file a user writes, identified by the `$schema` it names."""

    __slots__ = ("name", "schema_file", "summary")
    name: str
    schema_file: str
    summary: str

    def __init__(self, name: str, schema_file: str, summary: str) -> None:
        init(self, "name", name)
        init(self, "schema_file", schema_file)
        init(self, "summary", summary)

    @property
    def uri(self) -> str:
        return SCHEMA_BASE + self.schema_file


DOCUMENT_KINDS = (
    DocumentKind("protocol", "protocol.schema.json", "an exercise protocol"),
    DocumentKind("exercise", "exercise.schema.json", "a library exercise"),
    DocumentKind("prescription", "prescription.schema.json", "a patient's prescription"),
)
# Every schema file the package ships, each read by name: one missing is a damaged installation
# in one line (read by a pattern, the folder passed over it, and the first check of its kind
# failed as an internal error, KeyError, H1670).
SHIPPED_SCHEMAS = (
    *(kind.schema_file for kind in DOCUMENT_KINDS),
    "common.schema.json",
    "pose.schema.json",
    "bundle-manifest.schema.json",
)
KIND_BY_URI = {kind.uri: kind for kind in DOCUMENT_KINDS}
KIND_BY_NAME = {kind.name: kind for kind in DOCUMENT_KINDS}


def described(kind_name: str | None) -> str:
    """A kind of file in words, with its article: `a library exercise`, `an exercise
    protocol`."""
    kind = KIND_BY_NAME.get(kind_name or "")
    return kind.summary if kind is not None else "a file of unknown kind"


def schema_dir() -> Path:
    """The folder holding the schemas: inside the installed package, else the source tree."""
    here = Path(__file__).resolve().parent  # the folder's real path, worked out once
    packaged = here / "schemas"
    if packaged.is_dir():
        return packaged
    source = here.parent / "schemas"
    if source.is_dir():
        return source
    raise InputError("the protocol-kit schemas are missing from this installation; reinstall it")


@cache
def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema shipped, by `$id`."""
    from protocol_kit.package_data import damaged, shipped_file

    schemas: dict[str, dict[str, Any]] = {}
    folder = schema_dir()
    for path in sorted(folder / name for name in SHIPPED_SCHEMAS):
        with shipped_file(path):
            schema = json.loads(path.read_text(encoding="utf-8"))
        uri = SCHEMA_BASE + path.name
        if not isinstance(schema, dict) or schema.get("$id") != uri:
            raise damaged(path, f"its $id is not {uri}")
        schemas[uri] = schema
    return schemas


def schema_for(kind: DocumentKind) -> dict[str, Any]:
    return all_schemas()[kind.uri]


def kind_hint() -> str:
    """What to write in `$schema`, for messages about a missing or unknown one."""
    names = ", ".join(kind.schema_file for kind in DOCUMENT_KINDS)
    return f"expected {SCHEMA_BASE} followed by one of {names}"


def required_only(branch: Any) -> list[str] | None:
    """The names a branch of an anyOf requires, when that is all it says (its `type` and
    `properties: {name: true}`, which strict validators ask for, say nothing more)."""
    if not isinstance(branch, dict) or "required" not in branch:
        return None
    if (
        not set(branch) <= {"type", "properties", "required"}
        or branch.get("type", "object") != "object"
    ):
        return None
    if any(v is not True for v in branch.get("properties", {}).values()):
        return None
    return list(branch["required"])
