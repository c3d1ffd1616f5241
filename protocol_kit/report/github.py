"""GitHub Actions workflow commands: each finding an annotation on its file.

GitHub places an annotation by the path from the repository's root, so paths are given from
the root of the git repository protokit runs in (from a subfolder too); outside git, from the
current folder. A path that could not be checked is an error annotation without a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from protocol_kit.findings import FileReport, Finding, RunReport, RunTally
from protocol_kit.record import replace
from protocol_kit.report.base import (
    ReportContext,
    pointer_note,
    reported_level,
    shown,
    starting_texts,
    starting_texts_count,
)
from protocol_kit.report.paths import ProjectRoot, project_root
from protocol_kit.report.text import (
    in_file_order,
    library_groups,
    library_places_header,
    validate_lists_each,
)
from protocol_kit.untrusted.text import printable


def _github_escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _file_property(path: str) -> str:
    """A path as GitHub reads `file=`: a line break or carriage return in it escaped as GitHub
    unescapes it (`%0A`, `%0D`), so that the annotation is placed on the file that has it
    (`printable` writes them `\\n`, a name no file has); any other character that is not
    printable still written by `printable`, as GitHub has no escape for it (H1475)."""
    return printable(_github_escape(path, True))


def library_note(finding: Finding, root: ProjectRoot) -> str:
    """` (library/x.json:LINE:COLUMN)` after an annotation about a library exercise's text at
    a protocol: where to make the change, from the repository's root as annotations' files
    are (the message names the file from the working folder, and no line)."""
    place = finding.in_library
    if place is None or place.line is None:
        return ""
    return f" ({printable(root.shown(place.path))}:{place.line}:{place.column or 1})"


def github_report(report: RunReport, context: ReportContext) -> str:
    """One `::error` or `::warning` workflow command per finding."""
    return "".join(github_stream(report.reported(), report.tally(), context))


# How many annotations of each kind (error, warning) GitHub shows of a step; the others are
# dropped without a word (GitHub community discussions 26680 and 68471; reviewdog's
# GitHubActionLogWriter keeps the same count).
ANNOTATIONS_SHOWN = 10


def github_stream(
    files: Iterable[FileReport], tally: RunTally, context: ReportContext
) -> Iterator[str]:
    """The annotations (`_annotations`), then, when GitHub would drop some, a notice saying
    how many of each kind it does not show and where they all are (H1156)."""
    written = {"error": 0, "warning": 0}
    for line in _annotations(files, tally, context):
        command = line[2:].partition(" ")[0]  # "::error file=...::..."
        if command in written:
            written[command] += 1
        yield line
    dropped = [
        f"{count - ANNOTATIONS_SHOWN} of the {count} {kind} annotations"
        for kind, count in written.items()
        if count > ANNOTATIONS_SHOWN
    ]
    if dropped:
        message = (
            f"GitHub shows only the first {ANNOTATIONS_SHOWN} error and {ANNOTATIONS_SHOWN} "
            f"warning annotations of a step, and not {' and '.join(dropped)} of this run: the "
            "step's log lists every one, and protokit validate lists them in a checkout."
        )
        yield f"::notice title=protokit::{_github_escape(message)}\n"


def _annotations(
    files: Iterable[FileReport], tally: RunTally, context: ReportContext
) -> Iterator[str]:
    """The annotations, each file's as it comes, then the paths that could not be checked.

    A file's starting texts (GOV009, 11 to 24 in a new protocol) are one annotation at the
    first, naming each line, and so is one problem at several places of a library exercise
    (a new exercise's 11 `TODO`s), naming each place in that file: GitHub shows 10 warning
    and 10 error annotations of a step, so they hid every other problem of the run from the
    pull request (as the text report says each once)."""
    root = project_root()
    for file in files:
        starting = starting_texts(file.findings)
        folded = {id(f) for f in starting}
        keys, groups = library_groups(file.findings)
        done: set[tuple] = set()
        for finding in file.findings:
            key = keys.get(id(finding))
            if id(finding) in folded:
                if finding is starting[0]:
                    yield _annotation(_starting_texts(starting), tally, root, "")
            elif key is not None and len(groups[key]) > 1:
                if key not in done:
                    done.add(key)
                    yield _library_places(groups[key], tally, root)
            else:
                yield _annotation(shown(finding), tally, root, library_note(finding, root))
    for failure in tally.path_errors:
        if failure.line is not None:  # a setting of the configuration: annotated at its line
            yield _annotation(failure, tally, root, "")
            continue
        message = printable(f"{failure.path}: {failure.message}")
        yield f"::error title={failure.code}::{_github_escape(message)}\n"


def _annotation(finding: Finding, tally: RunTally, root: ProjectRoot, library: str) -> str:
    path = finding.path if finding.path == "-" else root.shown(finding.path)
    props = [f"file={_file_property(path)}"]
    if finding.line is not None:
        props += [f"line={finding.line}", f"col={finding.column or 1}"]
    command, note = reported_level(finding, tally.warnings_as_errors)
    props.append(f"title={_github_escape(finding.code + note, True)}")
    message = _github_escape(finding.message + pointer_note(finding) + library)
    return f"::{command} {','.join(props)}::{message}\n"


def _starting_texts(found: list[Finding]) -> Finding:
    """A file's starting texts as one finding at the first: how many, each one's line, and
    what to do (`protokit validate` lists the texts, as `build` says)."""
    first = found[0]
    lines = ", ".join(str(f.line) for f in found if f.line is not None)
    said = (
        f"{starting_texts_count(len(found))} (lines {lines}): {validate_lists_each(first.path)}; "
        "change them to fit this programme, or keep them (a sign_off records the review)"
    )
    return shown(replace(first, message=said, pointer="", quoted_value=None))


def _library_places(group: list, tally: RunTally, root: ProjectRoot) -> str:
    """One problem at several places of a library exercise as one annotation at the
    protocol's reference to it, each place in the library file after the words."""
    first = group[0][0]
    places = ", ".join(
        f"{printable(root.shown(place.path))}:{place.line}:{place.column or 1}"
        if place.line is not None
        else f"at {printable(place.pointer)}"
        for place, _ in in_file_order(group)
    )
    said = replace(first, message=library_places_header(group), quoted_value=None)
    return _annotation(shown(said), tally, root, f" ({places})")
