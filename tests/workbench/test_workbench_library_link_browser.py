"""In Chromium: a finding about a library exercise's text opens that exercise's page at the
field that holds the text (H1157). Its own module, server and browser, apart from
test_workbench_browser.py's scenarios."""

from __future__ import annotations

import time

from workbench_helpers import clinic_with_a_new_exercise, workbench_page

from conftest import HANG_SECONDS

EXAMPLE = "psoas-stretch-glute-bridge.json"


def test_a_library_text_s_finding_opens_that_exercise_at_its_field(tmp_path):
    with workbench_page(clinic_with_a_new_exercise(tmp_path), EXAMPLE) as (page, errors):
        said = page.locator("#findings-list li:not(.pk-group)", has=page.locator(".pk-library"))
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
