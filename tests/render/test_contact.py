"""Who to call, on every sheet: the clinic's telephone and the emergency number come from the
configuration (never guessed), are required before anything is drawn, and are printed in the
stop box, at the top of page 1, at the foot of every page and on the log."""

from __future__ import annotations

import pytest
from sheet_helpers import EXAMPLE, clinic, contains_words, html_text, pdftotext, render

from conftest import REPO, run_protokit
from protocol_kit.app.render import clinic_profile
from protocol_kit.config import load_config


@pytest.mark.parametrize(
    "config, says",
    [
        (
            None,
            "no configuration file sets [clinic] phone, emergency_number and urgent_number",
        ),
        (
            "[clinic]\nname = 'X'\n",
            "protokit.toml:1:1: [clinic] phone, emergency_number and urgent_number not set",
        ),
        (
            "[clinic]\nphone = '0113 496 0000'\n",
            "protokit.toml:1:1: [clinic] emergency_number and urgent_number not set",
        ),
        (
            "[clinic]\nemergency_number = '999'\n",
            "protokit.toml:1:1: [clinic] phone and urgent_number not set",
        ),
        (
            "[clinic]\nemergency_number = '999'\nurgent_number = '111'\n",
            "protokit.toml:1:1: [clinic] phone not set",
        ),
        (
            "[tool.protokit.clinic]\nphone = '0113 496 0000'\n",
            "pyproject.toml:1:1: [tool.protokit] clinic.emergency_number and urgent_number not set",
        ),
    ],
)
@pytest.mark.parametrize("output_format", ["pdf", "html"])
def test_a_sheet_without_the_numbers_is_refused_before_anything_is_drawn(
    tmp_path, config, says, output_format
):
    if config is not None:
        name = "pyproject.toml" if config.startswith("[tool") else "protokit.toml"
        (tmp_path / name).write_text(config, "utf-8")
    output = tmp_path / f"sheet.{output_format}"
    result = run_protokit(
        "render", str(EXAMPLE), "--format", output_format, "-o", str(output), cwd=tmp_path
    )
    assert result.code == 2
    assert says in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert not output.exists()


def test_a_configuration_beside_the_protocol_but_not_read_is_named(tmp_path):
    """A therapist who ran `render clinic/knee.json` from the folder above was told to add
    numbers that were in clinic/protokit.toml: configuration is looked for from the current
    folder up, not from the protocol's."""
    import shutil

    shutil.copytree(REPO / "protocols", tmp_path / "clinic")
    shutil.copy(REPO / "protokit.toml", tmp_path / "clinic" / "protokit.toml")
    protocol = f"clinic/{EXAMPLE.name}"
    result = run_protokit("render", protocol, "-o", "x.pdf", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr == (
        "protokit: error: no configuration file sets [clinic] phone, emergency_number and "
        "urgent_number: "
        "clinic/protokit.toml is not read, since the configuration is looked for in the "
        "current folder and above it: run protokit in clinic, or give --config "
        "clinic/protokit.toml\n"
    )
    result = run_protokit("build", "clinic", "-o", "sheets", cwd=tmp_path)
    assert result.code == 2 and "give --config clinic/protokit.toml" in result.stderr
    result = run_protokit(
        "render", protocol, "--config", "clinic/protokit.toml", "-o", "x.pdf", cwd=tmp_path
    )
    assert result.code == 0, result.stderr


@pytest.mark.parametrize("value", ["TBD", "ask reception", ""])
def test_a_phone_that_is_not_a_number_is_a_configuration_error(tmp_path, value):
    (tmp_path / "protokit.toml").write_text(
        f"[clinic]\nphone = '{value}'\nemergency_number = '999'\n", "utf-8"
    )
    result = run_protokit("render", str(EXAMPLE), "-o", "x.pdf", cwd=tmp_path)
    assert result.code == 2 and "[clinic] phone" in result.stderr
    assert result.stderr.count("\n") == 1


def test_both_numbers_are_on_every_page_and_on_the_log(tmp_path):
    profile = clinic_profile(load_config(start=REPO))  # this repository's made-up clinic
    assert profile.phone == "01632 960000 (not a real number)"
    pages = pdftotext(render(EXAMPLE, clinic=profile), tmp_path)
    assert len(pages) >= 2
    for page in pages:
        assert contains_words(page, "Clinic 01632 960000 (not a real number) · Emergency 999")
    log = [page for page in pages if "Weekly exercise log" in page]
    assert log and contains_words(log[0], "call 01632 960000 (not a real number)")
    first = pages[0]
    assert contains_words(first, "Telephone 01632 960000")  # at the top of the sheet
    assert contains_words(first, "Call 999 or go to the nearest hospital emergency department")
    assert contains_words(first, "Call your clinic on 01632 960000 (not a real number)")


def test_the_html_names_the_same_numbers():
    page = html_text(render(EXAMPLE, output_format="html", clinic=clinic(emergency_number="112")))
    assert contains_words(page, "Call 112 or go to the nearest hospital emergency department")
    assert contains_words(page, "Clinic 0113 496 0000 · Emergency 112")


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("0113 496 0000", "is the clinic's own telephone number"),
        ("(0113) 496-0000", "is the clinic's own telephone number"),
        ("0113 496 1234", "has 11 digits: it is an ordinary line, not an emergency service"),
    ],
)
def test_an_emergency_number_that_is_no_emergency_service_is_refused(tmp_path, number, says):
    # The stop box says "Call NUMBER or go to the nearest hospital emergency department" for
    # chest pain and cauda equina signs: the clinic's own line, or any ordinary line, is not
    # where an emergency goes (hazard H209).
    (tmp_path / "protokit.toml").write_text(
        f"[clinic]\nphone = '0113 496 0000'\nemergency_number = '{number}'\n", "utf-8"
    )
    result = run_protokit("render", str(EXAMPLE), "-o", "x.pdf", cwd=tmp_path)
    assert result.code == 2
    assert says in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("number", ["999", "112", "999 or 112 from a mobile", "10177"])
