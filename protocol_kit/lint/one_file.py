"""A one-file `protokit validate`'s lint answer, kept between runs in the user's cache folder
and given without importing the rules (issue 17, thirty-fifth sitting).

Checking one file that was checked before, unchanged (a pre-commit hook's file, an editor's
check on opening), spent more than half of its instructions on the lint: importing the engine
and its 64 rule modules (62 million of 310 million) and the rules' first work in the process,
their patterns and tables (about 120 million), for the findings the last run gave. Here the
findings of a one-file run's lint are kept (`OneFileLint`), and the next run of the same
file gives them back, its rules neither imported nor run, where everything they depend on is
as it was. The schema check, the model, the translations and the report are worked out as
before; only the lint's answer is kept.

What a kept answer depends on, and how each is checked before it is given (a stale "no
finding" is the worst answer this tool can give):

- The file: its path as named, its text as read, each library exercise's file by path and
  digest (as `lint.across_runs` keys a whole file's answers): in the answer's key
  (`_answer_key`).
- The run's configuration: the configuration file's validated values and its place, the
  command line's --select, --ignore and --library, the size and depth limits, and the working
  folder (messages name files relative to it): in every key (`configuration_key`, made by
  the caller). A configuration is marked in the file once the rules accepted it with this
  code (`run_settings` raised nothing); only a marked configuration's run begins without the
  rules, so that a configuration's error is still said before any file is checked.
- The code and data that work the answer out: every module and data file of protocol_kit,
  the folders holding them and the schemas, by their state (`code_state.state_of`: size,
  times, inode; about a sixth of reading them), the package's folder, protokit's version,
  the interpreter's and those of the packages the rules read (`code_state.READ`): recorded
  with the answers, checked before one is given; any difference and none is. The state is
  recorded only when every file was left alone since `code_state.SETTLED` seconds before the
  process first imported protocol_kit (`protocol_kit.STARTED`, `code_state.settled_before`),
  so that it is the state of the code that ran.
- What the rules that read beyond the file read (`Rule.reads_beyond_the_file`), recorded with
  the answer and read again before it is given: today's date (GOV001, GOV005), each question
  asked of git and a digest of its answer (GOV004), and each image the protocol's exercises
  name, where it leads and a digest of its bytes (LINK001). Where a rule that runs reads
  beyond the file and is not one of these (`BEYOND`), nothing is kept.

A run of more than one file (a folder, a hook's several files) keeps its answers by part,
exercise and file in `lint.across_runs`, as before. The file is bounded (`MOST` answers, the
newest), read with the cache's checks (`cache.stored_at`: this user's own file, its CRC-32; a
value of another shape is not used, H588) and written whole, under the cache folder's lock,
when the process ends.
"""

from __future__ import annotations

import marshal
import os
import sys

from protocol_kit.cache import (
    cache_dir,
    locked_folder,
    store_at,
    stored_at,
    when_this_process_ends,
)
from protocol_kit.digests import blake2b
from protocol_kit.findings import Finding, LibraryPlace, Severity, place_fits
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lean_imports.dates import dt
from protocol_kit.lint import code_state
from protocol_kit.lint.history import GitHistory, MissingRevision
from protocol_kit.model import library_contents

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any

    from protocol_kit.lint.engine import Linter, LintSettings
    from protocol_kit.model import Protocol

_FORMAT = 1
# The file's label: another interpreter's file is another file (the name) and is never read.
_LABEL = f"protokit one-file lint answers {_FORMAT} " + " ".join(sys.version.split())
_NAME = f"lint-one-file-{sys.implementation.cache_tag}-{_FORMAT}.marshal"
# Files' answers kept, the newest: an editor's or a hook's files of the day. Most answers are
# "nothing found", about 200 bytes with their record; the file is read whole by each run.
MOST = 256
# Configurations marked as accepted, the newest.
MOST_CONFIGURATIONS = 16
# The rules that read beyond the file whose reading is recorded here (the module's docstring).
BEYOND = frozenset({"GOV001", "GOV004", "GOV005", "LINK001"})
# A git question's answer when the revision does not exist (`MissingRevision`).
_MISSING_REVISION = b"no such revision"
# An image's bytes' digest when there is no such file.
_NO_IMAGE = b"no such file"


