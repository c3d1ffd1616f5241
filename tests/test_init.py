"""`protokit init`: a therapist starting a clinic's folder typed `protokit init`, as most
tools have it, and read "No such command"; then wrote protokit.toml by hand from the
walkthrough. `init` writes it with every clinic value a TODO that nothing lets through to a
sheet (H435)."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import REPO, run_protokit

PROTOCOL = REPO / "protocols" / "psoas-stretch-glute-bridge.json"
FILLED = {
    "name": "Northside Physiotherapy",
    "address": "12 Harbour Street",
    "town": "Leeds LS1 4AB",
    "phone": "0113 496 0000",
    "email": "info@northside.example",
    "emergency": "999",
    "urgent": "111",
}


def fill_in(text: str) -> str:
    """The TODOs replaced as a clinic would, in the order the file has them."""
    values = iter(FILLED.values())
    return re.sub(r"TODO:[^\"]*", lambda _: next(values), text)


def start(folder):
    result = run_protokit("init", str(folder / "clinic"))
    assert result.code == 0, result.stderr
    return folder / "clinic"


def test_init_writes_the_clinic_to_fill_in_and_a_library(tmp_path):
    clinic = start(tmp_path)
    assert (clinic / "library").is_dir()
    text = (clinic / "protokit.toml").read_text("utf-8")
    assert text.count("TODO:") == 7
    result = run_protokit("init", "clinic", cwd=tmp_path)
    assert result.code == 0 and "kept clinic/protokit.toml as it is" in result.stdout
    assert (clinic / "protokit.toml").read_text("utf-8") == text


def test_no_sheet_until_every_todo_is_replaced(tmp_path):
    clinic = start(tmp_path)
    shutil.copytree(REPO / "protocols" / "library", clinic / "library", dirs_exist_ok=True)
    shutil.copy(PROTOCOL, clinic / "back.json")
    config = clinic / "protokit.toml"
    result = run_protokit("render", "back.json", "-o", "back.pdf", cwd=clinic)
    assert result.code == 2 and not (clinic / "back.pdf").exists()
    # The first at its line, and every other key still to fill in named (H1050): a fresh
    # file was refused for its name alone, then for each of the others in turn.
    assert re.fullmatch(
        r"protokit: error: \S*protokit\.toml:\d+:\d+: \[clinic\] name: still says TODO: write "
        r"your clinic's own details in its place \(5 more still say TODO: \[clinic\] address, "
        r"\[clinic\] phone, \[clinic\] email, \[clinic\] emergency_number, "
        r"\[clinic\] urgent_number\)\n",
        result.stderr,
    ), result.stderr
    # One left: still refused, at that value's line.
    text = fill_in(config.read_text("utf-8"))
    config.write_text(text.replace('"0113 496 0000"', '"0113 496 0000 TODO check"'), "utf-8")
    result = run_protokit("render", "back.json", "-o", "back.pdf", cwd=clinic)
    line = 1 + text.split("\n").index('phone = "0113 496 0000"')
    assert f"protokit.toml:{line}:9: [clinic] phone: still says TODO" in result.stderr
    config.write_text(text, "utf-8")
    result = run_protokit("render", "back.json", "-o", "back.pdf", cwd=clinic)
    assert result.code == 0, result.stderr
    assert (clinic / "back.pdf").read_bytes().startswith(b"%PDF")


def test_the_refusal_names_the_first_todo_left_in_the_files_order(tmp_path):
    """A therapist fills the file in from the top: each refusal names the first value still
    to replace, at its line (sorted by key, a fresh file's first refusal named the address,
    the line below the clinic's name)."""
    clinic = start(tmp_path)
    config = clinic / "protokit.toml"
    text = config.read_text("utf-8")
    lines = text.split("\n")

    def line_of(key: str) -> int:
        return 1 + next(i for i, line in enumerate(lines) if line.startswith(f"{key} ="))

    expected = [
        ("name", line_of("name")),
        ("address (item 1)", line_of("address")),  # a list's items as a reader counts them
        ("address (item 2)", line_of("address")),
        ("phone", line_of("phone")),
        ("email", line_of("email")),
    ]
    values = iter(FILLED.values())
    for key, line in expected:
        result = run_protokit("validate", str(PROTOCOL), cwd=clinic)
        assert result.code == 2
        assert f"protokit.toml:{line}:" in result.stderr, result.stderr
        assert f"[clinic] {key}: still says TODO" in result.stderr, result.stderr
        text = re.sub(r"TODO:[^\"]*", next(values), text, count=1)
        config.write_text(text, "utf-8")


def test_keys_written_in_another_order_are_named_in_that_order(tmp_path):
    (tmp_path / "protokit.toml").write_text(
        '[clinic]\nphone = "TODO"\nname = "TODO"\naddress = ["TODO"]\n', "utf-8"
    )
    result = run_protokit("validate", str(PROTOCOL), cwd=tmp_path)
    assert result.code == 2 and "protokit.toml:2:9: [clinic] phone: still says TODO" in (
        result.stderr
    ), result.stderr


@pytest.mark.parametrize("key", ["name", "address", "contact", "email"])
def test_a_todo_in_any_clinic_text_is_refused(tmp_path, key):
    """The fast path (no cerberus) must not accept what cerberus refuses."""
    value = '["TODO"]' if key == "address" else '"TODO later"'
    if key == "email":
        value = '"todo@x.example TODO"'
    (tmp_path / "protokit.toml").write_text(f"[clinic]\n{key} = {value}\n", "utf-8")
    result = run_protokit("validate", str(PROTOCOL), cwd=tmp_path)
    assert result.code == 2
    assert f"[clinic] {key}" in result.stderr and "still says TODO" in result.stderr


def test_without_a_configuration_render_names_init(tmp_path):
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    result = run_protokit("render", f"protocols/{PROTOCOL.name}", "-o", "x.pdf", cwd=tmp_path)
    assert result.code == 2 and "run protokit init to write a protokit.toml" in result.stderr


def test_settings_in_pyproject_are_kept_and_a_file_above_is_named(tmp_path):
    """A protokit.toml takes the place of any other configuration (files are not merged): the
    clinic's lint settings in pyproject.toml would have stopped applying without a word."""
    (tmp_path / "a").mkdir()
    settings = '[tool.protokit.lint]\nignore = ["TEXT001"]\n'
    (tmp_path / "a" / "pyproject.toml").write_text(settings, "utf-8")
    result = run_protokit("init", "a", cwd=tmp_path)
    assert result.code == 0 and not (tmp_path / "a" / "protokit.toml").exists()
    assert "kept the settings in a/pyproject.toml ([tool.protokit])" in result.stdout
    assert "[tool.protokit.clinic]" in result.stdout
    (tmp_path / "pyproject.toml").write_text(settings, "utf-8")
    result = run_protokit("init", "b", cwd=tmp_path)
    assert result.code == 0 and (tmp_path / "b" / "protokit.toml").exists()
    assert f"it takes the place of {tmp_path / 'pyproject.toml'}" in result.stdout


def test_the_urgent_line_written_as_its_name_is_told_to_be_the_number(tmp_path):
    # init's comment named "NHS 111"; a therapist wrote that, and read only "must be a
    # telephone number, such as 0113 496 0000": now the file and the message say to write 111.
    clinic = start(tmp_path)
    config = clinic / "protokit.toml"
    text = config.read_text("utf-8")
    assert '"111" for NHS 111' in text
    config.write_text(fill_in(text).replace('"111"', '"NHS 111"'), encoding="utf-8")
    result = run_protokit("validate", "library", cwd=clinic)
    assert result.code == 2
    assert re.fullmatch(
        r"protokit: error: \S*protokit\.toml:\d+:\d+: \[clinic\] urgent_number: must be a "
        r"telephone number starting with the digits to dial \(0113 496 0000, or 111 for NHS "
        r"111; a note may follow the number\), not 'NHS 111'\n",
        result.stderr,
    ), result.stderr
    config.write_text(fill_in(text).replace('"111"', '"111 (NHS 111)"'), encoding="utf-8")
    shutil.copy(PROTOCOL.parent / "library" / "glute-bridge.json", clinic / "library")
    assert run_protokit("validate", "library", cwd=clinic).code == 0


def test_init_again_once_filled_in_does_not_ask_to_fill_it_in(tmp_path):
    """Users' round, twentieth sitting: a therapist filled in protokit.toml, then ran `init
    --examples` as the first run suggested, and was told "next: fill in protokit.toml" again."""
    clinic = start(tmp_path)
    again = run_protokit("init", "clinic", cwd=tmp_path)
    assert "next: fill in protokit.toml; then in clinic (cd clinic), write" in again.stdout
    config = clinic / "protokit.toml"
    config.write_text(fill_in(config.read_text("utf-8")), "utf-8")
    filled = run_protokit("init", "clinic", cwd=tmp_path)
    assert filled.code == 0, filled.stderr
    assert "fill in" not in filled.stdout
    assert "next: in clinic (cd clinic), write a protocol with protokit new" in filled.stdout


@pytest.mark.parametrize("kind", ["folder", "named pipe", "link to nothing"])
def test_init_refuses_a_configuration_that_is_no_file(tmp_path, kind):
    """H1145: a protokit.toml that is a folder, a named pipe or a link to nothing was "kept as
    it is (it exists already)", with "next: fill in protokit.toml" and exit 0; every command
    in the folder then refused it. Refused in one line now, before the library is made."""
    import os

    clinic = tmp_path / "clinic"
    clinic.mkdir()
    config = clinic / "protokit.toml"
    if kind == "folder":
        config.mkdir()
    elif kind == "named pipe":
        os.mkfifo(config)
    else:
        config.symlink_to(tmp_path / "missing.toml")
    result = run_protokit("init", str(clinic))
    assert result.code == 2, result
    assert result.stderr.count("\n") == 1 and "not a configuration file" in result.stderr
    assert f"is a {kind}" in result.stderr or kind == "named pipe", result.stderr
    assert not (clinic / "library").exists() and not (tmp_path / "missing.toml").exists()


@pytest.mark.parametrize(
    ("where", "kind"),
    # (a file as FOLDER is refused by the command line's own check)
    [("folder", "named pipe (FIFO)"), ("folder", "link to nothing"), ("library", "file"),
     ("library", "named pipe (FIFO)"), ("library", "link to nothing")],
)  # fmt: skip
def test_init_names_a_folder_or_library_that_is_no_folder(tmp_path, where, kind):
    """H1309: a FOLDER that was a named pipe or a link to nothing, or a library/ in it that was
    a file, a named pipe or a link to nothing, was refused as "fifo/library: cannot create the
    folder: Not a directory" or "File exists": neither the path at fault nor what it is."""
    import os

    clinic = tmp_path / "clinic"
    path = clinic if where == "folder" else clinic / "library"
    path.parent.mkdir(exist_ok=True)
    if kind == "file":
        path.write_text("", encoding="utf-8")
    elif kind == "named pipe (FIFO)":
        os.mkfifo(path)
    else:
        path.symlink_to(tmp_path / "missing")
    result = run_protokit("init", str(clinic))
    assert result.code == 2, result
    assert (
        result.stderr
        == f"protokit: error: {path}: is a {kind}, not a folder: "
        + (
            "name a folder for the clinic's protocols (one is made if missing)"
            if where == "folder"
            else "move it out of the way, then run protokit init again"
        )
        + "; nothing was changed\n"
    )
    assert not (tmp_path / "missing").exists()
    if where == "library":
        assert os.listdir(clinic) == ["library"]


def test_the_top_help_starts_a_new_folder_with_init():
    """`protokit -h` told a new user to start with `protokit new protocol` (a sheet is then
    refused until `init`'s clinic details exist) and pointed at a `schemas/` folder that an
    installed protokit's user does not have."""
    result = run_protokit("-h")
    assert result.code == 0
    said = " ".join(result.stdout.split())
    assert "In a new folder, start with `protokit init`" in said
    assert "`protokit serve`" in said and "schemas/" not in said


def test_new_writes_drafts_before_the_clinic_is_filled_in(tmp_path):
    """README and init say that `new` still writes drafts while protokit.toml holds its TODOs;
    `new protocol -e ID` and `new prescription` read the configuration (for the library
    folders) and refused, naming the clinic's first TODO (H903)."""
    clinic = start(tmp_path)
    shutil.copy(REPO / "protocols" / "library" / "glute-bridge.json", clinic / "library")
    made = run_protokit("new", "protocol", "back", "-e", "glute-bridge", cwd=clinic)
    assert made.code == 0 and (clinic / "back.json").is_file(), made.stderr
    checked = run_protokit("validate", "back.json", cwd=clinic)  # checking still waits
    assert checked.code == 2 and "[clinic] name: still says TODO" in checked.stderr


def test_init_keeps_prescriptions_out_of_git(tmp_path):
    """Users' round, thirty-first sitting (H1317): a clinic lead keeps the protocols in git
    (docs/ci.md) and a therapist prescribes in the workbench, which saves into prescriptions/
    of the same folder: `git add .` committed patients' names and dates of birth, kept in
    every clone for ever. Only the walkthrough's readers knew to add prescriptions/ to
    .gitignore. An existing .gitignore is never changed: init says what to add."""
    clinic = start(tmp_path)
    ignore = clinic / ".gitignore"
    lines = ignore.read_text("utf-8").splitlines()
    assert "prescriptions/" in lines and all(line.startswith("#") for line in lines[:-1])
    if shutil.which("git"):
        import subprocess

        subprocess.run(["git", "init", "-q", str(clinic)], check=True)
        (clinic / "prescriptions").mkdir()
        for name in ("prescriptions/alex.json", "prescriptions/alex.pdf", "back.json"):
            (clinic / name).write_text("{}", "utf-8")
        listed = subprocess.run(
            ["git", "-C", str(clinic), "ls-files", "--others", "--exclude-standard"],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        assert "back.json" in listed and not [n for n in listed if "alex" in n]
    again = run_protokit("init", "clinic", cwd=tmp_path)
    assert "kept clinic/.gitignore, which leaves prescriptions/ out of git" in again.stdout
    ignore.write_text("node_modules/\n", "utf-8")
    again = run_protokit("init", "clinic", cwd=tmp_path)
    assert again.code == 0 and ignore.read_text("utf-8") == "node_modules/\n"
    assert (
        "note: clinic/.gitignore does not leave prescriptions/ out of git: add the line "
        "prescriptions/ to it"
    ) in again.stdout
