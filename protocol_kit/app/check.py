"""`protokit validate` as a function: files in, a RunReport out.

Per-run work (compiling validators, reading library folders) happens once per process in
`FileChecker`; per-file work is parsing, one fast schema check and, for the few files that fail,
the detailed messages and their line/column. Large runs are spread over worker processes.
"""

from __future__ import annotations

import functools
import itertools
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from protocol_kit.app.file_reports import FileReports
from protocol_kit.app.path_list import PathList, folder_part
from protocol_kit.app.workers import WorkersLost, WorkerWatch, stop_workers, worker_count
from protocol_kit.consistency import exercise_translation_findings, translation_findings
from protocol_kit.errors import InputError, ProtokitError, UsageError
from protocol_kit.findings import (
    READ_ERROR,
    FileReport,
    Finding,
    RunReport,
    RunTally,
    Severity,
    distinct,
    shown_path,
)
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.library import Library, resolve_exercises
from protocol_kit.loading import (
    STDIN_NAME,
    Document,
    JsonProblem,
    Limits,
    expect_files,
    load,
    parsed,
    position_in,
    read_bytes,
    source_map_for,
)
from protocol_kit.model import Origin, Prescription, Protocol, build_exercise, build_protocol
from protocol_kit.record import Record, init, replace
from protocol_kit.schemas import KIND_BY_NAME, described
from protocol_kit.shared_parts import SharedParts
from protocol_kit.untrusted.files import link_to_nothing, runs_under
from protocol_kit.untrusted.text import advised_command
from protocol_kit.validation import SchemaChecker, kind_of, schema_verdicts

if TYPE_CHECKING:
    from typing import Any

    from protocol_kit.config import Config
    from protocol_kit.prescribing.followed_up import FollowUp, FollowUps
    from protocol_kit.prescribing.locate import ProtocolSearch

SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}
# Below this many files a worker pool costs more to start than it saves.
PARALLEL_THRESHOLD = 200

# A lint hook receives the built protocol and its document and yields findings; one with a
# `library_file(document, exercise)` method is also given every library exercise file.
# Installed by the lint package so that this module does not depend on it.
ProtocolHook = Callable[[Protocol, Document], Iterable[Finding]]


class CheckOptions(Record):
    __slots__ = ("limits", "library_dirs", "jobs", "hooks", "exclude", "bounds", "share_parts")
    limits: Limits
    library_dirs: tuple[Path, ...]
    jobs: int  # 0: as many as there are cores, for runs large enough to gain from it
    hooks: tuple[ProtocolHook, ...]
    # Absolute glob patterns (`*` crosses folders); a file under a matching folder is skipped
    # too. Applied to files named on the command line as well, so that a pre-commit hook,
    # which names files, skips what the configuration excludes.
    exclude: tuple[str, ...]
    # The configuration's dosage bounds (`lint.bounds`), for a prescription's overrides.
    bounds: Mapping[str, Any]
    # Whether models may share the parts that are the same in many files, whose places then
    # name no file (`protocol_kit.shared_parts`): for `validate`, which only looks for
    # problems, and never for a command that makes something from the model.
    share_parts: bool

    def __init__(
        self,
        limits: Limits = Limits(),
        library_dirs: tuple[Path, ...] = (),
        jobs: int = 0,
        hooks: tuple[ProtocolHook, ...] = (),
        exclude: tuple[str, ...] = (),
        bounds: Mapping[str, Any] | None = None,
        share_parts: bool = False,
    ) -> None:
        init(self, "limits", limits)
        init(self, "library_dirs", library_dirs)
        init(self, "jobs", jobs)
        init(self, "hooks", hooks)
        init(self, "exclude", exclude)
        init(self, "bounds", {} if bounds is None else bounds)
        init(self, "share_parts", share_parts)


def configured_check_options(
    config: Config,
    library: Iterable[str | os.PathLike[str]] = (),
    limits: Limits = Limits(),
    hooks: tuple[ProtocolHook, ...] = (),
    jobs: int = 0,
) -> CheckOptions:
    """The options of every command that reads protocols, from the repository's
    configuration: the library folders named on the command line (`library`), then those the
    configuration names, and the configuration's exclusions. Built here only, so that a
    protocol `validate` accepts is found the same way by `render`, `build`, `export`, `bundle`
    and `checklist`."""
    return CheckOptions(
        limits=limits,
        library_dirs=tuple(Path(folder) for folder in library) + config.library_dirs,
        jobs=jobs,
        hooks=hooks,
        exclude=config.exclude,
        bounds=config.section("lint").get("bounds", {}),
    )


def expand_paths(
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    empty_ok: bool = True,
    path_errors: list[Finding] | None = None,
) -> list[str]:
    """Files as given; folders searched recursively for `*.json`, skipping hidden and tool
    folders and what `exclude` matches. Raises UsageError for a path that does not exist, and
    for a folder without any `.json` file unless `empty_ok`; with `path_errors`, adds each
    such failure there (code IO001) and goes on with the other paths."""
    return list(each_path(paths, exclude, empty_ok, path_errors))


def each_path(
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    empty_ok: bool = True,
    path_errors: list[Finding] | None = None,
) -> Iterator[str]:
    """`expand_paths`'s files one at a time, as the folders are read: a run over 100,000 files
    keeps them in a `PathList` without a list of 100,000 strings beside it (about 8 MB more at
    the run's start, issue 17). A path that fails gives no file before its UsageError."""
    for folder, names in each_run(paths, exclude, empty_ok, path_errors):
        for name in names:
            yield folder + name