def configuration_key(*values: Any) -> bytes:
    """One digest of what a run's lint answers depend on besides the file and the code
    (the module's docstring: the caller names them), with the working folder."""
    said = repr((values, os.getcwd())).encode("utf-8", "surrogatepass")
    return blake2b(said, digest_size=16).digest()


class OneFileLint:
    """The lint hook of a one-file `protokit validate` (`app.check.CheckOptions.hooks`): the
    answer kept for the file where everything it depends on is as it was, else the rules'
    (`lint.engine.Linter`, made when first needed), kept for the next run.

    `settings` makes the run's lint settings (`lint.engine.run_settings`, which raises for a
    configuration the rules refuse). Made by `start`: with a configuration marked in the kept
    file under the same code, the rules are not imported unless a file's answer is missing;
    otherwise the settings and the linter are made at once, as a run without kept answers
    makes them, so that an error is said at the same moment."""

    def __init__(self, configuration: bytes, settings: Callable[[], LintSettings]) -> None:
        self.configuration = configuration
        self._settings = settings
        self._linter: Linter | None = None
        self._kept: dict[str, Any] | None = None  # the file's value, when its code holds
        self._summaries: Mapping[str, str] | None = None
        self.history = _AskedHistory()
        self._added: dict[bytes, tuple] = {}
        self._asks_git = False
        # The kept file's code (`_code_now`), found to be this process's when it began.
        self._code: tuple | None = None

    def start(self, path: str) -> None:
        """Read the kept answers for a run of the one file `path`; make the linter now when
        they cannot serve it."""
        kept = _read()
        marked = None if kept is None else kept["configurations"].get(self.configuration)
        if marked is not None and _code_holds(kept["code"]):
            self._kept, self._code = kept, kept["code"]
            self._summaries = kept["summaries"]
            self._asks_git = marked
            if marked:  # git started now, on the other core, as the linter's `expect` does
                self.history.expect(path)
            return
        linter = self._linter_now()
        linter.expect([path])

    @property
    def summaries(self) -> Mapping[str, str]:
        """Each rule's one-line summary by code, for the reports (SARIF lists them)."""
        if self._summaries is None:
            from protocol_kit.lint.registry import rule_summaries

            self._summaries = rule_summaries()
        return self._summaries

    def _linter_now(self) -> Linter:
        if self._linter is None:
            from protocol_kit.lint.engine import Linter

            self._linter = Linter(self._settings(), history=self.history)
            self._asks_git = "GOV004" in self._linter.beyond_the_file()
        return self._linter

    def __call__(self, protocol: Protocol, document: Any) -> list[Finding]:
        key = _answer_key(self.configuration, protocol, document.text)
        if key is not None and self._kept is not None:
            record = self._kept["answers"].get(key)
            if record is not None and _record_fits(record) and self._still(record, protocol):
                return [_finding(plain) for plain in record[3]]
        linter = self._linter_now()
        asked = len(self.history.asked)
        today = dt.date.today()
        findings = linter(protocol, document)
        if key is not None and dt.date.today() == today and self._may_keep(linter):
            record = _record(today, self.history.asked[asked:], protocol, findings)
            if record is not None:
                self._add(key, record)
        return findings

    def unbuilt(self, document: Any) -> list[Finding]:
        """The rules' findings for a file whose model cannot be built (`Linter.unbuilt`)."""
        return self._linter_now().unbuilt(document)

    def library_file(self, document: Any, exercise: Any) -> list[Finding]:
        """The rules' findings for a library exercise's file (`Linter.library_file`)."""
        return self._linter_now().library_file(document, exercise)

    def _still(self, record: tuple, protocol: Protocol) -> bool:
        """`_holds`, and False where it cannot be told (the cache is an optimisation only: its
        failure is the rules' work, never the user's error)."""
        try:
            return self._holds(record, protocol)
        except Exception:  # noqa: BLE001
            return False

    def _holds(self, record: tuple, protocol: Protocol) -> bool:
        """Whether what the rules reading beyond the file read is as `record` says."""
        today, asked, images, _ = record
        if dt.date.today().toordinal() != today:
            return False
        for path, revision, digest in asked:
            try:
                answer = _git_answer(self.history.previous(path, revision))
            except MissingRevision:
                answer = _MISSING_REVISION
            if answer != digest:
                return False
        return _images(protocol) == images

    def _may_keep(self, linter: Linter) -> bool:
        """Whether every rule that runs and reads beyond the file reads what is recorded:
        today's date as the clock gives it (not one the settings name), git, the images."""
        return linter.settings.today is None and set(linter.beyond_the_file()) <= BEYOND

    def _add(self, key: bytes, record: tuple) -> None:
        if not self._added:
            when_this_process_ends(self._save)
        self._added[key] = record

    def _save(self) -> None:
        """Add this run's answers to the file, under the cache folder's lock (another run's
        answers added meanwhile are kept), with the code's state: the kept file's, found to
        be this process's when it began (a file changed since has another state, which no
        later run's files can have again: an answer worked out by code changed meanwhile is
        never found), else as it is now, when every file was left alone since before this
        process began; else nothing is kept."""
        try:
            code = self._code
            if code is None:
                code = _code_now()
                if code is None or not code_state.settled_before(code[4], _started()):
                    return
            folder = cache_dir()
            descriptor = locked_folder(folder)
            try:
                found = _read()
                same = found is not None and found["code"] == code
                configurations = dict(found["configurations"]) if same else {}
                answers = dict(found["answers"]) if same else {}
                configurations.pop(self.configuration, None)
                configurations[self.configuration] = self._asks_git
                for key, record in self._added.items():
                    answers.pop(key, None)
                    answers[key] = record
                value = {
                    "code": code,
                    "summaries": dict(self.summaries),
                    "configurations": _newest(configurations, MOST_CONFIGURATIONS),
                    "answers": _newest(answers, MOST),
                }
                store_at(folder / _NAME, _LABEL, value)
            finally:
                if descriptor is not None:
                    os.close(descriptor)
        except Exception:  # noqa: BLE001, S110 (nothing may reach the user from the cache)
            pass


