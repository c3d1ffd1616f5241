"""The repository's configuration file (`protokit.toml`, or `[tool.protokit]` in
`pyproject.toml`): the keys a clinic sets once, as `protokit validate` uses them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import CASES, CLINIC_NUMBERS, run_protokit

CASE = CASES / "validate" / "valid" / "library-reference"
BROKEN = CASES / "validate" / "invalid" / "wrong-enum-status" / "protocol.json"


def make_repository(root, config: str):
    """A clinic repository: protocols/, a shared library outside it, a drafts folder."""
    (root / "protocols" / "drafts").mkdir(parents=True)
    shutil.copy(CASE / "protocol.json", root / "protocols" / "back.json")
    shutil.copytree(CASE / "library", root / "shared" / "exercises")
    shutil.copy(BROKEN, root / "protocols" / "drafts" / "unfinished.json")
    (root / "protokit.toml").write_text(config)
    return root


def test_library_and_exclude_from_the_configuration(tmp_path):
    root = make_repository(
        tmp_path, 'library = ["shared/exercises"]\nexclude = ["protocols/drafts"]\n'
    )
    result = run_protokit("validate", "protocols", cwd=root)
    assert result.code == 0, result.stdout
    assert result.stderr.strip() == "checked 1 file: all valid"
    # As a pre-commit hook runs it: the file named, from a subfolder.
    named = run_protokit("validate", "drafts/unfinished.json", "back.json", cwd=root / "protocols")
    assert (named.code, named.stderr.strip()) == (0, "checked 1 file: all valid")


def test_without_the_configuration_both_are_reported(tmp_path):
    root = make_repository(tmp_path, "")
    result = run_protokit("validate", "protocols", cwd=root)
    assert result.code == 1
    assert "back.json:" in result.stdout and "REF001 no library exercise with id 'knee-hug'" in (
        result.stdout
    )
    assert "drafts/unfinished.json:7:13: error SCHEMA002" in result.stdout


@pytest.mark.parametrize("pattern", ["protocols", "*", "**", "*.json"])
@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_folder_whose_every_file_is_excluded_is_refused_not_passed(tmp_path, pattern, command):
    """H213: `exclude` matching every file of a folder named on the command line (a pattern
    written too wide) made `validate protocols` print nothing and exit 0, and `build` write
    no sheet with status 0: CI passed having checked nothing. Refused as an empty folder is;
    a file named on its own and excluded is still skipped (a pre-commit hook names drafts)."""
    config = f'library = ["shared/exercises"]\nexclude = ["{pattern}"]\n{CLINIC_NUMBERS}'
    root = make_repository(tmp_path, config)
    args = ["validate", "protocols"]
    if command == "build":
        args = ["build", "protocols", "-o", "sheets", "--no-bundle"]
    result = run_protokit(*args, cwd=root)
    assert result.code == 2, (result.stdout, result.stderr)
    assert result.stderr == (
        "protokit: error: protocols: every .json file in this folder or below it is excluded by "
        "the configuration's exclude patterns, so nothing would be checked\n"
    )
    if pattern != "*.json":  # (a pattern of names: the file is excluded wherever it is)
        return
    named = run_protokit("validate", "protocols/back.json", cwd=root)
    assert (named.code, named.stderr) == (0, "")


def test_glob_patterns_cross_folders(tmp_path):
    root = make_repository(tmp_path, 'library = ["shared/exercises"]\nexclude = ["*/unfin*"]\n')
    result = run_protokit("validate", "protocols", cwd=root)
    assert (result.code, result.stderr.strip()) == (0, "checked 1 file: all valid")


def test_a_mistake_in_the_configuration_names_the_file_and_key(tmp_path):
    root = make_repository(tmp_path, 'exclude = "protocols/drafts"\n')
    result = run_protokit("validate", "protocols", cwd=root)
    assert result.code == 2
    assert result.stderr.strip() == (
        "protokit: error: protokit.toml:1:11: exclude: must be a list in "
        'square brackets, such as ["..."]'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[clinc]\nname = "X"\n', ":1:1: clinc: unknown field (did you mean 'clinic'?)"),
        (
            '[lint]\nignroe = ["DOSE"]\n',
            ":2:1: [lint] ignroe: unknown field (did you mean 'ignore'?)",
        ),
        (
            '[lint.severity]\nDOSE002 = "eror"\n',
            ':2:11: [lint] severity.DOSE002: "eror" is not a severity (did you mean '
            "'error'?): write error or warning",
        ),
        ('library = ["nonexistent"]\n', ':1:11: library: no such folder "nonexistent"'),
        # A wrong type, a bound of two numbers, a key that is no rule code: said as what to
        # write, not in the validator's words ("must be of boolean type", "does not match
        # regex '^[A-Z]{2,5}[0-9]{3}$'", "length of list should be 3, it is 2").
        ('[lint]\nignore = "DOSE004"\n', ":2:10: [lint] ignore: must be a list in square brackets"),
        (
            '[lint]\nwarnings_as_errors = "yes"\n',
            ":2:22: [lint] warnings_as_errors: must be true or false, without quotes",
        ),
        (
            '[lint.severity]\ndose004 = "error"\n',
            ':2:1: [lint] severity.dose004: "dose004" is not a rule code such as DOSE002 (did you '
            "mean 'DOSE004'?): protokit rules lists them",
        ),
        (
            "[lint.bounds.stretch]\nhold_seconds = [20, 60]\n",
            ":2:16: [lint] bounds.stretch.hold_seconds: must be three numbers in square brackets: "
            "[usual min, usual max, safe limit]; it has 2",
        ),
        (
            '[lint]\nexclude = ["drafts/*"]\n',
            ":2:1: [lint] exclude: unknown field: exclude is a key of its own, not of [lint]: "
            "write it above the first [table] of the file",
        ),
        (
            '[clinic]\nname = "X"\nlogo = "nologo.png"\n',
            ':3:8: [clinic] logo: no such file "nologo.png"',
        ),
        (  # a number struck through on the sheet, "9̶9̶9" (H313)
            '[clinic]\nname = "X"\nemergency_number = "9\\u03369\\u03369"\n',
            ":3:20: [clinic] emergency_number: holds a combining mark (U+0336 COMBINING LONG "
            "STROKE OVERLAY) after '9', which would be printed over it; type the number again",
        ),
        (
            '[tool.protokit.clinic]\nname = "X"\n',
            ":1:1: tool: unknown field: [tool.protokit] tables belong in pyproject.toml",
        ),
    ],
)
def test_a_configuration_mistake_says_where_and_how_to_correct_it(tmp_path, text, expected):
    root = make_repository(tmp_path, text)
    result = run_protokit("validate", "protocols", cwd=root)
    assert result.code == 2
    assert result.stderr.startswith(f"protokit: error: protokit.toml{expected}")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("made", ["folder", "named-pipe", "link-to-nothing"])
def test_a_configuration_name_that_is_no_file_is_an_error_not_skipped(tmp_path, made):
    """H181: a protokit.toml that is a folder, a named pipe or a link to nothing was skipped:
    the run went on under a parent folder's settings, or the defaults, without a word."""
    import os

    from protocol_kit.config import load_config
    from protocol_kit.errors import ConfigError

    name = tmp_path / "project" / "protokit.toml"
    name.parent.mkdir()
    (tmp_path / "protokit.toml").write_text("[lint]\nignore = ['DOSE']\n", "utf-8")
    if made == "folder":
        name.mkdir()
    elif made == "named-pipe":
        os.mkfifo(name)
    else:
        name.symlink_to(tmp_path / "nowhere.toml")
    with pytest.raises(ConfigError, match="protokit.toml: is "):
        load_config(start=name.parent)


