"""benchmarks/bench_illustration.py's table of sheets against their pictures (issue 17: a sheet
at most 60 ms CPU, illustrations included) renders every example protocol's sheet: a sheet
prints the clinic's numbers, never guessed, so the benchmark gives the repository's example
clinic; without it the table stopped with a configuration error before its first row."""

from __future__ import annotations

import importlib.util
import sys

from conftest import REPO


def _bench_illustration():
    sys.path.insert(0, str(REPO / "benchmarks"))  # its own `measure` module
    try:
        spec = importlib.util.spec_from_file_location(
            "bench_illustration", REPO / "benchmarks" / "bench_illustration.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return module


def test_the_sheets_table_has_a_row_for_every_example_protocol(tmp_path, monkeypatch):
    bench = _bench_illustration()
    monkeypatch.setattr(bench, "wait_until_quiet", lambda: None)
    monkeypatch.chdir(tmp_path)  # no configuration here: the repository's clinic is given
    rows = bench.per_sheet(1)[2:]
    examples = sorted(path.stem for path in (REPO / "protocols").glob("*.json"))
    assert [row.split(" | ")[0].lstrip("| ") for row in rows] == examples
    for row in rows:
        sheet_ms = float(row.split(" | ")[2])
        assert sheet_ms > 0, row