def test_a_public_emergency_number_is_accepted(tmp_path, number):
    (tmp_path / "protokit.toml").write_text(
        f"[clinic]\nphone = '0113 496 0000'\nemergency_number = '{number}'\n"
        "urgent_number = '111'\n",
        "utf-8",
    )
    result = run_protokit("render", str(EXAMPLE), "-o", "x.pdf", cwd=tmp_path)
    assert result.code == 0, result.stderr


NUMBERS = "[clinic]\nphone = '0113 496 0000'\nemergency_number = '999'\n"


@pytest.mark.parametrize(
    "config, says",
    [
        # A configuration written before the key existed: one line, not a sheet whose urgent
        # group names no number (H246).
        (NUMBERS, "protokit.toml:1:1: [clinic] urgent_number not set: the stop box's urgent group"),
        (
            NUMBERS + "urgent_number = '0113 496 0000'\n",
            'protokit.toml:4:17: [clinic] urgent_number "0113 496 0000" is the clinic\'s own '
            "telephone number",
        ),
        (
            # Signs for a doctor today are not for an ambulance line.
            NUMBERS + "urgent_number = '999 (free)'\n",
            'protokit.toml:4:17: [clinic] urgent_number "999 (free)" is the emergency number',
        ),
        (
            "[tool.protokit.clinic]\nphone = '0113 496 0000'\nemergency_number = '999'\n",
            "pyproject.toml:1:1: [tool.protokit] clinic.urgent_number not set",
        ),
    ],
)
@pytest.mark.parametrize("command", ["render", "build"])
def test_a_sheet_without_the_urgent_number_is_refused(tmp_path, config, says, command):
    name = "pyproject.toml" if config.startswith("[tool") else "protokit.toml"
    (tmp_path / name).write_text(config, "utf-8")
    if command == "render":
        result = run_protokit("render", str(EXAMPLE), "-o", "x.pdf", cwd=tmp_path)
    else:
        result = run_protokit("build", str(EXAMPLE), "-o", "out", "--no-bundle", cwd=tmp_path)
    assert result.code == 2, result.stderr
    assert says in result.stderr and result.stderr.count("\n") == 1
    assert "NHS 111" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists() and not list(tmp_path.glob("out/*.pdf"))


def test_this_repositorys_clinic_gives_nhs_111(tmp_path):
    profile = clinic_profile(load_config(start=REPO))
    assert profile.urgent_number == "111"
    text = pdftotext(render(EXAMPLE, clinic=profile), tmp_path)
    assert contains_words(text[0], "the weekend, call 111.")


