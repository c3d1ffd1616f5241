"""The workbench's actions against the thirty-third sitting's hostile requests (s39-hostile):
a prescription whose overrides or stages are of the wrong shape, checked, saved and previewed
while its protocol is in the folder or not (H1521)."""

from __future__ import annotations

import json

import pytest
from workbench_helpers import served_fixture

from conftest import REPO

served = pytest.fixture(scope="module")(served_fixture)
PRESCRIPTION = REPO / "docs" / "examples" / "prescription-psoas.json"

WRONG_SHAPES = [
    ("overrides", [0]),
    ("overrides", ["<b>text</b>"]),
    ("overrides", [{"exercise": "glute-bridge", "dosage": "text"}]),
    ("overrides", [{"exercise": "glute-bridge", "dosage": {"intensity": {"en": 5}}}]),
    ("overrides", "text"),
    ("stages", [5]),
    ("stages", [{"entry": "after two weeks", "dosage": {"glute-bridge": 3}}]),
    ("stages", [{"entry": "after two weeks", "dosage": [1]}]),
    ("notes", [{"en": ["a list"]}]),
    ("notes", "text"),
]


@pytest.mark.parametrize("protocol", ["psoas-stretch-glute-bridge", "no-such-protocol"])
@pytest.mark.parametrize("action", ["/api/check", "/api/save", "/api/preview"])
@pytest.mark.parametrize("member, value", WRONG_SHAPES, ids=lambda v: json.dumps(v)[:30])
def test_a_prescription_of_the_wrong_shape_is_findings_not_an_internal_error(
    served, protocol, action, member, value
):
    data = json.loads(PRESCRIPTION.read_text("utf-8"))
    data["protocol"]["id"] = protocol
    data[member] = value
    sent = {"path": "prescriptions/odd.json", "data": data, "version": ""}
    status, answer = served.json(action, sent)
    assert status == 200, (status, answer)
    if action == "/api/preview":
        assert answer.get("refused"), answer
    else:
        assert any(f["code"] == "SCHEMA002" for f in answer["findings"]), answer
    (served.folder / "prescriptions" / "odd.json").unlink(missing_ok=True)
