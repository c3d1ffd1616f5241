"""In Chromium, the thirty-second sitting's users' round: a therapist follows up a patient
whose name was misspelt on the earlier prescription, corrects it in the follow-up's form, and
prints the sheet: the checks say the name changed (RX023, a warning), not "another patient"
(an error that refused the sheet, H1428); Browse then lists the follow-up with its date, the
prescription it follows and the exercises given (H1427), without the patient. One scenario,
its own server and browser."""

from __future__ import annotations

import json

from test_workbench_browse_patients import one_protocol_folder
from test_workbench_browser import assert_accessible, axe_source  # noqa: F401 (a fixture)
from workbench_helpers import workbench_page

from conftest import REPO


def test_a_corrected_name_in_a_follow_up_is_printed_and_listed(tmp_path, axe_source):  # noqa: F811
    from test_workbench_browser import checked, saved_and_printed, type_into

    folder = one_protocol_folder(tmp_path)
    example = json.loads((REPO / "docs/examples/prescription-psoas.json").read_text("utf-8"))
    example["patient"]["name"] = "Alex Exmaple"  # misspelt at the first visit
    earlier = folder / "prescriptions" / "alex.json"
    earlier.write_text(json.dumps(example, indent=2), encoding="utf-8")
    with workbench_page(folder, "") as (page, errors):
        page.goto(page.url.split("/edit")[0] + "/prescribe?from=prescriptions/alex.json")
        checked(page)
        type_into(page, "/patient/name", "Alex Example")
        for question in ("recent-surgery", "kneeling-not-allowed", "hip-replacement", "pregnant"):
            type_into(page, f"/screening/{question}", "no")
        checked(page)
        said = page.locator("#findings-list").inner_text()
        assert "the patient's name differs from the earlier prescription 'alex.json'" in said
        assert "is a prescription for another patient" not in said and "RX021" not in said
        text = saved_and_printed(page, tmp_path)
        assert "Alex Example" in text and "Previous prescription" in text
        page.goto(page.url.split("/edit")[0].split("/prescribe")[0] + "/")
        (row,) = [r for r in page.locator("table.files tbody tr").all_inner_texts()
                  if "follow-up of alex.json (2026-11-20)" in r]  # fmt: skip
        assert "Kneeling hip flexor stretch, Glute bridge" in row
        assert "Alex" not in page.inner_text("main")
        assert_accessible(page, axe_source, "Browse, with a follow-up")
        assert errors == []
