"""Cases of the thirty-fourth sitting's second clinical round (docs/safety/clinical-review.md,
"Second round", hazards H1640-H1643): knee pain or osteoarthritis and hip pain or
osteoarthritis have a red-flag set (a hot or red joint, above all with a fever: the joint may
be infected; a fever; new pain after a fall) (H1640), falls in an older adult have one (a
broken hip after a fall; new pain after a fall), the knock to the head on a blood thinner
reused, not repeated (H1641); "it is normal to feel shaky after a fall" is reassurance, not a
sign (H1642); "kne" is read as "knee" (H1643). Each pattern plainly, as a question, negated and
with a typo; safe sheets stay quiet."""

from __future__ import annotations

import json

import pytest
from lint_helpers import ANTICOAGULANT_CODING as _ANTICOAGULANT
from lint_helpers import FALLS_CODING, ICD, coding, named_en, sheet_routing
from lint_helpers import KNEE_OA_CODING as _KNEE
from test_starter import FILLED, clinic, codes

from conftest import run_protokit
from protocol_kit.redflags import red_flag_sets
from protocol_kit.starter.conditions import starting_red_flags

_KNEE_PAIN = coding(ICD, "M25.561", "Pain in right knee")
_PATELLOFEMORAL = coding(ICD, "M22.2X1", "Patellofemoral disorders, right knee")
_HIP = coding(ICD, "M16.11", "Unilateral primary osteoarthritis, right hip")
_HISTORY_OF_FALLING = coding(ICD, "Z91.81", "History of falling")


def _started(conditions):
    return [flag["covers"][0] for flag in starting_red_flags(conditions)[0]]


# -- The sets (H1640, H1641) ---------------------------------------------------------------------


@pytest.mark.parametrize("condition", [_KNEE, _KNEE_PAIN, _PATELLOFEMORAL, _HIP])
def test_knee_and_hip_pain_start_with_the_joint_infection_fever_and_fall(condition):
    # Fails without H1640: no set, the sheet started with chest pain alone.
    assert _started([condition]) == ["joint-infection", "fever-or-unwell", "trauma"]


@pytest.mark.parametrize("condition", [FALLS_CODING, _HISTORY_OF_FALLING])
def test_falls_start_with_a_broken_hip_and_new_pain_after_a_fall(condition):
    # Fails without H1641: no set for falls. (The thirty-fifth sitting added, between them,
    # not being able to get up after a fall: H1661.)
    assert _started([condition]) == ["broken-hip-after-fall", "fall-cannot-get-up", "trauma"]


def test_a_falls_sheet_on_a_blood_thinner_reuses_the_knock_to_the_head_once():
    started = _started([_KNEE, FALLS_CODING, _ANTICOAGULANT])
    assert started.count("head-injury-anticoagulant") == 1
    assert started.count("trauma") == 1
    assert "broken-hip-after-fall" in started and "joint-infection" in started


def test_the_new_items_read_their_own_starting_texts():
    sets = red_flag_sets()
    for item_id in ("joint-infection", "broken-hip-after-fall"):
        item = sets.items[item_id]
        assert item_id in named_en(item.summary), item_id
        assert item.action == "emergency"
        assert item.sources and all(source in sets.sources for source in item.sources)


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("M17.11", "knee pain or knee osteoarthritis"),
        ("M16.11", "hip pain or hip osteoarthritis"),
        ("icd-10-cm:R29.6", "falls, or a history of falling"),
        ("Z91.81", "falls, or a history of falling"),
    ],
)
def test_new_protocol_for_the_condition_writes_the_set_and_validates(tmp_path, code, title):
    # Fails without H1640/H1641: "no red-flag set of protokit's is for this condition".
    folder = clinic(tmp_path)
    made = run_protokit("new", "protocol", "sheet", "-e", "glute-bridge", "-c", code, cwd=folder)
    assert made.code == 0, made.stderr
    assert f"that the red-flag set '{title}" in made.stderr
    protocol = folder / "sheet.json"
    text = protocol.read_text(encoding="utf-8")
    for todo, value in FILLED.items():
        text = text.replace(todo, value)
    protocol.write_text(text, encoding="utf-8")
    flags = json.loads(text)["safety"]["red_flags"]
    checked = run_protokit("validate", "sheet.json", cwd=folder)
    assert checked.code == 0, checked.stdout
    assert codes(checked.stdout, "SAFE005") == 0
    assert codes(checked.stdout, "SAFE006") == 0
    assert codes(checked.stdout, "SAFE008") == 0
    assert codes(checked.stdout, "GOV009") == 11 + len(flags) - 1


