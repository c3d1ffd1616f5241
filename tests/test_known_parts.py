"""The schema check trusts the parts of protocols that passed before (issue 17,
`protocol_kit.validation.known_parts`) without ever changing a verdict: every document gets
the verdict of the schema's own validator, whichever of its parts were met before, a
mistake anywhere else (the id, the title, another exercise, the list itself) is still
refused, and a schema of another shape is always checked whole."""

from __future__ import annotations

import copy
import tracemalloc

import orjson  # noqa: F401 (imported: the parts are written with it, as in a large run)
import pytest

from conftest import corpus_module
from protocol_kit.loading import JsonProblem, load
from protocol_kit.schemas import KIND_BY_NAME, all_schemas
from protocol_kit.shared_parts import writing_of
from protocol_kit.validation import SchemaChecker, known_parts

PROTOCOL = KIND_BY_NAME["protocol"]


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> list[dict]:
    """A corpus's protocols (copies of one another, and files with every kind of mistake),
    each readable one as parsed."""
    corpus = corpus_module().generate(tmp_path_factory.mktemp("known") / "c", 120, 60, seed=3)
    found = []
    for path in corpus.protocols:
        try:
            found.append(load(str(path)).data)
        except JsonProblem:
            continue
    return found


def _whole(checker: SchemaChecker):
    checker.prepare([PROTOCOL])
    return checker._fast[PROTOCOL.name].is_valid


def _counted(checker: SchemaChecker) -> dict[str, int]:
    """How often each of the checker's protocol validators is asked, from now on."""
    checker.prepare([PROTOCOL])
    validators = checker._trusting[PROTOCOL.name]
    counts = dict.fromkeys(validators.CHECKS, 0)
    for name in validators.CHECKS:
        object.__setattr__(validators, name, _counting(counts, name, getattr(validators, name)))
    return counts


def _counting(counts: dict[str, int], name: str, asked):
    def counted(document):
        counts[name] += 1
        return asked(document)

    return counted


def _valid_one(documents: list[dict], checker: SchemaChecker) -> dict:
    return next(d for d in documents if isinstance(d, dict) and _whole(checker)(d))


def test_every_document_gets_the_schema_s_own_verdict_in_any_order(documents):
    whole = _whole(SchemaChecker())
    expected = [whole(d) for d in documents]
    # Not trivially true: the corpus has documents the schema refuses, and parts that repeat.
    assert True in expected and False in expected
    for order in (documents, documents[::-1], sorted(documents, key=lambda d: not whole(d))):
        checker = SchemaChecker()
        counts = _counted(checker)
        verdicts = {id(d): checker.is_valid(PROTOCOL, d) for d in order}
        assert [verdicts[id(d)] for d in documents] == expected
        # And the trusting validators did answer (else this test would test nothing).
        assert counts["both"] + counts["fields"] + counts["exercises"] > len(documents) // 2


def _mistakes(valid: dict) -> dict[str, dict]:
    """Copies of a valid protocol with one mistake where the trusted parts are not."""
    made = {}
    for name, change in {
        "bad id": lambda d: d.__setitem__("id", "Not An Id"),
        "no title": lambda d: d.pop("title"),
        "no exercises": lambda d: d.__setitem__("exercises", []),
        "exercises not a list": lambda d: d.__setitem__("exercises", {"a": 1}),
        "an exercise broken": lambda d: d["exercises"].append({"ref": "x", "dosage": "lots"}),
        "an exercise that is not an object": lambda d: d["exercises"].append("glute bridge"),
        "an unknown field": lambda d: d.__setitem__("unknown", 1),
    }.items():
        document = copy.deepcopy(valid)
        change(document)
        made[name] = document
    return made


def _passed_once(documents: list[dict]):
    """A checker, a valid document it has passed once, and its validators' counts from then."""
    checker = SchemaChecker()
    valid = _valid_one(documents, checker)
    counts = _counted(checker)
    assert checker.is_valid(PROTOCOL, valid)
    return checker, valid, counts


def test_a_mistake_beside_trusted_parts_is_still_refused(documents):
    checker, valid, counts = _passed_once(documents)
    copied = copy.deepcopy(valid)
    copied["id"] = valid["id"] + "-copy"
    assert checker.is_valid(PROTOCOL, copied)
    assert counts["both"] == 1  # its parts were all trusted: the test below means something
    for name, document in _mistakes(valid).items():
        assert not checker.is_valid(PROTOCOL, document), name
        assert not _whole(SchemaChecker())(document), name


