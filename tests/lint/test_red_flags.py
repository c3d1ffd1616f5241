"""SAFE005 red-flag-missing, SAFE006 red-flag-routing, SAFE007 red-flag-covers, SAFE008
red-flag-and, and the red-flag sets they read (protocol_kit/redflags/red_flags.json)."""

import json

import pytest
from lint_helpers import ICD, SNOMED, codes, coding, lint, only

from protocol_kit.redflags import ACTION_RANK, parse, red_flag_sets

WHO = "http://hl7.org/fhir/sid/icd-10"


def flags(data):
    return data["safety"]["red_flags"]


def without(item_id):
    """Remove the red flag that covers `item_id` (the minimal case has one per item)."""

    def change(data):
        data["safety"]["red_flags"] = [f for f in flags(data) if item_id not in f["covers"]]

    return change


# -- the data file ---------------------------------------------------------------------------


def test_every_item_has_a_source_an_action_and_english_patterns():
    sets = red_flag_sets()
    assert len(sets.items) >= 14
    for item in sets.items.values():
        assert item.sources and item.action in ACTION_RANK and "en" in item.patterns


def test_the_low_back_pain_family_is_found_by_any_code_system():
    sets = red_flag_sets()
    from protocol_kit.model import Coding, Origin

    def family_ids(system, code):
        return [f.id for f in sets.families_for([Coding(system, code, "x", Origin(""))])]

    assert family_ids(ICD, "M54.50") == ["exercise", "low-back-pain"]
    assert family_ids(WHO, "M54.5") == ["exercise", "low-back-pain"]
    assert family_ids(SNOMED, "279039007") == ["exercise", "low-back-pain"]
    assert family_ids(ICD, "M25.561") == ["exercise", "knee"]  # knee pain: its set (H1640)
    assert family_ids(ICD, "M77.11") == ["exercise"]  # an elbow: chest pain only
    # Other lumbar spine conditions carry the cauda equina risk too; their cervical
    # counterparts do not (they have the neck family's red flags: test_neck_red_flags.py).
    for code in ("M54.16", "M48.061", "M47.816", "M43.16", "S33.5XXA", "S39.012A"):
        assert family_ids(ICD, code) == ["exercise", "low-back-pain"], code
    assert family_ids(WHO, "S33.5") == ["exercise", "low-back-pain"]
    assert "low-back-pain" not in family_ids(ICD, "M54.12")  # cervical radiculopathy
    assert "low-back-pain" not in family_ids(ICD, "M48.02")  # cervical stenosis


def test_a_broken_data_file_is_refused():
    from importlib.resources import files

    data = json.loads((files("protocol_kit.redflags") / "red_flags.json").read_text())
    data["families"][1]["required"].append("no-such-item")
    with pytest.raises(ValueError, match="unknown items"):
        parse(data)


# -- SAFE005 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "item_id",
    [
        "chest-pain",
        "ces-wiping-sensation",
        "ces-bladder-sensation",
        "ces-incontinence",
        "ces-sexual-function",
        "ces-both-legs",
        "leg-weakness",
        "constant-night-pain",
    ],
)
def test_each_missing_red_flag_is_reported(tmp_path, item_id):
    findings = lint(tmp_path, without(item_id))
    assert codes(findings) == [("SAFE005", "/safety/red_flags")]
    assert f"'{item_id}'" in findings[0].message
    assert findings[0].line is not None and findings[0].column is not None


def test_the_full_set_is_clean(tmp_path):
    assert lint(tmp_path) == []


def test_the_old_examples_back_pain_set_misses_four_cauda_equina_signs(tmp_path):
    def change(data):
        data["safety"]["red_flags"] = [
            {
                "text": "New numbness or tingling between your legs, around your genitals or back "
                "passage.",
                "action": "emergency",
            },
            {
                "text": "New difficulty passing urine, or you cannot control your bladder or "
                "bowels.",
                "action": "emergency",
            },
            {
                "text": "New weakness in one or both legs, a foot that drags or slaps.",
                "action": "emergency",
            },
            *[f for f in flags(data) if f["action"] == "urgent" or "chest-pain" in f["covers"]],
        ]

    missing = {
        f.message.split("covers ('")[1][:-2] for f in only(lint(tmp_path, change), "SAFE005")
    }
    assert missing == {
        "ces-wiping-sensation",
        "ces-bladder-sensation",
        "ces-sexual-function",
        "ces-both-legs",
    }


