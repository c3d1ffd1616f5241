"""Cases of the twenty-fifth sitting's clinical review (docs/safety/clinical-review.md, hazards
H1002-H1005): a pregnancy's own red flag on a sheet not coded for pregnancy, whatever its box;
the shoulder's red-flag family; night pain on a shoulder sheet."""

import pytest
from lint_helpers import ICD, coding, family_sheet, lint, only, red_flag_findings

_PREGNANT = ("Z33.1", "Pregnant state, incidental")
_PREGNANCY_999 = (
    "Heavy bleeding from your vagina or passing blood clots, or a sharp or constant pain in "
    "your tummy that does not come and go, while you are pregnant: call 999."
)


def _flags(*flags, conditions=()):
    def change(data):
        data["indications"] += [coding(ICD, *c) for c in conditions]
        data["safety"]["red_flags"] += list(flags)

    return change


def _uncoded(findings):
    return [f for f in only(findings, "SAFE005") if f.pointer.endswith("/action")]


# -- A pregnancy's own sign on a sheet not coded for pregnancy (H1002) -----------------------


@pytest.mark.parametrize(
    ("flag", "item"),
    [
        ({"text": _PREGNANCY_999, "action": "emergency"}, "'pregnancy-emergency'"),
        (
            {"text": "Any bleeding from your vagina while pregnant.", "action": "emergency"},
            "'pregnancy-bleeding'",
        ),
        (
            {"text": "Signs you were told about.", "action": "urgent", "covers": ["pre-eclampsia"]},
            "'pre-eclampsia'",
        ),
    ],
)
def test_a_pregnancys_sign_in_any_box_of_a_sheet_not_coded_for_it_is_an_error(tmp_path, flag, item):
    # The same harm as a `maternity` action (H972): the pregnancy's other signs are never
    # asked for. One finding, at the red flag.
    [found] = _uncoded(lint(tmp_path, _flags(flag)))
    assert found.severity.value == "error"
    assert item in found.message and "Z33.1" in found.message
    assert "the red flag says the patient is pregnant" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Any bleeding from your vagina after the menopause: see your GP today.",
        "Heavy bleeding from your vagina in the weeks after the birth of your baby: call 999.",
    ],
)
def test_a_bleed_not_said_to_be_in_pregnancy_does_not_ask_for_the_pregnancy(tmp_path, text):
    # The pregnancy's words name these too; they are no sign that the patient is pregnant.
    assert _uncoded(lint(tmp_path, _flags({"text": text, "action": "emergency"}))) == []


def test_a_pregnancys_sign_on_a_pregnant_patients_sheet_is_not_reported(tmp_path):
    flag = {"text": _PREGNANCY_999, "action": "emergency"}
    findings = lint(tmp_path, _flags(flag, conditions=[_PREGNANT]))
    assert _uncoded(findings) == []
    assert any("'pregnancy-waters'" in f.message for f in only(findings, "SAFE005"))


def test_a_maternity_red_flag_naming_a_pregnancy_sign_is_reported_once(tmp_path):
    flag = {"text": "Any bleeding from your vagina while pregnant.", "action": "maternity"}
    [found] = _uncoded(lint(tmp_path, _flags(flag)))
    assert "has action 'maternity'" in found.message


# -- The shoulder (H1003, H1004) ---------------------------------------------------------------

_SHOULDER = ("M75.01", "Adhesive capsulitis of right shoulder")
_SHOULDER_ITEMS = (
    "shoulder-infection",
    "shoulder-dislocation",
    "arm-sudden-weakness",
    "acute-cuff-tear",
    "shoulder-lump",
    "shoulder-constant-pain",
    "fever-or-unwell",
    "weight-loss",
    "trauma",
)


def _shoulder_sheet(*, flags=None, advice=(), also=()):
    """The minimal protocol as a frozen shoulder's sheet: its red flags those `protokit new
    protocol --condition M75.01` starts with (or `flags`), after chest pain."""
    conditions = [coding(ICD, *_SHOULDER), *(coding(ICD, *c) for c in also)]
    return family_sheet(conditions, flags=flags, advice=advice)


def test_a_shoulder_sheet_must_carry_the_shoulders_red_flags(tmp_path):
    missing = only(lint(tmp_path, _shoulder_sheet(flags=[])), "SAFE005")
    for item_id in _SHOULDER_ITEMS:
        assert any(f"'{item_id}'" in f.message for f in missing), item_id
    assert not any("'ces-" in f.message for f in missing)  # not the back's