def test_a_named_pipe_given_as_the_configuration_is_said_to_be_one(tmp_path):
    """H952: `--config PIPE` said "no such configuration file" of a file that is there (a
    found protokit.toml that is a pipe is named as one, H181)."""
    import os

    from protocol_kit.config import load_config
    from protocol_kit.errors import ConfigError

    os.mkfifo(tmp_path / "clinic.toml")
    with pytest.raises(ConfigError, match=r"clinic.toml: is a named pipe \(FIFO\), not a conf"):
        load_config(tmp_path / "clinic.toml")
    with pytest.raises(ConfigError, match="other.toml: no such configuration file"):
        load_config(tmp_path / "other.toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[bundle]\ntrust = "trust\\u0000.toml"\n',
            ":2:9: [bundle] trust: holds a NUL character, which no file name can",
        ),
        (
            '[bundle]\ntrust = "' + "t" * 5000 + '"\n',
            ":2:9: [bundle] trust: is 5,000 bytes long: no system opens a path longer than 4,095",
        ),
        (
            'library = ["' + "l" * 300 + '"]\n',
            ":1:11: library: holds a name of 300 bytes: no file system holds one longer than 255",
        ),
        (
            '[clinic]\nname = "X"\nlogo = "a\\u0000.png"\n',
            ":3:8: [clinic] logo: holds a NUL character, which no file name can",
        ),
    ],
    ids=["trust-nul", "trust-too-long", "library-name-too-long", "logo-nul"],
)
@pytest.mark.parametrize("command", ["validate", "bundle-verify"])
def test_a_configured_path_no_system_can_open_is_refused_when_read(
    tmp_path, text, expected, command
):
    """H211: `[bundle] trust` holding a NUL character was `internal error: ValueError: embedded
    null byte` in `bundle verify` and `import`, and `validate` accepted a trust path no system
    could open (found by fuzzing the configuration)."""
    root = make_repository(tmp_path, text)
    (root / "b.zip").write_bytes(b"")
    args = ["validate", "protocols"] if command == "validate" else ["bundle", "verify", "b.zip"]
    result = run_protokit(*args, cwd=root)
    if command == "bundle-verify" and "[clinic]" in expected:
        # The receiving clinic's own details are not read by `verify` (H1426): its bundle is.
        assert result.code == 1 and "b.zip: the file is empty" in result.stderr
        return
    assert result.code == 2, result.stderr
    assert result.stderr == f"protokit: error: protokit.toml{expected}\n"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("tool = 1\n", "tool"),
        ('[tool]\nprotokit = "x"\n', "tool.protokit"),
        ("[[tool.protokit]]\nexclude = []\n", "tool.protokit"),
    ],
    ids=["tool-a-number", "protokit-a-text", "protokit-an-array-of-tables"],
)
@pytest.mark.parametrize("named", [False, True], ids=["found", "--config"])
def test_a_pyproject_whose_tool_table_is_no_table_is_refused_in_one_line(
    tmp_path, text, where, named
):
    """H215: `tool` or `tool.protokit` of a pyproject.toml written as a number, a text or an
    array of tables was `internal error: AttributeError` / `DocumentError`."""
    root = make_repository(tmp_path, "")
    (root / "protokit.toml").unlink()
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    config = ["--config", "pyproject.toml"] if named else []
    result = run_protokit("validate", *config, "protocols", cwd=root)
    # Found or named, the file is named as the user would (H420: found, it was absolute).
    assert (result.code, result.stderr) == (
        2,
        f"protokit: error: pyproject.toml: {where} is not a table: write the settings under "
        "[tool.protokit]\n",
    )


