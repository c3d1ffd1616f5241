"""The workbench's sheet preview from the therapist's side: the time from a change in the form
to the new sheet on screen, measured in Chromium (the page's own clock: from the form's change
event to the new first page's `load`), for each example protocol in normal and large print and
in each language a protocol carries; beside it, in the same run, `protokit render` of the same
file (a new process, as before the workbench) and what the previous preview did after the
PDF (every page drawn by pdftoppm at 60 dpi). The machine is shared: compare the columns.

    .venv/bin/python benchmarks/bench_preview.py [--edits 5]

Needs Debian's Chromium (/usr/bin/chromium), the Python playwright package (the test extra)
and poppler-utils.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from protocol_kit.workbench.server import ServeOptions, prepare, warm_up

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TRANSLATED = REPO / "tests/cases/validate/valid/translated-protocol/protocol.json"
SHOWN = "document.getElementById('preview').dataset.shown"

# Change the summary the way a therapist's edit does (json-editor's change event), whatever
# its shape: a plain text, or one text per language.
EDIT = """(n) => {
    const field = window.workbench.editor().getEditor("root.summary");
    const now = field.getValue();
    const changed = (text) => `${text.replace(/ \\(edit \\d+\\)$/, "")} (edit ${n})`;
    field.setValue(typeof now === "string" ? changed(now)
        : Object.fromEntries(Object.entries(now).map(([k, v]) => [k, changed(v)])));
}"""


def wait_until(page, condition: str, seconds: float = 120) -> None:
    ends = time.monotonic() + seconds
    while not page.evaluate(f"() => Boolean({condition})"):
        if time.monotonic() > ends:
            raise SystemExit(f"never true: {condition}")
        page.wait_for_timeout(20)


def folder_to_serve(target: Path) -> Path:
    folder = target / "clinic"
    shutil.copytree(REPO / "protocols", folder)
    shutil.copy(REPO / "protokit.toml", folder / "protokit.toml")
    shutil.copy(TRANSLATED, folder / "translated-protocol.json")
    return folder


def serve(folder: Path):
    import threading

    running = prepare(ServeOptions(folder))
    warm_up()  # as `protokit serve` does
    threading.Thread(
        target=running.server.run, kwargs={"sockets": [running.sock]}, daemon=True
    ).start()
    while not running.server.started:
        time.sleep(0.05)
    return running


def variants(path: Path) -> list[tuple[bool, str]]:
    data = json.loads(path.read_text("utf-8"))
    languages = [""] + [tag for tag in data.get("translations", []) if tag != data["language"]]
    return [(large, language) for language in languages for large in (False, True)]


def edit_to_shown(page, base: str, name: str, large: bool, language: str, edits: int):
    """The preview times (ms) of `edits` changes, and the page count."""
    page.goto(f"{base}/edit?path={name}")
    wait_until(page, SHOWN)
    if large:
        page.locator("#large-print").check()
    if language:
        page.locator("#language").select_option(language)
    if large or language:
        wait_until(page, f"{SHOWN} && window.workbench.previewTimes().length > 0")
    before = len(page.evaluate("() => window.workbench.previewTimes()"))
    for n in range(1, edits + 1):
        shown = page.evaluate(f"() => {SHOWN}")
        page.evaluate(EDIT, n)
        wait_until(page, f"{SHOWN} && {SHOWN} !== {json.dumps(shown)}")
    times = page.evaluate("() => window.workbench.previewTimes()")[before:]
    return times, page.locator("#preview img").count()


def command_ms(arguments: list[str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(arguments, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=5, help="changes per sheet (default 5)")
    options = parser.parse_args()
    protokit = str(Path(sys.executable).with_name("protokit"))
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (2 cores)")
    with tempfile.TemporaryDirectory() as scratch:
        folder = folder_to_serve(Path(scratch))
        running = serve(folder)
        base, token = running.url.split("/?")[0], running.token
        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{base}/?token={token}")
            for path in sorted(folder.glob("*.json")):
                for large, language in variants(path):
                    times, pages = edit_to_shown(
                        page, base, path.name, large, language, options.edits
                    )
                    pdf = Path(scratch) / "sheet.pdf"
                    render = [protokit, "render", str(path), "-o", str(pdf)]
                    render += ["--large-print"] if large else []
                    render += ["--language", language] if language else []
                    cli = command_ms(render)
                    old = command_ms(["pdftoppm", "-r", "60", "-png", str(pdf), str(pdf)])
                    rows.append((path.stem, large, language, pages, times, cli, old))
                    print(
                        f"{path.stem:40} {'large' if large else 'normal':6} {language or '-':3}"
                        f" {pages:2} pages: edit to shown median "
                        f"{statistics.median(times):5.0f} ms (max {max(times):5.0f});"
                        f" protokit render {cli:5.0f} ms; + every page by pdftoppm {old:5.0f} ms",
                        flush=True,
                    )
            browser.close()
        running.server.should_exit = True
    every = [t for row in rows for t in row[4]]
    ratio = statistics.median(r[5] / statistics.median(r[4]) for r in rows)
    print(
        f"all {len(every)} edits: median {statistics.median(every):.0f} ms, max {max(every):.0f}"
        f" ms, {sum(t < 1000 for t in every)} under 1 s; protokit render takes {ratio:.1f}x the"
        " preview's time (median of the rows)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