# -- A hot or red knee or hip: the joint may be infected (H1640) -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If your knee suddenly becomes hot and red, tell us at your next visit.",
        "Is your knee hot, red and swollen? Mention it at your next session.",
        "If your kne becomes hot and red, tell us at your next visit.",
        "If you think your knee might be infected, ring us to book an appointment.",
        "Redness around your hip with a temperature: tell us at your next visit.",
    ],
)
def test_a_hot_or_red_knee_or_hip_sent_lower_than_999_is_an_error(tmp_path, text):
    # Fails without H1640 (the third without H1643 too): valid, or the fever's 'urgent'.
    found = sheet_routing(tmp_path, [_KNEE], text)
    assert found, text
    assert any("the joint may be infected" in f.message for f in found)
    assert any("needs 'emergency'" in f.message for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "Your knee is not hot or red, so carry on with the exercises.",
        "There is no redness around your knee.",
        "Put a hot water bottle on your knee for 10 minutes before you start.",
        "Your knee is stiff in the morning: a hot pack helps.",
        "Your knee may feel warm and a little swollen after exercise; ice it for 10 minutes.",
        "Heat can ease stiffness in your joints.",
        "Use the red band for the knee exercise.",
        "Hot and cold packs on your knee can ease the pain.",
        "Keep your hip warm after your walk.",
        "Is your knee stiff in the morning? A hot shower helps.",
    ],
)
def test_everyday_words_of_a_knee_or_hip_sheet_stay_quiet(tmp_path, text):
    assert "joint-infection" not in named_en(text)
    assert sheet_routing(tmp_path, [_KNEE, _HIP], text) == []


def test_a_red_wound_is_the_wound_s_item_not_the_joint_s():
    assert set(named_en("The skin around your new hip wound is red.")) == {"wound-infection"}
    assert "joint-infection" not in named_en("Is your knee wound red? Tell us.")


def test_a_hot_knee_sent_to_a_and_e_is_quiet(tmp_path):
    text = "If your knee suddenly becomes hot or red, go to A&E or call 999 straight away."
    assert sheet_routing(tmp_path, [_KNEE], text) == []


# -- A broken hip after a fall (H1641) -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you think you have broken your hip, tell us at your next visit.",
        "Do you think you have broken your hip? Ring us to book an appointment.",
        "If you think you broke your hip, see your GP this week.",
        "Your hip may be broken: mention it next time we meet.",
    ],
)
def test_a_broken_hip_sent_lower_than_999_is_an_error(tmp_path, text):
    # Fails without H1641: valid (no item read a broken hip in these words).
    found = sheet_routing(tmp_path, [FALLS_CODING], text)
    assert any("your hip may be broken" in f.message for f in found), text
    assert any("needs 'emergency'" in f.message for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "This programme lowers your risk of a hip fracture.",
        "Balance exercises reduce the chance of a broken hip.",
        "Many people are worried they might break a hip.",
        "If you do not think you have broken your hip, get up slowly: roll onto your side.",
        "You have not broken your hip: keep walking every day.",
    ],
)
def test_falls_education_about_a_broken_hip_stays_quiet(tmp_path, text):
    assert "broken-hip-after-fall" not in named_en(text)
    assert sheet_routing(tmp_path, [FALLS_CODING], text) == []


# -- Shaky after a fall (H1642) --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "It is normal to feel shaky after a fall.",
        "After a fall, you may feel shaken: sit and rest before you get up.",
        "Many people feel shook up after a fall, and that passes.",
    ],
)
def test_feeling_shaky_after_a_fall_is_reassurance(tmp_path, text):
    # Fails without H1642: the trauma item's 'urgent' (an error on a falls sheet).
    assert sheet_routing(tmp_path, [FALLS_CODING], text) == []


@pytest.mark.parametrize(
    "text",
    [
        "After a fall, if you feel shaky and your hip hurts, tell us next time.",
        "It is normal to feel shaky after a fall; carry on as usual even if it hurts.",
    ],
)
def test_shaky_with_a_pain_after_a_fall_is_still_the_trauma_item(tmp_path, text):
    assert "trauma" in named_en(text)
    assert sheet_routing(tmp_path, [FALLS_CODING], text)
