"""Shared pieces for the bundle tests: example sources, keys, and a way to build bundles that
are wrong in exactly one way (re-hashed and re-signed, so only the intended defect remains)."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from conftest import CASES, PROTOCOLS, Result, run_protokit, warm_cache
from protocol_kit.bundle.archive import write_archive

TRANSLATED = CASES / "validate" / "valid" / "translated-protocol" / "protocol.json"
PUBLISHER = (
    "--publisher-name",
    "Northside Physio",
    "--publisher-contact",
    "info@northside.example",
)
# A 1x1 pixel PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


# The bundle tests' expected outputs (counts, manifest, created time) are written for this set,
# so they do not change each time an example protocol is added to the repository.
EXAMPLE_FILES = (
    "psoas-stretch-glute-bridge.json",
    "library/kneeling-hip-flexor-stretch.json",
    "library/glute-bridge.json",
)


def copy_examples(folder: Path) -> Path:
    """The repository's psoas example protocol and its library, copied to `folder/protocols`."""
    target = folder / "protocols"
    for name in EXAMPLE_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROTOCOLS / name, target / name)
    return target


def snapshot(folder: Path) -> dict[str, tuple[str, bytes | None, int]]:
    """Everything a user could notice about a folder: names, kinds, bytes, modification times."""
    state = {}
    for path in sorted(folder.rglob("*")):
        relative = str(path.relative_to(folder))
        if path.is_dir():
            state[relative] = ("dir", None, 0)
        else:
            state[relative] = ("file", path.read_bytes(), path.stat().st_mtime_ns)
    return state


def make_keys(folder: Path, name: str = "Northside Physio") -> tuple[Path, Path, Path]:
    """A key pair and a trust file that trusts it: (private key, public key, trust file)."""
    result = run_protokit("keys", "generate", "-o", str(folder / "clinic"), "--name", name)
    assert result.code == 0, result.stderr
    trust = folder / "trust.toml"
    trust.write_text(result.stdout, encoding="utf-8")
    return folder / "clinic.key", folder / "clinic.pub", trust


def create(sources: Path, output: Path, *extra: str, env: dict[str, str] | None = None) -> None:
    result = run_protokit(
        "bundle", "create", str(sources), "-o", str(output), *PUBLISHER, *extra, env=env
    )
    assert result.code == 0, result.stderr