def each_run(
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    empty_ok: bool = True,
    path_errors: list[Finding] | None = None,
) -> Iterator[tuple[str, list[str]]]:
    """`each_path`'s files a folder at a time: the folder's part of their paths and their
    names (`PathList.of_runs`); a file named on its own is a run of one."""
    if list(paths).count(STDIN_NAME) > 1:
        # Read once, it is empty the second time: "the file is empty" for the second (H475).
        raise UsageError("-: standard input is named more than once, and can be read only once")
    for path in paths:
        try:
            yield from _not_excluded(path, _expand_path(path, empty_ok), exclude, empty_ok)
        except UsageError as error:
            if path_errors is None:
                raise
            path_errors.append(Finding(path, READ_ERROR, _strip_path(str(error), path)))


def _not_excluded(
    path: str, found: Iterable[tuple[str, list[str]]], exclude: Sequence[str], empty_ok: bool
) -> Iterator[tuple[str, list[str]]]:
    """The runs of files of `path` that `exclude` leaves. A folder all of whose files it
    excludes is refused as an empty folder is (a file named on its own is skipped: a
    pre-commit hook names drafts the configuration excludes): `validate drafts/` ended with
    no word and status 0, and CI passed having checked nothing (H213). Refused before any
    file is given, as none is kept."""
    if not exclude or path == STDIN_NAME:
        yield from found
        return
    seen = kept = 0
    first = None
    for folder, names in found:
        first = folder + names[0] if not seen else first
        seen += len(names)
        left = [name for name in names if not excluded(folder + name, exclude)]
        kept += len(left)
        if left:
            yield folder, left
    if seen and not kept and not empty_ok and not (seen == 1 and first == path):
        raise UsageError(
            f"{path}: every .json file in this folder or below it is excluded by the "
            "configuration's exclude patterns, so nothing would be checked"
        )


def _expand_path(path: str, empty_ok: bool) -> Iterator[tuple[str, list[str]]]:
    """The files of one path in runs, as the folder is read; UsageError before the first for
    a path that cannot be read, and after the walk (having given none) for an empty folder."""
    if path == STDIN_NAME:
        yield _alone(path)
        return
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        missing = link_to_nothing(path) or f"no such file or folder{_meant(path)}"
        raise UsageError(f"{path}: {missing}") from None
    except (OSError, ValueError) as error:
        # A name too long, a folder on the way that cannot be entered, a loop of links, a NUL:
        # the one reason, as for a file that cannot be read (pathlib's is_dir would raise).
        reason = getattr(error, "strerror", None) or "no such file or folder"
        raise UsageError(f"{path}: cannot read: {reason}") from None
    if not stat.S_ISDIR(mode):
        yield _alone(path)
        return
    found = 0
    for run in _json_files(Path(path)):
        found += len(run[1])
        yield run
    if not found and not empty_ok:
        # A mistyped or emptied folder must not pass CI as "all valid".
        raise UsageError(
            f"{path}: no .json files in this folder or below it: name the folder that holds "
            "your protocols, or write one (protokit new protocol ID)"
        )


# A folder with more names than this is not searched for the one a missing path was meant
# to be: the message would wait on comparing every name.
_MOST_NAMES_COMPARED = 2_000


def _meant(path: str) -> str:
    """` (did you mean PATH?)` when the folder of a path that does not exist holds one name
    close to its last part, else nothing: a clinic lead's CI step or hook named `protocol/`
    for `protocols/`, and the line said only that there was no such folder."""
    from protocol_kit.suggestions import closest_name

    trailing = path[len(path.rstrip("/" + os.sep)) :]
    folder, name = os.path.split(path[: len(path) - len(trailing)])
    try:
        with os.scandir(folder or ".") as entries:
            names = [entry.name for entry in itertools.islice(entries, _MOST_NAMES_COMPARED + 1)]
    except (OSError, ValueError):
        return ""
    if not name or len(names) > _MOST_NAMES_COMPARED:
        return ""
    close = closest_name(name, names)
    return f" (did you mean {os.path.join(folder, close)}{trailing}?)" if close else ""


def _alone(path: str) -> tuple[str, list[str]]:
    """A file named on its own as a run of one (`PathList.of_runs`)."""
    folder = folder_part(path)
    return folder, [path[len(folder) :]]


def excluded(path: str, patterns: Sequence[str]) -> bool:
    """Whether the file, or a folder it is in, matches one of the absolute glob patterns."""
    absolute = os.path.abspath(path)
    return any(match(absolute) for match in _exclude_matchers(tuple(patterns)))


@functools.lru_cache(maxsize=4)
def _exclude_matchers(patterns: tuple[str, ...]) -> tuple[Callable[[str], Any], ...]:
    """Each pattern, and each pattern as a folder (`PATTERN/*`), compiled once per run as
    `fnmatchcase` reads it. `fnmatchcase` keeps the last 32,768 patterns it compiled: a
    configuration of more than half as many made it compile every pattern again for every
    file, so that a folder of 13 files took 37 s with 20,000 patterns, 1.4 s with 5,000
    (H587)."""
    import re
    from fnmatch import translate

    return tuple(
        re.compile(translate(form)).match
        for pattern in patterns
        for form in (pattern, os.path.join(pattern, "*"))
    )


