"""Cases of the twenty-first sitting's clinical review (docs/safety/clinical-review.md, hazards
H890 to H893): a suspected broken bone after a new fall or injury, a red flag's message naming
another family's body part, "work through it" in the pain guide's amber and red bands, and a
clinician's rule for moving on that goes through pain. Each class has cases a rule must catch
and sound texts it must not."""

import pytest
from lint_helpers import ICD, advice, coding, lint, only

from protocol_kit.redflags import red_flag_sets

_KNEE = coding(ICD, "M25.561", "Pain in right knee")


def _on_a_knee_sheet(text):
    def change(data):
        data["indications"] = [_KNEE]
        data["safety"]["general_advice"] = [text]

    return change


# -- H890: a suspected broken bone after a new fall or injury --------------------------------


# The twenty-eighth sitting (H1133) sends a suspected broken bone to the emergency department
# (the NHS's broken ankle and broken leg pages, nidirect), no longer to a doctor the same day.
@pytest.mark.parametrize(
    ("text", "needs", "names"),
    [
        (
            "You cannot put weight on your ankle or take four steps: call the clinic.",
            "emergency",
            "signs of a broken bone",
        ),
        (
            "After a fall you cannot use your arm: tell your physio next week.",
            "emergency",
            "signs of a broken bone",
        ),
        (
            "If you think you have broken a bone, ring the clinic.",
            "emergency",
            "signs of a broken bone",
        ),
        (
            "Your wrist looks out of shape after a fall: call the clinic.",
            "emergency",
            "a bone showing through the skin",
        ),
        (
            "A bone showing through the skin after an injury: ring your therapist.",
            "emergency",
            "a bone showing through the skin",
        ),
        # The leg that cannot take weight after a fall stays the emergency it was (a broken
        # hip or leg), named as such on a knee sheet, not as "your new hip".
        (
            "If you cannot put weight on your leg after a fall, call the clinic.",
            "emergency",
            "signs that your hip or leg is broken",
        ),
    ],
)
def test_a_suspected_broken_bone_goes_where_the_nhs_sends_it(tmp_path, text, needs, names):
    findings = only(lint(tmp_path, _on_a_knee_sheet(text)), "SAFE006")
    assert len(findings) == 1
    assert f"which needs '{needs}'" in findings[0].message
    assert names in findings[0].message
    assert "your new hip" not in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "If you think you have broken a bone, go to an urgent treatment centre or A&E today.",
        # A minor injuries unit is for a toe or a finger (nidirect): since H1133 an ankle that
        # takes no weight goes to A&E (test_clinical_twenty_eighth_sitting.py).
        "After a fall, if you cannot put weight on your ankle, go to A&E today.",
        "A bone showing through the skin, or a leg at an odd angle after a fall: call 999.",
        # Near misses: sound advice that names none of the signs.
        "Bend your knee to a comfortable angle and hold for 5 seconds.",
        "You may hear a click or a crack in your knee when you bend it: this is normal.",
        "If you cannot put weight on your leg yet, use your crutches as shown.",
        "Avoid sitting in an awkward position for a long time.",
        "Swelling and bruising around your ankle are normal for a few weeks after a sprain.",
    ],
)
def test_sound_texts_about_bones_and_weight_pass(tmp_path, text):
    assert only(lint(tmp_path, _on_a_knee_sheet(text)), "SAFE006") == []


# -- H891: a red flag's message names another family's body part -----------------------------


def test_a_fever_on_a_knee_sheet_is_not_named_back_or_neck_pain(tmp_path):
    findings = only(lint(tmp_path, _on_a_knee_sheet("A fever: call the clinic.")), "SAFE006")
    assert len(findings) == 1 and "which needs 'urgent'" in findings[0].message
    assert "back or neck" not in findings[0].message
    assert "a fever" in findings[0].message


def test_no_item_is_named_in_words_true_of_one_family_alone():
    # Every item is routed wherever a text names it (SAFE006), so its summary, the words its
    # messages use, is read on any sheet: "back or neck pain" or "your new hip" on a knee's
    # sheet tells the therapist the lint read the wrong thing.
    sets = red_flag_sets()
    one_family = ("back or neck", "your new ", "your back", "your neck")
    assert [
        item.id for item in sets.items.values() if any(w in item.summary for w in one_family)
    ] == []


# -- H892: "work through it" in the pain guide's amber and red bands -------------------------


@pytest.mark.parametrize(
    ("band", "text"),
    [
        ("amber", "Moderate pain: do more repetitions to work through it."),
        ("amber", "Moderate pain is part of getting better: keep going through it."),
        ("red", "Strong pain: slow down and push through it."),
    ],
)
def test_a_band_that_works_through_its_pain_is_refused(tmp_path, band, text):
    findings = only(
        lint(tmp_path, lambda d: d["safety"]["pain_guide"].update({band: text})), "SAFE013"
    )
    assert [f.pointer for f in findings] == [f"/safety/pain_guide/{band}"]
    assert "through it" in findings[0].message


@pytest.mark.parametrize(
    ("band", "text"),
    [
        ("green", "Mild discomfort that settles soon after: it is fine to work through it."),
        ("amber", "Moderate pain: do not try to work through it; do fewer repetitions."),
        ("amber", "Moderate pain: move less far, and rest if it does not settle."),
    ],
)
def test_bands_that_hold_back_pass(tmp_path, band, text):
    change = lambda d: d["safety"]["pain_guide"].update({band: text})  # noqa: E731
    assert only(lint(tmp_path, change), "SAFE013") == []


def test_working_through_stiffness_in_advice_passes(tmp_path):
    # Outside the bands "it" is not the pain: mild stiffness may be worked through.
    findings = lint(tmp_path, advice("It is fine to work through mild stiffness."))
    assert only(findings, "SAFE013") == []


# -- H893: the clinician's rules for starting and moving on ----------------------------------


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("progression_rule", "Double the weight every session, even if it hurts."),
        ("starting_level", "Start with 3 sets and push through the pain in the first week."),
    ],
)
def test_a_clinician_rule_that_goes_through_pain_is_refused(tmp_path, field, text):
    findings = only(lint(tmp_path, lambda d: d["delivery"].update({field: text})), "SAFE013")
    assert [f.pointer for f in findings] == [f"/delivery/{field}"]
    assert "through pain" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Progress one step when every set is done without pain, even if it takes weeks.",
        "Do not progress through pain: hold the level until it settles.",
    ],
)
def test_a_rule_that_holds_back_for_pain_passes(tmp_path, text):
    change = lambda d: d["delivery"].update(progression_rule=text)  # noqa: E731
    assert only(lint(tmp_path, change), "SAFE013") == []
