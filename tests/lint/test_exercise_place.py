"""An exercise's kept answers are shared by every file that has the same exercise, wherever it
stands in the file (H371): a finding about it lands at its own place, line and column in each
file, and an answer that depends on a fact of the protocol (the language its texts are read in)
is never given to a file where that fact differs. Each run of several files is compared with
each file checked alone, whose answer cannot come from another file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from types import SimpleNamespace

from conftest import CLINIC_NUMBERS, REPO, run_protokit
from protocol_kit.lint.base import Context, Problem, each_exercise_remembered

INLINE = REPO / "tests" / "cases" / "validate" / "valid" / "signed-off-protocol" / "protocol.json"
SIGN = " If you feel chest pain, tell your physiotherapist at your next visit."
THROUGH_PAIN = " Push through the pain."
FILE_ONLY = ("$schema", "version", "language", "translations", "last_reviewed", "authors")


def _findings(folder: Path, *names: str) -> dict[str, list[tuple]]:
    """Each file's findings (code, pointer, line, column, message) in one run of `names`."""
    result = run_protokit("validate", "--jobs", "1", "-f", "json", *names, cwd=folder)
    assert result.code in (0, 1), result.stderr
    found: dict[str, list[tuple]] = {name: [] for name in names}
    for report in json.loads(result.stdout)["files"]:
        found[Path(report["path"]).name] = [
            (f["code"], f["pointer"], f["line"], f["column"], f["message"])
            for f in report["findings"]
        ]
    return found


def _alone_and_together(folder: Path, names: list[str]) -> dict[str, list[tuple]]:
    """The findings of each file checked together with the others, in the order given, after
    checking that they are those of the file checked alone."""
    together = _findings(folder, *names)
    for name in names:
        assert together[name] == _findings(folder, name)[name], name
    return together


def _with_words(text, words: str):
    if isinstance(text, dict):
        return {tag: value + words for tag, value in text.items()}
    return text + words


def _write(folder: Path, name: str, data: dict, indent: int) -> None:
    (folder / name).write_text(json.dumps(data, indent=indent), encoding="utf-8")


def _write_dosage_variants(folder: Path, source: dict, overrides: dict[str, dict]) -> None:
    """A copy of `source` in `folder` for each file name, its second exercise given that
    dosage (and an id of its own)."""
    for name, dosage in overrides.items():
        protocol = copy.deepcopy(source)
        protocol["id"] = f"{source['id']}-{name[:-5]}"
        protocol["exercises"][1]["dosage"] = dosage
        _write(folder, name, protocol, indent=2)


def _line_column(folder: Path, name: str, value: str) -> tuple[int, int]:
    """Where the string `value` (written as JSON) starts in the file: its line and column."""
    text = (folder / name).read_text("utf-8")
    offset = text.index(json.dumps(value))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_an_inline_exercise_s_findings_land_at_its_place_in_each_file(tmp_path):
    """One exercise written in two files, first in one and second in the other, each file
    indented differently: the second file's findings come from the memo, moved to its place."""
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    source = json.loads(INLINE.read_text("utf-8"))
    signed, other = copy.deepcopy(source["exercises"][:2])
    signed["steps"][0] = _with_words(signed["steps"][0], SIGN)
    signed["steps"][1] = _with_words(signed["steps"][1], THROUGH_PAIN)
    first, second = copy.deepcopy(source), copy.deepcopy(source)
    first["exercises"] = [signed, other]
    second["id"] = f"{source['id']}-second"
    second["exercises"] = [other, signed]
    _write(tmp_path, "a.json", first, indent=2)
    _write(tmp_path, "b.json", second, indent=4)
    found = _alone_and_together(tmp_path, ["a.json", "b.json"])
    for name, place in (("a.json", "/exercises/0"), ("b.json", "/exercises/1")):
        step = signed["steps"][0]["en-GB"]
        routed = [f for f in found[name] if f[0] == "SAFE006" and step[:20] in f[4]]
        assert [f[1] for f in routed] == [f"{place}/steps/0"], found[name]
        pain = [f for f in found[name] if f[0] == "SAFE013"]
        assert [f[1] for f in pain] == [f"{place}/steps/1/en-GB"], found[name]
        assert pain[0][2:4] == _line_column(tmp_path, name, signed["steps"][1]["en-GB"])