def _json_files(folder: Path) -> Iterator[tuple[str, list[str]]]:
    """The `.json` files under `folder`, a folder at a time (`untrusted.files.runs_under`),
    but hidden ones (`.protokit-build.json`, the record `build` keeps in its output folder,
    which may be the folder it reads) and those in hidden and tool folders; InputError for a
    subfolder that cannot be read, whose files would otherwise pass CI unchecked. Each path
    as `str` writes its `Path`."""
    return runs_under(
        folder,
        ".json",
        lambda d: d not in SKIPPED_DIRS and not d.startswith("."),
        lambda name: not name.startswith("."),
    )


class FileChecker:
    """Checks one file at a time with validators and library built once."""

    def __init__(self, options: CheckOptions) -> None:
        self.options = options
        self.schemas = SchemaChecker()
        self.library = Library(self.schemas, options.limits, options.library_dirs)
        self.shared = SharedParts() if options.share_parts else None
        # The protocol a prescription is checked against when the caller knows it (render);
        # otherwise it is looked for near the prescription (see protocol_kit.prescribing).
        self.prescribed: Protocol | None = None
        # The command `prescribed` is for ("render", "export"), which RX004's refusal names.
        self.prescribed_for = "render"
        # A prescription checked by itself, not against its protocol: the earlier prescription
        # a follow-up is written from, whose protocol may have changed since (`new
        # prescription --from`); the follow-up is checked against the protocol as it is now.
        self.prescription_alone = False
        # The folder a follow-up's earlier file must be in to be read (the workbench's).
        self.earlier_within: str | None = None
        self._protocols_by_path: dict[str, tuple[bool, Protocol | None]] = {}
        # What `_find_protocol` found by (the prescription's folder, the protocol's id).
        self._found_near: dict[tuple[str, str], tuple[Protocol | None, bool]] = {}
        self._protocol_search: ProtocolSearch | None = None  # the files naming each id
        # The follow-ups of a folder's prescriptions, read when one of another version asks.
        self._follow_ups: FollowUps | None = None
        # The last file checked, as parsed, and its protocol model when it is a protocol
        # that could be built: for callers that go on to use them (a bundle's self-contained
        # form), so that no file is parsed or built twice.
        self.document: Document | None = None
        self.built: Protocol | None = None
        # The warnings of the files `load_valid` let through: a command that goes on to make
        # something from them (a sheet) shows them as `validate` would, not only its result.
        self.warned: list[Finding] = []

    def check(self, path: str) -> FileReport:
        started = time.perf_counter()
        report = self._check(path)
        report.seconds = time.perf_counter() - started
        return report

    def _check(self, path: str) -> FileReport:
        report = FileReport(path)
        self.document = self.built = None
        try:
            document = load(path, self.options.limits)
        except InputError as error:
            report.findings.append(Finding(path, READ_ERROR, _strip_path(str(error), path)))
            return report
        except JsonProblem as problem:
            report.findings.append(
                Finding(
                    path,
                    problem.code,
                    problem.message,
                    pointer=problem.pointer,
                    line=problem.line,
                    column=problem.column,
                )
            )
            return report
        self.document = document
        report.findings.extend(self.check_document(document, report))
        self.document = document  # as checked, whatever was read meanwhile (a protocol)
        if report.findings:  # most files have none: nothing to locate or order
            report.findings[:] = locate_findings(report.findings, document.text, path)
            report.findings.sort(key=lambda f: f.sort_key)
        return report

    def check_document(self, document: Document, report: FileReport) -> list[Finding]:
        try:
            return self._check_document(document, report)
        except ProtokitError:
            raise
        except Exception:
            # A "passed" kept in the cache folder for a document that fails its schema (a
            # cache restored from elsewhere, a file changed by hand) lets through a value the
            # model and the rules never expect: the kept verdicts are dropped and the document
            # checked again by the engine, rather than an "internal error" (H585).
            if not schema_verdicts.distrust():
                raise
            # The library folders read so far were judged by the same verdicts: read again.
            self.library = Library(self.schemas, self.options.limits, self.options.library_dirs)
            return self._check_document(document, report)

    def _check_document(self, document: Document, report: FileReport) -> list[Finding]:
        path = document.name
        self.built = None
        kind = kind_of(document.data)
        if isinstance(kind, Finding):
            return [_at(kind, path)]
        report.kind = kind.name
        findings = [_at(f, path) for f in self.schemas.check(kind, document.data)]
        if kind.name == "prescription":
            from protocol_kit.prescription import prescription_findings  # prescriptions only

            found = prescription_findings(document.data, findings)
            if not self.prescription_alone and not any(
                f.code.startswith(("SCHEMA", "JSON")) for f in found
            ):
                from protocol_kit.prescribing.earlier import earlier_findings

                found += self.against_protocol(document)
                found += earlier_findings(
                    document.data,
                    path,
                    self.options.limits,
                    self.schemas,
                    self.earlier_within,
                    self._follow_ups_of,
                )
            return [_at(f, path) for f in found]
        if findings:
            return findings + self._before_the_rules(document, report, findings)
        if kind.name == "protocol":
            protocol, problems = self.build_protocol(document)
            findings.extend(problems)
            self.built = protocol
            if protocol is not None and not problems:
                for hook in self.options.hooks:
                    findings.extend(hook(protocol, document))
            else:
                findings.extend(self._before_the_rules(document, report, findings))
        elif kind.name == "exercise":
            data = document.data
            exercise = build_exercise(data, data["language"], Origin(path))
            findings.extend(
                exercise_translation_findings(
                    exercise, data["language"], data.get("translations", ())
                )
            )
            for hook in self.options.hooks:
                # A hook may also look at library exercise files (the linter does).
                library_file = getattr(hook, "library_file", None)
                if library_file is not None:
                    findings.extend(library_file(document, exercise))
        return findings

    def _before_the_rules(
        self, document: Document, report: FileReport, found: list[Finding]
    ) -> list[Finding]:
        """For a file the rules cannot check yet (schema or reference errors): the findings
        of the rules that need only its raw data (a `TODO` left), so that they do not wait
        for another round, except where a finding already points; and a mark on the report
        that the other rules wait (the summary says so)."""
        taken = {f.pointer for f in found}
        findings: list[Finding] = []
        for hook in self.options.hooks:
            unbuilt = getattr(hook, "unbuilt", None)
            if unbuilt is not None:
                report.rules_waiting = True
                findings.extend(f for f in unbuilt(document) if f.pointer not in taken)
        return findings

    def against_protocol(self, document: Document) -> list[Finding]:
        """The checks `render` makes of a prescription with its protocol: the protocol
        given (`prescribed`), else the one found near the prescription by its id."""
        from protocol_kit.prescribing.against_protocol import protocol_findings, without_protocol
        from protocol_kit.prescribing.notes import findings_without_protocol

        wanted = document.data["protocol"]["id"]
        protocol, mentioned = self.prescribed, True
        if protocol is None:
            protocol, mentioned = self._find_protocol(document.name, wanted)
        # Asked by the sheet's refusal too, so that it names the follow-up to print, not asks
        # for a second one (H1570).
        date = document.data.get("date")
        follow_ups = functools.partial(self.follow_ups, document.name, date)
        if protocol is not None:
            return protocol_findings(
                document.data,
                protocol,
                self.options.bounds,
                follow_ups,
                printing=self.prescribed is not None,
                command=self.prescribed_for,
            )
        if mentioned:
            # A protocol file with the id that is not valid has findings of its own; the
            # overrides can be checked once it is fixed, the printed texts now (H360). Said,
            # so that the prescription alone does not read "all valid" meanwhile (H720).
            from protocol_kit.prescribing.against_protocol import not_valid_yet

            return [not_valid_yet(wanted), *findings_without_protocol(document.data)]
        return without_protocol(document.data, wanted)

    def _follow_ups_of(self, path: str, date: str) -> list[str]:
        """The files of the prescription's folder that follow it, the folder read once a run
        (H1547)."""
        return [follow_up.name for follow_up in self.follow_ups(path, date)]

    def follow_ups(self, path: str, date: str) -> list[FollowUp]:
        """`_follow_ups_of`, each with the protocol version it prescribes and its date."""
        from protocol_kit.prescribing.followed_up import FollowUps

        if self._follow_ups is None:
            self._follow_ups = FollowUps(self.options.limits)
        return self._follow_ups.with_versions(path, date)

    def protocol_near(self, prescription_path: str, protocol_id: str) -> Protocol | None:
        """The valid protocol with this id near the prescription, as `validate` finds it."""
        return self._find_protocol(prescription_path, protocol_id)[0]

    def _find_protocol(
        self, prescription_path: str, protocol_id: str
    ) -> tuple[Protocol | None, bool]:
        """The valid protocol with this id near the prescription, and whether a protocol file
        there names the id at all (another prescription of the same protocol does not: H360).
        Looked for once a run for each folder and id: each prescription of a folder of 10,000
        opened every file of it (10,000 x 10,000 opens; H1422). What is found does not
        depend on which prescription of the folder asks (one is never the protocol)."""
        near = (os.path.dirname(os.path.abspath(prescription_path)), protocol_id)
        if near not in self._found_near:
            self._found_near[near] = self._look_for_protocol(prescription_path, protocol_id)
        return self._found_near[near]

    def _look_for_protocol(
        self, prescription_path: str, protocol_id: str
    ) -> tuple[Protocol | None, bool]:
        from protocol_kit.prescribing.locate import ProtocolSearch
        from protocol_kit.untrusted.files import same_file

        if self._protocol_search is None:
            self._protocol_search = ProtocolSearch()
        mentioned = False
        for path in self._protocol_search.files_naming(prescription_path, protocol_id):
            name = str(path)
            if same_file(name, prescription_path):
                continue
            if name not in self._protocols_by_path:
                self._protocols_by_path[name] = self._valid_protocol(name)
            is_protocol, protocol = self._protocols_by_path[name]
            mentioned = mentioned or is_protocol
            if protocol is not None and protocol.id == protocol_id:
                return protocol, True
        return None, mentioned

    def _valid_protocol(self, path: str) -> tuple[bool, Protocol | None]:
        """Whether the file may be a protocol (one that cannot be read may be), and its model
        when it is a valid one."""
        try:
            document = load(path, self.options.limits)
        except (InputError, JsonProblem):
            return True, None
        kind = kind_of(document.data)
        if isinstance(kind, Finding) or kind.name != "protocol":
            return False, None
        if self.schemas.check(kind, document.data):
            return True, None
        protocol, problems = self.build_protocol(document)
        return True, (protocol if not any(p.code != "REF002" for p in problems) else None)

    def build_protocol(self, document: Document) -> tuple[Protocol | None, list[Finding]]:
        """The protocol model of a schema-valid document, with any reference or translation
        problems; the model is None when an exercise could not be resolved."""
        exercises, problems = resolve_exercises(
            document.data, document.name, self.library, self.shared
        )
        if any(p.code != "REF002" for p in problems):
            return None, problems
        protocol = build_protocol(document.data, document.name, exercises, self.shared)
        return protocol, problems + translation_findings(
            protocol, self.library.answers, self.shared
        )