def test_text_alone_covers_an_item_without_covers(tmp_path):
    def change(data):
        for flag in flags(data):
            del flag["covers"]

    assert lint(tmp_path, change) == []


def test_another_condition_needs_only_the_exercise_red_flags(tmp_path):
    def change(data):
        data["indications"] = [coding(ICD, "M77.11", "Lateral epicondylitis, right elbow")]
        data["safety"]["red_flags"] = [f for f in flags(data) if "chest-pain" in f["covers"]]

    assert lint(tmp_path, change) == []


# -- SAFE006 ---------------------------------------------------------------------------------


def test_chest_pain_under_stop_criteria_is_an_emergency(tmp_path):
    def change(data):
        data["safety"]["stop_criteria"] = ["Dizziness, chest pain or unusual shortness of breath."]

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE006", "/safety/stop_criteria/0")]
    assert "move it to the red flags with action 'emergency'" in findings[0].message


def test_cannot_pass_urine_filed_as_urgent(tmp_path):
    def change(data):
        flag = next(f for f in flags(data) if "ces-urinary-retention" in f["covers"])
        flag["action"] = "urgent"

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE006", "/safety/red_flags/3/action")]
    assert "set the action to 'emergency'" in findings[0].message


def test_patient_advice_that_names_an_emergency(tmp_path):
    def change(data):
        data["exercises"][0]["precautions"] = [
            {
                "description": "Heart disease.",
                "management": "Check with the cardiologist.",
                "patient_advice": "If you get chest pain, tell your therapist at your next visit.",
            }
        ]

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE006", "/exercises/0/precautions/0/patient_advice")]


def test_unsteadiness_is_not_an_emergency_item(tmp_path):
    # "Feel unsteady on your feet" was filed as an emergency; a lower level is not wrong in
    # itself, but it names no emergency item, so nothing is raised for it being urgent.
    def change(data):
        flags(data).append({"text": "You feel unsteady on your feet.", "action": "urgent"})

    assert lint(tmp_path, change) == []


