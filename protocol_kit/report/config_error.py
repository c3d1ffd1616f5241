"""A configuration error as the one finding of a report that it stopped (H1318): the reports
meant for CI (SARIF, JUnit, JSON, GitHub annotations) say it at its file, line and column,
as they say a path that could not be read."""

from __future__ import annotations

import re

from protocol_kit.findings import Finding
from protocol_kit.untrusted.text import printable

CONFIG_ERROR = "CONFIG001"

# "protokit.toml:7:8: [clinic] name: still says TODO ..." or "pyproject.toml: ...". The path
# may hold a colon not followed by a space (`C:\clinic\protokit.toml`, `--config a::b.toml`:
# such a file was said at no line, H1368), never ": ", which ends it.
_PLACED = re.compile(
    r"(?P<path>(?:[^\n:]|:(?! ))+?\.toml)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<said>.+)",
    re.S,
)


def configuration_finding(message: str, given: str | None = None) -> Finding:
    """The finding of a configuration error's message, at the file, line and column the
    message starts with; a message that names no file (a git revision GOV004 cannot find) is
    placed at the configuration file given with --config, else at the one in use."""
    # A key or value quoted from the file may hold terminal escapes or a direction override:
    # shown as every report shows untrusted text (an annotation printed them raw).
    message = printable(message)
    placed = _PLACED.fullmatch(message)
    if placed:
        line, column = placed["line"], placed["column"]
        return Finding(
            placed["path"],
            CONFIG_ERROR,
            placed["said"],
            line=int(line) if line else None,
            column=int(column) if column else None,
        )
    return Finding(given or _configuration_file(), CONFIG_ERROR, message)


def _configuration_file() -> str:
    from pathlib import Path

    from protocol_kit.config import CONFIG_FILE, find_config_file
    from protocol_kit.errors import ConfigError

    try:
        found = find_config_file()
    except ConfigError:
        found = None
    if found is None:
        return CONFIG_FILE
    path = found[0]
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
