"""Which documents passed their schema, kept between runs (issue 17).

The fast schema engine (jsonschema-rs) was the largest single cost of validating one valid
file left: loading its 15 MB compiled module, building the registry of every schema and the
protocol's and the library exercise's validators, about a seventh of a one-file
`protokit validate`'s instructions and more of its time (the module's pages read from disk
are not counted as instructions). A document's verdict depends only on the document itself,
the schemas, the engine and how it is asked (`validation._fast_validator`), so the documents
that passed are kept in the user's cache folder (`cache.kept_answers`), and a run whose
documents all passed before neither imports the engine nor parses the schemas.

- The key is the kind's `$schema` and a digest of the document's value as `marshal` writes it:
  marshal keeps every type apart (1, 1.0 and True; a text and a number; a list and a tuple)
  and is read back to the same value, so two documents with one key are one value. A value
  marshal cannot write (a subclass of `str`, a structure too deep) gets no key: the engine
  answers. The key is worked out from the value, not from the file's text, so that how the
  file was read plays no part.
- The label names the interpreter, protokit's version, the engine's version and its
  installed files' sizes and times, the content of every schema file and the source of the
  modules that ask the engine (`CODE`): a change to any of them starts afresh.
- Only "passed" is kept. A document that fails is always checked by the engine, which its
  messages need anyway.
- Once this process has built the engine (a document not seen before), the engine answers
  every later question: it answers in less time than a key takes to work out. The documents
  it passes are still kept, for the first `MOST_ASKED` documents of a process only, so that
  one run over a file and its library folder keeps them all, and a run over thousands of
  files spends no time on the keys of the rest.
- A damaged or unwritable cache file is not used (`cache.stored_at`, `cache.Recent`): the
  engine answers, as before.
"""

from __future__ import annotations

import functools
import marshal
import os
from stat import S_ISREG

from protocol_kit.digests import blake2b
from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

_TITLE = "schema verdicts"
_FORMAT = 1
# The modules of protocol_kit whose code decides a verdict, relative to the package's folder:
# how the engine is imported and asked, how the schemas are found and read, and this one.
CODE = (
    "validation/__init__.py",
    "schemas.py",
    "validation/schema_verdicts.py",
    "validation/known_parts.py",
    "lean_imports/__init__.py",
    "lean_imports/jsonschema_engine.py",
)
_PASSED = True
MOST_ASKED = 64  # documents a process works out keys for
_asked = [0]
# Whether a kept "passed" answered a question since the last `distrust`, and whether the kept
# verdicts are no longer believed in this process (H585).
_used = [False]
_distrusted = [False]


def asking() -> bool:
    """Whether this process still works out keys (fewer than `MOST_ASKED` so far)."""
    return _asked[0] < MOST_ASKED


def key(uri: str, data: Any) -> tuple[str, bytes] | None:
    """The key of `data`'s verdict against the schema `uri`; None when it has none."""
    _asked[0] += 1
    try:
        written = marshal.dumps(data)
    except (ValueError, TypeError):  # not plain data, or nested too deep for marshal
        return None
    return uri, blake2b(written, digest_size=32).digest()


def passed(found: tuple[str, bytes]) -> bool:
    """Whether the document of key `found` passed its schema in an earlier run."""
    if _distrusted[0] or _kept().get(found) is not _PASSED:
        return False
    _used[0] = True
    return True


def distrust() -> bool:
    """After a check failed in a way a schema-valid document cannot make it fail: whether a
    kept verdict had let a document through since the last call, in which case the kept
    verdicts are believed no more in this process and their file is deleted, so that the
    document is checked again by the engine (H585). A verdict the user's own account wrote
    (a cache restored from another build, a file edited by hand) can say "passed" for a
    document that fails: the checks after the schema then met a value of a type they never
    expect, and the run ended in "internal error". False when no kept verdict was used: the
    failure is not the cache's."""
    if not _used[0]:
        return False
    _used[0], _distrusted[0] = False, True
    kept = _kept()
    path = getattr(kept, "path", None)
    if path is not None:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(path)
    return True


def remember(found: tuple[str, bytes]) -> None:
    """Keep that the document of key `found` passed its schema (written at exit)."""
    if _distrusted[0]:
        return  # nothing is kept beside verdicts that proved wrong
    _kept().add(found, _PASSED)


def _package() -> str:
    """protocol_kit's folder (this module is in its `validation` package)."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _files() -> list[str] | None:
    """`CODE` and every schema file (each `*.schema.json` of the schemas' folder, as
    `schemas.all_schemas` reads them), relative to the package's folder; None when the
    schemas cannot be found."""
    from protocol_kit.errors import InputError
    from protocol_kit.schemas import schema_dir

    try:
        folder = str(schema_dir())
        names = sorted(name for name in os.listdir(folder) if name.endswith(".schema.json"))
    except (InputError, OSError):
        return None
    schemas = os.path.relpath(folder, _package()).replace(os.sep, "/")
    return [*CODE, *(f"{schemas}/{name}" for name in names)]


def engine() -> str | None:
    """protokit's version, the engine's (from its `.dist-info` folder's name) and its
    installed files' sizes and modification times, found without importing it; None when it
    cannot be found or its version cannot be told."""
    from protocol_kit import __version__
    from protocol_kit.lean_imports import installed_spec

    try:
        spec = installed_spec("jsonschema_rs")
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = spec.submodule_search_locations[0]
        files = []
        for name in sorted(os.listdir(folder)):
            stat = os.stat(os.path.join(folder, name))
            if S_ISREG(stat.st_mode):  # not __pycache__, whose time changes with bytecode
                files.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        versions = [
            name
            for name in os.listdir(os.path.dirname(folder))
            if name.lower().startswith("jsonschema_rs-") and name.endswith(".dist-info")
        ]
    except Exception:  # noqa: BLE001 (any surprise: nothing is kept)
        return None
    if len(versions) != 1:  # none, or several installed over one another: cannot be told
        return None
    return f"{__version__} {versions[0]} {' '.join(files)}"


@functools.cache
def _kept() -> Any:
    """The verdicts kept between runs, in a file labelled with everything they depend on."""
    from protocol_kit.cache import ThisRunOnly, kept_answers

    files, version = _files(), engine()
    if files is None or version is None:
        return ThisRunOnly()
    return kept_answers(_TITLE, _FORMAT, _package(), files, most=512, extra=version)