# Phrasings a patient sheet uses for the same signs: synonyms, everyday words, other word
# order. Each names an item that needs more than "stop and contact your therapist".
@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("Central chest ache spreading to your left arm.", "chest-pain"),
        ("Angina, or a squeezing feeling in your chest.", "chest-pain"),
        ("You suddenly cannot pee.", "ces-urinary-retention"),
        ("You cannot urinate.", "ces-urinary-retention"),
        ("New difficulty urinating.", "ces-urinary-retention"),
        ("Numbness in your bottom or inner thighs.", "ces-saddle-sensation"),
        ("Numb buttocks or around your private parts.", "ces-saddle-sensation"),
        ("Loss of bladder control.", "ces-incontinence"),
        ("Wetting yourself.", "ces-incontinence"),
        ("You have a temperature or chills.", "fever-or-unwell"),
        ("Feeling hot and shivery, or night sweats.", "fever-or-unwell"),
        ("You have lost a lot of weight without meaning to.", "weight-loss"),
        ("You have had cancer in the past.", "cancer-history"),
        ("You were treated for a tumour.", "cancer-history"),
        ("Back pain after a car accident.", "trauma"),
        ("You fell and hurt your back.", "trauma"),
        ("Following a road traffic accident.", "trauma"),
        ("Pain that wakes you up.", "constant-night-pain"),
        ("Pain that does not get better when you rest.", "constant-night-pain"),
        # Everyday words a patient or a hurried author uses (hazard H200).
        ("A numb bum or backside.", "ces-saddle-sensation"),
        ("I've wet myself.", "ces-incontinence"),
        ("Accidents with your poo, or you cannot hold in a poo.", "ces-bowel"),
        ("Numbness in both feet.", "ces-both-legs"),
        ("Sciatica on both sides.", "ces-both-legs"),
        ("Less feeling during intercourse.", "ces-sexual-function"),
        ("Your legs keep giving way.", "leg-weakness"),
        ("Pain spreading to the left arm or jaw.", "chest-pain"),
        ("Pain in your jaw or left arm while exercising.", "chest-pain"),
        ("Sudden severe shortness of breath.", "chest-pain"),
        ("Face drooping or slurred speech.", "stroke"),
        ("Your face droops, an arm goes weak or your speech is slurred.", "stroke"),
        ("Double vision or difficulty swallowing.", "stroke"),
        ("The worst headache of your life.", "stroke"),
        ("A hot, red, swollen calf.", "dvt"),
        ("A crushing feeling in your chest.", "chest-pain"),
        ("You need to pee but can't.", "ces-urinary-retention"),
        ("Any sign of cauda equina syndrome: tell your physiotherapist.", "cauda-equina"),
        ("Pain, swelling and redness in your calf.", "dvt"),
    ],
)
def test_other_phrasings_of_a_sign_are_routed(tmp_path, text, item_id):
    def change(data):
        data["safety"]["stop_criteria"].append(text)

    findings = lint(tmp_path, change)
    assert [f.code for f in findings] == ["SAFE006"], text
    assert red_flag_sets().items[item_id].summary in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Dizziness, chest\npain or unusual shortness of breath.",
        "Dizziness, or pain in\nyour chest.",
        "Dizziness, or pain in  your chest.",
        "Dizziness, or pain in\u00a0your chest.",
        "Dizziness, or chest\tpain.",
    ],
    ids=["line-break", "line-break-in-phrase", "two-spaces", "no-break-space", "tab"],
)
def test_a_sign_split_by_a_line_break_or_odd_spaces_is_routed(tmp_path, text):
    """H189: the patterns are written with single spaces and `.` did not cross a line break:
    "chest\npain" (a text typed over two lines) named no sign, and the sheet printed it."""

    def change(data):
        data["safety"]["stop_criteria"] = [text]

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE006", "/safety/stop_criteria/0")], text


@pytest.mark.parametrize(
    "text",
    [
        "If a cramp wakes you, stretch your calf gently.",
        "Do not do the exercises late at night.",
        "Stop if you feel a strong stretch in your buttock or inner thigh.",
        "Stop if your knee aches.",
        "Stop if you sweat a lot or feel short of breath.",
        "Stop if your knee gives way.",
        "If your jaw clicks when you open your mouth, open less far.",
        "Pain spreading into your arm or hand.",
        "Go slowly: slow is harder and safer than fast.",
        "Feeling much more out of breath than the exercise should make you.",
        "If your ankle is a little swollen after the exercises, raise your foot.",
    ],
)
def test_ordinary_stop_criteria_are_not_taken_for_red_flags(tmp_path, text):
    assert lint(tmp_path, lambda d: d["safety"]["stop_criteria"].append(text)) == []


