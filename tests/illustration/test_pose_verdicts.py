"""The pose checks' findings kept between runs (protocol_kit/illustration/verdicts.py): a set
of poses seen before is not placed again, and a change to the poses, to the pose vocabulary's
data or to the code that checks them gives a fresh verdict."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from pose_helpers import poses

from conftest import PROTOCOLS, REPO
from protocol_kit.cache import ThisRunOnly
from protocol_kit.illustration import poses_key, verdicts
from protocol_kit.illustration.vocabulary import FILES

# A straight leg raised to 120°: POSE001 at the hip.
STRAIGHT_LEG = {
    "start": {"posture": "lying-back"},
    "end": {
        "posture": "lying-back",
        "joints": {"right_hip": {"flexion": 120}, "right_knee": {"flexion": 0}},
    },
}
# The same with the hip at 60°: no finding.
LOWER_LEG = json.loads(json.dumps(STRAIGHT_LEG))
LOWER_LEG["end"]["joints"]["right_hip"]["flexion"] = 60
PLANTED = (("range", "/start", "planted: found in the cache"),)


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A copy of the sources and data files the label is made of, read in place of the
    package's own, and an empty cache folder."""
    copy = tmp_path / "protocol_kit"
    for name in (*verdicts.CODE, *(f"illustration/data/{n}.json" for n in FILES)):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "protocol_kit" / name, copy / name)
    monkeypatch.setattr(verdicts, "__file__", str(copy / "illustration" / "verdicts.py"))
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path / "cache"))
    verdicts._kept.cache_clear()
    yield copy
    verdicts._kept.cache_clear()


def planted(data: dict) -> None:
    """A verdict no check gives, kept for `data`'s poses as a run keeps it at exit."""
    verdicts._kept.cache_clear()
    kept = verdicts._kept()
    kept.add(poses_key(poses(data)), PLANTED)
    kept._save()
    verdicts._kept.cache_clear()  # the next question is a new run's


def verdict(data: dict):
    built = poses(data)
    return verdicts.verdict(built, poses_key(built))


def test_a_verdict_is_kept_between_runs(package):
    planted(STRAIGHT_LEG)
    assert verdict(STRAIGHT_LEG) == PLANTED


def test_other_poses_get_their_own_verdict(package):
    planted(STRAIGHT_LEG)
    assert verdict(LOWER_LEG) == verdicts.worked_out(poses(LOWER_LEG)) == ()
    found = verdicts.worked_out(poses(STRAIGHT_LEG))
    assert [kind for kind, _, _ in found] == ["range"]
    planted(LOWER_LEG)
    assert verdict(LOWER_LEG) == PLANTED


@pytest.mark.parametrize(
    "changed", ["illustration/data/joints.json", "illustration/data/postures.json"]
)
def test_changed_vocabulary_data_gives_a_fresh_verdict(package, changed):
    planted(STRAIGHT_LEG)
    with open(package / changed, "ab") as handle:
        handle.write(b" ")  # the same data, other content: asked afresh all the same
    assert verdict(STRAIGHT_LEG) == verdicts.worked_out(poses(STRAIGHT_LEG)) != PLANTED


@pytest.mark.parametrize("changed", verdicts.CODE)
def test_changed_code_gives_a_fresh_verdict(package, changed):
    planted(STRAIGHT_LEG)
    with open(package / changed, "ab") as handle:
        handle.write(b"\n# another version\n")
    assert verdict(STRAIGHT_LEG) != PLANTED


def test_another_interpreter_gives_a_fresh_verdict(package, monkeypatch):
    planted(STRAIGHT_LEG)
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert verdict(STRAIGHT_LEG) != PLANTED


def test_a_damaged_file_is_not_read(package, tmp_path):
    planted(STRAIGHT_LEG)
    (kept,) = (tmp_path / "cache").glob("pose-verdicts-*")
    content = kept.read_bytes()
    kept.write_bytes(content[:-1] + bytes([content[-1] ^ 1]))
    assert verdict(STRAIGHT_LEG) == verdicts.worked_out(poses(STRAIGHT_LEG)) != PLANTED
    kept.write_bytes(content[: len(content) // 2])
    verdicts._kept.cache_clear()
    assert verdict(STRAIGHT_LEG) != PLANTED


def test_without_its_sources_nothing_is_kept(package):
    (package / "illustration" / "checks.py").unlink()
    verdicts._kept.cache_clear()
    assert verdicts.label() is None
    assert isinstance(verdicts._kept(), ThisRunOnly)
    assert verdict(STRAIGHT_LEG) == verdicts.worked_out(poses(STRAIGHT_LEG)) != ()


def test_the_label_names_every_module_the_checks_import():
    # The modules of protocol_kit that placing and checking a set of poses imports, beyond
    # those that built the poses (the model: the key is what it built).
    code = (
        "import json, sys\n"
        "sys.path[:0] = ['tests', 'tests/illustration']\n"
        "from pose_helpers import poses\n"
        "built = poses(json.loads(sys.argv[1]))\n"
        "before = set(sys.modules)\n"
        "from protocol_kit.illustration import verdicts\n"
        "verdicts.worked_out(built)\n"
        "for name in set(sys.modules) - before:\n"
        "    if name.startswith('protocol_kit'):\n"
        "        print(sys.modules[name].__file__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(STRAIGHT_LEG)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    package = REPO / "protocol_kit"
    imported = {os.path.relpath(p, package).replace(os.sep, "/") for p in out.stdout.split()}
    assert {"illustration/checks.py", "illustration/placement.py"} <= imported
    assert imported <= set(verdicts.CODE), sorted(imported - set(verdicts.CODE))


def run_validate(path, cache) -> tuple[int, str, int]:
    """`protokit validate` in a process of its own: exit code, output, and how many times the
    poses were placed and checked."""
    code = (
        "import sys\n"
        "from protocol_kit.illustration import checks\n"
        "placed = []\n"
        "real = checks.check\n"
        "checks.check = lambda *a, **k: placed.append(1) or real(*a, **k)\n"
        "from protocol_kit.cli.main import main\n"
        "sys.argv = ['protokit', 'validate', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
        "sys.stdout.flush()\n"
        "print(f'placed {len(placed)}', file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PROTOKIT_CACHE_DIR": str(cache)},
    )
    placed = int(out.stderr.rstrip("\n").rpartition("placed ")[2])
    return out.returncode, out.stdout, placed


def test_a_bad_pose_is_reported_when_its_verdict_is_kept(tmp_path):
    with open(PROTOCOLS / "library" / "glute-bridge.json", encoding="utf-8") as handle:
        data = json.load(handle)
    data["poses"] = STRAIGHT_LEG
    path = tmp_path / "bridge.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    cache = tmp_path / "cache"

    first = run_validate(path, cache)
    assert first[0] != 0 and "POSE001" in first[1] and "/poses/end/joints/right_hip" in first[1]
    assert first[2] == 1
    assert list(cache.glob("pose-verdicts-*"))
    second = run_validate(path, cache)
    assert second == (*first[:2], 0)  # the same findings, at the same line and column
