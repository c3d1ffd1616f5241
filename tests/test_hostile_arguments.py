"""Hostile inputs of the tenth sitting (s16-hostile): command-line arguments, configuration
files, prescriptions and texts that reach a sheet. Each is refused with one clear line naming
what is wrong and a non-zero exit, or read as written, never a traceback or a silent change.
The bundle classes of this sitting are in bundle/test_hostile_archives.py."""

from __future__ import annotations

import html
import json
import shutil
import stat
from pathlib import Path

import pytest
from hostile_helpers import assert_clean_output

from conftest import PROTOCOLS, REPO, run_protokit

EXAMPLE = PROTOCOLS / "psoas-stretch-glute-bridge.json"


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("render", str(EXAMPLE), "x\ny", "-o", "s.pdf"), "extra argument ('x\\ny')"),
        (("render", str(EXAMPLE), "x", "y", "-o", "s.pdf"), "extra arguments ('x', 'y')"),
        (("new", "protocol", "a", "b\nc"), "extra argument ('b\\nc')"),
        (("rules", "DOSE001", "b.json\n"), "extra argument ('b.json\\n')"),
    ],
)
def test_an_extra_argument_is_quoted_as_it_is(tmp_path, arguments, said):
    """H471: click joined extra arguments with spaces and the one-line error turned a line
    break into a space: `render a.json $'b.json\\n'` said "(b.json )", and one argument "x\\ny"
    read as two, "x" and "y"."""
    result = run_protokit(*arguments, cwd=tmp_path)
    assert result.code == 2
    assert_clean_output(result)
    [line] = result.stderr.splitlines()
    assert said in line, line
    assert list(tmp_path.iterdir()) == []


# -- a locked file is never replaced -----------------------------------------------------------


def _locked(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o444)
    return path


@pytest.mark.parametrize("migrate", [(), ("--migrate",)])
def test_fmt_never_replaces_a_locked_protocol(tmp_path, migrate):
    """H473: a clinic locks a reviewed protocol (chmod 444) to keep it as it is; `fmt` (and
    `fmt --migrate`, which renames fields) replaced it anyway, since a rename needs only the
    folder's permission, as an import refuses to (H76)."""
    text = json.dumps(json.loads(EXAMPLE.read_text("utf-8")))  # one line: fmt would change it
    if migrate:
        text = text.replace('"updated"', '"last_reviewed"')
    path = _locked(tmp_path / "back.json", text)
    result = run_protokit("fmt", *migrate, str(path))
    assert result.code == 1
    assert_clean_output(result)
    assert f"{path}: is read-only (r--r--r--): it was locked" in result.stderr
    assert "0 files reformatted, 0 unchanged, 1 could not be written" in result.stderr
    assert path.read_text("utf-8") == text and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.json"]


@pytest.mark.parametrize(
    "arguments",
    [
        ("render", str(EXAMPLE), "-o", "{out}.pdf"),
        ("new", "protocol", "back-basics", "-o", "{out}.json", "--force"),
    ],
)
def test_an_output_never_replaces_a_locked_file(tmp_path, arguments):
    """H473: `render -o` over a locked earlier sheet and `new --force` over a locked protocol
    replaced the file, where the clinic had locked it."""
    out = str(tmp_path / "locked")
    target = Path(arguments[arguments.index("-o") + 1].format(out=out))
    arguments = tuple(a.format(out=out) for a in arguments)
    if target.suffix == ".pdf":
        first = run_protokit(*arguments)
        assert first.code == 0, first.stderr
        target.chmod(0o444)
    else:
        _locked(target, EXAMPLE.read_text("utf-8"))
    before = target.read_bytes()
    result = run_protokit(*arguments)
    assert result.code == 2, result.stderr
    assert_clean_output(result)
    assert "is read-only (r--r--r--): it was locked" in result.stderr
    assert target.read_bytes() == before


# -- a language tag is a tag ---------------------------------------------------------------------

_RUNAWAY = "x" * 3000


