"""`protokit validate` makes every check `render` makes of a prescription against its protocol
(RX004-RX008), with line and column; the protocol is found beside the prescription or in a
`protocols` folder above it."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import CLINIC_NUMBERS, PROTOCOLS, run_protokit

PROTOCOL = "psoas-stretch-glute-bridge"
# The example's screening questions, answered: a prescription without them is invalid (RX009).
NO_TO_EVERY_QUESTION = {
    "recent-surgery": "no", "kneeling-not-allowed": "no", "hip-replacement": "no", "pregnant": "no"
}  # fmt: skip


@pytest.fixture
def clinic(tmp_path):
    """A project folder: protocols/ with the example and its library, prescriptions/, and the
    clinic's numbers that `render` needs before it checks the prescription."""
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    shutil.copytree(PROTOCOLS / "library", tmp_path / "protocols" / "library")
    shutil.copy(PROTOCOLS / f"{PROTOCOL}.json", tmp_path / "protocols")
    (tmp_path / "prescriptions").mkdir()
    return tmp_path


def write_rx(folder, **changes):
    data = {
        "$schema": "https://schemas.protocol-kit.org/v1/prescription.schema.json",
        "protocol": {"id": PROTOCOL},
        "patient": {"name": "Sam Example", "date_of_birth": "1970-05-01"},
        "therapist": {"name": "A. Therapist", "credentials": "Physiotherapist"},
        "date": "2026-11-20",
        "start_date": "2026-11-21",
        "overrides": [],
        "screening": dict(NO_TO_EVERY_QUESTION),
    }
    data.update(changes)
    path = folder / "prescriptions" / "rx.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def override(exercise, reason="Agreed with the patient at assessment.", **fields):
    entry = {"exercise": exercise, "reason": reason}
    entry.update(fields or {"dosage": {"sets": 2}})
    return entry


def validate(clinic, path):
    return run_protokit("validate", str(path.relative_to(clinic)), cwd=clinic)


def render(clinic, path):
    return run_protokit(
        "render", f"protocols/{PROTOCOL}.json", "--prescription",
        str(path.relative_to(clinic)), "-o", "sheet.pdf", cwd=clinic,
    )  # fmt: skip


def test_a_good_prescription_is_clean(clinic):
    rx = write_rx(clinic, overrides=[override("glute-bridge", dosage={"sets": 3})])
    result = validate(clinic, rx)
    assert result.code == 0 and "all valid" in result.stderr, result.stdout


def test_side_both_on_a_one_sided_exercise_is_caught_by_validate_and_render(clinic):
    rx = write_rx(clinic, overrides=[override("kneeling-hip-flexor-stretch",
                                              dosage={"side": "both"})])  # fmt: skip
    result = validate(clinic, rx)
    assert result.code == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith("prescriptions/rx.json:21:17: error RX006 override (exercise ")
    assert "works one side at a time, but the override says side 'both'" in line
    refused = render(clinic, rx)
    assert refused.code == 2
    assert refused.stderr.startswith("protokit: error: prescriptions/rx.json:21:17: override ")


@pytest.mark.parametrize(
    ("changes", "code", "pointer", "says"),
    [
        ({"protocol": {"id": "neck-pain"}}, "RX008", "/protocol/id", "was not found"),
        ({"protocol": {"id": PROTOCOL, "version": "9.9.9"}}, "RX004", "/protocol/version",
         "prescribes version 9.9.9"),
        ({"overrides": [override("plank")]}, "RX005", "/overrides/0/exercise",
         "has no exercise 'plank'"),
        ({"overrides": [override("glute-bridge", dosage={"sets": 3}),
                        override("glute-bridge", dosage={"sets": 3})]}, "RX005",
         "/overrides/1", "a second override of the same exercise"),
        ({"overrides": [override("glute-bridge", dosage={"sets": 50})]}, "RX006",
         "/overrides/0/dosage/sets", "beyond the safe limit"),
        # H362: each number within its limit, the day about 4 hours of bridges.
        ({"overrides": [override("glute-bridge", dosage={"sets": 10, "repetitions": 100,
                                                         "sessions_per_day": 2})]}, "RX006",
         "/overrides/0/dosage/sessions_per_day", "minutes a day"),
        ({"overrides": [override("glute-bridge", omit=True),
                        override("kneeling-hip-flexor-stretch", omit=True)]}, "RX007",
         "/overrides", "leaves out every exercise"),
    ],
)  # fmt: skip
def test_each_render_check_is_a_validate_finding(clinic, changes, code, pointer, says):
    rx = write_rx(clinic, **changes)
    result = run_protokit("validate", "-f", "json", str(rx.relative_to(clinic)), cwd=clinic)
    findings = [f for report in json.loads(result.stdout)["files"] for f in report["findings"]]
    assert [(f["code"], f["pointer"]) for f in findings] == [(code, pointer)]
    assert says in findings[0]["message"]
    assert findings[0]["line"] and findings[0]["column"]
    if code != "RX008":  # render is given the protocol: it refuses the same mistake
        refused = render(clinic, rx)
        assert refused.code == 2 and says in refused.stderr


