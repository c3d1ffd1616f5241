"""Cases of the thirty-third sitting's third clinical round (docs/safety/clinical-review.md,
hazards H1555-H1556): on a sheet coded for a blood thinner (Z79.01) or an antiplatelet
medicine (Z79.02), a knock to the head said in the passive ("if your head gets knocked"),
"hit on the head", "strike your head", a part of the head ("the back of your head") or the
head as the subject ("your head hit the cupboard") is the knock by itself (H1555); and "if
you do" after a knock told not to happen is read after a comma, a colon or a dash as after a
full stop (H1556). Safe sentences stay quiet."""

from __future__ import annotations

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import ICD, coding, exercise, family_sheet, lint, only

_ANTICOAGULANT = coding(ICD, "Z79.01", "Long term (current) use of anticoagulants")
_ANTIPLATELET = coding(ICD, "Z79.02", "Long term (current) use of antithrombotics/antiplatelets")
_NECK = coding(ICD, "M54.2", "Cervicalgia")


def _advice(tmp_path, conditions, text):
    tmp_path.mkdir(exist_ok=True)
    return only(lint(tmp_path, family_sheet(conditions, advice=[text])), "SAFE006")


@pytest.mark.parametrize("medicine", [_ANTIPLATELET, _ANTICOAGULANT])
@pytest.mark.parametrize(
    "text",
    [
        "If your head gets knocked or bumped, mention it at your next appointment.",
        "If your head is hit by a cupboard door, tell us next time.",
        "If you get knocked on the head, mention it next time.",
        "If you strike your head, rest and see how you feel.",
        "If you hit the back of your head, tell us next time.",
        "If you bump the side of your head on a door, tell us next time.",
        "If your head hit the cupboard, rest and see how you feel.",
        "If you fall and your head hits the floor, tell us next time.",
    ],
)
def test_a_knock_to_the_head_in_other_words_is_the_knock(tmp_path, medicine, text):
    # Fails without H1555: valid, the sign read only as "VERB your head" (the last: the
    # trauma item's 'urgent', not the emergency).
    [found] = _advice(tmp_path, [_BACK, medicine], text)
    assert "a knock or blow to your head" in found.message
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Take care not to knock your head, and if you do, tell us next time.",
        "Avoid knocking your head on the shelf: if you do, tell us next time.",
        "Try not to bump your head \u2013 if you do, tell us next time.",
        "Try not to bump the top of your head. If you do, see how you feel.",
    ],
)
def test_if_you_do_after_a_comma_colon_or_dash_is_the_knock(tmp_path, text):
    # Fails without H1556 (the first three) and H1555 (the last): valid.
    [found] = _advice(tmp_path, [_BACK, _ANTIPLATELET], text)
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Keep your head still while you lift your arms.",
        "Avoid knocking your head on the shelf when you stand up.",
        "Avoid knocking your head on the shelf. If you do knock your head, go to A&E straight "
        "away, even if you feel fine.",
        "Take care not to knock your head, and if you do, go to A&E straight away, even if you "
        "feel fine.",
        "Avoid being hit on the head by the cupboard door when you stand up.",
        "Make sure your head is not knocked by the shelf when you stand.",
        "Try not to bump your head on the shelf, and if you do feel dizzy, sit down.",
        "Do not lift your head, and if you do, start the stretch again.",
    ],
)
def test_safe_sentences_on_an_antiplatelet_s_sheet_stay_quiet(tmp_path, text):
    assert _advice(tmp_path, [_BACK, _ANTIPLATELET], text) == []


@pytest.mark.parametrize(
    "step",
    [
        "Lie on your back with the back of your head on a folded towel.",
        "Slowly turn your head to the left as far as is comfortable.",
        "Nod your head gently; stop if you feel dizzy.",
        "Let your head hang forward gently, and keep your head in line with your body.",
    ],
)
def test_a_head_exercise_stays_quiet(tmp_path, step):
    def change(data):
        data["indications"] = [_NECK, _ANTIPLATELET]
        body = exercise(data)
        body["name"], body["steps"] = "Head and neck", [step]

    assert only(lint(tmp_path, change), "SAFE006") == []


def test_the_new_forms_are_read_only_on_a_blood_thinner_s_sheet(tmp_path):
    text = "If your head gets knocked, tell us next time."
    assert _advice(tmp_path, [_BACK], text) == []