@pytest.mark.parametrize(
    ("line", "column", "advice"),
    [
        ("phone = 0113 496 0000", 10, 'put it in quotes: phone = "0113 496 0000"'),
        ("phone = 01134960000  # reception", 10, 'put it in quotes: phone = "01134960000"'),
        ("name = Northside Physio", 8, 'put it in quotes: name = "Northside Physio"'),
        ('select = ["A" "B"]', 15, None),  # no text without quotes: the parser's words only
    ],
)
def test_text_written_without_quotes_is_told_to_have_them(tmp_path, line, column, advice):
    """The walkthrough's clinic numbers typed as numbers: the TOML parser said only "Expected
    newline or end of document after a statement (at line 2, column 10)"."""
    table = "[lint]" if line.startswith("select") else "[clinic]"
    root = make_repository(tmp_path, f"{table}\n{line}\n")
    result = run_protokit("validate", "protocols", cwd=root)
    assert result.code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"protokit: error: protokit.toml:2:{column}: not valid TOML: ")
    said = result.stderr.rstrip()
    if advice is not None:
        assert said.endswith(f": if this is text, {advice}")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[clinic]\nname = "Northside\nphone = "1"\n', "protokit.toml:2:18: not valid TOML: "),
        ("[clinic\nname = 'x'\n", "protokit.toml:1:8: not valid TOML: "),
        ("[clinic]\nname = 'x'\nname = 'y'\n", "protokit.toml:3:11: not valid TOML: "),
        # Never closed: the parser says "at end of document"; the place is where it starts.
        (
            '[clinic]\nname = \'x\'\naddress = """1 High Street\nLeeds\n',
            "protokit.toml:3:11: not valid TOML: Unterminated string: the text in three quotes "
            "that starts here is never closed",
        ),
        (
            "[clinic]\nname = 'x'\nphone = 'a\n",
            'protokit.toml:3:9: not valid TOML: Expected "\'": the text in quotes that starts '
            "here is never closed",
        ),
        (
            "[lint]\nignore = ['TEXT001',\n  'GOV002',\n",
            "protokit.toml:2:10: not valid TOML: Invalid value: the list that starts here is "
            "never closed",
        ),
        ("[clinic]\nname = ", "protokit.toml:2:6: not valid TOML: Invalid value at the end"),
        (
            "[tool.protokit.lint]\nignore = ['TEXT001',\n",
            "pyproject.toml:2:10: not valid TOML: Invalid value: the list that starts here",
        ),
    ],
)
def test_a_toml_syntax_error_is_placed_at_file_line_column(tmp_path, text, says):
    """The TOML parser's errors named the file and "(at line L, column C)" at the end, where
    no editor or CI annotation finds it (JSON's are `FILE:LINE:COLUMN:`), and a string, list
    or table never closed was "at end of document", far from where it was left open."""
    root = make_repository(tmp_path, "")
    (root / "protokit.toml").unlink()
    (root / says.split(":")[0]).write_text(text)
    result = run_protokit("validate", "protocols", cwd=root)
    assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"protokit: error: {says}"), result.stderr
    assert "(at line" not in result.stderr and "end of document" not in result.stderr


