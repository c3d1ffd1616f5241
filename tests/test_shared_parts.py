"""Parts of protocol models shared between files by `validate` (issue 17,
`protocol_kit.shared_parts`) never change a finding: a checker that shares them gives every
file exactly what a checker building each file's own model gives, file, line, column,
message and severity included; a part is never given to a file whose part differs in any
way; and what is kept is bounded."""

from __future__ import annotations

import copy
import json
import shutil
import sys
import tracemalloc
from pathlib import Path

import pytest

from conftest import CASES, REPO, corpus_module
from protocol_kit.app.check import CheckOptions, FileChecker, each_report
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.model import ANY_FILE
from protocol_kit.shared_parts import PartTable, SharedParts, part_key

SETTINGS = LintSettings(today=__import__("datetime").date(2026, 6, 1))
PNG = REPO / "docs" / "images" / "illustrations" / "glute-bridge.png"


def _first_inline(data: dict) -> tuple[int, dict] | None:
    return next(((i, e) for i, e in enumerate(data["exercises"]) if "ref" not in e), None)


def _changed(data: dict, index: int) -> dict | None:
    """A copy with one change in a part files share (an exercise, the safety section, the
    delivery, the front matter), some of which a rule or check reports."""
    changed = copy.deepcopy(data)
    found = _first_inline(changed)
    change = index % 5
    if change == 0 and found is not None:
        found[1]["steps"].append("Push through the pain to finish the set.")
    elif change == 1:
        changed["safety"]["stop_criteria"][0] = "n/a"
    elif change == 2:
        changed["delivery"]["education"] = ["Do these exercises every hour while you are awake."]
    elif change == 3 and found is not None:
        # The same number as a float: a schema-valid integer, printed otherwise.
        found[1]["dosage"]["sets"] = float(found[1]["dosage"]["sets"])
    elif change == 4:
        changed["summary"] = "This programme will cure your back pain for good."
    else:
        return None
    return changed


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> list[str]:
    """The examples, every validation case and a generated corpus, with copies of its files
    in a second folder (the same parts, another file) and copies with one change each."""
    corpus = corpus_module()
    root = tmp_path_factory.mktemp("shared")
    made = corpus.generate(root / "corpus", 80, 8, seed=7)
    distinct = corpus.generate(root / "distinct", 10, 0, seed=8, distinct_texts=True)
    elsewhere = made.root / "protocols" / "elsewhere"
    elsewhere.mkdir()
    found = sorted(str(p) for p in (REPO / "protocols").glob("*.json"))
    found += sorted(str(p) for p in CASES.glob("validate/*/*/*.json"))
    found += [str(p) for p in (*made.protocols, *distinct.protocols)]
    for index, path in enumerate(made.valid):
        copied = elsewhere / path.name
        shutil.copyfile(path, copied)
        changed = _changed(json.loads(path.read_text(encoding="utf-8")), index)
        if changed is not None:
            target = elsewhere / f"changed-{path.name}"
            target.write_text(json.dumps(changed, indent=2), encoding="utf-8")
            found += [str(copied), str(target)]
    return found


def _report(report) -> list:
    return [
        (f.path, f.line, f.column, f.code, f.message, f.severity, f.pointer, f.at_key)
        for f in report.findings
    ]


def test_a_checker_that_shares_parts_finds_what_one_that_builds_each_model_finds(paths):
    alone = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),)))
    expected = {path: _report(alone.check(path)) for path in paths}
    assert sum(len(found) for found in expected.values()) > 200  # the set has findings
    for order in (paths, paths[::-1]):
        together = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),), share_parts=True))
        for path in order:
            assert _report(together.check(path)) == expected[path], Path(path).name
        shared = together.shared
        assert len(shared.protocols) and len(shared.exercises) and len(shared.references)