@pytest.mark.parametrize(
    ("lines", "says"),
    [
        (
            "emergency_number = '999, or ring us first on 0113 496 0000'\nurgent_number = '111'",
            'protokit.toml:3:20: [clinic] emergency_number "999, or ring us first on 0113 496 '
            '0000" names "0113 496 0000", the clinic\'s own telephone number',
        ),
        (
            "emergency_number = '112 (or our night line 0113 496 9999)'\nurgent_number = '111'",
            'names "0113 496 9999", an ordinary line of 11 digits, not an emergency service',
        ),
        (
            "emergency_number = '999'\nurgent_number = '111'\n"
            "emergency_place = 'the clinic (0113 496 0000)'",
            'protokit.toml:5:19: [clinic] emergency_place "the clinic (0113 496 0000)" names '
            '"0113 496 0000", the clinic\'s own telephone number',
        ),
        (
            "emergency_number = '999'\nurgent_number = '111'\n"
            "emergency_place = {en = 'A&E', fr = 'la clinique, 0113 496 1234'}",
            '[clinic] emergency_place "la clinique, 0113 496 1234" names "0113 496 1234"',
        ),
        (
            "emergency_number = '999'\nurgent_number = '111, or the clinic on 0113 496 0000'",
            'protokit.toml:4:17: [clinic] urgent_number "111, or the clinic on 0113 496 0000" '
            'names "0113 496 0000", the clinic\'s own telephone number',
        ),
        (
            "emergency_number = '999'\nurgent_number = '111 (or 999)'",
            'protokit.toml:4:17: [clinic] urgent_number "111 (or 999)" names "999", the emergency '
            "number",
        ),
    ],
)
def test_a_note_after_the_number_never_sends_the_patient_elsewhere(tmp_path, lines, says):
    # Only the first number was checked (H209, H275): "Call 999, or ring us first on <the
    # clinic's telephone>" was printed under chest pain and the cauda equina signs (H285).
    (tmp_path / "protokit.toml").write_text(
        f"[clinic]\nphone = '0113 496 0000'\n{lines}\n", "utf-8"
    )
    for command in (["render", str(EXAMPLE), "-o", "x.pdf"], ["build", str(EXAMPLE), "-o", "out"]):
        result = run_protokit(*command, cwd=tmp_path)
        assert result.code == 2, result.stderr
        assert says in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("output_format", ["pdf", "html"])
