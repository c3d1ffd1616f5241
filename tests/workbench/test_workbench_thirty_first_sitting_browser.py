"""In Chromium, the thirty-first sitting's users' round: a therapist finds a patient's
prescription by typing the patient's name into Browse's search, as docs/workbench.md says
(H1315), and the page, with the line naming the patient and the hint under the search box,
passes axe-core's WCAG rules. Its own module, server and browser, apart from
test_workbench_browser.py's scenarios; one page load and one search."""

from __future__ import annotations

from test_workbench_browse_patients import one_protocol_folder
from test_workbench_browser import assert_accessible, axe_source  # noqa: F401 (a fixture)
from workbench_helpers import workbench_page

from conftest import REPO


def test_a_patient_s_prescription_is_found_by_typing_their_name(tmp_path, axe_source):  # noqa: F811
    folder = one_protocol_folder(tmp_path)
    example = REPO / "docs" / "examples" / "prescription-psoas.json"  # Alex Example
    (folder / "prescriptions" / "rx-0001.json").write_bytes(example.read_bytes())
    with workbench_page(folder, "") as (page, errors):
        page.goto(page.url.split("/edit")[0] + "/")
        rows = page.locator("table.files tbody tr")
        assert "Alex Example" not in page.inner_text("main")
        page.get_by_label("Search by title, condition, body region, exercise or patient").fill(
            "alex"
        )
        page.keyboard.press("Enter")
        page.wait_for_url("**/?q=alex*")
        assert rows.count() == 1
        row = rows.first.inner_text()
        assert "Prescription of Lower back pain: hip flexor stretch and glute bridge" in row
        assert "for Alex Example (EXAMPLE-0001)" in row
        assert_accessible(page, axe_source, "Browse, a patient found")
        assert errors == []
