"""`protokit bundle import` as a function: check the folder, verify, plan, then write all or
nothing (`protocol_kit.bundle.importer` plans, `staging` writes, `provenance` keeps the record)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from protocol_kit.app.bundle_checks import PROTOCOL_KIND, make_self_contained
from protocol_kit.app.bundle_verify import Verification, VerifyOptions, verify_bundle
from protocol_kit.app.check import FileChecker, expand_paths
from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.importer import Action, Existing, ImportPlan, Incoming, plan_import
from protocol_kit.bundle.journal import read_journal, recover, target_locked
from protocol_kit.bundle.manifest import PROTOCOLS
from protocol_kit.bundle.provenance import STATE_FOLDER, Source, read_records
from protocol_kit.bundle.staging import (
    Progress,
    apply_plan,
    leftover_problem,
    leftover_staging,
    signals_held,
)
from protocol_kit.errors import InputError, ProtokitError, UsageError
from protocol_kit.loading import JsonProblem, load
from protocol_kit.untrusted.files import read_file

if TYPE_CHECKING:
    from protocol_kit.bundle.reader import OpenedBundle


@dataclass(frozen=True)
class ImportOptions:
    verify: VerifyOptions = field(default_factory=VerifyOptions)
    dry_run: bool = False
    replace_local_changes: bool = False  # replace a file changed here, keeping a copy beside it


@dataclass
class ImportResult:
    verification: Verification
    plan: ImportPlan
    applied: bool = False
    recovered: list[str] = field(default_factory=list)  # earlier imports finished or undone


@dataclass
class ImportProgress(Progress):
    """How far an import got (see `staging.Progress`), and its result once it is known: what a
    caller interrupted by a signal reports."""

    result: ImportResult | None = None
    recovered: list[str] = field(default_factory=list)


def import_bundle(
    path: Path,
    target: Path,
    options: ImportOptions,
    now: datetime | None = None,
    progress: ImportProgress | None = None,
) -> ImportResult:
    """Verify a bundle, then add its protocols to `target`, all or nothing.

    Holds the folder's import lock throughout (a second import into it is refused). An earlier
    import that was killed is first finished or rolled back from its journal (a dry run only
    says so). Raises BundleRefused when the bundle does not verify or the folder is not in a
    state to import into (a staging folder left by an earlier protokit, an unreadable JSON
    file or import record). Returns the plan; it has been applied unless it refuses a protocol
    or `dry_run` is set. A dry run makes every check the real import makes.
    """
    if not target.is_dir():
        raise UsageError(_no_folder(target))
    progress = progress if progress is not None else ImportProgress()
    with target_locked(target):
        _recover_interrupted(target, options.dry_run, progress.recovered)
        result = _import_locked(path, target, options, now, progress)
    result.recovered = progress.recovered
    return result


def _no_folder(target: Path) -> str:
    """Not created for the user: a mistyped --into would start a second folder of received
    protocols, without the record of the first, and the next import would not know them."""
    import shlex

    from protocol_kit.untrusted.files import kind_of

    try:
        # Something else by that name (a named pipe, a file): `mkdir -p` would fail (H952).
        what = kind_of(target.stat().st_mode) or "a file"
        return f"{target}: is {what}, not a folder: name the folder of received protocols"
    except OSError:
        pass
    return (
        f"{target}: no such folder: check the name, or create it (mkdir -p "
        f"{shlex.quote(str(target))}) and run the import again"
    )


def _recover_interrupted(target: Path, dry_run: bool, notes: list[str]) -> None:
    """Finish or roll back what a killed import left (its journal says which); refuse a
    staging folder without a journal, left by an earlier protokit."""
    for staging in leftover_staging(target):
        journaled = staging.parent == target / STATE_FOLDER and read_journal(staging) is not None
        if not journaled:
            raise BundleRefused(leftover_problem(staging, target))
        if dry_run:
            raise BundleRefused(
                f"{staging}: an earlier import into {target} was stopped before it finished; "
                "the next import (without --dry-run) finishes or rolls it back first, then "
                "imports; nothing was changed"
            )
        with signals_held():
            notes.append(recover(staging, target))


def _import_locked(
    path: Path,
    target: Path,
    options: ImportOptions,
    now: datetime | None,
    progress: ImportProgress,
) -> ImportResult:
    records = read_records(target)
    verification = verify_bundle(path, options.verify)
    if not verification.ok:
        raise BundleRefused(f"{path}: {verification.problems[0]}; nothing was imported")
    # Each read as it is planned: a list of them was held with the plan (issue 17).
    incoming = (
        _incoming(verification.bundle, name) for name in verification.bundle.protocol_names()
    )
    checker = FileChecker(options.verify.check)
    plan = plan_import(
        incoming,
        target,
        _existing_protocols(target, checker),
        _same_content(checker),
        records=records,
        source=_source(verification),
        now=now or datetime.now(timezone.utc),
        replace_local_changes=options.replace_local_changes,
    )
    result = ImportResult(verification, plan, recovered=progress.recovered)
    progress.result = result
    if plan.count(Action.REFUSE) or options.dry_run:
        return result
    apply_plan(plan, path, progress)
    result.applied = True
    return result


def _source(verification: Verification) -> Source:
    bundle = verification.bundle
    key = verification.signature.key
    return Source(bundle.manifest.publisher.name, key.fingerprint if key else None, bundle.sha256)


def _incoming(bundle: OpenedBundle, name: str) -> Incoming:
    """The protocol at `name`: its id, version and images' names; its content and images are
    read from the bundle again when the plan and the import need them (issue 17)."""
    import json

    data = json.loads(bundle.files[name])
    media = {
        item["path"]: PROTOCOLS + item["path"]
        for entry in data["exercises"]
        for item in entry.get("media", ())
        if "path" in item
    }
    return Incoming(
        data["id"], data["version"], name, tuple(media.items()), bundle.files.__getitem__
    )


def _existing_protocols(target: Path, checker: FileChecker) -> dict[str, list[Existing]]:
    """The protocols in `target` by id (hidden folders, such as protokit's own `.protokit`,
    are not searched). Raises BundleRefused for a JSON file that cannot be read: it may hold
    one of the bundle's protocols, at any version, and importing beside it would add a second
    copy and get round the downgrade check."""
    found: dict[str, list[Existing]] = {}
    for path in expand_paths([str(target)]):
        try:
            data = load(path, checker.options.limits).data
        except JsonProblem as problem:
            where = f"line {problem.line}, column {problem.column}: " if problem.line else ""
            problem_text = f"cannot be read as JSON ({where}{problem.message})"
            raise _unreadable(path, problem_text, target) from None
        except InputError as error:
            raise _unreadable(path, str(error).removeprefix(f"{path}: "), target) from None
        if data.get("$schema") != PROTOCOL_KIND.uri:
            continue
        identifier, version = data.get("id"), data.get("version")
        if not (isinstance(identifier, str) and isinstance(version, str)):
            raise _unreadable(path, "is a protocol without a readable id and version", target)
        found.setdefault(identifier, []).append(Existing(identifier, version, Path(path)))
    return found


def _unreadable(path: str, problem: str, target: Path) -> BundleRefused:
    return BundleRefused(
        f"{path}: {problem}, so the import cannot tell whether it holds one of the bundle's "
        f"protocols (perhaps at a newer version). Fix it or move it out of {target}, then "
        "import again; nothing was changed"
    )


def _same_content(checker: FileChecker) -> Callable[[Path, Incoming], str | None]:
    """Same protocol: the same bytes, or the same self-contained form (for a file written with
    library references). Else how not, to finish "PATH has the same version 1.0.0 as the
    bundle's protocol but ..."."""

    def same(path: Path, incoming: Incoming) -> str | None:
        try:
            if read_file(path) == incoming.text:
                return None
            _, contained, _ = make_self_contained(checker, str(path))
        except (OSError, ProtokitError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            return f"cannot be compared with it, as it is not a valid protocol here ({reason})"
        if contained.data == incoming.data:
            return None
        return "differs from it"

    return same
