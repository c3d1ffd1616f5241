"""Modules imported without what they import for something protokit never uses (issue 17).

Two modules every `protokit validate` needs import, when they are imported, a large module
for one small thing: jsonschema-rs imports `email.utils` to read its own build date
(`jsonschema_engine`), pathlib imports `urllib.parse` for `PurePath.as_uri`
(`pathlib_module`). While such a module is imported, `import_with_stand_in` puts a stand-in
in `sys.modules` under the large module's name: it holds the few names the import reads, and
any other name asked of it comes from the real module (imported then). The stand-in is taken
out of `sys.modules` as soon as the import is over, so a later import anywhere gets the real
module. json is imported with its own patterns' code from the pattern cache
(`json_module`): there the stand-in is for `re`, which is always imported already.
"""

from __future__ import annotations

import sys
from types import ModuleType

# `typing.TYPE_CHECKING`, without importing `typing`: about 13 million instructions, 4 % of a
# one-file `protokit validate` (issue 17), for names that only annotations use (every module
# has `from __future__ import annotations`). The modules `validate` imports import their
# typing names in `if TYPE_CHECKING:` with this one; type checkers take any name
# `TYPE_CHECKING` as true. tests/test_startup.py checks that `typing` stays out.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any


def import_with_stand_in(name: str, stand_in_for: str, names: dict[str, Any]) -> ModuleType:
    """Module `name`, imported while `stand_in_for` is a stand-in holding `names` (if neither
    is imported yet; else the plain import)."""
    return import_with_stand_ins(name, {stand_in_for: names})


def import_with_stand_ins(name: str, stand_ins: dict[str, dict[str, Any]]) -> ModuleType:
    """Module `name`, imported while each module of `stand_ins` that is not imported yet is a
    stand-in holding its names (the plain import if `name` is imported already)."""
    found = sys.modules.get(name)
    if found is not None:
        return found
    placed = {}
    for stand_in_for, names in stand_ins.items():
        if stand_in_for in sys.modules:  # imported already: nothing to save
            continue
        stand_in = ModuleType(stand_in_for, f"stand-in while {name} is imported")
        vars(stand_in).update(names, _protokit_stand_in=True)
        stand_in.__getattr__ = _asking(stand_in_for)  # type: ignore[attr-defined]
        placed[stand_in_for] = sys.modules[stand_in_for] = stand_in
    try:
        return import_module(name)
    finally:
        for stand_in_for, stand_in in placed.items():
            if sys.modules.get(stand_in_for) is stand_in:
                del sys.modules[stand_in_for]


def installed_spec(name: str) -> Any:
    """`importlib.util.find_spec(name)` for a top-level module (its spec, or None where it
    is not installed or has none), without importing `importlib.util`: the console script
    `protokit` imported it (and `importlib._abc` behind it) only for this, to name cache
    files by installed versions (`cache.package_version`, `schema_verdicts.engine`): about
    4.8 million instructions of a one-file `protokit validate` (issue 17; `python -m` has
    it from runpy). The same search: the module's own spec if it is imported, else each
    finder of `sys.meta_path` in turn (`importlib.util.find_spec` calls this one)."""
    found = sys.modules.get(name)
    if found is not None:
        return getattr(found, "__spec__", None)
    from _frozen_importlib import _find_spec  # importlib._bootstrap, always imported

    return _find_spec(name, None)


def import_module(name: str) -> ModuleType:
    """`importlib.import_module(name)` of an absolute name, without importing the `importlib`
    package: its `__init__` imports `warnings`, about 2 million instructions of a one-file
    `protokit validate` run by the console script (issue 17; `python -m` has both from
    runpy). The module as `sys.modules` holds it once imported, as `import_module` gives."""
    __import__(name)
    return sys.modules[name]


def _asking(stand_in_for: str) -> Any:
    def asked(attribute: str) -> Any:  # PEP 562: a name the stand-in does not hold
        # Not the import system's own questions (`__path__`: is it a package?), which the
        # stand-in answers as a plain module does.
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return real_attribute(stand_in_for, attribute)

    return asked


def real_attribute(module: str, attribute: str) -> Any:
    """`attribute` of the real `module`, imported now if a stand-in holds its place (asked
    while the other module is being imported)."""
    found = sys.modules.get(module)
    if found is not None and vars(found).get("_protokit_stand_in"):
        del sys.modules[module]
    return getattr(import_module(module), attribute)
