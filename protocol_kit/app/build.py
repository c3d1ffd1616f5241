"""`protokit build PATH... -o DIR` as a function: validate everything, then one sheet per valid
protocol, in parallel; a protocol that fails is reported and the others are still built.

Sheets are named after the protocol's id (`DIR/<id>.pdf`). When the clinic names itself as a
publisher (`[tool.protokit.clinic]` name and contact), the protocols whose sheets were built
are also written as one bundle, `DIR/protocols.pkb`.

The folder holds what the last build made, and nothing older: the files a build writes are
recorded in the folder (`build_record.py`), and the next build removes those it does not write
again (the sheet of a protocol that now fails, is retired or was deleted; a bundle not written
this time). An existing file that is not what build writes (not a PDF, not a bundle) is never
replaced or removed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from protocol_kit.app.build_inputs import FileState, refuse_changed, states_with_libraries
from protocol_kit.app.build_record import (
    RECORD_NAME,
    BuildRecord,
    Removal,
    read_record,
    remove_stale,
    still_recorded,
    write_record,
)
from protocol_kit.app.check import CheckOptions, FileChecker, check_paths, found_files
from protocol_kit.app.render import (
    RenderOptions,
    SheetRequest,
    protocol_inputs,
    render_protocol,
    require_contact,
)
from protocol_kit.app.workers import (
    WorkersLost,
    WorkerWatch,
    leave_interrupts_to_the_run,
    stop_workers,
    worker_count,
)
from protocol_kit.errors import OutputError, ProtokitError
from protocol_kit.files import ZIP, folder_locked, refuse_to_replace
from protocol_kit.findings import Finding, RunReport
from protocol_kit.model import Origin

SHEET_FAILED = "PDF001"
DUPLICATE_ID = "PDF002"
BUNDLE_NAME = "protocols.pkb"
# Below this many sheets, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 4


@dataclass(frozen=True)
class BuildOptions:
    output_dir: Path
    render: RenderOptions = RenderOptions()
    jobs: int = 0  # 0: one worker per core
    publisher: Any = None  # a bundle.manifest.Publisher: also write DIR/protocols.pkb
    signing_key: Any = None  # a bundle.signing.SigningKey: sign that bundle
    # The checks on that bundle's protocols (`bundle_check_options`, from the configuration
    # the sheets were made with); None: as the nearest configuration file sets them.
    bundle_check: CheckOptions | None = None
    warnings_as_errors: bool = False


@dataclass
class BuildResult:
    report: RunReport  # validation findings, and the sheets that could not be made
    built: dict[str, Path] = field(default_factory=dict)  # protocol file -> sheet
    retired: list[str] = field(default_factory=list)  # protocol files not printed
    bundle: Path | None = None
    bundle_error: str | None = None
    removals: list[Removal] = field(default_factory=list)  # files of an earlier build
    # PDFs in a folder without a build record that this build did not write: from before
    # build kept a record, or from someone else. Left alone, and pointed out once.
    unrecorded: list[Path] = field(default_factory=list)
    # Each warning said of a sheet made (the clinic's texts on a sheet in another language,
    # H857), once, with how many sheets it was said of: the same clinic's words on every
    # French sheet are one thing to check, not one line a sheet.
    sheet_warnings: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        if any(removal.outcome == "failed" for removal in self.removals):
            return 2  # an out-of-date sheet is still in the folder: an I/O error
        return 1 if self.report.exit_code or self.bundle_error else 0


@dataclass
class BuildPlan:
    """The validated files and the sheets to make: protocol file -> sheet path; `checked`,
    each file checked as it was before the checks (`build_inputs`)."""

    result: BuildResult
    sheets: dict[str, Path]
    checked: dict[str, FileState | None] = field(default_factory=dict)


def plan_build(paths: Sequence[str], options: BuildOptions) -> BuildPlan:
    """Validate the files under `paths` (as `protokit validate` does, lint included) and name
    a sheet for every valid protocol that is not retired. A clinic profile without the
    numbers every sheet prints is refused first (ConfigError)."""
    require_contact(options.render.clinic)
    check = replace(options.render.check, jobs=options.jobs)
    # before the checks read them (H1421), the library folders' files too (H1477)
    checked = states_with_libraries(found_files(paths, check)[0], check.library_dirs)
    report = check_paths(paths, check)
    report.warnings_as_errors = options.warnings_as_errors
    result = BuildResult(report)
    return BuildPlan(result, _sheet_tasks(report, options, result, checked), checked)


def build_sheets(
    plan: BuildPlan, options: BuildOptions, on_sheet: Callable[[], None] | None = None
) -> BuildResult:
    """Render the planned sheets (in parallel), then the bundle, then remove what an earlier
    build wrote and this one did not; `on_sheet` is called as each sheet is finished. A sheet
    that cannot be made is a finding on its protocol file. Raises OutputError, before any
    sheet is made, when the folder's build record cannot be read or written."""
    folder = options.output_dir
    busy = OutputError(
        f"{folder}: another protokit build is writing into this folder: run this build when it "
        "has finished (each removes the sheets the other writes as those of an earlier build)"
    )
    with folder_locked(folder, busy):
        return _build_in(folder, plan, options, on_sheet)


