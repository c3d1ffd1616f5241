"""The neck red-flag family (protocol_kit/redflags/red_flags.json, docs/safety/red-flags.md):
a neck protocol must carry the signs of a damaged neck artery or a stroke and of the spinal
cord being pressed on (to the emergency), and of infection, cancer and fracture (a doctor the
same day at least); SAFE005 asks for each and SAFE006 refuses one sent too low."""

import json

import pytest
from lint_helpers import ICD, SNOMED, coding, lint, only

from conftest import REPO
from protocol_kit.model import Coding, Origin
from protocol_kit.redflags import red_flag_sets

WHO = "http://hl7.org/fhir/sid/icd-10"
WALKTHROUGH = REPO / "docs" / "examples" / "walkthrough" / "neck-stiffness.json"
NECK_FLAGS = json.loads(WALKTHROUGH.read_text(encoding="utf-8"))["safety"]["red_flags"]


def family_ids(system, code):
    sets = red_flag_sets()
    return [f.id for f in sets.families_for([Coding(system, code, "x", Origin(""))])]


# A radiculopathy's codes need one arm's weakness getting worse as well (H840).
_NERVE_ROOT = ["cervical-radiculopathy"]


@pytest.mark.parametrize(
    ("system", "code", "also"),
    [
        (ICD, "M54.2", []),
        (ICD, "M54.12", _NERVE_ROOT),
        (ICD, "M50.120", _NERVE_ROOT),
        (ICD, "M48.02", []),
        (ICD, "M47.812", []),
        (ICD, "S13.4XXA", []),
        (WHO, "M54.2", []),
        (WHO, "M50.1", _NERVE_ROOT),
        (WHO, "S13.4", []),
        (SNOMED, "81680005", []),
    ],
)
def test_neck_conditions_need_the_neck_red_flags(system, code, also):
    assert family_ids(system, code) == ["exercise", "neck-pain", *also]


def test_the_low_back_is_not_the_neck():
    assert "neck-pain" not in family_ids(ICD, "M54.50")
    assert "neck-pain" not in family_ids(ICD, "M25.561")


def neck(flags=None, stop_criteria=None):
    def change(data):
        data["indications"] = [coding(ICD, "M54.2", "Cervicalgia")]
        data["safety"]["red_flags"] = json.loads(json.dumps(flags or NECK_FLAGS))
        if stop_criteria is not None:
            data["safety"]["stop_criteria"] = stop_criteria

    return change


def safety(findings):
    return [f for f in findings if f.code in ("SAFE005", "SAFE006", "SAFE007", "SAFE008")]


def test_the_walkthroughs_neck_red_flags_are_complete_and_routed(tmp_path):
    assert safety(lint(tmp_path, neck())) == []


def test_the_walkthroughs_first_neck_set_lacked_the_urgent_group(tmp_path):
    # The walkthrough as it was: chest pain, the artery and the spinal cord, nothing urgent.
    before = [
        NECK_FLAGS[0],
        {
            "text": "A sudden, very bad headache, or dizziness with double vision, slurred "
            "speech, trouble swallowing or a numb face.",
            "action": "emergency",
        },
        {
            "text": "Numbness, pins and needles or weakness in both arms or both legs, or new "
            "trouble with walking or balance.",
            "action": "emergency",
        },
    ]
    missing = {
        f.message.split("covers ('")[1][:-2] for f in only(lint(tmp_path, neck(before)), "SAFE005")
    }
    assert missing == {
        "ces-urinary-retention",
        "ces-incontinence",
        "ces-bowel",
        "fever-or-unwell",
        "weight-loss",
        "trauma",
        "constant-night-pain",
    }


@pytest.mark.parametrize(
    ("words", "item_id"),
    [
        ("unlike any", "cervical-artery"),
        ("clumsy hands", "cervical-myelopathy"),
        ("bladder or bowels", "ces-bowel"),
        ("fever", "fever-or-unwell"),
        ("weight", "weight-loss"),
        ("after a fall", "trauma"),
        ("worse at night", "constant-night-pain"),
    ],
)
def test_each_neck_red_flag_is_required(tmp_path, words, item_id):
    kept = [f for f in NECK_FLAGS if words not in f["text"]]
    assert len(kept) == len(NECK_FLAGS) - 1
    findings = only(lint(tmp_path, neck(kept)), "SAFE005")
    assert any(f"'{item_id}'" in f.message for f in findings), findings


@pytest.mark.parametrize(
    ("words", "action"),
    [
        ("unlike any", "urgent"),  # a dissecting artery sent to the GP
        ("clumsy hands", "urgent"),  # a compressed spinal cord sent to the GP
        ("bladder or bowels", "urgent"),
        ("fever", "clinician"),
        ("worse at night", "clinician"),
    ],
)
def test_a_neck_red_flag_routed_too_low_is_refused(tmp_path, words, action):
    flags = json.loads(json.dumps(NECK_FLAGS))
    stop = None
    if action == "clinician":
        moved = next(f for f in flags if words in f["text"])
        flags.remove(moved)
        stop = [moved["text"]]
    else:
        next(f for f in flags if words in f["text"])["action"] = action
    findings = only(lint(tmp_path, neck(flags, stop)), "SAFE006")
    assert findings, f"{words!r} routed to {action} passed"


@pytest.mark.parametrize(
    "text",
    [
        "Your hands feel clumsy, or you keep dropping things.",
        "Pins and needles in both hands.",
        "An electric shock feeling down your spine when you bend your neck.",
        "You suddenly fall to the ground without warning.",
        "Sudden severe neck pain.",
        "Your face feels numb.",
    ],
)
def test_neck_signs_in_a_stop_criterion_go_to_the_emergency(tmp_path, text):
    findings = only(lint(tmp_path, neck(stop_criteria=[text])), "SAFE006")
    assert [f.pointer for f in findings] == ["/safety/stop_criteria/0"]
    assert "'emergency'" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Pain that spreads into your arm or hand.",
        "Pins and needles or numbness in your arm or hand.",
        "Feeling dizzy or faint.",
        "You feel unsteady on your feet.",
    ],
)
def test_ordinary_neck_stop_criteria_stay_with_the_clinician(tmp_path, text):
    assert only(lint(tmp_path, neck(stop_criteria=[text])), "SAFE006") == []
