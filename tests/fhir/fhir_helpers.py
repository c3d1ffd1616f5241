"""Exports of every example for the FHIR tests, and the independent validators."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

from conftest import PROTOCOLS
from protocol_kit.app.bundle_checks import read_image
from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.fhir.definitions import definitions_bundle
from protocol_kit.fhir.export import FhirOptions, protocol_bundle
from protocol_kit.model import Origin

EXAMPLES = sorted(p for p in PROTOCOLS.glob("*.json"))
VERSIONS = {"R4": "4.0.1", "R4B": "4.3.0"}
BUNDLE_TYPES = ("collection", "transaction")
CLINIC = FhirOptions(publisher="Example Physiotherapy Clinic", contact="examples@clinic.invalid")
FHIRCRAFT_CHECK = Path(__file__).with_name("fhircraft_check.py")


def load(path: Path):
    return load_protocol(str(path), FileChecker(CheckOptions()))


def export(path: Path, release: str = "R4", bundle_type: str = "collection", **options) -> dict:
    settings = dataclasses.replace(
        CLINIC, version=VERSIONS[release], bundle_type=bundle_type, **options
    )
    return protocol_bundle(load(path), read_image, settings)


def all_exports(folder: Path) -> list[tuple[Path, str]]:
    """Every example in both versions and both bundle types, and the definitions: (file,
    release) pairs."""
    written = []
    for release, version in VERSIONS.items():
        for bundle_type in BUNDLE_TYPES:
            for path in EXAMPLES:
                target = folder / f"{path.stem}.{release}.{bundle_type}.json"
                target.write_text(json.dumps(export(path, release, bundle_type)), "utf-8")
                written.append((target, release))
            target = folder / f"definitions.{release}.{bundle_type}.json"
            target.write_text(json.dumps(definitions_bundle(version, bundle_type)), "utf-8")
            written.append((target, release))
    return written


def fhircraft(files: list[tuple[Path, str]]) -> dict[str, list[str]]:
    """fhircraft's problems (errors and FHIRPath invariant warnings) for each file, from one
    process: importing fhircraft takes tens of seconds."""
    arguments = [f"{release}={path}" for path, release in files]
    done = subprocess.run(
        [sys.executable, str(FHIRCRAFT_CHECK), *arguments],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def resources(document: dict, kind: str | None = None) -> list[dict]:
    return [
        e["resource"]
        for e in document["entry"]
        if kind is None or e["resource"]["resourceType"] == kind
    ]


def clinical_view(value):
    """A protocol model with what is not clinical content set aside: where each part was read
    from, library provenance and lint suppressions."""
    if isinstance(value, Origin):
        return Origin("")
    if isinstance(value, tuple):
        return tuple(clinical_view(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: clinical_view(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if "library" in changes:
            changes["library"] = None
        if "suppressions" in changes:
            changes["suppressions"] = ()
        return dataclasses.replace(value, **changes)
    return value
