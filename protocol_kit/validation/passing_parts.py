"""The detailed schema pass goes only into the fields and items the fast engine fails (issue
17, thirty-third sitting).

jsonschema's `properties` and `items` go into every field and item of a value, each through
`descend`, which makes a new validator for it; `validation._ReferenceOnce` then finds, at
the first `$ref` inside, that the fast engine passes that part, and goes no further (H410).
Getting that far was still most of a failing file's detailed pass: a protocol's twenty-odd
fields and twenty-odd exercises each went in for nothing (865 to 917 µs a failing file
against about 220 µs a valid one, 7 % of a first run of the benchmark corpus).

Here the two keywords ask the fast engine first, about each field's or item's value against
its own subschema, and go in only where it fails. A value the fast engine passes has no
error in the detailed pass either: the premise `_ReferenceOnce` rests on, the two engines
reading every keyword alike (`pattern` as ECMA-262; the fast one checks formats the detailed
one leaves). So the errors are jsonschema's own, error for error, in the same order: the
fields and items left out would have given none, and the others are gone into as before.

The fast engine is asked only about a subschema that is a `$ref` (with words for people
beside it): the validator of the reference's target, which `_ReferenceOnce` makes when it
meets the reference, one for both (`validation._fast_target`). The fields of a protocol, the
exercise entries and most nested fields are such. Any other subschema is gone into as
before: a validator made for each (about 70 for the benchmark corpus's failing files) cost
more in a run of a few failing files than going in saved.
"""

from __future__ import annotations

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

# What a subschema may say beside its `$ref` for the fast engine's validator of the
# reference's target to judge it: words for people, which no value fails.
_ANNOTATIONS = frozenset({"$ref", "description", "title", "$comment", "deprecated"})
# The `$id` of the schema holding each subschema of the shipped schemas, and the check of
# each subschema asked about (None: go in), by the subschema's identity, for the schemas
# walked (`_WALKED`), which are held, so that no other object can take one of their
# identities (`schemas.all_schemas` reads them once a process).
_PLACES: dict[int, str] = {}
_CHECKS: dict[int, Callable[[Any], bool] | None] = {}
_WALKED: list[Any] = [None]


def dicts_within(document: Any) -> Iterator[dict[str, Any]]:
    """Every object of a schema document, itself included, at any depth (the walk both this
    module and `validation._document_of` make to know which document holds a subschema)."""
    pending: list[Any] = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            yield node
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


def _walk(schemas: dict[str, Any]) -> None:
    """Find which schema holds each subschema of `schemas`, forgetting others."""
    _PLACES.clear()
    _CHECKS.clear()
    _WALKED[0] = schemas
    for uri, document in schemas.items():
        for node in dicts_within(document):
            _PLACES[id(node)] = uri


def fast_check(subschema: Any) -> Callable[[Any], bool] | None:
    """The fast engine's `is_valid` for `subschema` when it is a `$ref` (with words for
    people beside it) in a shipped schema: the validator of the reference's target, the one
    `_ReferenceOnce` asks when it meets the reference (made once a process, for both). None
    for any other subschema: the detailed pass goes in as before (a validator made for each
    would cost more, in a run of a few failing files, than going in)."""
    from protocol_kit.schemas import all_schemas

    schemas = all_schemas()
    if _WALKED[0] is not schemas:
        _walk(schemas)
    key = id(subschema)
    if key in _CHECKS:
        return _CHECKS[key]
    check = None
    uri = _PLACES.get(key)
    if uri is not None and type(subschema) is dict and subschema.keys() <= _ANNOTATIONS:
        reference = subschema.get("$ref")
        if isinstance(reference, str):
            from protocol_kit.validation import _fast_target

            target = _fast_target(uri, reference)
            check = None if target is None else target.is_valid
    _CHECKS[key] = check
    return check


def properties(validator: Any, properties: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """jsonschema's `properties`, given only the fields whose values the fast engine fails
    against their own subschemas (or cannot judge): the others have no error to give. The
    fields keep their order and their schema paths."""
    if isinstance(instance, dict) and isinstance(properties, dict):
        failing = {}
        for name, subschema in properties.items():
            if name in instance:
                if subschema is True:  # passes every value
                    continue
                check = fast_check(subschema)
                if check is not None and check(instance[name]):
                    continue
            failing[name] = subschema
        properties = failing
    yield from _KEYWORDS["properties"](validator, properties, instance, schema)


def items(validator: Any, items: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """jsonschema's `items` for a list without `prefixItems`: each item the fast engine fails
    against `items` (or cannot judge) is gone into, at its own index; the others have no
    error to give. Anything else is jsonschema's own."""
    check = fast_check(items) if isinstance(items, dict) else None
    if check is None or "prefixItems" in schema or not isinstance(instance, list):
        yield from _KEYWORDS["items"](validator, items, instance, schema)
        return
    for index, item in enumerate(instance):
        if not check(item):
            yield from validator.descend(item, items, path=index)


def keywords() -> dict[str, Callable[..., Iterator[Any]]]:
    """The keywords to extend the detailed validator with."""
    if not _KEYWORDS:
        from jsonschema import Draft202012Validator

        _KEYWORDS.update(
            (name, Draft202012Validator.VALIDATORS[name]) for name in ("properties", "items")
        )
    return {"properties": properties, "items": items}


# jsonschema's own keywords these two hand over to.
_KEYWORDS: dict[str, Callable[..., Iterator[Any]]] = {}