def _at(finding: Finding, path: str) -> Finding:
    from dataclasses import replace

    return replace(finding, path=path)


def _strip_path(message: str, path: str) -> str:
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def locate_findings(findings: list[Finding], text: str, path: str) -> list[Finding]:
    """Fill in line and column for this file's findings from their JSON pointers.

    Computed only when there is something to report, so valid files cost nothing here. The
    findings are located by walking down each pointer (`jsontext.positions`, which gives
    json-source-map's places); the findings of a file with a pointer the walk is not sure of,
    by json-source-map's map of the whole file (a map costs about 25 times the walk).
    """
    findings = _library_places_located(distinct(findings))
    pending = [f for f in findings if f.line is None and f.path == path]
    if not pending:
        return findings
    from protocol_kit.jsontext.positions import positions

    places = positions(text, [(f.pointer, f.at_key) for f in pending])
    if places is None:
        source_map = source_map_for(text)
        if source_map is None:
            return findings
        places = [position_in(source_map, f.pointer, key=f.at_key) for f in pending]
    where = dict(zip(map(id, pending), places, strict=True))
    located = []
    for finding in findings:
        if id(finding) in where:
            line, column = where[id(finding)]
            finding = finding.located(line or 1, column or 1)
        located.append(finding)
    return located


def _library_places_located(findings: list[Finding]) -> list[Finding]:
    """`findings` with the line and column of each place in a library exercise's file
    (`Finding.in_library`) filled in: the reports give them beside the protocol's own. A file
    that cannot be read again, or has changed so that a place is no longer in it, leaves its
    places without (the message still names the file and the pointer)."""
    wanted: dict[str, dict[tuple[str, bool], None]] = {}
    for finding in findings:
        place = finding.in_library
        if place is not None and place.line is None:
            wanted.setdefault(place.path, {})[(place.pointer, False)] = None
    if not wanted:
        return findings
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for library_path, pointers in wanted.items():
        targets = list(pointers)
        for (pointer, _), where in zip(targets, _places_in(library_path, targets), strict=True):
            if where is not None:
                found[(library_path, pointer)] = where
    located = []
    for finding in findings:
        place = finding.in_library
        where = None if place is None else found.get((place.path, place.pointer))
        if where is not None:
            finding = replace(finding, in_library=replace(place, line=where[0], column=where[1]))
        located.append(finding)
    return located


