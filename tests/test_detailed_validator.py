"""The detailed schema check resolves each `$ref` once (`validation._ReferenceOnce`): its errors
must be jsonschema's own, error for error, on every file of the repository that fails or passes
its schema."""

from __future__ import annotations

import json

import pytest

from conftest import CASES, PROTOCOLS, REPO
from protocol_kit.schemas import KIND_BY_URI, all_schemas
from protocol_kit.validation import _detailed_validator

FILES = sorted(
    [*CASES.rglob("*.json"), *PROTOCOLS.rglob("*.json"), *(REPO / "schemas").glob("*.json")]
)


def _plain_validator(kind):
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (uri, Resource.from_contents(schema)) for uri, schema in all_schemas().items()
    )
    return Draft202012Validator(
        all_schemas()[kind.uri], registry=registry, format_checker=FormatChecker(["date"])
    )


def _errors(validator, data):
    def described(error):
        return (
            error.message,
            list(error.absolute_path),
            list(error.absolute_schema_path),
            error.validator,
            sorted(map(described, error.context)),
        )

    return sorted(map(described, validator.iter_errors(data)), key=repr)


def _documents():
    for path in FILES:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        kind = KIND_BY_URI.get(data.get("$schema")) if isinstance(data, dict) else None
        if kind is not None:
            yield path, kind, data


@pytest.mark.parametrize("kind_name", sorted({kind.name for _, kind, _ in _documents()}))
def test_each_reference_resolved_once_gives_jsonschemas_own_errors(kind_name):
    documents = [(p, d) for p, kind, d in _documents() if kind.name == kind_name]
    kind = next(kind for _, kind, _ in _documents() if kind.name == kind_name)
    ours, theirs = _detailed_validator(kind), _plain_validator(kind)
    failing = 0
    for path, data in documents:
        expected = _errors(theirs, data)
        failing += bool(expected)
        # Twice: the second time every reference comes from what the first one resolved.
        assert _errors(ours, data) == expected, path
        assert _errors(ours, data) == expected, path
    assert failing, "no file of this kind fails its schema: nothing compared"