def test_a_checker_whose_run_imports_orjson_midway_finds_what_one_building_each_model_finds(
    paths, monkeypatch
):
    """The keys of the parts kept before orjson arrives are written again when it does
    (`shared_parts._written_again`): the files after the switch, copies and changed copies
    of those before it, are judged by their own content."""
    import protocol_kit.jsontext.quick_read  # noqa: F401  (the quick read keeps its orjson)

    alone = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),)))
    expected = {path: _report(alone.check(path)) for path in paths}
    together = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),), share_parts=True))
    half = len(paths) // 2
    monkeypatch.setitem(sys.modules, "orjson", None)  # marshal's keys
    for path in paths[:half]:
        assert _report(together.check(path)) == expected[path], Path(path).name
    kept = len(together.shared.exercises) + len(together.shared.references)
    monkeypatch.undo()  # orjson's keys from here on
    for path in [*paths[half:], *paths[:half]]:
        assert _report(together.check(path)) == expected[path], Path(path).name
    assert kept and all(
        type(key) is tuple for key in together.shared.exercises._kept
    )  # every kept part found, or kept again, under orjson's key


def test_validate_shares_parts_and_commands_that_make_something_do_not(paths):
    options = CheckOptions(hooks=(Linter(SETTINGS),), jobs=1)
    checked = {r.path: _report(r) for r in each_report(paths, options)}
    alone = FileChecker(options)
    assert checked == {path: _report(alone.check(path)) for path in paths}
    # A model a command goes on to use (a sheet, a bundle) names its file in every place.
    assert alone.shared is None
    alone.check(str(REPO / "protocols" / "psoas-stretch-glute-bridge.json"))
    protocol = alone.built
    assert protocol is not None
    assert protocol.safety.pain_guide.origin.path == protocol.origin.path
    assert all(e.origin.path != ANY_FILE for e in protocol.exercises)


def _with_image(tmp_path: Path) -> tuple[Path, Path]:
    """The same protocol, whose first exercise shows `pic.png`, in a folder that has the
    picture and in one that has not."""
    source = CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    found = _first_inline(data)
    assert found is not None
    found[1]["media"] = [
        {
            "kind": "image",
            "path": "pic.png",
            "alt": "A person lying on their back",
            "author": "A. Therapist",
            "licence": "CC-BY-4.0",
        }
    ]
    made = []
    for name in ("has", "lacks"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "protokit.toml").write_text("", encoding="utf-8")
        target = folder / "protocol.json"
        target.write_text(json.dumps(data, indent=2), encoding="utf-8")
        made.append(target)
    shutil.copyfile(PNG, made[0].parent / "pic.png")
    return made[0], made[1]


def test_an_image_is_looked_for_beside_each_file_that_shares_its_exercise(tmp_path):
    has, lacks = _with_image(tmp_path)
    for order in ((has, lacks), (lacks, has)):
        checker = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),), share_parts=True))
        reports = {path: checker.check(str(path)) for path in order}
        codes = {path: [f.code for f in r.findings] for path, r in reports.items()}
        assert "LINK001" in codes[lacks]
        assert "LINK001" not in codes[has]
        missing = [f for f in reports[lacks].findings if f.code == "LINK001"]
        assert all(f.path == str(lacks) and f.line for f in missing)


def _assert_each_variant_is_its_own_part(table, made, build, more):  # noqa: ANN001, ANN202
    """Dosages equal in Python but not in their data (1, 1.0, True, "1", a key more), and
    `more`, are each built twice (a trial, then kept) and then found, each its own part; the
    same data at another place or in another language is another part. Returns the dosages."""
    variants = [{"sets": 1}, {"sets": 1.0}, {"sets": True}, {"sets": "1"}, {"sets": 1, "x": 0}]
    variants += more
    for _ in range(3):
        for variant in variants:
            part = table.part("dosage", "en", variant, build, variant)
            assert part == [variant] and type(part[0]["sets"]) is type(variant["sets"])
    assert len(made) == 2 * len(variants)  # each built twice, then found
    assert table.part(("exercise", 1), "en", variants[0], build, "other") == ["other"]
    assert table.part("dosage", "fr", variants[0], build, "french") == ["french"]
    return variants


def test_a_part_is_never_given_for_data_that_differs_in_any_way():
    table = PartTable(kept=8, trial=8)
    made = []

    def build(value):
        made.append(value)
        return [value]

    _assert_each_variant_is_its_own_part(table, made, build, [])


