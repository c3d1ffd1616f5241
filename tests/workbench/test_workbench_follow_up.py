"""The workbench's prescribe page offers a follow-up of an earlier prescription, as `protokit
new prescription --from` writes it; the earlier file is only read."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from test_workbench_http import embedded_document
from workbench_helpers import example_folder, start

from conftest import REPO


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = example_folder(tmp_path_factory.mktemp("follow-up"))
    (folder / "prescriptions").mkdir()
    shutil.copy(
        REPO / "docs" / "examples" / "prescription-psoas.json",
        folder / "prescriptions" / "alex.json",
    )
    (folder / "prescriptions" / "bad.json").write_text('{"$schema": ', encoding="utf-8")
    served, stop = start(folder)
    yield served
    stop()


def test_the_prescribe_page_offers_a_follow_up_of_each_prescription(served):
    status, _, body = served.request("/prescribe")
    assert status == 200
    assert 'href="/prescribe?from=prescriptions/alex.json"' in body.decode("utf-8")


def test_a_follow_up_opens_in_the_form_copied_and_linked_and_the_earlier_file_is_kept(served):
    """(H1342)"""
    earlier = served.folder / "prescriptions" / "alex.json"
    before = earlier.read_bytes()
    status, _, body = served.request("/prescribe?from=prescriptions/alex.json")
    assert status == 200, body
    document = embedded_document(body)
    today = dt.date.today().isoformat()
    assert document["path"] == f"prescriptions/psoas-stretch-glute-bridge-{today}-1.json"
    data, old = document["data"], json.loads(before)
    assert data["patient"] == old["patient"] and data["overrides"] == old["overrides"]
    assert data["follows"] == {"date": old["date"], "file": "alex.json"}
    assert data["date"] == today
    assert data["screening"]["pregnant"].startswith("TODO: yes or no (on 2026-11-20: no)")
    # The form shows a TODO answer as not answered: the earlier answer is beside the question.
    assert document["screening_questions"]["pregnant"] == "Are you pregnant? (on 2026-11-20: no)"
    assert earlier.read_bytes() == before
    assert not (served.folder / document["path"]).exists()  # written only when saved


def test_an_earlier_prescription_that_is_not_valid_is_said_without_the_machine_s_paths(served):
    status, _, body = served.request("/prescribe?from=prescriptions/bad.json")
    page = body.decode("utf-8")
    assert status == 422
    assert "prescriptions/bad.json: cannot be followed up: prescriptions/bad.json:1:13:" in page
    assert str(served.folder) not in page


def test_a_protocol_outside_the_folder_is_never_read_for_a_follow_up(tmp_path):
    """The workbench looked for the protocol above the folder it serves, as `validate` does,
    and opened the follow-up of a protocol there: a file outside its folder, which the
    preview and the sheet could not find (H1367)."""
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")  # above the folder served
    folder = tmp_path / "clinic"
    (folder / "prescriptions").mkdir(parents=True)
    shutil.copy(
        REPO / "docs" / "examples" / "prescription-psoas.json",
        folder / "prescriptions" / "alex.json",
    )
    served, stop = start(folder)
    try:
        status, _, body = served.request("/prescribe?from=prescriptions/alex.json")
    finally:
        stop()
    page = body.decode("utf-8")
    assert status == 422, page
    assert (
        "prescriptions/alex.json: no protocol with the id &#39;psoas-stretch-glute-bridge&#39; "
        "in this folder" in page
    )
    assert str(tmp_path) not in page


def _follows_findings_of_the_form(folder, data):  # noqa: ANN001, ANN202
    """The findings at `follows` (code: message) of the workbench's check of `data` as the
    form's unsaved prescriptions/alex-2.json, served from `folder`; and the whole answer."""
    served, stop = start(folder)
    try:
        status, answer = served.json(
            "/api/check", {"path": "prescriptions/alex-2.json", "data": data}
        )
    finally:
        stop()
    assert status == 200
    follows = {f["code"]: f["message"] for f in answer["findings"] if "follows" in f["pointer"]}
    return follows, answer


