"""Signal handling without the `signal` module's enums (issue 17).

`signal` is the interpreter's C module `_signal` with three enums (`Signals`, `Handlers`,
`Sigmasks`) built over it when it is imported: about half a millisecond of a one-file
`protokit validate` (a twentieth of `python -c pass`), for names nothing here shows. `_signal`
holds the same functions and the same numbers, as plain ints: `signal.signal` only turns
enums into ints on the way in and the previous handler into an enum on the way out, and an
int handler given back to it (the previous one, restored) means the same. An interpreter
without `_signal` gets `signal` itself.
"""

from __future__ import annotations

try:
    import _signal as signals
except ImportError:  # pragma: no cover (another interpreter)
    import signal as signals

__all__ = ["signals"]
