"""`protokit build`: every valid protocol printed, a failing one reported, the bundle hook."""

from __future__ import annotations

import json
import shutil

from sheet_helpers import pages_text, self_contained, text004_switched_off, write_json

from conftest import PROTOCOLS, run_protokit
from protocol_kit.loading import locate

NUMBERS = "[clinic]\nphone = '0113 496 0000'\nemergency_number = '999'\nurgent_number = '111'\n"
CLINIC = (
    "[clinic]\nname = 'Northside Physio'\ncontact = 'info@northside.example'\n"
    "phone = '0113 496 0000'\nemergency_number = '999'\nurgent_number = '111'\n"
)


def clinic_folder(tmp_path, count=5):
    """A repository with `count` valid protocols, one invalid and one retired."""
    folder = tmp_path / "protocols"
    # The psoas example and the shared library: a fixed set, whatever else protocols/ gains.
    shutil.copytree(PROTOCOLS / "library", folder / "library")
    shutil.copyfile(
        PROTOCOLS / "psoas-stretch-glute-bridge.json", folder / "psoas-stretch-glute-bridge.json"
    )
    example = json.loads((folder / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    for n in range(count - 1):
        write_json(folder, f"copy-{n}.json", {**example, "id": f"copy-{n}"})
    broken = {**example, "id": "broken"}
    broken["exercises"] = [{"ref": "glute-bridge", "dosage": {"hold_seconds": 500}}]
    write_json(folder, "broken.json", broken)
    retired = {**self_contained(), "id": "old", "status": "retired"}
    retired["reviewer"] = {"name": "A. Reviewer", "credentials": "Physiotherapist"}
    write_json(folder, "old.json", retired)
    return folder


def test_build_prints_every_valid_protocol_and_reports_the_broken_one(tmp_path):
    folder = clinic_folder(tmp_path)
    (tmp_path / "protokit.toml").write_text(NUMBERS, "utf-8")  # no publisher
    out = tmp_path / "sheets"
    result = run_protokit("build", str(folder), "-o", str(out), "--jobs", "2", cwd=tmp_path)
    assert result.code == 1
    assert "broken.json:" in result.stdout and "DOSE001" in result.stdout
    built = sorted(p.name for p in out.glob("*.pdf"))
    assert built == [
        "copy-0.pdf",
        "copy-1.pdf",
        "copy-2.pdf",
        "copy-3.pdf",
        "psoas-stretch-glute-bridge.pdf",
    ]
    assert "built 5 sheets" in result.stderr
    assert "1 file failed" in result.stderr and "1 retired protocol not printed" in result.stderr
    assert not (out / "protocols.pkb").exists()  # no publisher configured, and it says so
    assert "no bundle: a bundle names its publisher; set name and contact under [clinic]" in (
        result.stderr
    )
    assert "Glute bridge" in "\n".join(pages_text((out / "copy-2.pdf").read_bytes()))


def test_build_writes_the_bundle_when_a_publisher_is_configured(tmp_path):
    folder = clinic_folder(tmp_path, count=2)
    (folder / "broken.json").unlink()
    (tmp_path / "protokit.toml").write_text(CLINIC, "utf-8")
    result = run_protokit("build", "protocols", "-o", "out", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert (tmp_path / "out" / "protocols.pkb").is_file()
    # Said at the publishing clinic: the receiving clinic's `verify` refuses an unsigned bundle.
    assert "bundle out/protocols.pkb (not signed: receiving clinics refuse it; --sign KEY " in (
        result.stderr
    )
    verify = run_protokit("bundle", "inspect", "out/protocols.pkb", cwd=tmp_path)
    assert verify.code == 0 and "copy-0" in verify.stdout and "old" not in verify.stdout.split()
    skipped = run_protokit("build", "protocols", "-o", "out2", "--no-bundle", cwd=tmp_path)
    assert skipped.code == 0
    assert not (tmp_path / "out2" / "protocols.pkb").exists()


def test_build_signs_the_bundle_so_the_receiving_clinic_can_trust_it(tmp_path):
    folder = clinic_folder(tmp_path, count=1)
    (folder / "broken.json").unlink()
    (tmp_path / "protokit.toml").write_text(CLINIC, "utf-8")
    keys = run_protokit("keys", "generate", "-o", "clinic", "--name", "Northside", cwd=tmp_path)
    assert keys.code == 0, keys.stderr
    (tmp_path / "trust.toml").write_text(keys.stdout, "utf-8")
    result = run_protokit("build", "protocols", "-o", "out", "--sign", "clinic.key", cwd=tmp_path)
    assert result.code == 0, result.stderr
    verify = run_protokit(
        "bundle", "verify", "out/protocols.pkb", "--trust", "trust.toml", cwd=tmp_path
    )
    assert verify.code == 0, verify.stdout + verify.stderr
    assert 'valid, by trusted key "Northside"' in verify.stdout
    assert result.stderr.rstrip().endswith("bundle out/protocols.pkb")  # no "not signed"


def test_signing_without_a_publisher_is_a_usage_error_and_writes_nothing(tmp_path):
    folder = clinic_folder(tmp_path, count=1)
    (folder / "broken.json").unlink()
    (tmp_path / "protokit.toml").write_text(NUMBERS, "utf-8")  # no publisher
    run_protokit("keys", "generate", "-o", "clinic", "--name", "Northside", cwd=tmp_path)
    result = run_protokit("build", "protocols", "-o", "out", "--sign", "clinic.key", cwd=tmp_path)
    assert result.code == 2
    assert "--sign needs a bundle to sign" in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "out").glob("*"))


def test_build_without_the_clinic_numbers_stops_before_anything_is_drawn(tmp_path):
    clinic_folder(tmp_path, count=1)
    (tmp_path / "protokit.toml").write_text("[clinic]\nphone = '0113 496 0000'\n", "utf-8")
    result = run_protokit("build", "protocols", "-o", "out", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    said = "protokit.toml:1:1: [clinic] emergency_number and urgent_number not set"
    assert said in result.stderr
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_sheet_that_cannot_be_printed_fails_its_protocol_only(tmp_path, monkeypatch):
    text004_switched_off(monkeypatch)
    # TEXT004 would refuse the character when the protocol is checked; switched off (in this
    # test only: H705), the
    # sheet's own check refuses it while drawing, at the text's line and column.
    (tmp_path / "protokit.toml").write_text(CLINIC + '[lint]\nignore = ["TEXT004"]\n', "utf-8")
    folder = tmp_path / "protocols"
    folder.mkdir()
    good = self_contained()
    write_json(folder, "good.json", good)
    bad = json.loads(json.dumps(good))
    bad["id"] = "unprintable"
    bad["exercises"][0]["steps"][0] = "Lift \U0001f600 slowly"
    bad_path = write_json(folder, "bad.json", bad)
    result = run_protokit("build", "protocols", "-o", "out", "--jobs", "1", cwd=tmp_path)
    assert result.code == 1
    line, column = locate(bad_path.read_text("utf-8"), "/exercises/0/steps/0")
    assert f"protocols/bad.json:{line}:{column}: error PDF001 character" in result.stdout
    assert "[/exercises/0/steps/0]" in result.stdout
    assert (tmp_path / "out" / "psoas-stretch-glute-bridge.pdf").is_file()
    assert not (tmp_path / "out" / "unprintable.pdf").exists()