class _AskedHistory(GitHistory):
    """What git holds (`GitHistory`), each question asked noted with a digest of its answer
    (`asked`), so that a kept answer is given only while git answers the same."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, str, bytes | None]] = []

    def previous(self, path: str, revision: str) -> dict[str, Any] | None:
        try:
            answer = super().previous(path, revision)
        except MissingRevision:
            self.asked.append((path, revision, _MISSING_REVISION))
            raise
        self.asked.append((path, revision, _git_answer(answer)))
        return answer


def _git_answer(answer: Any) -> bytes | None:
    """A digest of a file's committed content as `GitHistory.previous` gives it (plain JSON
    data, or None); None when marshal cannot write it."""
    try:
        written = marshal.dumps(answer)
    except ValueError:
        return None
    return b"=" + blake2b(written, digest_size=16).digest()


def _answer_key(configuration: bytes, protocol: Protocol, text: str) -> bytes | None:
    """The key of the file's answer: the run's configuration, the file's path as named, each
    library exercise's file by path and digest, and the file's text; None when a library
    exercise was read without its file's digest."""
    libraries = library_contents(protocol)
    if libraries is None:
        return None
    try:
        named = marshal.dumps((protocol.origin.path, libraries))
    except ValueError:
        return None
    digest = blake2b(configuration + named, digest_size=16)
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.digest()


