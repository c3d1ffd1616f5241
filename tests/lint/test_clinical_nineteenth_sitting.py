"""Cases of the nineteenth sitting's clinical review (docs/safety/clinical-review.md,
hazards H837 to H841): a leg clot told apart from the usual swelling after a replacement, a
clot in the lungs read as one in the leg, a dislocated or broken hip after a hip replacement,
one arm's weakness getting worse in a cervical radiculopathy, and a whiplash sheet's own
accident read as a new one. Each class has cases a rule must catch and safe texts it must
not."""

import pytest
from lint_helpers import ICD, advice, coding, lint, only, stop

from protocol_kit.starter.conditions import starting_red_flags

_KNEE = coding(ICD, "Z96.651", "Presence of right artificial knee joint")
_HIP = coding(ICD, "Z96.641", "Presence of right artificial hip joint")
_RADICULOPATHY = coding(ICD, "M54.12", "Radiculopathy, cervical region")
_NECK = coding(ICD, "M54.2", "Cervicalgia")
_WHIPLASH = coding(ICD, "S13.4XXA", "Sprain of ligaments of cervical spine, initial encounter")


def _treating(condition, *, without=(), keep_covers=True, flags=()):
    """The minimal protocol for `condition` with the starting red flags `protokit new
    protocol --condition` writes, less the items `without`, and then `flags`."""

    def change(data):
        data["indications"] = [dict(condition)]
        starting, _ = starting_red_flags([condition])
        kept = [f for f in starting if f["covers"][0] not in without]
        if not keep_covers:
            for flag in kept:
                del flag["covers"]
        data["safety"]["red_flags"] = data["safety"]["red_flags"][:1] + kept
        data["safety"]["red_flags"] += [dict(flag) for flag in flags]

    return change


def _starting(condition):
    flags, _ = starting_red_flags([condition])
    return {flag["covers"][0]: flag for flag in flags}


def _missing(findings):
    return " ".join(f.message for f in only(findings, "SAFE005"))


def _safety(findings):
    return [f for f in findings if f.code in ("SAFE005", "SAFE006", "SAFE007", "SAFE008")]


def _both(*changes):
    def change(data):
        for each in changes:
            each(data)

    return change


# -- The starting red flags of each new set pass, and go where the sources say ---------------


@pytest.mark.parametrize(
    ("condition", "item", "action"),
    [
        (_KNEE, "dvt", "urgent"),  # NHS DVT page: an urgent GP appointment or 111
        (_HIP, "hip-dislocation", "emergency"),  # NHS hip fracture page: 999
        (_RADICULOPATHY, "arm-weakness-worsening", "urgent"),  # CKS: an urgent referral
        (_WHIPLASH, "trauma", "urgent"),
    ],
)
def test_the_starting_red_flags_pass_and_go_where_the_sources_say(
    tmp_path, condition, item, action
):
    assert _starting(condition)[item]["action"] == action
    assert _safety(lint(tmp_path, _treating(condition))) == []


@pytest.mark.parametrize(
    ("condition", "item", "says"),
    [
        (_KNEE, "dvt", "throbbing or cramping pain"),
        (_KNEE, "dvt", "new or getting worse"),
        (_HIP, "hip-dislocation", "come out of its socket"),
        (_RADICULOPATHY, "arm-weakness-worsening", "Weakness in an arm or hand that is getting"),
        (_WHIPLASH, "trauma", "a new fall, knock or accident"),
    ],
)
def test_a_starting_red_flag_says_what_the_patient_can_tell(condition, item, says):
    assert says in _starting(condition)[item]["text"]


@pytest.mark.parametrize(
    ("condition", "item", "says"),
    [
        (_HIP, "hip-dislocation", "come out of its socket"),
        (_RADICULOPATHY, "arm-weakness-worsening", "weakness in an arm or hand that is getting"),
    ],
)
def test_a_sheet_without_its_new_red_flag_is_refused(tmp_path, condition, item, says):
    assert says in _missing(lint(tmp_path, _treating(condition, without=(item,))))


@pytest.mark.parametrize(
    ("condition", "not_said"),
    [(_KNEE, "socket"), (_NECK, "arm or hand")],  # a knee's, a neck without a nerve sign
)
def test_a_sheet_the_new_sets_are_not_for_does_not_need_them(tmp_path, condition, not_said):
    assert not_said not in _missing(lint(tmp_path, _treating(condition)))