def _refused_at(tmp_path, text, expected):
    """`validate` with `text` as protokit.toml stops with one error at `expected`'s place."""
    root = make_repository(tmp_path, text)
    result = run_protokit("validate", "protocols", cwd=root)
    assert result.code == 2
    assert result.stderr.startswith(f"protokit: error: protokit.toml{expected}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[clinic]\nname =    5\n", ":2:11: [clinic] name: must be text in quotes"),
        ('[lint]\n  warnings_as_errors = "yes"\n', ":2:24: [lint] warnings_as_errors: must be"),
        (
            '[lint]\nselect = ["SAFE001", 3]\n',
            ":2:10: [lint] select (item 2): must be text in quotes",
        ),
        ("[lint]\n  strict = true\n", ":2:3: [lint] strict: unknown field"),
    ],
)
def test_a_configuration_type_error_names_its_line_and_column(tmp_path, text, expected):
    """H352: a value of the wrong type in protokit.toml was placed by its line only: the
    column (of the value, or of a key that should not be there) is said too, as for JSON."""
    _refused_at(tmp_path, text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[clinic]\nname = "North\\u202eClinic"\n',
            ":2:8: [clinic] name: holds U+202E (RIGHT-TO-LEFT OVERRIDE), which cannot be seen",
        ),
        (
            '[clinic]\nname = "X"\naddress = ["1 High\\u200bStreet"]\n',
            ":3:11: [clinic] address (item 1): holds U+200B (ZERO WIDTH SPACE), which cannot "
            "be seen",
        ),
        (
            '[clinic]\nname = "X"\ncontact = "a\\u0000b"\n',
            ":3:11: [clinic] contact: holds U+0000 (a control character), which cannot be seen",
        ),
        (
            '[clinic]\nname = "X"\nemergency_place = {en = "A\\u202eE"}\n',
            ":3:19: [clinic] emergency_place.en: holds U+202E (RIGHT-TO-LEFT OVERRIDE)",
        ),
    ],
    ids=["name", "address", "contact", "emergency-place"],
)
def test_a_clinic_text_the_sheet_cannot_print_is_refused_by_validate(tmp_path, text, expected):
    """H356: a direction override, an invisible or a control character in the clinic's name,
    address, contact or emergency place passed `validate` (CI, the pre-commit hook) and was
    refused only by the first `render`, in a message without line or column."""
    _refused_at(tmp_path, text, expected)


