"""Screenshots of each screen of the workbench (`protokit serve`) for docs/workbench.md.

Starts the workbench over a temporary copy of the example protocols, drives Debian's Chromium
with Playwright, and writes docs/images/workbench/*.png. Run from the repository's root, with
the test extra installed (`pip install -e '.[test]'`):

    .venv/bin/python docs/images/make-workbench-screenshots.py
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from protocol_kit.workbench.server import ServeOptions, prepare

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "docs" / "images" / "workbench"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def wait_until(page, condition: str) -> None:
    for _ in range(1200):
        if page.evaluate(f"() => Boolean({condition})"):
            return
        page.wait_for_timeout(50)
    raise SystemExit(f"the page never showed: {condition}")


def settled(page, preview: bool = True) -> None:
    wait_until(page, "window.workbench && window.workbench.lost !== undefined")
    wait_until(page, "!document.getElementById('findings-status').textContent.startsWith('Check')")
    if preview:
        wait_until(page, "document.querySelector('#preview img, #preview-status:not(:empty)')")
        wait_until(page, "!document.getElementById('preview-status').textContent.startsWith('Mak')")
        # A sheet: its first page drawn (the others are drawn when scrolled to).
        wait_until(
            page,
            "!document.querySelector('#preview img[data-src]') || "
            "document.getElementById('preview').dataset.shown",
        )
        page.wait_for_timeout(300)  # the picture loaded is painted too


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "clinic"
        shutil.copytree(REPO / "protocols", folder)
        shutil.copy(REPO / "protokit.toml", folder / "protokit.toml")
        # One made-up patient's prescription, named by number as docs/workbench.md advises,
        # for the search by a patient's name.
        (folder / "prescriptions").mkdir()
        shutil.copy(
            REPO / "docs/examples/prescription-psoas.json", folder / "prescriptions/rx-0001.json"
        )
        running = prepare(ServeOptions(folder))
        thread = threading.Thread(
            target=running.server.run, kwargs={"sockets": [running.sock]}, daemon=True
        )
        thread.start()
        while not running.server.started:
            time.sleep(0.05)
        base = running.url.split("/?")[0]
        try:
            shoot(base, running.url, folder)
        finally:
            running.server.should_exit = True
            thread.join(timeout=30)


def shoot(base: str, url: str, folder: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(url)

        def save(name: str) -> None:
            page.screenshot(path=str(OUT / f"{name}.png"))
            print(f"wrote docs/images/workbench/{name}.png")

        save("browse")
        page.goto(f"{base}/?q=glute")
        save("browse-search")
        page.goto(f"{base}/?q=alex")
        save("browse-patient")
        page.goto(f"{base}/edit?path=psoas-stretch-glute-bridge.json")
        settled(page)
        save("protocol-form-and-preview")
        page.goto(f"{base}/new?kind=protocol")
        page.get_by_label("Its id").fill("back-basics")
        page.get_by_label("Pelvic tilt, lying on your back").check()
        page.get_by_label("Glute bridge").check()
        save("new-protocol-ticked")
        page.goto(f"{base}/new?kind=protocol&id=knee-rehab")
        settled(page)
        page.fill("#code-words", "knee pain")
        wait_until(page, "document.querySelectorAll('#code-results li').length > 0")
        save("new-protocol-with-findings")
        page.locator(".pk-finding").nth(3).scroll_into_view_if_needed()
        save("finding-at-its-field")
        page.locator(".pk-finding").nth(3).locator("summary").click()
        wait_until(page, "document.querySelector('.pk-why[open] .pk-why-text').textContent")
        page.locator(".pk-finding").nth(3).scroll_into_view_if_needed()
        save("rule-explained")
        page.locator(".pk-finding.pk-warning", has_text="GOV009").first.scroll_into_view_if_needed()
        save("starting-text-for-review")
        page.goto(f"{base}/edit?path=library/glute-bridge.json")
        settled(page)
        page.locator('[data-schemapath="root.poses"]').scroll_into_view_if_needed()
        save("library-exercise-poses-and-picture")
        page.goto(f"{base}/edit?path=library/knee-to-chest-stretch.json")
        settled(page)
        page.get_by_label("Add a picture from your computer").set_input_files(
            files=[{"name": "knee-to-chest.png", "mimeType": "image/png", "buffer": picture()}]
        )
        wait_until(page, "document.getElementById('picture-status').textContent.startsWith('Sav')")
        for field, text in [
            ("alt", "Lying on the back, hugging one knee towards the chest."),
            ("author", "Sam Example"),
            ("licence", "CC-BY-4.0"),
        ]:
            page.locator(f'[name="root[media][0][{field}]"]').fill(text)
            page.locator(f'[name="root[media][0][{field}]"]').press("Tab")
        wait_until(page, "document.getElementById('findings-status').textContent.startsWith('No')")
        settled(page)
        page.locator("#pictures").scroll_into_view_if_needed()
        save("exercise-picture")
        page.goto(f"{base}/prescribe")
        save("prescribe-choose")
        page.goto(f"{base}/prescribe?protocol=psoas-stretch-glute-bridge.json")
        settled(page)
        page.locator('[data-schemapath="root.patient"]').scroll_into_view_if_needed()
        save("prescription-form")
        page.locator('[data-schemapath="root.therapist"]').scroll_into_view_if_needed()
        save("prescription-prescriber")
        overrides = page.locator('[data-schemapath="root.overrides"]')
        overrides.get_by_role("button", name="Add Change").last.click()  # one exercise changed
        wait_until(page, "window.workbench.value().overrides[0]?.dosage")
        settled(page)
        overrides.scroll_into_view_if_needed()
        save("prescription-dosage")
        page.goto(f"{base}/edit?path=library/lying-march.json")
        settled(page)
        path = folder / "library" / "lying-march.json"
        data = json.loads(path.read_text("utf-8"))
        data["purpose"] = "Changed in another editor while the page was open."
        path.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
        name = page.locator('[name="root[purpose]"]')
        name.fill("Changed in the workbench.")
        name.press("Tab")
        page.get_by_role("button", name="Save").click()
        wait_until(page, "!document.getElementById('conflict').hidden")
        save("conflict")
        browser.close()


def picture() -> bytes:
    """A stand-in for a clinic's photograph: a plain drawing of a person lying on a mat."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (236, 242, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 250, 450, 270), fill=(120, 160, 200))
    draw.ellipse((60, 200, 110, 250), fill=(90, 90, 90))
    draw.line((110, 235, 300, 240), fill=(60, 60, 60), width=22)
    draw.line((300, 240, 420, 245), fill=(60, 60, 60), width=18)
    draw.line((300, 240, 250, 170), fill=(60, 60, 60), width=18)
    draw.line((250, 170, 200, 215), fill=(60, 60, 60), width=16)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