@pytest.mark.parametrize(
    "tag", [f"en-{_RUNAWAY}", f"de-{_RUNAWAY}", "en-<b>", "en-GB ", "de-" + "abcdefgh-" * 30 + "x"]
)
@pytest.mark.parametrize("form", ["pdf", "html"])
def test_a_language_that_is_no_tag_is_refused_in_one_short_line(tmp_path, tag, form):
    """H474: `--language "en-$RUNAWAY"` printed an English sheet under that tag, and
    `--language "de-$RUNAWAY"` gave an error line of 9,000 characters naming it three times."""
    out = tmp_path / f"sheet.{form}"
    result = run_protokit(
        "render", str(EXAMPLE), "--format", form, "-o", str(out), "--language", tag
    )
    assert result.code == 2
    assert_clean_output(result)
    [line] = result.stderr.splitlines()
    assert line.endswith("is not a language tag such as en, fr or de-CH") and len(line) < 200
    assert not out.exists()


def test_a_configured_language_longer_than_a_tag_is_refused_where_it_is_written(tmp_path):
    config = (PROTOCOLS.parent / "protokit.toml").read_text("utf-8")
    tag = "de-" + "abcdefgh-" * 30 + "x"
    (tmp_path / "protokit.toml").write_text(f'{config}language = "{tag}"\n', "utf-8")
    result = run_protokit("render", str(EXAMPLE), "-o", "sheet.pdf", cwd=tmp_path)
    assert result.code == 2
    [line] = result.stderr.splitlines()
    assert "protokit.toml:" in line and "[clinic] language: must be a language tag" in line
    assert len(line) < 300


# -- a file is read once: what is printed is what was checked ---------------------------------


def test_a_protocol_saved_again_while_it_is_printed_is_printed_as_checked(tmp_path, monkeypatch):
    """H475: render checked the file, then read it again to print it: a protocol saved again
    in between (an editor, another program) was printed as the second reading found it,
    never checked. Here the second text drops every red flag's words for "x"."""
    from protocol_kit.app.check import FileChecker

    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    path = tmp_path / "protocols" / EXAMPLE.name
    checked = path.read_text("utf-8")
    data = json.loads(checked)
    for flag in data["safety"]["red_flags"]:
        flag["text"] = "Nothing to worry about."
    unchecked = json.dumps(data)
    original = FileChecker.check

    def check_then_save_again(self, name):
        report = original(self, name)
        if name == str(path):
            path.write_text(unchecked, "utf-8")
        return report

    monkeypatch.setattr(FileChecker, "check", check_then_save_again)
    out = tmp_path / "sheet.html"
    result = run_protokit("render", str(path), "--format", "html", "-o", str(out), cwd=REPO)
    assert result.code == 0, result.stderr
    sheet = out.read_text("utf-8")
    assert "Nothing to worry about." not in sheet
    first_flag = json.loads(checked)["safety"]["red_flags"][0]["text"]
    assert html.escape(first_flag, quote=False).split(",")[0] in sheet


def test_a_protocol_on_standard_input_is_read_once():
    """H475: `checklist -` read standard input to check it, then again (empty) to build it:
    internal error."""
    result = run_protokit("checklist", "-", stdin=EXAMPLE.read_bytes(), cwd=PROTOCOLS)
    assert_clean_output(result)
    assert result.code in (0, 1)
    assert "covered" in result.stdout


@pytest.mark.parametrize("command", ["validate", "fmt"])
def test_standard_input_named_twice_is_a_usage_error(command):
    """H475: `validate - -` read standard input for the first and found it empty for the
    second: "error JSON001 the file is empty", a finding about a file that is not there."""
    result = run_protokit(command, "-", "-", stdin=EXAMPLE.read_bytes(), cwd=PROTOCOLS)
    assert result.code == 2
    assert_clean_output(result)
    assert "standard input is named more than once" in result.stderr
    assert "JSON001" not in result.stdout + result.stderr