@pytest.mark.parametrize(
    ("logo", "expected"),
    [
        (b"GIF89a not a sheet picture", '"logo.png" cannot be printed: the file is not a PNG'),
        (None, '"logo.png" cannot be read: is a named pipe (FIFO), not a regular file'),
    ],
    ids=["not-a-png", "named-pipe"],
)
def test_a_logo_the_sheet_cannot_print_is_refused_by_validate(tmp_path, logo, expected):
    """H356: a logo that is no PNG or JPEG (a GIF renamed, a damaged file) passed `validate`
    and was refused by the first `render` without a line or column; a named pipe or a device
    as the logo was "no such file"."""
    root = make_repository(tmp_path, '[clinic]\nname = "X"\nlogo = "logo.png"\n')
    if logo is None:
        os.mkfifo(root / "logo.png")
    else:
        (root / "logo.png").write_bytes(logo)
    result = run_protokit("validate", "protocols", cwd=root)
    assert result.code == 2
    assert result.stderr.startswith(
        f"protokit: error: protokit.toml:3:8: [clinic] logo: {expected}"
    )


def test_a_found_configuration_is_named_as_the_user_would(tmp_path):
    """H420: protokit.toml found by searching from the working folder was named in every
    message by its resolved, absolute path (the user's whole folder), where a file the user
    names is quoted as given."""
    root = make_repository(tmp_path, "[clinic\n")
    result = run_protokit("validate", "protocols", cwd=root)
    assert result.code == 2
    assert result.stderr.startswith("protokit: error: protokit.toml:1:8: not valid TOML")
    assert str(tmp_path) not in result.stderr


def test_a_tables_key_written_as_a_number_is_named_as_written(tmp_path):
    """A list's items are counted for the reader (`address (item 1)`); a table's key that is
    a number is not an item, and keeps its name."""
    _refused_at(tmp_path, '[lint.severity]\n123 = "error"\n', ":2:1: [lint] severity.123: ")


def test_settings_in_both_protokit_toml_and_pyproject_are_refused_not_half_applied(tmp_path):
    # A lead adds strict CI settings to pyproject.toml in a repository that already has
    # protokit.toml: only protokit.toml was read, and the warnings still passed CI.
    root = make_repository(tmp_path, 'library = ["shared/exercises"]\n')
    (root / "pyproject.toml").write_text(
        '[project]\nname = "clinic"\n\n[tool.protokit.lint]\nwarnings_as_errors = true\n'
    )
    result = run_protokit("validate", "protocols/back.json", cwd=root)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "protokit: error: protokit.toml and pyproject.toml both hold protokit settings, and "
        "only protokit.toml is read: move what is under [tool.protokit] in pyproject.toml into "
        "protokit.toml (without the tool.protokit prefix: [tool.protokit.lint] becomes [lint]), "
        "then delete it from pyproject.toml"
    )
    # A pyproject.toml without protokit settings beside protokit.toml is an ordinary project.
    (root / "pyproject.toml").write_text('[project]\nname = "protokit-clinic"\n')
    assert run_protokit("validate", "protocols/back.json", cwd=root).code == 0


