"""Who prescribed the programme and how to reach them: a prescription's `therapist.phone`
(optional) printed beside the prescriber's name, the stop box keeping the clinic's number;
`new prescription --phone` writes it, and a value that is not a number is refused where it
is written (H1531, H1532)."""

from __future__ import annotations

import json

import pytest
from sheet_helpers import EXAMPLE, PHONE, contains_words, html_text, pages_text, render, write_json
from test_stop_box import complete_box

from conftest import run_protokit
from protocol_kit.sheet.wording import LANGUAGES

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


def test_a_prescriber_s_number_or_address_longer_than_any_real_one_is_refused(tmp_path):
    """A "number" of 500 digits was valid and printed over pages beside the prescriber's name
    (s39-hostile2): no number dialled is longer than 15 digits, so a value past 100
    characters, note included, is refused where it is written; an e-mail address past
    RFC 5321's 254 characters the same. The longest real ones still pass."""
    (tmp_path / "psoas.json").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "library").symlink_to(EXAMPLE.parent / "library")
    for field, value, valid in (
        ("phone", "0" * 500, False),
        ("phone", DIRECT_LINE + " " + "x" * (100 - len(DIRECT_LINE) - 1), True),
        ("phone", DIRECT_LINE + " " + "x" * (100 - len(DIRECT_LINE)), False),
        ("email", "s" * 64 + "@" + "a" * 185 + ".nhs", True),
        ("email", "s" * 64 + "@" + "a" * 186 + ".nhs", False),
    ):
        write_json(tmp_path, "rx.json", _prescription(**{field: value}))
        result = run_protokit("validate", "rx.json", cwd=tmp_path)
        found = [line for line in result.stdout.splitlines() if f"/therapist/{field}" in line]
        if valid:
            assert result.code == 0 and not found, (field, len(value), result.stdout)
        else:
            assert result.code == 1 and len(found) == 1, (field, len(value), result.stdout)
            assert found[0].startswith("rx.json:") and "SCHEMA" in found[0], found[0]


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


def test_a_letter_touching_the_prescriber_s_digits_is_refused_as_the_clinic_s_is(tmp_path):
    """H1540: "0l13 496 0124" (a small L for 1) passed the schema's pattern (a digit, then two
    digits anywhere): the patient reads the letter as a digit and dials a number no one
    answers. The clinic's own numbers had the check (H707, `untrusted.telephone`); the
    prescriber's goes through the same one: RX026 at the value's line and column, and
    `--phone` refused in one line, nothing written."""
    (tmp_path / "psoas.json").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "library").symlink_to(EXAMPLE.parent / "library")
    for value, letter in (("0l13 496 0124", "'l'"), ("0113 4S6 0124", "'S'")):
        write_json(tmp_path, "rx.json", _prescription(phone=value))
        result = run_protokit("validate", "rx.json", cwd=tmp_path)
        assert result.code == 1, result.stdout
        (line,) = [line for line in result.stdout.splitlines() if "/therapist/phone" in line]
        text = (tmp_path / "rx.json").read_text("utf-8").splitlines()
        row = next(n for n, row in enumerate(text, 1) if '"phone"' in row)
        column = text[row - 1].index(json.dumps(value)) + 1
        assert line.startswith(f"rx.json:{row}:{column}: error RX026 "), line
        assert f"has {letter}" in line and "write the number in the digits 0 to 9" in line
    common = ("new", "prescription", "--protocol", str(EXAMPLE), "--therapist", "Sam Okafor",
              "--credentials", "MCSP")  # fmt: skip
    result = run_protokit(*common, "rx2.json", "--phone", "0l13 496 0124", cwd=tmp_path)
    assert result.code == 2
    (said,) = result.stderr.strip().splitlines()
    assert said.startswith("protokit: error: --phone: \"0l13 496 0124\" has 'l' (LATIN SMALL")
    assert not (tmp_path / "rx2.json").exists()
    # A note's words after the number are not the number's.
    write_json(tmp_path, "rx.json", _prescription(phone=DIRECT_LINE))
    assert "RX026" not in run_protokit("validate", "rx.json", cwd=tmp_path).stdout


