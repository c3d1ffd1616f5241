"""Cases of the thirty-third sitting's second clinical round (docs/safety/clinical-review.md,
hazards H1545-H1549): a knock to the head while taking an antiplatelet medicine other than
aspirin alone goes to the emergency department, as NICE NG232 (1.2.3, 1.2.4) refers it, on a
sheet coded Z79.02 as on one coded Z79.01, and wherever a text names the medicine (H1545);
aspirin alone (Z79.82) is not in the family, as NG232 excepts it."""

from __future__ import annotations

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import ICD, coding, family_sheet, lint, only

from protocol_kit.starter.conditions import starting_red_flags

_ANTIPLATELET = coding(ICD, "Z79.02", "Long term (current) use of antithrombotics/antiplatelets")
_ASPIRIN = coding(ICD, "Z79.82", "Long term (current) use of aspirin")


def _advice(tmp_path, conditions, text):
    tmp_path.mkdir(exist_ok=True)
    return only(lint(tmp_path, family_sheet(conditions, advice=[text])), "SAFE006")


# -- Antiplatelet medicines and a knock to the head (H1545) -------------------------------------


def test_a_sheet_coded_for_an_antiplatelet_starts_with_the_knock_to_the_head():
    # Fails without H1545: Z79.02 was in no red-flag family, and the sheet started without it.
    flags, titles = starting_red_flags([_BACK, _ANTIPLATELET])
    assert any("antiplatelet" in title for title in titles)
    [knock] = [f for f in flags if f.get("covers") == ["head-injury-anticoagulant"]]
    assert knock["action"] == "emergency"
    assert "clopidogrel" in knock["text"] and "other than aspirin alone" in knock["text"]


def test_a_sheet_coded_for_an_antiplatelet_without_the_knock_is_an_error(tmp_path):
    # Fails without H1545: valid.
    def change(data):
        family_sheet([_BACK])(data)
        data["indications"].append(_ANTIPLATELET)

    found = only(lint(tmp_path, change), "SAFE005")
    assert any("a knock or blow to your head" in f.message for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "If you knock your head, even slightly, tell us at your next session.",
        "If you fall and hit your head, rest and see how you feel.",
    ],
)
def test_a_knock_to_the_head_on_an_antiplatelet_s_sheet_is_an_emergency(tmp_path, text):
    # Fails without H1545: valid, the family not applied to Z79.02.
    [found] = _advice(tmp_path, [_BACK, _ANTIPLATELET], text)
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "If you bang your head while you take clopidogrel, tell us at your next session.",
        "If you are on ticagrelor and hit your head, mention it next time.",
        "If you take an antiplatelet and knock your head, see how you feel tomorrow.",
    ],
)
def test_a_knock_to_the_head_naming_an_antiplatelet_is_an_emergency_on_any_sheet(tmp_path, text):
    # Fails without H1545: the item's patterns named anticoagulants only.
    [found] = _advice(tmp_path, [_BACK], text)
    assert "a knock or blow to your head" in found.message
    assert "needs 'emergency'" in found.message


def test_a_knock_to_the_head_on_clopidogrel_sent_to_a_and_e_passes(tmp_path):
    text = "If you bang your head while you take clopidogrel, go to A&E straight away."
    assert _advice(tmp_path, [_BACK], text) == []


def test_aspirin_alone_is_not_the_family(tmp_path):
    # NG232 excepts aspirin taken alone: its own code (Z79.82) brings no knock to the head.
    flags, titles = starting_red_flags([_BACK, _ASPIRIN])
    assert not any("blood thinners" in title for title in titles)
    assert not any(f.get("covers") == ["head-injury-anticoagulant"] for f in flags)
    text = "If you knock your head, tell us at your next session."
    assert _advice(tmp_path, [_BACK, _ASPIRIN], text) == []


# -- "If you do" after a knock to the head told not to happen (H1546) ---------------------------

_ANTICOAGULANT = coding(ICD, "Z79.01", "Long term (current) use of anticoagulants")


@pytest.mark.parametrize(
    "text",
    [
        "Take care not to knock your head. If you do, tell us next time.",
        "Try not to bump your head on the shelf; if you do, mention it at your next visit.",
        "Mind you don't hit your head. If you do, rest and see how you feel.",
        "Avoid banging your head on the cupboard. If this happens, tell us next time.",
        "Take care not to knock your head. But if you do so, tell your GP this week.",
    ],
)
def test_if_you_do_after_a_knock_told_not_to_happen_is_the_knock(tmp_path, text):
    # Fails without H1546: valid, the knock read as negated and "if you do" not read.
    [found] = _advice(tmp_path, [_BACK, _ANTICOAGULANT], text)
    assert "a knock or blow to your head" in found.message
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Take care not to knock your head. If you do, go to A&E straight away.",
        "Take care not to knock your head. If you do, call 999 or go to the emergency "
        "department, even if you feel fine.",
        # Not a reference back: "do" before a verb, or a sentence of its own.
        "Take care not to knock your head on the shelf. If you do feel dizzy, sit down.",
        "Take care not to knock your head. Rest if you do too much.",
        "Take care not to knock your head. If you do not feel steady, hold the chair.",
        "Do not lift your head. If you do, the stretch is lost.",
    ],
)
def test_if_you_do_stays_quiet_when_routed_or_not_the_knock(tmp_path, text):
    assert _advice(tmp_path, [_BACK, _ANTICOAGULANT], text) == []


def test_if_you_do_after_a_knock_is_read_only_on_a_blood_thinner_s_sheet(tmp_path):
    text = "Take care not to knock your head. If you do, tell us next time."
    assert _advice(tmp_path, [_BACK], text) == []
