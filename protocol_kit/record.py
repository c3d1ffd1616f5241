"""Frozen record classes that cost nothing to create at import.

`@dataclass(frozen=True)` writes every method of every class as source text and compiles it
when its module is imported: about 1 ms a class in CPython 3.11 (`__init__`, `__repr__`,
`__eq__`, `__hash__`, `__setattr__`, `__delattr__`, each compiled on its own), 50 to 60 ms for
the protocol model alone, paid by every `protokit validate`. A `Record` subclass writes out
its `__slots__` and `__init__` (compiled once into the package's bytecode, like any code) and
inherits the rest, which behaves as a frozen dataclass's does:

- equal when of the same class with equal fields, except those named in `_not_compared`;
  hashed from the same fields;
- fields cannot be assigned or deleted (`dataclasses.FrozenInstanceError`), unless the class
  says `frozen=False` (`class FileReport(Record, frozen=False)`: then, as a dataclass that is
  not frozen, it can be changed and is not hashable);
- `repr` shows the fields, except those named in `_not_shown`;
- `dataclasses.replace`, `fields` and `asdict` work: `__dataclass_fields__` is made on first
  use, from the class's annotations (fields in the order of `__slots__`, which is the order of
  `__init__`'s parameters). This module's `replace` does the same without importing
  dataclasses (and with it inspect, ast, dis and tokenize: about 11 ms of CPU).

    class Point(Record):
        __slots__ = ("x", "y")
        x: float
        y: float

        def __init__(self, x: float, y: float = 0.0) -> None:
            init(self, "x", x)
            init(self, "y", y)
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    import dataclasses
    from typing import Any, ClassVar, TypeVar

# Sets a field in `__init__` (and when unpickling): the record's own __setattr__ refuses.
init = object.__setattr__


class _DataclassFields:
    """`__dataclass_fields__`, made on first use (dataclasses.replace, fields, asdict) from a
    twin dataclass that has the record's fields and no generated methods (nothing to compile)."""

    def __get__(self, instance: object, owner: type[Record]) -> dict[str, dataclasses.Field]:
        import dataclasses

        namespace: dict[str, Any] = {
            "__module__": owner.__module__,
            "__qualname__": owner.__qualname__,
            "__doc__": owner.__doc__ or owner.__name__,
            "__annotations__": {name: owner._annotation(name) for name in owner.__slots__},
        }
        for name in owner.__slots__:
            namespace[name] = dataclasses.field(
                compare=name not in owner._not_compared, repr=name not in owner._not_shown
            )
        twin = dataclasses.dataclass(init=False, repr=False, eq=False)(
            type(owner.__name__, (), namespace)
        )
        fields = twin.__dataclass_fields__
        if owner is not Record:
            # Once per class. Never on Record itself: `dataclasses.is_dataclass(Record)` set its
            # empty fields in place of this descriptor, and every record not yet asked inherited
            # them (`asdict` gave {}, `replace` called __init__ without its arguments).
            type.__setattr__(owner, "__dataclass_fields__", fields)
        return fields


class Record:
    """A frozen record; see the module's documentation."""

    __slots__ = ()
    _not_compared: ClassVar[tuple[str, ...]] = ()  # left out of ==, hash
    _not_shown: ClassVar[tuple[str, ...]] = ()  # left out of repr
    _key: ClassVar[Callable[[Any], tuple]]  # the compared fields' values, as a tuple
    __dataclass_fields__ = _DataclassFields()

    def __init_subclass__(cls, frozen: bool = True, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if Record not in cls.__bases__:
            raise TypeError(f"{cls.__name__}: a record derives from Record directly")
        compared = tuple(name for name in cls.__slots__ if name not in cls._not_compared)
        if len(compared) == 1:
            one = attrgetter(compared[0])
            cls._key = staticmethod(lambda record: (one(record),))
        elif compared:
            cls._key = attrgetter(*compared)
        else:
            cls._key = staticmethod(lambda record: ())
        cls.__match_args__ = cls.__slots__
        if not frozen:
            cls.__setattr__ = object.__setattr__  # type: ignore[method-assign]
            cls.__delattr__ = object.__delattr__  # type: ignore[method-assign]
            cls.__hash__ = None  # type: ignore[assignment]  (as a dataclass that is not frozen)

    @classmethod
    def _annotation(cls, name: str) -> object:
        return cls.__dict__.get("__annotations__", {}).get(name, "object")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            key = self._key
            return key(self) == key(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key(self))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in self.__slots__
            if name not in self._not_shown
        )
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> list:
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state: list) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            init(self, name, value)


if TYPE_CHECKING:
    R = TypeVar("R", bound=Record)


def replace(record: R, **changes: Any) -> R:
    """A copy of `record` with `changes`, as `dataclasses.replace` makes it (an unknown name is
    a TypeError from `__init__`)."""
    values = {name: getattr(record, name) for name in record.__slots__}
    values.update(changes)
    return type(record)(**values)