def test_an_exercise_the_protocol_does_not_have_says_which_protocol_and_what_to_do(clinic):
    # A therapist prescribed a library exercise the protocol does not use: "the protocol has
    # no such exercise" named neither the protocol nor the way on (a prescription cannot add
    # one).
    rx = write_rx(clinic, overrides=[override("lying-march")])
    result = validate(clinic, rx)
    assert result.code == 1
    line = next(line for line in result.stdout.splitlines() if "RX005" in line)
    assert f"protocol '{PROTOCOL}' version 1.0.6 has no exercise 'lying-march'" in line
    assert "(it has: kneeling-hip-flexor-stretch, glute-bridge)" in line
    assert "correct the id, or delete this override" in line
    assert "add it to the protocol" in line
    refused = render(clinic, rx)
    assert refused.code == 2 and "has no exercise 'lying-march'" in refused.stderr


def test_the_protocol_beside_the_prescription_is_found(clinic):
    rx = write_rx(clinic, overrides=[override("plank")])
    moved = clinic / "protocols" / "rx.json"
    rx.rename(moved)
    result = run_protokit("validate", "protocols/rx.json", cwd=clinic)
    assert "RX005" in result.stdout


@pytest.mark.parametrize(
    ("note", "code"),
    [
        ("Push through the pain, it is good for you.", "RX018"),
        ("If you get chest pain, ring me at the clinic next week.", "RX015"),
        ({"en": "Push through the pain."}, "RX018"),
    ],
)
def test_a_note_is_checked_when_the_protocol_is_not_found(clinic, note, code):
    # The protocol lives in another project: validate warned RX008 and passed the note
    # that tells the patient to push through pain, which only render refused.
    rx = write_rx(clinic, protocol={"id": "neck-pain"}, notes=[note])
    result = run_protokit("validate", "-f", "json", str(rx.relative_to(clinic)), cwd=clinic)
    findings = [f for report in json.loads(result.stdout)["files"] for f in report["findings"]]
    assert [f["code"] for f in findings] == ["RX008", code]
    pointer = "/notes/0" + ("/en" if isinstance(note, dict) else "")
    assert findings[1]["pointer"] == pointer and findings[1]["line"]
    assert result.code == 1


def test_a_note_is_checked_beside_another_prescription_of_the_same_protocol(clinic):
    # H360: prescriptions/ holds one file per patient, each naming the protocol; the other
    # patient's file was taken for the protocol "found but not valid", so validate said
    # nothing at all (no RX008, no RX015) and passed a chest pain sent to the next week.
    rx = write_rx(
        clinic,
        protocol={"id": "neck-pain"},
        notes=["If you get chest pain, ring me at the clinic next week."],
    )
    other = json.loads(rx.read_text(encoding="utf-8"))
    other["notes"] = ["Bring this sheet to your next appointment."]
    (clinic / "prescriptions" / "another-patient.json").write_text(json.dumps(other))
    result = run_protokit("validate", "-f", "json", str(rx.relative_to(clinic)), cwd=clinic)
    findings = [f for report in json.loads(result.stdout)["files"] for f in report["findings"]]
    assert [f["code"] for f in findings] == ["RX008", "RX015"]
    assert result.code == 1


def test_a_plain_note_passes_when_the_protocol_is_not_found(clinic):
    rx = write_rx(
        clinic, protocol={"id": "neck-pain"}, notes=["Mild soreness the next day is fine."]
    )
    result = run_protokit("validate", str(rx.relative_to(clinic)), cwd=clinic)
    assert result.code == 0 and "RX008" in result.stdout + result.stderr


