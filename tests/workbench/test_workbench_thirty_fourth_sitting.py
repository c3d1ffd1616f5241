"""The thirty-fourth sitting's users (s40-users) in the workbench: a second follow-up of one
prescription refused as `protokit new prescription --from` refuses it, by the same function,
and not offered on the Prescribe page."""

from __future__ import annotations

import shutil

from workbench_helpers import example_folder, start

from conftest import REPO, run_protokit


def test_a_second_follow_up_of_one_prescription_is_refused_naming_the_first(tmp_path):
    """H1622: the prescribe page's "Follow up a prescription" wrote another follow-up of a
    prescription already followed up, copying the visit before the latest one's doses."""
    folder = example_folder(tmp_path)
    (folder / "prescriptions").mkdir()
    shutil.copy(
        REPO / "docs" / "examples" / "prescription-psoas.json",
        folder / "prescriptions" / "alex.json",
    )
    written = run_protokit("new", "prescription", "--from", "prescriptions/alex.json", "-o",
                           "prescriptions/alex-2.json", cwd=folder)  # fmt: skip
    assert written.code == 0, written.stderr
    served, stop = start(folder)
    try:
        status, _, body = served.request("/prescribe?from=prescriptions/alex.json")
        listed, _, offered = served.request("/prescribe")
    finally:
        stop()
    page = body.decode("utf-8")
    assert status == 422
    assert (
        "prescriptions/alex.json: &#39;alex-2.json&#39; follows it already: write the "
        "patient&#39;s next prescription from that one (under Follow up a prescription, choose "
        "prescriptions/alex-2.json)"
    ) in page
    assert str(tmp_path) not in page
    # Prescribe offers the follow-up, not the prescription it follows, to follow up.
    offered = offered.decode("utf-8")
    assert listed == 200
    assert 'href="/prescribe?from=prescriptions/alex.json"' not in offered
    assert "(followed up by prescriptions/alex-2.json: follow up that one)" in offered