@pytest.mark.parametrize("writer", ["orjson", "marshal"])
def test_the_keys_of_parts_that_differ_differ_with_either_writer(writer, monkeypatch):
    """Once a run has imported orjson its parts are keyed by orjson's writing, before by
    marshal's: either way no two values a file can hold have one key, and what orjson cannot
    write (an integer beyond 64 bits, a lone surrogate) is keyed by marshal."""
    import orjson

    monkeypatch.setitem(sys.modules, "orjson", orjson if writer == "orjson" else None)
    values = [1, 1.0, True, "1", None, 0, -0.0, 0.0, 1e16, 10**16, "", [], {}, [1], [[1]]]
    values += [{"a": 1, "b": 2}, {"b": 2, "a": 1}, 2**64, 2**64 + 1, "\udc80", "\udc81"]
    keys = [part_key("dosage", "en", {"sets": value}) for value in values]
    assert len(set(keys)) == len(values)
    assert all(type(k) is bytes for k in keys[-4:])  # beyond orjson: marshal's
    assert (type(keys[0]) is tuple) == (writer == "orjson")


def test_parts_kept_before_orjson_arrives_are_found_after_it_and_never_for_other_data(
    monkeypatch,
):
    """A run imports orjson after its first few hundred files (`loading.QUICK_READ_AFTER`):
    the parts kept until then under marshal's keys are found under orjson's from then on,
    each for exactly the data it was built from (the same values of the same types, keys in
    the same order), and a value orjson cannot write keeps marshal's key."""
    import orjson

    table = PartTable(kept=32, trial=32)
    variants = [{"sets": 1}, {"sets": 1.0}, {"sets": True}, {"sets": "1"}, {"a": 1, "b": 2}]
    variants += [{"b": 2, "a": 1}, {"sets": 2**64}, {"sets": "\udc80"}]
    kinds = [("exercise", 1), ("ref", 0, "library/a.json", b"\x00\x01"), "protocol"]
    built = []

    def each_part(language="en"):
        return [
            table.part(kind, language, variant, lambda v=variant: built.append(v) or [v])
            for kind in kinds
            for variant in variants
        ]

    monkeypatch.setitem(sys.modules, "orjson", None)
    each_part()
    each_part()  # built twice: kept from the second time
    assert len(built) == 2 * len(kinds) * len(variants)
    kept = each_part()
    assert len(built) == 2 * len(kinds) * len(variants)  # found under marshal's keys
    monkeypatch.setitem(sys.modules, "orjson", orjson)
    after = each_part()
    assert len(built) == 2 * len(kinds) * len(variants)  # found again under orjson's
    assert all(a is k for a, k in zip(after, kept, strict=True))
    # Each part is the one built from that very data, never one built from data that differs.
    assert all(part[0] is v for part, v in zip(after, variants * len(kinds), strict=True))
    each_part("fr")  # another language is another part, under either key
    assert len(built) == 3 * len(kinds) * len(variants)


def test_what_is_kept_is_bounded_and_a_part_seen_once_is_not_kept():
    table = PartTable(kept=4, trial=3)
    for number in range(100):
        table.part("n", "en", {"n": number}, lambda n=number: n)
    assert len(table) == 0  # none seen twice
    built = []
    for number in range(100, 120):
        for _ in range(3):  # built twice, then found
            table.part("n", "en", {"n": number}, lambda n=number: built.append(n) or n)
    assert len(built) == 40
    assert len(table) == 4
    table.part("n", "en", {"n": 119}, lambda: built.append("again"))
    assert len(built) == 40  # the last kept is found
    table.part("n", "en", {"n": 100}, lambda: built.append("again"))
    assert len(built) == 41  # the first was given up
    shared = SharedParts()
    assert len(shared.protocols) == len(shared.exercises) == len(shared.references) == 0


def test_where_nothing_is_found_again_parts_are_built_and_still_found_when_they_repeat():
    table = PartTable(kept=8, trial=8)
    built = []
    for number in range(PartTable.MISSES + 50):  # all differ: looked for ever more rarely
        assert table.part("n", "en", {"n": number}, lambda n=number: built.append(n) or n) == number
    assert len(built) == PartTable.MISSES + 50 and len(table) == 0
    # A part that comes again and again is found again (when it is looked for), and then
    # looked for every time.
    again = []
    for _ in range(3 * PartTable.SAMPLE):
        assert table.part("n", "en", {"n": "same"}, lambda: again.append(1) or "part") == "part"
    count = len(again)
    assert count < 3 * PartTable.SAMPLE
    for _ in range(10):
        table.part("n", "en", {"n": "same"}, lambda: again.append(1) or "part")
    assert len(again) == count


