"""The clinic's texts in protokit.toml, read as the sheet prints them (H706-H708).

A clinic's name, address, contact, emergency place and numbers are printed on every sheet, and
the numbers and the emergency place are read by checks of their own (`clinic.numbers`,
`clinic.places`). Each was refused only for a control character or a stray mark: a look-alike
letter, a letter or raised digit inside a number, and a place that sends the patient to the
pharmacy were printed as written.
"""

from __future__ import annotations

import pytest

from conftest import PROTOCOLS, run_protokit
from protocol_kit.config import CONFIG_SCHEMA, _plain_values, validate_config
from protocol_kit.errors import ConfigError

CLINIC = {
    "name": "Example Clinic",
    "phone": "01632 960000",
    "emergency_number": "999",
    "urgent_number": "111",
}
PROTOCOL = PROTOCOLS / "psoas-stretch-glute-bridge.json"


def refused(**changes: object) -> str:
    """The one line a configuration with `changes` to the clinic is refused with."""
    with pytest.raises(ConfigError) as caught:
        validate_config({"clinic": {**CLINIC, **changes}}, "protokit.toml")
    return str(caught.value)


@pytest.mark.parametrize(
    "key, value, says",
    [
        ("name", "Exampl\u0435 Clinic", 'the word "Exampl\u0435" mixes alphabets'),  # Cyrillic e
        ("contact", "\ufb02o@clinic.invalid", "LIGATURE FL"),
        ("address", ["1 High Str\u0435et"], "mixes alphabets"),
        ("emergency_place", "the \u0251&e department", "U+0251"),  # Latin alpha
        ("emergency_place", {"en": "the emergency d\u0435partment"}, "mixes alphabets"),
        ("website", "https://cl\u0456nic.example", "mixes alphabets"),  # Cyrillic i
    ],
)
def test_a_look_alike_letter_in_a_clinic_text_is_refused(key, value, says):
    line = refused(**{key: value})
    assert f"[clinic] {key}" in line and says in line


@pytest.mark.parametrize(
    "key, value, letter",
    [
        ("emergency_number", "99O", "O"),
        ("emergency_number", "0l632 960000", "l"),  # the clinic's own line, read as "0"
        ("emergency_number", "9\u00b91", "\u00b9"),  # a raised one
        ("emergency_number", "99\u041e", "\u041e"),  # a Cyrillic O
        ("urgent_number", "11I", "I"),
        ("phone", "0113 496 0OOO", "O"),
    ],
)
def test_a_letter_or_raised_digit_touching_a_numbers_digits_is_refused(key, value, letter):
    line = refused(**{key: value})
    assert f"[clinic] {key}" in line and f"has '{letter}'" in line
    assert "write the number in the digits 0 to 9" in line


@pytest.mark.parametrize(
    "key, value",
    [
        ("phone", "+44 (0)1632 960000 (9am-5pm)"),
        ("phone", "01632 960000 (1st floor)"),
        ("phone", "(+44) 1632 960000"),
        ("urgent_number", "111 (24h)"),
        ("emergency_number", "999 or 112 from a mobile"),
        ("name", "Zo\u00eb M\u00fcller Physiotherapie, \u0141\u00f3d\u017a"),
        ("emergency_place", {"en": "A&E at St Mary's", "de": "Notaufnahme, Klinikum Mitte"}),
    ],
)
def test_clinic_texts_that_read_as_they_print_pass(key, value):
    values = validate_config({"clinic": {**CLINIC, key: value}}, "protokit.toml")
    assert values["clinic"][key] == value
    # The fast path without cerberus says the same.
    assert _plain_values({"clinic": {**CLINIC, key: value}}) is not None


@pytest.mark.parametrize("number", ["99O", "0l632 960000"])
def test_the_fast_path_leaves_such_a_number_to_cerberus(number):
    assert CONFIG_SCHEMA["clinic"]["schema"]["emergency_number"]["check_with"] == "phone"
    assert _plain_values({"clinic": {**CLINIC, "emergency_number": number}}) is None


