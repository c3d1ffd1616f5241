"""`json`, its own patterns made from their code in protokit's pattern cache.

json's scanner, decoder and encoder compile six patterns when they are imported, each by
`re`'s compiler, which is written in Python: about 1.5 million instructions (0.5 %) of a
one-file `protokit validate` (issue 17), at every start, for patterns that never change.

So while json is imported, `re` in `sys.modules` is a stand-in holding every name of the real
`re` but `compile`, which is `patterns.compiled_as_is`: `re.compile`'s own pattern (an
`re.Pattern`, the same flags and engine code), its code from the user's pattern cache. json's
modules keep the stand-in as their `re`; it answers every question as `re` does. The real
`re` is put back in `sys.modules` as soon as the import is over; the cache file, and the
modules that read it, are read before the stand-in is put in place (any module imported while
it is there gets it as its `re`). When json is imported
already (by the caller's own code), it is used as it is.
"""

from __future__ import annotations

import sys
from types import ModuleType

from protocol_kit.lean_imports import import_module


def json_module() -> ModuleType:
    """The `json` module, imported with its patterns' code from the cache if it is not
    imported yet."""
    found = sys.modules.get("json")
    if found is not None:
        return found
    import re

    from protocol_kit.patterns import compiled_as_is, load

    # Read first: a module imported while the stand-in is in place gets it as its `re`, and
    # the cache's own modules (pathlib and urllib.parse behind it) call `re.compile` then.
    load()
    stand_in = ModuleType("re")
    vars(stand_in).update(vars(re), compile=compiled_as_is)
    sys.modules["re"] = stand_in
    try:
        return import_module("json")
    finally:
        if sys.modules.get("re") is stand_in:
            sys.modules["re"] = re