def _build_in(
    folder: Path, plan: BuildPlan, options: BuildOptions, on_sheet: Callable[[], None] | None
) -> BuildResult:
    result, tasks = plan.result, plan.sheets
    first_record = not (folder / RECORD_NAME).exists()
    previous = read_record(folder)
    # Recorded before a sheet is written, so that a build stopped half-way leaves no sheet
    # that the next build does not know it wrote.
    bundle_name = BUNDLE_NAME if options.publisher is not None else None
    key = BuildRecord.source_key
    planned = BuildRecord({out.name: key(path) for path, out in tasks.items()}, bundle_name)
    write_record(folder, previous.merged(planned))
    by_path = {file.path: file for file in result.report.files}
    done: set[str] = set()
    for path, finding, warnings in _render_all(tasks, options, on_sheet, plan.checked):
        if finding is None:
            done.add(path)
        else:
            by_path[path].findings.append(finding)
        for warning in warnings:
            result.sheet_warnings[warning] = result.sheet_warnings.get(warning, 0) + 1
    result.built = {path: output for path, output in tasks.items() if path in done}
    if options.publisher is not None and result.built:
        _write_bundle(result, options, plan.checked)
    current = BuildRecord(
        {output.name: key(path) for path, output in result.built.items()},
        BUNDLE_NAME if result.bundle is not None else None,
    )
    result.removals = remove_stale(folder, previous, current, _reasons(result, options))
    if first_record:
        result.unrecorded = sorted(
            path for path in folder.glob("*.pdf") if path.name not in current.sheets
        )
    write_record(folder, current.merged(still_recorded(previous, result.removals)))
    return result


def _reasons(result: BuildResult, options: BuildOptions) -> dict[str, str]:
    """Why this build made no sheet from a protocol file (and, under "", no bundle)."""
    reasons: dict[str, str] = {}
    for file in result.report.files:
        key = BuildRecord.source_key(file.path)
        if file.path in result.retired:
            reasons[key] = f"{file.path} is retired: it must not be printed for patients"
        elif file.path in result.built:
            reasons[key] = f"{file.path} is now printed as {result.built[file.path].name}"
        elif file.kind == "protocol":
            reasons[key] = f"{file.path} failed (see its findings)"
    if options.publisher is None:
        reasons[""] = "this build writes no bundle (--no-bundle, or no publisher configured)"
    elif result.bundle_error:
        reasons[""] = "the bundle could not be written this time"
    elif not result.built:
        reasons[""] = "no sheet was built, so no bundle was written"
    return reasons


def _sheet_tasks(
    report: RunReport,
    options: BuildOptions,
    result: BuildResult,
    checked: dict[str, FileState | None],
) -> dict[str, Path]:
    """Protocol file -> sheet path, for every valid protocol that is not retired and has not
    changed since it was checked."""
    from protocol_kit.loading import JsonProblem, load

    tasks: dict[str, Path] = {}
    owners: dict[str, str] = {}
    limits = options.render.check.limits
    for file in report.files:
        if file.kind != "protocol" or file.errors(report.warnings_as_errors):
            continue
        try:
            refuse_changed([("the protocol", file.path)], checked)
            data = load(file.path, limits).data
        except (ProtokitError, JsonProblem) as error:  # (read again: it was valid)
            file.findings.append(Finding(file.path, SHEET_FAILED, str(error)))
            continue
        if data["status"] == "retired":
            result.retired.append(file.path)
            continue
        protocol_id = data["id"]
        if protocol_id in owners:
            file.findings.append(
                Finding(
                    file.path,
                    DUPLICATE_ID,
                    f"has the id '{protocol_id}' of {owners[protocol_id]} too: its sheet "
                    f"would replace the other's ({protocol_id}.pdf)",
                    pointer="/id",
                )
            )
            continue
        owners[protocol_id] = file.path
        tasks[file.path] = options.output_dir / f"{protocol_id}.pdf"
    return tasks


def _render_all(
    tasks: dict[str, Path],
    options: BuildOptions,
    on_sheet: Callable[[], None] | None,
    checked: dict[str, FileState | None],
) -> list[SheetOutcome]:
    jobs = worker_count(options.jobs, len(tasks))
    render = replace(options.render, check=replace(options.render.check, hooks=()))
    results: list[SheetOutcome] = []
    if jobs == 1 or len(tasks) < PARALLEL_THRESHOLD:
        _start_worker(render, checked)
        for path, output in tasks.items():
            results.append(_render_one(path, output))
            if on_sheet is not None:
                on_sheet()
        return results
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(jobs, initializer=_start_pool_worker, initargs=(render, checked))
    watch = WorkerWatch(pool)
    stopped = True  # before the last sheet: interrupted, or a worker lost
    try:
        futures = [pool.submit(_render_one, path, output) for path, output in tasks.items()]
        # Waited for while the workers live (H1281): a worker killed while it sent a sheet's
        # outcome left the pool waiting for ever.
        for future in watch.as_completed(futures):
            results.append(future.result())
            if on_sheet is not None:
                on_sheet()
        stopped = False
    except (BrokenProcessPool, WorkersLost):
        # A worker ended without a word (the system killed it): one line, not an internal
        # error (H1282).
        raise ProtokitError(SHEET_WORKER_LOST) from None
    finally:
        if stopped:
            # Ctrl-C or SIGTERM: the sheets not begun are not made, and the workers are
            # ended rather than waited for (the pool waited for every sheet given to it).
            stop_workers(pool)
        else:
            pool.shutdown(wait=True)
    return results