def test_a_known_exercise_stands_in_for_another_and_an_unknown_one_is_checked(documents):
    checker, valid, counts = _passed_once(documents)
    fewer = copy.deepcopy(valid)
    fewer["exercises"] = fewer["exercises"][:1] + [copy.deepcopy(valid["exercises"][0])]
    fewer["exercises"][1]["id"] = "another-exercise"  # not met before: checked by the schema
    assert checker.is_valid(PROTOCOL, fewer)
    assert counts["fields"] == 1
    fewer["exercises"][1]["id"] = "Not An Id"
    assert not checker.is_valid(PROTOCOL, fewer)


def test_the_schema_check_s_writing_is_the_part_tables_key(documents):
    checker = SchemaChecker()
    valid = _valid_one(documents, checker)
    checker.is_valid(PROTOCOL, valid)
    part, exercises = writing_of(valid)
    rest = {k: v for k, v in valid.items() if k not in ("id", "title", "exercises")}
    assert part == orjson.dumps(rest)
    assert exercises == [orjson.dumps(e) for e in valid["exercises"]]
    assert writing_of(copy.deepcopy(valid)) is None  # another document, even an equal one


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s["properties"]["exercises"].__setitem__("uniqueItems", True),
        lambda s: s["allOf"].append({"required": ["exercises"]}),
        lambda s: s.__setitem__("unevaluatedProperties", False),
    ],
)
def test_a_schema_of_another_shape_is_checked_whole(change):
    schema = copy.deepcopy(all_schemas()[PROTOCOL.uri])
    assert known_parts.shape_allows(schema)
    change(schema)
    assert not known_parts.shape_allows(schema)


def test_a_trusting_validator_is_made_only_when_first_asked_and_once(documents):
    """A run of one file asks none of them: making three validators it never used cost the
    first run of one file about 20 M instructions (issue 17)."""
    checker = SchemaChecker()
    whole = _whole(checker)
    made = []

    def make(schema):
        made.append(schema)
        return checker._fast[PROTOCOL.name]  # any validator will do for the count

    validators = known_parts.Validators(
        checker._fast[PROTOCOL.name], make, all_schemas()[PROTOCOL.uri]
    )
    assert made == []
    document = _valid_one(documents, checker)
    assert validators.whole(document) is True and made == []
    assert validators.fields(document) is whole(document)
    assert validators.fields(document) is whole(document)
    assert len(made) == 1 and made[0]["properties"]["safety"] is True


def test_what_passed_is_kept_by_its_digest_not_its_writing(documents):
    """orjson's writing of an exercise held 4 KB at least (the room it reserved while
    writing): the 512 exercises kept were the largest of what a process grew by from its
    500th to its 5,000th file (issue 17). Kept by BLAKE2b-256 digests, they take a few
    dozen KB, and an exercise that differs by one character is still not trusted."""
    checker = SchemaChecker()
    valid = _valid_one(documents, checker)
    inline = next(e for e in valid["exercises"] if "name" in e)
    passed = [
        {**valid, "exercises": [{**inline, "name": f"{inline['name']} {number}"}]}
        for number in range(600)
    ]
    tracemalloc.start()
    try:
        assert all(checker.is_valid(PROTOCOL, document) for document in passed)
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    here = snapshot.filter_traces([tracemalloc.Filter(True, known_parts.__file__)])
    held = sum(stat.size for stat in here.statistics("filename"))
    assert held < 256 * 1024  # the writings kept were more than 2 MB
    counts = _counted(checker)
    broken = {**valid, "exercises": [{**inline, "name": 7}]}
    assert checker.is_valid(PROTOCOL, broken) is False
    assert counts["whole"] + counts["fields"] == 1 and counts["both"] == counts["exercises"] == 0


def test_an_exercise_that_passed_is_still_trusted_after_a_thousand_others(documents):
    """A clinic's copies hold more distinct exercise entries than the 512 kept before (each
    dosage override of a library reference is one: 1,159 in the benchmark's corpus), and the
    oldest was let go first: a quarter of its files had an exercise checked again that had
    passed before (issue 17, twenty-ninth sitting). The first of 1,500 exercises that passed
    is still trusted: its file is checked by the validator that trusts every exercise."""
    checker = SchemaChecker()
    valid = _valid_one(documents, checker)
    inline = next(e for e in valid["exercises"] if "name" in e)
    passed = [
        {**valid, "exercises": [{**inline, "name": f"{inline['name']} {number}"}]}
        for number in range(1500)
    ]
    assert all(checker.is_valid(PROTOCOL, document) for document in passed)
    counts = _counted(checker)
    assert checker.is_valid(PROTOCOL, copy.deepcopy(passed[0])) is True
    assert counts["both"] + counts["exercises"] == 1 and counts["whole"] + counts["fields"] == 0
