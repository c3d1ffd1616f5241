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


def test_a_failing_file_is_gone_through_only_where_the_fast_validator_fails(monkeypatch):
    """The detailed pass finds the messages of a file that fails; it does not go through
    again what the fast validator finds valid (a whole valid exercise, H410), and still gives
    jsonschema's own errors, the one mistake among them."""
    data = json.loads((PROTOCOLS / "mid-back-ankle-hip-mobility.json").read_text("utf-8"))
    data["exercises"][3]["dosage"]["sets"] = "three"
    kind = KIND_BY_URI[data["$schema"]]
    ours = _detailed_validator(kind)
    visited: list[int] = []
    descend = type(ours).descend

    def counting(self, instance, *args, **kwargs):
        visited.append(id(instance))
        return descend(self, instance, *args, **kwargs)

    monkeypatch.setattr(type(ours), "descend", counting)
    errors = _errors(ours, data)
    monkeypatch.undo()
    assert errors == _errors(_plain_validator(kind), data)
    assert any(path[:3] == ["exercises", 3, "dosage"] for _, path, *_ in errors)
    assert id(data["exercises"][3]["dosage"]) in visited
    # The other entries are not gone into at all (`items` asks the fast validator about each
    # first: `validation.passing_parts`), nor the fields beside the exercises.
    valid = [entry for index, entry in enumerate(data["exercises"]) if index != 3]
    assert not {id(entry) for entry in valid} & set(visited)
    assert not {id(value) for entry in valid for value in entry.values()} & set(visited)
    assert not {id(data[name]) for name in ("safety", "delivery")} & set(visited)
    assert not {id(coding) for coding in data["indications"]} & set(visited)


def test_the_errors_described_leave_no_reference_cycle():
    """An error with a context (`anyOf`: "needs at least one of ...") and the errors in it
    name each other (`context`, `parent`), a cycle only the cyclic collector frees, holding
    what the error was about until it runs: with young collections further apart during a
    run (`app.collector`), the documents of several failing files were alive at once (at
    50,000 new objects apart, a run of 10,500 files took 1 to 2 MB more, issue 17). The
    findings are made, then the cycle is undone."""
    import gc

    from jsonschema.exceptions import ValidationError

    from protocol_kit.validation import SchemaChecker

    folder = CASES / "validate" / "invalid" / "dosage-without-amount"
    data = json.loads(next(folder.glob("*.json")).read_text("utf-8"))
    kind = KIND_BY_URI[data["$schema"]]
    checker = SchemaChecker()
    assert not checker.is_valid(kind, data)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        findings = checker.findings(kind, data)
        gc.collect()
        left = [each for each in gc.garbage if isinstance(each, ValidationError)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert [f.message for f in findings] == [
        "needs at least one of 'repetitions', 'hold_seconds', 'duration_seconds'"
    ]
    assert not left


def test_the_fast_check_of_a_field_is_its_references_target_from_its_own_schema():
    """`passing_parts.fast_check` judges a field by the target of its `$ref`, read from the
    schema that holds the field: two fields with other targets (`id`, `language`) judge
    apart, one target from two schemas alike. A subschema that is not a reference, or not
    one of the shipped schemas', is gone into as before (None)."""
    from protocol_kit.schemas import KIND_BY_NAME
    from protocol_kit.validation.passing_parts import fast_check

    protocol = all_schemas()[KIND_BY_NAME["protocol"].uri]["properties"]
    exercise = all_schemas()[KIND_BY_NAME["exercise"].uri]["properties"]
    identifier, language = fast_check(protocol["id"]), fast_check(protocol["language"])
    assert identifier("glute-bridge") and not identifier("Glute Bridge")
    assert language("en-GB") and not language("glute-bridge")
    assert fast_check(exercise["language"])("en-GB")
    assert not fast_check(exercise["language"])("Glute Bridge")
    assert fast_check(protocol["exercises"]) is None  # an array's own schema: gone into
    assert fast_check(protocol["exercises"]["items"]) is not None  # each entry: a `$ref`
    assert fast_check({"$ref": "#/$defs/identifier"}) is None  # not a shipped schema's
