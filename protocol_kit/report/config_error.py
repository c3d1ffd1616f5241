"""A configuration error as the one finding of a report that it stopped (H1318): the reports
meant for CI (SARIF, JUnit, JSON, GitHub annotations) say it at its file, line and column,
as they say a path that could not be read."""

from __future__ import annotations

from protocol_kit.findings import Finding
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.untrusted.text import printable

if TYPE_CHECKING:
    from protocol_kit.errors import ConfigError

CONFIG_ERROR = "CONFIG001"


def configuration_finding(error: ConfigError, given: str | None = None) -> Finding:
    """The finding of a configuration error, at the file, line and column it carries (read
    from the error, never back out of its message: a path holding ": " or a line break, or
    not ending in .toml, was placed at the wrong file, H1368, H1400); an error that names no
    file (a git revision GOV004 cannot find) is placed at the configuration file given with
    --config, else at the one in use."""
    # A key or value quoted from the file may hold terminal escapes or a direction override,
    # and a path a line break: shown as every report shows untrusted text (an annotation
    # printed them raw).
    if error.path is not None:
        return Finding(
            printable(error.path),
            CONFIG_ERROR,
            printable(error.said),
            line=error.line,
            column=error.column,
        )
    return Finding(given or _configuration_file(), CONFIG_ERROR, printable(str(error)))


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