def test_an_override_that_repeats_the_protocols_dosage_is_a_warning(clinic):
    """`new prescription` writes every exercise with the protocol's dosage: a therapist who
    wrote the reason ("5 for the first two weeks") but not the new number got a sheet with
    the protocol's dosage and no word from `validate` (H328)."""
    rx = write_rx(clinic, overrides=[
        override("glute-bridge", reason="Sore back: 5 for the first two weeks.",
                 dosage={"sets": 2, "repetitions": 10, "side": "both"}),
        override("kneeling-hip-flexor-stretch", dosage={"hold_seconds": 45}),
    ])  # fmt: skip
    result = run_protokit("validate", "-f", "json", str(rx.relative_to(clinic)), cwd=clinic)
    assert result.code == 0, result.stdout  # a warning: the sheet is right, if not as meant
    findings = [f for report in json.loads(result.stdout)["files"] for f in report["findings"]]
    assert [(f["code"], f["severity"], f["pointer"]) for f in findings] == [
        ("RX017", "warning", "/overrides/0/dosage"),
        ("RX017", "warning", "/overrides/1/dosage"),
    ]
    assert "the dosage is the protocol's own" in findings[0]["message"]
    assert "change the numbers" in findings[0]["message"]


@pytest.mark.parametrize(
    "entry",
    [
        override("glute-bridge", dosage={"sets": 2, "repetitions": 8}),  # a real change
        override("glute-bridge", dosage={"sets": 2, "intensity": "Gently, no pain"}),
        override("glute-bridge", dosage={"sets": 2, "rest_seconds": 90}),
        override("glute-bridge", omit=True),
    ],
)
def test_an_override_that_changes_something_is_not_flagged(clinic, entry):
    rx = write_rx(clinic, overrides=[entry])
    result = validate(clinic, rx)
    assert result.code == 0 and "RX017" not in result.stdout, result.stdout


def test_a_template_override_still_to_fill_in_is_left_to_rx003(clinic):
    rx = write_rx(clinic, overrides=[override("glute-bridge", reason="TODO: why",
                                              dosage={"sets": 2})])  # fmt: skip
    result = validate(clinic, rx)
    assert "RX003" in result.stdout and "RX017" not in result.stdout


def test_a_prescription_of_an_older_version_says_how_to_bring_it_up_to_date(clinic):
    """`validate` named the protocol by its absolute path (`render` as given) and did not say
    what to change. It then told the therapist to change the version in every prescription,
    also one given to the patient, a record of what the patient was given (walkthrough
    section 12): the follow-up is the way to print the programme as it is now (H1435)."""
    rx = write_rx(clinic, protocol={"id": PROTOCOL, "version": "0.9.0"})
    result = run_protokit("validate", "rx.json", cwd=clinic / "prescriptions")
    assert result.code == 1
    version = json.loads((clinic / "protocols" / f"{PROTOCOL}.json").read_text())["version"]
    assert result.stdout.splitlines()[0] == (
        f"rx.json:5:16: error RX004 prescribes version 0.9.0 of '{PROTOCOL}', but "
        f"../protocols/{PROTOCOL}.json is version {version}: a prescription the patient was "
        "given is their record: to give the programme as it is now, read what changed and "
        "write a follow-up (protokit new prescription --from this file); a prescription not "
        f'given yet: check it against what changed, then write "version": "{version}" '
        "[/protocol/version]"
    )
    assert rx.exists()


def test_render_shows_the_warnings_validate_gives_and_still_writes_the_sheet(clinic):
    """A therapist who only prints never ran `validate`: the override that changed nothing
    (RX017) was printed with the protocol's dosage and not a word on the terminal."""
    rx = write_rx(clinic, overrides=[
        override("glute-bridge", reason="Sore back: 5 for the first two weeks.",
                 dosage={"sets": 2, "repetitions": 10, "side": "both"}),
    ])  # fmt: skip
    result = render(clinic, rx)
    assert result.code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if " warning " in line]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith("prescriptions/rx.json:")
    assert "warning RX017" in warnings[0] and "[/overrides/0/dosage]" in warnings[0]
    assert "wrote " in result.stdout
