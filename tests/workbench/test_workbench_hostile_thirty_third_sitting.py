"""The workbench's actions against the thirty-third sitting's hostile requests (s39-hostile):
a prescription whose overrides or stages are of the wrong shape, checked, saved and previewed
while its protocol is in the folder or not (H1521); a file of another shape in the folder,
which every page summarises (H1524)."""

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


PROTOCOL = REPO / "protocols" / "psoas-stretch-glute-bridge.json"


@pytest.mark.parametrize(
    "source, member, value",
    [
        (PRESCRIPTION, "overrides", None),
        (PRESCRIPTION, "overrides", 5),
        (PROTOCOL, "indications", None),
        (PROTOCOL, "exercises", 5),
        (PROTOCOL, "exercises", [{"id": "x", "targets": ["a list"]}]),
        (PROTOCOL, "exercises", [{"id": "x", "targets": {"regions": 5}}]),
    ],
    ids=lambda v: json.dumps(v)[:30] if not hasattr(v, "name") else v.stem,
)
def test_a_file_of_another_shape_in_the_folder_is_listed_not_an_internal_error(
    served, source, member, value
):
    """H1524: every page summarises every file of the folder; one prescription with
    `"overrides": null` made each of them an internal error."""
    data = json.loads(source.read_text("utf-8"))
    data[member] = value
    odd = served.folder / "odd-shape.json"
    odd.write_text(json.dumps(data), "utf-8")
    try:
        for page in ("/", "/edit?path=odd-shape.json", "/edit?path=" + PROTOCOL.name):
            status, _, body = served.request(page)
            assert status == 200 and b"internal error" not in body.lower(), (page, status)
        assert b"odd-shape.json" in served.request("/")[2]
    finally:
        odd.unlink()
