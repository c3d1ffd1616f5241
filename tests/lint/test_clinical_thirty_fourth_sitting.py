"""Cases of the thirty-fourth sitting's clinical review (docs/safety/clinical-review.md,
hazards H1600-H1604): a red flag's words misspelt as a therapist or a patient types them
("nock your head", "hed", "knock you head", "urin", "controll", "chestpain") are read as
meant, from a vocabulary in data (H1600); on a blood thinner's sheet, a suspected concussion
is the knock to the head (H1601), dipyridamole is an antiplatelet medicine beside a knock on
any sheet (H1602), advice not to get knocked on the head is no knock (H1603), and "if you do"
after such advice, or after "or", is the knock (H1604). From the hidden cases: on a falls
sheet, "many people lose confidence after a fall" and the way to get up "after a fall" name no
new pain (H1605). Safe words stay quiet."""

from __future__ import annotations

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import ICD, coding, family_sheet, lint, only

from protocol_kit.package_data import read_json
from protocol_kit.redflags import red_flag_sets
from protocol_kit.redflags.spelling import as_meant, as_meant_with_places

_ANTICOAGULANT = coding(ICD, "Z79.01", "Long term (current) use of anticoagulants")
_ANTIPLATELET = coding(ICD, "Z79.02", "Long term (current) use of antithrombotics/antiplatelets")
_KNEE = coding(ICD, "M17.11", "Unilateral primary osteoarthritis, right knee")
_FALLS = coding(ICD, "R29.6", "Repeated falls")


def _advice(tmp_path, conditions, text):
    tmp_path.mkdir(exist_ok=True)
    return only(lint(tmp_path, family_sheet(conditions, advice=[text])), "SAFE006")


def _named(text):
    return red_flag_sets().named_in(text, "en-GB")


# -- Misspellings read as meant (H1600) ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you nock your head, even slightly, tell us at your next session.",
        "If you knock you head, even slightly, tell us at your next session.",
        "If you knock your hed, even slightly, tell us at your next session.",
        "If you fall and hit you head, tell the nurse at your next check.",
        "If you NOCK YOU HED, tell us next time.",
    ],
)
def test_a_knock_to_the_head_misspelt_on_a_blood_thinner_s_sheet_is_still_read(tmp_path, text):
    # Fails without H1600: valid (the fourth, the trauma item's 'urgent'), the knock unread.
    [found] = _advice(tmp_path, [_KNEE, _ANTICOAGULANT], text)
    assert "a knock or blow to your head" in found.message
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("If you have trouble passing urin, wait until your next appointment.",
         "ces-urinary-retention"),
        ("If you cannot controll your bladder, tell us next time.", "ces-incontinence"),
        ("If you get chestpain, tell us next time.", "chest-pain"),
        ("If you bang you head while taking warfarin, tell us next time.",
         "head-injury-anticoagulant"),
    ],
)  # fmt: skip
def test_other_red_flag_words_misspelt_are_read_as_meant(text, item):
    # Fails without H1600 (all but the last, which the item's patterns read already: they
    # allow words between the knock and the head): the item not named.
    assert item in _named(text)


@pytest.mark.parametrize(
    "text",
    [
        "If a car hits you head-on, tell us.",
        "Do you head out for a walk each day? Keep your head still in the stretch.",
        "Nock the arrow, then keep your head still as you draw the bow.",
        "Keep your breathing controlled and steady.",
        "Breathe out as you lift; Brest and Hedon are only places.",
    ],
)
def test_safe_words_near_the_misspellings_stay_quiet(tmp_path, text):
    assert _advice(tmp_path, [_KNEE, _ANTICOAGULANT], text) == []


def test_a_misspelt_red_flag_in_the_box_covers_its_item(tmp_path):
    # The red flag as the patient reads it counts for SAFE005 and SAFE006: no crying wolf
    # about a red flag that is there, and no "covers" finding.
    flag = {"text": "A nock to the hed while on a blood thinner.", "action": "emergency",
            "covers": ["head-injury-anticoagulant"]}  # fmt: skip
    # A blood thinner's sheet alone: a knee sheet has red flags of its own since H1640.
    found = lint(tmp_path, family_sheet([_ANTICOAGULANT], flags=[flag]))
    assert [f for f in found if f.code.startswith("SAFE")] == []


def test_the_places_of_a_sign_are_those_of_the_text_as_written():
    text = "If you nock you hed, call 999."
    read, places = as_meant_with_places(text, "en")
    assert read == "If you knock your head, call 999."
    assert len(places) == len(read) + 1
    [(start, end, label)] = red_flag_sets().signs_in(text, "en")
    assert label == "head-injury-anticoagulant/a knock to the head"
    assert text[start:end] == "nock you hed"


def test_a_text_without_misspellings_is_read_as_written():
    text = "Keep your head still."
    assert as_meant(text, "en") is text
    assert as_meant_with_places(text, "en") == (text, None)
    assert as_meant("Nock your hed", "de-DE") == "Nock your hed"  # English words only


def test_every_misspelling_has_a_reason_and_a_known_source():
    data = read_json("protocol_kit.redflags", "misspellings.json")
    for entry in data["en"]:
        assert entry["why"].strip()
        assert entry["sources"] and set(entry["sources"]) <= set(data["sources"])
        if isinstance(entry["meant"], dict):  # every form of the word has its meaning
            assert set(entry["meant"]) == set(entry["written"].split("|"))