@pytest.mark.parametrize("tag", [None, "EN", "en-gb"])
def test_an_emergency_place_written_once_for_every_language_is_printed(
    tmp_path, output_format, tag
):
    # A plain string is the clinic's place in every language; no language lookup reached it,
    # nor a tag written in another case, and the sheet printed its own words instead,
    # silently (H289). Its street number and postcode are no telephone number (H285).
    place = '"A&E at St James\'s, 1 Beckett Street, LS9 7TF"'
    written = place if tag is None else f"{{{tag} = {place}}}"
    (tmp_path / "protokit.toml").write_text(
        "[clinic]\nphone = '0113 496 0000'\nemergency_number = '999 or 112 from a mobile'\n"
        f"urgent_number = '111 (free, 24 hours)'\nemergency_place = {written}\n",
        "utf-8",
    )
    output = tmp_path / f"x.{output_format}"
    result = run_protokit(
        "render", str(EXAMPLE), "--format", output_format, "-o", str(output), cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    data = output.read_bytes()
    text = html_text(data) if output_format == "html" else pdftotext(data, tmp_path)[0]
    said = "Call 999 or 112 from a mobile or go to A&E at St James's, 1 Beckett Street, LS9 7TF."
    assert contains_words(text, said)


@pytest.mark.parametrize(
    ("lines", "says"),
    [
        (
            "emergency_number = '0113 496 1234'\nurgent_number = '111'",
            'protokit.toml:3:20: [clinic] emergency_number "0113 496 1234" has 11 digits',
        ),
        (
            "emergency_number = '999'\nurgent_number = '0113 496 0000'",
            'protokit.toml:4:17: [clinic] urgent_number "0113 496 0000" is the clinic\'s own',
        ),
        (
            "emergency_number = '999'\nurgent_number = '111'\n"
            "emergency_place = 'the clinic (0113 496 0000)'",
            'protokit.toml:5:19: [clinic] emergency_place "the clinic (0113 496 0000)" names',
        ),
        (
            # A place per language is named at its own line, not the table's heading.
            "emergency_number = '999'\nurgent_number = '111'\n\n[clinic.emergency_place]\n"
            "en = 'A&E'\nfr = 'la clinique, 0113 496 1234'",
            'protokit.toml:8:1: [clinic] emergency_place "la clinique, 0113 496 1234" names',
        ),
    ],
)
def test_validate_refuses_the_clinic_numbers_render_would_refuse(tmp_path, lines, says):
    # A clinic's CI runs `validate`, not `render`: a profile sending chest pain to an ordinary
    # line passed every check until the first therapist printed a sheet.
    (tmp_path / "protokit.toml").write_text(
        f"[clinic]\nphone = '0113 496 0000'\n{lines}\n", "utf-8"
    )
    checked = run_protokit("validate", str(EXAMPLE), cwd=tmp_path)
    printed = run_protokit("render", str(EXAMPLE), "-o", "x.pdf", cwd=tmp_path)
    assert checked.code == printed.code == 2, checked.stderr
    assert says in checked.stderr and checked.stderr.count("\n") == 1, checked.stderr
    assert checked.stderr == printed.stderr


def test_a_house_number_and_postcode_without_a_comma_is_an_address(tmp_path):
    # "Hauptstraße 12 10115 Berlin" was refused as "12 10115", an ordinary line of 7 digits:
    # a therapist abroad could not name the hospital's address as it is written there (H365).
    place = "Notaufnahme, Klinikum Mitte, Hauptstraße 12 10115 Berlin"
    (tmp_path / "protokit.toml").write_text(
        "[clinic]\nphone = '030 4960 0000'\nemergency_number = '112'\n"
        f"urgent_number = '116117'\nemergency_place = '{place}'\n",
        "utf-8",
    )
    assert run_protokit("validate", str(EXAMPLE), cwd=tmp_path).code == 0
    result = run_protokit("render", str(EXAMPLE), "--format", "html", "-o", "x.html", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert contains_words(html_text((tmp_path / "x.html").read_bytes()), f"go to {place}.")


@pytest.mark.parametrize(
    ("place", "named"),
    [
        # No town after it: it may be a number to call, and the line says how to write it.
        ("Hauptstraße 123 10115", '"123 10115"'),
        # A four-digit postcode after a three-digit house number reads as a local line.
        ("Bahnhofstrasse 123 8001 Zürich", '"123 8001"'),
        # Telephone numbers keep being refused, however they are grouped.
        ("call 1 800 12345 first", '"1 800 12345"'),
        ("+49 30 12345 Berlin", '"+49 30 12345"'),
    ],
)
def test_a_number_in_the_place_that_may_be_a_line_is_refused_with_the_way_out(
    tmp_path, place, named
):
    (tmp_path / "protokit.toml").write_text(
        "[clinic]\nphone = '030 4960 0000'\nemergency_number = '112'\n"
        f"urgent_number = '116117'\nemergency_place = '{place}'\n",
        "utf-8",
    )
    checked = run_protokit("validate", str(EXAMPLE), cwd=tmp_path)
    assert checked.code == 2 and checked.stderr.count("\n") == 1, checked.stderr
    assert f"names {named}, an ordinary line" in checked.stderr
    assert f"(if {named} is a house number and a postcode, write a comma between them)" in (
        checked.stderr
    )


@pytest.mark.parametrize(
    ("key", "number", "public"),
    [
        ("phone", "+44 999", "999"),
        ("phone", "0044 999", "999"),
        ("phone", "+44 (0) 999", "999"),
        ("phone", "(+44) 999", "999"),
        ("phone", "9-9-9", "999"),
        ("phone", "999 (reception)", "999"),
        ("phone", "112", "112"),
        ("phone", "+1 911", "911"),
        ("phone", "+27 10177", "10177"),  # the configured emergency number, with a country code
        ("contact", "+44 999", "999"),
    ],
)
def test_an_emergency_number_as_the_clinic_s_own_line_is_refused(tmp_path, key, number, public):
    # "+44 999" was accepted as the clinic's telephone beside emergency_number = "999" (the
    # digits 44999 are not 999): every sheet printed it as the number to call the clinic
    # about the exercises (H812).
    lines = {"phone": "0113 496 0000", "contact": "reception@clinic.invalid", key: number}
    (tmp_path / "protokit.toml").write_text(
        f"[clinic]\nphone = '{lines['phone']}'\ncontact = '{lines['contact']}'\n"
        f"emergency_number = '{'10177' if public == '10177' else '999'}'\nurgent_number = '111'\n",
        "utf-8",
    )
    line = 2 if key == "phone" else 3
    says = (
        f'protokit.toml:{line}:{len(key) + 4}: [clinic] {key} "{number}" is the emergency '
        f"number {public}: every sheet prints it as the number to call the clinic"
    )
    for command in (["validate", str(EXAMPLE)], ["render", str(EXAMPLE), "-o", "x.pdf"]):
        result = run_protokit(*command, cwd=tmp_path)
        assert result.code == 2, result.stderr
        assert result.stderr.startswith(f"protokit: error: {says}"), result.stderr
        assert result.stderr.count("\n") == 1 and "ambulance" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("+44 999", 'urgent_number "+44 999" is the emergency number 999'),
        ("0044 999", 'urgent_number "0044 999" is the emergency number 999'),
        ("112", 'urgent_number "112" is the emergency number 112'),
        ("+44 (0) 999 (free)", 'urgent_number "+44 (0) 999 (free)" is the emergency number 999'),
        ("111 (or +44 999)", 'urgent_number "111 (or +44 999)" names "+44 999", the emergency'),
    ],
)
def test_an_emergency_number_in_any_written_form_is_no_urgent_line(tmp_path, number, says):
    # The urgent line was compared with the emergency number by its digits: "+44 999" and
    # "112" beside "999" sent the same-day group to an ambulance line (H812).
    (tmp_path / "protokit.toml").write_text(f"{NUMBERS}urgent_number = '{number}'\n", "utf-8")
    result = run_protokit("validate", str(EXAMPLE), cwd=tmp_path)
    assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert f"protokit.toml:4:17: [clinic] {says}" in result.stderr