@pytest.mark.parametrize("named", ["../../../outside.json", "ABSOLUTE", "link.json"])
def test_an_earlier_file_outside_the_folder_is_not_read_for_the_follow_up_s_checks(tmp_path, named):
    """H1424: the workbench checked a prescription's `follows.file` as `validate` does, so
    `../../outside.json`, an absolute path or a link out of the folder had it read a file
    outside the folder it serves, and RX022 showed the page what it found there (its date).
    Now RX021 says the file is outside the folder and is not read."""
    outside = tmp_path / "outside.json"
    earlier = json.loads((REPO / "docs" / "examples" / "prescription-psoas.json").read_text())
    earlier["date"] = "2026-11-19"  # not the date the follow-up names: RX022 if it were read
    outside.write_text(json.dumps(earlier), "utf-8")
    folder = example_folder(tmp_path / "served")
    (folder / "prescriptions").mkdir()
    (folder / "prescriptions" / "link.json").symlink_to(outside)
    data = json.loads((REPO / "docs" / "examples" / "prescription-psoas.json").read_text())
    file = str(outside) if named == "ABSOLUTE" else named
    data["follows"] = {"date": "2026-11-20", "file": file}
    follows, answer = _follows_findings_of_the_form(folder, data)
    assert follows == {
        "RX021": f"follows file '{file}' is outside the folder the workbench serves, so the "
        "link to the earlier prescription was not checked here: protokit validate checks it"
    }, answer["findings"]
    assert "2026-11-19" not in json.dumps(answer)


def test_an_unsaved_follow_up_s_link_is_checked_in_the_form(tmp_path):
    """H1424: the form's follow-up, not saved yet, was checked with `os.path.samefile` of its
    own path, which is not there: every link was RX021 "not found or cannot be read", never
    checked, for a file that is there (another date, another patient: RX022 only once
    saved and validated)."""
    folder = example_folder(tmp_path)
    (folder / "prescriptions").mkdir()
    earlier = json.loads((REPO / "docs" / "examples" / "prescription-psoas.json").read_text())
    earlier["date"] = "2026-11-19"
    (folder / "prescriptions" / "alex.json").write_text(json.dumps(earlier), "utf-8")
    data = json.loads((REPO / "docs" / "examples" / "prescription-psoas.json").read_text())
    data["follows"] = {"date": "2026-11-20", "file": "alex.json"}
    follows, answer = _follows_findings_of_the_form(folder, data)
    assert follows == {
        "RX022": "follows date 2026-11-20 is not the date of 'alex.json' (2026-11-19): the "
        "sheet prints the date it follows; correct the date or the file"
    }, answer["findings"]


def test_a_follow_up_s_form_with_a_corrected_name_is_checked_against_the_earlier_file(served):
    """The form's check, before the follow-up is saved, compares its patient with the earlier
    prescription's: a name corrected in the form (here a married name) is RX023, a warning,
    not "another patient" (RX022, H1428) nor "the earlier prescription was not found" (RX021,
    the check of a file not saved yet raised, H1431). The browser's part, the findings shown
    in the form, is test_workbench_thirty_first_sitting_browser.py's follow-up scenario."""
    status, _, body = served.request("/prescribe?from=prescriptions/alex.json")
    assert status == 200, body
    document = embedded_document(body)
    data = document["data"]
    data["patient"]["name"] = "Alex Example-Smith"
    data["screening"] = {question: "no" for question in data["screening"]}
    status, answer = served.json("/api/check", {"path": document["path"], "data": data})
    assert status == 200, answer
    said = {finding["code"]: finding["message"] for finding in answer["findings"]}
    assert "RX021" not in said and "RX022" not in said
    assert said["RX023"].startswith(
        "the patient's name differs from the earlier prescription 'alex.json'"
    )
    assert not (served.folder / document["path"]).exists()