def test_many_exclude_patterns_are_compiled_once_not_once_a_file(tmp_path, monkeypatch):
    # H587: fnmatch keeps the last 32,768 patterns it compiled; with more than 16,384 exclude
    # patterns (each also tried as PATTERN/*) it compiled every one again for every file, so
    # that the time of a run grew with files x patterns x compiling (37 s for 13 files with
    # 20,000). Counted, not timed, with fnmatch's cache made as small as this test's patterns
    # are few: each pattern is translated once per form, whatever the number of files.
    import fnmatch
    import functools

    from protocol_kit.app import check

    compiled = getattr(fnmatch._compile_pattern, "__wrapped__", fnmatch._compile_pattern)
    monkeypatch.setattr(fnmatch, "_compile_pattern", functools.lru_cache(maxsize=64)(compiled))
    translated = []
    real = fnmatch.translate
    monkeypatch.setattr(fnmatch, "translate", lambda p: translated.append(p) or real(p))
    patterns = [str(tmp_path / f"*-{i}-*") for i in range(100)]
    for i in range(3):
        (tmp_path / f"p{i}.json").write_text("{}")
    kept = check.expand_paths([str(tmp_path)], exclude=patterns)
    assert sorted(os.path.basename(f) for f in kept) == ["p0.json", "p1.json", "p2.json"]
    assert len(translated) <= 2 * len(patterns)


@pytest.mark.parametrize(
    "given",
    ["drafts", "./drafts/", "drafts//", "drafts/sub/..", "./drafts/./", "{absolute}/drafts/"],
)
def test_a_folder_s_files_are_named_as_the_path_of_each_would_be_written(
    tmp_path, monkeypatch, given
):
    # The report names each file by the path its folder walk gives (issue 17: strings, not
    # `Path`s made and written back): the same, however the folder was typed, as before.
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "drafts"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "node_modules").mkdir()
    for name in ("b.json", "a.json", ".protokit-build.json", "notes.txt"):
        (folder / name).write_text("{}")
    for name in ("sub/c.json", ".hidden/d.json", "node_modules/e.json"):
        (folder / name).write_text("{}")
    from protocol_kit.app import check

    path = given.format(absolute=tmp_path)
    found = check.expand_paths([path])
    base = str(Path(path))
    assert found == [
        str(Path(os.path.normpath(os.path.join(base, *parts))))
        for parts in (["a.json"], ["b.json"], ["sub", "c.json"])
    ]
    if given == "./drafts/":
        assert found == ["drafts/a.json", "drafts/b.json", "drafts/sub/c.json"]
    assert all(type(name) is str for name in found)


def test_a_clinic_name_longer_than_a_bundle_takes_stops_every_command(tmp_path):
    """H1045: a clinic name of 6,600 characters passed `validate`; `render` refused it naming
    the protocol ("the texts repeated on every page ... are too long"), and `bundle create`
    wrote a bundle every receiving protokit refused (the manifest takes at most 200)."""
    from protocol_kit.config import load_config
    from protocol_kit.errors import ConfigError

    (tmp_path / "protokit.toml").write_text(f'[clinic]\nname = "{"Clinic " * 29}"\n', "utf-8")
    with pytest.raises(ConfigError, match=r":2:8: \[clinic\] name: is longer than 200 char"):
        load_config(start=tmp_path)


@pytest.mark.parametrize("field", ["name", "contact"])
def test_a_publisher_longer_than_a_bundle_takes_is_refused_before_the_bundle_is_written(field):
    """H1045: `bundle create --publisher-name` (or `--publisher-contact`) of 300 characters
    wrote the bundle, and `bundle verify` refused it: "manifest.json is not a valid manifest at
    /publisher/name: is longer than 200 characters"."""
    from protocol_kit.app.bundle_checks import publisher_fields
    from protocol_kit.config import Config
    from protocol_kit.errors import UsageError

    given = {"name": "Northside Physio", "contact": "desk@northside.example"}
    given[field] = "a" * 201
    with pytest.raises(UsageError, match=f"--publisher-{field}: the publisher's {field} is 201"):
        publisher_fields(given["name"], given["contact"], Config({}))
    given[field] = "a" * 200
    assert publisher_fields(given["name"], given["contact"], Config({})) == (
        given["name"],
        given["contact"],
    )