def test_a_sign_the_sheet_does_not_require_is_still_routed(tmp_path):
    def change(data):
        data["safety"]["stop_criteria"].append("You have had cancer before.")

    findings = lint(tmp_path, change)
    assert [f.code for f in findings] == ["SAFE006"]
    assert "move it to the red flags with action 'urgent'" in findings[0].message


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("general advice", "If you get chest pain, stop and mention it at your next visit."),
        ("education", "If you cannot pass urine, tell your therapist at your next visit."),
        ("pain guide", "Strong pain, or numbness between your legs: contact your therapist."),
        ("step", "If you feel chest pain, stop and rest."),
        # Printed on the patient's sheet too, and read by no rule (H292).
        ("summary", "If you get chest pain, ring me at the clinic next week."),
        ("warm_up", "Walk for five minutes; with chest pain, rest and ring the clinic."),
        ("cool_down", "Sit for a minute. Numbness between your legs: tell your therapist."),
        ("stage rule", "Move on when the pain eases; chest pain: stop and tell me next week."),
    ],
)
def test_a_sign_in_advice_education_the_pain_guide_or_a_step(tmp_path, where, text):
    def change(data):
        if where == "summary":
            data["summary"] = text
        elif where in ("warm_up", "cool_down"):
            data["delivery"][where] = text
        elif where == "stage rule":
            weeks = data["delivery"]["programme_weeks"]
            data["stages"] = [{"weeks": {"from": 1, "to": 1}}]
            data["stages"].append({"weeks": {"from": 2, "to": max(weeks, 2)}, "entry": text})
            data["delivery"]["programme_weeks"] = max(weeks, 2)
        elif where == "general advice":
            data["safety"]["general_advice"] = [text]
        elif where == "education":
            data["delivery"]["education"] = [text]
        elif where == "pain guide":
            data["safety"]["pain_guide"]["red"] = text
        else:
            data["exercises"][0]["steps"].append(text)

    findings = lint(tmp_path, change)
    assert [f.code for f in findings] == ["SAFE006"], findings
    assert "say in the text where to go" in findings[0].message


# Words that seem to send the patient on but do not (hazard H201): a negated emergency, and
# urgent words in a text that puts the sign off to the next appointment.
@pytest.mark.parametrize(
    "text",
    [
        "Numbness between your legs is not an emergency: mention it at your next appointment.",
        "If you cannot feel the toilet paper, there is no need to call 999; tell us next time.",
        "If you lose control of your bowels, you do not need to go to A&E: ring the clinic.",
        "If you get chest pain, don't call an ambulance, just rest.",
        "If you lose weight without trying, tell your GP at your next routine appointment.",
    ],
)
def test_negated_or_deferred_words_do_not_send_the_patient_on(tmp_path, text):
    findings = lint(tmp_path, lambda d: d["safety"].update(general_advice=[text]))
    assert [f.code for f in findings] == ["SAFE006"], text


def test_a_red_flag_whose_words_say_it_can_wait(tmp_path):
    def change(data):
        flags(data).append(
            {
                "text": "Numbness between your legs: mention it at your next appointment.",
                "action": "emergency",
            }
        )

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE006", "/safety/red_flags/14/action")]
    assert "its words tell the patient it can wait" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "If you get chest pain, stop and call 999; do not wait for your next appointment.",
        "If you cannot pass urine, go to A&E straight away.",
        "If you can't pass urine call 999.",
        "If you lose weight without trying, see a doctor today; don't wait until your next visit.",
        "If you lose weight without trying, see a doctor the same day, not at your next visit.",
    ],
)
def test_words_that_do_send_the_patient_on_are_fine(tmp_path, text):
    assert lint(tmp_path, lambda d: d["safety"].update(general_advice=[text])) == []


def test_advice_that_sends_the_sign_to_the_right_place_is_fine(tmp_path):
    def change(data):
        data["safety"]["general_advice"] = [
            "If you get chest pain while exercising, stop and call 999.",
            "If you get a fever with your back pain, see a doctor the same day.",
        ]

    assert lint(tmp_path, change) == []


# -- SAFE007 ---------------------------------------------------------------------------------


def test_covers_names_an_unknown_item(tmp_path):
    findings = lint(tmp_path, lambda d: flags(d)[0].update(covers=["chest-pains"]))
    assert codes(findings) == [("SAFE007", "/safety/red_flags/0/covers/0")]
    assert "did you mean 'chest-pain'" in findings[0].message


def test_covers_claims_what_the_text_does_not_say(tmp_path):
    def change(data):
        flags(data)[1]["covers"] = ["ces-saddle-sensation", "ces-sexual-function"]

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE007", "/safety/red_flags/1/covers/1")]