def test_a_follow_up_asks_for_the_number_the_earlier_prescription_did_not_give(tmp_path):
    """H1541: `new prescription --from` copied the prescriber's number when the earlier gave
    one, and said nothing when it gave none; --phone was refused with --from. As the
    workbench's follow-up form asks (one decision, `asks_for_the_prescriber_phone`), the
    command says so, and --phone with --from writes the number."""
    earlier = write_json(tmp_path, "rx.json", _prescription())
    result = run_protokit("new", "prescription", "--from", str(earlier), "-o", "next.json",
                          "--protocol", str(EXAMPLE), cwd=tmp_path)  # fmt: skip
    assert result.code == 0, result.stderr
    assert "The earlier prescription gives no telephone number of yours" in result.stderr
    assert "--phone NUMBER with --from" in result.stderr
    (tmp_path / "next.json").unlink()  # a second follow-up of one prescription is refused (H1622)
    result = run_protokit("new", "prescription", "--from", str(earlier), "-o", "given.json",
                          "--protocol", str(EXAMPLE), "--phone", DIRECT_LINE,
                          cwd=tmp_path)  # fmt: skip
    assert result.code == 0, result.stderr
    assert "gives no telephone" not in result.stderr
    given = json.loads((tmp_path / "given.json").read_text("utf-8"))
    assert given["therapist"]["phone"] == DIRECT_LINE
    # The number copied from an earlier prescription that gives it: nothing asked.
    given["screening"] = dict.fromkeys(given["screening"], "no")
    write_json(tmp_path, "given.json", given)
    result = run_protokit("new", "prescription", "--from", "given.json", "-o", "third.json",
                          "--protocol", str(EXAMPLE), cwd=tmp_path)  # fmt: skip
    assert result.code == 0, result.stderr
    assert "gives no telephone" not in result.stderr
    third = json.loads((tmp_path / "third.json").read_text("utf-8"))
    assert third["therapist"]["phone"] == DIRECT_LINE


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_prescriber_s_number_is_never_parted_from_its_label(tmp_path, language):
    """H1543: where the prescriber's line wrapped, "telephone" could end a line and the
    number begin the next (seen at 70 dpi in English at one length of the credentials; each
    of the six languages looked at). The label is joined to the number by a no-break space,
    as in the footer, in every language's wording."""
    from protocol_kit.sheet.wording import wording_for

    protocol = complete_box(tmp_path, None if language == "en" else language)
    screening = json.loads(protocol.read_text("utf-8")).get("screening", [])
    therapist = {"name": "Aleksandra Wiśniewska", "phone": "0113 496 0124",
                 "credentials": "Physiotherapist MCSP PH" + "1" * 50}  # fmt: skip
    rx = write_json(tmp_path, "rx.json", {
        **_prescription(), "therapist": therapist,
        "protocol": {"id": json.loads(protocol.read_text("utf-8"))["id"]},
        "screening": {question["id"]: "no" for question in screening},
    })  # fmt: skip
    label = wording_for(language).words["prescriber_phone"].split()[-2]
    number = "\u00a0".join((label, "0113", "496", "0124"))
    if language == "en":  # the length at which the English line broke there
        first = pages_text(render(protocol, prescription=str(rx), language=language))[0]
        (line,) = [line for line in first.splitlines() if "PH111" in line]
        assert not line.rstrip().endswith(label), line
    page = html_text(render(protocol, prescription=str(rx), language=language,
                            output_format="html"))  # fmt: skip
    assert number in page


@pytest.mark.parametrize(
    "number, letter",
    [("+44 O113 496 0124", "O"), ("0113 496 O124", "O"), ("0113-S96 0124", "S")],
)
def test_a_letter_starting_a_group_of_digits_is_refused_for_the_clinic_and_the_prescriber(
    tmp_path, number, letter
):
    """H1540: after the first group, a letter read as a digit starting the next ("+44 O113")
    was read by the one check as a note after the number ("+44": an emergency number "+44
    O113..." passed as one). Refused for the clinic's numbers and the prescriber's; a note's
    words after the number still pass."""
    from protocol_kit.config import _plain_values, validate_config
    from protocol_kit.errors import ConfigError

    clinic = {"name": "Example Clinic", "emergency_number": "999", "urgent_number": "111"}
    with pytest.raises(ConfigError, match=f"has '{letter}'"):
        validate_config({"clinic": {**clinic, "phone": number}}, "protokit.toml")
    assert _plain_values({"clinic": {**clinic, "phone": number}}) is None  # left to cerberus
    for note in ("0113 496 0124 (Building B2)", "0113 496 0124 - Ipswich"):
        assert validate_config({"clinic": {**clinic, "phone": note}}, "protokit.toml")
    (tmp_path / "psoas.json").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "library").symlink_to(EXAMPLE.parent / "library")
    write_json(tmp_path, "rx.json", _prescription(phone=number))
    result = run_protokit("validate", "rx.json", cwd=tmp_path)
    (line,) = [line for line in result.stdout.splitlines() if "/therapist/phone" in line]
    assert "error RX026" in line and f"has '{letter}'" in line, line
