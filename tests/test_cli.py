"""The command line as a user meets it: help, version, exit codes, stdin, output files."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from conftest import CASES, PROTOCOLS, REPO, run_protokit

VALID = CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json"
INVALID = CASES / "validate" / "invalid" / "wrong-enum-status" / "protocol.json"


def test_help_and_version():
    result = run_protokit("--help")
    assert result.code == 0 and "validate" in result.stdout
    assert run_protokit("-h").stdout == result.stdout
    version = run_protokit("--version")
    assert version.code == 0 and version.stdout.startswith("protokit, version ")


def test_every_subcommand_has_short_help():
    from protocol_kit.cli.group import LazyGroup
    from protocol_kit.cli.main import COMMANDS

    available = [name for name in COMMANDS if LazyGroup._available(name)]
    assert "validate" in available and "new" in available
    for name in available:
        result = run_protokit(name, "-h")
        assert result.code == 0, (name, result.stderr)
        assert "Usage: protokit " + name in result.stdout


def test_valid_file_exits_0_and_invalid_exits_1():
    assert run_protokit("validate", str(VALID)).code == 0
    result = run_protokit("validate", str(INVALID))
    assert result.code == 1
    assert '"approved" is not one of: draft, active, retired [/status]' in result.stdout
    assert "failed" in result.stderr and "failed" not in result.stdout


def test_missing_path_is_a_usage_error():
    result = run_protokit("validate", "no-such-file.json")
    assert result.code == 2
    assert result.stderr.strip() == "protokit: error: no-such-file.json: no such file or folder"


def test_bad_option_is_a_usage_error():
    result = run_protokit("validate", "--format", "xml", str(VALID))
    assert result.code == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "protokit validate: error: Invalid value for '-f' / '--format': 'xml' is not one of "
        "'text', 'json', 'github', 'sarif', 'junit' (see: protokit validate -h)"
    ]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("render", "missing.jsn", "-o", "x.pdf"),
            "protokit render: error: Invalid value for 'PROTOCOL': File 'missing.jsn' does not "
            "exist (see: protokit render -h)",
        ),
        (
            ("validate", "--formt", "json", "x.json"),
            "protokit validate: error: No such option '--formt'. Did you mean '--format'? "
            "(see: protokit validate -h)",
        ),
        (
            ("keys", "generate", "--name", "Northside Physio"),
            "protokit keys generate: error: Missing option '-o' / '--output' "
            "(see: protokit keys generate -h)",
        ),
        (
            ("rendr", "x.json"),
            "protokit: error: No such command 'rendr'. Did you mean 'render'? (see: protokit -h)",
        ),
        (
            # The docs call `serve`'s page "the workbench".
            ("workbench", "protocols/"),
            "protokit: error: No such command 'workbench'. Did you mean 'serve'? "
            "(see: protokit -h)",
        ),
        (
            ("bundle", "creat"),
            "protokit bundle: error: No such command 'creat'. Did you mean 'create'? "
            "(see: protokit bundle -h)",
        ),
        (
            ("validate",),
            "protokit validate: error: Missing argument 'PATH...' (see: protokit validate -h)",
        ),
    ],
)
def test_click_usage_errors_are_one_line(args, line):
    result = run_protokit(*args)
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [line]
    assert result.stdout == ""


def test_a_group_without_a_command_shows_its_help():
    result = run_protokit("bundle")
    assert result.code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Usage: protokit bundle [OPTIONS] COMMAND [ARGS]...")


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys):
    from protocol_kit.cli import group, validate_run
    from protocol_kit.cli import main as entry

    def interrupted(ctx):
        raise KeyboardInterrupt

    monkeypatch.setattr(validate_run, "quick_args", lambda argv: None)  # through click
    monkeypatch.setattr(group.cli, "invoke", interrupted)
    with pytest.raises(SystemExit) as done:
        entry.main(["validate", str(VALID)])
    assert done.value.code == 130
    assert capsys.readouterr().err.strip() == "protokit: interrupted"


def test_ctrl_c_without_click_is_the_same(monkeypatch, capsys):
    # `validate FILE` is read without click (cli/validate_run.py): Ctrl-C while it runs ends
    # as it does through click, an empty line and then one line, exit 130.
    from protocol_kit.cli import main as entry
    from protocol_kit.cli import validate, validate_run

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(validate_run, "execute", interrupted)
    monkeypatch.setattr(validate, "execute", interrupted)  # the click command's
    with pytest.raises(SystemExit) as done:
        entry.main(["validate", str(VALID)])
    quick = (done.value.code, capsys.readouterr().err)
    monkeypatch.setattr(validate_run, "quick_args", lambda argv: None)
    with pytest.raises(SystemExit) as done:
        entry.main(["validate", str(VALID)])
    assert quick == (done.value.code, capsys.readouterr().err) == (130, "\nprotokit: interrupted\n")


def test_abort_and_exit_keep_their_codes(monkeypatch, capsys):
    import click

    from protocol_kit.cli import group, validate_run
    from protocol_kit.cli import main as entry

    def aborted(ctx):
        raise click.Abort

    monkeypatch.setattr(validate_run, "quick_args", lambda argv: None)  # through click
    monkeypatch.setattr(group.cli, "invoke", aborted)
    with pytest.raises(SystemExit) as done:
        entry.main(["validate", str(VALID)])
    assert done.value.code == 2 and capsys.readouterr().err == "protokit: aborted\n"

    def exits(ctx):
        ctx.exit(3)

    monkeypatch.setattr(group.cli, "invoke", exits)
    with pytest.raises(SystemExit) as done:
        entry.main(["validate", str(VALID)])
    assert done.value.code == 3 and capsys.readouterr().err == ""


def test_stdin_is_read_for_dash():
    result = run_protokit("validate", "-", stdin=INVALID.read_bytes())
    assert result.code == 1
    assert result.stdout.startswith("-:7:13: error SCHEMA002")
    assert run_protokit("validate", "-", stdin=VALID.read_bytes()).code == 0


def test_stdin_garbage_is_a_finding_not_a_crash():
    result = run_protokit("validate", "-", stdin=b"\x00\xff\xfe garbage")
    assert result.code == 1 and "JSON004" in result.stdout and "Traceback" not in result.stderr


def test_unreadable_file_exits_2(tmp_path):
    folder = tmp_path / "folder.json"
    folder.mkdir()
    target = tmp_path / "locked.json"
    target.write_text("{}")
    target.chmod(0)
    result = run_protokit("validate", str(target))
    target.chmod(0o600)
    if result.code == 1:  # running as root: permissions do not apply
        pytest.skip("file permissions are not enforced for this user")
    assert result.code == 2 and "IO001" in result.stdout


def test_a_file_that_cannot_be_read_exits_2_after_the_others_are_checked(tmp_path):
    (tmp_path / "gone.json").symlink_to(tmp_path / "deleted.json")
    (tmp_path / "empty.json").write_text("")
    result = run_protokit("validate", str(tmp_path))
    assert result.code == 2
    assert (
        "gone.json: error IO001" in result.stdout
        and "empty.json:1:1: error JSON001" in result.stdout
    )


def test_a_folder_without_protocol_files_is_an_error_not_a_pass(tmp_path):
    (tmp_path / "readme.txt").write_text("protocols go here")
    for command in (["validate"], ["build", "-o", str(tmp_path / "sheets")]):
        result = run_protokit(*command, str(tmp_path))
        assert result.code == 2, command
        assert (
            result.stderr
            == f"protokit: error: {tmp_path}: no .json files in this folder or below it: name "
            "the folder that holds your protocols, or write one (protokit new protocol ID)\n"
        )


def test_report_written_to_file_atomically(tmp_path):
    out = tmp_path / "report.sarif"
    result = run_protokit("validate", "--format", "sarif", "-o", str(out), str(INVALID))
    assert result.code == 1 and result.stdout == ""
    assert json.loads(out.read_text())["runs"][0]["results"][0]["ruleId"] == "SCHEMA002"
    assert [p.name for p in tmp_path.iterdir()] == ["report.sarif"]


def test_reports_are_whole_when_the_process_ends(tmp_path):
    # As its own process, `validate` leaves what is alive at exit to the system (no last
    # collection, cli/main.py `_pause_for_setup`): every report is written and closed before
    # (H299), whether to a file or to standard output, with a valid file or one that fails.
    out = tmp_path / "report.json"
    for files in ((str(INVALID),), (str(VALID), str(INVALID))):
        written = run_protokit(
            "validate", "--format", "json", "-o", str(out), *files, subprocess_only=True
        )
        printed = run_protokit("validate", "--format", "json", *files, subprocess_only=True)
        assert written.code == printed.code == 1 and written.stdout == ""
        assert out.read_text() == printed.stdout
        assert [f["path"] for f in json.loads(printed.stdout)["files"]] == list(files)


def test_the_report_never_replaces_a_file_it_checks(tmp_path):
    target = tmp_path / "protocol.json"
    target.write_bytes(INVALID.read_bytes())
    result = run_protokit("validate", "--format", "sarif", "-o", str(target), str(target))
    assert result.code == 2
    assert result.stderr == (
        f"protokit: error: {target}: is one of the files that the report is made from: writing "
        "the report there would replace it; nothing written, choose another output file\n"
    )
    assert target.read_bytes() == INVALID.read_bytes()


def test_github_format_is_chosen_on_github_actions():
    result = run_protokit("validate", str(INVALID), env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=")


def test_oversized_file_and_raised_limit(tmp_path):
    result = run_protokit("validate", "--max-bytes", "100", str(VALID))
    assert result.code == 1 and "JSON007" in result.stdout
    assert run_protokit("validate", "--max-bytes", "100000", str(VALID)).code == 0


def test_folder_is_searched_recursively_and_in_order():
    result = run_protokit("validate", "--format", "json", str(CASES / "validate" / "valid"))
    paths = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert len(paths) == 9
    # Folders in name order, a folder's own files before its subfolders'.
    assert paths[1].endswith("library-override-translated/protocol.json")
    assert paths[2].endswith("library-override-translated/library/cat-cow.json")
    assert paths[3].endswith("library-reference/protocol.json")
    assert paths[4].endswith("library-reference/library/knee-hug.json")


def test_validate_does_not_import_heavy_modules():
    code = (
        "import sys\n"
        "from protocol_kit.cli.main import main\n"
        f"sys.argv = ['protokit', 'validate', '-q', {str(VALID)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('reportlab', 'cryptography', 'jsonschema', 'json_source_map')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "", f"validate of a valid file imported: {out.stdout}"


def test_new_protocol_writes_a_valid_file_and_refuses_to_overwrite(tmp_path):
    result = run_protokit("new", "protocol", "knee-rehab", cwd=tmp_path)
    assert result.code == 0
    written = tmp_path / "knee-rehab.json"
    data = json.loads(written.read_text())
    assert data["$schema"].endswith("/protocol.schema.json") and data["id"] == "knee-rehab"
    assert "TODO" in data["title"]
    # Valid against the schema; the placeholder rule refuses it until every TODO is filled in.
    assert run_protokit("validate", "--no-lint", str(written)).code == 0
    linted = run_protokit("validate", str(written))
    assert linted.code == 1 and "error TEXT003 placeholder left" in linted.stdout
    again = run_protokit("new", "protocol", "knee-rehab", cwd=tmp_path)
    assert again.code == 2 and "already exists" in again.stderr
    assert run_protokit("new", "protocol", "Knee Rehab", cwd=tmp_path).code == 2


@pytest.mark.parametrize(
    "typed, hint",
    [
        (
            "knee-rehab.json",
            " (did you mean 'knee-rehab'? The file is named after the id, or by -o.)",
        ),
        ("Knee Rehab", " (did you mean 'knee-rehab'?)"),
        ("knee_rehab", " (did you mean 'knee-rehab'?)"),
        ("???", ""),
    ],
)
def test_an_id_a_new_user_types_wrong_gets_the_id_meant(tmp_path, typed, hint):
    """A new user gave the file name (`knee-rehab.json`) or the title's words, and was told
    only the rule for ids."""
    result = run_protokit("new", "protocol", typed, cwd=tmp_path)
    assert result.code == 2 and list(tmp_path.iterdir()) == []
    assert result.stderr == (
        f"protokit: error: '{typed}' is not a valid id: use lower-case letters and digits in "
        f"words joined by single hyphens, for example 'knee-rehab-phase-1'{hint}\n"
    )


@pytest.mark.parametrize(
    ("command", "typed", "meant"),
    [
        (["new", "prescription", "--protocol", "protocols/psoas-stretch-glute-bridge.json"],
         "prescriptions/alex",
         "prescriptions/alex.json"),
        (["new", "protocol", "knee-rehab", "-o"], "drafts/knee", "drafts/knee.json"),
        (["new", "exercise", "wall-squat", "-o"], "library/wall-squat.txt",
         "library/wall-squat.json"),
        (["new", "exercise", "wall-squat", "-o"], "library/WALL.JSON", "library/WALL.json"),
    ],
)  # fmt: skip
def test_a_new_file_not_named_json_is_refused(tmp_path, command, typed, meant):
    """`new prescription prescriptions/alex` wrote a file that validating the folder, `build`
    and the pre-commit hook never read: only `*.json` files are looked for (H329)."""
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    result = run_protokit(*command, typed, cwd=tmp_path)
    assert result.code == 2
    assert result.stderr == (
        f"protokit: error: {typed}: the name of a protocol-kit file must end in .json, or "
        "validating its folder, build and the pre-commit hook would never read it (did you "
        f"mean {meant}?)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["protocols"]


def test_new_makes_the_folder_it_is_asked_to_write_into(tmp_path):
    result = run_protokit("new", "protocol", "knee-rehab", "-o", "drafts/knee.json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert json.loads((tmp_path / "drafts" / "knee.json").read_text())["id"] == "knee-rehab"


def test_new_exercise_goes_into_the_library_folder(tmp_path):
    (tmp_path / "library").mkdir()
    assert run_protokit("new", "exercise", "wall-squat", cwd=tmp_path).code == 0
    written = tmp_path / "library" / "wall-squat.json"
    assert json.loads(written.read_text())["$schema"].endswith("/exercise.schema.json")
    # Valid against the schema; checked on its own, its TODOs are reported until filled in.
    assert run_protokit("validate", "--no-lint", str(written)).code == 0
    linted = run_protokit("validate", str(written))
    assert linted.code == 1 and "error TEXT003 placeholder left" in linted.stdout


def test_schemas_command_points_at_local_files():
    result = run_protokit("schemas", "--dir")
    assert result.code == 0
    assert (REPO / "schemas").samefile(result.stdout.strip()) or result.stdout.strip().endswith(
        "protocol_kit/schemas"
    )


def test_example_protocols_are_valid():
    result = run_protokit("validate", str(PROTOCOLS))
    assert result.code == 0, result.stdout
    assert result.stdout == ""


def test_a_library_exercise_given_as_a_protocol_is_named_with_the_right_article(tmp_path):
    exercise = PROTOCOLS / "library" / "glute-bridge.json"
    result = run_protokit("render", str(exercise), "-o", str(tmp_path / "x.pdf"))
    assert result.code == 2
    assert result.stderr == (
        f"protokit: error: {exercise}: is a library exercise, not an exercise protocol\n"
    )


def test_an_id_with_a_byte_that_is_not_utf8_is_quoted_as_that_byte(tmp_path):
    """H426: an argument holding a byte that is not UTF-8 (a name pasted from an old system)
    was quoted as Python keeps it, '\\udcff', where every other message writes the byte as
    '\\xff'; a 300-character id was quoted whole."""
    result = run_protokit("new", "protocol", "caf\udce9", cwd=tmp_path)
    assert result.code == 2 and list(tmp_path.iterdir()) == []
    assert result.stderr.startswith("protokit: error: 'caf\\xe9' is not a valid id")
    result = run_protokit("new", "protocol", "x" * 300, cwd=tmp_path)
    assert result.code == 2 and "x" * 100 not in result.stderr and "...' is not" in result.stderr
