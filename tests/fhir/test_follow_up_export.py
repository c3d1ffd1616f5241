"""`export fhir --prescription` of a follow-up (`follows`): its CarePlan `replaces` the plan
of the prescription it follows (FHIR R4 CarePlan.replaces: a completed or terminated plan whose
function this one takes), named by the business identifier the earlier prescription's own
export gives its CarePlan."""

from __future__ import annotations

import dataclasses
import json

import pytest
from fhir.resources.R4B.bundle import Bundle as BundleR4B
from fhir_helpers import CLINIC, PRESCRIBED, PRESCRIPTION, VERSIONS, resources

from protocol_kit.app.check import CheckOptions
from protocol_kit.app.export import export_fhir


def _care_plan(prescription, release, bundle_type):
    settings = dataclasses.replace(CLINIC, version=VERSIONS[release], bundle_type=bundle_type)
    document = export_fhir(
        str(PRESCRIBED), settings, CheckOptions(), prescription_path=str(prescription)
    )
    (care_plan,) = resources(document, "CarePlan")
    return document, care_plan


@pytest.fixture
def follow_up(tmp_path):
    """The staged example (2026-11-20) as a follow-up of the same patient's prescription of
    2026-11-06, kept beside it."""
    data = json.loads(PRESCRIPTION.read_text(encoding="utf-8"))
    earlier = dict(data, date="2026-11-06", start_date="2026-11-09", review_date="2026-11-20")
    for measure in earlier.get("measures", ()):
        measure["baseline"]["date"] = "2026-11-06"
        measure.pop("retests", None)  # the re-tests of the later programme
    (tmp_path / "earlier.json").write_text(json.dumps(earlier), encoding="utf-8")
    data["follows"] = {"date": "2026-11-06", "file": "earlier.json"}
    (tmp_path / "later.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("bundle_type", ["collection", "transaction"])
def test_a_follow_ups_care_plan_replaces_the_earlier_one(follow_up, bundle_type):
    """H1380: without it the exported record loses which plan the follow-up takes over."""
    document, later = _care_plan(follow_up / "later.json", "R4B", bundle_type)
    _, earlier = _care_plan(follow_up / "earlier.json", "R4B", bundle_type)
    assert later["replaces"] == [
        {"identifier": earlier["identifier"][0], "display": "Prescription of 2026-11-06"}
    ]
    assert "replaces" not in earlier
    BundleR4B.model_validate(document)  # CarePlan.replaces is Reference(CarePlan), 0..*


def test_a_corrected_name_still_replaces_the_earlier_care_plan(follow_up):
    """H1430: the earlier CarePlan's identifier was derived from the follow-up's patient, so a
    name corrected in the follow-up (RX023, a warning) named a CarePlan no export had written,
    and the link broke without a word. It is derived from the earlier file as it is written."""
    later_path = follow_up / "later.json"
    later = json.loads(later_path.read_text(encoding="utf-8"))
    later["patient"]["name"] = later["patient"]["name"] + "-Jones"
    later_path.write_text(json.dumps(later), encoding="utf-8")
    _, care_plan = _care_plan(later_path, "R4", "collection")
    _, earlier = _care_plan(follow_up / "earlier.json", "R4", "collection")
    assert care_plan["replaces"][0]["identifier"] == earlier["identifier"][0]
