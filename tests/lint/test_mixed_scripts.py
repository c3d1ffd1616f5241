"""H645: a word that mixes alphabets prints as the word it imitates, and no check reads it.

"If you get chеst pain, stop and ring your physiotherapist tomorrow" with the Cyrillic "е"
(U+0435) printed exactly as the plain spelling, which SAFE006 refuses, yet passed every rule:
the red flags read "chеst" as no word they know. TEXT004 now refuses such a word wherever a
text can hold one (a protocol, a library exercise, a prescription), and leaves alone what is
written in one alphabet and the Greek symbols written beside Latin letters.
"""

from __future__ import annotations

import json

import pytest
from lint_helpers import codes, library_exercise, lint, lint_file, minimal, only, stop

from protocol_kit.untrusted.scripts import mixed_word

UNSAFE = "If you get chest pain, stop and ring your physiotherapist tomorrow."


def test_the_plain_spelling_is_refused_by_the_red_flag_rule(tmp_path):
    # The control: what the mixed spellings below imitate is a safety error.
    assert only(lint(tmp_path, stop(UNSAFE)), "SAFE006")


@pytest.mark.parametrize(
    "plain, impostor, named",
    [
        ("chest", "ch\u0435st", "CYRILLIC SMALL LETTER IE"),
        ("pain", "p\u0430in", "CYRILLIC SMALL LETTER A"),
        ("pain", "pa\u0456n", "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"),
        ("stop", "st\u03bfp", "GREEK SMALL LETTER OMICRON"),
        ("chest", "\u0421hest", "CYRILLIC CAPITAL LETTER ES"),
    ],
)
def test_a_red_flag_written_with_a_look_alike_letter_is_an_error(tmp_path, plain, impostor, named):
    findings = lint(tmp_path, stop(UNSAFE.replace(plain, impostor)))
    text = only(findings, "TEXT004")
    assert codes(text) == [("TEXT004", "/safety/stop_criteria/0")]
    assert f'"{impostor}"' in text[0].message and named in text[0].message
    assert text[0].severity.value == "error"


def test_the_raw_character_in_the_file_is_found_as_its_escape_is(tmp_path):
    # `lint` writes "\u0435"; a clinic's editor writes the letter itself.
    data = minimal()
    stop(UNSAFE.replace("chest", "ch\u0435st"))(data)
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    assert codes(only(lint_file(path), "TEXT004")) == [("TEXT004", "/safety/stop_criteria/0")]


def test_in_a_library_exercise_it_is_reported_at_the_reference(tmp_path):
    library_exercise(tmp_path, lambda body: body["steps"].__setitem__(0, "St\u043ep at once."))
    findings = only(lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}])), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0")]
    assert "library exercise 'cat-cow'" in findings[0].message and "/steps/0" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Vitamin D 25 \u03bcg a day; TENS at 1 k\u03a9.",  # Greek symbols beside Latin letters
        "Avoid if you take \u03b2-blockers.",  # a hyphen ends the word
        "\u0391\u03c1\u03b3\u03ac \u03ba\u03b1\u03b9 \u03ae\u03c1\u03b5\u03bc\u03b1.",  # Greek
        "Возьмите Theraband а боль",  # Russian with a brand name
        "Caf\u00e9 na\u00efve e\u0301lan",  # Latin accents, written either way
    ],
    ids=["units", "beta-blocker", "greek", "russian-with-a-brand", "accents"],
)
def test_one_alphabet_a_word_and_symbols_beside_latin_letters_pass(tmp_path, text):
    assert only(lint(tmp_path, lambda d: d.update(summary=text)), "TEXT004") == []


@pytest.mark.parametrize(
    "text, word",
    [
        ("Numbness when you wipe or during \u0455\u0435\u0445.", "\u0455\u0435\u0445"),
        ("Sudden pain in your \u04bb\u0456\u0440 after a fall.", "\u04bb\u0456\u0440"),
    ],
    ids=["sex", "hip"],
)
def test_a_whole_word_of_look_alike_letters_in_a_latin_text_is_an_error(tmp_path, text, word):
    findings = only(lint(tmp_path, stop(text)), "TEXT004")
    assert codes(findings) == [("TEXT004", "/safety/stop_criteria/0")]
    assert f'"{word}" is written in Cyrillic letters' in findings[0].message


def test_a_latin_letter_in_a_cyrillic_word_is_reported_too():
    found = mixed_word("\u0431o\u043b\u044c")  # "боль" with a Latin "o"
    assert found is not None and found.group() == "\u0431o\u043b\u044c"


def test_validate_finds_it_in_a_prescription(tmp_path):
    import shutil

    from conftest import CLINIC_NUMBERS, PROTOCOLS, run_protokit

    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    shutil.copytree(PROTOCOLS / "library", tmp_path / "protocols" / "library")
    shutil.copy(PROTOCOLS / "psoas-stretch-glute-bridge.json", tmp_path / "protocols")
    made = run_protokit(
        "new", "prescription", "--protocol", "protocols/psoas-stretch-glute-bridge.json",
        "rx.json", cwd=tmp_path,
    )  # fmt: skip
    assert made.code == 0, made.stderr
    data = json.loads((tmp_path / "rx.json").read_text(encoding="utf-8"))
    data["notes"] = ["If you get ch\u0435st pain, ring the clinic tomorrow."]
    (tmp_path / "rx.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_protokit("validate", "-f", "json", "rx.json", cwd=tmp_path)
    found = [f for report in json.loads(result.stdout)["files"] for f in report["findings"]]
    assert ("TEXT004", "/notes/0") in [(f["code"], f["pointer"]) for f in found]


def test_a_latin_letter_in_a_word_of_look_alike_cyrillic_letters_is_an_error(tmp_path):
    # H683: "сһеѕt" has four Cyrillic letters and a Latin "t" that looks like none of theirs,
    # so no letter of its less used alphabet looked like one of the more used: it passed, and
    # printed as "chest".
    impostor = "\u0441\u04bb\u0435\u0455t"
    findings = only(lint(tmp_path, stop(UNSAFE.replace("chest", impostor))), "TEXT004")
    assert codes(findings) == [("TEXT004", "/safety/stop_criteria/0")]
    assert f'"{impostor}" mixes alphabets' in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Not while you take anti-TNF\u03b1 medicines or IFN\u03b3.",
        "PPAR\u03b3 agonists, ER\u03b2, PKC\u03b4 and NF-\u03baB.",
    ],
)
def test_the_names_of_molecules_pass(tmp_path, text):
    assert only(lint(tmp_path, lambda d: d.update(summary=text)), "TEXT004") == []


def test_a_kappa_that_completes_a_capital_word_is_still_an_error(tmp_path):
    findings = only(lint(tmp_path, stop("If you feel WEA\u03ba, stop and rest.")), "TEXT004")
    assert codes(findings) == [("TEXT004", "/safety/stop_criteria/0")]
