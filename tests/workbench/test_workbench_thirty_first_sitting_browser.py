"""In Chromium, the thirty-first sitting's users' round: a therapist finds a patient's
prescription by typing the patient's name into Browse's search, as docs/workbench.md says
(H1315), and the page, with the line naming the patient and the hint under the search box,
passes axe-core's WCAG rules. Its own module, server and browser, apart from
test_workbench_browser.py's scenarios; one page load and one search."""

from __future__ import annotations

import json
from urllib.parse import urljoin

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


def test_a_prescription_is_followed_up_from_the_prescribe_page_and_printed(tmp_path, axe_source):  # noqa: F811
    """users2 (H1342): Prescribe lists the folder's prescriptions to follow up; the form opens
    the follow-up (the patient copied, the earlier date under "Follows the prescription of"),
    the screening answered again, and Save and print writes a new file whose sheet prints the
    previous prescription's date; the earlier file is unchanged. The patient's name, misspelt
    on the earlier prescription, is corrected in the form: the findings shown say the name
    changed (RX023), not another patient (H1428) nor an earlier file not found (H1431), and the
    sheet prints the corrected name (thirty-second sitting; the check itself is also
    test_workbench_follow_up.py's, in process)."""
    from test_workbench_browser import checked, field, saved_and_printed, type_into

    folder = one_protocol_folder(tmp_path)
    example = json.loads((REPO / "docs/examples/prescription-psoas.json").read_text("utf-8"))
    example["patient"]["name"] = "Alex Exmaple"  # misspelt at the first visit, 2026-11-20
    earlier = folder / "prescriptions" / "alex.json"
    earlier.write_text(json.dumps(example, indent=2), encoding="utf-8")
    written = earlier.read_bytes()
    with workbench_page(folder, "") as (page, errors):
        page.goto(page.url.split("/edit")[0] + "/prescribe")
        assert_accessible(page, axe_source, "Prescribe, with a prescription to follow up")
        page.locator('a[href="/prescribe?from=prescriptions/alex.json"]').click()
        page.wait_for_url("**/prescribe?from=**")
        checked(page)
        assert field(page, "/patient/name").input_value() == "Alex Exmaple"
        assert field(page, "/follows/date").input_value() == "2026-11-20"
        type_into(page, "/patient/name", "Alex Example")
        for question in ("recent-surgery", "kneeling-not-allowed", "hip-replacement", "pregnant"):
            type_into(page, f"/screening/{question}", "no")
        # Asked for, the earlier prescription giving none (H1541): no number of their own.
        type_into(page, "/therapist/phone", "")
        checked(page)
        said = page.locator("#findings-list").inner_text()
        assert "the patient's name differs from the earlier prescription 'alex.json'" in said
        assert "is a prescription for another patient" not in said and "RX021" not in said
        text = saved_and_printed(page, tmp_path)
        assert "Previous prescription" in text and "2026-11-20" in text
        assert "Alex Example" in text and "Exmaple" not in text
        assert earlier.read_bytes() == written
        (saved,) = (p for p in (folder / "prescriptions").glob("*.json") if p != earlier)
        assert json.loads(saved.read_text("utf-8"))["follows"]["file"] == "alex.json"
        # Browse says so on the earlier prescription's line (s41-users2): it said only its date.
        page.goto(urljoin(page.url, "/"))
        row = page.locator("tr", has_text="prescriptions/alex.json").inner_text()
        date = json.loads(saved.read_text("utf-8"))["date"]
        assert f"followed up by {saved.name} ({date})" in row, row
        assert errors == []
