"""What the workbench's pages ask of the core, as plain functions over the folder: checks of
unsaved data, the summary of every file for browsing, the sheet's preview and print, the
pose picture. No web framework here."""

from __future__ import annotations

import datetime as dt
import functools
import threading
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from protocol_kit.app.check import FileChecker, configured_check_options, locate_findings
from protocol_kit.app.render import (
    RenderOptions,
    apply_prescription,
    creation_time,
    render_options,
    sheet_request,
    sheet_warnings,
)
from protocol_kit.config import CONFIG_FILE, PYPROJECT, Config, load_config
from protocol_kit.errors import InputError, ProtokitError
from protocol_kit.findings import FileReport, Finding, Severity, shown_path
from protocol_kit.formatting import dumps
from protocol_kit.lint.placeholders import placeholder_in
from protocol_kit.loading import Document, JsonProblem, decode, object_or_none, parse
from protocol_kit.model import build_prescription

# A file's state (H757): size, inode, modification and change time, as the kept data files.
from protocol_kit.package_data.kept import state_of
from protocol_kit.patterns import APOSTROPHES
from protocol_kit.report.json import library_dict
from protocol_kit.schemas import KIND_BY_NAME, KIND_BY_URI
from protocol_kit.untrusted.files import files_under, folders_upwards, read_file
from protocol_kit.untrusted.text import printable, quoted
from protocol_kit.workbench.folder import Folder, PathRefused
from protocol_kit.workbench.folder_names import in_folder_words
from protocol_kit.workbench.places import SEPARATOR, place_parts
from protocol_kit.workbench.wording import WHY_NO_SHEET

LANGUAGES = ("en", "fr", "es", "de", "pl", "el")
# Kinds of file whose checks read others of the folder, and the kinds they read.
_READING_OTHERS = ("protocol", "prescription")
_READ_BY_OTHERS = ("exercise", "protocol")


class NotPrintable(ProtokitError):
    """The sheet cannot be made (an invalid protocol or prescription, a missing number)."""


def finding_json(
    finding: Finding,
    data: Any = None,
    folder_file: Callable[[str], str | None] | None = None,
    library_data: Callable[[str], Any] | None = None,
    folder_name: Callable[[str], str | None] | None = None,
) -> dict[str, Any]:
    """A finding as the page shows it; with the file's `data`, where it is in the form's words
    (`places.place_parts`), which the Checks list shows in place of the JSON pointer: `where`
    whole, and as the part of the form it is in (`group`: "Exercise 1 (Glute bridge)", "Safety")
    and where in that part (`within`), so that the list names a part once for its findings.
    `folder_file` (`Folder.file_of`): a library file of the served folder is named as the
    page names the folder's files, and opened from the finding (`library.open`);
    `library_data` (`Workbench.library_data`) gives that file's data, for where in its form the
    text is (`library.where`); `folder_name` (`Folder.name_of`): every other file or folder of
    the served folder the message names is named so too (`folder_names.in_folder_words`)."""
    parts = _place(finding.pointer, data)
    library = _library_json(finding, folder_file, library_data)
    # A finding that tells a file's author what to write says what to do in the form.
    message = finding.form_message or finding.message
    if folder_name is not None:
        message = in_folder_words(message, folder_name)
    message = _in_form_words(message, finding, library, folder_name)
    return {
        "code": finding.code,
        "severity": str(getattr(finding.severity, "value", finding.severity)),
        "message": message,
        "pointer": finding.pointer,
        "where": SEPARATOR.join(parts) or "the whole file",
        "group": parts[0] if len(parts) > 1 else "",
        "within": SEPARATOR.join(parts[1:]),
        "line": finding.line,
        "column": finding.column,
        # Where in a library exercise's file the text found lives (the page names the file and
        # the line to change there), or None.
        "library": library,
        # The value the message quotes (GOV009's starting text), and the message without it:
        # the list says the words once for a run of findings that differ only in it.
        "value": finding.quoted_value,
        "brief": _without_value(finding),
    }


def _without_value(finding: Finding) -> str | None:
    """The finding's message without the value it quotes (`Finding.quoted_value`), or None."""
    if finding.quoted_value is None:
        return None
    head, said, tail = finding.message.partition(f": {finding.quoted_value}")
    return head + tail if said else None


def _library_json(
    finding: Finding,
    folder_file: Callable[[str], str | None] | None,
    library_data: Callable[[str], Any] | None = None,
) -> dict[str, Any] | None:
    place = finding.in_library
    if place is None:
        return None
    said = library_dict(place)
    # Named from the working folder of the `protokit serve` process (`shown_path`), the file
    # was "../clinic/library/x.json" or a whole path: the page names it from the folder.
    relative = None if folder_file is None else folder_file(place.path)
    if relative is not None:
        said["path"] = printable(relative)
    said["open"] = relative
    # Where the text is in that exercise's form ("Tip 1"), which its page opens
    # at: "line 28" and "/common_mistakes/0" are a text editor's words (H1157).
    exercise = None if relative is None or library_data is None else library_data(relative)
    said["where"] = (
        SEPARATOR.join(place_parts("exercise", exercise, place.pointer))
        if isinstance(exercise, dict)
        else None
    )
    return said


