"""Cases of the eleventh sitting's clinical review (docs/safety/clinical-review.md, hazards
H525 to H534): palpitations with dizziness, a red flag hedged as "very unlikely", an inhaler
inside the chest-pain red flag, a precaution's advice the steps contradict, anticoagulants and
a massage ball or foam roller, "if you have a fall, carry on", a frequency given to one
exercise, a dose with no number, a rest position read as a hold, and a reason that says
nothing. Each class has cases a rule must catch and safe texts it must not."""

import json
import shutil

import pytest
from lint_helpers import (
    ICD,
    MINIMAL,
    advice,
    codes,
    coding,
    exercise,
    lint,
    only,
    red_flag,
    step,
    stop,
)

from conftest import CLINIC_NUMBERS, PROTOCOLS, REPO, run_protokit
from protocol_kit.lint.rules.empty_safety_text import says_nothing

FLAGS = [f["text"] for f in MINIMAL["safety"]["red_flags"]]

# -- H525: palpitations with dizziness ----------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        stop("Your heart races or flutters and you feel dizzy."),
        stop("Palpitations with light-headedness."),
        stop("A pounding or irregular heartbeat that makes you feel faint."),
        stop("Feeling dizzy or woozy while your heart is racing."),
        advice("If you feel dizzy with a racing heart, stop and sit down."),
    ],
)
def test_palpitations_with_dizziness_need_the_emergency_number(tmp_path, change):
    # NICE CKS Palpitations, Resuscitation Council UK: a fast or irregular heartbeat with
    # near-fainting is an adverse feature; a stop criterion sends the patient to the clinic.
    findings = only(lint(tmp_path, change), "SAFE006")
    assert len(findings) == 1
    assert "palpitations" in findings[0].message and "'emergency'" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        advice("Your heart rate and breathing will go up a little as you exercise: this is "
               "normal."),
        stop("Feeling dizzy when you stand up quickly."),
        stop("Palpitations on their own: stop and tell your physiotherapist."),
        advice("If your heart races and you feel dizzy, stop and call 999."),
        stop("Dizziness or feeling faint."),
    ],
)  # fmt: skip
def test_palpitations_or_dizziness_alone_or_sent_to_999_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


# -- H526: a red flag hedged as unlikely ---------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "hedge"),
    [
        (1, "It is very unlikely, but: "),
        (3, "This is rare, but: "),
        (5, "In the unlikely event that this happens: "),
        (8, "Extremely unlikely to happen, but: "),
        (0, "These are rare, but: "),
    ],
)
def test_a_red_flag_hedged_as_unlikely_plays_it_down(tmp_path, index, hedge):
    # The CES card and CKS chest pain give no odds, only the action: "unlikely" before the
    # sign is read as the reason to wait.
    findings = only(lint(tmp_path, red_flag(index, hedge + FLAGS[index])), "SAFE006")
    assert codes(findings) == [("SAFE006", f"/safety/red_flags/{index}/action")]
    assert "plays it down" in findings[0].message


def test_a_red_flag_that_hardly_ever_happens_plays_it_down(tmp_path):
    change = red_flag(1, FLAGS[1] + " This hardly ever happens.")
    findings = only(lint(tmp_path, change), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/red_flags/1/action")]


@pytest.mark.parametrize(
    "change",
    [
        red_flag(1, "Do not assume it is unlikely: " + FLAGS[1]),
        advice("It is very unlikely that these exercises will make your pain worse."),
        advice("Serious problems are rare, but always read the box on the first page."),
    ],
)
def test_odds_of_something_that_is_no_sign_are_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


# -- H527: an inhaler inside the chest-pain red flag -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Chest pain, tightness or pressure, or sudden severe breathlessness: use your inhaler "
        "first and call 999 if it does not help.",
        "Chest pain or tightness, or sudden severe breathlessness that your inhaler does not "
        "relieve: call 999.",
        "Chest tightness: take two puffs of your blue inhaler, then call 999.",
        "Chest pain or pressure, or sudden breathlessness (try your reliever): call 999.",
        # Found by the probes: rest first, the call kept for a pain that stays.
        "Chest pain or tightness, or sudden severe breathlessness: sit and rest for 15 "
        "minutes, and call 999 if it persists.",
        "Chest pain, tightness or pressure, or sudden breathlessness: call 999 if it gets worse.",
    ],
)
def test_an_inhaler_in_the_chest_pain_red_flag_is_refused(tmp_path, text):
    # CKS chest pain, CG95: chest pain goes to 999 straight away; an inhaler first is a wait.
    findings = only(lint(tmp_path, red_flag(0, text)), "SAFE006")
    assert codes(findings) == [("SAFE006", "/safety/red_flags/0/action")]
    assert "plays it down" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        red_flag(0, FLAGS[0] + " Do not wait to use an inhaler."),
        advice("Keep your reliever inhaler with you when you exercise."),
    ],
)
def test_an_inhaler_not_before_the_call_or_away_from_chest_pain_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