def test_a_follow_up_of_a_protocol_changed_since_says_so_in_the_form(tmp_path):
    """`new prescription --from` says that the protocol has changed since the earlier
    prescription (H1340); the workbench's follow-up form said nothing, and the therapist
    printed a sheet of a version not read (s38-users2, H1437)."""
    folder = example_folder(tmp_path)
    (folder / "prescriptions").mkdir()
    shutil.copy(
        REPO / "docs" / "examples" / "prescription-psoas.json",
        folder / "prescriptions" / "alex.json",
    )
    protocol = folder / "psoas-stretch-glute-bridge.json"
    data = json.loads(protocol.read_text(encoding="utf-8"))
    earlier_version, data["version"] = data["version"], "9.0.0"
    protocol.write_text(json.dumps(data, indent=2), encoding="utf-8")
    served, stop = start(folder)
    try:
        status, _, body = served.request("/prescribe?from=prescriptions/alex.json")
    finally:
        stop()
    assert status == 200, body
    assert (
        '<p class="imported changed-since">The protocol has changed since: the earlier '
        f"prescription was of version {earlier_version}, this one is of version 9.0.0. Read "
        "what changed (psoas-stretch-glute-bridge.json) before giving the new sheet.</p>"
    ) in body.decode("utf-8")
    assert embedded_document(body)["data"]["protocol"]["version"] == "9.0.0"


def test_a_follow_up_of_the_same_version_says_nothing_of_a_change(served):
    status, _, body = served.request("/prescribe?from=prescriptions/alex.json")
    assert status == 200 and "changed-since" not in body.decode("utf-8")


@pytest.mark.parametrize("named", ["race.json", "sub/race.json"])
def test_a_link_made_between_the_look_and_the_read_is_not_followed_out(
    monkeypatch, tmp_path, named
):
    """H1478: the earlier file was found inside the folder, then read by its path: a link
    made in its place (or in place of a folder on its way) between the two had the
    workbench read the file outside and say what it found (RX022 with its date)."""
    from protocol_kit.app.check import CheckOptions, FileChecker
    from protocol_kit.loading import Limits
    from protocol_kit.prescribing import earlier

    example = json.loads((REPO / "docs" / "examples" / "prescription-psoas.json").read_text())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "race.json").write_text(json.dumps(dict(example, date="2026-11-19")), "utf-8")
    served = tmp_path / "served"
    (served / "sub").mkdir(parents=True)
    for folder in (served, served / "sub"):
        (folder / "race.json").write_text(json.dumps(dict(example, date="2026-11-20")))
    looked = earlier._real_inside

    def then_linked(path, folder):  # noqa: ANN001, ANN202
        answer = looked(path, folder)
        replaced = served / named.partition("/")[0]
        shutil.rmtree(replaced) if replaced.is_dir() else replaced.unlink()
        replaced.symlink_to(outside / "race.json" if replaced.name == "race.json" else outside)
        return answer

    monkeypatch.setattr(earlier, "_real_inside", then_linked)
    data = dict(example, follows={"date": "2026-11-20", "file": named})
    schemas = FileChecker(CheckOptions()).schemas
    found = list(
        earlier.earlier_findings(data, str(served / "new.json"), Limits(), schemas, str(served))
    )
    assert [f.code for f in found] == ["RX021"], [f.message for f in found]
    assert "2026-11-19" not in found[0].message


def test_a_follow_up_asks_for_the_prescriber_s_telephone_where_the_earlier_gave_none(served):
    """H1541: the new prescription's form asks for the prescriber's telephone (H1531), the
    follow-up's did not when the earlier prescription gave none (written before the field
    was): no box, the number never given. One decision for both shells
    (`follow_up.asks_for_the_prescriber_phone`); a number the earlier gave is copied."""
    from protocol_kit.workbench.wording import PRESCRIBER_PHONE

    status, _, body = served.request("/prescribe?from=prescriptions/alex.json")
    assert status == 200, body
    assert embedded_document(body)["data"]["therapist"]["phone"] == PRESCRIBER_PHONE
    earlier = json.loads((served.folder / "prescriptions" / "alex.json").read_text("utf-8"))
    earlier["therapist"]["phone"] = "0113 496 0124"
    given = served.folder / "prescriptions" / "with-phone.json"
    given.write_text(json.dumps(earlier, indent=2), "utf-8")
    try:
        status, _, body = served.request("/prescribe?from=prescriptions/with-phone.json")
        assert status == 200, body
        assert embedded_document(body)["data"]["therapist"]["phone"] == "0113 496 0124"
    finally:
        given.unlink()
