"""Reading back the JSON files protokit writes for itself: the import record, an interrupted
import's journal, the build record, a protocol's text in git history.

protokit wrote them, but they live in folders anyone can change (a shared drive, a repository
that a colleague commits to, a restored backup): by the time they are read back they are files
from outside like any other. A bare `json.loads` would meet what the reader of protocols
refuses (nesting that exhausts the stack, integers of thousands of digits, duplicate keys that
silently drop a value, `NaN`), and a named pipe in their place would hang the command. So they
are read as every untrusted file is: a regular file only (`files.read_file`), within the limits
of `protocol_kit.loading`, and strictly parsed; and then each reader checks the type of every
field it uses (`StateProblem` says which is wrong), so that no later step meets a list where a
version should be.
"""

from __future__ import annotations

import os

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.patterns import compiled
from protocol_kit.untrusted.files import read_file

if TYPE_CHECKING:
    from typing import Any

# A record of thousands of imported files is a few megabytes; nothing protokit writes for
# itself nests deeper than a few levels.
STATE_BYTES = 64 * 1024 * 1024
STATE_DEPTH = 16


_LIMIT_ADVICE = compiled(r" \(raise it with --max-[a-z]+ if the file is genuine\)")


class StateProblem(ValueError):
    """Why a state file cannot be used, as words that complete "cannot be read (...)"."""


def parse_state(text: str | bytes) -> dict[str, Any]:
    """The JSON object in `text`; StateProblem for anything the strict reader refuses."""
    from protocol_kit.loading import JsonProblem, Limits, decode, parse

    limits = Limits(max_bytes=STATE_BYTES, max_depth=STATE_DEPTH, max_items=10**6)
    try:
        raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        return parse(decode(raw), limits).data
    except JsonProblem as problem:
        where = f"line {problem.line}, column {problem.column}: " if problem.line else ""
        # The reader's advice to raise a command-line limit is for protocols, not for these.
        message = without_limit_advice(problem.message)
        raise StateProblem(f"{where}{message}") from None


def without_limit_advice(message: str) -> str:
    """A reader's message without its advice to raise `--max-bytes` or `--max-depth`: for a
    file whose limits no option raises (a bundle's manifest or signature, a state file), the
    advice would send the user to an option that does not exist."""
    return _LIMIT_ADVICE.sub("", message)


def read_state(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON object in the state file at `path`. Raises FileNotFoundError when there is
    none, another OSError (with a `strerror`) when it is not a readable regular file, and
    StateProblem when it is not strict JSON within the limits."""
    return parse_state(read_file(path, STATE_BYTES))


def require(value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    """`value` when it is of `kind` (never a bool for int); StateProblem naming `what`."""
    if isinstance(value, kind) and not (isinstance(value, bool) and bool not in _kinds(kind)):
        return value
    raise StateProblem(f"{what} is not {_described(kind)}")


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


_NAMES = {str: "a text", int: "a whole number", bool: "true or false", list: "a list",
          dict: "an object", type(None): "null"}  # fmt: skip


def _described(kind: type | tuple[type, ...]) -> str:
    return " or ".join(_NAMES.get(k, k.__name__) for k in _kinds(kind))


def inside_name(name: Any) -> bool:
    """Whether `name` is a relative path inside a folder, "/" between its parts: no absolute
    path, no `..`, no empty part, no NUL or backslash."""
    if not isinstance(name, str) or not name or name.startswith("/"):
        return False
    parts = name.split("/")
    return (
        ".." not in parts
        and "" not in parts
        and "." not in parts
        and not any(c in name for c in "\x00\\")
    )
