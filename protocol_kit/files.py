"""Writing results safely: a file appears whole or not at all.

Every output (reports, new protocol files, PDFs, bundles) goes through `write_atomic`: the
content is written to a temporary file in the same folder, flushed to disk, and renamed over the
target, so a crash or a full disk never leaves a half-written file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from protocol_kit.errors import OutputError


def write_atomic(
    path: str | os.PathLike[str],
    content: bytes | str,
    *,
    overwrite: bool = True,
    private: bool = False,
) -> Path:
    """Write `content` to `path` atomically; text is encoded as UTF-8. A `private` file (a
    secret key) is readable by its owner only.

    Raises OutputError when the folder is missing or not writable, or when the file exists and
    `overwrite` is false.
    """
    target = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if not overwrite and target.exists():
        raise OutputError(f"{target}: already exists (use --force to replace it)")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
    try:
        # mkstemp makes the file private (0600); a sheet or a report gets the permissions any
        # new file would get, or keeps those of the file it replaces.
        os.chmod(temporary, 0o600 if private else _mode_for(target))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if not overwrite and target.exists():
            raise OutputError(f"{target}: already exists (use --force to replace it)")
        os.replace(temporary, target)
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # The only way to read the umask is to set it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