# Cerberus's own words, which a clinic lead editing protokit.toml cannot act on: every one of
# its messages this file's schema can produce is said as what to write instead.
_VALIDATOR_WORDS = (
    "unallowed value",
    "empty values not allowed",
    "must be of",
    "regex",
    "null value",
    "required field",
    "coerce",
    "length of list",
    "min value",
    "max length",
    "no definitions",
    "['",
)
# A stand-in key for the tables whose keys are a rule code or a language.
_ANY_KEY = {("lint", "severity"): "DOSE002", ("lint", "options"): "DOSE002"}


def _every_key(rules, parts=()):
    """Each key of the configuration's schema, as the parts of its dotted name, with its
    rules; a table keyed by rule code or language stands in with one such key."""
    from protocol_kit.config import CONFIG_SCHEMA

    for name, rule in (rules or CONFIG_SCHEMA).items():
        key = (*parts, name)
        yield key, rule
        if isinstance(rule.get("schema"), dict) and rule.get("type") == "dict":
            yield from _every_key(rule["schema"], key)
        elif "valuesrules" in rule:
            yield (*key, _ANY_KEY.get(key, "fr")), rule["valuesrules"]


# Values of every kind TOML writes, inline: each key is given each one its rules refuse.
_WRONG_VALUES = ("{ x = 1 }", "{}", "3", "-1", "true", '""', '"zz"', "[]", '[""]', "[3]", "[1, 2]")


def _toml_with(parts, value):
    if len(parts) == 1:
        return f"{parts[0]} = {value}\n"
    return f"[{'.'.join(parts[:-1])}]\n{parts[-1]} = {value}\n"


def test_every_configuration_mistake_is_said_without_the_validators_words(tmp_path):
    """s41-users2: `severity = { DOSE002 = "eror" }` was told "unallowed value eror" and
    `[library] paths = "lib"` only "library: must be a list"; each key of the schema is
    given each kind of wrong value, and every refusal is one line at the file's line and
    column, in words that say what to write."""
    from protocol_kit.config import load_config
    from protocol_kit.errors import ConfigError

    refused, unclear = 0, []
    for parts, _ in _every_key(None):
        for value in _WRONG_VALUES:
            # (a file of its own each: a file's lines are read once a run)
            path = tmp_path / str(refused) / "protokit.toml"
            path.parent.mkdir(exist_ok=True)
            path.write_text(_toml_with(parts, value), "utf-8")
            try:
                load_config(path)
            except ConfigError as error:
                refusal = error
            else:
                continue
            message = str(refusal)
            jargon = [words for words in _VALIDATOR_WORDS if words in message]
            if jargon or refusal.place.line is None or "\n" in message:
                unclear.append(message)
            refused += 1
    assert not unclear, "\n".join(unclear)
    assert refused > 150  # (the sweep reached the keys: most values are wrong for most)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a list written as a table of its own
            '[library]\npaths = "lib"\n',
            ':1:1: library: must be a list in square brackets, such as ["..."], not a table: '
            'write library = ["lib"] above the first [table] of the file, in place of the '
            "[library] table",
        ),
        (
            '[lint.severity.DOSE002]\nlevel = "error"\n',
            ':1:1: [lint] severity.DOSE002: must be text in quotes, such as "...", not a table: '
            'write DOSE002 = "error" under [lint.severity], in place of the '
            "[lint.severity.DOSE002] table",
        ),
        (
            '[lint]\nselect = ["DOSE002", ""]\n',
            ':2:10: [lint] select (item 2): is empty (""): write its value, or take it out of '
            "the list",
        ),
        (
            '[clinic]\nname = ""\n',
            ":2:8: [clinic] name: is empty: write its value, or delete the line to leave it out",
        ),
        (
            "[clinic]\nemergency_place = 3\n",
            ':2:19: [clinic] emergency_place: must be text in quotes, such as "...", or a '
            "table: its own [heading] line, with key = value lines under it",
        ),
    ],
)
def test_a_configuration_mistake_says_what_to_write(tmp_path, text, expected):
    from protocol_kit.config import load_config
    from protocol_kit.errors import ConfigError

    (tmp_path / "protokit.toml").write_text(text, "utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "protokit.toml")
    assert str(raised.value) == f"{tmp_path / 'protokit.toml'}{expected}"
