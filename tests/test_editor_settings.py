"""`protokit schemas --vscode SETTINGS` (s24-users, H834): docs/editors.md had a clinic run
`protokit schemas --vscode > .vscode/settings.json`, which replaced the settings file whole; a
clinic's own settings (a font size, a formatter, the schemas of its other files) were lost.
The schemas are now merged into the file, and a file protokit cannot keep whole is refused."""

from __future__ import annotations

import json
import os

import pytest

from conftest import run_protokit

OURS = "https://schemas.protocol-kit.org/v1/"
PROTOCOL_SCHEMA = f"{OURS}protocol.schema.json"


def schema_urls(path) -> list[str]:
    return [entry["url"] for entry in json.loads(path.read_text(encoding="utf-8"))["json.schemas"]]


def test_the_schemas_join_a_settings_file_and_every_other_setting_stays(tmp_path):
    settings = tmp_path / ".vscode" / "settings.json"
    settings.parent.mkdir()
    own = {"fileMatch": ["tools/*.json"], "url": "./tools.schema.json"}
    settings.write_text(
        json.dumps(
            {
                "editor.fontSize": 14,
                "json.schemas": [own, {"url": PROTOCOL_SCHEMA, "schema": {"old": True}}],
                "files.eol": "\n",
            }
        ),
        encoding="utf-8",
    )
    result = run_protokit("schemas", "--vscode", ".vscode/settings.json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stderr == (
        "wrote .vscode/settings.json: 6 protocol-kit schemas in json.schemas; 2 other "
        "settings kept\n"
    )
    written = json.loads(settings.read_text(encoding="utf-8"))
    assert list(written) == ["editor.fontSize", "json.schemas", "files.eol"]
    assert (written["editor.fontSize"], written["files.eol"]) == (14, "\n")
    assert written["json.schemas"][0] == own
    urls = schema_urls(settings)
    assert urls[1] == PROTOCOL_SCHEMA and written["json.schemas"][1]["schema"] != {"old": True}
    assert len(urls) == 7 and all(url.startswith(OURS) for url in urls[1:])
    # What it registers is what --vscode prints.
    printed = json.loads(run_protokit("schemas", "--vscode").stdout)["json.schemas"]
    assert written["json.schemas"][1:] == sorted(printed, key=lambda e: e["url"] != PROTOCOL_SCHEMA)
    # Again, after an upgrade: the same file, nothing added twice.
    before = settings.read_bytes()
    assert run_protokit("schemas", "--vscode", str(settings), cwd=tmp_path).code == 0
    assert settings.read_bytes() == before


def test_a_settings_file_with_comments_is_named_and_left_as_it_is(tmp_path):
    settings = tmp_path / "settings.json"
    text = '{\n  // the clinic\'s font\n  "editor.fontSize": 14,\n}\n'
    settings.write_text(text, encoding="utf-8")
    result = run_protokit("schemas", "--vscode", "settings.json", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.startswith("protokit: error: settings.json:2:3: not JSON (")
    assert "nothing was changed" in result.stderr and len(result.stderr.splitlines()) == 1
    assert settings.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temporary left

    settings.write_text('{"json.schemas": {"url": "x"}}', encoding="utf-8")
    refused = run_protokit("schemas", "--vscode", "settings.json", cwd=tmp_path)
    assert refused.code == 2 and '"json.schemas" is not a list' in refused.stderr


def test_a_new_settings_file_is_made_with_its_folder(tmp_path):
    result = run_protokit("schemas", "--vscode", ".vscode/settings.json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stderr == "wrote .vscode/settings.json: 6 protocol-kit schemas in json.schemas\n"
    assert len(schema_urls(tmp_path / ".vscode" / "settings.json")) == 6


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p.symlink_to("/dev/zero"), "cannot be read: is a character device"),
        (os.mkfifo, "cannot be read: is a named pipe (FIFO)"),
        (
            lambda p: p.write_bytes(b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
            "nested more deeply than a settings file is",
        ),
        (lambda p: p.write_bytes(b'{"a": "\\ud800"}'), "holds half of a character"),
    ],
    ids=["dev-zero", "fifo", "deep", "half-character"],
)
def test_a_settings_file_protokit_cannot_read_whole_is_refused_in_one_line(tmp_path, make, says):
    # A link to /dev/zero and a named pipe were read forever; a settings file nested 100,000
    # deep or holding a "\ud800" escape was an internal error (H851).
    settings = tmp_path / "settings.json"
    make(settings)
    result = run_protokit("schemas", "--vscode", "settings.json", cwd=tmp_path)
    assert result.code != 0 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"protokit: error: settings.json: {says}"), result.stderr
    assert "internal error" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_a_linked_settings_file_is_written_where_the_link_points(tmp_path):
    # The link was replaced by a file: the settings kept elsewhere (a dotfiles folder) and the
    # editor's parted without a word (H851).
    kept = tmp_path / "dotfiles.json"
    kept.write_text('{"editor.fontSize": 14}', encoding="utf-8")
    (tmp_path / "settings.json").symlink_to("dotfiles.json")
    result = run_protokit("schemas", "--vscode", "settings.json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert os.readlink(tmp_path / "settings.json") == "dotfiles.json"
    written = json.loads(kept.read_text(encoding="utf-8"))
    assert written["editor.fontSize"] == 14 and PROTOCOL_SCHEMA in schema_urls(kept)