@pytest.mark.parametrize(
    "place, says",
    [
        ("the pharmacy", "sends the patient to the clinician level of care"),
        ("your GP", "sends the patient to the urgent level of care"),
        ("the out-of-hours doctor", "sends the patient to the urgent level of care"),
        ("A&E in the morning", "tells the patient the emergency can wait"),
        ({"en-GB": "the walk-in centre", "fr": "les urgences"}, "urgent level of care"),
    ],
)
def test_an_emergency_place_that_waits_or_sends_the_patient_lower_is_refused(tmp_path, place, says):
    written = (
        f'emergency_place = "{place}"'
        if isinstance(place, str)
        else "[clinic.emergency_place]\n" + "\n".join(f'{k} = "{v}"' for k, v in place.items())
    )
    (tmp_path / "protokit.toml").write_text(
        "[clinic]\nphone = '01632 960000'\nemergency_number = '999'\nurgent_number = '111'\n"
        f"{written}\n",
        "utf-8",
    )
    for command in (("validate",), ("render", "-o", "x.pdf")):
        result = run_protokit(*command, str(PROTOCOL), cwd=tmp_path)
        assert result.code == 2 and result.stdout == "", result.stderr
        (line,) = result.stderr.splitlines()
        assert line.startswith("protokit: error: protokit.toml:") and says in line
        assert "[clinic] emergency_place" in line and "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    "place, says",
    [
        # The emergency signs' own words, which their red flags may not carry (H690-H716).
        ("A&E if it gets bad", "plays the emergency down"),
        ("A&E if you are worried", '"if you are worried" tells the patient to wait'),
        ("A&E within 24 hours", '"within 24 hours"'),
        ("A&E once you get home", '"once you get home"'),
        ("A&E by taxi", '"by taxi"'),
        # Refused by the general words since the seventeenth sitting (H776).
        ({"en-GB": "A&E if it persists for 2 days"}, "tells the patient the emergency can wait"),
        # A mark or an accent inside a word, read through as the patient reads it (H703, H704).
        ("the ph\u2013armacy", "clinician level of care"),
        ("your G.P.", "urgent level of care"),
        ("A&E tom\u00f3rrow morning", "tells the patient the emergency can wait"),
    ],
)
def test_an_emergency_place_is_read_as_the_emergency_signs_and_through_marks(place, says):
    line = refused(emergency_place=place)
    assert line.startswith("protokit.toml") and "[clinic] emergency_place" in line
    assert says in line


@pytest.mark.parametrize(
    "place",
    [
        "A&E",
        "the nearest emergency department (A&E)",
        "A&E at Leeds General Infirmary, Great George Street, LS1 3EX",
        "A&E at St. James\u2019s University Hospital",
        "A&E (Accident and Emergency), open 24 hours",
    ],
)
def test_an_emergency_place_that_names_only_the_emergency_department_passes(place):
    values = validate_config({"clinic": {**CLINIC, "emergency_place": place}}, "protokit.toml")
    assert values["clinic"]["emergency_place"] == place


@pytest.mark.parametrize(
    "key, number, says",
    [
        ("emergency_number", "999 if it gets bad, or see your GP tomorrow", "urgent level"),
        ("emergency_number", "999 or the pharmacy", "clinician level of care"),
        ("emergency_number", "999 if you are worried", '"if you are worried"'),
        ("emergency_number", "999 tomorrow morning", "tells the patient the sign can wait"),
        ("emergency_number", "999 (not urgent)", "tells the patient the sign can wait"),
        ("urgent_number", "111 or ring the clinic", "clinician level of care, not the urgent"),
        ("urgent_number", "111 tomorrow", "tells the patient the sign can wait"),
    ],
)
def test_a_note_after_a_number_is_read_in_the_line_the_stop_box_prints(key, number, says):
    # "Call 999 if it gets bad, or see your GP tomorrow or go to the nearest hospital
    # emergency department." was printed in the stop box and at every page's foot.
    line = refused(**{key: number})
    assert f"[clinic] {key} {number!r}".replace("'", '"') in line and says in line


@pytest.mark.parametrize(
    "key, number",
    [
        ("emergency_number", "999 or 112 from a mobile"),
        ("emergency_number", "911 (or 112)"),
        ("emergency_number", "999 (ambulance)"),
        ("urgent_number", "111 (NHS 111, or 111.nhs.uk)"),
        ("urgent_number", "111, free from any phone"),
        ("urgent_number", "0300 123 4567 (out-of-hours GP)"),
    ],
)
def test_a_note_that_names_no_other_place_and_no_wait_passes(key, number):
    values = validate_config({"clinic": {**CLINIC, key: number}}, "protokit.toml")
    assert values["clinic"][key] == number


def test_a_refused_note_stops_render_before_anything_is_written(tmp_path):
    (tmp_path / "protokit.toml").write_text(
        "[clinic]\nphone = '01632 960000'\nurgent_number = '111'\n"
        "emergency_number = '999 if it gets bad, or see your GP tomorrow'\n",
        "utf-8",
    )
    result = run_protokit("render", "-o", "x.pdf", str(PROTOCOL), cwd=tmp_path)
    assert result.code == 2 and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("protokit: error: protokit.toml:") and "emergency_number" in line
    assert "sends the patient to the urgent level of care" in line
    assert not (tmp_path / "x.pdf").exists()
