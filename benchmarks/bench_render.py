"""Benchmark: prescription sheets per second, in one process and with `protokit build`.

    python benchmarks/bench_render.py [--count 500] [--repeat 20]

1. In one process, after a warm-up: the CPU time of one sheet of each example protocol (plain,
   personalised with a prescription, large print, with a picture on every card, and the HTML
   twin), and its page count; and the same sheet with the renderer's memory of parsed and
   laid-out texts emptied before each (`protocol_kit.render.laid_out.forget`), as for a sheet
   whose texts no sheet before it in the process had.
2. `protokit build` of COUNT protocols (copies of the examples under their own ids) with one
   worker and with one worker per core: wall clock, CPU, sheets per second and peak memory.

Prints Markdown tables for docs/performance.md (## Sheets).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from measure import command_env, measure, step, wait_until_quiet  # noqa: E402

from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol  # noqa: E402
from protocol_kit.app.render import RenderOptions, sheet_request  # noqa: E402
from protocol_kit.render.laid_out import forget  # noqa: E402
from protocol_kit.render.sheet import RenderedSheet, font_check, render_sheet  # noqa: E402
from protocol_kit.sheet.content import build_sheet  # noqa: E402
from protocol_kit.sheet.html import write_html  # noqa: E402
from protocol_kit.sheet.request import ClinicProfile  # noqa: E402

CLINIC = ClinicProfile(
    name="Northside Physiotherapy",
    address=("12 Harbour Street", "Leeds LS1 4AB"),
    phone="0113 496 0000",
    emergency_number="999",
    urgent_number="111",
    email="info@northside.example",
)
CONFIG = '[clinic]\nphone = "0113 496 0000"\nemergency_number = "999"\nurgent_number = "111"\n'


def html_sheet(request) -> RenderedSheet:
    return RenderedSheet(write_html(build_sheet(request, font_check())).encode(), None)


def with_pictures(path: Path, folder: Path) -> Path:
    """A self-contained copy of the protocol with a 58 x 35 mm picture on every card (the
    size of the exercise drawings), as a PNG the clinic might supply."""
    from PIL import Image

    from protocol_kit.app.bundle_checks import make_self_contained

    picture = folder / "stand-in.png"
    if not picture.exists():
        Image.new("RGB", (580, 350), (240, 244, 248)).save(picture)
    _, contained, _ = make_self_contained(FileChecker(CheckOptions()), str(path))
    data = json.loads(contained.text)
    for exercise in data["exercises"]:
        exercise["media"] = [{"kind": "image", "path": picture.name, "alt": "drawing",
                              "author": "bench", "licence": "CC0-1.0"}]  # fmt: skip
    copy = folder / f"{path.stem}.pictured.json"
    copy.write_text(json.dumps(data), encoding="utf-8")
    return copy


def prescription_for(protocol, folder: Path) -> Path:
    path = folder / f"{protocol.id}.rx.json"
    data = {
        "$schema": "https://schemas.protocol-kit.org/v1/prescription.schema.json",
        "protocol": {"id": protocol.id},
        "patient": {"name": "Alex Example", "date_of_birth": "1970-01-01"},
        "therapist": {"name": "Sam Okafor", "credentials": "Physiotherapist"},
        "date": "2026-12-01",
        "start_date": "2026-12-02",
        "notes": ["Start gently."],
    }
    if protocol.screening:  # every question answered: "no" keeps every exercise in
        data["screening"] = {question.id: "no" for question in protocol.screening}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def one_process(repeat: int, folder: Path) -> list[str]:
    lines = [
        "| protocol | variant | pages | CPU per sheet (ms) | sheets/s "
        "| texts not seen before (ms) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    checker = FileChecker(CheckOptions())
    for path in sorted((REPO / "protocols").glob("*.json")):
        protocol = load_protocol(str(path), checker)
        pictured = load_protocol(str(with_pictures(path, folder)), checker)
        rx = prescription_for(protocol, folder)
        plain = RenderOptions(clinic=CLINIC)
        variants = {
            "plain": (protocol, plain, None, render_sheet),
            "personalised": (protocol, plain, str(rx), render_sheet),
            "large print": (protocol, RenderOptions(clinic=CLINIC, large_print=True), None,
                            render_sheet),
            "pictures": (pictured, plain, None, render_sheet),
            "HTML": (protocol, plain, None, html_sheet),
        }  # fmt: skip
        for name, (source, options, prescription, make) in variants.items():
            request = sheet_request(source, options, prescription, checker)
            make(request)  # warm-up: fonts, imports
            times = []
            for _ in range(repeat):
                start = time.process_time()
                sheet = make(request)
                times.append(time.process_time() - start)
            median = statistics.median(times)
            # The same sheet with the renderer's per-process memory of texts emptied first:
            # what a sheet costs whose texts no sheet before it had.
            fresh = []
            for _ in range(max(1, repeat // 2)):
                forget()
                start = time.process_time()
                make(request)
                fresh.append(time.process_time() - start)
            pages = sheet.pages if sheet.pages is not None else "–"
            lines.append(
                f"| {protocol.id} | {name} | {pages} | {median * 1000:.1f} | {1 / median:.0f} | "
                f"{statistics.median(fresh) * 1000:.1f} |"
            )
    return lines


def corpus(folder: Path, count: int) -> Path:
    target = folder / "protocols"
    shutil.copytree(REPO / "protocols", target)
    examples = sorted(target.glob("*.json"))
    for path in examples:
        path.unlink()
    sources = [
        json.loads(p.read_text("utf-8")) for p in sorted((REPO / "protocols").glob("*.json"))
    ]
    for index in range(count):
        data = dict(sources[index % len(sources)])
        data["id"] = f"sheet-{index:04d}"
        (target / f"sheet-{index:04d}.json").write_text(json.dumps(data), encoding="utf-8")
    return target


def builds(count: int, folder: Path) -> list[str]:
    protocols = corpus(folder, count)
    (folder / "protokit.toml").write_text(CONFIG, encoding="utf-8")  # the numbers a sheet needs
    env = command_env(folder / "cache")
    cores = os.cpu_count() or 1
    lines = [
        f"| `protokit build` of {count} sheets | wall (s) | CPU (s) | sheets/s | "
        "peak memory, one process (MB) | peak memory, all processes (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for jobs in sorted({1, cores}):
        out = folder / f"out-{jobs}"
        wait_until_quiet()
        step(f"build with --jobs {jobs}")
        command = [sys.executable, "-m", "protocol_kit", "build", str(protocols), "-o", str(out)]
        run = measure([*command, "--jobs", str(jobs), "--no-bundle", "-q"], folder, env)
        if run.code != 0:
            raise SystemExit(f"build failed with exit code {run.code}")
        built = len(list(out.glob("*.pdf")))
        assert built == count, built
        tree = f"{run.tree_rss_kb / 1024:.0f}" if run.tree_rss_kb else "n/a"
        lines.append(
            f"| --jobs {jobs} | {run.wall:.1f} | {run.cpu:.1f} | {count / run.wall:.0f} | "
            f"{run.max_rss_kb / 1024:.0f} | {tree} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}\n")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        print("\n".join(one_process(args.repeat, folder)))
        print()
        print("\n".join(builds(args.count, folder)))


if __name__ == "__main__":
    main()
