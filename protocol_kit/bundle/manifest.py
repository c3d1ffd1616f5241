"""The manifest (`manifest.json`): what a bundle holds, and the layout of its files.

The manifest is published as `schemas/bundle-manifest.schema.json`. It is written with sorted
keys and a fixed layout, so the same contents always give the same bytes; the signature signs
those exact bytes. Read back from an untrusted bundle it is parsed strictly (no duplicate keys,
bounded size and depth) and checked against its schema before anything in it is believed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from protocol_kit import __version__
from protocol_kit.bundle import BundleRefused
from protocol_kit.errors import UsageError
from protocol_kit.findings import shown
from protocol_kit.loading import JsonProblem, Limits, decode, parse
from protocol_kit.schemas import DocumentKind
from protocol_kit.untrusted.state import without_limit_advice
from protocol_kit.untrusted.text import quoted

FORMAT = "protocol-kit-bundle"
FORMAT_VERSION = 1
GENERATOR = "protocol-kit"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PROTOCOLS = "protocols/"
MEDIA = "protocols/media/"
SCHEMAS = "schemas/"
FHIR = "fhir/"
FHIR_DEFINITIONS = "fhir/definitions.bundle.json"  # protocol-kit's StructureDefinitions
MANIFEST_KIND = DocumentKind("bundle-manifest", "bundle-manifest.schema.json", "a bundle manifest")
# A manifest lists every file: room for the largest bundle the archive limits allow (a file's
# entry is about 200 bytes, a protocol's with its title under 1 KB), and no more: a manifest
# padded with tens of megabytes is refused before it is parsed.
MANIFEST_LIMITS = Limits(max_bytes=16 * 1024 * 1024, max_depth=8, max_items=65_535)

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
PROTOCOL_PATH = re.compile(rf"^protocols/({_ID})\.json\Z")
MEDIA_PATH = re.compile(r"^protocols/media/([0-9a-f]{64})\.(png|jpg|jpeg)\Z")
SCHEMA_PATH = re.compile(rf"^schemas/{_ID}\.schema\.json\Z")
FHIR_PATH = re.compile(rf"^fhir/({_ID})\.json\Z")


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    contact: str


@dataclass(frozen=True, slots=True)
class BundledFile:
    path: str
    size: int
    sha256: str

    @classmethod
    def of(cls, path: str, content: bytes) -> BundledFile:
        return cls(path, len(content), hashlib.sha256(content).hexdigest())


@dataclass(frozen=True, slots=True)
class BundledProtocol:
    id: str
    version: str
    status: str
    title: str

    @property
    def path(self) -> str:
        return protocol_path(self.id)


@dataclass(frozen=True, slots=True)
class Manifest:
    publisher: Publisher
    created: str
    protocols: tuple[BundledProtocol, ...]
    files: tuple[BundledFile, ...]
    generator: str = GENERATOR
    generator_version: str = __version__
    format_version: int = FORMAT_VERSION

    def to_json(self) -> dict[str, Any]:
        document = self._members()
        for name in ("protocols", "files"):
            document[name] = list(document[name])
        return document

    def _members(self) -> dict[str, Any]:
        """`to_json` with its two lists as `_Made`: each item made when it is encoded."""
        return {
            "$schema": MANIFEST_KIND.uri,
            "format": FORMAT,
            "format_version": self.format_version,
            "generator": {"name": self.generator, "version": self.generator_version},
            "publisher": {"name": self.publisher.name, "contact": self.publisher.contact},
            "created": self.created,
            "protocols": _Made(self.protocols, _protocol_json),
            "files": _Made(self.files, _file_json),
        }

    def to_bytes(self) -> bytes:
        """The manifest's bytes (what the signature signs), as `json.dumps(..., indent=2,
        sort_keys=True, ensure_ascii=False)` and a newline give them. Encoded piece by piece:
        `dumps` with an indent first lists every piece, and joining them took 26 MB for the
        4 MB manifest of 10,000 protocols (issue 17); and each protocol's and file's object
        made as it is encoded, not all of them first (about 7 MB at 10,000)."""
        encoder = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False)
        written = io.BytesIO()
        for piece in encoder.iterencode(self._members()):
            written.write(piece.encode("utf-8"))
        written.write(b"\n")
        return written.getvalue()

    def file(self, path: str) -> BundledFile | None:
        return next((f for f in self.files if f.path == path), None)


class _Made(list):
    """A list for `json.JSONEncoder.iterencode` (with an indent, the encoder written in
    Python, which takes any list and reads it with `len` and `iter`) whose items are made
    one at a time as they are encoded."""

    def __init__(self, records: Any, made: Any) -> None:
        super().__init__()
        self._records = records
        self._made = made

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Any:
        return (self._made(record) for record in self._records)


def _protocol_json(p: BundledProtocol) -> dict[str, Any]:
    return {"id": p.id, "version": p.version, "status": p.status, "title": p.title, "path": p.path}


def _file_json(f: BundledFile) -> dict[str, Any]:
    return {"path": f.path, "size": f.size, "sha256": f.sha256}


def protocol_path(protocol_id: str) -> str:
    return f"{PROTOCOLS}{protocol_id}.json"


def media_name(content: bytes, extension: str) -> str:
    """An image's name in the bundle, relative to the protocols: named by its content, so that
    one image used by many protocols is stored once and names can never collide."""
    return f"media/{hashlib.sha256(content).hexdigest()}.{extension.lower()}"


def build_manifest(
    publisher: Publisher,
    created: str,
    protocols: tuple[BundledProtocol, ...],
    listed: Mapping[str, BundledFile],
) -> Manifest:
    """The manifest of files whose sizes and digests are known, by path (their content need
    not be held: see `protocol_kit.bundle.spool`)."""
    files = tuple(listed[path] for path in sorted(listed))
    ordered = tuple(sorted(protocols, key=lambda p: p.path))
    return Manifest(publisher, created, ordered, files)


def created_time(value: str | None, source_date_epoch: str | None, newest: dt.date) -> str:
    """The bundle's `created` time, chosen reproducibly: the value given (a date or a UTC
    date-time), else SOURCE_DATE_EPOCH (the reproducible-builds convention), else midnight UTC
    of the newest `updated` date among the protocols."""
    if value:
        return _parse_created(value)
    if source_date_epoch:
        from protocol_kit.untrusted.moment import source_date

        return source_date(source_date_epoch).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{newest.isoformat()}T00:00:00Z"


def _parse_created(value: str) -> str:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return f"{dt.date.fromisoformat(value).isoformat()}T00:00:00Z"
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        stamp = None
    if stamp is None or stamp.tzinfo is None:
        raise UsageError(
            f"--created {quoted(value)}: give a date (2026-11-22) or a UTC time "
            "(2026-11-22T09:30:00Z)"
        )
    return stamp.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_manifest(raw: bytes, where: str) -> Manifest:
    """The manifest of an untrusted bundle; raises BundleRefused unless it is strict JSON that
    passes the manifest schema. Read in parts when it plainly is (`manifest_parts`: a
    large manifest is never held as one tree); else read whole, which names the problem."""
    from protocol_kit.bundle.manifest_parts import read_in_parts
    from protocol_kit.validation import SchemaChecker

    checker = SchemaChecker()
    manifest = read_in_parts(raw, checker)
    if manifest is not None:
        return manifest
    try:
        data = parse(decode(raw), MANIFEST_LIMITS, MANIFEST).data
    except JsonProblem as problem:
        at = f" (line {problem.line})" if problem.line else ""
        raise BundleRefused(
            f"{where}: {MANIFEST} is not valid JSON{at}: {without_limit_advice(problem.message)}"
        ) from None
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise BundleRefused(
            f"{where}: bundle format {version} is newer than this protokit reads "
            f"({FORMAT_VERSION}){_made_by(data)}: upgrade protocol-kit"
        )
    problems = checker.check(MANIFEST_KIND, data)
    if problems:
        newer = _from_a_newer_protokit(data, where)
        if newer is not None:
            raise newer
        first = problems[0]
        at = f" at {first.pointer}" if first.pointer else ""
        raise BundleRefused(f"{where}: {MANIFEST} is not a valid manifest{at}: {first.message}")
    try:
        # The schema checks the shape; a real calendar date and time is checked here (no 30th
        # of February, no year 0).
        dt.datetime.strptime(data["created"], "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise BundleRefused(
            f"{where}: {MANIFEST} gives {shown(data['created'])} as the date the bundle was "
            "made: not a real date and time"
        ) from None
    for entry in data["protocols"]:
        if entry["path"] != protocol_path(entry["id"]):
            raise BundleRefused(
                f"{where}: {MANIFEST} lists protocol '{entry['id']}' at {entry['path']}, not at "
                f"{protocol_path(entry['id'])}"
            )
    return manifest_of(
        data,
        tuple(protocol_record(p) for p in data["protocols"]),
        tuple(file_record(f) for f in data["files"]),
    )


def _made_by(data: Mapping[str, Any]) -> str:
    """ ", made by protocol-kit 0.2.0" as the manifest says, or nothing when it says no
    version."""
    generator = data.get("generator")
    version = generator.get("version") if isinstance(generator, dict) else None
    return f", made by protocol-kit {quoted(version)}" if isinstance(version, str) else ""


def _from_a_newer_protokit(data: Any, where: str) -> BundleRefused | None:
    """The refusal of a manifest that holds a field this version does not know, written by a
    newer protocol-kit (as its `generator` says), or None (not such a manifest: it is then
    refused as not a valid manifest, naming the problem).

    Said as what it is, not as damage: a clinic told "not a valid manifest" of a sound
    bundle from a publisher that updated first asks for it again, or gives up on it. Never
    read past, though: every field of the signed manifest may bear on what is trusted (a
    protocol withdrawn, a file that must be checked), so a field not understood is a bundle
    not imported (docs/bundles.md, "Bundles between versions")."""
    unknown = _unknown_field(data, _manifest_schema(), "")
    generator = data.get("generator")
    if unknown is None or not isinstance(generator, dict):
        return None
    name, version = generator.get("name"), generator.get("version")
    if name != "protocol-kit" or not _newer_than_this(version):
        return None
    return BundleRefused(
        f"{where}: made by a newer protokit (protocol-kit {quoted(version)}; this is "
        f"{__version__}): "
        f"its {MANIFEST} holds {unknown}, which this version does not know. Update protokit "
        "(pip install --upgrade protocol-kit) and try again; nothing was imported"
    )


def publisher_limit(field: str) -> int:
    """The most characters the manifest schema takes for the publisher's `field` (`name`,
    `contact`): the one limit, for `bundle create` to keep to as `verify` does."""
    return _manifest_schema()["properties"]["publisher"]["properties"][field]["maxLength"]


def _manifest_schema() -> dict[str, Any]:
    from protocol_kit.schemas import all_schemas

    return all_schemas()[MANIFEST_KIND.uri]


def _unknown_field(data: Any, schema: dict[str, Any], pointer: str) -> str | None:
    """The first member of `data` the manifest schema (`schema`, at `pointer`) has no place
    for, as "the field 'NAME' at POINTER", or None."""
    from protocol_kit.jsontext.pointers import escape_token

    local = schema.get("$ref", "")
    if local.startswith("#/$defs/"):  # the others are texts of common.schema.json
        schema = _manifest_schema()["$defs"][local.removeprefix("#/$defs/")]
    if isinstance(data, dict) and "properties" in schema:
        known = schema["properties"]
        for key, value in data.items():
            if key not in known:
                return f"the field {quoted(key)} at {pointer or '/'}"
            found = _unknown_field(value, known[key], f"{pointer}/{escape_token(key)}")
            if found is not None:
                return found
    elif isinstance(data, list) and "items" in schema:
        for index, item in enumerate(data):
            found = _unknown_field(item, schema["items"], f"{pointer}/{index}")
            if found is not None:
                return found
    return None


def _newer_than_this(version: Any) -> bool:
    """Whether `version` ("0.2.0") is a later release than this protokit's."""
    return isinstance(version, str) and _release(version) > _release(__version__)


def _release(version: str) -> tuple[int, ...]:
    """The numbers of a release ("0.2.0rc1": 0, 2, 0); () when it starts with none."""
    numbers = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(n) for n in numbers.group().split(".")) if numbers else ()


def manifest_of(
    top: dict, protocols: tuple[BundledProtocol, ...], files: tuple[BundledFile, ...]
) -> Manifest:
    """The manifest of a checked manifest's members (`top`; its lists are not read) and its
    records (the whole way here, or `manifest_parts` a batch at a time)."""
    return Manifest(
        publisher=Publisher(top["publisher"]["name"], top["publisher"]["contact"]),
        created=top["created"],
        protocols=protocols,
        files=files,
        generator=top["generator"]["name"],
        generator_version=top["generator"]["version"],
        format_version=top["format_version"],
    )


def protocol_record(entry: dict) -> BundledProtocol:
    # A bundle's protocols share a few versions and statuses: one text each, not one a
    # protocol (about 1 MB at 10,000 protocols, held for the whole command: issue 17).
    version, status = sys.intern(entry["version"]), sys.intern(entry["status"])
    return BundledProtocol(entry["id"], version, status, entry["title"])


def file_record(entry: dict) -> BundledFile:
    return BundledFile(entry["path"], entry["size"], entry["sha256"])
