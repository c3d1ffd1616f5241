"""Cases of the twentieth sitting's clinical review (docs/safety/clinical-review.md, hazards
H860 to H866): a week or a leaking wound read as the bladder, a pain guide that lets the
patient carry on with strong pain, a knock to the head while taking a blood thinner, pregnancy
coded as a condition of pregnancy, a patient at risk of falling balancing with nothing to
hold, a contraindication in words that names the condition treated, and carrying on while the
pain gets worse. Each class has cases a rule must
catch and safe texts it must not."""

import pytest
from lint_helpers import ICD, OSTEOPOROSIS, codes, coding, lint, only, treated

from protocol_kit.starter.conditions import starting_red_flags

_ANTICOAGULANTS = coding(ICD, "Z79.01", "Long term (current) use of anticoagulants")
_ON_THE_BACK = "Lie on your back with your knees bent, then lift your bottom."


def _safety(findings):
    return [f for f in findings if f.code in ("SAFE005", "SAFE006", "SAFE007", "SAFE008")]


def _added_stop(text):
    def change(data):
        data["safety"]["stop_criteria"].append(text)

    return change


# -- H860: "a week" is not a wee -------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "text"),
    [
        ("green", "Mild discomfort: stop the exercises and rest for a week."),
        ("stop", "If you feel no better after a week, contact your therapist."),
        ("stop", "Stop the exercises for a week if your knee swells, and call the clinic."),
        ("stop", "If you feel stiff for more than a week, tell your therapist."),
    ],
)
def test_a_week_is_not_read_as_the_bladder(tmp_path, place, text):
    # SAFE006 cannot be turned off: the therapist could only rewrite a sound text, told to
    # send it to 999 as a loss of bladder control.
    def change(data):
        if place == "green":
            data["safety"]["pain_guide"]["green"] = text
        else:
            data["safety"]["stop_criteria"].append(text)

    assert _safety(lint(tmp_path, change)) == []


@pytest.mark.parametrize(
    "text",
    [
        "You cannot stop or control your wee: stop and call your therapist.",
        "You cannot feel when you need to wee: tell your therapist.",
        "You cannot hold your urine: contact the clinic.",
    ],
)
def test_the_bladder_signs_are_still_read(tmp_path, text):
    findings = only(lint(tmp_path, _added_stop(text)), "SAFE006")
    assert len(findings) == 1 and "'emergency'" in findings[0].message


# -- H861: a pain guide that carries on above 5 out of 10 ------------------------------------


@pytest.mark.parametrize(("green_max", "amber_max"), [(3, 6), (4, 7), (6, 9), (8, 9)])
def test_a_guide_that_carries_on_with_strong_pain_is_refused(tmp_path, green_max, amber_max):
    def change(data):
        data["safety"]["pain_guide"].update(green_max=green_max, amber_max=amber_max)

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE004", "/safety/pain_guide/amber_max")]
    assert f"carry on with pain up to {amber_max} out of 10" in findings[0].message


def test_wide_bands_no_longer_let_a_strong_pain_target_pass(tmp_path):
    # SAFE014 judges a target against the protocol's own bands: with amber up to 7, "aim for 7
    # out of 10" passed every rule.
    def change(data):
        data["safety"]["pain_guide"].update(green_max=4, amber_max=7)
        data["exercises"][0]["steps"].append("Aim for a pain of 7 out of 10.")

    assert [f.code for f in lint(tmp_path, change)] == ["SAFE004"]


@pytest.mark.parametrize(("green_max", "amber_max"), [(3, 5), (2, 4), (1, 3), (0, 2), (4, 5)])
def test_guides_within_the_pain_monitoring_model_pass(tmp_path, green_max, amber_max):
    def change(data):
        data["safety"]["pain_guide"].update(green_max=green_max, amber_max=amber_max)

    assert lint(tmp_path, change) == []


# -- H862: a knock to the head while taking a blood thinner ----------------------------------


