"""Who prescribed the programme and how to reach them: a prescription's `therapist.phone`
(optional) printed beside the prescriber's name, the stop box keeping the clinic's number;
`new prescription --phone` writes it, and a value that is not a number is refused where it
is written (H1531, H1532)."""

from __future__ import annotations

import json

from sheet_helpers import EXAMPLE, PHONE, contains_words, html_text, pages_text, render, write_json

from conftest import run_protokit

DIRECT_LINE = "0113 496 0124 (Monday to Friday)"


def _prescription(**therapist: str) -> dict:
    return {
        "$schema": "https://schemas.protocol-kit.org/v1/prescription.schema.json",
        "protocol": {"id": "psoas-stretch-glute-bridge"},
        "patient": {"name": "Alex Example", "date_of_birth": "1968-04-02"},
        "therapist": {"name": "Sam Okafor", "credentials": "MCSP, HCPC PH123456", **therapist},
        "date": "2026-12-01",
        "start_date": "2026-12-02",
        "screening": dict.fromkeys(
            ("recent-surgery", "kneeling-not-allowed", "hip-replacement", "pregnant"), "no"
        ),
    }


def test_the_prescriber_s_number_is_printed_beside_their_name(tmp_path):
    """There was no field for it: a patient read who prescribed the programme, and only the
    clinic's number anywhere (H1531). The stop box still sends them to the clinic's number,
    answered when the prescriber is away."""
    rx = write_json(tmp_path, "rx.json", _prescription(phone=DIRECT_LINE))
    first = pages_text(render(EXAMPLE, prescription=str(rx)))[0]
    assert contains_words(
        first, f"Prescribed by Sam Okafor, MCSP, HCPC PH123456, telephone {DIRECT_LINE}"
    )
    assert contains_words(first, f"Call your clinic on {PHONE}")
    page = html_text(render(EXAMPLE, prescription=str(rx), output_format="html"))
    assert f"Sam Okafor, MCSP, HCPC PH123456, telephone {DIRECT_LINE}" in " ".join(
        page.replace("\u00a0", " ").split()
    )


def test_without_a_number_the_prescriber_line_is_as_before(tmp_path):
    rx = write_json(tmp_path, "rx.json", _prescription())
    first = pages_text(render(EXAMPLE, prescription=str(rx)))[0]
    assert contains_words(first, "Prescribed by Sam Okafor, MCSP, HCPC PH123456")
    assert "telephone" not in first.casefold().split("prescribed by", 1)[1].split("\n")[0]


def test_a_prescriber_s_number_that_is_not_one_is_refused_at_its_line(tmp_path):
    (tmp_path / "psoas.json").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "library").symlink_to(EXAMPLE.parent / "library")
    for value, expected in (
        ("ask at reception", 'error SCHEMA002 "ask at reception" is not a telephone number'),
        ("TBC", "error RX003 placeholder left"),
    ):
        write_json(tmp_path, "rx.json", _prescription(phone=value))
        result = run_protokit("validate", "rx.json", cwd=tmp_path)
        assert result.code == 1, result.stdout
        line = next(line for line in result.stdout.splitlines() if "/therapist/phone" in line)
        assert line.startswith("rx.json:") and expected in line, line


def test_new_prescription_writes_the_number_given_with_phone(tmp_path):
    common = ("new", "prescription", "--protocol", str(EXAMPLE), "--therapist", "Sam Okafor",
              "--credentials", "MCSP")  # fmt: skip
    result = run_protokit(*common, "rx.json", "--phone", DIRECT_LINE, cwd=tmp_path)
    assert result.code == 0, result.stderr
    therapist = json.loads((tmp_path / "rx.json").read_text("utf-8"))["therapist"]
    assert therapist == {"name": "Sam Okafor", "credentials": "MCSP", "phone": DIRECT_LINE}
    # Not a number: refused in one line naming the option, and nothing written.
    result = run_protokit(*common, "rx2.json", "--phone", "ask at reception", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        'protokit: error: --phone: "ask at reception" is not a telephone number: write the '
        "digits to dial first (0113 496 0000), and any note after the number"
    ]
    assert not (tmp_path / "rx2.json").exists()


def test_new_prescription_asks_for_the_number_with_the_prescriber():
    """The therapist is told of --phone where `new` lists who is still to fill in."""
    from protocol_kit.cli.new import _people_left

    document = {"patient": {"name": "Alex"}, "therapist": {"name": "TODO: your name"}}
    assert _people_left(document) == [
        "the therapist (or give --therapist and --credentials, and --phone for your own number)"
    ]


def test_the_workbench_form_asks_for_the_prescriber_s_number():
    from protocol_kit.workbench.forms import form_schema

    form = form_schema("prescription")
    prescriber = form["properties"]["therapist"]["$ref"].removeprefix("#/definitions/")
    phone = form["definitions"][prescriber]["properties"]["phone"]
    assert phone["title"] == "Telephone"
    assert "printed beside your name" in phone["description"]