def _in_form_words(
    message: str,
    finding: Finding,
    library: dict[str, Any] | None,
    folder_name: Callable[[str], str | None] | None = None,
) -> str:
    """The message naming a library file of the folder as the page's list does: the message
    names it from the working folder of the `protokit serve` process (`shown_path`):
    "clinic/library/x.json" from the folder above, the server's whole path from anywhere
    else (H1153). Without "(at /steps/0, ...)" where the page says that place in the form's
    words after it (`library.where`, H1157)."""
    place = finding.in_library
    if place is None or library is None or library.get("open") is None:
        return message
    shown = shown_path(place.path)
    if folder_name is not None:  # the message's own name for it was made so already
        shown = in_folder_words(shown, folder_name)
    named = f"library exercise '{place.exercise}', {shown})"
    if library.get("where"):
        message = message.replace(f" (at {place.pointer}, {named}", "", 1)
    return message.replace(named, f"library exercise '{place.exercise}', {library['path']})", 1)


def _place(pointer: str | None, data: Any) -> list[str]:
    said = data.get("$schema") if isinstance(data, dict) else None
    kind = KIND_BY_URI.get(said) if isinstance(said, str) else None  # any JSON value is sent
    if kind is None:
        return [pointer or "/"]
    return place_parts(kind.name, data, pointer or "")


@dataclass
class FileSummary:
    """One line of the browse page."""

    path: str
    kind: str
    title: str
    identifier: str = ""
    status: str = ""
    conditions: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    exercises: list[str] = field(default_factory=list)
    # The ids of the library exercises a protocol refers to: searched, not shown (the list
    # shows their names).
    references: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    refused: str = ""  # why the workbench cannot open the file (its name), when it cannot
    # A prescription's patient (name, and number when given), shown only on a line that a
    # search by the patient found, and the words it is found by (docs/workbench.md, "Browse").
    patient: str = ""
    patient_words: frozenset[str] = frozenset()
    patient_number: str = ""  # as `whole_number` compares it: the whole number, or nothing
    prescribes: str = ""  # a prescription's protocol id
    # A prescription's date, and the earlier prescription it follows (its file as `follows`
    # names it, else its date): what a therapist choosing one of a patient's prescriptions
    # needs, without the patient (docs/workbench.md, "Browse").
    date: str = ""
    follows: str = ""
    # The earlier prescription a follow-up follows, as this list names files, and the date
    # it gives: Prescribe offers no follow-up of a prescription already followed up (H1622).
    follows_file: str = ""
    follows_date: str = ""
    # The later prescriptions of the list that follow this one (by their paths), and how the
    # list says so: "followed up by alex-2.json (2026-12-04)", each named from this one's
    # folder as a follow-up names the file it follows.
    followed_by: list[str] = field(default_factory=list)
    followed_by_shown: str = ""
    # The exercises a prescription's overrides leave out, by id; a protocol's exercise ids,
    # in the order of `exercises` (a prescription's line lists its protocol's others).
    omitted: frozenset[str] = frozenset()
    exercise_ids: list[str] = field(default_factory=list)

    def matches(self, query: str) -> bool:
        number, words = _search_of(query)
        # A prescription's conditions, regions and exercises are its protocol's, shown on its
        # line (H1427) and not searched: its protocol's line is found by them, and a search
        # for a part of a word ("al") listed every prescription of the folder.
        listed = [] if self.kind == "prescription" else [*self.conditions, *self.regions,
                                                         *self.exercises]  # fmt: skip
        text = " ".join([self.path, self.title, self.identifier, *listed, *self.references])
        text = text.lower()
        return self._numbered(number) or all(
            word.typed in text or self._names_patient(word) for word in words
        )

    def found_by_patient(self, query: str) -> bool:
        """Whether a word of `query` is a whole word of the patient's name, or a word of it
        or the whole of it the patient's whole number: the line then shows the patient, whom
        the person searching named."""
        number, words = _search_of(query)
        return self._numbered(number) or any(self._names_patient(word) for word in words)

    def _names_patient(self, word: SearchWord) -> bool:
        # Whole words only: "alex" finds Alex Smith, "a" or "sm" finds no patient, so that the
        # search cannot list the folder's patients a letter at a time.
        said = word.name_words
        return (bool(said) and said <= self.patient_words) or self._numbered(word.number)

    def _numbered(self, number: str) -> bool:
        # The number whole: its parts are the clinic's ("MRN" of MRN-0001, "943" of an NHS
        # number written 943 476 5919), shared by many patients, and one part listed them all.
        return bool(self.patient_number) and number == self.patient_number


class SearchWord(NamedTuple):
    """A word of Browse's search: as typed (in lower case), and as a patient's name's words
    and number are compared (`patient_words`, `whole_number`)."""

    typed: str
    name_words: frozenset[str]
    number: str


@functools.lru_cache(maxsize=8)
def _search_of(query: str) -> tuple[str, tuple[SearchWord, ...]]:
    """The search `query` as a whole number and word by word, read once for the whole list
    (a search of 100 kB was read again for each file)."""
    words = tuple(
        SearchWord(word.lower(), patient_words(word), whole_number(word)) for word in query.split()
    )
    return whole_number(query), words