@pytest.mark.parametrize(
    "phone",
    ["+44 113 496 0000", "0044 113 496 0000", "+1 212 555 0199", "0113 496 0000 (not 999)"],
)
def test_an_ordinary_line_written_with_a_country_code_is_the_clinic_s_own(tmp_path, phone):
    (tmp_path / "protokit.toml").write_text(
        f"[clinic]\nphone = '{phone}'\ncontact = '999physio@clinic.invalid'\n"
        "emergency_number = '999'\n"
        "urgent_number = '111'\n",
        "utf-8",
    )
    result = run_protokit("validate", str(EXAMPLE), cwd=tmp_path)
    assert result.code == 0, result.stderr


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("phone", "0161 555 0100, or 999", "999"),
        ("contact", "Call 0161 555 0100, or 999", "999"),
        ("contact", "Reception: 999", "999"),
        ("contact", "Office: 999", "999"),
        ("contact", "0113 496 0000, or 999 (not us)", "999"),
        ("contact", "Suite 4, 0113 496 0000 or 999. Street parking", "999"),
        ("contact", "Reception 0161 555 0100 or +44 999 out of hours", "+44 999"),
    ],
)
def test_an_emergency_number_offered_after_the_clinic_s_own_is_refused(tmp_path, key, value, named):
    # Only the number a line started with was read: "Call 0161 555 0100, or 999" and
    # "Reception: 999" printed as the clinic's line, "Call your clinic on ..." (H847).
    lines = {"phone": "0113 496 0000", "contact": "reception@clinic.invalid", key: value}
    (tmp_path / "protokit.toml").write_text(
        f"[clinic]\nphone = '{lines['phone']}'\ncontact = '{lines['contact']}'\n"
        "emergency_number = '999'\nurgent_number = '111'\n",
        "utf-8",
    )
    line = 2 if key == "phone" else 3
    result = run_protokit("validate", str(EXAMPLE), cwd=tmp_path)
    assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(
        f'protokit: error: protokit.toml:{line}:{len(key) + 4}: [clinic] {key} "{value}" '
        f'names "{named}", the emergency number 999: every sheet prints it'
    ), result.stderr


