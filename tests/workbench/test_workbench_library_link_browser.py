"""In Chromium: a finding about a library exercise's text opens that exercise's page at the
field that holds the text (H1157). Its own module, server and browser, apart from
test_workbench_browser.py's scenarios."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from workbench_helpers import clinic_with_a_new_exercise, start

from conftest import HANG_SECONDS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EXAMPLE = "psoas-stretch-glute-bridge.json"


def test_a_library_text_s_finding_opens_that_exercise_at_its_field(tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    served, stop = start(clinic_with_a_new_exercise(tmp_path))
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu"],
                timeout=HANG_SECONDS * 1000,
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(HANG_SECONDS * 1000)  # only catches a hang
                errors: list[str] = []
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(f"{served.base}/?token={served.token}")
                page.goto(f"{served.base}/edit?path={EXAMPLE}")
                said = page.locator(
                    "#findings-list li:not(.pk-group)", has=page.locator(".pk-library")
                )
                said.first.wait_for()
                assert said.count() == 1
                text = said.first.inner_text()
                # It said "(at /cues/0, library exercise ...)" and "line 31" (H1157).
                assert "/cues/0" not in text and "line " not in text
                assert text.endswith("(change it in library/glute-bridge.json, at Tip 1)")
                said.first.locator(".pk-library a").click()
                page.wait_for_url("**/edit?path=library%2Fglute-bridge.json#at=%2Fcues%2F0")
                # Polled (the page's policy forbids the eval Playwright's waiting uses); the
                # limit only catches a hang.
                focused = (
                    "() => Boolean(document.activeElement && document.activeElement.closest("
                    "'[data-schemapath=\"root.cues.0\"]'))"
                )
                deadline = time.monotonic() + HANG_SECONDS
                while not page.evaluate(focused):
                    assert time.monotonic() < deadline, "the tip's field never had the focus"
                    time.sleep(0.05)
                assert page.evaluate("document.activeElement.value") == "TODO: a short reminder"
                assert errors == []
            finally:
                browser.close()
    finally:
        stop()
