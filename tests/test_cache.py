"""The cache folder only makes lint faster: the findings are the same with it, without it
(a folder that cannot be written) and after it is damaged, and it is rebuilt when damaged."""

from __future__ import annotations

import json
import os

import pytest

from conftest import CASES, run_protokit
from protocol_kit.cache import read_kept, stored_at
from protocol_kit.config import DEFAULTS, validate_config

MINIMAL = CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json"
EXPECTED = (
    "warning CODE002 M54.1 (Radiculopathy) is a category header, not a billable code: use one "
    "of M54.10, M54.11, M54.12, M54.13, M54.14, M54.15, M54.16, M54.17 and 1 more"
)


@pytest.fixture(scope="module")
def protocol(tmp_path_factory):
    # A non-billable code: the message needs both a lookup and the codes under it.
    data = json.loads(MINIMAL.read_text())
    data["indications"][0].update(code="M54.1", display="Radiculopathy")
    path = tmp_path_factory.mktemp("cache") / "protocol.json"
    path.write_text(json.dumps(data, indent=2))
    return path


def forget_what_was_read_from_the_cache() -> None:
    """What a running process keeps of the cache files (the code index and the grade store,
    each opened once per process): forgotten, so that the next run in this process opens the
    cache folder again, as a new process would."""
    from protocol_kit.lint.rules import reading_level
    from protocol_kit.terminology import icd10cm, icd10who

    for opened in (icd10cm._index, reading_level._store):
        if opened.cache_info().currsize:
            # Closed as at a process's exit (the write-ahead log goes back into the file).
            connection = getattr(opened(), "_connection", None)
            if connection is not None:
                connection.close()
        opened.cache_clear()
    icd10cm.lookup.cache_clear()
    icd10cm._recent.cache_clear()  # the index's recent answers, read again from the folder
    icd10who.lookup.cache_clear()
    icd10who._recent.cache_clear()


@pytest.fixture(scope="module")
def built_cache(protocol, tmp_path_factory):
    """A cache folder that one run into an empty folder filled (the code index, the grade
    store, the configuration), and that run's findings. Building the index is 0.65 s of CPU
    a run; the tests that start from a damaged or kept cache start from a copy of this one
    rather than filling their own first: the files, and the findings, are a first run's."""
    cache = tmp_path_factory.mktemp("built") / "cache"
    findings = findings_with_cache(protocol, cache)
    assert EXPECTED in findings
    assert sorted(p.suffix for p in cache.iterdir()) == [".marshal", ".sqlite", ".sqlite"]
    return cache, findings


def copy_of(built_cache, tmp_path):
    """A copy of the built cache folder of the test's own (its runs write into it)."""
    import shutil

    built, findings = built_cache
    return shutil.copytree(built, tmp_path / "cache"), findings


def findings_with_cache(protocol, cache, new_process: bool = False) -> str:
    # It is the cache's file handling across runs that is tested here, so each run starts
    # from what is on disk: in this process with its memory of the cache forgotten (without
    # importing the code list again each time), or in a new process.
    forget_what_was_read_from_the_cache()
    # A new `protokit validate` of one file gives the lint's answer kept by the last run of
    # the same file without asking the rules (lint/one_file.py): forgotten, so that the
    # tables tested here are asked as in a run of a file not seen before.
    for kept in cache.glob("lint-one-file-*.marshal") if cache.exists() else ():
        kept.unlink()
    try:
        result = run_protokit(
            "validate", str(protocol), env={"PROTOKIT_CACHE_DIR": str(cache)},
            subprocess_only=new_process,
        )  # fmt: skip
    finally:
        forget_what_was_read_from_the_cache()
    assert result.code == 0, result.stderr
    return result.stdout


def test_same_findings_with_a_new_cache_a_warm_one_and_none(protocol, tmp_path):
    cache = tmp_path / "cache"
    first = findings_with_cache(protocol, cache)
    assert EXPECTED in first
    # The two SQLite files, and the configuration of the folder it ran in, as parsed.
    assert sorted(p.suffix for p in cache.iterdir() if p.suffix != ".marshal") == [
        ".sqlite",
        ".sqlite",
    ]
    # (The tables' recent answers, `cache.Recent`, are written at the exit of a process.)
    kept_whole = {p.name for p in cache.iterdir() if p.suffix == ".marshal"}
    assert {name for name in kept_whole if ".recent." not in name} <= {"configuration.marshal"}
    # Another process reads what this one wrote, and closes both tables at exit: no
    # write-ahead log is left beside them (a connection is closed by no one else there:
    # `protokit validate` leaves what is alive at exit to the system, cache._close_at_exit).
    assert findings_with_cache(protocol, cache, new_process=True) == first
    assert sorted(p.name for p in cache.iterdir() if ".sqlite" in p.name) == sorted(
        p.name for p in cache.iterdir() if p.suffix == ".sqlite"
    )
    unwritable = tmp_path / "a-file"
    unwritable.write_text("not a folder")
    assert findings_with_cache(protocol, unwritable / "cache") == first
    assert not (unwritable / "cache").exists()


