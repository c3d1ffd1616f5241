"""The record of what `build` wrote: only recorded files of the kind build writes are removed,
and one that cannot be removed stays recorded (and fails the build) until it is gone."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from protocol_kit.app.build import BuildResult
from protocol_kit.app.build_record import (
    RECORD_NAME,
    BuildRecord,
    read_record,
    remove_stale,
    still_recorded,
    write_record,
)
from protocol_kit.errors import OutputError
from protocol_kit.findings import RunReport

PDF = b"%PDF-1.4\n"


def test_the_record_is_read_back_as_written(tmp_path):
    record = BuildRecord({"back.pdf": "/clinic/protocols/back.json"}, "protocols.pkb")
    write_record(tmp_path, record)
    assert read_record(tmp_path) == record
    assert read_record(tmp_path / "nothing-built-yet") == BuildRecord()


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"format": "protokit-build/1", "sheets": {"../../etc/passwd": "x"}, "bundle": null}',
        '{"format": "protokit-build/1", "sheets": {"a.pdf": "x"}, "bundle": "/tmp/x.pkb"}',
        '{"format": "something else", "sheets": {}, "bundle": null}',
    ],
)
def test_a_record_that_build_did_not_write_is_refused(tmp_path, content):
    # A record could point build at files outside its folder: it is never guessed at.
    (tmp_path / RECORD_NAME).write_text(content, "utf-8")
    with pytest.raises(OutputError, match=RECORD_NAME):
        read_record(tmp_path)


def test_only_recorded_files_still_of_their_kind_are_removed(tmp_path):
    for name in ("gone.pdf", "kept.pdf"):
        (tmp_path / name).write_bytes(PDF)
    (tmp_path / "changed.pdf").write_text("notes typed over the sheet")
    (tmp_path / "not-ours.pdf").write_bytes(PDF)
    previous = BuildRecord(
        {"gone.pdf": "/p/gone.json", "kept.pdf": "/p/kept.json", "changed.pdf": "/p/c.json",
         "deleted-by-hand.pdf": "/p/d.json"}
    )  # fmt: skip
    current = BuildRecord({"kept.pdf": "/p/kept.json"})
    removals = remove_stale(tmp_path, previous, current, {"/p/gone.json": "it failed"})
    outcomes = {r.path.name: (r.outcome, r.reason) for r in removals}
    assert outcomes["gone.pdf"] == ("removed", "it failed")
    assert outcomes["changed.pdf"][0] == "changed"
    assert "deleted-by-hand.pdf" not in outcomes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["changed.pdf", "kept.pdf", "not-ours.pdf"]


def test_a_sheet_that_cannot_be_removed_stays_recorded_and_fails_the_build(tmp_path, monkeypatch):
    (tmp_path / "old.pdf").write_bytes(PDF)

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    previous = BuildRecord({"old.pdf": "/p/old.json"}, None)
    removals = remove_stale(tmp_path, previous, BuildRecord(), {"/p/old.json": "it is retired"})
    assert [(r.outcome, r.reason) for r in removals] == [
        ("failed", "it is retired; cannot remove it: Permission denied")
    ]
    assert still_recorded(previous, removals) == previous
    assert BuildResult(RunReport(), removals=removals).exit_code == 2
