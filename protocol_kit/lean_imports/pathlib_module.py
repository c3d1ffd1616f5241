"""`pathlib`, imported without `urllib.parse` (and `ipaddress` behind it) or `ntpath`.

pathlib imports `urllib.parse` when it is imported, for one function:
`quote_from_bytes`, which only `PurePath.as_uri` calls. `urllib.parse` imports `ipaddress`;
the two are about 2 ms of the 12 ms of `python -c pass` on every `protokit validate`, for a
function validate never calls.

So while pathlib is imported, `urllib.parse` in `sys.modules` is a stand-in whose
`quote_from_bytes` imports the real `urllib.parse` the first time it is called and hands it
its arguments (so `as_uri` gives what it always gave); any other name asked of the stand-in
also comes from the real module (imported then). The stand-in is taken out of `sys.modules`
as soon as the import is over: a later `import urllib.parse` anywhere imports the real
module (`protocol_kit.lean_imports`).
"""

from __future__ import annotations

from types import ModuleType

from protocol_kit.lean_imports import TYPE_CHECKING, import_with_stand_ins, real_attribute

if TYPE_CHECKING:
    from typing import Any


def pathlib() -> ModuleType:
    """The `pathlib` module, imported without `urllib.parse` if it is not imported yet."""
    return import_with_stand_ins(
        "pathlib",
        {
            "urllib.parse": {"quote_from_bytes": quote_from_bytes},
            # Windows' path rules, for `PureWindowsPath` alone: elsewhere `ntpath`'s import
            # tries five Windows-only modules, each looked for along the whole path (about
            # 2 million instructions of a one-file `protokit validate`; issue 17). Its names
            # come from the real `ntpath` when first asked for.
            "ntpath": {},
        },
    )


def quote_from_bytes(*args: Any, **kwargs: Any) -> str:
    """`urllib.parse.quote_from_bytes`, the real one, imported on the first call."""
    return real_attribute("urllib.parse", "quote_from_bytes")(*args, **kwargs)
