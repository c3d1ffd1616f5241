"""Cases of the thirty-third sitting's clinical review (docs/safety/clinical-review.md, hazards
H1510-H1511): the marks a keyboard gives for an apostrophe ("can´t" with an acute accent,
"can`t" with a backtick, the fullwidth "can＇t") are read as one, from one vocabulary in data
(H1510): "If you can´t pass urine, wait to see if it settles" was valid, and "don`t jump" a
jump; on a sheet coded for a blood thinner, a knock to the head is the emergency by itself,
though the text does not name the medicine (H1511). Kept, with their reasons in the review:
a deferral to the therapist ("no jumping until your physiotherapist says so"), "for long
periods" on a pregnancy sheet, and a red flag in German read by no pattern (SAFE016)."""

from __future__ import annotations

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import ICD, coding, exercise, family_sheet, lint, only
from lint_helpers import KNEE_REPLACEMENT_CODING as _KNEE_REPLACEMENT
from lint_helpers import PREGNANCY_CODING as _PREGNANCY

from protocol_kit.package_data import read_text
from protocol_kit.patterns import APOSTROPHES

_ANTICOAGULANT = coding(ICD, "Z79.01", "Long term (current) use of anticoagulants")
# The marks this sitting adds: the acute accent, the backtick (grave accent), the fullwidth one.
_KEYBOARD_MARKS = ("\u00b4", "`", "\uff07")


def _advice(tmp_path, conditions, text):
    tmp_path.mkdir(exist_ok=True)
    return only(lint(tmp_path, family_sheet(conditions, advice=[text])), "SAFE006")


def _step(tmp_path, condition, text):
    def change(data):
        data["indications"].append(condition)
        body = exercise(data)
        body["name"], body["starting_position"], body["steps"] = "Practice", "Stand tall.", [text]

    return lint(tmp_path, change)


# -- One vocabulary of apostrophes, in data (H1510) --------------------------------------------


def test_the_apostrophes_are_the_data_file_s_marks_the_ascii_one_first():
    listed = [
        chr(int(line.split()[0][2:], 16))
        for line in read_text("protocol_kit", "package_data/apostrophes.txt").splitlines()
        if line.startswith("U+")
    ]
    assert "".join(listed) == APOSTROPHES
    assert APOSTROPHES[0] == "'"
    assert set(_KEYBOARD_MARKS) <= set(APOSTROPHES)


@pytest.mark.parametrize("mark", _KEYBOARD_MARKS)
def test_an_emergency_typed_with_a_keyboard_s_apostrophe_is_still_read(tmp_path, mark):
    # Fails without H1510 for the acute accent and the backtick: valid, the retention unread.
    text = "If you can't pass urine, wait to see if it settles."
    [straight] = _advice(tmp_path / "straight", [_BACK], text)
    [typed] = _advice(tmp_path / "typed", [_BACK], text.replace("'", mark))
    assert "needs 'emergency'" in typed.message
    assert typed.message.replace(mark, "'") == straight.message


def test_the_fullwidth_apostrophe_is_also_a_character_the_sheet_cannot_print(tmp_path):
    text = "If you can\uff07t pass urine, wait to see if it settles."
    found = lint(tmp_path, family_sheet([_BACK], advice=[text]))
    assert sorted(f.code for f in found if f.code in ("SAFE006", "TEXT004")) == [
        "SAFE006",
        "TEXT004",
    ]


@pytest.mark.parametrize("mark", ["'", *_KEYBOARD_MARKS[:2]])
def test_told_not_to_jump_with_a_keyboard_s_apostrophe_is_not_a_jump(tmp_path, mark):
    # Fails without H1510: "don´t jump" and "don`t jump" were SAFE012's jump.
    step = f"Step up onto the stair; don{mark}t jump."
    assert only(_step(tmp_path, _KNEE_REPLACEMENT, step), "SAFE012") == []


def test_a_jump_is_still_a_jump(tmp_path):
    assert only(_step(tmp_path, _KNEE_REPLACEMENT, "Step up onto the stair; jump."), "SAFE012")


@pytest.mark.parametrize("mark", ["'", *_KEYBOARD_MARKS[:2]])
def test_do_not_wait_with_a_backtick_is_not_a_wait(tmp_path, mark):
    # Fails without H1510 for the backtick: "don`t wait" read as a wait (crying wolf).
    text = (
        f"If your calf becomes swollen, red and tender, don{mark}t wait for your next "
        "appointment: see a doctor today."
    )
    assert _advice(tmp_path, [_KNEE_REPLACEMENT], text) == []


