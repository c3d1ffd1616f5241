"""A one-line text (`common.schema.json`'s `line`: a name, a credential, the prescriber's
telephone) given as null, a number, true, a list or an object (H1551): one error, "expected
text", not also "None has a line break" (the schema's "no line break" test, a `pattern`, holds
only for text, so its `not` failed for every value of another type and a Python name was
shown for JSON's null)."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, run_protokit

_PRESCRIPTION = REPO / "docs" / "examples" / "prescription-psoas.json"


@pytest.mark.parametrize(
    ("pointer", "value", "said"),
    [
        ("therapist/phone", None, "expected text, got null"),
        ("therapist/phone", 113, "expected text, got a whole number"),
        ("therapist/phone", True, "expected text, got true or false"),
        ("therapist/name", ["Jo"], "expected text, got a list"),
        ("therapist/credentials", {"a": "PT"}, "expected text, got an object"),
        ("patient/name", 0, "expected text, got a whole number"),
    ],
)
def test_a_line_of_another_type_is_one_error_saying_so(tmp_path, pointer, value, said):
    # Fails without H1551: a second error, "None has a line break: ... write it on one line".
    data = json.loads(_PRESCRIPTION.read_text("utf-8"))
    parent, member = pointer.split("/")
    data[parent][member] = value
    path = tmp_path / "rx.json"
    path.write_text(json.dumps(data, indent=2), "utf-8")
    result = run_protokit("validate", str(path), "--format", "json")
    findings = [
        finding
        for report in json.loads(result.stdout)["files"]
        for finding in report["findings"]
        if finding["pointer"] == f"/{pointer}"
    ]
    assert len(findings) == 1, findings
    assert findings[0]["message"].startswith(said)
    assert result.code == 1


def test_a_line_break_in_a_line_is_still_refused(tmp_path):
    data = json.loads(_PRESCRIPTION.read_text("utf-8"))
    data["therapist"]["phone"] = "0113 496\u20280124"
    path = tmp_path / "rx.json"
    path.write_text(json.dumps(data), "utf-8")
    result = run_protokit("validate", str(path))
    assert result.code == 1
    assert "has a line break" in result.stdout
