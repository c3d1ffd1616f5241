"""The data files' decoded JSON kept between runs (protocol_kit/package_data/kept.py) never
changes what a rule reads: the value is `json.loads` of the file as it is now, a changed file
is decoded again, and a damaged, foreign or planted cache file is not used."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys

import cache_damage
import pytest

from conftest import REPO
from protocol_kit import cache
from protocol_kit.package_data import kept, read_json, read_text

# The data files a one-file `validate` reads (and one it does not).
SHIPPED = [
    ("protocol_kit.redflags", "red_flags.json"),
    ("protocol_kit.terminology", "data/crosswalk.json"),
    ("protocol_kit.lint", "data/condition_words.json"),
    ("protocol_kit.lint", "data/number_words.json"),
    ("protocol_kit.lint", "data/condition_movements.json"),
    ("protocol_kit.lint", "data/ignore_pain.json"),
    ("protocol_kit.lint", "data/pain_targets.json"),
    ("protocol_kit.illustration", "data/postures.json"),
    ("protocol_kit.prescribing", "measures.json"),
    ("protocol_kit.starter", "data/protocol_texts.json"),
]
DATA = {"en": {"phrases": ["ignore (the|your) pain", "push through"], "weight": 1.5}, "n": [1, 2]}


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder, and a process that has read no cache yet."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(folder))
    monkeypatch.setattr(kept, "_KEPT", kept._Kept())
    monkeypatch.setattr(kept, "_save", lambda: None)  # written by the tests themselves
    return folder


def a_new_process() -> None:
    """What this process kept is written, and forgotten: the next read is a new process's."""
    kept.write(kept._KEPT.entries)
    kept._KEPT.entries = None


def data_file(tmp_path, value=DATA) -> str:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("package", "name"), SHIPPED)
def test_shipped_files_read_as_json_loads_reads_them(fresh_cache, package, name):
    expected = json.loads(read_text(package, name))
    assert read_json(package, name) == expected  # decoded, and kept
    a_new_process()
    found = read_json(package, name)
    assert found == expected
    assert json.dumps(found) == json.dumps(expected)  # the same order, types and numbers


def test_the_kept_value_is_used_and_each_call_gets_its_own_copy(fresh_cache, tmp_path, monkeypatch):
    path = data_file(tmp_path)
    read_json_first = kept.read_json_file(path)
    a_new_process()

    def never(*args, **kwargs):
        raise AssertionError("decoded again although the cache holds it")

    monkeypatch.setattr(json, "loads", never)
    first = kept.read_json_file(path)
    assert first == read_json_first == DATA
    first["en"]["phrases"].append("changed by a caller")
    assert kept.read_json_file(path) == DATA  # a caller's change is not what the next one reads


def test_a_changed_file_is_decoded_again(fresh_cache, tmp_path):
    path = data_file(tmp_path)
    kept.read_json_file(path)
    a_new_process()
    before = os.stat(path)
    # The same size, and the old modification time put back (as `cp -p` or an unpacked
    # archive would): still read again (the change time and the content moved on).
    changed = {**DATA, "n": [3, 4]}
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(changed))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    while os.stat(path).st_ctime_ns == before.st_ctime_ns:
        # A kernel whose file times move once a clock tick (a few milliseconds) gave the
        # change the very time of the first write on a fast machine: the file then looks
        # unchanged to anything. Changed again until its change time tells it apart.
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    assert kept.read_json_file(path) == changed
    a_new_process()
    assert kept.read_json_file(path) == changed


