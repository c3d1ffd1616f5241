"""Every `Record` subclass in the package (protocol_kit/record.py) behaves as the frozen
dataclass it replaced: each annotated field is a slot and is set by `__init__`, a default is
never one object shared by every instance, and copying, pickling (to and from worker
processes), `dataclasses.fields/asdict/replace`, equality, hashing and freezing keep every
field. A record whose `__init__` forgot a field (LibraryEntry's and LibrarySource's `digest`,
found only by a merge) fails here by name (H222)."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
import pkgutil

import pytest

import protocol_kit
from protocol_kit import record


def all_records() -> list[type[record.Record]]:
    for module in pkgutil.walk_packages(protocol_kit.__path__, "protocol_kit."):
        if not module.name.endswith("__main__"):  # runs the command line
            importlib.import_module(module.name)
    return sorted(record.Record.__subclasses__(), key=lambda cls: cls.__module__ + cls.__qualname__)


RECORDS = all_records()
ID = lambda cls: f"{cls.__module__}.{cls.__qualname__}"  # noqa: E731


def fields_of(cls: type[record.Record]) -> list[str]:
    annotations = cls.__dict__.get("__annotations__", {})
    return [name for name, kind in annotations.items() if not str(kind).startswith("ClassVar")]


def required_values(cls: type[record.Record]) -> dict[str, object]:
    """A distinct, comparable, picklable value for each parameter without a default."""
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return {p.name: f"{p.name}-value" for p in parameters if p.default is p.empty}


def made(cls: type[record.Record]) -> record.Record | None:
    try:
        return cls(**required_values(cls))
    except (TypeError, ValueError, AttributeError):  # an __init__ that reads its values
        return None


def test_the_package_has_records():
    assert len(RECORDS) > 50


@pytest.mark.parametrize("cls", RECORDS, ids=ID)
def test_every_annotated_field_is_a_slot_and_nothing_else_is(cls):
    slots = cls.__slots__
    assert isinstance(slots, tuple) and len(set(slots)) == len(slots)
    assert sorted(fields_of(cls)) == sorted(slots)


@pytest.mark.parametrize("cls", RECORDS, ids=ID)
def test_init_takes_and_sets_every_field(cls):
    parameters = list(inspect.signature(cls.__init__).parameters)[1:]
    # dataclasses.fields and replace read the fields in the order of the slots: __init__'s.
    assert [name for name in parameters if name in cls.__slots__] == list(cls.__slots__)
    instance = made(cls)
    if instance is None:
        pytest.skip(f"{cls.__qualname__} cannot be made from placeholder values")
    missing = [name for name in cls.__slots__ if not hasattr(instance, name)]
    assert not missing, f"{cls.__qualname__}.__init__ does not set {missing}"
    for name, value in required_values(cls).items():
        if name in cls.__slots__:
            assert getattr(instance, name) == value


@pytest.mark.parametrize("cls", RECORDS, ids=ID)
def test_defaults_are_never_shared_between_instances(cls):
    one, two = made(cls), made(cls)
    if one is None:
        pytest.skip(f"{cls.__qualname__} cannot be made from placeholder values")
    for name in cls.__slots__:
        value = getattr(one, name)
        if isinstance(value, (dict, list, set, bytearray)):
            # field(default_factory=...) made a new one each time; a shared {} or [] would
            # carry one file's findings or data into the next.
            assert value is not getattr(two, name), f"{cls.__qualname__}.{name} is shared"


@pytest.mark.parametrize("cls", RECORDS, ids=ID)
def test_copies_and_pickles_keep_every_field(cls):
    instance = made(cls)
    if instance is None:
        pytest.skip(f"{cls.__qualname__} cannot be made from placeholder values")
    values = {name: getattr(instance, name) for name in cls.__slots__}
    twins = [copy.copy(instance), record.replace(instance), dataclasses.replace(instance)]
    # A default that is a lambda (lint Context's `previous`) cannot be pickled or deep-copied
    # by value, as with the dataclass: such a record never goes to a worker.
    if not any(getattr(value, "__name__", "") == "<lambda>" for value in values.values()):
        twins += [
            copy.deepcopy(instance),
            pickle.loads(pickle.dumps(instance)),
            pickle.loads(pickle.dumps(instance, protocol=2)),
        ]
    for twin in twins:
        assert type(twin) is cls
        assert {name: getattr(twin, name) for name in cls.__slots__} == values
        assert twin == instance


@pytest.mark.parametrize("cls", RECORDS, ids=ID)
def test_dataclass_functions_see_the_fields(cls):
    assert dataclasses.is_dataclass(cls)
    assert [f.name for f in dataclasses.fields(cls)] == list(cls.__slots__)
    for f in dataclasses.fields(cls):
        assert f.compare == (f.name not in cls._not_compared)
        assert f.repr == (f.name not in cls._not_shown)
    instance = made(cls)
    if instance is not None:
        assert list(dataclasses.asdict(instance)) == list(cls.__slots__)


@pytest.mark.parametrize("cls", RECORDS, ids=ID)
def test_frozen_records_refuse_changes_and_hash_like_equals(cls):
    instance = made(cls)
    if instance is None or cls.__setattr__ is object.__setattr__:
        pytest.skip("not frozen, or cannot be made from placeholder values")
    name = cls.__slots__[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(instance, name, "changed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(instance, name)
    try:
        hash(instance)
    except TypeError:  # a dict among the fields: unhashable, as the dataclass was
        pass
    else:
        assert hash(instance) == hash(copy.deepcopy(instance))
    if name not in cls._not_compared:
        assert record.replace(instance, **{name: "other"}) != instance


def test_asking_about_the_base_class_leaves_the_records_their_fields():
    # Checked in a new process: the classes of this one have made their fields already.
    import subprocess
    import sys

    code = (
        "import dataclasses\n"
        "from protocol_kit.record import Record\n"
        "from protocol_kit.model import Origin\n"
        "assert dataclasses.is_dataclass(Record) and dataclasses.fields(Record) == ()\n"
        "print(dataclasses.asdict(Origin('a.json', '/x')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'path': 'a.json', 'pointer': '/x'}"