def test_recent_answers_give_the_tables_findings(protocol, built_cache, tmp_path):
    # A process keeps the answers the two tables gave in a small file of their own
    # (cache.Recent), which the next process reads instead of opening the tables. The
    # tables are a first run's (built_cache, which keeps no recent answers: they are written
    # at a process's exit): the first new process here answers from them.
    cache, built_findings = copy_of(built_cache, tmp_path)
    assert not list(cache.glob("*.recent.marshal"))
    first = findings_with_cache(protocol, cache, new_process=True)
    assert first == built_findings
    recent = sorted(cache.glob("*.recent.marshal"))
    assert [p.name.split("-")[0] for p in recent] == ["icd10cm", "reading"]
    written = [p.read_bytes() for p in recent]
    assert findings_with_cache(protocol, cache, new_process=True) == first
    assert [p.read_bytes() for p in recent] == written  # nothing new to keep: not written
    # Damaged: not read (its digest); the tables answer, and the file is written whole again.
    label = "protokit recent answers 1"
    kept = [stored_at(p, label) for p in recent]
    for path in recent:
        path.write_bytes(path.read_bytes()[:-5] + b"xxxxx")
        assert stored_at(path, label) is None
    assert findings_with_cache(protocol, cache, new_process=True) == first
    assert [stored_at(p, label) for p in recent] == kept


def test_recent_answers_are_the_indexs(built_cache, tmp_path, monkeypatch):
    # Codes as the index has them (billable, categories with the codes under them, unknown),
    # then as the recent answers keep them: the same IcdCode, or None. The index is a first
    # run's (built_cache), which keeps no recent answers.
    from protocol_kit.terminology import icd10cm

    cache, _ = copy_of(built_cache, tmp_path)
    assert [p.name for p in cache.glob("icd10cm-*.sqlite")] and not list(cache.glob("*.recent.*"))
    codes = ("M54.50", "M54.1", "M54.5", "Q99.99", "S72")
    # Every answer of the second run is kept: the index is never opened for it.
    from_index, from_recent = _asked_then_kept(
        cache, monkeypatch, icd10cm, "_index", codes, codes[:4]
    )
    assert from_index[3] is None  # not in the list
    assert from_index[1].billable_children[:2] == ("M54.10", "M54.11")
    assert from_index[2].billable_children == ("M54.50", "M54.51", "M54.59")
    assert from_recent == from_index[:4]
    assert len(from_index[4].billable_children) > icd10cm._CHILDREN_KEPT  # asked every time


def test_recent_who_answers_are_the_packages(tmp_path, monkeypatch):
    # WHO ICD-10 codes (a leaf, a category, a block, unknown) as the package answers, then as
    # the recent answers keep them, without importing the package's code list again.
    from protocol_kit.terminology import icd10who

    codes = ("M54.5", "M54", "M50-M54", "Q99.99")
    from_package, from_recent = _asked_then_kept(
        tmp_path, monkeypatch, icd10who, "_package", codes, codes
    )
    assert from_package[0] == icd10who.WhoCode("M54.5", "Low back pain", True)
    assert from_package[1].leaf is False
    assert from_package[2:] == [None, None]
    assert from_recent == from_package


def _asked_then_kept(cache, monkeypatch, terminology, source, codes, kept_codes):
    """The answers of `terminology.lookup` for `codes` in a run that reads its `source`, then
    for `kept_codes` in a later run (the first run's answers saved as at its exit into the
    cache folder `cache`) in which reading `source` fails the test."""

    def not_read():  # noqa: ANN202
        raise AssertionError(f"{terminology.__name__}.{source} was read")

    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(cache))
    try:
        forget_what_was_read_from_the_cache()
        first = [terminology.lookup(code) for code in codes]
        terminology._recent()._save()  # as at the exit of this process
        forget_what_was_read_from_the_cache()
        with monkeypatch.context() as patched:
            patched.setattr(terminology, source, not_read)
            later = [terminology.lookup(code) for code in kept_codes]
    finally:
        forget_what_was_read_from_the_cache()
    return first, later