def test_covers_counts_for_a_language_without_patterns(tmp_path):
    def change(data):
        data["language"] = "fr"
        for flag in flags(data):
            flag["text"] = "FR " + flag["text"].replace("e", "\u00e9")

    assert only(lint(tmp_path, change), "SAFE005") == []
    assert only(lint(tmp_path, change), "SAFE007") == []


def test_covers_in_a_language_without_patterns_still_needs_the_action(tmp_path):
    def change(data):
        data["language"] = "fr"
        for flag in flags(data):
            flag["text"] = "FR"
        flags(data)[0]["action"] = "urgent"  # chest pain

    assert codes(only(lint(tmp_path, change), "SAFE006")) == [
        ("SAFE006", "/safety/red_flags/0/action")
    ]


# -- SAFE008 ---------------------------------------------------------------------------------


def test_night_pain_joined_with_and(tmp_path):
    def change(data):
        flag = next(f for f in flags(data) if "constant-night-pain" in f["covers"])
        flag["text"] = (
            "Severe pain that is there all the time, gets worse at night, and is not eased by "
            "changing position or resting."
        )

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE008", "/safety/red_flags/13/text")]
    assert "join them with 'or'" in findings[0].message


def test_two_signs_joined_with_and(tmp_path):
    def change(data):
        flags(data)[1]["text"] = (
            "Numbness or tingling between your legs or back passage and leaking urine."
        )
        flags(data)[1]["covers"] = ["ces-saddle-sensation"]

    assert codes(lint(tmp_path, change)) == [("SAFE008", "/safety/red_flags/1/text")]


@pytest.mark.parametrize(
    "text",
    [
        "Severe pain at night and not eased by rest.",
        "Pain that is constant and worse at night.",
        "Pain that is there all the time and gets worse at night.",
    ],
)
def test_two_signs_of_one_item_joined_with_and(tmp_path, text):
    def change(data):
        next(f for f in flags(data) if "constant-night-pain" in f["covers"])["text"] = text

    assert codes(lint(tmp_path, change)) == [("SAFE008", "/safety/red_flags/13/text")]


def test_chest_pain_and_breathlessness_joined_with_and(tmp_path):
    def change(data):
        flags(data)[0]["text"] = "Chest pain and shortness of breath."

    assert codes(lint(tmp_path, change)) == [("SAFE008", "/safety/red_flags/0/text")]


def test_as_well_as_joins_like_and(tmp_path):
    def change(data):
        flags(data)[1]["text"] = (
            "Numbness or tingling between your legs or back passage as well as trouble "
            "passing urine."
        )
        flags(data)[1]["covers"] = ["ces-saddle-sensation"]

    assert codes(lint(tmp_path, change)) == [("SAFE008", "/safety/red_flags/1/text")]


def test_and_inside_one_sign_is_fine(tmp_path):
    def change(data):
        next(f for f in flags(data) if "constant-night-pain" in f["covers"])["text"] = (
            "Severe pain that is there all the time or is worse at night, or pain that does "
            "not ease when you rest and change position."
        )

    assert lint(tmp_path, change) == []


def test_or_and_fixed_phrases_are_fine(tmp_path):
    def change(data):
        flags(data)[8]["text"] = "Pain, numbness or pins and needles going down both legs."

    assert lint(tmp_path, change) == []


# -- documentation ---------------------------------------------------------------------------


def test_the_red_flag_page_is_up_to_date():
    from conftest import REPO
    from protocol_kit.redflags.docs import as_markdown

    page = (REPO / "docs" / "safety" / "red-flags.md").read_text(encoding="utf-8")
    assert page == as_markdown(), "run: protokit redflags --markdown > docs/safety/red-flags.md"


def test_protokit_redflags_lists_each_item_with_its_action():
    from conftest import run_protokit

    result = run_protokit("redflags")
    assert result.code == 0
    assert "  emergency  ces-wiping-sensation     altered or no feeling when wiping" in (
        result.stdout
    )
    assert "  urgent     constant-night-pain" in result.stdout
