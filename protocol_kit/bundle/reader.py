"""Opening an untrusted bundle: every structural check, in memory, before anything is written.

`open_bundle` reads the archive within its limits (see `archive`), then checks that the manifest
is valid and describes the contents exactly: no file missing from it or extra to it, every size
and SHA-256 right, every file where the layout allows it, every image named by its own hash and
the manifest's protocol list matching the protocol files. A signature, when present, is parsed
here and checked by the caller against the trust policy. Validating the protocols is the
caller's job too (it needs the validation engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import (
    DEFAULT_LIMITS,
    SEND_ORIGINAL,
    ArchiveLimits,
    read_archive,
)
from protocol_kit.bundle.manifest import (
    FHIR_PATH,
    MANIFEST,
    MEDIA_PATH,
    PROTOCOL_PATH,
    SIGNATURE,
    BundledFile,
    Manifest,
    parse_manifest,
)
from protocol_kit.bundle.signing import Signature, parse_signature
from protocol_kit.findings import shown


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle whose structure, manifest and hashes hold."""

    path: Path
    sha256: str
    manifest: Manifest
    manifest_bytes: bytes
    signature: Signature | None
    files: dict[str, bytes]  # every file the manifest lists, by path

    def protocol_files(self) -> list[tuple[str, bytes]]:
        return [(p.path, self.files[p.path]) for p in self.manifest.protocols]

    def media(self) -> dict[str, bytes]:
        return {path: content for path, content in self.files.items() if MEDIA_PATH.match(path)}


def open_bundle(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> OpenedBundle:
    """Read and check an untrusted bundle; BundleRefused names the first problem."""
    where = str(path)
    contents = read_archive(path, limits)
    entries = dict(contents.entries)
    raw_manifest = entries.pop(MANIFEST, None)
    if raw_manifest is None:
        raise BundleRefused(f"{where}: not a protocol-kit bundle: it has no {MANIFEST}")
    manifest = parse_manifest(raw_manifest, where)
    raw_signature = entries.pop(SIGNATURE, None)
    signature = parse_signature(raw_signature, where) if raw_signature is not None else None
    check_contents(manifest, entries, where)
    return OpenedBundle(path, contents.sha256, manifest, raw_manifest, signature, entries)


def check_contents(manifest: Manifest, entries: dict[str, bytes], where: str) -> None:
    """The manifest describes `entries` (every file but the manifest and signature) exactly."""
    listed: dict[str, BundledFile] = {}
    for item in manifest.files:
        if item.path in listed:
            raise BundleRefused(f"{where}: {MANIFEST} lists {shown(item.path)} twice")
        listed[item.path] = item
    for name in sorted(entries):
        if name not in listed:
            raise BundleRefused(
                f"{where}: {shown(name)} is in the bundle but not in {MANIFEST}: an extra file: "
                f"{SEND_ORIGINAL}"
            )
    for name in sorted(listed):
        if name not in entries:
            raise BundleRefused(
                f"{where}: {MANIFEST} lists {shown(name)} but the bundle has no such file: "
                f"{SEND_ORIGINAL}"
            )
        content = entries[name]
        expected = listed[name]
        actual = BundledFile.of(name, content)
        if actual.size != expected.size or actual.sha256 != expected.sha256:
            raise BundleRefused(
                f"{where}: {shown(name)} does not match its SHA-256 in {MANIFEST}: it was "
                f"changed after the bundle was made: {SEND_ORIGINAL}"
            )
        media = MEDIA_PATH.match(name)
        if media and media.group(1) != actual.sha256:
            raise BundleRefused(f"{where}: image {shown(name)} is not named by its SHA-256")
    protocol_files = {name for name in entries if PROTOCOL_PATH.match(name)}
    declared = [p.path for p in manifest.protocols]
    if len(set(declared)) != len(declared):
        raise BundleRefused(f"{where}: {MANIFEST} lists a protocol twice")
    if protocol_files != set(declared):
        odd = sorted(protocol_files.symmetric_difference(declared))[0]
        raise BundleRefused(
            f"{where}: the protocols in {MANIFEST} do not match the protocol files ({odd})"
        )
    ids = {p.id for p in manifest.protocols}
    for name in entries:
        fhir = FHIR_PATH.match(name)
        if fhir and fhir.group(1) not in ids:
            raise BundleRefused(f"{where}: {shown(name)} is a FHIR export of no bundled protocol")
