"""Exports of every example for the FHIR tests, and the independent validators."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from session_setup import start_held, wait_for

from conftest import CASES, PROTOCOLS, REPO
from protocol_kit.app.bundle_checks import read_image
from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.fhir.definitions import definitions_bundle
from protocol_kit.fhir.export import FhirOptions, protocol_bundle
from protocol_kit.model import Origin

EXAMPLES = sorted(p for p in PROTOCOLS.glob("*.json"))
# An active protocol: its sign-off, a WHO ICD-10 coding beside ICD-10-CM, red flags that name
# what they cover, and poses with a lean, a prop's gap and an alt text in two languages.
SIGNED = CASES / "validate" / "valid" / "signed-off-protocol" / "protocol.json"
# What the validators check: every example, and the signed-off protocol.
EXPORTED = [*EXAMPLES, SIGNED]
# A screened, staged prescription with goals and outcome measures: the patient-level resources
# (Patient, Practitioner, CarePlan, Goals, Observations) go through every validator with the
# protocol's.
PRESCRIPTION = REPO / "docs" / "examples" / "prescription-staged.json"
PRESCRIBED = PROTOCOLS / "psoas-stretch-glute-bridge.json"
PRESCRIBER_PHONE = "0113 496 0124 (Monday to Friday)"
VERSIONS = {"R4": "4.0.1", "R4B": "4.3.0"}
BUNDLE_TYPES = ("collection", "transaction")
CLINIC = FhirOptions(publisher="Example Physiotherapy Clinic", contact="examples@clinic.invalid")
FHIRCRAFT_CHECK = Path(__file__).with_name("fhircraft_check.py")
# fhircraft's verdicts on the exports as the tree makes them (`FhircraftVerdicts`).
RECORDED = Path(__file__).with_name("fhircraft-verdicts")


def load(path: Path):
    return load_protocol(str(path), FileChecker(CheckOptions()))


def export(path: Path, release: str = "R4", bundle_type: str = "collection", **options) -> dict:
    settings = dataclasses.replace(
        CLINIC, version=VERSIONS[release], bundle_type=bundle_type, **options
    )
    return protocol_bundle(load(path), read_image, settings)


def patient_export(
    release: str = "R4", bundle_type: str = "collection", prescription: Path = PRESCRIPTION
) -> dict:
    """The staged example prescription's export, as `export fhir --prescription` writes it."""
    from protocol_kit.app.export import export_fhir

    settings = dataclasses.replace(CLINIC, version=VERSIONS[release], bundle_type=bundle_type)
    return export_fhir(
        str(PRESCRIBED), settings, CheckOptions(), prescription_path=str(prescription)
    )


def with_prescriber_phone(folder: Path) -> Path:
    """The staged example prescription with the prescriber's telephone and e-mail address
    (the Practitioner's `telecom`), written into `folder`."""
    data = json.loads(PRESCRIPTION.read_text("utf-8"))
    data["therapist"].update(phone=PRESCRIBER_PHONE, email="jo@clinic.invalid")
    target = folder / "prescription-with-phone.json"
    target.write_text(json.dumps(data, indent=2), "utf-8")
    return target


def all_exports(folder: Path) -> list[tuple[Path, str]]:
    """Every example and the signed-off protocol in both versions and both bundle types, and
    the definitions: (file, release) pairs."""
    written = []
    for release, version in VERSIONS.items():
        for bundle_type in BUNDLE_TYPES:
            for path in EXPORTED:
                name = path.parent.name if path == SIGNED else path.stem
                target = folder / f"{name}.{release}.{bundle_type}.json"
                target.write_text(json.dumps(export(path, release, bundle_type)), "utf-8")
                written.append((target, release))
            target = folder / f"prescription.{release}.{bundle_type}.json"
            exported = patient_export(release, bundle_type, with_prescriber_phone(folder))
            target.write_text(json.dumps(exported), "utf-8")
            written.append((target, release))
            target = folder / f"definitions.{release}.{bundle_type}.json"
            target.write_text(json.dumps(definitions_bundle(version, bundle_type)), "utf-8")
            written.append((target, release))
    return written


