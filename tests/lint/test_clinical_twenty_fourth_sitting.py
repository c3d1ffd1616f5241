"""Cases of the twenty-fourth sitting's clinical review (docs/safety/clinical-review.md, hazards
H972-H979): a `maternity` red flag on a sheet not coded for pregnancy, the words that put a
pregnancy's maternity sign off ("call your midwife if it happens again"), the signs of
pre-eclampsia, and the weeks of the tightenings item in words a patient reads."""

import pytest
from lint_helpers import lint, only
from lint_helpers import pregnant as as_pregnant

_PREGNANT = ("Z33.1", "Pregnant state, incidental")
_SPOTTING = "Any bleeding or spotting from your vagina, even if it is light."


def _with(*, flags=(), advice=(), pregnant=True):
    def change(data):
        if pregnant:
            as_pregnant(data, *_PREGNANT)
        data["safety"]["red_flags"] += list(flags)
        data["safety"]["general_advice"] += list(advice)

    return change


# -- A `maternity` red flag on a sheet not coded for pregnancy (H972) ------------------------


def test_a_maternity_red_flag_on_a_sheet_not_coded_for_pregnancy_is_an_error(tmp_path):
    # Either harm is real: a patient who is not pregnant told to call a midwife, or a pregnant
    # patient whose sheet is never checked for the pregnancy's 999 signs.
    flags = [{"text": _SPOTTING, "action": "maternity"}]
    [found] = [
        f
        for f in only(lint(tmp_path, _with(flags=flags, pregnant=False)), "SAFE005")
        if f.pointer.endswith("/action")
    ]
    assert found.severity.value == "error"
    assert "has action 'maternity'" in found.message and "Z33.1" in found.message
    assert "a patient who is not pregnant would be told to call a midwife" in found.message


def test_a_maternity_red_flag_on_a_sheet_coded_for_pregnancy_is_not_reported(tmp_path):
    flags = [{"text": _SPOTTING, "action": "maternity"}]
    findings = only(lint(tmp_path, _with(flags=flags)), "SAFE005")
    assert not [f for f in findings if f.pointer.endswith("/action")]
    # ... and the pregnancy's other red flags are now asked for.
    assert any("'pregnancy-emergency'" in f.message for f in findings)


# -- Words that put a maternity sign off (H973) ---------------------------------------------


def _routing(tmp_path, **parts):
    return only(lint(tmp_path, _with(**parts)), "SAFE006")


@pytest.mark.parametrize(
    "text",
    [
        "Spotting from your vagina: call your midwife if it happens again.",
        "If it happens again, ring your midwife about any bleeding from your vagina.",
        "Fluid leaking from your vagina: call the maternity unit if it carries on.",
        "Regular tightenings before 37 weeks: tell your midwife when you next see her.",
        "Any bleeding from your vagina: mention it at your next antenatal appointment.",
        "Your baby moving less than usual: lie down and wait to see if the baby moves.",
        "Your baby moving less than usual: have a cold drink and see if your baby kicks.",
        "Your baby moving less than usual: count the kicks for two hours.",
        "Your baby moving less than usual: check the heartbeat with a home doppler.",
        "Your baby moving less than usual: call your midwife in the morning.",
        "A severe headache or flashing lights while pregnant: call your midwife if it persists.",
    ],
)
def test_words_that_put_a_maternity_sign_off_are_found(tmp_path, text):
    [found] = _routing(tmp_path, flags=[{"text": text, "action": "maternity"}])
    assert "needs 'maternity'" in found.message or "wait" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Any bleeding or spotting from your vagina, even if it is light: call your midwife "
        "straight away, day or night.",
        "Your baby moving less than usual: call your maternity unit; do not wait until the "
        "next day.",
        "Your baby moving less than usual: do not wait to see if the baby moves.",
        "Your baby moving less than usual: do not use a home doppler, call your midwife.",
        "If you are worried about your baby moving less than usual, call your midwife.",
        "Spotting from your vagina: call your midwife, or call 999 if the bleeding gets heavier.",
        "Regular tightenings before 37 weeks: call your maternity unit even if it stops.",
    ],
)
def test_the_right_words_for_a_maternity_sign_are_not_found(tmp_path, text):
    assert _routing(tmp_path, flags=[{"text": text, "action": "maternity"}]) == []


def test_advice_that_puts_a_maternity_sign_off_is_found(tmp_path):
    # Outside the stop box too: the sheet's advice says where to go, and when.
    text = "If your baby moves less than usual, call your midwife if it happens again."
    [found] = _routing(tmp_path, advice=[text])
    assert "plays it down" in found.message


# -- Pre-eclampsia (H974, H975) ---------------------------------------------------------------

_PRE_ECLAMPSIA = (
    "A severe headache, problems with your vision such as blurring or flashing lights, pain "
    "just below your ribs, or sudden swelling of your face, hands or feet, while you are "
    "pregnant."
)


def test_a_pregnant_patients_sheet_must_carry_the_signs_of_pre_eclampsia(tmp_path):
    [found] = [
        f for f in only(lint(tmp_path, _with()), "SAFE005") if "'pre-eclampsia'" in f.message
    ]
    assert "add one with action 'maternity'" in found.message
    flags = [{"text": _PRE_ECLAMPSIA, "action": "maternity"}]
    findings = lint(tmp_path, _with(flags=flags))
    assert not [f for f in only(findings, "SAFE005") if "'pre-eclampsia'" in f.message]
    assert only(findings, "SAFE006") == only(findings, "SAFE007") == []
    assert only(findings, "SAFE008") == []


def test_pre_eclampsia_in_the_urgent_box_is_a_detour(tmp_path):
    # The NHS says immediately; the urgent box says "the same day".
    [found] = _routing(tmp_path, flags=[{"text": _PRE_ECLAMPSIA, "action": "urgent"}])
    assert "set the action to 'maternity'" in found.message


def test_a_red_flag_for_pre_eclampsia_names_each_of_its_signs(tmp_path):
    flags = [{"text": "A severe headache while you are pregnant.", "action": "maternity"}]
    [found] = only(lint(tmp_path, _with(flags=flags)), "SAFE007")
    assert "swelling" in found.message and "ribs" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Some swelling of your feet and ankles is common in pregnancy, above all in the evening.",
        "Headaches are common in early pregnancy: drink plenty of water.",
        "Your vision may blur for a moment if you stand up quickly.",
        "Bend your knees so the weight of your bump is not on your ribs.",
    ],
)
def test_everyday_words_of_a_pregnancy_sheet_are_not_pre_eclampsia(tmp_path, text):
    assert _routing(tmp_path, advice=[text]) == []


def test_the_tightenings_item_says_its_weeks_as_a_patient_counts_them():
    # Exact (before 37 weeks), not "more than 3 weeks before your due date" (H977).
    from protocol_kit.redflags import red_flag_sets

    summary = red_flag_sets().items["pregnancy-tightenings"].summary
    assert summary.endswith("before you are 37 weeks pregnant")
