"""H1214: on a pregnancy sheet a sign of pre-eclampsia or the pregnancy's emergency names it
though the text says nothing of the pregnancy ("a bad headache with flashing lights, rest and
take paracetamol" passed on a sheet coded Z33.1: pre-eclampsia's patterns ask for "pregnant"
or "your baby" in the sentence, so that a migraine on a neck sheet is not the midwife's).
The family's `signs_alone` in the red-flag data; read by SAFE006 on that family's sheets only."""

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import ICD, advice_routing, coding, family_sheet, lint, only
from lint_helpers import PREGNANCY_CODING as _PREGNANCY

_NECK = coding(ICD, "M54.2", "Cervicalgia")


@pytest.mark.parametrize(
    ("text", "item", "needs"),
    [
        ("If you get a bad headache with flashing lights, rest and take paracetamol.",
         "pre-eclampsia", "maternity"),
        ("A headache that does not go away with paracetamol: mention it at your next session.",
         "pre-eclampsia", "maternity"),
        ("If your face or hands suddenly swell, tell your physiotherapist.",
         "pre-eclampsia", "maternity"),
        ("If you bleed heavily, rest with your feet up and ring the clinic tomorrow.",
         "a sharp or constant pain", "emergency"),
    ],
)  # fmt: skip
def test_a_pregnancy_s_sign_in_other_words_is_read_on_a_pregnancy_sheet(
    tmp_path, text, item, needs
):
    [found] = advice_routing(tmp_path, _PREGNANCY, text)
    assert item in found.message and f"needs '{needs}'" in found.message


def test_the_same_signs_sent_where_they_belong_are_valid(tmp_path):
    text = (
        "If you get a bad headache, blurred vision or flashing lights, or your face or hands "
        "suddenly swell, call your maternity unit straight away."
    )
    assert advice_routing(tmp_path, _PREGNANCY, text) == []


@pytest.mark.parametrize("condition", [_NECK, _BACK])
def test_a_headache_or_blurred_vision_is_no_midwife_s_sign_on_another_sheet(tmp_path, condition):
    # A migraine's flashing lights on a neck sheet are not pre-eclampsia (other items may read
    # them: that is not this test's business).
    text = "If you get a bad headache with flashing lights, rest and take paracetamol."
    assert not any("pre-eclampsia" in f.message for f in advice_routing(tmp_path, condition, text))


def test_a_moment_s_blur_on_standing_is_still_no_pre_eclampsia(tmp_path):
    # The vision sign is not read alone: its "blur" is also this (twenty-fourth sitting).
    text = "Your vision may blur for a moment if you stand up quickly."
    assert advice_routing(tmp_path, _PREGNANCY, text) == []


def test_a_pregnancy_sheet_as_protokit_new_starts_it_is_still_valid(tmp_path):
    findings = lint(tmp_path, family_sheet([_PREGNANCY, _BACK]))
    assert only(findings, "SAFE006") == []


def test_a_red_flag_for_a_bad_headache_in_the_urgent_box_is_sent_to_the_maternity_unit(tmp_path):
    # The same day is too late for pre-eclampsia: the maternity unit straight away.
    from protocol_kit.starter.conditions import starting_red_flags

    flag = {"text": "A bad headache that does not go away.", "action": "urgent"}
    started = starting_red_flags([_PREGNANCY])[0]
    findings = lint(tmp_path, family_sheet([_PREGNANCY], flags=[*started, flag]))
    assert any(
        "set the action to 'maternity'" in f.message and "bad headache" in f.message
        for f in only(findings, "SAFE006")
    )
