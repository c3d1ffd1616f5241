"""The cache folder only makes lint faster: the findings are the same with it, without it
(a folder that cannot be written) and after it is damaged, and it is rebuilt when damaged."""

from __future__ import annotations

import json

import pytest

from conftest import CASES, run_protokit
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


def findings_with_cache(protocol, cache) -> str:
    # A new process: a running one keeps what it read from the cache (it is the cache's file
    # handling, across runs, that is tested here).
    result = run_protokit(
        "validate", str(protocol), env={"PROTOKIT_CACHE_DIR": str(cache)}, subprocess_only=True
    )
    assert result.code == 0, result.stderr
    return result.stdout


def test_same_findings_with_a_new_cache_a_warm_one_and_none(protocol, tmp_path):
    cache = tmp_path / "cache"
    first = findings_with_cache(protocol, cache)
    assert EXPECTED in first
    assert sorted(p.suffix for p in cache.iterdir()) == [".sqlite", ".sqlite"]
    assert findings_with_cache(protocol, cache) == first
    unwritable = tmp_path / "a-file"
    unwritable.write_text("not a folder")
    assert findings_with_cache(protocol, unwritable / "cache") == first


def test_damaged_cache_is_rebuilt(protocol, tmp_path):
    cache = tmp_path / "cache"
    first = findings_with_cache(protocol, cache)
    for path in cache.iterdir():
        path.write_bytes(b"this is not a database" * 100)
    assert findings_with_cache(protocol, cache) == first  # works around the damage
    assert findings_with_cache(protocol, cache) == first  # and from a rebuilt cache
    for path in cache.iterdir():
        assert path.read_bytes().startswith(b"SQLite format 3")


def test_defaults_are_what_cerberus_makes_of_an_empty_configuration():
    assert validate_config({}, "test") == DEFAULTS