def test_damaged_cache_is_rebuilt(protocol, built_cache, tmp_path):
    cache, first = copy_of(built_cache, tmp_path)
    for path in cache.iterdir():
        path.write_bytes(b"this is not a database" * 100)
    assert findings_with_cache(protocol, cache) == first  # works around the damage
    assert findings_with_cache(protocol, cache) == first  # and from a rebuilt cache
    for path in cache.iterdir():
        if path.suffix == ".marshal":  # a value kept whole, rebuilt as it was written
            assert stored_at(path, path.read_bytes().partition(b"\n")[0].decode()) is not None
        else:
            assert path.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize(
    "table",
    ["CREATE TABLE t (x)", "CREATE TABLE t (code TEXT, grade TEXT, other BLOB)", "emptied"],
)
def test_a_cache_file_of_another_layout_is_rebuilt(protocol, built_cache, tmp_path, table):
    """H231: a cache file of the right name whose table was made otherwise (another
    version's layout, a hand-made or damaged file) passed the one check `SELECT 1 FROM t`:
    every validate was `internal error: OperationalError: no such column`, and an emptied code
    index made every ICD-10-CM code "not a code"."""
    import sqlite3

    cache, first = copy_of(built_cache, tmp_path)
    for path in cache.iterdir():
        path.unlink()
        with sqlite3.connect(path) as made:
            if table == "emptied":
                made.execute(
                    "CREATE TABLE t (code TEXT PRIMARY KEY, description TEXT, billable INTEGER,"
                    " crc INTEGER)"
                    if path.name.startswith("icd10cm")
                    else "CREATE TABLE t (key TEXT PRIMARY KEY, grade REAL, crc INTEGER)"
                )
            else:
                made.execute(table)
                made.execute(f"INSERT INTO t VALUES ({', '.join(['1'] * (table.count(',') + 1))})")
        made.close()
    assert findings_with_cache(protocol, cache) == first  # works around it
    assert findings_with_cache(protocol, cache) == first  # and from a rebuilt cache


def test_defaults_are_what_cerberus_makes_of_an_empty_configuration():
    assert validate_config({}, "test") == DEFAULTS


def test_package_version_is_what_importlib_metadata_says():
    # The cache files are named by it: a wrong version would reuse another release's index.
    from importlib.metadata import version

    from protocol_kit.cache import package_version

    for distribution, package in (
        ("simple_icd_10_cm", "simple_icd_10_cm"),
        ("textstat", "textstat"),
        ("jsonschema-rs", "jsonschema_rs"),
        ("json-source-map", "json_source_map"),
    ):
        assert package_version(distribution, package) == version(distribution)


def test_recent_answers_keep_the_newest(tmp_path, monkeypatch):
    from protocol_kit.cache import UNKNOWN, Recent

    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path))
    recent = Recent("answers.recent.marshal", most=3)
    for number in range(7):  # more than twice `most`: the oldest forgotten as it runs
        recent.add(f"q{number}", number)
    assert len(recent._answers) <= 6
    recent._save()
    again = Recent("answers.recent.marshal", most=3)
    assert [again.get(f"q{n}") for n in range(7)] == [UNKNOWN] * 4 + [4, 5, 6]


_WORKERS_RECENT = None  # the table a forked worker inherits (set by the test below)


def _asked_in_a_worker(key: str) -> int:
    _WORKERS_RECENT.add(key, os.getpid())
    return os.getpid()


def test_answers_a_forked_worker_was_given_are_kept_for_the_next_run(tmp_path, monkeypatch):
    # A large run's workers ask most of its questions; kept only by their parent, each run
    # asked them of the tables again (a worker loaded the whole WHO list or the reading-grade
    # table for them). Each worker adds its own to the file when it ends, and the parent,
    # saving last, adds to what they left rather than writing over it.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from protocol_kit.cache import UNKNOWN, Recent

    global _WORKERS_RECENT
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path))
    _WORKERS_RECENT = recent = Recent("answers.recent.marshal")
    recent.add("asked by the parent before the workers", 0)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        workers = set(pool.map(_asked_in_a_worker, [f"w{n}" for n in range(8)]))
    assert os.getpid() not in workers
    recent.add("asked by the parent after them", 1)
    recent._save()  # what `atexit` does at the parent's end
    again = Recent("answers.recent.marshal")
    assert again.get("asked by the parent before the workers") == 0
    assert again.get("asked by the parent after them") == 1
    assert all(again.get(f"w{n}") in workers for n in range(8))
    assert again.get("never asked") is UNKNOWN


