"""The decoded JSON of protocol-kit's data files, kept between runs (issue 17).

A one-file `protokit validate` decodes about 135 kB of shipped JSON (the red-flag sets alone
76 kB) before it checks anything, every run, although the files change only with an install.
`read_json` keeps each file's decoded value in the user's cache folder (one `cache.store`
file per installation, checked by CRC-32 and labelled with the interpreter), as marshal's
bytes of that value, and hands a later run the value unmarshalled: the same dictionaries,
lists, strings and numbers as `json.loads` makes, in the same order, and a fresh copy at
every call (a caller may change what it is given).

An entry is used only while its file is exactly as it was stat'ed when it was decoded: the
same path, size, inode, modification time and change time (the change time moves with every
write and no program can set it back, so a file edited and given its old modification time
is still read again). A damaged, truncated or foreign cache file, or an entry of the wrong
shape, is not used: the file is decoded as without a cache and the cache written again whole.
"""

from __future__ import annotations

import atexit
import json
import marshal
import os
import sys

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

# The layout of the cache file's value: {path: ((size, inode, mtime_ns, ctime_ns), bytes)}.
_FORMAT = 1
# Entries kept at most: far more than one installation's data files (about 20 are read).
LIMIT = 200

Stamp = tuple[int, int, int, int]


class _Kept:
    def __init__(self) -> None:
        self.entries: dict[str, tuple[Stamp, bytes]] | None = None  # read on first use
        self.used: set[str] = set()
        self.added = False
        self.pid = os.getpid()

    def load(self) -> dict[str, tuple[Stamp, bytes]]:
        if self.entries is None:
            self.entries = read()
        return self.entries


_KEPT = _Kept()


# The installation whose data files this process reads: the folder that holds protocol_kit.
_INSTALLATION = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cache_name(installation: str = _INSTALLATION) -> str:
    """The cache file of one installation's data files. One file for every installation that
    shares the cache folder (each virtual environment, each checkout) held them all, and a
    one-file `protokit validate` read and checked every installation's entries to use its own:
    1.4 MB, about 7 million instructions (2.5 %) of its run, where its own are 0.2 MB
    (issue 17, twenty-first sitting). Named by the CRC-32 of the installation's folder: its
    entries are found by their full path anyway, so another installation's file is never
    read."""
    from zlib import crc32

    where = crc32(installation.encode("utf-8", "surrogatepass"))
    return f"package-data-{sys.implementation.cache_tag}-{_FORMAT}-{where:08x}.marshal"


def _label() -> str:
    # marshal's bytes and json's decoding are the interpreter's: another one starts afresh.
    return f"{_FORMAT} {' '.join(sys.version.split())} {sys.hexversion} json {json.__version__}"


def read() -> dict[str, tuple[Stamp, bytes]]:
    """The entries of the cache file; empty when it is missing, damaged or foreign."""
    from protocol_kit.cache import stored

    entries = stored(cache_name(), _label())
    return entries if isinstance(entries, dict) else {}


def write(entries: dict[str, tuple[Stamp, bytes]]) -> None:
    from protocol_kit.cache import store

    store(cache_name(), _label(), entries)


def stamp(path: str) -> Stamp | None:
    """What tells one state of the file at `path` from another; None when it cannot be read."""
    try:
        return state_of(os.stat(path))
    except (OSError, ValueError):
        return None


def state_of(status: os.stat_result) -> Stamp:
    """What tells one state of a file from another: its size and modification time alone miss
    an edit of the same size within one tick of the file system's clock, or a copy that kept
    the modification time; the change time moves on every write and cannot be set back, and a
    file an editor replaced has another inode."""
    return (status.st_size, status.st_ino, status.st_mtime_ns, status.st_ctime_ns)


def read_json_file(path: str) -> Any:
    """`json.loads` of the UTF-8 file at `path`, from the cache while the file is unchanged."""
    now = stamp(path)
    if now is not None:
        entry = _KEPT.load().get(path)
        if type(entry) is tuple and len(entry) == 2 and entry[0] == now:
            try:
                value = marshal.loads(entry[1])
            except Exception:  # noqa: BLE001 (a damaged entry: decoded again below)
                pass
            else:
                _KEPT.used.add(path)
                return value
    with open(path, encoding="utf-8") as handle:
        value = json.loads(handle.read())
    # Kept only when the file was not changed while it was read (stamped before and after).
    if now is not None and stamp(path) == now:
        _remember(path, now, value)
    return value


def _remember(path: str, now: Stamp, value: Any) -> None:
    try:
        payload = marshal.dumps(value)
    except ValueError:  # pragma: no cover (json's values are marshal's)
        return
    _KEPT.load()[path] = (now, payload)
    _KEPT.used.add(path)
    if not _KEPT.added:
        _KEPT.added = True
        atexit.register(_save)


def _save() -> None:
    if os.getpid() != _KEPT.pid or _KEPT.entries is None:
        return  # a forked worker: the parent writes what it decoded
    entries = _KEPT.entries
    if len(entries) > LIMIT:
        entries = {path: entries[path] for path in _KEPT.used if path in entries}
    try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
        write(entries)
    except Exception:  # noqa: BLE001, S110 (nothing may reach the user from the cache)
        pass