_KNOCK = (
    "You hit or knock your head while you take a blood thinner such as warfarin or apixaban, "
    "even if you feel fine."
)


def _anticoagulated(*flags):
    def change(data):
        data["indications"].append(dict(_ANTICOAGULANTS))
        data["safety"]["red_flags"] += [dict(flag) for flag in flags]

    return change


def test_a_sheet_for_a_patient_on_anticoagulants_must_name_a_knock_to_the_head(tmp_path):
    findings = _safety(lint(tmp_path, _anticoagulated()))
    assert [f.code for f in findings] == ["SAFE005"]
    assert "head-injury-anticoagulant" in findings[0].message


def test_the_knock_to_the_head_goes_to_the_emergency_department(tmp_path):
    good = {"text": _KNOCK, "action": "emergency"}
    assert _safety(lint(tmp_path, _anticoagulated(good))) == []
    findings = _safety(lint(tmp_path, _anticoagulated(dict(good, action="urgent"))))
    assert [f.code for f in findings] == ["SAFE006"]


def test_the_starting_red_flag_passes(tmp_path):
    flags, _ = starting_red_flags([_ANTICOAGULANTS])
    (knock,) = [f for f in flags if f["covers"] == ["head-injury-anticoagulant"]]
    assert knock["action"] == "emergency"
    assert _safety(lint(tmp_path, _anticoagulated(knock))) == []


@pytest.mark.parametrize(
    "text",
    [
        "If you hit your head in a fall while taking blood thinners, tell your therapist at "
        "your next appointment.",
        "Banged your head on a cupboard? If you are on warfarin, stop and ring the clinic.",
        "If you take apixaban and you have a bump to your head, call your physio.",
    ],
)
def test_a_knock_to_the_head_on_a_blood_thinner_is_routed_on_any_sheet(tmp_path, text):
    findings = only(lint(tmp_path, _added_stop(text)), "SAFE006")
    assert len(findings) == 1 and "'emergency'" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "If you bang your head while on warfarin, call 999 if you get a headache.",
        "Knocked your head while taking a blood thinner? Go to A&E if you start to feel sick "
        "or drowsy.",
    ],
)
def test_waiting_for_a_symptom_after_the_knock_plays_it_down(tmp_path, text):
    # QS74: the scan is for every head injury on an anticoagulant, with no other risk factor.
    findings = _safety(lint(tmp_path, _anticoagulated({"text": text, "action": "emergency"})))
    assert [f.code for f in findings] == ["SAFE006"]
    assert "plays it down" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "If you take blood thinners, use a soft ball and light pressure only.",
        "Keep your head in line with your back.",
        "Warfarin can make you bruise more easily: tell your therapist about new bruises.",
    ],
)
def test_blood_thinners_or_the_head_alone_are_not_the_sign(tmp_path, text):
    assert _safety(lint(tmp_path, _added_stop(text))) == []


# -- H863: pelvic girdle pain and back pain coded as conditions of pregnancy -----------------


@pytest.mark.parametrize(
    ("code", "display"),
    [
        ("O26.712", "Subluxation of symphysis (pubis) in pregnancy, second trimester"),
        ("O26.892", "Other specified pregnancy related conditions, second trimester"),
        ("O99.891", "Other specified diseases and conditions complicating pregnancy"),
    ],
)
def test_a_pregnancy_condition_needs_care_lying_on_the_back(tmp_path, code, display):
    # Pregnancy-related pelvic girdle or back pain is coded in chapter O, not Z33/Z34: every
    # patient is pregnant, and lying flat on the back passed with no word about it.
    findings = only(lint(tmp_path, treated(code, display, _ON_THE_BACK)), "SAFE012")
    assert [f.pointer for f in findings] == ["/exercises/0"]
    assert "pregnan" in findings[0].message