def patient_words(text: str) -> frozenset[str]:
    """The words of a patient's name as the search compares them: runs of letters, digits
    and their marks (the vowel signs of Hindi, Arabic's shadda), joined by an apostrophe
    however typed (`patterns.APOSTROPHES`: "O'Neil", "O’Neil", "O`Neil" one word), in
    one case and one Unicode form (a name typed with a composed "é" finds one saved with "e"
    and an accent). A mark is part of its word: split at each, "राम" was three words of one
    letter, and a letter found every patient whose name had it."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words, word = [], ""
    for at, character in enumerate(folded):
        if _in_a_word(character):
            word += character
        elif character in APOSTROPHES and word and _in_a_word(folded[at + 1 : at + 2]):
            word += "'"
        elif word:
            words.append(word)
            word = ""
    return frozenset([*words, word] if word else words)


def _in_a_word(character: str) -> bool:
    return character.isalnum() or unicodedata.category(character or " ").startswith("M")


def whole_number(text: str) -> str:
    """A patient number as the search compares it: its letters and digits alone, in one case
    and form ("RX-7731", "rx 7731" and "rx7731" are one number)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def _patient(data: dict[str, Any]) -> tuple[str, frozenset[str], str]:
    """A prescription's patient as a line found by them shows it, and the words of the name
    and number it is found by; the date of birth is neither shown nor searched."""
    patient = data.get("patient")
    if not isinstance(patient, dict):
        return "", frozenset(), ""
    said = [patient.get(key) for key in ("name", "identifier")]
    name, number = (value if isinstance(value, str) else "" for value in said)
    shown = f"{name} ({number})" if name and number else name or number
    return shown, patient_words(name), whole_number(number)


def _named_by_protocol_titles(summaries: list[FileSummary]) -> list[FileSummary]:
    """The list with each prescription named by the title of its protocol, the folder's
    protocol with its id that the workbench prescribes from (`Workbench.protocol_of`): a
    prescription read "Prescription of psoas-stretch-glute-bridge (prescriptions/rx-0001.json)",
    an id and the file's name it gave again on the line below, where the protocols above it
    read by their titles. One whose protocol is not in the folder keeps the id."""
    protocols: dict[str, FileSummary] = {}
    for summary in summaries:
        if summary.kind == "protocol" and summary.identifier:
            protocols.setdefault(summary.identifier, summary)
    return [
        _as_prescribed(summary, protocols[summary.prescribes])
        if summary.kind == "prescription" and summary.prescribes in protocols
        else summary
        for summary in summaries
    ]


def _with_follow_ups(summaries: list[FileSummary]) -> list[FileSummary]:
    """The list with each prescription that later ones follow (their `follows` names its file
    and its date) saying which: the earlier prescription's line did not say it had been
    followed up, and a therapist who opened it from Browse worked on, or printed, what the
    follow-up had changed (s41-users2). Prescribe offers no follow-up of it (H1622)."""
    dated = {s.path: s.date for s in summaries if s.kind == "prescription"}
    later: dict[str, list[FileSummary]] = {}
    for summary in summaries:
        if summary.follows_file and dated.get(summary.follows_file) == summary.follows_date:
            later.setdefault(summary.follows_file, []).append(summary)
    if not later:
        return summaries
    import posixpath

    def shown(earlier: str, follow_up: FileSummary) -> str:
        name = posixpath.relpath(follow_up.path, posixpath.dirname(earlier) or ".")
        return f"{name} ({follow_up.date})" if follow_up.date else name

    return [
        replace(
            summary,
            followed_by=[f.path for f in later[summary.path]],
            followed_by_shown=", ".join(shown(summary.path, f) for f in later[summary.path]),
        )
        if summary.path in later
        else summary
        for summary in summaries
    ]


def _as_prescribed(prescription: FileSummary, protocol: FileSummary) -> FileSummary:
    """A prescription's line with its protocol's title, conditions and body regions, and the
    protocol's exercises but those its overrides leave out: the line's columns were empty,
    and told a therapist nothing of what the patient was given (H1427)."""
    exercises = [
        name
        for name, identifier in zip(protocol.exercises, protocol.exercise_ids, strict=False)
        if identifier not in prescription.omitted
    ]
    return replace(
        prescription,
        title=f"Prescription of {protocol.title}",
        conditions=list(protocol.conditions),
        regions=list(protocol.regions),
        exercises=exercises,
    )


def _follows(follows: Any) -> str:
    """The earlier prescription a follow-up names, as Browse shows it: its file (and date),
    or its date alone."""
    if not isinstance(follows, dict):
        return ""
    named, date = follows.get("file"), follows.get("date")
    date = date if isinstance(date, str) else ""
    if isinstance(named, str) and named:
        return f"{named} ({date})" if date else named
    return date


def _follows_in_folder(relative: str, follows: Any) -> tuple[str, str]:
    """The earlier prescription's file a follow-up at `relative` names, as the list names the
    folder's files, and the date it gives; empty for a file outside the folder or none."""
    import posixpath

    if not isinstance(follows, dict):
        return "", ""
    named, date = follows.get("file"), follows.get("date")
    if not isinstance(named, str) or not named.strip() or not isinstance(date, str):
        return "", ""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(relative), named))
    if path.startswith("../") or path == ".." or posixpath.isabs(path):
        return "", ""
    return path, date


def _list_of(value: Any) -> list[Any]:
    """A list of a file's data as the list reads it from a file of any shape: every file in
    the folder is summarised for every page, and one file's `"overrides": null` was an
    internal error on every page of the workbench (H1524). What the schema says of it is
    the file's own errors, counted on its line."""
    return value if isinstance(value, list) else []


def _english(value: Any) -> str:
    if isinstance(value, dict):
        return str(next(iter(value.values()), ""))
    return str(value or "")


