"""A library exercise's missing translations are worked out once per run for each library
file, content and set of languages (`consistency._library_gaps`, kept in the checker's
`Library.answers`), and reported for every protocol that uses it at that protocol's own
reference: its file, pointer, line and column. Each test fails when the shared answer's key
leaves out what it depends on (tried)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from protocol_kit.app.check import CheckOptions, FileChecker

EXAMPLES = Path(__file__).resolve().parent.parent / "protocols"
EXAMPLE = json.loads((EXAMPLES / "psoas-stretch-glute-bridge.json").read_text(encoding="utf-8"))


def _project(root: Path) -> Path:
    root.mkdir(exist_ok=True)
    (root / "protokit.toml").write_text("")
    shutil.copytree(EXAMPLES / "library", root / "library", dirs_exist_ok=True)
    return root


def _protocol(root: Path, name: str, translations: list[str], exercises=None) -> str:
    data = json.loads(json.dumps(EXAMPLE))
    data["translations"] = translations
    if exercises is not None:
        data["exercises"] = exercises
    path = root / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _library_findings(report) -> list[tuple]:
    return [
        (f.path, f.pointer, f.line, f.column, f.message)
        for f in report.findings
        if f.code == "I18N001" and "library exercise" in f.message
    ]


def _alone(path: str) -> list[tuple]:
    return _library_findings(FileChecker(CheckOptions()).check(path))


def test_each_protocol_gets_the_shared_answer_at_its_own_reference(tmp_path):
    root = _project(tmp_path / "p")
    first = _protocol(root, "first.json", ["fr"])
    # The same library exercises in the other order, after an exercise of its own: other
    # pointers and lines.
    swapped = [{"ref": "glute-bridge"}, EXAMPLE["exercises"][0]]
    second = _protocol(root, "second.json", ["fr"], swapped)
    other_language = _protocol(root, "third.json", ["de"])
    checker = FileChecker(CheckOptions())
    reports = {path: checker.check(path) for path in (first, second, other_language)}
    for path, report in reports.items():
        found = _library_findings(report)
        assert found, path
        assert found == _alone(path), path
        assert all(f[0] == path for f in found)
    first_found = _library_findings(reports[first])
    second_found = _library_findings(reports[second])
    assert [f[1] for f in first_found] == ["/exercises/0", "/exercises/1"]
    assert [f[1] for f in second_found] == ["/exercises/0", "/exercises/1"]
    # glute-bridge's finding names its library file and sits at each protocol's own line.
    bridge_first = next(f for f in first_found if "'glute-bridge'" in f[4])
    bridge_second = next(f for f in second_found if "'glute-bridge'" in f[4])
    assert bridge_first[4] == bridge_second[4]
    assert str(Path("library") / "glute-bridge.json") in bridge_first[4]
    assert bridge_first[1:3] != bridge_second[1:3]
    assert all("'de'" in f[4] for f in _library_findings(reports[other_language]))


def test_an_intensity_the_protocol_writes_is_not_the_library_files(tmp_path):
    root = _project(tmp_path / "p")
    plain = _protocol(root, "plain.json", ["fr"])
    reference = dict(EXAMPLE["exercises"][1])
    reference["dosage"] = {"intensity": {"en-GB": "Gently", "fr": "Doucement"}}
    written = _protocol(root, "written.json", ["fr"], [EXAMPLE["exercises"][0], reference])
    checker = FileChecker(CheckOptions())
    shared = [_library_findings(checker.check(path)) for path in (plain, written)]
    assert shared == [_alone(plain), _alone(written)]
    # One text fewer is missing where the protocol gives the intensity in French.
    assert shared[0][1][4] != shared[1][1][4]


def test_a_library_file_changed_between_runs_is_read_again(tmp_path):
    root = _project(tmp_path / "p")
    path = _protocol(root, "protocol.json", ["fr"])
    before = _library_findings(FileChecker(CheckOptions()).check(path))
    library_file = root / "library" / "glute-bridge.json"
    data = json.loads(library_file.read_text(encoding="utf-8"))
    del data["progression"]  # one text fewer to translate
    library_file.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    after = _library_findings(FileChecker(CheckOptions()).check(path))
    assert after == _alone(path)
    changed = [(b[4], a[4]) for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 1 and "'glute-bridge'" in changed[0][0], changed
    assert "/progression" in changed[0][0] or " more" in changed[0][0]


def test_a_dosage_override_of_numbers_keeps_the_library_files_intensity(tmp_path):
    """A reference that overrides only numbers is given its numbers, located at the
    reference, and the library file's own intensity text, located in that file; one that
    overrides the intensity too is given the protocol's text, located at the reference."""
    root = _project(tmp_path / "p")
    numbers = dict(EXAMPLE["exercises"][1], dosage={"sets": 5})
    worded = dict(EXAMPLE["exercises"][1], dosage={"sets": 4, "intensity": "Very gently"})
    for shared in (False, True):
        checker = FileChecker(CheckOptions(share_parts=shared))
        for reference, name in ((numbers, "numbers.json"), (worded, "worded.json")):
            path = _protocol(root, name, [], [EXAMPLE["exercises"][0], reference])
            report = checker.check(path)
            assert not report.errors(), report.findings
            dosage = checker.built.exercises[1].dosage
            assert dosage.sets == reference["dosage"]["sets"]
            assert dosage.origin.pointer == "/exercises/1/dosage"
            intensity = dosage.intensity
            if name == "numbers.json":
                library = checker.library.lookup(reference["ref"], path)
                assert intensity.origin.path == library.path
                assert intensity.values == {"en-GB": library.data["dosage"]["intensity"]}
            else:
                assert intensity.values == {"en-GB": "Very gently"}
                assert intensity.origin.pointer == "/exercises/1/dosage/intensity"


def test_the_library_file_is_named_as_the_user_would_name_it(tmp_path, monkeypatch):
    # Library folders are found by resolved paths: the message quoted the whole working folder
    # ("/home/.../clinic/library/glute-bridge.json") where every other message names the file
    # relative to it, as the user typed it (REF003, H420).
    root = _project(tmp_path / "p")
    monkeypatch.chdir(root)
    _protocol(root, "first.json", ["fr"])
    found = _library_findings(FileChecker(CheckOptions()).check("first.json"))
    bridge = next(f[4] for f in found if "'glute-bridge'" in f[4])
    assert f"'glute-bridge' ({Path('library') / 'glute-bridge.json'}) has no 'fr'" in bridge
    assert str(tmp_path) not in bridge