@pytest.mark.parametrize(
    ("code", "display"),
    [
        ("O26.72", "Subluxation of symphysis (pubis) in childbirth"),
        ("O26.73", "Subluxation of symphysis (pubis) in the puerperium"),
        ("O99.893", "Other specified diseases and conditions complicating puerperium"),
    ],
)
def test_after_the_birth_lying_on_the_back_needs_no_pregnancy_precaution(tmp_path, code, display):
    assert only(lint(tmp_path, treated(code, display, _ON_THE_BACK)), "SAFE012") == []


# -- H864: an older adult at risk of falling, balancing without a support --------------------

_FALLS = ("Z91.81", "History of falling")


@pytest.mark.parametrize(
    "text",
    [
        "Stand on one leg for as long as you can.",
        "Single-leg stand: lift your left foot off the floor.",
        "Walk heel to toe along the hallway.",
        "Stand with your feet together and close your eyes.",
        "Balance on your weaker leg while you brush your teeth.",
    ],
)
def test_a_balance_challenge_for_a_patient_at_risk_of_falling_needs_a_precaution(tmp_path, text):
    findings = only(lint(tmp_path, treated(*_FALLS, text)), "SAFE012")
    assert [f.pointer for f in findings] == ["/exercises/0"]


@pytest.mark.parametrize(
    "text",
    [
        "Stand on one leg, holding the kitchen worktop with both hands.",
        "Walk heel to toe with one hand on the wall.",
        "Stand up from a chair without using your hands.",
        "Stand with your feet hip-width apart.",
    ],
)
def test_a_supported_or_ordinary_stance_needs_no_precaution(tmp_path, text):
    assert only(lint(tmp_path, treated(*_FALLS, text)), "SAFE012") == []


def test_naming_the_risk_of_falling_in_a_precaution_is_enough(tmp_path):
    def change(data):
        treated(*_FALLS, "Stand on one leg for as long as you can.")(data)
        data["exercises"][0]["precautions"] = [
            {
                "description": "Poor balance or a history of falls.",
                "management": "Start with a support to hold; let go only when steady.",
                "patient_advice": "Stand next to a kitchen worktop and hold it if you wobble.",
            }
        ]

    assert only(lint(tmp_path, change), "SAFE012") == []


def test_a_normal_step_from_heel_to_toe_is_no_balance_challenge(tmp_path):
    text = "Walk normally, rolling your foot from heel to toe."
    assert only(lint(tmp_path, treated(*_FALLS, text)), "SAFE012") == []


# -- H860: a leaking wound or scar is not a leaking bladder ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Your scar is leaking fluid: tell your physio next time.",
        "Fluid leaking from your wound: stop and call the clinic.",
        "The dressing leaks; ring the clinic.",
    ],
)
def test_a_leaking_wound_goes_to_a_doctor_the_same_day_not_999(tmp_path, text):
    # It was read as "leaking urine" and sent to 999 (or, written without a wound word the
    # wound item knew, as nothing): the infected wound item's 'urgent' is where it goes.
    findings = only(lint(tmp_path, _added_stop(text)), "SAFE006")
    assert len(findings) == 1
    assert "infected wound" in findings[0].message and "'urgent'" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "New leaking: call your physio.",
        "Leaking when you cough or sneeze: tell your therapist.",
        "A leaking wound. You also leak urine: call your physio.",
        "Your wound has healed, but you now leak urine: call your physio.",
    ],
)
def test_leaking_urine_still_goes_to_999(tmp_path, text):
    findings = only(lint(tmp_path, _added_stop(text)), "SAFE006")
    assert any("leaking urine" in f.message and "'emergency'" in f.message for f in findings)


def test_a_healed_scar_is_no_sign(tmp_path):
    text = "Once your scar has healed, massage it gently with a plain moisturiser."
    assert _safety(lint(tmp_path, _added_stop(text))) == []


