"""A receiving clinic exports an imported protocol to FHIR: the export names the clinic that
wrote and maintains it, not the clinic that received it, until the receiving clinic changes
the file (then it is theirs)."""

from __future__ import annotations

import json
from pathlib import Path

from bundle_helpers import copy_examples, create, make_keys

from conftest import run_protokit

RECEIVING = """[clinic]
name = "Southside Physio"
address = ["2 Hill Road", "York YO1 1AA"]
phone = "01904 496 000"
email = "desk@southside.example"
emergency_number = "999"
urgent_number = "111"
"""


def _received(tmp_path: Path) -> tuple[Path, Path]:
    """The receiving clinic's folder (with its own protokit.toml) and the imported file."""
    sources = copy_examples(tmp_path / "northside")
    key, _, trust = make_keys(tmp_path)
    bundle = tmp_path / "northside.pkb"
    create(sources, bundle, "--sign", str(key))
    clinic = tmp_path / "southside"
    (clinic / "received").mkdir(parents=True)
    (clinic / "protokit.toml").write_text(RECEIVING, encoding="utf-8")
    result = run_protokit(
        "bundle", "import", str(bundle), "--into", "received", "--trust", str(trust), cwd=clinic
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return clinic, clinic / "received" / "psoas-stretch-glute-bridge.json"


def _publishers(clinic: Path, *options: str) -> tuple[set[str], str, str]:
    result = run_protokit(
        "export", "fhir", "received/psoas-stretch-glute-bridge.json", *options, cwd=clinic
    )
    assert result.code == 0, result.stderr
    entries = json.loads(result.stdout)["entry"]
    definitions = [e["resource"] for e in entries if "publisher" in e["resource"]]
    assert definitions
    return {r["publisher"] for r in definitions}, result.stdout, result.stderr


def test_an_unchanged_import_is_exported_in_its_publishers_name(tmp_path):
    clinic, _ = _received(tmp_path)
    publishers, text, said = _publishers(clinic)
    assert publishers == {"Northside Physio"}
    # Nothing of the receiving clinic's identity is put on another clinic's protocol.
    assert "Southside" not in text and "desk@southside.example" not in text
    assert 'imported unchanged from "Northside Physio"' in said
    assert "--publisher-name" in said


def test_a_protocol_changed_after_import_is_the_receiving_clinics(tmp_path):
    clinic, path = _received(tmp_path)
    data = json.loads(path.read_text("utf-8"))
    data["summary"] = data["summary"] + " Reviewed at Southside."
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    publishers, _, said = _publishers(clinic)
    assert publishers == {"Southside Physio"}
    assert "imported" not in said


def test_the_publisher_given_on_the_command_line_wins(tmp_path):
    clinic, _ = _received(tmp_path)
    publishers, _, said = _publishers(clinic, "--publisher-name", "Eastside Rehab")
    assert publishers == {"Eastside Rehab"}
    assert "imported" not in said


def test_with_a_prescription_the_export_is_the_receiving_clinics_record(tmp_path):
    # The patient's resources are identified under the exporting clinic: in the publisher's
    # name, two receiving clinics' patients would share one namespace.
    clinic, _ = _received(tmp_path)
    made = run_protokit(
        "new", "prescription", "rx.json", "--protocol", "received/psoas-stretch-glute-bridge.json",
        cwd=clinic,
    )  # fmt: skip
    assert made.code == 0, made.stderr
    rx = json.loads((clinic / "rx.json").read_text("utf-8"))
    rx["patient"] = {"name": "Alex Example", "date_of_birth": "1980-04-02"}
    rx["therapist"] = {"name": "Sam Example", "credentials": "Physiotherapist"}
    rx["overrides"] = []
    rx.pop("goals", None)
    rx.pop("measures", None)
    rx["screening"] = dict.fromkeys(rx.get("screening", {}), "no")
    (clinic / "rx.json").write_text(json.dumps(rx, indent=2), encoding="utf-8")
    publishers, text, said = _publishers(clinic, "--prescription", "rx.json")
    assert publishers == {"Southside Physio"}
    assert "Patient" in text and "CarePlan" in text
    assert "with --prescription the export is your patient's record" in said