def export_shape(document: dict) -> frozenset[str]:
    """What fhircraft's models and FHIRPath invariants see of an export besides its values:
    the bundle's type and every element's path (list positions left out) with its JSON type,
    resource by resource."""
    seen: set[str] = set()

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}/{key}")
        elif isinstance(value, list):
            for inner in value:
                walk(inner, f"{path}[]")
        else:
            seen.add(f"{path}:{type(value).__name__}")

    for entry in document["entry"]:
        walk(entry, entry["resource"]["resourceType"])
    return frozenset({document["type"], *seen})


def fhircraft_share(exports: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """The exports fhircraft checks (about 20 s of CPU for its import, then 0.3 to 3 s an
    export): in each release, one transaction of each shape (`export_shape`), and the
    collections of the signed-off protocol and the prescription. The examples' transactions
    are made by the same code from protocols with the same parts: those of one shape differ
    in their values alone, which HL7's schema and fhir.resources check in every export. A
    collection holds the resources of the transaction made by the same code, only its type
    and the entries' requests differ: two collections check what a collection's type adds
    (the definitions' collection, 3 s a release, no more)."""
    collections = (f"{SIGNED.parent.name}.", "prescription.")
    shapes: set[tuple[str, frozenset[str]]] = set()
    share = []
    for path, release in exports:
        if ".transaction." in path.name:
            shape = (release, export_shape(json.loads(path.read_text("utf-8"))))
            if shape in shapes:
                continue
            shapes.add(shape)
        elif not path.name.startswith(collections):
            continue
        share.append((path, release))
    return share


class FhircraftRun:
    """fhircraft's check of every export and of two that must fail, in a process of its own:
    importing fhircraft takes tens of seconds, so the root conftest starts it once per test
    session (in the process that runs pytest, not in each xdist worker) as soon as the tests
    are collected, and it runs beside the other tests, on the files whose verdict an earlier
    run has not kept. Everything is in `folder`: the exports,
    their list, fhircraft's results, and a lock its process holds until it ends, which
    `results` waits for (in whichever worker runs the test)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.broken = folder / "broken-narrative.json"
        self.r4b_as_r4 = folder / "r4b-as-r4.json"  # ClinicalUseDefinition is not R4
        self._results: dict[str, list[str]] | None = None

    @property
    def exports(self) -> list[tuple[Path, str]]:
        listed = json.loads((self.folder / "exports.json").read_text("utf-8"))
        return [(Path(path), release) for path, release in listed]

    def start(self) -> subprocess.Popen | None:
        """Write the exports, then start fhircraft (its import first) on those whose verdict
        is not kept from an earlier run (`FhircraftVerdicts`); None when every one is."""
        exports = all_exports(self.folder)
        (self.folder / "exports.json").write_text(
            json.dumps([(str(path), release) for path, release in exports]), "utf-8"
        )
        broken = export(EXAMPLES[0], "R4")
        del broken["entry"][0]["resource"]["text"]["div"]  # breaks an invariant of Narrative
        self.broken.write_text(json.dumps(broken), "utf-8")
        self.r4b_as_r4.write_text(json.dumps(export(EXAMPLES[0], "R4B")), "utf-8")
        files = [*fhircraft_share(exports), (self.broken, "R4"), (self.r4b_as_r4, "R4")]
        kept = FhircraftVerdicts.of_this_user().kept(files)
        (self.folder / "kept.json").write_text(json.dumps(kept), "utf-8")
        unknown = [(path, release) for path, release in files if str(path) not in kept]
        (self.folder / "checked.json").write_text(
            json.dumps([(str(path), release) for path, release in unknown]), "utf-8"
        )
        if not unknown:
            (self.folder / "results.json").write_text("{}", "utf-8")
            return None
        with (
            open(self.folder / "results.json", "w") as out,
            open(self.folder / "stderr.txt", "w") as err,
        ):
            process = start_held(
                self.folder,
                [sys.executable, str(FHIRCRAFT_CHECK)],
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=err,
                text=True,
            )
        try:
            process.stdin.write("".join(f"{r}={p}\n" for p, r in unknown))
            process.stdin.close()
        except BrokenPipeError:  # it failed to start; `results` shows why
            pass
        return process

    def results(self) -> dict[str, list[str]]:
        """File -> fhircraft's problems (errors and FHIRPath invariant warnings)."""
        if self._results is None:
            wait_for(self.folder)
            output = (self.folder / "results.json").read_text("utf-8")
            stderr_file = self.folder / "stderr.txt"
            stderr = stderr_file.read_text("utf-8") if stderr_file.exists() else ""
            assert output.strip(), stderr[-3000:]
            checked = json.loads(output)
            files = json.loads((self.folder / "checked.json").read_text("utf-8"))
            FhircraftVerdicts.of_this_user().keep(
                [(Path(path), release) for path, release in files], checked
            )
            kept = json.loads((self.folder / "kept.json").read_text("utf-8"))
            self._results = {**kept, **checked}
        return self._results


class FhircraftVerdicts:
    """fhircraft's verdicts on files from earlier runs, kept in the user's cache folder (as npm
    keeps its downloads in ~/.npm): importing fhircraft and checking the exports is about 40 s
    of CPU, beside both workers, for the same answers whenever the same files are checked by
    the same fhircraft. A verdict is found by what it depends on, the file's bytes and release,
    fhircraft's version and its requirements', Python's and this check's code, so a changed
    export is checked again; delete the folder to check every file again.

    The verdicts of the exports as the tree makes them are kept in the tree too
    (`RECORDED`, by the same key), so that a fresh clone's CI run, whose cache folder is
    empty, does not spend its 40 s of CPU on answers a real fhircraft run already gave for the
    same bytes with the same fhircraft; an export that changed, another fhircraft or another
    Python finds none there and is checked. After a change to the exports, copy the new
    verdicts from the cache folder: `cp ~/.cache/protocol-kit-tests/fhircraft-verdicts/*/*
    tests/fhir/fhircraft-verdicts/KEY/` (KEY the folder's name)."""

    def __init__(self, folder: Path | None, recorded: Path | None = None) -> None:
        self.folder = folder
        self.recorded = recorded

    @classmethod
    def of_this_user(cls) -> FhircraftVerdicts:
        import importlib.metadata

        home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        root = Path(home) / "protocol-kit-tests" / "fhircraft-verdicts"
        try:
            key = _fhircraft_key()
        except importlib.metadata.PackageNotFoundError:
            return cls(None)  # no fhircraft: every file checked (and the test says why)
        try:
            folder = root / key
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            folder = None  # a home folder it cannot write: only the tree's verdicts
        return cls(folder, RECORDED / key)

    def _entry(self, path: Path, release: str) -> Path:
        return self.folder / _entry_name(path, release)

    def kept(self, files: list[tuple[Path, str]]) -> dict[str, list[str]]:
        found = {}
        for path, release in files:
            name = _entry_name(path, release)
            for folder in (self.folder, self.recorded):
                if folder is not None and (folder / name).exists():
                    found[str(path)] = json.loads((folder / name).read_text("utf-8"))
                    break
        return found

    def keep(self, files: list[tuple[Path, str]], results: dict[str, list[str]]) -> None:
        if self.folder is None:
            return
        for path, release in files:
            if str(path) in results:
                entry = self._entry(path, release)
                partial = entry.with_name(f"{entry.name}.{os.getpid()}")
                partial.write_text(json.dumps(results[str(path)]), "utf-8")
                partial.replace(entry)  # whole or not at all: another run may read it


def _entry_name(path: Path, release: str) -> str:
    """A verdict's file name: the digest of the release and the export's bytes."""
    import hashlib

    return hashlib.sha256(release.encode() + b"\0" + path.read_bytes()).hexdigest() + ".json"


def _fhircraft_key() -> str:
    """What fhircraft's verdicts depend on besides the file: the check's code, Python's
    version, and fhircraft's version and those of the packages it requires."""
    import hashlib
    import importlib.metadata
    import re

    parts = [FHIRCRAFT_CHECK.read_text("utf-8"), sys.version]
    names = ["fhircraft"]
    for requirement in importlib.metadata.requires("fhircraft") or ():
        if "extra ==" not in requirement:
            names.append(re.match(r"[A-Za-z0-9_.-]+", requirement).group())
    for name in names:
        try:
            parts.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} not installed")  # fhircraft's own absence is raised above
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


_RUN: list[FhircraftRun] = []


def fhircraft_run() -> FhircraftRun:
    """The one fhircraft run of this test session (started by the root conftest)."""
    import conftest

    if not _RUN:
        _RUN.append(FhircraftRun(conftest.session_folder() / "fhircraft"))
    return _RUN[0]


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