# (a library file's bytes, the places asked) -> `_places_in`'s answer: a library exercise
# used by many protocols of a run, with a finding about its text, is parsed and walked once
# (it was for every protocol: a tenth of a run's time, issue 17); keyed by the file's content,
# so a file changed meanwhile (the workbench's long process) is read afresh. Few are asked.
_LIBRARY_PLACES: dict[tuple[bytes, tuple[tuple[str, bool], ...]], list] = {}
_LIBRARY_PLACES_MOST = 64


def _places_in(path: str, targets: list[tuple[str, bool]]) -> list[tuple[int, int] | None]:
    """(line, column) of each (pointer, at_key) in the JSON file at `path`, or None each."""
    try:
        raw = read_bytes(path, Limits())
    except (InputError, JsonProblem):
        return [None] * len(targets)
    key = (raw, tuple(targets))
    found = _LIBRARY_PLACES.get(key)
    if found is None:
        if len(_LIBRARY_PLACES) >= _LIBRARY_PLACES_MOST:
            _LIBRARY_PLACES.clear()
        found = _LIBRARY_PLACES[key] = _places_in_bytes(raw, path, targets)
    return found


def _places_in_bytes(
    raw: bytes, path: str, targets: list[tuple[str, bool]]
) -> list[tuple[int, int] | None]:
    from protocol_kit.jsontext.positions import positions

    try:
        text = parsed(raw, path).text
    except (InputError, JsonProblem):
        return [None] * len(targets)
    places = positions(text, targets)
    if places is None:
        source_map = source_map_for(text)
        if source_map is None:
            return [None] * len(targets)
        places = [position_in(source_map, pointer, key=key) for pointer, key in targets]
    return [(line, column) if line else None for line, column in places]


def check_paths(
    paths: Sequence[str],
    options: CheckOptions = CheckOptions(),  # noqa: B008 (a frozen record)
    keep_going: bool = False,
) -> RunReport:
    """Check every file under `paths`; the report lists files in the order found. A path that
    does not exist (or a folder without JSON files) raises UsageError, or with `keep_going` is
    recorded in the report's `path_errors` while the other paths are checked."""
    started = time.perf_counter()
    path_errors: list[Finding] | None = [] if keep_going else None
    files = expand_paths(paths, options.exclude, empty_ok=False, path_errors=path_errors)
    reports = FileReports()
    for report in each_report(files, options):
        reports.append(report)
    return RunReport(reports, path_errors=path_errors or [], seconds=time.perf_counter() - started)