def entries_of(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rehash(entries: dict[str, bytes], key: Path | None) -> None:
    """Make the manifest describe the entries again, and sign it again with `key` (or drop the
    signature): the bundle is then wrong only in the way the test made it wrong."""
    manifest = json.loads(entries["manifest.json"])
    manifest["files"] = [
        {"path": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        for name, content in sorted(entries.items())
        if name not in ("manifest.json", "manifest.sig")
    ]
    raw = (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    entries["manifest.json"] = raw
    entries.pop("manifest.sig", None)
    if key is not None:
        from protocol_kit.bundle.signing import load_signing_key

        entries["manifest.sig"] = load_signing_key(key, lambda: None).sign(raw)


def rebuild(
    bundle: Path,
    output: Path,
    change: Callable[[dict[str, bytes]], None],
    key: Path | None = None,
    *,
    rehashed: bool = True,
) -> Path:
    """A copy of `bundle` with `change` applied, re-hashed and re-signed, in canonical form."""
    entries = entries_of(bundle)
    change(entries)
    if rehashed:
        rehash(entries, key)
    output.write_bytes(write_archive(entries))
    return output


def raw_zip(output: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    """A zip written by `zipfile`, for archives the canonical writer refuses to make."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, content in members:
            archive.writestr(info, content)
    output.write_bytes(buffer.getvalue())
    return output


def change_protocol(entries: dict[str, bytes], name: str, edit: Callable[[dict], None]) -> None:
    data = json.loads(entries[name])
    edit(data)
    entries[name] = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def translated_library_case(folder: Path) -> Path:
    """The translated example protocol with its exercise moved into a library exercise written
    in `en` (not the protocol's `en-GB`) with a French translation, used twice by reference:
    as it is, and with a dosage override. Returns the protocol file."""
    protocol = json.loads(TRANSLATED.read_text(encoding="utf-8"))
    exercise = protocol["exercises"][0]
    library = copy.deepcopy(exercise)
    for key, value in list(library.items()):
        library[key] = _relabel(value)
    library = {
        "$schema": "https://schemas.protocol-kit.org/v1/exercise.schema.json",
        "id": "cat-cow",
        "version": "2.1.0",
        "language": "en",
        "translations": ["fr"],
        **{k: v for k, v in library.items() if k != "id"},
        "authors": [{"name": "Library Author", "credentials": "Physiotherapist"}],
    }
    protocol["exercises"] = [
        {"ref": "cat-cow"},
        {
            "ref": "cat-cow",
            "id": "cat-cow-more",
            "dosage": {
                "repetitions": 10,
                "intensity": {"en-GB": "A little further, still no pain", "fr": "FR Further"},
            },
            "note": "More repetitions for this group.",
        },
    ]
    (folder / "library").mkdir(parents=True)
    (folder / "library" / "cat-cow.json").write_text(json.dumps(library, indent=2), "utf-8")
    path = folder / "back-basics.json"
    path.write_text(json.dumps(protocol, indent=2, ensure_ascii=False), "utf-8")
    return path


def _relabel(value):
    """Texts keyed `en-GB` become `en` (a library written for every English reader)."""
    if isinstance(value, dict):
        if set(value) == {"en-GB", "fr"}:
            return {"en": value["en-GB"], "fr": value["fr"]}
        return {k: _relabel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_relabel(v) for v in value]
    return value


# -- importing ------------------------------------------------------------------------------------

ID = "psoas-stretch-glute-bridge"
CURRENT = json.loads((PROTOCOLS / f"{ID}.json").read_text())["version"]  # the example's version


def publish(
    folder: Path,
    version: str,
    hold: int | None = None,
    name: str = "b.pkb",
    *,
    second: bool = True,
    sign: Path | None = None,
    publisher: str = "Northside Physio",
) -> Path:
    """The publisher's sources at `version` (optionally another hold time for the stretch),
    with a second protocol that shows an image (unless `second` is false), bundled unsigned or
    signed with the key `sign`."""
    sources = folder / f"publisher-{version}-{hold}-{second}"
    if not sources.exists():
        copy_examples(sources)
    protocols = sources / "protocols"
    main = protocols / f"{ID}.json"
    data = json.loads(main.read_text())
    data["version"] = version
    if hold is not None:
        data["exercises"][0]["dosage"]["hold_seconds"] = hold
    main.write_text(json.dumps(data, indent=2))
    library = json.loads((protocols / "library" / "glute-bridge.json").read_text())
    exercise = {k: v for k, v in library.items() if k not in ("$schema", "version", "language")}
    exercise.pop("authors")
    exercise["media"] = [
        {
            "kind": "image",
            "path": "images/bridge.png",
            "alt": "The bridge position",
            "author": "Clinic photographer",
            "licence": "CC-BY-4.0",
        }
    ]
    other = dict(data, id="second-programme", version="1.0.0", exercises=[exercise])
    # Its own exercise only: the example's screening questions decide conditions it lacks.
    other.pop("screening", None)
    (protocols / "images").mkdir(exist_ok=True)
    (protocols / "images" / "bridge.png").write_bytes(PNG)
    if second:
        (protocols / "second.json").write_text(json.dumps(other, indent=2))
    bundle = folder / name
    signing = ("--sign", str(sign)) if sign else ()
    naming = ("--publisher-name", publisher)
    create(protocols, bundle, "--force", *signing, *naming)
    return bundle


def set_version(path: Path, version: str) -> None:
    path.write_text(
        path.read_text().replace(f'"version": "{CURRENT}"', f'"version": "{version}"', 1)
    )


def run_import(bundle: Path, target: Path, *options: str):
    return run_protokit(
        "bundle", "import", str(bundle), "--into", str(target), "--allow-unsigned", *options
    )


def review_locally(path: Path) -> None:
    """The receiving clinic's review alone: status active and its sign-off, the version and
    the content kept (an import keeps it, or updates over it keeping a copy: H901)."""
    data = json.loads(path.read_text())
    data["status"] = "active"
    data["sign_off"] = {
        "name": "Dr Local",
        "profession": "physiotherapist",
        "registration": {"body": "HCPC", "number": "PH100001"},
        "date": data["updated"],
    }
    path.write_text(json.dumps(data, indent=2) + "\n")


def edit_locally(path: Path) -> None:
    """The receiving clinic's change: its review and a text of its own, the version kept (an
    import never overwrites it without a word)."""
    review_locally(path)
    data = json.loads(path.read_text())
    data["safety"]["general_advice"].append("Our clinic: warm up with a short walk first.")
    path.write_text(json.dumps(data, indent=2) + "\n")


def import_current(folder: Path) -> Path:
    """A clinic's folder of received protocols (`folder/clinic/received`), into which the
    example protocol was imported at its current version (without the second protocol)."""
    target = folder / "clinic" / "received"
    target.mkdir(parents=True)
    result = run_import(publish(folder, CURRENT, second=False, name="first.pkb"), target)
    assert result.code == 0, result.stderr
    return target


# -- permissions --------------------------------------------------------------------------------

NOBODY = 65534


class OrdinaryUser:
    """Runs protokit in `home` as an ordinary user: the test's own user, or `nobody` (with
    setpriv) when the tests run as root, who may write into any folder, so that a test of
    permissions would prove nothing."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def run(self, *args: str) -> Result:
        prefix: list[str] = []
        if os.geteuid() == 0:
            for path in [self.home, *self.home.rglob("*")]:
                os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
            prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
            # nobody's home cannot be written: without a cache folder of its own every run
            # would build the ICD-10-CM index again (seconds), which is not what is tested.
            env = {"PROTOKIT_CACHE_DIR": str(_nobodys_cache())}
            return run_protokit(*args, cwd=self.home, prefix=prefix, env=env)
        return run_protokit(*args, cwd=self.home, prefix=prefix)


_NOBODYS_CACHE: list[Path] = []


def _nobodys_cache() -> Path:
    """A cache folder `nobody` may write, one per test process."""
    if not _NOBODYS_CACHE:
        import atexit
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="protokit-test-cache-", dir="/tmp"))
        atexit.register(shutil.rmtree, folder, True)
        # What a user's first runs leave in their cache (the ICD-10-CM index, the compiled
        # patterns...), so that nobody's first run does not build it all again: seconds of
        # CPU in each test process, and not what is tested.
        warm_cache(folder)
        for path in [folder, *folder.iterdir()]:
            os.chown(path, NOBODY, NOBODY)
        _NOBODYS_CACHE.append(folder)
    return _NOBODYS_CACHE[0]


def make_writable(folder: Path) -> None:
    """Undo a test's chmod, so that the folder can be deleted."""
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


def archive_refusal(path: Path) -> str:
    """The one line `read_archive` refuses the file at `path` with."""
    import pytest

    from protocol_kit.bundle import BundleRefused
    from protocol_kit.bundle.archive import read_archive

    with pytest.raises(BundleRefused) as refused:
        read_archive(path)
    return str(refused.value)