def _written(value: Any) -> str:
    """A name or title as `_english` gives it, but "" while it is a placeholder: a new
    protocol's line in the list read "TODO: the programme's title as the patient will read it"
    and named its exercise "TODO: the exercise's name ..." (the file's name and the exercise's
    id say more until the therapist writes them)."""
    said = _english(value)
    return "" if placeholder_in(said) else said


# What the list says of a condition `protokit new` wrote and the therapist has not yet coded:
# the template's code (R69, "illness, unspecified") beside "TODO: the code and display text of
# the condition treated" told a therapist nothing, and read as if the protocol were for R69.
NOT_YET_CODED = "not yet coded"


def _condition(coding: dict[str, Any]) -> str:
    """A condition as the list shows it: its display and code, or `NOT_YET_CODED`."""
    display = _english(coding.get("display", ""))
    if placeholder_in(display):
        return NOT_YET_CODED
    return f"{display} {coding.get('code', '')}"


def _one_at_a_time(method):
    @functools.wraps(method)
    def serialised(self, *args, **kwargs):
        with self.busy:
            return method(self, *args, **kwargs)

    return serialised


class Workbench:
    """The folder, its configuration and a checker built once (validators, library)."""

    def __init__(self, folder: Folder, config: Config | None = None) -> None:
        self.folder = folder
        # A configuration given is kept; one found beside or above the folder is read again
        # when it changes: a therapist who adds the clinic's telephone numbers while the
        # workbench runs (as the walkthrough has it) was told to add them until a restart.
        self._config_found = config is None
        self._config_stamp = self._config_files_stamp()
        self.config = config or load_config(start=folder.root)
        self.options: RenderOptions = render_options(self.config)
        self._summaries: dict[str, tuple[tuple, FileSummary]] = {}
        self._checker: tuple[tuple, FileChecker] | None = None
        # Library folders outside the folder (`library` in protokit.toml, a `library/` above
        # it) that a checker has read: their files are part of what a checker depends on.
        self._libraries_outside: set[Path] = set()
        self._lock = threading.Lock()
        # The checker is shared (and a prescription's check sets its protocol on it): one
        # request uses the core at a time; the work is CPU-bound, so nothing is lost.
        self.busy = threading.RLock()

    def checker(self, stamp: tuple | None = None) -> FileChecker:
        """A checker for one request. It is built once (validators, the library folders it
        read) and built again when a file of the folder changed, since the library it cached
        may have; a new one costs ten times the check of an example protocol. `stamp`: the
        folder's (`_folder_stamp`) when the caller has just taken it."""
        self._reread_config()
        stamp = self._folder_stamp() if stamp is None else stamp
        with self._lock:
            if self._checker is None or self._checker[0] != stamp:
                options = configured_check_options(self.config, hooks=self.options.check.hooks)
                self._checker = (stamp, FileChecker(options))
            checker = self._checker[1]
        checker.prescribed = None
        checker.earlier_within = str(self.folder.root)  # (H1424)
        return checker

    def _config_files_stamp(self) -> tuple:
        """The configuration files `load_config` would look at, as they are now."""
        if not self._config_found:
            return ()
        names = [
            folder / name
            for folder in folders_upwards(self.folder.root)
            for name in (CONFIG_FILE, PYPROJECT)
        ]
        return tuple(self._stamps(names))

    def _reread_config(self) -> None:
        """Read the configuration again when a file of it changed, appeared or went; a
        mistake in it is reported (ConfigError) until it is corrected."""
        stamp = self._config_files_stamp()
        with self._lock:
            if stamp == self._config_stamp:
                return
            config = load_config(start=self.folder.root)
            self.config, self.options = config, render_options(config)
            self._config_stamp = stamp
            self._checker = None  # its rules' options came from the configuration
            self._summaries.clear()

    def folder_version(self) -> str:
        """Changes whenever a file of the folder does (a library exercise, the protocol a
        prescription names): what a sheet kept for the preview depends on."""
        return str(hash((self._folder_stamp(), self._config_files_stamp())))

    def _folder_stamp(self) -> tuple:
        stamps = []
        for relative in self.folder.files():
            try:
                stat = self.folder.resolve(relative).stat()
            except (OSError, PathRefused):
                continue
            stamps.append((relative, *state_of(stat)))
        # A library exercise changed outside the folder was kept as first read: the checks
        # passed and the sheet printed its old steps (H212).
        stamps += self._stamps(self._library_files_outside())
        return tuple(stamps)

    @staticmethod
    def _stamps(paths: list[Path]) -> list[tuple]:
        stamps = []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append((str(path), *state_of(stat)))
        return stamps

    def _library_files_outside(self) -> list[Path]:
        if self._checker is not None:
            for folder in self._checker[1].library.folders_read():
                if not folder.is_relative_to(self.folder.root):
                    self._libraries_outside.add(folder)
        found: list[Path] = []
        for folder in sorted(self._libraries_outside):
            try:
                found += files_under(folder, ".json")
            except InputError:  # the checker says what is wrong with the folder
                found.append(folder)
        return found

    # Checks -------------------------------------------------------------------------------

    @_one_at_a_time
    def check(self, relative: str, data: dict[str, Any]) -> FileReport:
        """The report `protokit validate` would give for `data` saved as `relative`: its
        findings, in order, and whether the rules wait for schema or reference errors."""
        path = str(self.folder.resolve(relative))
        text = dumps(data)
        report = FileReport(path)
        checker = self.checker()
        if data.get("$schema") == KIND_BY_NAME["prescription"].uri:
            # Checked against its protocol, found in the folder by id (as `render` is given
            # it): the prescription may not be saved yet, so nothing is looked up beside it.
            checker.prescribed, found = self._prescribed(checker, data)
            if checker.prescribed is None:
                from protocol_kit.prescribing.against_protocol import (
                    not_valid_yet,
                    without_protocol,
                )
                from protocol_kit.prescribing.notes import findings_without_protocol
                from protocol_kit.prescription import prescription_findings

                wanted = str(named_protocol(data) or "")
                findings = checker.schemas.check(KIND_BY_NAME["prescription"], data)
                # The protocol in the folder but with errors of its own is not "not found"
                # (as `protokit validate` says: H720): the therapist would look for a missing
                # file (H1197).
                against = (
                    [not_valid_yet(wanted), *findings_without_protocol(data)]
                    if found
                    else without_protocol(data, wanted)
                )
                findings = [*prescription_findings(data, findings), *against]
                findings = [replace(f, path=path) for f in findings]
                report.findings = sorted(
                    locate_findings(findings, text, path), key=lambda f: f.sort_key
                )
                return report
        findings = checker.check_document(Document(path, data, text), report)
        report.findings = sorted(locate_findings(findings, text, path), key=lambda f: f.sort_key)
        return report

    def _prescribed(self, checker: FileChecker, data: dict[str, Any]):
        """The valid protocol of the folder a prescription names, or None; and whether the
        folder has a protocol with its id at all (found, but not valid yet)."""
        from protocol_kit.app.check import load_protocol

        try:
            path = self.protocol_of(data)
        except (ProtokitError, AttributeError):
            return None, False
        try:
            return load_protocol(str(path), checker), True
        except (ProtokitError, AttributeError):
            return None, True

    @_one_at_a_time
    def summaries(self) -> list[FileSummary]:
        result: list[FileSummary | None] = []
        found: list[tuple[int, str, Path, tuple]] = []
        for relative in self.folder.files():
            try:
                path = self.folder.resolve(relative)
                stat = path.stat()
            except (OSError, PathRefused) as error:
                # Listed, not skipped and not an error of the page: the therapist sees the
                # file is there and why it cannot be opened here.
                shown = printable(relative)
                reason = getattr(error, "strerror", None) or str(error)
                result.append(FileSummary(shown, "unknown", shown, errors=1, refused=reason))
                continue
            found.append((len(result), relative, path, state_of(stat)))
            result.append(None)
        # A protocol's checks read its library exercises, a prescription's its protocol: their
        # counts are kept only while those files are as they were (H212).
        used = tuple(
            (relative, stamp)
            for _, relative, _, stamp in found
            if self._kind_of(relative) in _READ_BY_OTHERS
        ) + tuple(self._stamps(self._library_files_outside()))
        # The folder as it is, taken once for the list: each file's check and library look-up
        # took it again, a walk and a look at every file of the folder, so a first Browse of
        # 2,000 files looked at each of them some 4,000 times (H1552).
        folder_stamp: tuple | None = None
        for at, relative, path, stamp in found:
            key = (stamp, used) if self._kind_of(relative) in _READING_OTHERS else (stamp,)
            cached = self._summaries.get(relative)
            if cached is None or cached[0] != key:
                if folder_stamp is None:
                    folder_stamp = self._folder_stamp()
                summary = self._summary(relative, path, folder_stamp)
                cached = self._summaries[relative] = (key, summary)
            result[at] = cached[1]
        listed = [summary for summary in result if summary is not None]
        return _with_follow_ups(_named_by_protocol_titles(listed))

    @_one_at_a_time
    def library_choices(self) -> list[tuple[str, str]]:
        """The library exercises a new protocol in the folder can name, as (id, name) in the
        library's order: the valid ones of the `library` folders a file at the top of the
        folder reads (`protokit new protocol -e` offers the same)."""
        library = self.checker().library
        where = str(self.folder.root / "new.json")
        folders = library.dirs_near(where)
        choices = []
        for identifier in dict.fromkeys(library.ids_near(where)):
            entry = library.lookup(identifier, where, folders)
            if entry is None or entry.data is None:
                continue  # an invalid exercise cannot be used until fixed (Browse says why)
            name = _english(entry.data.get("name")) or identifier
            choices.append((printable(identifier), printable(name)))
        return choices

    def _kind_of(self, relative: str) -> str | None:
        cached = self._summaries.get(relative)
        return cached[1].kind if cached is not None else None

    def _summary(self, relative: str, path: Path, folder_stamp: tuple) -> FileSummary:
        report = self.checker(folder_stamp).check(str(path))
        errors = len(_errors(report.findings))
        summary = FileSummary(relative, report.kind or "unknown", relative)
        summary.errors = errors
        summary.warnings = len(report.findings) - errors
        try:
            data = object_or_none(read_file(path))
        except OSError:
            return summary
        if data is None:
            return summary
        summary.identifier = str(data.get("id", ""))
        summary.status = str(data.get("status", ""))
        summary.title = _written(data.get("title") or data.get("name")) or relative
        if summary.kind == "prescription":
            summary.prescribes = str(named_protocol(data) or "")
            summary.title = f"Prescription of {summary.prescribes or '?'}"
            summary.patient, summary.patient_words, summary.patient_number = _patient(data)
            summary.references.append(summary.prescribes)
            summary.date = str(data.get("date", ""))
            summary.follows = _follows(data.get("follows"))
            summary.follows_file, summary.follows_date = _follows_in_folder(
                relative, data.get("follows")
            )
            summary.omitted = frozenset(
                printable(str(o.get("exercise")))
                for o in _list_of(data.get("overrides"))
                if isinstance(o, dict) and o.get("omit") is True
            )
        summary.conditions = [
            _condition(c) for c in _list_of(data.get("indications")) if isinstance(c, dict)
        ]
        exercises = data.get("exercises", [data] if summary.kind == "exercise" else [])
        for exercise in _list_of(exercises):
            if not isinstance(exercise, dict):
                continue
            if isinstance(exercise.get("ref"), str):
                summary.references.append(exercise["ref"])
            exercise = self._as_the_library_gives(exercise, path, folder_stamp)
            name = _written(exercise.get("name")) or exercise.get("ref") or exercise.get("id")
            summary.exercises.append(_english(name))
            summary.exercise_ids.append(str(exercise.get("ref") or exercise.get("id") or ""))
            targets = exercise.get("targets")
            summary.regions += _list_of(
                targets.get("regions") if isinstance(targets, dict) else None
            )
        summary.regions = sorted(set(map(str, summary.regions)))
        # What a file says of itself is shown as one escaping shows untrusted text everywhere:
        # a direction override in a draft's title would reverse the words around it in the list.
        for name in ("identifier", "status", "title", "patient", "prescribes", "date", "follows"):
            setattr(summary, name, printable(getattr(summary, name)))
        for name in ("conditions", "regions", "exercises", "references", "exercise_ids"):
            setattr(summary, name, [printable(v) for v in getattr(summary, name)])
        return summary

    def _as_the_library_gives(
        self, exercise: dict[str, Any], path: Path, folder_stamp: tuple
    ) -> dict[str, Any]:
        """A protocol's reference to a library exercise with the library exercise's name and
        body regions where the reference gives none: the list showed its id and no region,
        so that a protocol made with `protokit new protocol -e` was not found by the search
        for an exercise's name or a body region (H1256). A reference the library cannot give
        (missing, invalid) stays as written."""
        identifier = exercise.get("ref")
        if not isinstance(identifier, str):
            return exercise
        entry = self.checker(folder_stamp).library.lookup(identifier, str(path))
        if entry is None or not isinstance(entry.data, dict):
            return exercise
        return {
            **{key: entry.data[key] for key in ("name", "targets") if key in entry.data},
            **exercise,
        }

    def imported_note(self, relative: str, raw: bytes) -> str | None:
        """What the edit page says of a protocol `protokit bundle import` wrote (the record
        in a `.protokit` folder of its folder or one above it, within this folder): whose it
        is, and that a change saved here stops the next import of it (its review alone does not,
        H901). A receiving clinic that corrected an imported protocol in the browser learnt
        only at the next import that its copy was now its own. None for any other file."""
        from protocol_kit.bundle import BundleRefused
        from protocol_kit.bundle.provenance import read_records, record_path, relative_name

        path = self.folder.resolve(relative)
        for folder in path.parents:
            if not folder.is_relative_to(self.folder.root):
                return None
            if not record_path(folder).is_file():
                continue
            try:
                record = read_records(folder).get(relative_name(path, folder))
            except BundleRefused:
                return None  # the import itself names the damaged record
            if record is None or record.kind != "protocol":
                return None
            return printable(
                f"Imported {record.describe()}{_since(record, raw)}. A change saved here "
                "makes it your clinic's copy: a later import of this protocol is then refused "
                "until you choose (protokit bundle import --replace-local-changes replaces it "
                "and keeps your copy beside it; see docs/bundles.md). Your review alone (status, "
                "sign_off, next_review) does not: an import of the same version keeps it, and "
                "the next version replaces the file, keeping your reviewed copy beside it, "
                "for you to review the new one."
            )
        return None

    def findings_json(self, findings: list[Finding], data: Any) -> list[dict[str, Any]]:
        """The findings as the page shows them (`finding_json`), each library file of the
        folder they name read once."""
        read: dict[str, Any] = {}

        def library_data(relative: str) -> Any:
            if relative not in read:
                read[relative] = self.library_data(relative)
            return read[relative]

        return [
            finding_json(f, data, self.folder.file_of, library_data, self.folder.name_of)
            for f in findings
        ]

    def library_data(self, relative: str) -> Any:
        """The data of the folder's library exercise `relative` as saved, or None when it
        cannot be read as JSON (its own page says why)."""
        try:
            raw, _ = self.folder.read(relative)
            return None if raw is None else parse(decode(raw), name=relative).data
        except (OSError, ProtokitError, JsonProblem, PathRefused):
            return None

    # Sheets -------------------------------------------------------------------------------

    def sheet_options(self, large_print: bool, language: str | None) -> RenderOptions:
        return replace(self.options, large_print=large_print, language=language or None)

    @_one_at_a_time
    def protocol_sheet(
        self, relative: str, data: dict[str, Any], large_print=False, language=None, warned=None
    ) -> bytes:
        """The PDF of the protocol as the form holds it; NotPrintable when it has errors.
        `warned` is given each warning `render` would print of it."""
        checker = self.checker()
        protocol = self._valid_protocol(checker, relative, data)
        request = sheet_request(protocol, self.sheet_options(large_print, language))
        return _rendered(request, warned)

    def _printable(self, checker: FileChecker, relative: str, data: dict[str, Any], what: str):
        """The document of `data` saved as `relative`; NotPrintable when it has an error."""
        path = str(self.folder.resolve(relative))
        document = Document(path, data, dumps(data))
        errors = _errors(checker.check_document(document, FileReport(path)))
        if errors:
            why = WHY_NO_SHEET.get(errors[0].code)
            # In the form's words where the finding has them, as the Checks list says it: the
            # preview of an old prescription said "render" the follow-up (H1570).
            said = errors[0].form_message or errors[0].message
            first = in_folder_words(said, self.folder.name_of)
            raise NotPrintable(
                f"not printable: {len(errors)} problem(s) {what}, the first: {first}"
                + (f" ({why})" if why else "")
            )
        return document

    def _valid_protocol(self, checker: FileChecker, relative: str, data: dict[str, Any]):
        document = self._printable(checker, relative, data, "to fix first")
        protocol, _ = checker.build_protocol(document)
        if protocol is None:
            raise NotPrintable("not printable: an exercise of the protocol cannot be found")
        return protocol

    @_one_at_a_time
    def prescription_sheet(
        self, relative: str, data: dict[str, Any], large_print=False, language=None, warned=None
    ) -> bytes:
        """The personalised PDF of a prescription as the form holds it, checked against its
        protocol as `protokit render --prescription` checks it; `warned` as above."""
        protocol_path = self.protocol_of(data)
        checker = self.checker()
        name = self.folder.relative(protocol_path)
        try:  # read as `protokit render` reads it (H210)
            protocol_data = parse(decode(read_file(protocol_path)), name=name).data
        except OSError as error:
            raise NotPrintable(f"{name}: cannot be read: {error.strerror or error}") from None
        except JsonProblem as problem:
            raise NotPrintable(problem.at(name)) from None
        protocol = self._valid_protocol(checker, name, protocol_data)
        checker.prescribed = protocol
        path = self._printable(checker, relative, data, "in the prescription").name
        request = sheet_request(protocol, self.sheet_options(large_print, language))
        prescription = build_prescription(data, path, protocol.language)  # as render (H835)
        personal = apply_prescription(protocol, prescription)
        created = creation_time(prescription, personal, self.options.source_date_epoch)
        request = replace(request, protocol=personal, prescription=prescription, created=created)
        return _rendered(request, warned)

    def sheet_languages(self, prescription: dict[str, Any]) -> list[str] | None:
        """The languages the prescribed protocol's sheet can be printed in (its own and its
        translations, as written), or None when the protocol cannot be found or read yet (the
        preview says why)."""
        try:
            data = object_or_none(read_file(self.protocol_of(prescription)))
        except (NotPrintable, OSError):
            return None
        return written_languages(data or {})

    def screening_questions(self, prescription: dict[str, Any]) -> dict[str, str]:
        """The prescribed protocol's screening questions by id, in its language, for the
        form to label each yes/no choice with the question the therapist asks the patient (it
        showed the id, "kneeling-not-allowed", and the question only while unanswered: H437);
        {} when the protocol cannot be found or read yet."""
        try:
            data = object_or_none(read_file(self.protocol_of(prescription))) or {}
        except (NotPrintable, OSError):
            return {}
        questions: dict[str, str] = {}
        asked = data.get("screening")
        for question in asked if isinstance(asked, list) else ():
            if not isinstance(question, dict) or not isinstance(question.get("id"), str):
                continue
            text = question.get("question")
            if isinstance(text, dict):
                text = text.get(data.get("language")) or next(iter(text.values()), None)
            if isinstance(text, str):
                questions[question["id"]] = text
        return questions

    def prescribed_exercises(
        self, prescription: dict[str, Any], protocol: Any = None
    ) -> list[dict[str, Any]]:
        """The prescribed protocol's exercises, in its order: each one's id, name and dosage,
        for the form's choice of the exercise an override changes and the dosage it starts
        from (a new prescription starts with no override: every exercise as the protocol
        has it, H719). [] when the protocol cannot be found or is not valid yet: the form
        then takes the id as typed, and the checks say what is wrong."""
        if protocol is None:
            from protocol_kit.app.check import load_protocol

            try:
                path = self.protocol_of(prescription)
                with self.busy:
                    protocol = load_protocol(str(path), self.checker())
            except (NotPrintable, ProtokitError, OSError):
                return []
        from protocol_kit.templates import dosage_of

        return [
            {
                "id": exercise.id,
                "name": exercise.name.get(protocol.language),
                "dosage": dosage_of(exercise),
            }
            for exercise in protocol.exercises
        ]

    def follow_up(self, earlier: str) -> tuple[str, dict[str, Any], Any, dict[str, str], list[str]]:
        """The follow-up of the folder's prescription `earlier` (`protokit new prescription
        --from`): its new file's name (beside the earlier one, named as a new prescription
        is), its data, the protocol, the earlier screening answers as the form shows them
        beside each question (the form shows a `TODO` answer as not answered, without the
        earlier answer the file's `TODO` holds), and what changed in the protocol since, as
        the command says it. The earlier file is only read."""
        from protocol_kit.app.prescribe import follow_up_for, refuse_a_second_follow_up
        from protocol_kit.prescribing.follow_up import changes_since, earlier_answers

        path = self.folder.resolve(earlier)
        content, _ = self.folder.read(earlier)  # refuses a pipe, a folder, before reading
        if content is None:
            raise InputError(f"{quoted(earlier)}: no such file")
        try:  # the folder's protocol with the id it names, as the sheet's preview finds it
            protocol_path: str | None = str(self.protocol_of(object_or_none(content) or {}))
        except NotPrintable:
            # The check below says what is wrong, never looking above the folder: one found
            # there (H1367) was a protocol the preview and the sheet cannot find.
            protocol_path = None
        try:
            with self.busy:
                options = self.checker().options
                protocol, earlier_data, data = follow_up_for(
                    str(path), protocol_path, options, str(path), look_near=False
                )
                refuse_a_second_follow_up(
                    str(path),
                    earlier_data,
                    options.limits,
                    choose="under Follow up a prescription, choose {path}",
                )
        except ProtokitError as error:  # named as the workbench names its files
            shown = str(error).replace(str(path), earlier).replace(str(self.folder.root) + "/", "")
            raise type(error)(shown) from None
        folder = Path(earlier).parent.as_posix()
        day, number = dt.date.today().isoformat(), 1
        while True:
            relative = f"{folder}/{protocol.id}-{day}-{number}.json".removeprefix("./")
            if self.folder.read(relative)[0] is None:
                protocol_file = self.folder.file_of(protocol.origin.path) or protocol.id
                changed = changes_since(earlier_data, protocol, protocol_file, "the checks")
                return relative, data, protocol, earlier_answers(earlier_data), changed
            number += 1

    def protocol_of(self, prescription: dict[str, Any]) -> Path:
        """The protocol file of the folder a prescription names (by id)."""
        wanted = named_protocol(prescription)
        for summary in self.summaries():
            if summary.kind == "protocol" and summary.identifier == wanted:
                return self.folder.resolve(summary.path)
        raise NotPrintable(f"no protocol with the id {quoted(wanted)} in this folder")

    def picture(self, relative: str, data: dict[str, Any]) -> dict[str, str] | None:
        """What the sheet shows beside an exercise's steps (a library exercise as the form
        holds it), chosen as the sheet chooses (`sheet.pictures`): the clinic's own picture
        (`src`, a picture of the media folder beside the file) when `media` names one, else
        the drawing of its poses (`svg`); with `alt` and what the pane says of it. None for a
        form with neither yet, or one not finished enough to draw (a language the drawings
        have no words for, a name not yet in the form's language): the form's checks say
        what is missing. PathRefused for a file name that is not the folder's."""
        try:
            return self._picture(relative, data)
        except PathRefused:
            raise
        except (ProtokitError, AttributeError, TypeError, ValueError, KeyError):
            return None

    def _picture(self, relative: str, data: dict[str, Any]) -> dict[str, str] | None:
        from protocol_kit.illustration import alt_text, scene_for
        from protocol_kit.illustration.svg import to_svg
        from protocol_kit.model import Origin, build_exercise
        from protocol_kit.sheet.pictures import first_image

        tag = data.get("language") if isinstance(data, dict) else None
        try:
            exercise = build_exercise(data, tag, Origin("form"))
            image = first_image(exercise)
            scene = None if image is not None else scene_for(exercise)
        except Exception:  # noqa: BLE001 (an unfinished form: no picture yet, not a failure)
            return None
        if image is not None:
            alt = image.alt.get(tag) if image.alt is not None else ""
            name = image.path or ""
            if name not in self.folder.pictures(relative):
                return {
                    "alt": alt,
                    "says": f"The sheet would print {name}, which is not a picture in the "
                    "media folder beside this file (see Checks).",
                }
            query = urllib.parse.urlencode({"path": relative, "name": name})
            return {
                "src": f"/api/pictures/file?{query}",
                "alt": alt,
                "says": f"The clinic's picture {name}: the sheet prints it, not the drawing "
                "of the poses.",
            }
        if scene is None:
            return None
        alt = alt_text(exercise, tag)
        svg = to_svg(scene, alt, title=exercise.name.get(tag))
        return {"svg": svg, "alt": alt, "says": "Drawn from the poses."}