# -- A suspected concussion on a blood thinner's sheet (H1601) --------------------------------


@pytest.mark.parametrize("medicine", [_ANTICOAGULANT, _ANTIPLATELET])
@pytest.mark.parametrize(
    "text",
    [
        "If you think you have concussion, see your GP.",
        "If you think you might have concussion, see your GP.",
        "If you have signs of concussion, tell us next time.",
        "If you feel concussed, rest and see how you feel tomorrow.",
    ],
)
def test_a_suspected_concussion_on_a_blood_thinner_s_sheet_is_the_emergency(
    tmp_path, medicine, text
):
    # Fails without H1601: valid.
    [found] = _advice(tmp_path, [_BACK, medicine], text)
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "After your concussion, build up your walking slowly.",
        "There are no signs of concussion, so you can carry on with your exercises.",
        "If you do not think you have concussion, carry on.",
        "If you think you have concussion, go to A&E straight away.",
    ],
)
def test_a_concussion_treated_ruled_out_or_sent_to_a_and_e_is_quiet(tmp_path, text):
    assert _advice(tmp_path, [_BACK, _ANTICOAGULANT], text) == []


def test_a_concussion_on_a_sheet_without_a_blood_thinner_is_not_the_item(tmp_path):
    assert _advice(tmp_path, [_BACK], "If you think you have concussion, see your GP.") == []


# -- Dipyridamole (H1602) -----------------------------------------------------------------------


def test_dipyridamole_beside_a_knock_to_the_head_is_the_item_on_any_sheet(tmp_path):
    # Fails without H1602: valid on a back sheet without a blood thinner's code.
    text = "If you take dipyridamole and knock your head, tell us next time."
    [found] = _advice(tmp_path, [_BACK], text)
    assert "needs 'emergency'" in found.message


# -- Advice not to be knocked on the head (H1603), and "if you do" after it (H1604) -----------


@pytest.mark.parametrize(
    "text",
    [
        "Do not get knocked on the head.",
        "Try not to get knocked on the head by the cupboard door.",
        "Be careful not to get hit on the head by the cupboard door.",
        "Take care you don't get knocked on the head.",
        "Make sure you do not get your head bumped on the shelf.",
    ],
)
def test_advice_not_to_get_knocked_on_the_head_is_no_knock(tmp_path, text):
    # Fails without H1603: SAFE006 (crying wolf), the advice read as a knock that happened.
    assert _advice(tmp_path, [_BACK, _ANTICOAGULANT], text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Avoid getting knocked on the head; if you do, tell us next time.",
        "Avoid getting your head knocked; if you do, tell us next time.",
        "If you fall and do not hit your head, carry on as normal, or if you do, mention it at "
        "your next visit.",
    ],
)
def test_if_you_do_after_advice_not_to_be_knocked_or_after_or_is_the_knock(tmp_path, text):
    # Fails without H1604: valid (the last: the trauma item's 'urgent').
    [found] = _advice(tmp_path, [_BACK, _ANTICOAGULANT], text)
    assert "a knock or blow to your head" in found.message
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Avoid getting knocked on the head. If you do, call 999 or go to A&E.",
        "Do not lift your head. If you do, the stretch is lost.",
        "Try not to get knocked on the head, and if you do feel dizzy, sit down.",
    ],
)
def test_if_you_do_sent_to_a_and_e_or_pointing_elsewhere_is_quiet(tmp_path, text):
    assert _advice(tmp_path, [_BACK, _ANTICOAGULANT], text) == []


def test_a_misspelling_typed_with_a_letter_case_folding_reads_as_another_is_read_too():
    # The search ignores case, which in Unicode matches the long s for "s" and the dotless i
    # for "i": the form's meaning is found as the search found it (a KeyError otherwise).
    assert as_meant("If you get che\u017ftpa\u0131n", "en") == "If you get chest pain"


# -- "After a fall" in a falls sheet's education (H1605) ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Many people lose confidence after a fall; this programme helps you build it back.",
        "It is common to be afraid of falling again after a fall: the balance exercises help.",
        "After a fall, get up slowly: roll onto your side, crawl to a chair and rest before "
        "you stand.",
        "After a fall, if you are hurt or cannot get up, call 999; if not, roll onto your side "
        "and crawl to a chair.",
    ],
)
def test_confidence_or_the_way_to_get_up_after_a_fall_names_no_new_pain(tmp_path, text):
    # Fails without H1605 (all but the last, which sends the hurt patient to 999): SAFE006,
    # the trauma item's 'urgent' (crying wolf on a falls sheet).
    assert _advice(tmp_path, [_KNEE, _FALLS], text) == []


@pytest.mark.parametrize(
    "text",
    [
        "New back pain after a fall: mention it next time.",
        "Worried about new pain after a fall? Tell us next time.",
        "After a fall, keep going with your programme as usual.",
        "Many people lose confidence after a fall, and some have new pain: tell us next time.",
        "After a fall, get up slowly: if it hurts, tell us next time.",
    ],
)
def test_a_new_pain_or_carrying_on_after_a_fall_is_still_the_trauma_item(tmp_path, text):
    [found] = _advice(tmp_path, [_BACK], text)
    assert "new or worse pain after a new fall" in found.message
    assert "needs 'urgent'" in found.message
