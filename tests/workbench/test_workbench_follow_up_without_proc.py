"""The workbench's read of a follow-up's earlier prescription on a system without /proc
(macOS), simulated by hiding /proc from the process (H1523): the earlier file was read by
`/proc/self/fd/N`, so there every follow-up's link was "cannot be read" (RX021), and the look
after the open that keeps the read inside the folder (H1478) was skipped."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import REPO
from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.loading import Limits
from protocol_kit.prescribing import earlier

EXAMPLE = json.loads((REPO / "docs" / "examples" / "prescription-psoas.json").read_text("utf-8"))


@pytest.fixture
def without_proc(monkeypatch):
    """/proc not there, as on macOS: every call that looks a path up refuses one in it."""

    def hidden(call):
        def refusing(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            if os.fspath(path).startswith(("/proc/", "/dev/fd/")) or os.fspath(path) == "/proc":
                raise FileNotFoundError(2, "No such file or directory", os.fspath(path))
            return call(path, *args, **kwargs)

        return refusing

    for name in ("stat", "lstat", "open"):
        monkeypatch.setattr(os, name, hidden(getattr(os, name)))


def findings(served, named):
    data = dict(EXAMPLE, follows={"date": "2026-11-20", "file": named})
    schemas = FileChecker(CheckOptions()).schemas
    found = earlier.earlier_findings(data, str(served / "new.json"), Limits(), schemas, str(served))
    return [(f.code, f.message) for f in found]


def test_the_earlier_prescription_is_read_and_checked(tmp_path, without_proc):
    served = tmp_path / "served"
    served.mkdir()
    (served / "alex.json").write_text(json.dumps(dict(EXAMPLE, date="2026-11-19")), "utf-8")
    # Checked, so its date is compared: the follow-up says 2026-11-20 (RX022).
    found = findings(served, "alex.json")
    assert [code for code, _ in found] == ["RX022"] and "2026-11-19" in found[0][1], found


def test_a_folder_swapped_for_a_link_and_back_around_the_open_is_not_read(
    monkeypatch, tmp_path, without_proc
):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "race.json").write_text(json.dumps(dict(EXAMPLE, date="2026-11-19")), "utf-8")
    served = tmp_path / "served"
    (served / "sub").mkdir(parents=True)
    inside = json.dumps(dict(EXAMPLE, date="2026-11-20"))
    (served / "sub" / "race.json").write_text(inside, "utf-8")
    looked, calls = earlier._real_inside, []

    def swapped(path, folder):  # noqa: ANN001, ANN202
        calls.append(path)
        sub = served / "sub"
        if len(calls) == 1:  # found inside; then a link to the outside folder in its place
            answer = looked(path, folder)
            shutil.rmtree(sub)
            sub.symlink_to(outside)
            return answer
        sub.unlink()  # after the open: the folder put back, the path inside again
        sub.mkdir()
        (sub / "race.json").write_text(inside, "utf-8")
        return looked(path, folder)

    monkeypatch.setattr(earlier, "_real_inside", swapped)
    found = findings(served, "sub/race.json")
    assert len(calls) == 2, calls
    assert [code for code, _ in found] == ["RX021"] and "2026-11-19" not in found[0][1], found