def found_files(
    paths: Sequence[str], options: CheckOptions, keep_going: bool = False
) -> tuple[Sequence[str], list[Finding]]:
    """The files `check_paths` would check, kept small (`PathList`: a run over 100,000 files
    holds their names in a few bytes each), and the paths that could not be checked (with
    `keep_going`; else UsageError). Every folder is read before the first file is checked:
    one that cannot be read stops the run before a report is begun."""
    path_errors: list[Finding] | None = [] if keep_going else None
    files = PathList.of_runs(
        each_run(paths, options.exclude, empty_ok=False, path_errors=path_errors)
    )
    return files, path_errors or []


def each_report(
    files: Sequence[str],
    options: CheckOptions,
    tally: RunTally | None = None,
    started: float | None = None,
) -> Iterator[FileReport]:
    """Each file's report, in order, as it is checked, counted in `tally`, which is given the
    run's time (from `started`) once the last file is. A file without findings is a report made
    for the moment: nothing of a file is kept here once the caller has taken it."""
    started = time.perf_counter() if started is None else started
    count = (lambda report: None) if tally is None else tally.add
    # Only reports leave here, never a model: its parts may be shared between files.
    options = replace(options, share_parts=True)
    if STDIN_NAME in files:
        # Standard input is read here, once: never sent to a worker.
        checker = FileChecker(options)
        results: Iterable[Any] = (checker.check(path) for path in files)
    else:
        results = map_with_checker(_check_one, files, options)
    in_run = _RunFiles(files)
    for path, result in zip(files, results, strict=True):
        if not isinstance(result, FileReport):
            kind, seconds = result
            result = FileReport(path, kind, seconds=seconds)
        else:
            in_run.leave_to_library_files(result)
        count(result)
        yield result
    if tally is not None:
        tally.seconds = time.perf_counter() - started


class _RunFiles:
    """The files of a run, asked whether a library exercise's file is one of them: a `TODO`
    left in a library file is listed once, at the file that must be edited, and each protocol
    of the run that uses the exercise says in one line that it waits for that file (it listed
    every `TODO` again). The protocol keeps an error, so that `build` and `bundle create` still
    refuse it (H718). The set of names is made only when a report has such a finding."""

    def __init__(self, files: Sequence[str]) -> None:
        self._files = files
        self._real: set[str] | None = None

    def leave_to_library_files(self, report: FileReport) -> None:
        if not any(f.library is not None for f in report.findings):
            return
        if self._real is None:
            self._real = {os.path.realpath(name) for name in self._files if name != STDIN_NAME}
        kept: list[Finding] = []
        left: dict[tuple[str, str], list[Finding]] = {}
        for finding in report.findings:
            if finding.library is None or os.path.realpath(finding.library) not in self._real:
                kept.append(finding)
            else:
                left.setdefault((finding.library, finding.pointer), []).append(finding)
        kept.extend(_waits_for(library, found) for (library, _), found in left.items())
        kept.sort(key=lambda f: f.sort_key)
        report.findings[:] = kept


def _waits_for(library: str, found: list[Finding]) -> Finding:
    """One finding at a protocol's exercise for what its library file says and lists itself."""
    first = found[0]
    count = f"{len(found)} finding{'s' if len(found) > 1 else ''}"
    return replace(
        first,
        message=f"library exercise {shown_path(library)} is not finished: fix the {count} listed "
        "at that file (a TODO or the template's values)",
        severity=Severity.ERROR
        if any(f.severity is Severity.ERROR for f in found)
        else first.severity,
        library=None,
        in_library=None,
    )


_worker: FileChecker | None = None
# How many items the parent process checks itself before it starts the workers, at least: the
# first files of a run load what every later one uses (compiled schemas and patterns, the
# red-flag sets, the WHO code list, the pose checks, the lint's first answers), about half a
# second. Workers started by fork begin as copies of the parent and share all of it; otherwise
# each loaded it.
WARM_ITEMS = 8
# And at most, in a large run (`warm_items`). After 8 files each forked worker still spent its
# first 163 files of a clinic's copies 100 ms of CPU more than any later 163 without the lint,
# 170 to 280 ms more with every rule: the lint's answers about the texts the files repeat, the
# parts the tables keep from their second time, the detailed schema engine when a first file
# fails; each worker worked them out again. After 64 files, 25 to 35 and 40 to 90 ms
# (docs/performance.md, issue 17).
WARM_ITEMS_AT_MOST = 128
# The share of a run the parent checks before the workers start, at most: meanwhile the other
# cores wait, so that a run of files that repeat nothing (each of which warms no other) loses
# no more than this share of its wall time.
WARM_SHARE = 64


