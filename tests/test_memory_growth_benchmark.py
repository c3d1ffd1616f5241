"""benchmarks/memory_growth.py reads pymalloc's arenas from `sys._debugmallocstats`, text the
interpreter writes to the C library's standard error: a Python whose text differs would leave
the arenas out of every line without a word, and with them what tells live objects from
freed space pinned by a few (issue 17)."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from conftest import REPO


def _memory_growth():
    spec = importlib.util.spec_from_file_location(
        "memory_growth", REPO / "benchmarks" / "memory_growth.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="pymalloc is CPython's")
def test_each_line_says_how_many_arenas_and_live_blocks_the_process_holds():
    line = _memory_growth()._arenas()
    found = re.fullmatch(r"; pymalloc (\d+) arenas \((\d+) ever\), blocks ([\d.]+) MB", line)
    assert found, line
    now, ever, blocks = int(found[1]), int(found[2]), float(found[3])
    assert 0 < now <= ever
    # The blocks live in the arenas: never more bytes than the arenas hold (1 MiB each).
    assert 0 < blocks <= now * 1.048576