def _images(protocol: Protocol) -> tuple[tuple[str, str | None, bytes], ...] | None:
    """Each image the protocol's exercises name, in LINK001's order: the file it leads to,
    why it is not the protocol's own (`Media.outside`), and a digest of its bytes; None when
    one cannot be read for another reason than being missing (its finding names the reason,
    which is not recorded)."""
    found = []
    for exercise in protocol.exercises:
        for media in exercise.media:
            file = media.file
            if file is None:
                continue
            outside = media.outside
            if outside is not None:
                found.append((file, outside, b""))
                continue
            # Imported for a file that names an image, as LINK001 imports them.
            from protocol_kit.untrusted.files import read_file
            from protocol_kit.untrusted.images import MAX_IMAGE_FILE

            try:
                content = blake2b(read_file(file, MAX_IMAGE_FILE), digest_size=16).digest()
            except FileNotFoundError:
                content = _NO_IMAGE
            except (OSError, ValueError):
                return None
            found.append((file, None, content))
    return tuple(found)


def _record(
    today: dt.date,
    asked: Sequence[tuple[str, str, bytes | None]],
    protocol: Protocol,
    findings: list[Finding],
) -> tuple | None:
    """What is kept of a file's answer: the day, git's questions and answers, the images,
    and the findings; None when one of them cannot be written."""
    if any(digest is None for _, _, digest in asked):
        return None
    images = _images(protocol)
    if images is None:
        return None
    try:
        plain = tuple(_plain(finding) for finding in findings)
        record = (today.toordinal(), tuple(asked), images, plain)
        marshal.dumps(record)
    except (ValueError, TypeError, AttributeError):
        return None
    return record


# `Finding`'s fields, in the order of its `__init__`'s parameters; two are written otherwise.
_FIELDS = Finding.__slots__
_SEVERITY = _FIELDS.index("severity")
_IN_LIBRARY = _FIELDS.index("in_library")


def _plain(finding: Finding) -> tuple:
    """A finding as marshal writes it: each field, its severity by value and its place in a
    library file as that place's fields."""
    values = [getattr(finding, name) for name in _FIELDS]
    values[_SEVERITY] = finding.severity.value
    place = finding.in_library
    values[_IN_LIBRARY] = None if place is None else tuple(place.__getstate__())
    return tuple(values)


def _finding(plain: tuple) -> Finding:
    values = list(plain)
    values[_SEVERITY] = Severity(values[_SEVERITY])
    place = values[_IN_LIBRARY]
    values[_IN_LIBRARY] = None if place is None else LibraryPlace(*place)
    return Finding(*values)


# The type of each of a finding's fields as `_plain` writes them (`_finding_fits`): a str
# (path, code, message, pointer), optional (None or the type), a bool, or a place.
_STR, _OPTIONAL_INT, _OPTIONAL_STR, _BOOL, _PLACE = range(5)
_KINDS = {
    "path": _STR,
    "code": _STR,
    "message": _STR,
    "severity": _STR,
    "pointer": _STR,
    "line": _OPTIONAL_INT,
    "column": _OPTIONAL_INT,
    "at_key": _BOOL,
    "form_message": _OPTIONAL_STR,
    "library": _OPTIONAL_STR,
    "in_library": _PLACE,
    "quoted_value": _OPTIONAL_STR,
}
_FIELD_KINDS = tuple(_KINDS[name] for name in _FIELDS)  # a new field: a KeyError at import
_SEVERITIES = frozenset(severity.value for severity in Severity)


def _finding_fits(plain: Any) -> bool:
    """Whether `plain` is a finding as `_plain` writes it."""
    if type(plain) is not tuple or len(plain) != len(_FIELDS):
        return False
    for value, kind in zip(plain, _FIELD_KINDS, strict=True):
        if kind == _STR:
            fits = type(value) is str
        elif kind == _BOOL:
            fits = type(value) is bool
        elif kind == _PLACE:
            fits = value is None or place_fits(value)
        else:
            fits = value is None or type(value) is (int if kind == _OPTIONAL_INT else str)
        if not fits:
            return False
    return plain[_SEVERITY] in _SEVERITIES


