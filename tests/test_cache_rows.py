"""H1186: a damaged row or page of a cache table never changes an answer. SQLite checks no
page, so each row is kept with its CRC-32 (`cache.row_check`): a byte changed in the code
index or in the reading grades is found, and the answer is worked out again."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from test_cache import findings_with_cache, forget_what_was_read_from_the_cache

EXAMPLES = Path(__file__).resolve().parent.parent / "protocols"
# Codes whose answers a damage below changes: a billable code, a category, an unknown code.
ASKED = ("M54.50", "M54.5", "G83.4", "Q99.99")


@pytest.fixture(scope="module")
def built_index(tmp_path_factory) -> Path:
    """A code index built once, for each test to damage a copy of."""
    from protocol_kit.terminology import icd10cm

    cache = tmp_path_factory.mktemp("index")
    with pytest.MonkeyPatch.context() as patched:
        patched.setenv("PROTOKIT_CACHE_DIR", str(cache))
        forget_what_was_read_from_the_cache()
        try:
            icd10cm.lookup("M54.50")
        finally:
            forget_what_was_read_from_the_cache()
    (table,) = cache.glob("icd10cm-*.sqlite")
    return table


def _answers(cache: Path, monkeypatch) -> list:
    """`icd10cm.lookup` of `ASKED` in a run that starts from the cache folder as it is."""
    from protocol_kit.terminology import icd10cm

    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(cache))
    forget_what_was_read_from_the_cache()
    try:
        return [icd10cm.lookup(code) for code in ASKED]
    finally:
        forget_what_was_read_from_the_cache()


def _damage(table: Path, damage: str) -> None:
    content = bytearray(table.read_bytes())
    row = content.index(b"M54.50Low back pain, unspecified")  # the table's row of M54.50
    key = content.index(b"\x03\x19\x02M54.50") + 3  # its entry in the index (a 6-byte text)
    if damage == "billable flag":
        # The record's header before it: its length, then the code's, the description's and
        # the billable flag's types (9: the constant 1), then the check's.
        header = next(row - size for size in range(4, 10) if content[row - size] == size)
        assert content[header + 3] == 0x09
        content[header + 3] = 0x08  # the constant 0: a category header
    elif damage == "description":
        content[row + 6] = ord("J")
    elif damage == "index key":
        content[key + 5] = ord("Z")  # M54.5Z: M54.50 is not found through the index
    elif damage == "malformed page":
        page = key - key % 4096
        content[page : page + 16] = b"\xff" * 16  # "database disk image is malformed"
    table.write_bytes(bytes(content))


@pytest.mark.parametrize("damage", ["billable flag", "description", "index key", "malformed page"])
def test_a_damaged_code_index_gives_the_answers_of_the_code_list(
    built_index, tmp_path, monkeypatch, damage
):
    """Without the row checks: M54.50 a category header with no codes under it (CODE002), a
    description not the list's, "not an ICD-10-CM code" (CODE001, an error), and `internal
    error: DatabaseError: database disk image is malformed`."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    table = cache / built_index.name
    shutil.copyfile(built_index, table)
    expected = _answers(cache, monkeypatch)
    assert expected[0].billable and expected[3] is None
    _damage(table, damage)
    assert _answers(cache, monkeypatch) == expected
    assert not table.exists()  # removed: the next run builds it again


def test_a_damaged_reading_grade_is_measured_again(tmp_path):
    """Without the row check, every grade read as 30 gave the examples 41 TEXT001 warnings
    ("reads at school grade 30.0")."""
    cache = tmp_path / "cache"
    first = findings_with_cache(EXAMPLES, cache)
    (grades,) = cache.glob("reading-grades-*.sqlite")
    with sqlite3.connect(grades) as table:
        damaged = table.execute("UPDATE t SET grade = 30 WHERE grade IS NOT NULL").rowcount
    table.close()
    assert damaged > 10
    for kept_whole in cache.glob("*.marshal"):  # the answers kept from the grades
        kept_whole.unlink()
    assert findings_with_cache(EXAMPLES, cache) == first


def test_codes_not_in_the_list_read_the_whole_table_once_a_run(built_index, tmp_path, monkeypatch):
    """10,000 files that each name a code of their own are not 10,000 reads of the whole table
    (a scan was 20-30 ms a code: 5 minutes): the index and the table are checked to agree at
    the first code the index does not find, and its word is trusted after."""
    from protocol_kit.terminology import icd10cm

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    shutil.copyfile(built_index, cache / built_index.name)
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(cache))
    forget_what_was_read_from_the_cache()
    try:
        assert icd10cm.lookup("M54.50") is not None
        statements: list[str] = []
        icd10cm._index()._connection.set_trace_callback(statements.append)
        unknown = [f"Q99.9{letter}" for letter in "ABCDEFGHJK"]
        assert [icd10cm.lookup(code) for code in unknown] == [None] * len(unknown)
    finally:
        forget_what_was_read_from_the_cache()
    whole_table = [s for s in statements if "NOT INDEXED" in s or "integrity_check" in s]
    assert len(whole_table) == 1, statements
