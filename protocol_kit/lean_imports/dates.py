"""The `datetime` module's types without the `datetime` module (issue 17).

CPython's `datetime.py` defines every class in Python (about 100 kB of bytecode to read and
seven classes to build) and then replaces them all with the compiled `_datetime`'s, which is
what any `datetime.date` is: about 5.8 million instructions, 2 % of a one-file `protokit
validate`, for classes it throws away. `dt` here is `_datetime` itself where the interpreter
has it (the same `date`, `datetime`, `timedelta`, `timezone` objects, so `isinstance`,
comparison and pickling are unchanged), else the `datetime` module. Used as `import datetime
as dt` was: `from protocol_kit.lean_imports.dates import dt`.
"""

from __future__ import annotations

try:
    import _datetime as dt
except ImportError:  # pragma: no cover (an interpreter without the compiled module)
    import datetime as dt

__all__ = ["dt"]
