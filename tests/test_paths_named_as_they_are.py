"""A path that protokit refuses is named as the user sees it: a symbolic link to nothing is
called one (not "no such file", "did you mean" the same name, or "File exists"), and a file
the output would replace is named from the folder the command was run in, never by where this
machine keeps it."""

from __future__ import annotations

import shutil

import pytest

from conftest import PROTOCOLS, REPO, run_protokit

EXAMPLE = "psoas-stretch-glute-bridge.json"
CLINIC_TOML = (
    '[clinic]\nname = "Northside Physio"\nphone = "0113 496 0000"\n'
    'emergency_number = "999"\nurgent_number = "111"\n'
)


@pytest.fixture
def clinic(tmp_path):
    shutil.copytree(PROTOCOLS / "library", tmp_path / "library")
    shutil.copyfile(PROTOCOLS / EXAMPLE, tmp_path / EXAMPLE)
    shutil.copyfile(REPO / "docs" / "examples" / "prescription-psoas.json", tmp_path / "rx.json")
    (tmp_path / "protokit.toml").write_text(CLINIC_TOML, "utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [
        ("build", EXAMPLE, "-o", "LINK"),
        ("new", "exercise", "knee-hug", "-o", "LINK"),
        ("new", "prescription", "--protocol", EXAMPLE, "-o", "LINK"),
        ("bundle", "create", EXAMPLE, "-o", "LINK"),
        ("export", "fhir", EXAMPLE, "-o", "LINK"),
        ("validate", "LINK"),
        ("fmt", "LINK"),
    ],
    ids=lambda command: "-".join(command[:2]),
)
def test_a_link_to_nothing_is_called_so_and_names_where_it_leads(clinic, command):
    """H1415: `build -o out` where `out` was a link to a folder not yet made said "out: cannot
    create the folder: File exists"; `new ... -o x.json` "already exists (use --force to
    replace it)", `bundle create` and `export fhir` "exists and is not a bundle"; `validate`
    and `fmt` "no such file or folder (did you mean x.json?)", the very name given."""
    name = "drafts.json" if command[0] in ("new", "export", "validate", "fmt") else "out"
    if command[0] == "bundle":
        name = "out.pkb"
    (clinic / name).symlink_to(f"gone/{name}")
    before = sorted(p.name for p in clinic.iterdir())
    result = run_protokit(*(name if part == "LINK" else part for part in command), cwd=clinic)
    # fmt goes on to the other files it was given: 1, as for any file it cannot read.
    assert result.code == (1 if command[0] == "fmt" else 2), result.stdout + result.stderr
    [line] = [text for text in result.stderr.splitlines() if "error" in text]
    said = f"error: {name}: is a link to nothing (it leads to gone/{name}, which does not exist)"
    assert said in line and "did you mean" not in line, line
    assert sorted(p.name for p in clinic.iterdir()) == before
    assert (clinic / name).is_symlink() and not (clinic / "gone").exists()


def test_links_that_go_round_as_an_output_folder_are_called_so(clinic):
    (clinic / "a").symlink_to("b")
    (clinic / "b").symlink_to("a")
    result = run_protokit("build", EXAMPLE, "-o", "a", cwd=clinic)
    assert result.code == 2
    assert result.stderr.splitlines() == [
        "protokit: error: a: is a link to nothing (its links go round); give a folder for the "
        "output"
    ]


def test_the_library_file_an_output_would_replace_is_named_from_the_working_folder(clinic):
    """H1416: `new prescription -o LINK --force`, where LINK led to a library exercise, named
    the library file by its absolute path ("(/home/.../library/glute-bridge.json)"); and
    given as the library file's own name, it was named twice, once that way."""
    (clinic / "bridge.json").symlink_to("library/glute-bridge.json")
    before = (clinic / "library" / "glute-bridge.json").read_bytes()
    for output, named in (("bridge.json", " (library/glute-bridge.json)"),
                          ("library/glute-bridge.json", "")):  # fmt: skip
        result = run_protokit(
            "new", "prescription", "--protocol", EXAMPLE, "-o", output, "--force", cwd=clinic
        )
        assert result.code == 2
        assert result.stderr.splitlines() == [
            f"protokit: error: {output}: is a library exercise file{named} that the new file "
            "is made from: writing the new file there would replace it; nothing written, "
            "choose another output file"
        ]
    assert (clinic / "library" / "glute-bridge.json").read_bytes() == before
