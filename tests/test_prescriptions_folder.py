"""A clinic's folder of many prescriptions is checked in time that grows with the number of
prescriptions, not with its square (H1422): the protocol each names is looked for once a run
for each folder and protocol id."""

from __future__ import annotations

import json
import shutil

from conftest import PROTOCOLS, REPO, run_protokit

PRESCRIPTION = REPO / "docs" / "examples" / "prescription-psoas.json"


def _clinic(tmp_path, count: int):
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copytree(PROTOCOLS / "library", folder / "library")
    for name in ("psoas-stretch-glute-bridge.json", "hip-flexor-stretch-programme.json"):
        shutil.copyfile(PROTOCOLS / name, folder / name)
    data = json.loads(PRESCRIPTION.read_text("utf-8"))
    for number in range(count):
        data["patient"]["name"] = f"Patient {number}"
        # Named by date, as a clinic files them: before the protocols in the folder's order.
        (folder / f"2026-11-20-{number:03d}.json").write_text(json.dumps(data, indent=2), "utf-8")
    return folder


def test_each_file_of_a_prescriptions_folder_is_opened_once_to_find_their_protocol(
    tmp_path, protocol_reads
):
    """H1422: each prescription opened every `*.json` of its folder (and of `protocols/` and
    `drafts/` above it) to find its protocol: 250 prescriptions, 64,000 opens and 20 s of a
    run; 500 in one folder, 83 s; 10,000 (a clinic's record of a few years), not ended after
    16 minutes. Now the lookup is made once for each folder and protocol id."""
    folder = _clinic(tmp_path, 60)
    result = run_protokit("validate", "records", "--jobs", "1", cwd=tmp_path)
    assert result.code == 0, result.stdout + result.stderr
    assert "checked 74 files: all valid" in result.stderr  # 60 + 2 protocols + 12 exercises
    files_there = len(list(folder.glob("*.json")))
    assert len(protocol_reads) <= files_there, len(protocol_reads)  # without the fix: about 60 x 62


def test_prescriptions_of_two_protocols_in_one_folder_are_each_checked_against_their_own(
    tmp_path,
):
    folder = _clinic(tmp_path, 3)
    other = json.loads(PRESCRIPTION.read_text("utf-8"))
    hip = json.loads((PROTOCOLS / "hip-flexor-stretch-programme.json").read_text("utf-8"))
    other["protocol"] = {"id": hip["id"], "version": hip["version"]}
    other.pop("overrides", None)
    other["screening"] = {}
    (folder / "rx-hip.json").write_text(json.dumps(other, indent=2), "utf-8")
    result = run_protokit("validate", "records", "--jobs", "1", cwd=tmp_path)
    # The hip prescription is checked against the hip protocol (its screening questions),
    # the others against the psoas one: each finds its own, not the first one found.
    hip_lines = [line for line in result.stdout.splitlines() if line.startswith("records/rx-hip")]
    assert hip_lines and all("psoas" not in line for line in hip_lines), result.stdout
    assert not [line for line in result.stdout.splitlines() if line.startswith("records/2026")]