def _rendered(request, warned) -> bytes:
    """The PDF of `request`; `warned` (when given) is told what `render` would warn of it."""
    from protocol_kit.render.sheet import render_sheet

    data = render_sheet(request).data
    if warned is not None:
        for warning in sheet_warnings(request):
            warned(warning)
    return data


def named_protocol(prescription: dict[str, Any]) -> Any:
    """The id of the protocol a prescription names, None when it names none; a form's data
    may hold anything where the protocol belongs, until the schema check says so."""
    named = prescription.get("protocol")
    return named.get("id") if isinstance(named, dict) else None


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.ERROR]


def today() -> str:
    return dt.date.today().isoformat()


def written_languages(data: dict[str, Any]) -> list[str]:
    """A protocol's language and its translations, as its file writes them."""
    translations = data.get("translations")
    written = [data.get("language"), *(translations if isinstance(translations, list) else [])]
    return [tag for tag in written if isinstance(tag, str)]


def _since(record: Any, raw: bytes) -> str:
    """What happened to an imported protocol's file since the import (`ImportRecord`): a
    review alone (status, sign_off, next_review: what the import keeps, H901) is said as one,
    not as a change; a receiving clinic that had signed off its copy read "changed here
    since", and took its sign-off for a change that stops the next import."""
    from protocol_kit.bundle.provenance import digest, file_content_digest

    if digest(raw) == record.sha256:
        return ""
    if record.content_sha256 is not None and file_content_digest(raw) == record.content_sha256:
        return ", and reviewed here since (its status, sign_off or next_review)"
    return ", and changed here since"