def _record_fits(record: Any) -> bool:
    """Whether a kept record has the shape `_record` writes (H588: the user's own account may
    have put another file there, a cache restored from another build)."""
    if type(record) is not tuple or len(record) != 4:
        return False
    today, asked, images, plain = record
    return (
        type(today) is int
        and type(asked) is tuple
        and all(
            type(each) is tuple
            and len(each) == 3
            and type(each[0]) is str
            and type(each[1]) is str
            and type(each[2]) is bytes
            for each in asked
        )
        and type(images) is tuple
        and all(
            type(each) is tuple
            and len(each) == 3
            and type(each[0]) is str
            and (each[1] is None or type(each[1]) is str)
            and type(each[2]) is bytes
            for each in images
        )
        and type(plain) is tuple
        and all(_finding_fits(each) for each in plain)
    )


def _read() -> dict[str, Any] | None:
    """The kept file's value, when it has the shape `OneFileLint._save` writes; else None."""
    value = stored_at(cache_dir() / _NAME, _LABEL)
    if type(value) is not dict or set(value) != {
        "code",
        "summaries",
        "configurations",
        "answers",
    }:
        return None
    code, summaries = value["code"], value["summaries"]
    configurations, answers = value["configurations"], value["answers"]
    if not (
        type(code) is tuple
        and len(code) == 5
        and all(type(each) is str for each in code[:3])
        and type(code[3]) is tuple
        and type(code[4]) is tuple
        and len(code[3]) == len(code[4])
        and type(summaries) is dict
        and all(type(k) is str and type(v) is str for k, v in summaries.items())
        and type(configurations) is dict
        and all(type(k) is bytes and type(v) is bool for k, v in configurations.items())
        and type(answers) is dict
    ):
        return None
    return value


def _code_holds(code: tuple) -> bool:
    """Whether the kept answers' code (`_code_now`) is the code of this process: the same
    package and schemas, versions, and every file and folder in the state recorded."""
    package, schemas, versions, paths, states = code
    if package != code_state.package_folder() or schemas != _schemas_folder():
        return False
    if versions != _versions():
        return False
    return code_state.state_of(paths) == states


def _code_now() -> tuple | None:
    """The code and data as they are now: the package's folder, the schemas' folder, the
    versions, and the state of every code and data file and of every folder holding them
    (`code_state.state_of`); None when any cannot be told."""
    package = code_state.package_folder()
    schemas = _schemas_folder()
    versions = _versions()
    if not schemas or versions is None:
        return None
    paths = list(code_state.code_and_data_paths(package))
    if os.path.dirname(schemas) != package:  # a source tree: the schemas beside the package
        try:
            names = sorted(name for name in os.listdir(schemas) if name.endswith(".json"))
        except OSError:
            return None
        paths += [schemas, *(os.path.join(schemas, name) for name in names)]
    states = code_state.state_of(paths)
    if states is None:
        return None
    return (package, schemas, versions, tuple(paths), states)


def _schemas_folder() -> str:
    """The schemas' folder (`schemas.schema_dir`), or "" when there is none."""
    from protocol_kit.errors import ProtokitError
    from protocol_kit.schemas import schema_dir

    try:
        return str(schema_dir())
    except ProtokitError:
        return ""


def _versions() -> str | None:
    """protokit's version, and the versions of the packages the rules read; None when one
    cannot be told."""
    from protocol_kit import __version__

    try:
        return f"{__version__} {code_state.read_versions()}"
    except Exception:  # noqa: BLE001 (a version that cannot be told: nothing is kept)
        return None


def _started() -> float:
    """When this process first imported protocol_kit (`protocol_kit.STARTED`)."""
    import protocol_kit

    return protocol_kit.STARTED


def _newest(answers: dict[Any, Any], most: int) -> dict[Any, Any]:
    return answers if len(answers) <= most else dict(list(answers.items())[-most:])