# -- H528: a precaution's advice the exercise's own steps contradict ---------------------------


def _precaution(patient_advice, *steps, on_exercise=True):
    def change(data):
        item = {
            "description": "Care with this movement.",
            "management": "Check the movement at the first appointment and adapt it.",
            "patient_advice": patient_advice,
        }
        where = exercise(data) if on_exercise else data["safety"]
        where.setdefault("precautions", []).append(item)
        exercise(data)["steps"] = list(steps)

    return change


@pytest.mark.parametrize(
    ("change", "what"),
    [
        (_precaution("Do not bend your hip beyond 90 degrees.",
                     "Bring your right knee up to your chest."), "bend the hip beyond 90"),
        (_precaution("Never bend forward from the waist.", "Bend forward and touch your toes.",
                     on_exercise=False), "bend forwards"),
        (_precaution("Avoid twisting your back.", "Twist your upper body to the left."),
         "twist the back"),
        (_precaution("Do not cross your legs.", "Cross your right leg over your left."),
         "cross the legs"),
        (_precaution("Avoid bending forwards.", "Reach down towards the floor."),
         "bend forwards"),
        (_precaution("Keep your knee below your hip.", "Hug both knees."),
         "bend the hip beyond 90"),
    ],
)  # fmt: skip
def test_a_step_that_does_what_the_precaution_forbids_is_refused(tmp_path, change, what):
    findings = only(lint(tmp_path, change), "TEXT006")
    assert len(findings) == 1
    assert what in findings[0].message and "a precaution's advice says" in findings[0].message


def test_general_advice_forbidding_a_twist_is_read_too(tmp_path):
    def change(data):
        data["safety"]["general_advice"] = ["Avoid twisting while you do these exercises."]
        exercise(data)["steps"] = ["Rotate your trunk slowly to the right."]

    findings = only(lint(tmp_path, change), "TEXT006")
    assert len(findings) == 1 and "the general advice says" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        _precaution("Do not bend your hip beyond 90 degrees.",
                    "Bring your knee up towards your chest, but no higher than your hip."),
        _precaution("Avoid twisting your knee.", "Rotate your upper body to the left."),
        _precaution("Never bend forward from the waist.",
                    "Do not bend forward; keep your back straight."),
        _precaution("Do not cross your legs.", "Cross your arms over your chest."),
        _precaution("Do not bend your hip beyond 90 degrees.", "Round your back up."),
    ],
)  # fmt: skip
def test_steps_that_keep_to_the_precaution_are_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "TEXT006") == []


# -- H529: anticoagulants and a massage ball or foam roller --------------------------------------


def _pressure(*steps, screening=None, indication=None, precaution=None):
    def change(data):
        exercise(data)["steps"] = list(steps)
        if screening:
            data["screening"] = [
                {"id": "blood-thinners", "question": screening, "decides": ["bleeding"]}
            ]
        if indication:
            data["indications"].append(coding(ICD, *indication))
        if precaution:
            exercise(data)["precautions"] = [
                {
                    "description": precaution,
                    "management": "Light pressure only; leave it out if the patient bruises.",
                    "patient_advice": "Use light pressure and stop if you notice bruising.",
                }
            ]

    return change