def test_parts_met_once_leave_a_run_tables_of_a_bounded_size(monkeypatch):
    """A clinic's own texts: no exercise or reference is met twice, and each leaves only its
    number in its table's trial. At 4,096 numbers a table (0.5 MB each) the trials grew with
    the run to its 100,000th file; on a clinic's copies they held at most about 100
    exercises' and 1,700 references' at once (issue 17, twenty-fifth sitting)."""
    monkeypatch.setattr(PartTable, "SAMPLE", 1)  # every part looked for: the trials fill
    shared = SharedParts()
    for number in range(2200):
        data = {"n": number}
        shared.exercises.part(("exercise", 0), "en", data, lambda n=number: n)
        shared.references.part(("reference", 0), "en", data, lambda n=number: n)
    assert len(shared.exercises) == len(shared.references) == 0
    assert len(shared.exercises._trial) == 1024
    assert len(shared.references._trial) == 2048


def test_a_kept_part_holds_its_key_at_its_own_length():
    """orjson gives the bytes it writes the room it reserved while writing (4 KB at least):
    kept as they came, the keys were most of what a full table held (issue 17)."""
    orjson = pytest.importorskip("orjson")
    table = PartTable(kept=64, trial=64)
    tracemalloc.start()
    try:
        for number in range(64):
            for _ in range(2):  # kept from the second time it is built
                written = orjson.dumps({"n": number})
                table.part("n", "en", {"n": number}, lambda n=number: n, written=written)
        del written
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(table) == 64
    assert held < 64 * 1024  # as orjson wrote them, the keys alone held 256 KB
    # Found again by a new writing of the same data, never built again.
    found = table.part("n", "en", {"n": 3}, lambda: "built", written=orjson.dumps({"n": 3}))
    assert found == 3


@pytest.mark.parametrize(("table", "distinct"), [("protocols", 60), ("exercises", 350)])
def test_the_parts_a_clinic_s_copies_repeat_are_built_twice_and_then_found(table, distinct):
    """The benchmark corpus of a clinic's copies holds 187 distinct shared parts and 352
    exercises written in protocols (10,000 files); met in turn, between parts found every
    time (the popular ones), each is built twice (then kept) and found from then on, where
    tables of 32 and 160 let each go before it came again and built it every time (issue 17,
    thirtieth sitting). The references' table is 1,024 (thirty-third sitting)."""
    parts = getattr(SharedParts(), table)
    built = []

    def part(data: dict) -> None:
        # A tuple of fields as a protocol's shared part is (its anchor is one of them).
        parts.part((table, 0), "en", data, lambda: built.append(data) or tuple(range(32)))

    for _ in range(4):
        for number in range(distinct):
            part({"popular": True})
            part({"n": number})
    assert len(built) == 2 * distinct + 2


@pytest.mark.parametrize("writer", ["orjson", "marshal"])
def test_a_table_by_digest_gives_a_part_only_for_data_equal_in_every_byte(writer, monkeypatch):
    """The exercises' and references' tables keep a part by its writing's BLAKE2b-256 digest
    (`writing_digest`, the schema check's own, given by it: `digests_of`), not by the writing
    (1 to 3 KB an exercise; thirty-first sitting, issue 17). The digest is of orjson's whole
    writing (every value with its type, keys in their order), with the part's place and
    language beside it: data that differs in any way, at another place or in another
    language, is another part; marshal's keys, before orjson arrives, stay whole."""
    import orjson

    from protocol_kit.shared_parts import writing_digest

    monkeypatch.setitem(sys.modules, "orjson", orjson if writer == "orjson" else None)
    table = PartTable(kept=32, trial=32, by_digest=True)
    made = []

    def build(value):
        made.append(value)
        return [value]

    variants = _assert_each_variant_is_its_own_part(
        table, made, build, [{"x": 0, "sets": 1}, {"sets": "\udc80"}]
    )
    keys = [key for key in table._kept if type(key) is tuple]
    if writer == "orjson":
        # Each kept by 32 bytes; the one orjson cannot write (a lone surrogate) by marshal's.
        assert len(keys) == len(variants) - 1 and all(len(key[2]) == 32 for key in keys)
        # The schema check's digest finds the part its writing keeps, and none other.
        written = orjson.dumps(variants[0])
        digest = writing_digest(written)
        found = table.part("dosage", "en", variants[0], build, "x", written=written, digest=digest)
        assert found == [variants[0]] and len(made) == 2 * len(variants) + 2
    else:
        assert not keys