# -- H839 to H841: a sign the stop box sends to the physiotherapist --------------------------


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("If your hip has popped out or your leg looks shorter: ring the clinic.", "emergency"),
        ("If you think your hip has dislocated, stop and tell your physio.", "emergency"),
        ("After a fall you cannot stand or put weight on your leg.", "emergency"),
        ("Your leg suddenly looks turned out.", "emergency"),
        ("Your grip is getting weaker: stop and call the clinic.", "urgent"),
        ("Arm weakness that is getting worse: tell your physio.", "urgent"),
        ("Weakness in your hand that is getting worse.", "urgent"),
        ("Increasing weakness in your arm.", "urgent"),
        ("New neck pain after another fall or accident: tell your physio.", "urgent"),
        ("New or worse neck pain after a new knock to your head or neck.", "urgent"),
        ("New pain since your fall last week: ring the clinic.", "urgent"),
    ],
)
def test_a_sign_sent_to_the_physio_is_refused(tmp_path, text, needs):
    findings = only(lint(tmp_path, stop(text)), "SAFE006")
    assert len(findings) == 1 and f"'{needs}'" in findings[0].message, text


@pytest.mark.parametrize(
    "change",
    [
        advice(
            "Avoid bending your hip past 90 degrees for 6 weeks to reduce the risk of dislocation."
        ),
        advice("To lower the chance of a dislocation, do not cross your legs for 6 weeks."),
        advice("Your operated leg may be slightly shorter or longer than the other one."),
        advice("You may not be able to put full weight on the leg at first: use your crutches."),
        advice("Your leg suddenly looks shorter or turned out: call 999 straight away."),
        stop("Your arm feels weak after the exercise."),  # not getting worse: the clinician's
    ],
)
def test_hip_precautions_and_the_right_place_are_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


def test_a_dislocation_red_flag_may_not_be_played_down(tmp_path):
    text = "Your leg suddenly looks shorter after a fall: call 999 if it does not settle."
    change = _treating(
        _HIP, without=("hip-dislocation",), flags=({"text": text, "action": "emergency"},)
    )
    findings = only(lint(tmp_path, change), "SAFE006")
    assert findings and "plays it down" in findings[0].message


# -- H837: a leg clot told apart from the swelling every patient has after the operation ------


def test_a_clot_red_flag_that_names_only_a_swollen_leg_is_reported(tmp_path):
    # After a knee replacement the leg is swollen for weeks: "a swollen leg" is true of every
    # patient, so the red flag must name what the NHS DVT page puts first (a throbbing or
    # cramping pain in the calf) and a change (new or getting worse).
    swollen = {"text": "A swollen leg: see a doctor today.", "action": "urgent"}
    findings = only(lint(tmp_path, _treating(_KNEE, without=("dvt",), flags=(swollen,))), "SAFE007")
    assert len(findings) == 1, findings
    assert "throbbing or cramping" in findings[0].message
    assert "new or getting worse" in findings[0].message


def test_swelling_of_the_leg_called_normal_must_say_what_is_not(tmp_path):
    normal = "Swelling of your knee and leg is normal for several weeks: raise your leg to rest."
    findings = only(lint(tmp_path, advice(normal)), "SAFE006")
    assert len(findings) == 1 and "'urgent'" in findings[0].message
    told = (
        "Some swelling of your knee and leg is normal for several weeks and eases when you "
        "raise your leg. Calf pain, or swelling that is new or getting worse: see a doctor "
        "today or call 111."
    )
    assert only(lint(tmp_path, advice(told)), "SAFE006") == []


# -- H838: a clot in the lungs read as the clot in the leg ------------------------------------


@pytest.mark.parametrize("keep_covers", [True, False])
def test_a_clot_in_the_lungs_does_not_stand_for_the_clot_in_the_leg(tmp_path, keep_covers):
    # "Signs of a blood clot in the lungs" was read as naming the DVT: a replacement's sheet
    # with no leg clot sign passed SAFE005.
    change = _treating(_KNEE, without=("dvt",), keep_covers=keep_covers)
    assert "deep vein thrombosis" in _missing(lint(tmp_path, change))


def test_a_clot_in_the_leg_is_still_read_in_other_words(tmp_path):
    text = "If you think you have a blood clot in your leg, see a doctor today."
    change = _treating(_KNEE, without=("dvt",), flags=({"text": text, "action": "urgent"},))
    assert "deep vein thrombosis" not in _missing(lint(tmp_path, change))


# -- H841: a whiplash sheet's own accident is not a new one ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Neck pain after your accident usually settles over a few weeks: keep moving gently.",
        "Your neck may be stiff for some days after the accident.",
    ],
)
def test_the_accident_being_treated_is_not_read_as_a_new_one(tmp_path, text):
    assert only(lint(tmp_path, _both(_treating(_WHIPLASH), advice(text))), "SAFE006") == []