@pytest.mark.parametrize(
    "change",
    [
        _pressure("Roll slowly up and down over the foam roller."),
        _pressure("Place a massage ball under your buttock and lean into it.",
                  indication=("Z79.01", "Long term (current) use of anticoagulants")),
        _pressure("Lie on a tennis ball and let your weight sink into it.",
                  screening="Do you take blood thinners such as warfarin?"),
        _pressure("Press your shoulder blade into the ball against the wall."),
        _pressure("Foam rolling: roll the outside of your thigh for a minute."),
    ],
)  # fmt: skip
def test_pressure_from_a_tool_needs_an_anticoagulant_precaution(tmp_path, change):
    # BNF: bleeding and bruising are the main adverse effect of an anticoagulant.
    findings = only(lint(tmp_path, change), "SAFE012")
    assert codes(findings) == [("SAFE012", "/exercises/0")]
    assert "anticoagulants" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        _pressure("Roll slowly over the foam roller.",
                  precaution="Taking anticoagulants (blood thinners): pressure may bruise."),
        _pressure("Place a massage ball under your buttock.",
                  precaution="Warfarin or another blood thinner: pressure may bruise."),
        _pressure("Roll your shoulders backwards.",
                  screening="Do you take blood thinners such as warfarin?"),
        _pressure("Lie back over the roller placed across your upper back."),
        _pressure("Throw the ball against the wall and catch it."),
    ],
)  # fmt: skip
def test_a_named_precaution_or_no_pressure_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE012") == []


# -- H530: "if you have a fall, carry on" --------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        advice("If you have a fall, carry on with the exercises as normal."),
        advice("Should you fall, just continue with the programme."),
        advice("After a fall, keep going with your programme as usual."),
        advice("If you trip or fall, carry on as normal."),
        advice("In the event of a fall, continue your exercises."),
        stop("If you fall, stop and rest until you feel ready to carry on."),
    ],
)
def test_a_fall_told_to_carry_on_is_sent_to_a_doctor(tmp_path, change):
    # NG59, CKS: back pain after a fall (trauma, osteoporosis) is a spinal fracture red flag.
    findings = only(lint(tmp_path, change), "SAFE006")
    # The trauma item's summary names a new fall since the nineteenth sitting (H841).
    assert len(findings) == 1 and "after a new fall" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        advice("If you have a fall, stop the exercises and see a doctor today."),
        step("Let your knees fall to one side and carry on breathing."),
        advice("If you fall asleep during the relaxation, that is fine."),
        advice("If you feel you might fall, hold on to a chair."),
    ],
)
def test_a_fall_sent_to_a_doctor_or_no_fall_at_all_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


# -- H531: a frequency given to one exercise, and intervals in other words -----------------------


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (advice("Do the stretch every half an hour."), '"every half an hour"'),
        (advice("Repeat this exercise every 2 hours."), '"every 2 hours"'),
        (advice("Do the cat and cow exercise three times a day."), '"three times a day"'),
    ],
)
def test_a_frequency_given_to_one_exercise_no_dosage_agrees_with(tmp_path, change, said):
    findings = only(lint(tmp_path, change), "DOSE005")
    assert codes(findings) == [("DOSE005", "/safety/general_advice/0")]
    assert said in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        advice("Do the stretch once a day."),
        advice("Hold the stretch still; do not bounce."),
        advice("Go for a walk every hour."),
    ],
)
def test_a_frequency_one_exercise_agrees_with_or_none_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "DOSE005") == []


@pytest.mark.parametrize(
    ("text", "sessions", "finding"),
    [
        ("Repeat every waking hour.", 1, True),
        ("Repeat every waking hour.", 14, False),
        ("Repeat two-hourly through the day.", 1, True),
        ("Repeat two-hourly through the day.", 7, False),  # 6 to 9, not 12 to 18
        ("Repeat every couple of hours.", 7, False),
        ("Repeat half-hourly.", 4, True),
    ],
)
def test_intervals_in_other_words_are_read(tmp_path, text, sessions, finding):
    def change(data):
        exercise(data)["steps"].append(text)
        exercise(data)["dosage"]["sessions_per_day"] = sessions

    found = only(lint(tmp_path, change), "DOSE005")
    assert bool(found) is finding, found