def test_a_library_exercise_s_findings_land_at_each_file_s_reference(tmp_path):
    """A library exercise named second in one protocol and fifth in another: each file's
    finding is at its own reference entry, with the library file named."""
    import shutil

    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    folder = tmp_path / "protocols"
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    library = folder / "library" / "glute-bridge.json"
    data = json.loads(library.read_text("utf-8"))
    data["steps"][0] = _with_words(data["steps"][0], SIGN)
    library.write_text(json.dumps(data, indent=2), encoding="utf-8")
    names = ["psoas-stretch-glute-bridge.json", "smr-dynamic-hip-mobility.json"]
    places = {}
    for name in names:
        entries = json.loads((folder / name).read_text("utf-8"))["exercises"]
        places[name] = [i for i, e in enumerate(entries) if e.get("ref") == "glute-bridge"]
    assert places == {names[0]: [1], names[1]: [4]}
    found = _alone_and_together(folder, names)
    for name in names:
        routed = [f for f in found[name] if f[0] == "SAFE006" and "'glute-bridge'" in f[4]]
        assert [f[1] for f in routed] == [f"/exercises/{places[name][0]}"], found[name]


def _protocol_in(language: str) -> dict:
    """A protocol in `language` whose one exercise is written in it (a library exercise's
    content), with a step that tells the patient to push through pain, in English words."""
    data = json.loads((REPO / "protocols" / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    exercise = json.loads((REPO / "protocols" / "library" / "glute-bridge.json").read_text("utf-8"))
    exercise = {k: v for k, v in exercise.items() if k not in FILE_ONLY}
    exercise["steps"][0] += THROUGH_PAIN
    data.pop("screening", None)
    data.pop("stages", None)
    data["exercises"] = [exercise]
    data["language"] = language
    data["id"] = f"{data['id']}-{language.lower()}"
    return data


def test_an_exercise_read_in_another_language_is_judged_again(tmp_path):
    """The same exercise in a protocol in English and in one in French: its step's words tell
    an English reader to push through pain (SAFE013), and are not French words that do. A memo
    that left the protocol's language out of its key would give the second file, whichever it
    is, the first one's answer: a French file an English finding, or an English file none."""
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    _write(tmp_path, "en.json", _protocol_in("en-GB"), indent=2)
    _write(tmp_path, "fr.json", _protocol_in("fr"), indent=2)
    for order in (["en.json", "fr.json"], ["fr.json", "en.json"]):
        found = _alone_and_together(tmp_path, order)
        pain = {name: [f[1] for f in found[name] if f[0] == "SAFE013"] for name in order}
        assert pain == {"en.json": ["/exercises/0/steps/0"], "fr.json": []}, order


def _at(place: str) -> SimpleNamespace:
    """A stand-in for an exercise written at `place` (only its place is read here)."""
    return SimpleNamespace(origin=SimpleNamespace(pointer=place), library=None)


def test_a_kept_answer_is_moved_only_under_the_exercise_s_own_place(monkeypatch):
    """Pointers at the exercise's place or under it move; one elsewhere in the file stays;
    `/exercises/1` is not the start of `/exercises/10`; a message that names the place is
    worked out again for the new place, never moved with a wrong number in it."""
    from protocol_kit.lint import base

    # Both exercises have one content: the second is found in the memo.
    monkeypatch.setattr(base, "exercises_key", lambda protocol, context: (0,))
    context = Context(today=None, memo={})  # type: ignore[arg-type]
    worked_out: list[str] = []

    def check(exercise, index: int) -> list[Problem]:
        place = exercise.origin.pointer
        worked_out.append(place)
        return [
            Problem(place, "at the exercise"),
            Problem(f"{place}/steps/0", "under it"),
            Problem("/safety/red_flags/0", "elsewhere"),
            Problem(f"{place}0/steps/0", "another exercise's place"),
        ]

    def naming(exercise, index: int) -> list[Problem]:
        worked_out.append(exercise.origin.pointer)
        return [Problem(exercise.origin.pointer, f"see {exercise.origin.pointer}")]

    def run(key: str, check, place: str) -> list[tuple[str, str]]:
        protocol = SimpleNamespace(exercises=(_at(place),))
        found = each_exercise_remembered(protocol, context, (key,), check)  # type: ignore[arg-type]
        return [(p.pointer, p.message) for p in found]

    assert [pointer for pointer, _ in run("T", check, "/exercises/1")] == [
        "/exercises/1",
        "/exercises/1/steps/0",
        "/safety/red_flags/0",
        "/exercises/10/steps/0",
    ]
    assert [pointer for pointer, _ in run("T", check, "/exercises/3")] == [
        "/exercises/3",
        "/exercises/3/steps/0",
        "/safety/red_flags/0",
        "/exercises/10/steps/0",
    ]
    assert worked_out == ["/exercises/1"]
    worked_out.clear()
    assert run("N", naming, "/exercises/1") == [("/exercises/1", "see /exercises/1")]
    assert run("N", naming, "/exercises/3") == [("/exercises/3", "see /exercises/3")]
    assert run("N", naming, "/exercises/3") == [("/exercises/3", "see /exercises/3")]
    assert worked_out == ["/exercises/1", "/exercises/3"]


def test_a_dosage_changed_in_one_file_of_a_run_is_judged_again(tmp_path):
    """The dosage rules keep each exercise's answer by its content: among files with the same
    exercise, the one whose sets go beyond the safe limit gets DOSE001, the one whose session
    runs long gets DOSE004, and the files around them neither."""
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    source = json.loads(INLINE.read_text("utf-8"))
    names = []
    for i in range(12):
        data = copy.deepcopy(source)
        data["id"] = f"{source['id']}-{i:02d}"
        if i == 5:
            data["exercises"][0]["dosage"]["sets"] = 12
        if i == 8:
            data["exercises"][1]["dosage"]["hold_seconds"] = 100
        names.append(f"p{i:02d}.json")
        _write(tmp_path, names[-1], data, indent=2)
    found = _findings(tmp_path, *names)
    codes = {name: sorted({f[0] for f in found[name] if f[0].startswith("DOSE")}) for name in names}
    assert {name: c for name, c in codes.items() if c} == {
        "p05.json": ["DOSE001"],
        "p08.json": ["DOSE002", "DOSE004"],  # the hold is also unusually long
    }, codes
    assert [f[1] for f in found["p05.json"] if f[0] == "DOSE001"] == ["/exercises/0/dosage/sets"]


PAIN_TARGET = "Work at a pain of 8 out of 10."


def test_a_library_exercise_under_other_numbers_shares_its_text_answers(tmp_path):
    """The rules that read an exercise's texts and not its numbers keep one answer for a
    library exercise whatever numbers a reference gives it (H570): files that give it other
    sets get the library text's finding, each at its own reference, and a file that overrides
    the intensity, even with the library's own words, gets the finding about its own text,
    which is in the protocol, not the library file."""
    import shutil

    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    folder = tmp_path / "protocols"
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    library = folder / "library" / "glute-bridge.json"
    data = json.loads(library.read_text("utf-8"))
    data["dosage"]["intensity"] = PAIN_TARGET  # SAFE014: the pain guide says stop above 5
    library.write_text(json.dumps(data, indent=2), encoding="utf-8")
    source = json.loads((folder / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    overrides = {
        "sets-3.json": {"sets": 3},
        "sets-1.json": {"sets": 1},
        "own-words.json": {"sets": 3, "intensity": PAIN_TARGET},
    }
    _write_dosage_variants(folder, source, overrides)
    names = ["sets-3.json", "own-words.json", "sets-1.json", "psoas-stretch-glute-bridge.json"]
    found = _alone_and_together(folder, names)
    where = {
        name: [
            (f[1], f[4].split(" (at ")[1].split(",")[0]) for f in found[name] if f[0] == "SAFE014"
        ]
        for name in names
    }
    in_library = [("/exercises/1", "/dosage/intensity")]
    assert where == {
        "sets-3.json": in_library,
        "own-words.json": [("/exercises/1", "/exercises/1/dosage/intensity")],
        "sets-1.json": in_library,
        "psoas-stretch-glute-bridge.json": in_library,
    }, found