def warm_items(count: int) -> int:
    """How many of a run's `count` items the parent checks before it starts the workers:
    `WARM_ITEMS`, or a `WARM_SHARE`th of the run, up to `WARM_ITEMS_AT_MOST`. What the
    parent's files leave in its checker (answers, parts, engines) each worker starts with,
    instead of working it out again from its own first files."""
    return min(WARM_ITEMS_AT_MOST, max(WARM_ITEMS, count // WARM_SHARE))


# The kinds whose fast schema validators the parent builds before it starts the workers. The
# warm files of a run validated before often pass by their kept verdicts
# (`validation.schema_verdicts`), so the parent never built the engine, and each worker then
# built its own (about 10 ms of CPU each); every worker of a large run needs them (a
# protocol's library exercises are checked as exercises).
FORKED_KINDS = (KIND_BY_NAME["protocol"], KIND_BY_NAME["exercise"])


def _start_worker(options: CheckOptions) -> None:
    import gc

    from protocol_kit.app import workers

    global _worker
    workers.leave_interrupts_to_the_run()  # Ctrl-C is the run's (H1418)
    # A worker forked from the parent holds the parent's checker, warm, for these options.
    if _worker is None or _worker.options is not options:
        _worker = FileChecker(options)
    # What the worker starts with lives as long as it does: keep the collector from scanning
    # it again after every few files (and from touching pages shared with the parent).
    gc.freeze()


def _run_chunk(task: tuple[Callable[[FileChecker, Any], Any], list[Any]]) -> list[Any]:
    function, items = task
    assert _worker is not None
    return [function(_worker, item) for item in items]


def map_with_checker(
    function: Callable[[FileChecker, Any], Any],
    items: Sequence[Any],
    options: CheckOptions,
    parallel: bool = True,
    chunk: int = 256,
) -> Iterator[Any]:
    """`function(checker, item)` for each item, in order, with one FileChecker per process:
    on one worker process per core (`options.jobs`) when there are enough items to gain from
    it, fed in chunks of at most `chunk` items; else here. `function` must be a module-level
    function (it is sent to the workers by name), and what it returns small: it is sent back.
    A caller whose items or results are a file's bytes gives a small `chunk` (`BYTES_CHUNK`).
    A run of many items collects its cyclic garbage less often (`app.collector`), in this
    process and in its workers, which start with its thresholds."""
    if len(items) < PARALLEL_THRESHOLD:
        yield from _mapped(function, items, options, parallel, chunk)
        return
    from protocol_kit.app import collector  # not for one file's start-up

    before = collector.collect_less_often()
    try:
        yield from _mapped(function, items, options, parallel, chunk)
    finally:
        collector.restore(before)


def _mapped(
    function: Callable[[FileChecker, Any], Any],
    items: Sequence[Any],
    options: CheckOptions,
    parallel: bool,
    chunk: int,
) -> Iterator[Any]:
    """`map_with_checker`'s results, with the collector as it is."""
    jobs = worker_count(options.jobs, len(items))
    expect_files(len(items))  # before any worker is forked, which then starts with it
    if not (parallel and jobs > 1 and len(items) >= PARALLEL_THRESHOLD):
        checker = FileChecker(options)
        for item in items:
            yield function(checker, item)
        return
    # 10 ms of imports a small run never needs
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _worker
    checker = FileChecker(options)
    warm = warm_items(len(items))
    for item in items[:warm]:
        yield function(checker, item)
    tasks = _chunks(function, items, warm, jobs, chunk)
    checker.schemas.prepare(FORKED_KINDS)
    _worker = checker  # what forked workers start from (see _start_worker)
    pool = watch = None
    stopped = True  # before the last result: interrupted, or a worker lost
    try:
        pool = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(options,))
        watch = WorkerWatch(pool)
        yield from _in_order(pool, tasks, jobs * CHUNKS_AHEAD, watch)
        stopped = False
    except GeneratorExit:
        # The caller stopped early (its output closed): the workers finish the chunks they
        # have begun and keep their answers, as at the end of a run.
        stopped = watch is None or watch.lost()
        raise
    except (BrokenProcessPool, WorkersLost):
        # A worker ended without a word: the system killed it (out of memory, a signal).
        # Said as what happened and what to do, not as an internal error.
        raise ProtokitError(WORKER_LOST) from None
    finally:
        _worker = None
        if pool is not None and stopped:
            stop_workers(pool)
        elif pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


WORKER_LOST = (
    "a process checking files in parallel stopped before it finished (the system may have "
    "ended it, for example for lack of memory), so the report is incomplete: run the "
    "command again, or with --jobs 1"
)


# A chunk is at most this share of the items not yet given out, for each worker: the first
# large, the last small, so that the workers end close together. Chunks of one size (a 32nd of
# the run for each worker, 162 files of 10,500 on two cores, about 80 ms) left one worker alone
# for up to a chunk at the end (issue 17). A run of 10,500 files now has 84 chunks on two
# cores, 20 more trips than before, about 1 ms of a worker's CPU each.
CHUNK_SHARE = 8


def _chunks(
    function: Callable[[FileChecker, Any], Any],
    items: Sequence[Any],
    start: int,
    jobs: int,
    most: int,
) -> Iterator[tuple[Callable[[FileChecker, Any], Any], Sequence[Any]]]:
    """The tasks of `items` from `start`: chunks of at most `most` items, smaller as fewer
    are left, and at least 16 (or `most`), large enough to amortise pickling. Each cut from
    `items` when it is given out: a copy of the rest was a list as long as the run, and of
    new strings when `items` is a `PathList`, held by the run and by every worker forked
    from it."""
    least = min(16, most)
    at = start
    while at < len(items):
        size = max(least, min(most, (len(items) - at) // (jobs * CHUNK_SHARE)))
        yield function, items[at : at + size]
        at += size


# Items a chunk holds at most when each item or its result is a protocol's bytes (a bundle's
# protocols sent to be checked, the self-contained protocols `bundle create` gets back): the
# size a run of 1,000 items has on two cores. The chunks on their way (`CHUNKS_AHEAD` a
# worker, and their results) are held at once: with up to 256 items a chunk, 10,000
# protocols of about 25 KB put 30 MB more in the run's process than 1,000 (issue 17).
BYTES_CHUNK = 16


# Chunks given to the pool ahead of the one the run waits for, per worker: enough that a worker
# never waits for the next chunk, few enough that the results of a fast worker do not pile up
# while the run waits for a slow one. `pool.map` submitted every chunk at once, so that a run's
# pending chunks and their finished results could all be held at the same time.
CHUNKS_AHEAD = 4


def _in_order(
    pool: Any, tasks: Iterator[Any], ahead: int, watch: WorkerWatch | None = None
) -> Iterator[Any]:
    """The results of `_run_chunk` for each task, in order, with at most `ahead` chunks given
    to the pool and not yet read, each waited for while its workers live (`watch`). What is
    not begun when the caller stops early is cancelled by the pool's own thread
    (`map_with_checker`), never from here (H1280)."""
    from collections import deque

    watch = WorkerWatch(pool) if watch is None else watch
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(pool.submit(_run_chunk, task))
        if len(pending) >= ahead:
            yield from watch.result(pending.popleft())
    while pending:
        yield from watch.result(pending.popleft())


def _check_one(checker: FileChecker, path: str) -> FileReport | tuple[str | None, float]:
    """The report of a file with findings, and only the kind of a file without (and the time
    it took), so that little is sent back and the parent keeps its own path strings."""
    report = checker.check(path)
    return report if report.findings else (report.kind, report.seconds)


def load_valid(
    path: str,
    kind_name: str,
    checker: FileChecker | None = None,
    instead: Mapping[str, Callable[[str], str]] | None = None,
) -> FileReport:
    """Check one file that must be of `kind_name`; raise a one-line InputError if it is not
    valid, naming the first problem and how many more there are. `instead`: for a valid file
    of another kind, by its kind, what the command does with such a file (given the path)."""
    checker = checker or FileChecker(CheckOptions())
    report = checker.check(path)
    errors = report.errors()
    if not errors and report.kind != kind_name:
        advice = (instead or {}).get(report.kind or "")
        said = f": {advice(path)}" if advice is not None else ""
        raise InputError(f"{path}: is {described(report.kind)}, not {described(kind_name)}{said}")
    if errors:
        from protocol_kit.report.base import pointer_note

        first = errors[0]
        where = f"{path}:{first.line}:{first.column}" if first.line else path
        more = (
            f" (and {len(errors) - 1} more; run: {advised_command('protokit validate', path)})"
            if len(errors) > 1
            else ""
        )
        raise InputError(f"{where}: {first.message}{pointer_note(first)}{more}")
    checker.warned.extend(report.findings)  # no errors: what is left are warnings
    return report


def load_checked(
    path: str,
    kind_name: str,
    checker: FileChecker,
    instead: Mapping[str, Callable[[str], str]] | None = None,
) -> Document:
    """The document of one valid file of `kind_name` as it was checked (`load_valid`), never
    read a second time: a file saved again meanwhile (an editor, another program) was printed,
    exported or bundled as the second reading found it, unchecked, and standard input read
    again was empty (`checklist -`: internal error) (H475)."""
    load_valid(path, kind_name, checker, instead)
    document = checker.document
    assert document is not None and document.name == path
    return document


def load_prescription(
    path: str, protocol: Protocol, checker: FileChecker, command: str = "render"
) -> Prescription:
    """A valid prescription of `protocol`, checked as `protokit validate` checks it, against
    this protocol (its id and version, each override's exercise, dosage bounds and side), for
    `render` and `export`. A text written as one string is in the protocol's language, as
    `validate` reads it (RX015, RX018): a French sheet printed an English note as written,
    among French texts (H835). `command`: the one it is loaded for, which a refusal names.
    Raises InputError (one line naming the file, line and column)."""
    from protocol_kit.model import build_prescription

    checker.prescribed, checker.prescribed_for = protocol, command
    try:
        document = load_checked(path, "prescription", checker)
    finally:
        checker.prescribed, checker.prescribed_for = None, "render"
    return build_prescription(document.data, path, protocol.language)


def load_protocol(
    path: str,
    checker: FileChecker | None = None,
    instead: Mapping[str, Callable[[str], str]] | None = None,
) -> Protocol:
    """Read, validate and build one protocol, library references resolved.

    Raises InputError (one line, with file, line and column) if the file is not a valid
    protocol (`instead`: as `load_valid`). Commands that turn a protocol into something (a
    sheet, a bundle, an export) start here, so that nothing is ever produced from an invalid
    file.
    """
    checker = checker or FileChecker(CheckOptions())
    protocol, _ = checker.build_protocol(load_checked(path, "protocol", checker, instead))
    assert protocol is not None  # load_valid has refused every file that cannot be built
    return protocol
