"""How long the workbench takes to answer as a therapist types, for each example protocol:
the checks (`/api/check`: schema and every lint rule, the same as `protokit validate`), the
sheet (`/api/preview`: the PDF) and the preview's first page (PDFium), measured in process over
the core the server calls, beside `protokit validate`'s own check of the same file in the same
run (the machine is shared: compare the columns, not runs).

    .venv/bin/python benchmarks/bench_workbench.py

benchmarks/bench_preview.py measures the preview as the browser shows it.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from protocol_kit.app.check import FileChecker, configured_check_options
from protocol_kit.config import load_config
from protocol_kit.workbench.folder import Folder
from protocol_kit.workbench.preview import page_image
from protocol_kit.workbench.service import Workbench

REPO = Path(__file__).resolve().parent.parent
RUNS = 7


def median_ms(work) -> float:
    work()  # warm: the first call reads code lists, fonts and library folders
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    bench = Workbench(Folder(REPO / "protocols"))
    config = load_config(start=REPO)
    validate = FileChecker(configured_check_options(config, hooks=bench.options.check.hooks))
    print(f"{'protocol':42} {'validate':>9} {'check':>7} {'sheet':>7} {'page 1':>9} (ms)")
    for path in sorted((REPO / "protocols").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        name = path.name
        pdf = bench.protocol_sheet(name, data)
        row = [
            median_ms(lambda p=path: validate.check(str(p))),
            median_ms(lambda d=data, n=name: bench.check(n, d)),
            median_ms(lambda d=data, n=name: bench.protocol_sheet(n, d)),
            median_ms(lambda p=pdf: page_image(p, 1)),
        ]
        print(f"{path.stem:42} " + " ".join(f"{v:>8.0f}" for v in row))


if __name__ == "__main__":
    main()
