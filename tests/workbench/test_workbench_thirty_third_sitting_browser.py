"""In Chromium, the thirty-third sitting's users' round: the prescription form asks for the
prescriber's telephone beside their name (not under "Optional fields"), the number typed is
printed on the sheet beside the prescriber, and a form left without it saves no empty number
(H1531). Its own module, server and browser; one form, saved twice."""

from __future__ import annotations

import json

from test_workbench_browse_patients import one_protocol_folder
from test_workbench_browser import checked, field, saved_and_printed, type_into, wait_until
from workbench_helpers import workbench_page

ANSWERS = ("recent-surgery", "kneeling-not-allowed", "hip-replacement", "pregnant")


def test_the_prescriber_s_telephone_is_asked_for_and_printed(tmp_path):
    folder = one_protocol_folder(tmp_path)
    with workbench_page(folder, "") as (page, errors):
        base = page.url.split("/edit")[0]
        page.goto(f"{base}/prescribe?protocol=psoas-stretch-glute-bridge.json")
        checked(page)
        phone = field(page, "/therapist/phone")
        # Shown with the name and credentials, labelled in words, saying what to write.
        assert phone.is_visible()
        label = page.locator('[data-schemapath="root.therapist.phone"] label').first
        assert label.inner_text().strip() == "Telephone"
        assert phone.input_value().startswith("TODO: the number the patient reaches you on")
        # Not json-editor's own message, the pattern itself, under the box (the checks say
        # it in words).
        assert "match the pattern" not in page.locator("#form").inner_text()
        for pointer, value in {
            "/patient/name": "Jordan Example-Patient",
            "/patient/date_of_birth": "1970-05-01",
            "/patient/identifier": "K-1234",
            "/therapist/name": "Sam Example",
            "/therapist/credentials": "Physiotherapist, HCPC PH123456",
            **{f"/screening/{question}": "no" for question in ANSWERS},
        }.items():
            type_into(page, pointer, value)
        # Emptied: no "phone": "" in the file (an error), nothing else to fix.
        type_into(page, "/therapist/phone", "")
        checked(page)
        assert "phone" not in page.evaluate("() => window.workbench.value().therapist")
        assert page.locator("#findings-status").inner_text().startswith("No problems")
        type_into(page, "/therapist/phone", "0113 496 0124")
        checked(page)
        wait_until(page, "document.getElementById('findings-status').textContent"
                         ".startsWith('No problems')")  # fmt: skip
        text = " ".join(saved_and_printed(page, tmp_path).split())
        assert "Sam Example, Physiotherapist, HCPC PH123456, telephone 0113 496 0124" in text
        (saved,) = (folder / "prescriptions").glob("*.json")
        therapist = json.loads(saved.read_text("utf-8"))["therapist"]
        assert therapist["phone"] == "0113 496 0124"
        assert errors == []