def test_a_files_label_names_each_file_and_its_content(tmp_path):
    from protocol_kit.cache import files_label

    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.json").write_text("{}")
    label = files_label("things", 1, str(tmp_path), ["a.py", "b.json"])
    assert label is not None and label.startswith("protokit things 1 ")
    assert files_label("things", 1, str(tmp_path), ["a.py", "b.json"]) == label
    # One byte changed, every length the same: another label (the content is in it).
    (tmp_path / "a.py").write_text("x = 2\n")
    assert files_label("things", 1, str(tmp_path), ["a.py", "b.json"]) != label
    # The same bytes split otherwise between the files, another version, another title,
    # another version of what they depend on: each another label.
    (tmp_path / "a.py").write_text("x = 1\n{")
    (tmp_path / "b.json").write_text("}")
    others = [
        files_label("things", 1, str(tmp_path), ["a.py", "b.json"]),
        files_label("things", 2, str(tmp_path), ["a.py", "b.json"]),
        files_label("other things", 1, str(tmp_path), ["a.py", "b.json"]),
        files_label("things", 1, str(tmp_path), ["a.py", "b.json"], extra="engine 2"),
    ]
    assert len({label, *others}) == 5
    assert files_label("things", 1, str(tmp_path), ["a.py", "missing.py"]) is None


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 5000])
def test_a_kept_file_is_read_whole_or_one_byte_past_the_limit(tmp_path, size):
    # Read by its size, not by the limit (a buffer of the limit's size cost the patterns
    # file 3 ms); one byte past the limit still shows a file too large to be used.
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    path = folder / "kept.marshal"
    content = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path.write_bytes(content)
    assert read_kept(path, 1000) == content[:1001]


def test_a_table_whose_build_stops_leaves_nothing_in_the_cache_folder(tmp_path, monkeypatch):
    # A build stopped half way (a full disk, a killed process) left the temporary table's
    # rollback journal in the cache folder ("..tmp-journal"), one per process: the table is
    # built without one, since a failed build is thrown away whole.
    import sqlite3

    from protocol_kit.cache import open_table

    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path))
    seen = []

    def fill():
        for number in range(2000):
            if number == 1500:
                seen.extend(sorted(path.name for path in tmp_path.iterdir()))
                raise sqlite3.OperationalError("database or disk is full")
            yield (f"code {number}", "x" * 200)

    create = "CREATE TABLE t (code TEXT PRIMARY KEY, text TEXT)"
    assert open_table("built.sqlite", create, fill) is None  # the cache is not used
    assert seen and not [name for name in seen if name.endswith("-journal")], seen
    assert list(tmp_path.iterdir()) == []
    table = open_table("built.sqlite", create, None)
    assert table is not None and table.execute("SELECT count(*) FROM t").fetchone() == (0,)


# In a process of its own: simple_icd_10_cm's list of codes is filled once per process, on
# its first use, and a test process has filled it long before.
_CONCURRENT_LOOKUPS = """
import sys, threading
from protocol_kit.terminology import icd10cm

codes = sys.argv[1:]
start = threading.Barrier(len(codes))
found = {}

def look_up(code):
    start.wait()
    found[code] = icd10cm.lookup(code) is not None

threads = [threading.Thread(target=look_up, args=(code,)) for code in codes]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(" ".join(code for code in codes if not found[code]))
"""

# Codes of the example protocols, each in the current list.
_LISTED = ["M54.50", "G83.4", "M54.40", "Z96.649", "M81.0", "Z79.01", "M54.2", "M25.571"]


@pytest.mark.parametrize("folder", ["usable", "not usable"])
def test_codes_looked_up_in_several_threads_at_once_are_all_found(tmp_path, folder):
    """H1163: the workbench checks files in several threads at once. The first lookups of a
    process, made together, read simple_icd_10_cm's list while one of them filled it: a
    listed code (M54.50) was reported as no ICD-10-CM code, and the answer was kept in the
    cache folder for every later run; with two threads building the index, neither did."""
    import subprocess
    import sys

    cache = tmp_path / "cache"
    if folder == "not usable":
        cache.write_text("a file, not a folder")  # the index from the package, in memory
    # The second run (cache folder usable) reads the answers the first kept.
    for run in ("first", "second") if folder == "usable" else ("first",):
        result = subprocess.run(
            [sys.executable, "-c", _CONCURRENT_LOOKUPS, *_LISTED],
            capture_output=True,
            text=True,
            env={**os.environ, "PROTOKIT_CACHE_DIR": str(cache)},
            check=True,
        )
        assert result.stdout.strip() == "", f"{run} run, reported as no code: {result.stdout}"
        if folder == "usable":
            # The index was made: no thread removed another's file being built.
            assert [p.name for p in cache.glob("icd10cm-*.sqlite")], sorted(os.listdir(cache))
