"""`protokit fmt --migrate`: a clinic lead upgrading protocols written before `updated`
existed had GOV006's advice ("rename it 'updated'") and no command to do it across a folder
(H436). Only the rename is done: no sign-off is ever written for anyone."""

from __future__ import annotations

import json
import shutil

from conftest import REPO, run_protokit

PROTOCOL = REPO / "protocols" / "psoas-stretch-glute-bridge.json"


def old_format(folder, keep_updated: bool = False):
    """The example protocol as written before `updated`: `last_reviewed` in its place."""
    shutil.copytree(REPO / "protocols" / "library", folder / "library")
    data = json.loads(PROTOCOL.read_text("utf-8"))
    old = {}
    for key, value in data.items():
        if key == "updated" and keep_updated:
            old["updated"] = value
        old["last_reviewed" if key == "updated" else key] = value
    path = folder / "old.json"
    path.write_text(json.dumps(old, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def test_migrate_renames_last_reviewed_in_its_place(tmp_path):
    path = old_format(tmp_path)
    before = path.read_text("utf-8")
    reported = run_protokit("validate", str(path)).stdout
    assert "GOV006" in reported and "protokit fmt --migrate" in reported  # names the way
    check = run_protokit("fmt", "--check", "--migrate", str(path))
    assert check.code == 1 and f"would migrate {path}: last_reviewed renamed 'updated'" in (
        check.stderr
    )
    assert path.read_text("utf-8") == before
    result = run_protokit("fmt", "--migrate", str(tmp_path))
    assert result.code == 0, result.stderr
    assert f"migrated {path}: last_reviewed renamed 'updated'" in result.stderr
    migrated = json.loads(path.read_text("utf-8"))
    original = json.loads(PROTOCOL.read_text("utf-8"))
    assert migrated == original and list(migrated) == list(original)
    assert "sign_off" not in migrated
    validated = run_protokit("validate", str(path))
    assert validated.code == 0 and "GOV006" not in validated.stdout
    again = run_protokit("fmt", "--check", "--migrate", str(path))
    assert again.code == 0 and "migrate" not in again.stderr


def test_migrate_removes_last_reviewed_beside_updated(tmp_path):
    path = old_format(tmp_path, keep_updated=True)
    result = run_protokit("fmt", "--migrate", str(path))
    assert result.code == 0
    assert "last_reviewed removed ('updated' is given)" in result.stderr
    assert json.loads(path.read_text("utf-8")) == json.loads(PROTOCOL.read_text("utf-8"))


def test_without_migrate_fmt_keeps_last_reviewed(tmp_path):
    path = old_format(tmp_path)
    assert run_protokit("fmt", str(path)).code == 0
    assert "last_reviewed" in json.loads(path.read_text("utf-8"))