def test_the_shoulders_starting_red_flags_pass_every_red_flag_rule(tmp_path):
    from protocol_kit.starter.conditions import starting_red_flags

    started, titles = starting_red_flags([coding(ICD, *_SHOULDER)])
    assert [f["covers"] for f in started] == [[i] for i in _SHOULDER_ITEMS]
    assert any("shoulder" in title for title in titles)
    assert red_flag_findings(lint(tmp_path, _shoulder_sheet())) == []


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("Your shoulder looks out of shape after a fit or an electric shock.", "emergency"),
        ("A hot, red, swollen shoulder with a fever.", "emergency"),
        ("Your arm suddenly goes weak or numb.", "emergency"),
    ],
)
def test_a_shoulder_emergency_in_the_urgent_box_is_an_error(tmp_path, text, needs):
    flags = [{"text": text, "action": "urgent"}]
    findings = only(lint(tmp_path, _shoulder_sheet(flags=flags)), "SAFE006")
    assert any(f"set the action to '{needs}'" in f.message for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "After a fall, you cannot lift your arm up as you could before.",
        "Shoulder pain that never lets up, even at night.",
        "A new lump in your armpit.",
    ],
)
def test_a_shoulders_urgent_sign_among_the_stop_criteria_is_an_error(tmp_path, text):
    def change(data):
        _shoulder_sheet()(data)
        data["safety"]["stop_criteria"].append(text)

    [found] = only(lint(tmp_path, change), "SAFE006")
    assert "action 'urgent'" in found.message


def test_a_dislocation_named_without_the_fit_or_the_shock_is_reported(tmp_path):
    flags = [{"text": "If your shoulder comes out of joint, call 999.", "action": "emergency"}]
    [found] = only(lint(tmp_path, _shoulder_sheet(flags=flags)), "SAFE007")
    assert "after a fit or an electric shock" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Avoid positions that could dislocate your shoulder.",
        "If you cannot lift your arm above shoulder height, do the easier version.",
        "You have a rotator cuff tear; these exercises help it heal.",
        "Build up the muscles around your shoulder slowly.",
        # A shoulder sheet's education: a past dislocation, the feeling that it might slip, an
        # inflamed tendon, a repaired tear are not the signs.
        "After your shoulder dislocated last year, the muscles around it weakened.",
        "Your shoulder may feel like it will come out of joint in some positions.",
        "Your shoulder tendons are inflamed: the exercises calm them down.",
        "Your torn rotator cuff was repaired after your fall.",
    ],
)
def test_ordinary_shoulder_advice_names_no_red_flag(tmp_path, text):
    assert only(lint(tmp_path, _shoulder_sheet(advice=[text])), "SAFE006") == []


# -- Night pain on a shoulder sheet (H1005) ---------------------------------------------------

_NIGHT = "Shoulder pain at night is common with this problem: lie on your other side."


def test_night_pain_is_usual_advice_on_a_shoulder_sheet(tmp_path):
    assert only(lint(tmp_path, _shoulder_sheet(advice=[_NIGHT])), "SAFE006") == []


def test_night_pain_is_still_a_red_flag_on_a_sheet_also_coded_for_the_back(tmp_path):
    back = ("M54.50", "Low back pain, unspecified")
    [found] = only(lint(tmp_path, _shoulder_sheet(advice=[_NIGHT], also=[back])), "SAFE006")
    assert "needs 'urgent'" in found.message


def test_night_pain_not_eased_is_still_a_red_flag_on_a_shoulder_sheet(tmp_path):
    text = "Shoulder pain at night that is not eased by changing position is common."
    [found] = only(lint(tmp_path, _shoulder_sheet(advice=[text])), "SAFE006")
    assert "needs 'urgent'" in found.message


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda family: family["typical_signs"].update({"constant-night-pain": ["dark"]}), "dark"),
        (lambda family: family["typical_signs"].update({"no-such-item": ["night"]}), "unknown"),
    ],
)
def test_a_familys_usual_signs_must_be_its_items_signs(change, says):
    # A misspelt sign would make the rule read nothing as usual, silently.
    import copy

    from protocol_kit.package_data import read_json
    from protocol_kit.redflags import parse

    data = copy.deepcopy(read_json("protocol_kit.redflags", "red_flags.json"))
    change(next(f for f in data["families"] if f["id"] == "shoulder"))
    with pytest.raises(ValueError, match=says):
        parse(data)