@pytest.mark.parametrize(
    "contact",
    [
        "0113 496 0000, not for emergencies: call 999",
        "0113 496 0000; in an emergency call 999",
        "999physio@clinic.invalid",
        "www.clinic112.example",
        # Said after the number (H853), and numbers of an address, not telephone lines.
        "0113 496 0000, or 999 in an emergency",
        "Northside Physio, Suite 112, Park House, Leeds",
        "Northside Physio, 112 High Street, Leeds",
        "Kabinet, 999 rue de la Paix, Paris",
    ],
)
def test_a_note_that_sends_emergencies_to_999_is_the_clinic_s_words(tmp_path, contact):
    (tmp_path / "protokit.toml").write_text(
        f"{NUMBERS}urgent_number = '111'\ncontact = '{contact}'\n", "utf-8"
    )
    result = run_protokit("validate", str(EXAMPLE), cwd=tmp_path)
    assert result.code == 0, result.stderr


def test_an_emergency_number_written_with_a_country_code_is_refused(tmp_path):
    # "+44 999" printed in the stop box as the number to dial for chest pain: an emergency
    # number is dialled as written where the patient is, without a country code (H848).
    (tmp_path / "protokit.toml").write_text(
        "[clinic]\nphone = '0113 496 0000'\nemergency_number = '+44 999'\nurgent_number = '111'\n",
        "utf-8",
    )
    for command in (["validate", str(EXAMPLE)], ["render", str(EXAMPLE), "-o", "x.pdf"]):
        result = run_protokit(*command, cwd=tmp_path)
        assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(
            'protokit: error: protokit.toml:3:20: [clinic] emergency_number "+44 999" is '
            "written with a country code"
        ), result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_the_urgent_line_written_with_a_country_code_as_the_clinic_s_phone_is_refused(tmp_path):
    # "+44 111" as the clinic's telephone beside urgent_number "111" (44111 is not 111): a
    # patient with a question about an exercise reached NHS 111 (H849).
    (tmp_path / "protokit.toml").write_text(
        "[clinic]\nphone = '+44 111'\nemergency_number = '999'\nurgent_number = '111'\n", "utf-8"
    )
    result = run_protokit("validate", str(EXAMPLE), cwd=tmp_path)
    assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert 'protokit.toml:4:17: [clinic] urgent_number "111" is the clinic\'s own' in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["bundle", "create", str(EXAMPLE), "-o", "out.zip", "--publisher-name", "N"],
        ["export", "fhir", str(EXAMPLE), "-o", "out.json"],
    ],
)
@pytest.mark.parametrize("contact", ["+44 999", "Reception: 112"])
def test_a_publisher_contact_given_on_the_command_line_is_no_emergency_number(
    tmp_path, command, contact
):
    # `--publisher-contact` was never compared with the emergency numbers that the
    # configuration's contact is held to (H850).
    (tmp_path / "protokit.toml").write_text(f"{NUMBERS}urgent_number = '111'\n", "utf-8")
    result = run_protokit(*command, "--publisher-contact", contact, cwd=tmp_path)
    assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f'protokit: error: --publisher-contact "{contact}" ')
    assert "the emergency number" in result.stderr and "ambulance" in result.stderr
    assert not (tmp_path / "out.zip").exists() and not (tmp_path / "out.json").exists()


def test_a_publisher_contact_may_give_the_clinic_s_address(tmp_path):
    # "Suite 112" and "112 High Street" are an address, not the emergency number 112: a
    # clinic's contact with its street address was refused (H853).
    (tmp_path / "protokit.toml").write_text(f"{NUMBERS}urgent_number = '111'\n", "utf-8")
    contact = "Northside Physio, Suite 112, 112 High Street, Leeds; 0113 496 0000"
    result = run_protokit(
        "export",
        "fhir",
        str(EXAMPLE),
        "-o",
        "out.json",
        "--publisher-name",
        "Northside Physio",
        "--publisher-contact",
        contact,
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    assert contact in (tmp_path / "out.json").read_text("utf-8")
