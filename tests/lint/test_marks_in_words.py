"""H703: a dash, dot or other mark inside a word of a red flag ("ch–est pain") hid it from
every check; H704: an accent or such a mark hid the words of the other safety rules ("Ignóre
the pain", "go to A&E in the mórning"). The patient reads through them; TEXT004 now reads the
text as the patient does and refuses what the checks would refuse read that way.
"""

from __future__ import annotations

import pytest
from lint_helpers import advice, codes, library_exercise, lint, only, red_flag, step, stop

UNSAFE = "If you get chest pain, stop and ring your physiotherapist tomorrow."


@pytest.mark.parametrize(
    "broken",
    [
        "ch\u2013est",  # en dash
        "ch\u2014est",  # em dash
        "ch-est",  # hyphen-minus
        "ch\u2212est",  # minus sign
        "ch\u2012est",  # figure dash
        "ch\u00b7est",  # middle dot
        "ch\u2219est",  # bullet operator
        "ch.est",
        "ch*est",
        "ch_est",
        "ch'est",
        "ch\u2019est",
        'ch"est',
    ],
)
def test_a_mark_inside_a_red_flag_word_is_an_error(tmp_path, broken):
    assert only(lint(tmp_path, stop(UNSAFE)), "SAFE006")  # the control: the plain spelling
    findings = lint(tmp_path, stop(UNSAFE.replace("chest", broken, 1)))
    assert only(findings, "SAFE006") == []  # what the red flags read as written
    text = only(findings, "TEXT004")
    assert codes(text) == [("TEXT004", "/safety/stop_criteria/0")]
    assert f'"{broken}"' in text[0].message and "chest-pain" in text[0].message


def test_a_mark_inside_a_red_flag_word_of_a_library_exercise_is_reported_at_the_reference(
    tmp_path,
):
    broken = "Stop if you get ch\u2013est pain and ring your physiotherapist tomorrow."
    library_exercise(tmp_path, lambda body: body["steps"].__setitem__(0, broken))
    findings = only(lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}])), "TEXT004")
    assert codes(findings) == [("TEXT004", "/exercises/0")]
    assert "library exercise 'cat-cow'" in findings[0].message


# Texts each safety rule refuses, and the words that hide them when accented or broken.
HIDDEN = [
    (advice, "Keep going through the pain, it is fine.", "SAFE013", "going", "g\u00f3ing"),
    (advice, "Keep going through the pain, it is fine.", "SAFE013", "going", "go\u2013ing"),
    (advice, "You do not need to stop for any pain.", "SAFE013", "stop", "st\u00f3p"),
    (advice, "Ignore the pain and carry on.", "SAFE013", "Ignore", "Ign\u00f3re"),
    (advice, "Ignore the pain and carry on.", "SAFE013", "Ignore", "Ig\u00b7nore"),
    (step, "Push through the pain.", "SAFE013", "through", "thr\u00f3ugh"),
    (
        lambda text: red_flag(0, text),
        "Chest pain or pressure: go to A&E in the morning.",
        "SAFE006",
        "morning",
        "m\u00f3rning",
    ),
    (
        lambda text: red_flag(0, text),
        "Chest pain or pressure: this is rarely an emergency.",
        "SAFE006",
        "rarely",
        "rar\u00e9ly",
    ),
    (stop, "If you feel like it", "SAFE003", "feel", "f\u00e9el"),
    # Full stops between single capitals: the patient reads "G.P." as "GP" (H758).
    (
        lambda text: red_flag(0, text),
        "Chest pain or pressure: call 999 or see your GP.",
        "SAFE006",
        "GP",
        "G.P",
    ),
]


@pytest.mark.parametrize("where, text, code, word, hidden", HIDDEN, ids=[h[4] for h in HIDDEN])
def test_an_accent_or_a_mark_hiding_a_safety_rules_words_is_an_error(
    tmp_path, where, text, code, word, hidden
):
    plain = lint(tmp_path, where(text))
    assert only(plain, code)  # the control: the rule refuses the plain spelling
    findings = lint(tmp_path, where(text.replace(word, hidden, 1)))
    assert only(findings, code) == []  # what the rule reads as written
    refused = only(findings, "TEXT004")
    assert [f.pointer for f in refused] == [f.pointer for f in only(plain, code)]
    assert code in refused[0].message and refused[0].severity.value == "error"


@pytest.mark.parametrize(
    "text",
    [
        "Warm-up first; do the sit-to-stand \u2013 slowly \u2013 and don\u2019t rush.",
        "Meet Zo\u00eb at the caf\u00e9 \u2014 a na\u00efve r\u00e9sum\u00e9 of the plan.",
        "If you get chest pain, call 999 or go to A&E at once \u2013 do not wait.",
        "See www.nhs.uk or 111.nhs.uk, e.g. for advice on knee/hip pain.",
        "Your physiotherapist, J.K. Smith of the N.H.S. clinic, will review it. See your G.P. too.",
    ],
)
def test_marks_and_accents_that_hide_nothing_are_no_finding(tmp_path, text):
    assert only(lint(tmp_path, advice(text)), "TEXT004") == []
