"""Library folders are found from a protocol's real location, which the checker resolves once
per folder: the shortcut must not change which library a file sees."""

from __future__ import annotations

import shutil

from conftest import CASES
from protocol_kit.app.check import CheckOptions, FileChecker

CASE = CASES / "validate" / "valid" / "library-reference"


def make_project(root, library: bool):
    root.mkdir()
    (root / "protokit.toml").write_text("")
    shutil.copy(CASE / "protocol.json", root / "protocol.json")
    if library:
        shutil.copytree(CASE / "library", root / "library")
    return root


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def test_a_linked_protocol_uses_the_library_beside_its_target(tmp_path):
    project = make_project(tmp_path / "project", library=True)
    elsewhere = make_project(tmp_path / "elsewhere", library=False)
    (elsewhere / "linked.json").symlink_to(project / "protocol.json")
    checker = FileChecker(CheckOptions())
    assert codes(checker.check(str(elsewhere / "protocol.json"))) == ["REF001"]
    assert codes(checker.check(str(elsewhere / "linked.json"))) == []


def test_the_same_relative_path_from_another_folder_is_another_file(tmp_path, monkeypatch):
    with_library = make_project(tmp_path / "a", library=True)
    without = make_project(tmp_path / "b", library=False)
    checker = FileChecker(CheckOptions())
    monkeypatch.chdir(with_library)
    assert codes(checker.check("protocol.json")) == []
    monkeypatch.chdir(without)
    assert codes(checker.check("protocol.json")) == ["REF001"]


def test_two_library_files_with_one_id_make_the_reference_an_error(tmp_path):
    """H176: a library exercise copied and edited but not given a new id: the reference used
    whichever file sorted first (often the copy), without a word."""
    project = make_project(tmp_path / "project", library=True)
    original = next((project / "library").glob("*.json"))
    shutil.copy(original, original.with_name(original.stem + "-copy.json"))
    report = FileChecker(CheckOptions()).check(str(project / "protocol.json"))
    assert codes(report) == ["REF003"]
    assert "gives the same id" in report.findings[0].message
    assert original.name in report.findings[0].message


def test_a_broken_library_file_is_named_as_the_user_would_and_located(tmp_path, monkeypatch):
    """H420: REF003 named the library file by its resolved, absolute path (the user's whole
    working folder) and did not say where in it the problem is."""
    project = make_project(tmp_path / "project", library=True)
    broken = next((project / "library").glob("*.json"))
    broken.write_text('{"x": \n', encoding="utf-8")
    monkeypatch.chdir(project)
    report = FileChecker(CheckOptions()).check("protocol.json")
    assert codes(report) == ["REF003"]
    message = report.findings[0].message
    assert f" in library/{broken.name}:2:1 cannot be used: unexpected end of file" in message
    assert str(tmp_path) not in message