def _exercise_data(dose: int) -> dict:
    """An exercise (the example library's, with poses and precautions), as a clinic's copies
    vary it: by its dose alone, each read from its own file's text."""
    written = (REPO / "protocols" / "library" / "glute-bridge.json").read_text(encoding="utf-8")
    data = json.loads(written)
    data["dosage"]["repetitions"] = dose
    return data


def test_kept_parts_hold_one_object_for_each_string_and_place_they_have_alike():
    """A kept exercise or protocol gives up its own copies of the strings and places the
    parts kept before it hold (`AlikeValues`: thirty-second sitting, issue 17), and is
    still, field for field and place for place, the part built from its own data."""
    from protocol_kit.model import Origin, build_exercise

    tables = SharedParts()

    def kept(dose: int):
        data = _exercise_data(dose)
        build = lambda: build_exercise(data, "en-GB", Origin(ANY_FILE, "/exercises/0"))  # noqa: E731
        for _ in range(2):  # kept from the second time it is built
            part = tables.exercises.part(("exercise", 0), "en-GB", data, build)
        assert repr(part) == repr(build())  # every field, every text's place
        return part

    first, second = kept(8), kept(12)
    assert first.dosage.repetitions == 8 and second.dosage.repetitions == 12
    assert first is not second and first.steps[0] is not second.steps[0]  # records their own
    assert first.steps[0].values["en-GB"] is second.steps[0].values["en-GB"]
    assert first.steps[0].origin is second.steps[0].origin
    assert first.name.values["en-GB"] is second.name.values["en-GB"]


def test_values_alike_are_shared_only_when_equal_in_every_field():
    """A string by its value, a place by its file and its pointer: a text at another place
    or in another file keeps its own place, and a text's languages stay its own."""
    from protocol_kit.model import Origin, Text
    from protocol_kit.shared_parts import AlikeValues

    alike = AlikeValues()
    step = "Lift your hips."
    texts = (
        Text({"en-GB": step}, Origin("", "/steps/0")),
        Text({"en-GB": "".join([step])}, Origin("", "/steps/1")),
        Text({"fr": "".join([step])}, Origin("other.json", "/steps/0")),
        Text({"en-GB": "".join([step])}, Origin("", "".join(["/steps/", "0"]))),
    )
    shown = [repr(text) for text in texts]
    for text in texts:
        alike.share((text,))
    assert [repr(text) for text in texts] == shown
    assert len({id(text.origin) for text in texts}) == 3  # the last the first's place
    assert texts[3].origin is texts[0].origin
    assert len({id(next(iter(text.values.values()))) for text in texts}) == 1
    assert list(texts[2].values) == ["fr"]


def test_what_values_alike_holds_is_let_go_with_the_parts_that_held_it():
    """The strings and places of parts let go are not held on: a run over a clinic's own
    texts, each kept for a while and then let go, leaves `AlikeValues` no larger than its
    trimming bound."""
    from protocol_kit.model import Origin, Text
    from protocol_kit.shared_parts import AlikeValues

    alike = AlikeValues()
    for number in range(20_000):
        alike.share((Text({"en-GB": f"step {number}"}, Origin("", f"/exercises/{number}")),))
    held = len(alike._strings) + len(alike._places)
    assert held <= 2 * AlikeValues._TRIM
    # Made while running (a literal would be held by the test's code too).
    kept = Text({"en-GB": "".join(["kept ", "text"])}, Origin("", "".join(["/", "kept"])))
    alike.share((kept,))
    for number in range(20_000):  # the one still held by a part stays shared
        alike.share((Text({"en-GB": f"more {number}"}, Origin("", f"/more/{number}")),))
    again = Text({"en-GB": "".join(["kept te", "xt"])}, Origin("", "".join(["/ke", "pt"])))
    alike.share((again,))
    assert again.values["en-GB"] is kept.values["en-GB"] and again.origin is kept.origin
