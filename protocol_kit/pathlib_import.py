"""`pathlib`, imported without `urllib.parse` (and `ipaddress` behind it).

pathlib imports `urllib.parse` when it is imported, for one function:
`quote_from_bytes`, which only `PurePath.as_uri` calls. `urllib.parse` imports `ipaddress`;
the two are about 2 ms of the 12 ms of `python -c pass` on every `protokit validate`, for a
function validate never calls.

So while pathlib is imported, `urllib.parse` in `sys.modules` is a stand-in whose
`quote_from_bytes` imports the real `urllib.parse` the first time it is called and hands it
its arguments (so `as_uri` gives what it always gave); any other name asked of the stand-in
also comes from the real module (imported then). The stand-in is taken out of `sys.modules`
as soon as the import is over: a later `import urllib.parse` anywhere imports the real
module. The same way as `protocol_kit.fast_engine` imports jsonschema-rs without the email
package.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any


def pathlib() -> ModuleType:
    """The `pathlib` module, imported without `urllib.parse` if it is not imported yet."""
    found = sys.modules.get("pathlib")
    if found is not None:
        return found
    if "urllib.parse" in sys.modules:  # imported already: nothing to save
        import pathlib as module

        return module
    stand_in = ModuleType("urllib.parse", "stand-in while pathlib is imported")
    stand_in.quote_from_bytes = quote_from_bytes  # type: ignore[attr-defined]
    stand_in.__getattr__ = _asked_of_stand_in  # type: ignore[attr-defined]  (PEP 562)
    sys.modules["urllib.parse"] = stand_in
    try:
        import pathlib as module
    finally:
        if sys.modules.get("urllib.parse") is stand_in:
            del sys.modules["urllib.parse"]
    return module


def quote_from_bytes(*args: Any, **kwargs: Any) -> str:
    """`urllib.parse.quote_from_bytes`, the real one, imported on the first call."""
    return _real_attribute("quote_from_bytes")(*args, **kwargs)


def _asked_of_stand_in(name: str) -> Any:
    """A name pathlib asks of the stand-in other than `quote_from_bytes`: the real module's.
    Not the import system's own questions (`__path__`: is it a package?), which the stand-in
    answers as a plain module does."""
    if name.startswith("__"):
        raise AttributeError(name)
    return _real_attribute(name)


def _real_attribute(name: str) -> Any:
    """`name` of the real `urllib.parse`, imported now in the stand-in's place."""
    if getattr(sys.modules.get("urllib.parse"), "quote_from_bytes", None) is quote_from_bytes:
        del sys.modules["urllib.parse"]  # asked while pathlib is being imported
    import urllib.parse as real

    return getattr(real, name)