# -- H866: carrying on while the pain gets worse ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Walk for 5 minutes; carry on even if your pain gets worse.",
        "Keep going even when the soreness becomes stronger.",
        "Finish the set even if the pain is getting worse.",
    ],
)
def test_carrying_on_while_the_pain_gets_worse_is_ignoring_it(tmp_path, text):
    findings = only(lint(tmp_path, _added_stop(text)), "SAFE013")
    assert len(findings) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Stop if your pain gets worse, even if it was mild at first.",
        "Carry on with your day as normal; if the pain gets worse, stop and call the clinic.",
    ],
)
def test_stopping_when_the_pain_gets_worse_is_the_right_advice(tmp_path, text):
    assert only(lint(tmp_path, _added_stop(text)), "SAFE013") == []


# -- H865: a contraindication in words that names the condition the protocol treats --------

_PELVIC_GIRDLE = coding(
    ICD, "O26.892", "Other specified pregnancy related conditions, second trimester"
)


def _contraindicated(description, *, indication=None, exercise=False):
    def change(data):
        if indication is not None:
            data["indications"] = [dict(indication)]
        holder = data["exercises"][0] if exercise else data["safety"]
        holder.setdefault("contraindications", []).append({"description": description})

    return change


@pytest.mark.parametrize(
    ("description", "indication", "exercise", "pointer"),
    [
        (
            "Pregnancy: not for these exercises.",
            _PELVIC_GIRDLE,
            False,
            "/safety/contraindications/0/description",
        ),
        (
            "Pregnancy (lying on the back).",
            _PELVIC_GIRDLE,
            True,
            "/exercises/0/contraindications/0/description",
        ),
        (
            "Low back pain: these exercises must not be used.",
            None,
            False,
            "/safety/contraindications/0/description",
        ),
        (
            "Thin bones (osteoporosis): ask first.",
            coding(ICD, *OSTEOPOROSIS),
            False,
            "/safety/contraindications/0/description",
        ),
    ],
)
def test_a_contraindication_in_words_that_names_the_condition_treated(
    tmp_path, description, indication, exercise, pointer
):
    # Only coded contraindications were compared: a back pain template's "Pregnancy" kept on a
    # pelvic girdle pain protocol passed, so every patient it is for was contraindicated.
    findings = only(
        lint(tmp_path, _contraindicated(description, indication=indication, exercise=exercise)),
        "SAFE001",
    )
    assert [f.pointer for f in findings] == [pointer]


@pytest.mark.parametrize(
    ("description", "indication"),
    [
        (
            "Osteoporosis with a recent spinal fracture that has not been assessed.",
            coding(ICD, *OSTEOPOROSIS),
        ),
        ("Suspected or confirmed cauda equina syndrome: emergency assessment.", None),
        ("Back pain with a suspected serious cause that has not been assessed.", None),
        ("Pregnancy: ask your midwife first.", None),
        ("Pregnancy beyond 16 weeks.", _PELVIC_GIRDLE),  # some of the patients, not all
    ],
)
def test_a_narrower_or_other_condition_is_no_clash(tmp_path, description, indication):
    findings = lint(tmp_path, _contraindicated(description, indication=indication))
    assert only(findings, "SAFE001") == []


def test_the_new_protocol_s_placeholders_are_not_a_clash(tmp_path):
    # `protokit new` writes "TODO: ..." as the indication's display and as a contraindication:
    # TEXT003 reports them, SAFE001 must not read "todo" as a condition both name.
    def change(data):
        data["indications"] = [coding(ICD, "R69", "TODO: the condition treated")]
        data["safety"]["contraindications"] = [{"description": "TODO: when not to use it"}]

    assert only(lint(tmp_path, change), "SAFE001") == []


def test_a_body_part_named_by_both_is_not_a_clash(tmp_path):
    # The workbench's knee programme: "A knee that is hot, red and swollen" is contraindicated,
    # "Pain in right knee" treated; the knee is a place, not the condition.
    def change(data):
        data["indications"] = [coding(ICD, "M25.561", "Pain in right knee")]
        data["safety"]["contraindications"] = [
            {"description": "A knee that is hot, red and swollen."}
        ]

    assert only(lint(tmp_path, change), "SAFE001") == []
