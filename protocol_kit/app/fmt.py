"""`protokit fmt` as functions: files in, what was (or would be) reformatted out.

No click, no printing: the command line reports the outcomes.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass

from protocol_kit.app.check import expand_paths
from protocol_kit.errors import InputError, OutputError
from protocol_kit.files import seen_now, write_atomic
from protocol_kit.formatting import canonical_text, migrated_text
from protocol_kit.loading import STDIN_NAME, JsonProblem, Limits, decode, read_bytes
from protocol_kit.schemas import KIND_BY_URI
from protocol_kit.untrusted.text import printable

UNCHANGED, REFORMATTED, WOULD_REFORMAT, FAILED, SKIPPED = (
    "unchanged",
    "reformatted",
    "would reformat",
    "failed",
    "skipped",
)


@dataclass(frozen=True)
class FormatOutcome:
    """What happened to one file: its `state`, the problem when it failed or was skipped, the
    canonical text (for standard input and `--diff`) and the text it had."""

    path: str
    state: str
    problem: str = ""
    original: str = ""
    formatted: str = ""
    # What `--migrate` rewrote (or would rewrite), in words.
    changes: tuple[str, ...] = ()

    def diff(self) -> str:
        """A unified diff from the file as it is to the canonical layout, each line of it one
        line of visible text (H228): the file's own text may hold what JSON lets a string hold
        raw (a direction override, a C1 control, U+2028) and its name a line break, which
        printed as they are reorder, recolour or forge the diff's lines on a terminal."""
        lines = difflib.unified_diff(
            _lines(self.original),
            _lines(self.formatted),
            fromfile=self.path,
            tofile=f"{self.path} (formatted)",
        )
        return "".join(printable(line.removesuffix("\n")) + "\n" for line in lines)


def _lines(text: str) -> list[str]:
    """The lines of `text` as JSON ends them, at line feeds only (`splitlines` also breaks at
    U+2028, U+0085 and the separators U+001C to U+001E, which a string may hold raw)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def is_protocol_kit_file(text: str) -> bool:
    """Whether the text names a protocol-kit schema in `$schema` (cheaply: a folder may hold
    other JSON files, such as a package.json, which `fmt` leaves alone)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # (a file nested thousands of levels deep: H210)
        return True  # let the strict reading say what is wrong with it
    return isinstance(data, dict) and data.get("$schema") in KIND_BY_URI


def format_file(
    path: str,
    check: bool = False,
    limits: Limits = Limits(),
    named: bool = True,
    migrate: bool = False,
) -> FormatOutcome:
    """Format one file in place (atomically), or only say whether it would change (`check`).
    Standard input (`-`) is never written: its canonical text is in the outcome. A file found
    in a folder (`named` false) that is not a protocol-kit file is skipped. `migrate` also
    rewrites retired fields (`protocol_kit.formatting.migration`)."""
    changes: tuple[str, ...] = ()
    # The file as it was before it was read: one saved meanwhile (an editor, the workbench) is
    # not replaced by the formatting of what it held before (H868).
    seen = None if check or path == STDIN_NAME else seen_now(os.path.realpath(path))
    try:
        raw = read_bytes(path, limits)
        text = decode(raw)
        if not named and not is_protocol_kit_file(text):
            return FormatOutcome(path, SKIPPED, "not a protocol-kit file")
        if migrate:
            formatted, changes = migrated_text(text, limits)
        else:
            formatted = canonical_text(text, limits)
    except JsonProblem as problem:
        return FormatOutcome(path, FAILED, problem.at(path))
    except InputError as error:
        return FormatOutcome(path, FAILED, str(error))
    # Compared with the bytes, so that a byte-order mark or CRLF line ends count as a change.
    if formatted.encode("utf-8") == raw:
        return FormatOutcome(path, UNCHANGED, original=text, formatted=formatted)
    if check or path == STDIN_NAME:
        return FormatOutcome(path, WOULD_REFORMAT, "", text, formatted, changes)
    try:
        # Through a symbolic link to the file it names: replacing the link by a reformatted
        # copy left the file itself as it was, and the two silently apart.
        # (compared by the bytes read too, H1613)
        write_atomic(os.path.realpath(path), formatted, seen=seen and seen.holding(raw))
    except OutputError as error:
        return FormatOutcome(path, FAILED, str(error), text, formatted)
    return FormatOutcome(path, REFORMATTED, "", text, formatted, changes)


def format_paths(
    paths: Sequence[str],
    check: bool = False,
    limits: Limits = Limits(),
    exclude=(),  # noqa: ANN001
    migrate: bool = False,
) -> list[FormatOutcome]:
    """Every file named, and the protocol-kit files in every folder named."""
    named = set(paths)
    failures: list = []
    # A folder without any .json file is a failure, as for `validate`: `fmt --check` of a
    # mistyped or emptied folder passed CI having looked at nothing (H290).
    files = expand_paths(paths, exclude, empty_ok=False, path_errors=failures)
    outcomes = [FormatOutcome(f.path, FAILED, f"{f.path}: {f.message}") for f in failures]
    for path in files:
        outcomes.append(format_file(path, check, limits, named=path in named, migrate=migrate))
    return outcomes
