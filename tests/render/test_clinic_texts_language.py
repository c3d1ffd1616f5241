"""The clinic's own texts (name, address, the notes after its numbers) are printed as written on
every sheet: on a sheet in another language than the clinic's, `render` names each one in a
warning rather than mix languages without a word (users' round, nineteenth sitting)."""

from __future__ import annotations

import shutil

from conftest import CASES, run_protokit

TRANSLATED = CASES / "validate" / "valid" / "translated-protocol" / "protocol.json"
CLINIC = """[clinic]
name = "Northside Physiotherapy"
address = ["12 Harbour Street", "LS1 4AB"]
phone = "0113 496 0000 (9am to 5pm)"
emergency_number = "999"
urgent_number = "111"
"""


def rendered(tmp_path, config: str, *options: str):
    (tmp_path / "protokit.toml").write_text(config, encoding="utf-8")
    shutil.copy(TRANSLATED, tmp_path / "protocol.json")
    return run_protokit("render", "protocol.json", "-o", "sheet.pdf", *options, cwd=tmp_path)


def test_a_french_sheet_names_the_clinics_english_texts(tmp_path):
    result = rendered(tmp_path, CLINIC, "--language", "fr")
    assert result.code == 0, result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warning == (
        'protokit: warning: protokit.toml: [clinic] name "Northside Physiotherapy", '
        '[clinic] address "12 Harbour Street", [clinic] address "LS1 4AB", '
        '[clinic] phone "0113 496 0000 (9am to 5pm)": '
        "printed as written on this 'fr' sheet, though the clinic's texts are taken to be in "
        "'en-GB' ([clinic] language, else the protocol's): check that the patient can read "
        'them (emergency_place can be written per language, {en = "...", fr = "..."}; see '
        "docs/sheets.md); once checked, record it, and they are not named again on such a "
        'sheet: [clinic] checked_texts = {fr = ["Northside Physiotherapy", "12 Harbour Street", '
        '"LS1 4AB", "0113 496 0000 (9am to 5pm)"]}'
    )
    # A number without a note says the same in every language.
    assert "emergency_number" not in warning and "urgent_number" not in warning


def test_the_clinics_language_decides_and_a_place_per_language_is_not_named(tmp_path):
    # In the protocol's language: nothing to say.
    assert "warning" not in rendered(tmp_path, CLINIC).stderr
    # A French clinic printing the protocol's English: its texts are French.
    french = CLINIC.replace("Northside Physiotherapy", "Cabinet du Port") + 'language = "fr"\n'
    result = rendered(tmp_path, french, "--language", "en")
    assert result.code == 0, result.stderr
    assert '[clinic] name "Cabinet du Port"' in result.stderr
    assert "on this 'en-GB' sheet" in result.stderr and "taken to be in 'fr'" in result.stderr
    # A place written per language is printed in the sheet's language, or the sheet's words.
    numbers = 'phone = "0113 496 0000"\nemergency_number = "999"\nurgent_number = "111"\n'
    per_language = f'[clinic]\n{numbers}emergency_place = {{en = "A&E at the LGI"}}\n'
    assert "warning" not in rendered(tmp_path, per_language, "--language", "fr").stderr
    one_string = f'[clinic]\n{numbers}emergency_place = "A&E at the LGI"\n'
    result = rendered(tmp_path, one_string, "--language", "fr")
    assert '[clinic] emergency_place "A&E at the LGI": printed as written' in result.stderr


def test_build_names_the_clinics_texts_once_for_its_sheets_in_another_language(tmp_path):
    # `build` printed French sheets with the clinic's English texts and no word (H857 had
    # reached `render` only); the same texts on several sheets are one thing to check.
    (tmp_path / "protokit.toml").write_text(CLINIC, encoding="utf-8")
    for name in ("one", "two"):
        text = TRANSLATED.read_text("utf-8").replace('"id": "', f'"id": "{name}-', 1)
        (tmp_path / f"{name}.json").write_text(text, encoding="utf-8")
    result = run_protokit(
        "build",
        "one.json",
        "two.json",
        "-o",
        "out",
        "--language",
        "fr",
        "--no-bundle",
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    sheets = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert sheets == ["one-back-basics.pdf", "two-back-basics.pdf"]
    [warning] = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warning.startswith('protokit: warning: protokit.toml: [clinic] name "Northside')
    assert warning.endswith('"0113 496 0000 (9am to 5pm)"]} (said of 2 sheets)')
    # In the protocol's own language: nothing to say.
    english = run_protokit("build", "one.json", "-o", "en", "--no-bundle", cwd=tmp_path)
    assert english.code == 0 and "warning" not in english.stderr, english.stderr


def test_texts_recorded_as_checked_are_not_named_again_but_a_text_changed_since_is(tmp_path):
    """H857's warning could not be silenced once a clinician had checked the texts: every
    French sheet named them again, and a real new one was lost among them (H900). The texts
    recorded as checked for a language are not named on its sheets; a text changed since is.
    """
    checked = (
        'checked_texts = {fr = ["Northside Physiotherapy", "12 Harbour Street", "LS1 4AB", '
        '"0113 496 0000 (9am to 5pm)"]}\n'
    )
    result = rendered(tmp_path, CLINIC + checked, "--language", "fr-CA")
    assert result.code == 0 and "warning" not in result.stderr, result.stderr
    moved = CLINIC.replace("12 Harbour Street", "3 Dock Road") + checked
    result = rendered(tmp_path, moved, "--language", "fr")
    [warning] = [line for line in result.stderr.splitlines() if "warning" in line]
    assert '[clinic] address "3 Dock Road": printed as written on this' in warning
    assert "Harbour" not in warning and "Northside" not in warning
    assert warning.endswith('checked_texts = {fr = ["3 Dock Road"]}')
    # Checked for Spanish sheets is not checked for French ones.
    spanish = CLINIC + checked.replace("{fr =", "{es =")
    assert "Northside" in rendered(tmp_path, spanish, "--language", "fr").stderr


def test_a_record_of_checked_texts_that_is_not_one_is_refused_at_its_line(tmp_path):
    (tmp_path / "protokit.toml").write_text(
        CLINIC + 'checked_texts = {French = ["Northside Physiotherapy"]}\n', encoding="utf-8"
    )
    shutil.copy(TRANSLATED, tmp_path / "protocol.json")
    result = run_protokit("validate", "protocol.json", cwd=tmp_path)
    assert result.code == 2 and result.stderr.startswith("protokit: error: protokit.toml:7:"), (
        result.stderr
    )
    assert "checked_texts" in result.stderr and "Traceback" not in result.stderr
