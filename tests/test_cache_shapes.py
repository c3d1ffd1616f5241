"""An answer kept in the cache folder is used only when it has the shape the code that asks
for it takes (H588): the user's own account may have written the file (a cache restored from
another build, a file changed by hand), and an answer of another type ended `validate` in
"internal error"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import PROTOCOLS, REPO, warm_cache
from protocol_kit import cache

# The files of `cache.Recent` answers a `validate` of the examples keeps.
KEPT = ("icd10cm-", "reading-grades-", "pattern-needs-", "pose-verdicts-")


def validate(folder, cache_folder) -> subprocess.CompletedProcess:
    env = {**os.environ, "PROTOKIT_CACHE_DIR": str(cache_folder)}
    env.pop("PROTOKIT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "protocol_kit", "validate", str(folder)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )


def test_a_recent_answer_of_another_shape_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path / "unused"))
    kept = cache.Recent("x.marshal", fits=lambda answer: type(answer) is float)
    kept._answers = {"a": 1.5, "b": "planted"}
    assert kept.get("a") == 1.5
    assert kept.get("b") is cache.UNKNOWN
    assert cache.Recent("y.marshal").get("missing") is cache.UNKNOWN


@pytest.mark.parametrize("planted", ["text"])
def test_planted_answers_of_another_type_change_nothing(tmp_path, planted):
    folder = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, folder)
    # What a user's first runs leave in their cache (`KEPT` among it, answered for this
    # protocol): from an empty folder the first run built it all again, seconds of CPU that
    # are not what is tested, the planted answers' run (twenty-eighth sitting).
    clean = warm_cache(tmp_path / "cache")
    protocol = folder / "psoas-stretch-glute-bridge.json"
    first = validate(protocol, clean)
    assert first.returncode == 0, first.stderr
    planted_folder = tmp_path / "planted"
    shutil.copytree(clean, planted_folder)
    names = [p for p in planted_folder.glob("*.marshal") if p.name.startswith(KEPT)]
    assert len(names) == len(KEPT), names
    for path in names:
        label = path.read_bytes().partition(b"\n")[0].decode()
        answers = cache.stored_at(path, label)
        assert isinstance(answers, dict) and answers, path
        cache.store_at(path, label, dict.fromkeys(answers, planted))
    again = validate(protocol, planted_folder)
    assert "internal error" not in again.stderr
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)
