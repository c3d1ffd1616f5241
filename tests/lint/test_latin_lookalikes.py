"""H682: a Latin letter of no language that prints as a plain one ("pɑin" with U+0251).

"If you get chest pɑin, stop and ring your physiotherapist tomorrow" printed as the words SAFE006
refuses, yet passed every rule: the letter is Latin, so TEXT004's check of words that mix
alphabets let it be, and the red flags read no "pain" there. TEXT004 now refuses it.
"""

from __future__ import annotations

import unicodedata

import pytest
from lint_helpers import codes, lint, only, stop

from protocol_kit.font_coverage import PRINTABLE
from protocol_kit.untrusted.lookalikes import LANGUAGE_LETTERS, LOOKALIKE_LETTERS, imitated

UNSAFE = "If you get chest pain, stop and ring your physiotherapist tomorrow."


@pytest.mark.parametrize(
    "plain, impostor, letter",
    [
        ("pain", "p\u0251in", "LATIN SMALL LETTER ALPHA"),
        ("pain", "pa\u026an", "LATIN LETTER SMALL CAPITAL I"),
        ("pain", "pa\u0269n", "LATIN SMALL LETTER IOTA"),
        ("stop", "\u01bdtop", "LATIN SMALL LETTER TONE FIVE"),
    ],
)
def test_a_red_flag_with_a_latin_look_alike_letter_is_an_error(tmp_path, plain, impostor, letter):
    assert only(lint(tmp_path, stop(UNSAFE)), "SAFE006")  # the control: the plain spelling
    findings = only(lint(tmp_path, stop(UNSAFE.replace(plain, impostor, 1))), "TEXT004")
    assert codes(findings) == [("TEXT004", "/safety/stop_criteria/0")]
    assert letter in findings[0].message and "type" in findings[0].message
    assert findings[0].severity.value == "error"


@pytest.mark.parametrize(
    "text",
    [
        "Étirez-vous doucement. Cœur, œdème. Arrêtez si la douleur augmente.",
        "Hören Sie auf, wenn Schmerzen größer werden. Straße, Übung.",
        "Przestań, jeśli ból się nasila. Łokieć, źdźbło, żółw.",
        "Ağrı artarsa durun. İstanbul, kırık, ılık, Iğdır.",
        "Zoë Brontë, José García, Nguyễn Văn An, Søren, Ørsted, Åse, Æsa.",
        "Română: ține, așa, știu, țară. Čeština: příliš žluťoučký kůň.",
    ],
    ids=["french", "german", "polish", "turkish", "names", "romanian-czech"],
)
def test_the_letters_of_languages_pass(tmp_path, text):
    assert only(lint(tmp_path, lambda d: d.update(summary=text)), "TEXT004") == []


def test_the_list_is_every_printable_latin_look_alike():
    # Worked out again from the font and Unicode's tables: fails when either changes.
    found = [
        chr(point)
        for low, high in PRINTABLE
        for point in range(max(low, 0x80), high + 1)
        if unicodedata.name(chr(point), "").startswith("LATIN")
        and chr(point).isalpha()
        and chr(point) not in LANGUAGE_LETTERS
        and imitated(chr(point))
    ]
    assert "".join(found) == LOOKALIKE_LETTERS