def test_a_file_that_is_not_json_is_still_refused(fresh_cache, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"en": [', encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        kept.read_json_file(str(path))


def written_cache(folder, path: str) -> tuple[object, bytes]:
    kept.read_json_file(path)
    kept.write(kept._KEPT.entries)
    cache_file = folder / kept.cache_name()
    return cache_file, cache_file.read_bytes()


def damaged(original: bytes, path: str) -> dict[str, bytes]:
    def planted(entries):
        # Readable and of the right shape, but not what was written: another value, under
        # the file's own stamp.
        stamp, _ = entries[path]
        return {path: (stamp, marshal.dumps({"en": {"phrases": []}}))}

    return cache_damage.damaged(
        original, kept._FORMAT, planted, b"1 2.7.18 (default) 34017264 json 2.0.9"
    )


def wrong_shapes(original: bytes, path: str) -> dict[str, bytes]:
    """Files whose check is right (as if written by a mistake) but whose entries are not."""
    line = original.partition(b"\n")[0]

    def checked(value: object) -> bytes:
        payload = marshal.dumps(value)
        return line + b"\n" + cache._check(payload) + payload

    stamp = kept.stamp(path)
    return {
        "a list": checked([path]),
        "no stamp": checked({path: marshal.dumps(DATA)}),
        "another stamp": checked({path: ((1, 2, 3, 4), marshal.dumps({"planted": True}))}),
        "not marshal's bytes": checked({path: (stamp, b"\xff\x00 not marshal")}),
        "a str for bytes": checked({path: (stamp, "text")}),
    }


@pytest.mark.parametrize("damage", cache_damage.DAMAGES)
def test_a_damaged_or_foreign_cache_is_not_used(fresh_cache, tmp_path, damage):
    path = data_file(tmp_path)
    cache_file, original = written_cache(fresh_cache, path)
    cache_file.write_bytes(damaged(original, path)[damage])
    kept._KEPT.entries = None
    assert kept.read_json_file(path) == DATA


@pytest.mark.parametrize(
    "shape", ["a list", "no stamp", "another stamp", "not marshal's bytes", "a str for bytes"]
)
def test_entries_of_the_wrong_shape_are_not_used(fresh_cache, tmp_path, shape):
    path = data_file(tmp_path)
    cache_file, original = written_cache(fresh_cache, path)
    cache_file.write_bytes(wrong_shapes(original, path)[shape])
    kept._KEPT.entries = None
    assert kept.read_json_file(path) == DATA


def test_a_cache_file_in_a_folder_others_can_write_is_not_read(fresh_cache, tmp_path):
    path = data_file(tmp_path)
    written_cache(fresh_cache, path)
    os.chmod(fresh_cache, 0o777)  # a folder anyone could plant a file in
    try:
        kept._KEPT.entries = None
        assert kept.read() == {}
        assert kept.read_json_file(path) == DATA
    finally:
        os.chmod(fresh_cache, 0o700)


def test_the_cache_is_written_at_exit_and_read_by_the_next_process(tmp_path):
    code = (
        "import json, sys\n"
        "from protocol_kit.package_data import kept\n"
        "loads = json.loads\n"
        "decoded = []\n"
        "json.loads = lambda *a, **k: decoded.append(1) or loads(*a, **k)\n"
        "from protocol_kit.package_data import read_json\n"
        "value = read_json('protocol_kit.redflags', 'red_flags.json')\n"
        "print(len(decoded), len(value['items']))\n"
    )
    env = {**os.environ, "PROTOKIT_CACHE_DIR": str(tmp_path / "cache")}

    def run() -> list[int]:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env
        )
        assert out.returncode == 0, out.stderr
        return [int(word) for word in out.stdout.split()]

    decoded_first, items = run()
    assert decoded_first == 1 and items > 10
    assert run() == [0, items]  # the next process reads the kept value, not the JSON


def test_each_installation_reads_only_its_own_cache_file(fresh_cache, tmp_path, monkeypatch):
    # Another installation (a second virtual environment) sharing the cache folder keeps its
    # entries in a file of its own: this one's run neither reads nor writes that file, and
    # still uses its own kept values (issue 17: a one-file run read every installation's).
    other_installation = fresh_cache / kept.cache_name(str(tmp_path / "other-venv"))
    assert other_installation.name != kept.cache_name()
    fresh_cache.mkdir(mode=0o700)
    planted = b"not even a cache file"
    other_installation.write_bytes(planted)
    path = data_file(tmp_path)
    kept.read_json_file(path)
    a_new_process()
    monkeypatch.setattr(json, "loads", lambda *args, **kwargs: pytest.fail("decoded again"))
    assert kept.read_json_file(path) == DATA
    assert other_installation.read_bytes() == planted
    assert sorted(p.name for p in fresh_cache.iterdir()) == sorted(
        [kept.cache_name(), other_installation.name]
    )
