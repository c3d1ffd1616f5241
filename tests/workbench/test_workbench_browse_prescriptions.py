"""Browse's line of a prescription (thirty-second sitting, H1427): its protocol's conditions and
body regions, the exercises the patient was given (the protocol's, less those the overrides leave
out), its date and the prescription it follows; never its patient (docs/workbench.md,
"Browse")."""

from __future__ import annotations

import html
import json
import re

import pytest
from test_workbench_browse_patients import one_protocol_folder
from workbench_helpers import REPO, start


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = one_protocol_folder(tmp_path_factory.mktemp("workbench"))
    example = json.loads((REPO / "docs/examples/prescription-psoas.json").read_text("utf-8"))
    first = folder / "prescriptions" / "rx-0001.json"
    first.write_text(json.dumps(example, indent=2), encoding="utf-8")
    follow_up = {**example, "date": "2026-12-04", "start_date": "2026-12-04"}
    follow_up["follows"] = {"date": example["date"], "file": "rx-0001.json"}
    follow_up["overrides"] = [
        {"exercise": "glute-bridge", "omit": True, "reason": "Bridging hurts the back this week."}
    ]
    (folder / "prescriptions" / "rx-0002.json").write_text(
        json.dumps(follow_up, indent=2), encoding="utf-8"
    )
    served, stop = start(folder)
    status, _, body = served.request("/")
    stop()
    assert status == 200
    return html.unescape(body.decode())


def _row(page: str, name: str) -> list[str]:
    """The cells of the line of `prescriptions/NAME`, as text."""
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if f"prescriptions/{name}" in r)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_a_prescription_s_line_says_what_the_patient_was_given(page):
    protocol = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if "/prescribe?" in r)
    conditions = " ".join(re.sub(r"<[^>]+>", " ", re.findall(r"<td>(.*?)</td>", protocol,
                                                              re.S)[2]).split())  # fmt: skip
    assert conditions
    _, kind, listed_conditions, regions, exercises, _ = _row(page, "rx-0001.json")
    # s41-users2: the earlier line says it has been followed up, and by which file: it said
    # only its date, and a therapist opened it to print the visit before the latest.
    assert kind == "prescription of 2026-11-20 followed up by rx-0002.json (2026-12-04)"
    assert listed_conditions == conditions and regions
    assert exercises == "Kneeling hip flexor stretch, Glute bridge"


def test_a_follow_up_s_line_names_the_earlier_one_and_leaves_out_what_it_omits(page):
    _, kind, _, _, exercises, _ = _row(page, "rx-0002.json")
    assert kind == "prescription of 2026-12-04 follow-up of rx-0001.json (2026-11-20)"
    assert "followed up" not in kind  # nothing follows the latest
    assert exercises == "Kneeling hip flexor stretch"


def test_the_lines_still_name_no_patient(page):
    assert "Alex Example" not in page and "EXAMPLE-0001" not in page


def test_a_follow_up_of_another_date_does_not_make_a_line_followed_up(tmp_path):
    # As `validate` and Prescribe read a follow-up: its `follows` names the file and its date;
    # a follow-up of an earlier prescription of the same name, since replaced, is none.
    folder = one_protocol_folder(tmp_path)
    example = json.loads((REPO / "docs/examples/prescription-psoas.json").read_text("utf-8"))
    (folder / "prescriptions" / "rx-0001.json").write_text(json.dumps(example), "utf-8")
    later = {**example, "date": "2026-12-04", "start_date": "2026-12-04"}
    later["follows"] = {"date": "2026-11-01", "file": "rx-0001.json"}
    (folder / "prescriptions" / "rx-0002.json").write_text(json.dumps(later), "utf-8")
    served, stop = start(folder)
    try:
        status, _, body = served.request("/")
    finally:
        stop()
    assert status == 200
    _, kind, *_ = _row(html.unescape(body.decode()), "rx-0001.json")
    assert kind == "prescription of 2026-11-20"
