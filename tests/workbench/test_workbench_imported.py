"""What the edit page says of a protocol `protokit bundle import` wrote, once the receiving
clinic has reviewed it (H1109)."""

from __future__ import annotations

import json

from workbench_helpers import imported_copy

from protocol_kit.workbench.folder import Folder
from protocol_kit.workbench.service import Workbench

NAME = "hip-flexor-stretch-programme.json"
SIGN_OFF = {
    "name": "Dr Local",
    "profession": "Physiotherapist",
    "registration": {"body": "HCPC", "number": "PH654321"},
    "date": "2026-12-01",
}


def _imported(tmp_path):
    """`received/NAME` and its import record, as an import from the twenty-first sitting on
    writes them (with the content's digest)."""
    path = imported_copy(tmp_path, NAME)
    return path, json.loads(path.read_text("utf-8"))


def _note(tmp_path, path) -> str:
    return Workbench(Folder(tmp_path)).imported_note(f"received/{NAME}", path.read_bytes())


def test_a_signed_off_import_is_said_to_be_reviewed_not_changed(tmp_path):
    # The page said "and changed here since" of a protocol the clinic had only signed off,
    # beside "a change saved here makes it your clinic's copy": the clinic took its sign-off
    # for a change that stops the next import (which keeps it: H901).
    path, data = _imported(tmp_path)
    assert ", and" not in _note(tmp_path, path).split(". ")[0]
    reviewed = dict(data, status="active", sign_off=SIGN_OFF)
    path.write_text(json.dumps(reviewed, indent=4), "utf-8")  # another layout too
    said = _note(tmp_path, path)
    assert "on 2026-11-22, and reviewed here since (its status, sign_off or next_review)." in said
    assert "changed here since" not in said
    changed = dict(reviewed, title="Our own title")
    path.write_text(json.dumps(changed), "utf-8")
    assert "on 2026-11-22, and changed here since." in _note(tmp_path, path)
    path.write_bytes(b"[" * 100_000)  # not the file imported, whatever it is
    assert "on 2026-11-22, and changed here since." in _note(tmp_path, path)