# -- H532: a dose with no number -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text", "said"),
    [
        ("intensity", "As many as you can, until exhausted.", '"As many as you can"'),
        ("step", "Keep going until you cannot do any more.", '"until you cannot do any more"'),
        ("step", "Do as many repetitions as you can.", '"as many repetitions as you can"'),
        ("step", "Hold the position for as long as you can.", '"as long as you can"'),
        ("step", "Work the muscle to failure.", '"to failure"'),
    ],
)
def test_a_dose_with_no_number_is_refused(tmp_path, where, text, said):
    def change(data):
        if where == "intensity":
            exercise(data)["dosage"]["intensity"] = text
        else:
            exercise(data)["steps"].append(text)

    findings = only(lint(tmp_path, change), "DOSE005")
    assert len(findings) == 1 and said in findings[0].message
    assert "a dose with no number" in findings[0].message
    pointer = "/exercises/0/dosage/intensity" if where == "intensity" else "/exercises/0/steps/2"
    assert findings[0].pointer == pointer


@pytest.mark.parametrize(
    "text",
    [
        "Never work to exhaustion: stop while you could still do two more.",
        "Reach as far as you can without pain.",
        "Do it slowly, as long as you can keep your back flat.",
        "Stop before you get tired.",
        "Do as many of the 8 repetitions as you comfortably manage, up to 8.",
    ],
)
def test_a_limit_or_a_range_of_movement_is_no_dose(tmp_path, text):
    assert only(lint(tmp_path, step(text)), "DOSE005") == []


# -- H533: lying or sitting still read as a hold -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Lie flat on your back for 5 minutes.",
        "Afterwards, sit quietly for 2 minutes.",
        "Relax lying on your side for 3 minutes before you get up.",
    ],
)
def test_lying_or_sitting_still_is_not_a_hold(tmp_path, text):
    # The exercise is dosed in repetitions; a time of lying still is a rest (limit 600 s).
    assert only(lint(tmp_path, step(text)), "DOSE005") == []


@pytest.mark.parametrize(
    "text",
    [
        "Hold the stretch for 5 minutes.",
        "Lie on your back and hold the position for 5 minutes.",
        "Lie flat on your back for 15 minutes.",  # beyond the rest's limit all the same
    ],
)
def test_a_hold_or_a_rest_beyond_the_limit_is_still_refused(tmp_path, text):
    findings = only(lint(tmp_path, step(text)), "DOSE005")
    assert codes(findings) == [("DOSE005", "/exercises/0/steps/2")]


# -- H534: a reason or a management note that says nothing ---------------------------------------


@pytest.mark.parametrize(
    "text",
    ["As discussed.", "No issues", "All fine", "Per notes", "At clinician's discretion",
     "Patient happy", "See clinic notes"],
)  # fmt: skip
def test_more_phrases_say_nothing(text):
    assert says_nothing(text)


@pytest.mark.parametrize(
    "text",
    ["Checked the new hip's range with the surgeon's letter: 90 degrees allowed.",
     "No pressure on the operated side.", "Discussed the risk of bruising; soft ball only."],
)  # fmt: skip
def test_a_reason_that_says_what_was_checked_says_something(text):
    assert not says_nothing(text)


def test_a_management_as_discussed_is_refused(tmp_path):
    def as_discussed(data):
        data["safety"]["precautions"] = [
            {
                "coding": coding(ICD, "M54.50", "Low back pain, unspecified"),
                "description": "Low back pain: bending may aggravate it.",
                "management": "As discussed.",
                "patient_advice": "Bend only as far as is comfortable.",
            }
        ]

    findings = only(lint(tmp_path, as_discussed), "SAFE002")
    assert codes(findings) == [("SAFE002", "/safety/precautions/0")]


@pytest.fixture
def clinic(tmp_path):
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    shutil.copytree(PROTOCOLS / "library", tmp_path / "protocols" / "library")
    shutil.copy(PROTOCOLS / "psoas-stretch-glute-bridge.json", tmp_path / "protocols")
    return tmp_path


@pytest.mark.parametrize("reason", ["As discussed", "No issues.", "Patient happy"])
def test_a_prescription_reason_that_says_nothing_does_not_record_the_check(clinic, reason):
    data = json.loads((REPO / "docs" / "examples" / "prescription-staged.json").read_text())
    data["overrides"][0]["reason"] = reason
    (clinic / "rx.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_protokit("validate", "-f", "json", "rx.json", cwd=clinic)
    found = [f for report in json.loads(result.stdout)["files"] for f in report["findings"]]
    assert [(f["code"], f["pointer"]) for f in found] == [("RX019", "/overrides/0/reason")]