def test_a_name_typed_with_a_backtick_is_one_word_in_the_workbench_search():
    from protocol_kit.workbench.service import patient_words

    assert patient_words("Aoife O`Neil") == patient_words("Aoife O'Neil")


def test_the_checklist_reads_a_contraction_with_any_apostrophe_as_one_word():
    from protocol_kit.checklist import _WORD

    for mark in APOSTROPHES:
        assert _WORD.findall(f"don{mark}t jump") == [f"don{mark}t", "jump"]


# -- A knock to the head on a blood thinner's sheet (H1511) ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you knock your head, even slightly, tell us at your next session.",
        "If you bang your head on a cupboard, mention it next time.",
        "If you fall and hit your head, rest and see how you feel.",
        "A head injury, even a small one: wait and see if you get a headache.",
    ],
)
def test_a_knock_to_the_head_on_a_blood_thinner_s_sheet_is_an_emergency(tmp_path, text):
    # Fails without H1511: valid, the item read only where the text names the medicine.
    [found] = _advice(tmp_path, [_BACK, _ANTICOAGULANT], text)
    assert "a knock or blow to your head" in found.message
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "If you knock your head, even a little, go to A&E straight away, even if you feel fine.",
        "If you bump your head, call 999 or go to the emergency department.",
    ],
)
def test_a_knock_to_the_head_sent_to_the_emergency_department_passes(tmp_path, text):
    assert _advice(tmp_path, [_BACK, _ANTICOAGULANT], text) == []


@pytest.mark.parametrize(
    "step",
    [
        "Stand up slowly; take care not to bump your head on the shelf.",
        "Mind you don't hit your head on the wall.",
        "Avoid bumping your head on the shelf.",
        "If it hurts, keep your head still.",
        "If bending forwards hurts your head, stop and rest.",
        "Lie on your back with your head on a pillow.",
    ],
)
def test_a_head_in_an_exercise_s_words_is_no_knock(tmp_path, step):
    assert only(_step(tmp_path, _ANTICOAGULANT, step), "SAFE006") == []


def test_a_knock_to_the_head_without_a_blood_thinner_is_not_this_item(tmp_path):
    text = "If you knock your head, tell us at your next session."
    assert _advice(tmp_path, [_BACK], text) == []


# -- Kept, as decided (each passes on the base tree too) ---------------------------------------


@pytest.mark.parametrize(
    "step",
    [
        "Step up onto the stair. No jumping until your physiotherapist says so.",
        "Step up onto the stair. Do not jump until your physiotherapist says you can.",
        "Step up onto the stair. No running yet.",
        "Step up onto the stair; no jogging for now.",
    ],
)
def test_a_movement_deferred_to_the_therapist_is_not_done(tmp_path, step):
    assert only(_step(tmp_path, _KNEE_REPLACEMENT, step), "SAFE012") == []


def test_lying_on_the_back_for_long_periods_after_16_weeks_stays_quiet(tmp_path):
    step = "Lie on your side. Avoid lying flat on your back for long periods after 16 weeks."
    assert only(_step(tmp_path, _PREGNANCY, step), "SAFE012") == []


def test_a_red_flag_in_german_is_said_to_be_unread(tmp_path):
    def change(data):
        data["language"] = "de-DE"
        data["safety"]["red_flags"][0]["text"] = (
            "Wenn Sie Schmerzen in der Brust haben, warten Sie bis zum nächsten Termin."
        )

    [found] = only(lint(tmp_path, change), "SAFE016")
    assert "'de-DE'" in found.message


def test_a_safe_sentence_with_a_keyboard_s_apostrophe_stays_quiet(tmp_path):
    # Crying wolf is a defect too: the new marks make no finding of a safe sentence.
    safe = "Don\u00b4t rush: it`s fine to rest between sets."
    (tmp_path / "base").mkdir()
    (tmp_path / "typed").mkdir()
    base = [f.code for f in lint(tmp_path / "base", lambda data: None)]
    typed = [
        f.code
        for f in lint(
            tmp_path / "typed", lambda data: data["safety"]["general_advice"].append(safe)
        )
    ]
    assert typed == base