SHEET_WORKER_LOST = (
    "a process making sheets in parallel stopped before it finished (the system may have "
    "ended it, for example for lack of memory), so not every sheet was made: run the "
    "command again, or with --jobs 1"
)


_worker: tuple[RenderOptions, FileChecker, dict[str, FileState | None]] | None = None


def _start_worker(options: RenderOptions, checked: dict[str, FileState | None]) -> None:
    """Each process validates again without lint (the parent ran it) and renders, from
    files unchanged since the parent checked them (`checked`)."""
    global _worker
    _worker = (options, FileChecker(options.check), checked)


def _start_pool_worker(options: RenderOptions, checked: dict[str, FileState | None]) -> None:
    """A worker of the pool: Ctrl-C is the run's (`leave_interrupts_to_the_run`)."""
    leave_interrupts_to_the_run()
    _start_worker(options, checked)


# A protocol file, the finding that refused its sheet (None when it was made), and the
# warnings said of the sheet made.
SheetOutcome = tuple[str, "Finding | None", tuple[str, ...]]


def _render_one(path: str, output: Path) -> SheetOutcome:
    """Render and write one sheet; a refusal is a finding on the protocol file, at the line
    and column of the text at fault when that text is in the protocol file."""
    from protocol_kit.sheet.text import TextError

    assert _worker is not None
    options, checker, checked = _worker
    warnings: list[str] = []

    def unchanged(request: SheetRequest) -> None:
        refuse_changed(protocol_inputs(request.protocol), checked)

    try:
        render_protocol(
            path,
            options,
            checker=checker,
            output=output,
            warned=warnings.append,
            before_writing=unchanged,
        )
    except TextError as error:
        where = error.where
        if isinstance(where, Origin) and where.path == path:
            located = Finding(path, SHEET_FAILED, error.detail, pointer=where.pointer)
            return path, located.located(error.line, error.column), ()
        return path, Finding(path, SHEET_FAILED, str(error)), ()
    except ProtokitError as error:
        prefix = f"{path}: "
        message = str(error)
        return path, Finding(path, SHEET_FAILED, message.removeprefix(prefix)), ()
    return path, None, tuple(warnings)


def _bundled_inputs(
    result: BuildResult, checked: dict[str, FileState | None]
) -> list[tuple[str, str]]:
    """What the bundle reads that the build checked: the protocols whose sheets were made and
    every library exercise (the bundle holds those its protocols use), not the other files
    under the paths given (a protocol that failed, a prescription)."""
    import os

    from protocol_kit.findings import shown_path

    inputs = [("the protocol", path) for path in result.built]
    not_bundled = {
        os.path.abspath(file.path)
        for file in result.report.files
        if file.kind != "exercise" and file.path not in result.built
    }
    bundled = {os.path.abspath(path) for path in result.built}
    for path in checked:
        if path not in not_bundled and path not in bundled:
            inputs.append(("the library exercise", shown_path(path)))
    return inputs


def _refuse_changed_bundle(
    output: Path, inputs: list[tuple[str, str]], checked: dict[str, FileState | None]
) -> None:
    """`refuse_changed` for the bundle just written at `output`, which is removed when one of
    its inputs changed after the build checked it."""
    try:
        refuse_changed(inputs, checked, BUNDLE_NOT_WRITTEN)
    except ProtokitError:
        output.unlink(missing_ok=True)
        raise


BUNDLE_NOT_WRITTEN = (
    "the bundle was not written, as it would hold another protocol than the sheets print"
)


def _write_bundle(
    result: BuildResult, options: BuildOptions, checked: dict[str, FileState | None]
) -> None:
    from protocol_kit.app.bundle import CreateOptions, bundle_check_options, create_bundle

    output = options.output_dir / BUNDLE_NAME
    create = CreateOptions(
        output=output,
        publisher=options.publisher,
        signing_key=options.signing_key,
        source_date_epoch=options.render.source_date_epoch,
        force=True,
        check=options.bundle_check or bundle_check_options(options.render.check.limits),
    )
    try:
        refuse_to_replace(output, (), ZIP, "the bundle")
        created = create_bundle(list(result.built), create)
        if created.ok:
            # A protocol saved after its sheet was made was bundled as saved: the receiving
            # clinics given another protocol than the sheets print, in a build that said
            # both were made from what it checked (H1671).
            _refuse_changed_bundle(output, _bundled_inputs(result, checked), checked)
    except ProtokitError as error:
        result.bundle_error = str(error)
        return
    if created.ok:
        result.bundle = output
    else:
        failed = ", ".join(f.path for f in created.report.failed_files)
        result.bundle_error = f"{output}: not written: the bundle checks refused {failed}"
