"""`protokit fmt`: one canonical layout, written atomically, keeping what the author wrote
(key order, `$schema`, numbers' digits), refusing what is not strict JSON, and `--check` for CI."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_protokit
from protocol_kit.formatting import canonical_text, dumps
from protocol_kit.loading import JsonProblem

PROTOCOL = REPO / "protocols" / "psoas-stretch-glute-bridge.json"
SCHEMA = "https://schemas.protocol-kit.org/v1/exercise.schema.json"


def squeezed(path: Path) -> str:
    """The file as one line: the same data, in another layout."""
    return json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)


def test_the_examples_are_in_the_canonical_layout():
    for path in sorted((REPO / "protocols").rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert canonical_text(text) == text, path.name


def test_a_squeezed_protocol_comes_back_byte_for_byte(tmp_path):
    target = tmp_path / "p.json"
    target.write_text(squeezed(PROTOCOL), encoding="utf-8")
    result = run_protokit("fmt", str(target))
    assert result.code == 0, result.stderr
    assert f"reformatted {target}" in result.stdout
    assert target.read_bytes() == PROTOCOL.read_bytes()
    again = run_protokit("fmt", "--check", str(target))
    assert again.code == 0 and again.stdout == ""


def test_key_order_schema_line_and_numbers_stay_as_written():
    numbers = '"a": [1.50, 2e1, -0], "m": {"b": 0.10, "a": true}'
    text = '{"$schema": "' + SCHEMA + '", "z": 1, ' + numbers + "}"
    out = canonical_text(text)
    assert out.splitlines()[1] == f'  "$schema": "{SCHEMA}",'
    assert [line.split(":")[0].strip() for line in out.splitlines()[1:4]] == [
        '"$schema"',
        '"z"',
        '"a"',
    ]
    for token in ("1.50", "2e1", "-0", "0.10"):
        assert f" {token}" in out
    assert json.loads(out) == json.loads(text)
    assert canonical_text(out) == out  # stable


def test_invisible_characters_are_escaped_and_text_is_otherwise_kept():
    text = json.dumps({"$schema": SCHEMA, "t": "Bend\u202e\u200b here, 30° – Ł 😀"})
    out = canonical_text(text)
    assert "\\u202e\\u200b" in out and "30° – Ł 😀" in out
    assert json.loads(out)["t"] == "Bend\u202e\u200b here, 30° – Ł 😀"


@pytest.mark.parametrize(
    "unseen",
    ["\ufe0f", "\ufe00", "\u034f", "\u3164", "\u115f", "\u180b", "\U000e0100", "\u2064"],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_a_character_that_shows_as_nothing_is_written_as_an_escape(tmp_path, unseen):
    """H1346: a variation selector, the combining grapheme joiner, a Hangul filler (letters
    and marks, not format characters) were written as they are: a diff showed nothing where
    the text had changed. Written as escapes now, the text read back the same."""
    value = f"Stop if the pain spreads{unseen} down the leg ❤{unseen}"
    target = tmp_path / "e.json"
    target.write_text(json.dumps({"$schema": SCHEMA, "t": value}, ensure_ascii=False), "utf-8")
    assert run_protokit("fmt", "--check", str(target)).code == 1
    assert run_protokit("fmt", str(target)).code == 0
    out = target.read_text("utf-8")
    assert unseen not in out and out.isascii() is False  # ❤ is kept as it is
    escaped = json.dumps(unseen)[1:-1]
    assert out.count(escaped) == 2, out
    assert json.loads(out)["t"] == value  # the round trip is exact
    assert canonical_text(out) == out
    assert run_protokit("fmt", "--check", str(target)).code == 0


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009", "\u3000"])
def test_a_space_that_is_not_u0020_is_written_as_it_is(space):
    """A no-break space shows as a space, which it is (French punctuation, "5 kg"): kept."""
    value = f"Hold for 10{space}s{space}:"
    out = canonical_text(json.dumps({"$schema": SCHEMA, "t": value}))
    assert f'"t": "{value}"' in out and json.loads(out)["t"] == value


def test_bom_and_crlf_are_changes_to_make(tmp_path):
    target = tmp_path / "e.json"
    canonical = dumps({"$schema": SCHEMA, "id": "x"})
    target.write_bytes(b"\xef\xbb\xbf" + canonical.replace("\n", "\r\n").encode())
    assert run_protokit("fmt", "--check", str(target)).code == 1
    assert run_protokit("fmt", str(target)).code == 0
    assert target.read_text(encoding="utf-8") == canonical


def test_check_names_each_file_to_change_and_fails(tmp_path):
    (tmp_path / "ok.json").write_text(dumps({"$schema": SCHEMA, "id": "a"}), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"$schema": "' + SCHEMA + '", "id": "b"}', encoding="utf-8")
    before = (tmp_path / "bad.json").read_bytes()
    result = run_protokit("fmt", "--check", str(tmp_path))
    assert result.code == 1
    assert result.stdout.splitlines() == [f"would reformat {tmp_path / 'bad.json'}"]
    assert "1 file would be reformatted, 1 unchanged" in result.stderr
    # What to run says how to fix it (a pre-commit hook's failure said only what was wrong),
    # with the file's name to paste: "with the same paths" left it to be found in the hook.
    assert (
        f"to rewrite it: protokit fmt -- {tmp_path / 'bad.json'} (--diff shows the changes first)"
    ) in result.stderr
    assert (tmp_path / "bad.json").read_bytes() == before  # --check changes nothing


def test_check_of_many_files_says_what_to_run_in_words(tmp_path):
    for name in "abcdef":
        (tmp_path / f"{name}.json").write_text(
            '{"$schema": "' + SCHEMA + '", "id": "' + name + '"}', encoding="utf-8"
        )
    result = run_protokit("fmt", "--check", str(tmp_path))
    assert result.code == 1
    assert "to rewrite them: protokit fmt, with the same paths and without --check" in (
        result.stderr
    )


def test_the_summary_counts_a_file_that_could_not_be_read(tmp_path):
    (tmp_path / "ok.json").write_text(dumps({"$schema": SCHEMA, "id": "a"}), encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"$schema": "' + SCHEMA + '",, }', encoding="utf-8")
    result = run_protokit("fmt", "--check", "--", "ok.json", "broken.json", cwd=tmp_path)
    assert result.code == 1
    assert result.stderr.splitlines() == [
        "protokit fmt: error: broken.json:1:72: invalid JSON: two commas in a row: remove one",
        "0 files would be reformatted, 1 unchanged, 1 could not be read",
    ]


def test_diff_shows_the_change_without_writing(tmp_path):
    target = tmp_path / "bad.json"
    target.write_text('{"$schema": "' + SCHEMA + '", "id": "b"}', encoding="utf-8")
    result = run_protokit("fmt", "--diff", str(target))
    assert result.code == 1
    assert '+  "id": "b"' in result.stdout
    assert target.read_text(encoding="utf-8").startswith('{"$schema"')


def test_other_json_in_a_folder_is_left_alone(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    result = run_protokit("fmt", str(tmp_path))
    assert result.code == 0
    assert (tmp_path / "package.json").read_text(encoding="utf-8") == '{"name": "x"}'


def test_a_file_nested_thousands_deep_in_a_folder_is_refused_in_one_line(tmp_path):
    """H210: whether a file of a folder is a protocol-kit file was asked of `json.loads`,
    whose RecursionError ended `protokit fmt folder/` in an internal error."""
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    result = run_protokit("fmt", str(tmp_path))
    assert result.code == 1 and "internal error" not in result.stderr, result.stderr
    assert f"{deep}:1:65: nested deeper than the limit of 64 levels" in result.stderr


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ('{\n  "id": "a",\n  "id": "b"\n}', ":3:"),  # a duplicate key would lose a value
        ('{\n  "hold": NaN\n}', ":2:"),
        ('{\n  "steps": [\u201cBend\u201d]\n}', ":2:"),  # curly quotes from a word processor
    ],
    ids=["duplicate-key", "nan", "curly-quotes"],
)
def test_a_file_that_is_not_strict_json_is_reported_and_left_as_it_is(tmp_path, content, where):
    target = tmp_path / "broken.json"
    target.write_text(content, encoding="utf-8")
    result = run_protokit("fmt", str(target))
    assert result.code == 1
    assert f"{target}{where}" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == content
    with pytest.raises(JsonProblem):
        canonical_text(content)


def test_standard_input_is_written_to_standard_output():
    result = run_protokit("fmt", "-", stdin=b'{"$schema": "x", "a": [1]}')
    assert result.code == 0
    assert result.stdout == '{\n  "$schema": "x",\n  "a": [\n    1\n  ]\n}\n'


def test_rewriting_keeps_the_permissions_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "p.json"
    target.write_text(squeezed(PROTOCOL), encoding="utf-8")
    os.chmod(target, 0o640)
    assert run_protokit("fmt", str(target)).code == 0
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]


def test_the_pre_commit_hook_runs_fmt_check():
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: protokit-fmt" in hooks
    assert "entry: protokit fmt --check" in hooks


def test_a_linked_file_is_reformatted_through_its_link(tmp_path):
    """H174: fmt replaced a symbolic link by a reformatted copy: the file it named stayed as it
    was, and the link became a second file that silently went apart from it."""
    real = tmp_path / "real.json"
    real.write_text(squeezed(PROTOCOL), "utf-8")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    result = run_protokit("fmt", str(link))
    assert result.code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert real.read_bytes() == PROTOCOL.read_bytes()


@pytest.mark.parametrize("config", [None, 'exclude = ["drafts"]\n'])
def test_a_folder_with_nothing_to_format_fails_as_validate_refuses_it(tmp_path, config):
    # `fmt --check protocols/` of an emptied folder (or one the configuration excludes whole)
    # said "0 files would be reformatted" with status 0: CI passed having looked at nothing,
    # while `validate` of the same folder is refused (H213, H290).
    folder = tmp_path / "drafts"
    folder.mkdir()
    if config is not None:
        (tmp_path / "protokit.toml").write_text(config, "utf-8")
        (folder / "a.json").write_text(
            (REPO / "protocols" / "library" / "glute-bridge.json").read_text()
        )
    for arguments in (["--check", "drafts"], ["drafts"]):
        result = run_protokit("fmt", *arguments, cwd=tmp_path)
        assert result.code == 1, result
        lines = result.stderr.splitlines()
        assert lines[0].startswith("protokit fmt: error: drafts: ")
        assert "no .json files" in lines[0] or "nothing would be checked" in lines[0]
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "hook, said",
    [("protokit-validate", "checked 1 file: all valid"), ("protokit-fmt", "1 unchanged")],
)
def test_a_file_named_like_an_option_is_checked_by_the_pre_commit_hook(tmp_path, hook, said):
    # pre-commit runs `entry + args + file names`: a top-level file `-oX.json` was read by
    # validate as `-o X.json` (the report written over X.json, the file itself never checked).
    [definition] = [
        h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text()) if h["id"] == hook
    ]
    command = definition["entry"].split()[1:] + definition.get("args", [])
    shutil.copytree(REPO / "protocols" / "library", tmp_path / "library")
    (tmp_path / "-oX.json").write_bytes(
        (REPO / "protocols" / "psoas-stretch-glute-bridge.json").read_bytes()
    )
    result = run_protokit(*command, "-oX.json", cwd=tmp_path)
    assert result.code == 0, result
    assert said in result.stdout + result.stderr
    assert not (tmp_path / "X.json").exists()


def test_a_file_saved_while_fmt_formats_it_is_not_replaced(tmp_path, monkeypatch):
    # The workbench or an editor saves a protocol while `fmt` formats the text it read before:
    # the formatted old text replaced the new save without a word (H868).
    import protocol_kit.app.fmt as fmt

    protocol = tmp_path / "back.json"
    protocol.write_text(
        '{"$schema": "https://schemas.protocol-kit.org/v1/protocol.schema.json", "id": "back"}',
        "utf-8",
    )
    saved = '{"id": "back", "title": "saved meanwhile"}\n'
    formatting = fmt.canonical_text

    def saved_meanwhile(text, limits):
        protocol.write_text(saved, "utf-8")
        return formatting(text, limits)

    monkeypatch.setattr(fmt, "canonical_text", saved_meanwhile)
    result = run_protokit("fmt", "back.json", cwd=tmp_path)
    assert result.code != 0, result
    assert "back.json: was written by another program" in result.stderr
    assert protocol.read_text("utf-8") == saved
