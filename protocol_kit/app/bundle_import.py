"""`protokit bundle import` as a function: verify, plan, then write all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from protocol_kit.app.bundle_checks import PROTOCOL_KIND, make_self_contained
from protocol_kit.app.bundle_verify import Verification, VerifyOptions, verify_bundle
from protocol_kit.app.check import FileChecker, expand_paths
from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.importer import Existing, ImportPlan, Incoming, apply_plan, plan_import
from protocol_kit.bundle.manifest import PROTOCOLS
from protocol_kit.errors import InputError, ProtokitError, UsageError
from protocol_kit.loading import JsonProblem, load

if TYPE_CHECKING:
    from protocol_kit.bundle.reader import OpenedBundle


@dataclass(frozen=True)
class ImportOptions:
    verify: VerifyOptions = field(default_factory=VerifyOptions)
    dry_run: bool = False


@dataclass
class ImportResult:
    verification: Verification
    plan: ImportPlan
    applied: bool = False


def import_bundle(path: Path, target: Path, options: ImportOptions) -> ImportResult:
    """Verify a bundle, then add its protocols to `target`, all or nothing.

    Raises BundleRefused when the bundle does not verify. Returns the plan; it has been applied
    unless it refuses a protocol or `dry_run` is set.
    """
    if not target.is_dir():
        raise UsageError(f"{target}: no such folder")
    verification = verify_bundle(path, options.verify)
    if not verification.ok:
        raise BundleRefused(f"{path}: {verification.problems[0]}; nothing was imported")
    incoming = [
        _incoming(verification.bundle, name) for name, _ in verification.bundle.protocol_files()
    ]
    checker = FileChecker(options.verify.check)
    plan = plan_import(
        incoming, target, _existing_protocols(target, checker), _same_content(checker)
    )
    result = ImportResult(verification, plan)
    if plan.refused or options.dry_run:
        return result
    apply_plan(plan)
    result.applied = True
    return result


def _incoming(bundle: OpenedBundle, name: str) -> Incoming:
    import json

    text = bundle.files[name]
    data = json.loads(text)
    media = {
        item["path"]: bundle.files[PROTOCOLS + item["path"]]
        for entry in data["exercises"]
        for item in entry.get("media", ())
        if "path" in item
    }
    return Incoming(data["id"], data["version"], text, data, media)


def _existing_protocols(target: Path, checker: FileChecker) -> dict[str, list[Existing]]:
    found: dict[str, list[Existing]] = {}
    for path in expand_paths([str(target)]):
        try:
            data = load(path, checker.options.limits).data
        except (JsonProblem, InputError):
            continue  # not a protocol we can read; a file in the way is caught by name
        if data.get("$schema") != PROTOCOL_KIND.uri:
            continue
        identifier, version = data.get("id"), data.get("version")
        if isinstance(identifier, str) and isinstance(version, str):
            found.setdefault(identifier, []).append(Existing(identifier, version, Path(path)))
    return found


def _same_content(checker: FileChecker) -> Callable[[Path, Incoming], str | None]:
    """Same protocol: the same bytes, or the same self-contained form (for a file written with
    library references). Else why not, to finish "PATH has the same version 1.0.0 ..."."""

    def same(path: Path, incoming: Incoming) -> str | None:
        try:
            if path.read_bytes() == incoming.text:
                return None
            _, contained, _ = make_self_contained(checker, str(path))
        except (OSError, ProtokitError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            return f"but cannot be compared, as it is not a valid protocol here ({reason})"
        if contained.data == incoming.data:
            return None
        return (
            "with different content: the publisher must raise the version when the content changes"
        )

    return same
