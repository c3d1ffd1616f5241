"""The import record: what `bundle import` wrote into a folder, and from whom.

A receiving clinic edits what it imports (it sets the status and the reviewer, for one), and a
later import must never overwrite that edit without a word. So every import keeps a record in
the target folder, `.protokit/imports.json`, with one entry per file it wrote: the protocol's
id and version, the SHA-256 of the bytes written, the publisher and the signing key, the
bundle's SHA-256 and the time. A later import compares a file with its entry: other bytes mean
the clinic changed it; no entry means the clinic wrote it (or copied it in by hand); another
key or publisher means it came from someone else.

The record lives in a hidden folder so that `protokit validate` on the folder does not take it
for a protocol. It is written with the imported files, all or nothing (see `staging`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from protocol_kit import __version__
from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.versions import version_key
from protocol_kit.findings import shown
from protocol_kit.untrusted.state import StateProblem, inside_name, read_state, require
from protocol_kit.untrusted.text import quoted

# The hidden folder of protokit's own state in a target folder, and the record in it.
STATE_FOLDER = ".protokit"
RECORD_NAME = "imports.json"
RECORD_FORMAT = 1
_ABOUT = (
    "What `protokit bundle import` wrote into this folder, so that a later import can tell a "
    "file changed here from the file it imported. Written by protokit: do not edit it. "
    "See docs/bundles.md."
)


@dataclass(frozen=True)
class Source:
    """Where the files of one import come from."""

    publisher: str  # the manifest's publisher name (a claim unless the key is trusted)
    key: str | None  # the signing key's fingerprint; None for an unsigned bundle
    bundle_sha256: str

    def describe(self) -> str:
        key = f"with key {self.key}" if self.key else "not signed"
        return f"{json.dumps(self.publisher, ensure_ascii=False)} {key}"


@dataclass(frozen=True)
class ImportRecord:
    """One file an import wrote."""

    kind: str  # "protocol" or "image"
    sha256: str  # of the bytes written
    publisher: str
    bundle_sha256: str
    imported: str  # when, as an ISO 8601 UTC time
    key: str | None = None  # the signing key's fingerprint; None: the bundle was not signed
    id: str | None = None  # protocols only
    version: str | None = None
    # Protocols: `content_digest` of what was written, so that a later import tells the
    # clinic's review of the file from a change of it (None in records of older imports).
    content_sha256: str | None = None

    @property
    def source(self) -> Source:
        return Source(self.publisher, self.key, self.bundle_sha256)

    def describe(self) -> str:
        """`version 1.0.1 from "Northside Physio" with key sha256:... on 2026-11-23`."""
        version = f"version {self.version} " if self.version else ""
        return f"{version}from {self.source.describe()} on {self.imported[:10]}"


# Records by path relative to the target folder, with "/" between folders.
Records = dict[str, ImportRecord]


def record_path(target: Path) -> Path:
    return target / STATE_FOLDER / RECORD_NAME


def relative_name(path: Path, target: Path) -> str:
    return Path(os.path.relpath(path, target)).as_posix()


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# What a receiving clinic's review of a protocol sets in it: its own approval for its own
# patients (H901). A file that differs from what an import wrote only in these was reviewed
# here, not changed: signing off a received protocol refused every later import of its bundle.
REVIEW_FIELDS = ("status", "sign_off", "next_review")


def review_in_words(data: Any) -> str:
    """A protocol's review (`REVIEW_FIELDS`) as an update over it says what it replaces:
    `status "active", signed off by "Dr Local" on "2026-11-30"`."""
    if not isinstance(data, dict):
        return "no review"
    said = [f"status {shown(str(data.get('status', 'not given')))}"]
    sign_off = data.get("sign_off")
    if isinstance(sign_off, dict):
        said.append(
            f"signed off by {shown(str(sign_off.get('name', '?')))} "
            f"on {shown(str(sign_off.get('date', '?')))}"
        )
    else:
        said.append("no sign-off")
    if data.get("next_review") is not None:
        said.append(f"next review {shown(str(data['next_review']))}")
    return ", ".join(said)


def content_digest(data: Any) -> str | None:
    """The SHA-256 of a protocol's content without its review (`REVIEW_FIELDS`), written in
    one fixed form (keys sorted, no spaces), so that the layout a file is saved in does not
    count; None for a document that is not a JSON object."""
    if not isinstance(data, dict):
        return None
    kept = {key: value for key, value in data.items() if key not in REVIEW_FIELDS}
    text = json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return digest(text.encode("utf-8", "surrogatepass"))


def file_content_digest(raw: bytes) -> str | None:
    """`content_digest` of a protocol file's bytes; None for a file that is not JSON (or
    nested too deep for the parser) or not an object: the import and the workbench both ask
    whether a file was changed only in its review."""
    try:
        return content_digest(json.loads(raw))
    except (ValueError, RecursionError):
        return None


def same_publisher(record: ImportRecord, source: Source) -> bool:
    """Whether `source` may update a file that came from `record`'s publisher: the same key
    when that file came signed (a name can be claimed by anyone), else the same name."""
    if record.key is not None:
        return source.key == record.key
    return _normal(record.publisher) == _normal(source.publisher)


def _normal(name: str) -> str:
    from protocol_kit.untrusted.identity import comparable

    return comparable(name)


def read_records(target: Path) -> Records:
    """The record of earlier imports into `target` (empty when there is none).

    Raises BundleRefused, naming the file, when it cannot be read: without it an import could
    not tell the clinic's changes from the files it wrote. It is read as any file from outside
    is (`protocol_kit.untrusted.state`), and every entry is checked: an entry that is not what
    an import writes (a version that is not a version, a path out of the folder) would make
    the checks that use it fail, or pass, for a false reason.
    """
    path = record_path(target)
    try:
        data = read_state(path)
        written = data.get("format_version")
        if isinstance(written, int) and not isinstance(written, bool) and written > RECORD_FORMAT:
            raise _Newer(f"format_version {written}")
        if written != RECORD_FORMAT:
            raise StateProblem(f"format_version is not {RECORD_FORMAT}")
        files = require(data.get("files"), dict, '"files"')
        return {_name(name): _entry(name, value) for name, value in files.items()}
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from None
    except _Newer as newer:
        raise _from_a_newer_protokit(path, str(newer), data.get("written_by")) from None
    except StateProblem as problem:
        raise _unreadable(path, f"not a valid import record: {problem}") from None


class _Newer(StateProblem):
    """What a newer protokit writes in the record and this one does not know."""


def _from_a_newer_protokit(path: Path, what: str, written_by: Any) -> BundleRefused:
    # Not "restore it or delete it" (`_unreadable`): the record is sound, and deleting it
    # would make every imported file count as the clinic's own.
    by = (
        f" (the record says {quoted(written_by)}; this is protocol-kit {__version__})"
        if isinstance(written_by, str)
        else ""
    )
    return BundleRefused(
        f"{path}: holds {what}, which this version of protokit does not know: a newer "
        f"protokit wrote it{by}, so update protokit on this machine (pip install --upgrade "
        "protocol-kit) to import into this folder; or it was changed by hand (restore it "
        "from a backup). Do not delete it: it is what keeps the clinic's own changes from "
        "being overwritten; nothing was changed"
    )


_HEX64 = re.compile(r"[0-9a-f]{64}")
_KINDS = ("protocol", "image")


def _name(name: str) -> str:
    if not inside_name(name):
        raise StateProblem(f"the entry {shown(name)} is not a file inside the folder")
    return name


def _entry(name: str, value: Any) -> ImportRecord:
    what = f"the entry {shown(name)}"
    fields = set(ImportRecord.__dataclass_fields__)
    require(value, dict, what)
    unknown = sorted(set(value) - fields)
    if unknown:
        raise _Newer(f"the field {shown(unknown[0])} of {what}")
    for field in ("kind", "sha256", "publisher", "bundle_sha256", "imported"):
        require(value.get(field), str, f"{what}'s {field}")
    for field in ("key", "id", "version", "content_sha256"):
        require(value.get(field), (str, type(None)), f"{what}'s {field}")
    if value.get("content_sha256") is not None and not _HEX64.fullmatch(value["content_sha256"]):
        raise StateProblem(f"{what}'s content_sha256 is not a SHA-256")
    if value["kind"] not in _KINDS:
        raise StateProblem(f"{what}'s kind is not one of {', '.join(_KINDS)}")
    if not _HEX64.fullmatch(value["sha256"]):
        raise StateProblem(f"{what}'s sha256 is not a SHA-256")
    if value["kind"] == "protocol":
        if value.get("id") is None or value.get("version") is None:
            raise StateProblem(f"{what} is a protocol without its id and version")
        try:
            version_key(value["version"])
        except ValueError:
            raise StateProblem(
                f"{what}'s version {shown(value['version'])} is not a semantic version"
            ) from None
    return ImportRecord(**value)


def _entry_json(record: ImportRecord) -> dict[str, Any]:
    fields = asdict(record)
    order = (
        "kind",
        "id",
        "version",
        "sha256",
        "content_sha256",
        "publisher",
        "key",
        "bundle_sha256",
        "imported",
    )
    return {name: fields[name] for name in order if fields[name] is not None or name == "key"}


def _unreadable(path: Path, reason: str) -> BundleRefused:
    return BundleRefused(
        f"{path}: cannot be read ({reason}); it records what earlier imports wrote into this "
        "folder, so that local changes are never overwritten. Restore it from a backup, or "
        "delete it if it is lost (every file will then count as the clinic's own); nothing "
        "was changed"
    )


def records_json(records: Records) -> bytes:
    """The record file's bytes: stable (sorted) so that it is easy to compare and to track in
    version control."""
    files = {name: _entry_json(record) for name, record in sorted(records.items())}
    # `written_by` names this version for a later one's message about a record it cannot
    # read ("a newer protokit wrote it (protocol-kit 0.2.0)"); a reader reads only the
    # format and the files, so no version, this one or one before, refuses it.
    document = {
        "about": _ABOUT,
        "format_version": RECORD_FORMAT,
        "written_by": f"protocol-kit {__version__}",
        "files": files,
    }
    # Encoded piece by piece, the bytes of `json.dumps(document, indent=2,
    # ensure_ascii=False)`: `dumps` with an indent lists every piece before joining them,
    # several times the record's 5 MB at 10,000 protocols (issue 17).
    written = io.BytesIO()
    for piece in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document):
        written.write(piece.encode("utf-8"))
    written.write(b"\n")
    return written.getvalue()
