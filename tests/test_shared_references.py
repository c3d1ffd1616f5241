"""A library reference's exercise, kept in the references' part table (`shared_parts`,
`library._shared_from_library`), is given only to a reference that reads the same things:
the same library file (its path and its content's digest), the same place in the protocol,
the same language and the same entry (id, dosage override, note). A larger table (issue 17,
thirty-third sitting: 1,024 kept where 256 were) keeps each answer for more files, so a key
that left any of these out would give more files another's exercise (H1565)."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from protocol_kit.library import Library, resolve_exercises
from protocol_kit.shared_parts import SharedParts
from protocol_kit.validation import SchemaChecker

PROTOCOL = "psoas-stretch-glute-bridge.json"  # refers to glute-bridge at /exercises/1


def _project(root: Path) -> Path:
    """A copy of the example protocols and their library folder."""
    shutil.copytree(REPO / "protocols", root)
    return root


def _protocol(project: Path) -> dict:
    return json.loads((project / PROTOCOL).read_text(encoding="utf-8"))


def _answers(protocol: dict, project: Path, library: Library, shared: SharedParts) -> list:
    """Each exercise `resolve_exercises` gives, with what its reference read."""
    exercises, findings = resolve_exercises(protocol, str(project / PROTOCOL), library, shared)
    assert not findings, findings
    return [
        (
            exercise,
            None
            if exercise.library is None
            else (
                exercise.library.path,
                exercise.library.digest,
                exercise.library.version,
                exercise.library.provenance,
                exercise.library.entry.pointer,
            ),
        )
        for exercise in exercises
    ]


def _kept_then_asked(
    kept: tuple[dict, Path, Library], asked: tuple[dict, Path, Library]
) -> tuple[list, list, list]:
    """`kept`'s references built until the table keeps them, then `asked`'s from the same
    table; with `asked`'s from a table of its own and `kept`'s as kept."""
    shared = SharedParts()
    for _ in range(3):  # kept from the second build, found from the third
        first = _answers(*kept, shared)
    given = _answers(*asked, shared)
    own = _answers(*asked, SharedParts())
    return first, given, own


def _edited_library_file(project: Path) -> None:
    """glute-bridge's library file with another version and dosage: the same path."""
    path = project / "library" / "glute-bridge.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = "9.9.9"
    data["dosage"]["repetitions"] = data["dosage"]["repetitions"] + 2
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _variant(kind: str, tmp_path: Path) -> tuple[tuple, tuple]:
    """Two references alike in all but one thing the reference reads."""
    project = _project(tmp_path / "a")
    protocol = _protocol(project)
    library = Library(SchemaChecker())
    kept = (protocol, project, library)
    if kind == "library file content":
        # The library read again after the file changed (as `FileChecker.check_document`
        # reads it again): the same path, another digest.
        library.lookup("glute-bridge", str(project / PROTOCOL))
        _edited_library_file(project)
        return kept, (copy.deepcopy(protocol), project, Library(SchemaChecker()))
    if kind == "library file path":
        other = _project(tmp_path / "b")  # the same content in another library folder
        return kept, (_protocol(other), other, Library(SchemaChecker()))
    if kind == "place in the protocol":
        moved = copy.deepcopy(protocol)
        moved["exercises"].reverse()  # the same entries, each at the other's place
        return kept, (moved, project, library)
    if kind == "language":
        # An intensity of the protocol's own is a text in the protocol's language.
        protocol["exercises"][0]["dosage"]["intensity"] = "Mild stretch, no pain"
        other = copy.deepcopy(protocol)
        other["language"] = "en-US"
        return kept, (other, project, library)
    if kind == "dosage override":
        other = copy.deepcopy(protocol)
        other["exercises"][1]["dosage"] = {"sets": 4}
        return kept, (other, project, library)
    assert kind == "note"
    other = copy.deepcopy(protocol)
    other["exercises"][1]["note"] = "Only on the days without a walk."
    return kept, (other, project, library)


@pytest.mark.parametrize(
    "kind",
    [
        "library file content",
        "library file path",
        "place in the protocol",
        "language",
        "dosage override",
        "note",
    ],
)
def test_a_kept_reference_is_given_only_to_one_that_reads_the_same(kind, tmp_path):
    kept, asked = _variant(kind, tmp_path)
    first, given, own = _kept_then_asked(kept, asked)
    # The check can fail: the two differ in what a reference reads.
    assert own != first
    # Each reference gets what its own library file, place, language and entry make.
    assert given == own


def test_the_references_table_keeps_a_clinic_s_repeated_references_bounded():
    """1,024 kept (about 1 MB at 950 bytes each): a clinic's copies of 10,000 files hold
    2,282 distinct references, about 1,500 of them met again; 256 kept rebuilt 46 % of them
    (issue 17, thirty-third sitting). Never more than its size, however many differ."""
    table = SharedParts().references
    for number in range(3000):
        for _ in range(2):  # each kept from its second build
            table.part(("ref", 0, "library/a.json", b"\x00"), "en", {"n": number}, object)
    assert len(table) == 1024
