"""Cases of the twelfth sitting's clinical review (docs/safety/clinical-review.md, hazards
H595 to H599): pain pushed through in other words, a nerve sign called normal, a stop
criterion that undoes itself, the emergency number offered beside a slower place, palpitations
with severe breathlessness, a translation that leaves out a safety number or sentence, and a
prescription's note that plays a sign down.
Each class has cases a rule must catch and safe texts it must not."""

import json
import shutil

import pytest
from lint_helpers import MINIMAL, advice, codes, lint, lint_file, only, red_flag, step, stop

from conftest import CASES, CLINIC_NUMBERS, PROTOCOLS, REPO, run_protokit
from protocol_kit.lint.rules.safety_translation import left_out
from protocol_kit.prescribing.notes import findings_without_protocol

FLAGS = [f["text"] for f in MINIMAL["safety"]["red_flags"]]

# -- H595: pain pushed through, or a nerve sign set aside, in other words --------------------


@pytest.mark.parametrize(
    "change",
    [
        advice("If you feel a sharp pain, push through it and finish the set."),
        advice("If it hurts, work through it."),
        step("Ignore any shooting pain down the leg and keep going."),
        advice("Sharp pain during the exercise is normal, carry on."),
        advice("Pain during the exercises is normal and you can ignore it."),
        advice("Numbness or tingling in the leg is normal and can be ignored."),
        step("Ignore the tingling in your foot."),
        stop("Severe pain, unless you feel you can manage it."),
        stop("Pain that spreads down your leg, unless it is bearable."),
        # Found by the second round of probes, after the fix.
        advice("If you feel a sharp pain, just push on through."),
        advice("Shooting pains down the leg are normal at first."),
    ],
)
def test_pain_or_a_nerve_sign_set_aside_is_refused(tmp_path, change):
    # The sheet's stop criteria say sharp or spreading pain means stop (practice; NG59: leg
    # symptoms are assessed): a text that calls them normal or says to go on contradicts them.
    findings = only(lint(tmp_path, change), "SAFE013")
    assert len(findings) == 1
    assert "ignore pain or exercise through it" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        advice("If you feel a sharp pain, do not push through it: stop and rest."),
        advice("If it hurts, never push through it."),
        advice("Sharp pain is not normal: stop."),
        advice("Pain that spreads down your leg should never be ignored."),
        advice("If you feel pain, do not ignore it."),
        advice("Do not ignore any sharp pain."),
        advice("Numbness or tingling means the ball is on a nerve: move it, do not ignore it."),
        advice("Mild discomfort is normal and usually settles within a few hours."),
        advice("Some muscle ache the next day is normal; keep moving gently through it."),
        advice("Ignore the clicking noise unless pain comes with it."),
        advice("If the pain eases, continue through the rest of the set."),
    ],
)
def test_the_right_advice_about_pain_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE013") == []


# -- H596: the emergency number, or the same-day doctor, offered beside a slower place -------


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Chest pain or tightness: call 999 or your physiotherapist."),
        (0, "Chest pain or tightness: call 999 or ring your physiotherapist."),
        (0, "Chest pain or tightness: call 999 or see your GP."),
        (3, "New difficulty passing urine: call an ambulance or contact the clinic."),
        (10, "Back pain with a fever: see your GP today or your physiotherapist."),
        # Found by the second round of probes, after the fix.
        (0, "Chest pain or tightness: call 999 or 111."),
        (0, "Chest pain or tightness: call 999 or, if you prefer, your physiotherapist."),
        (3, "New difficulty passing urine: go to A&E or see your GP."),
        (3, "New difficulty passing urine: go to A&E, or your GP if it is the weekend."),
    ],
)
def test_a_slower_place_beside_the_call_plays_the_sign_down(tmp_path, index, text):
    # CKS chest pain, the CES card: the action is the emergency number; NG59, CKS low back
    # pain: a fever with back pain is seen by a doctor the same day. "Or your physiotherapist"
    # lets the patient choose the slower place.
    findings = only(lint(tmp_path, red_flag(index, text)), "SAFE006")
    assert codes(findings) == [("SAFE006", f"/safety/red_flags/{index}/action")]
    assert "plays it down" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        red_flag(0, "Chest pain or tightness: call 999 or go to the emergency department now."),
        red_flag(0, "Chest pain or tightness: call 999 rather than your physiotherapist or GP."),
        red_flag(0, "Chest pain or tightness: call 999, then tell your physiotherapist later."),
        advice("Call your physiotherapist or GP if the pain is no better in two weeks."),
        advice("Tell your GP or physiotherapist if you are pregnant."),
        red_flag(0, "Chest pain or tightness: go to A&E or call 999."),
        red_flag(0, "Chest pain or tightness: call 999 or 112."),
        red_flag(10, "Back pain with a fever: call 111, or 999 if you feel very unwell."),
    ],
)
def test_the_call_alone_or_a_place_for_what_is_no_sign_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


# -- H597: palpitations with severe breathlessness ---------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        stop("Your heart is pounding and you are struggling to breathe."),
        stop("Palpitations with severe breathlessness."),
        advice("If your heart races and you cannot catch your breath, stop and rest."),
        stop("Gasping for air with a fluttering heartbeat."),
    ],
)
def test_palpitations_with_severe_breathlessness_need_the_emergency_number(tmp_path, change):
    # NICE CKS Palpitations: palpitations with severe breathlessness need emergency assessment.
    findings = only(lint(tmp_path, change), "SAFE006")
    assert len(findings) == 1
    assert "severe breathlessness" in findings[0].message and "'emergency'" in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        advice("Your heart rate and breathing will go up as you exercise: this is normal."),
        stop("Your heart races and you feel a little out of breath."),
        stop("Feeling much more out of breath than the exercise should make you."),
        advice("If your heart races and you are struggling to breathe, call 999 now."),
    ],
)
def test_ordinary_breathlessness_or_a_call_to_999_is_no_finding(tmp_path, change):
    assert only(lint(tmp_path, change), "SAFE006") == []


# -- H598: a translation that leaves out a safety number or sentence -----------------------------


def translated(where, english, french):
    """The minimal protocol in English and French, the text at `where` given in both; every
    other text in French as the English."""

    def both(value):
        return {"en-GB": value, "fr": value}

    def change(data):
        data["translations"] = ["fr"]
        _each_text(data, both)
        where(data)["en-GB"], where(data)["fr"] = english, french

    return change


_TEXT_KEYS = {
    "title", "summary", "text", "green", "amber", "red", "name", "purpose", "starting_position",
    "intensity", "progression", "regression", "patient_advice", "warm_up", "cool_down",
}  # fmt: skip
_TEXT_LISTS = {
    "stop_criteria",
    "general_advice",
    "education",
    "steps",
    "cues",
    "common_mistakes",
    "equipment",
}


def _each_text(node, both, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("authors", "indications", "contraindications"):
                continue  # names and clinician's notes, not patient text
            if isinstance(v, str) and k in _TEXT_KEYS:
                node[k] = both(v)
            elif isinstance(v, list) and k in _TEXT_LISTS:
                node[k] = [both(x) if isinstance(x, str) else x for x in v]
            else:
                _each_text(v, both, k)
    elif isinstance(node, list):
        for v in node:
            _each_text(v, both, key)


def _stop(data):
    return data["safety"]["stop_criteria"][0]


def _flag(data):
    return data["safety"]["red_flags"][0]["text"]


@pytest.mark.parametrize(
    ("where", "english", "french", "said"),
    [
        (_stop, "Sharp pain. Pain above 5 out of 10.", "Douleur vive.", '"5", "10"'),
        (_stop, "Sharp pain. Pain that spreads down your leg.", "Douleur vive.", "1 sentence"),
        (_flag, "Chest pain or tightness: call 999 now.", "Douleur thoracique : appelez.", '"999"'),
    ],
)
def test_a_translation_that_leaves_out_a_safety_number_or_sentence(
    tmp_path, where, english, french, said
):
    # Hazard H598: the sheet printed in French prints the French only.
    findings = only(lint(tmp_path, translated(where, english, french)), "SAFE015")
    assert len(findings) == 1
    assert findings[0].pointer.endswith("/fr") and said in findings[0].message


@pytest.mark.parametrize(
    ("where", "english", "french"),
    [
        (_stop, "Sharp pain. Pain above 5 out of 10.", "Douleur vive. Douleur au-dessus de 5/10."),
        (_stop, "Pain above 1.5 on the scale.", "Douleur au-dessus de 1,5 sur l'échelle."),
        (_flag, "Chest pain, e.g. tightness: call 999.", "Douleur thoracique : appelez le 999."),
        (_stop, "Sharp pain.", "Douleur vive. Arrêtez. Z. B. mehr."),
    ],
)
def test_a_whole_translation_is_no_finding(tmp_path, where, english, french):
    assert only(lint(tmp_path, translated(where, english, french)), "SAFE015") == []


def test_the_translated_cases_and_the_examples_are_no_finding():
    for case in ("translated-protocol", "library-override-translated"):
        path = CASES / "validate" / "valid" / case / "protocol.json"
        assert left_out("Sharp or spreading pain.", "FR Sharp or spreading pain.") is None
        assert "SAFE015" not in {f.code for f in lint_file(path)}
    for path in sorted(PROTOCOLS.glob("*.json")):
        assert "SAFE015" not in {f.code for f in lint_file(path)}


def test_the_rule_cannot_be_turned_off():
    from protocol_kit.lint.registry import RULES

    rule = next(r for r in RULES if r.code == "SAFE015")
    assert rule.ignorable is False


def test_the_new_red_flag_item_is_an_emergency_with_named_sources():
    data = json.loads((REPO / "protocol_kit/redflags/red_flags.json").read_text())
    item = data["items"]["palpitations-breathless"]
    assert item["action"] == "emergency"
    assert item["sources"] and set(item["sources"]) <= set(data["sources"])


# -- H599: a prescription's note sent far enough, but played down ------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "Chest pain or tightness: call 999 or your physiotherapist.",
        "If you get chest pain, sit and rest for 15 minutes, and call 999 if it persists.",
        "Chest pain during the exercises is probably muscular, but call 999.",
        "Numbness between your legs is very unlikely, but go to A&E if it happens.",
        "If your heart races and you feel faint, wait to see if it settles, then call 999.",
    ],
)
def test_a_prescription_note_that_plays_a_sign_down_is_refused(note):
    # The note prints under the clinician's name (H167); SAFE006 refused these words in the
    # protocol's advice, RX015 read only where the note sent the patient.
    findings = list(findings_without_protocol({"notes": [note]}))
    assert [(f.code, f.pointer) for f in findings] == [("RX015", "/notes/0")]
    assert "plays it down" in findings[0].message


@pytest.mark.parametrize(
    "note",
    [
        "If you get chest pain, call 999 straight away.",
        "Numbness between your legs: go to A&E now, do not wait to see if it settles.",
        "Bring this sheet and your exercise log to your next appointment.",
        "Mild soreness the next day is common and nothing to worry about.",
    ],
)
def test_a_prescription_note_sent_without_a_wait_is_no_finding(note):
    assert list(findings_without_protocol({"notes": [note]})) == []


def test_validate_refuses_a_played_down_note_beside_its_protocol(tmp_path):
    # The whole flow: the prescription beside the example protocol, checked by `validate`.
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS)
    rx = json.loads((REPO / "docs/examples/prescription-psoas.json").read_text())
    rx["notes"] = ["Chest pain or tightness: call 999 or your physiotherapist."]
    (tmp_path / "rx.json").write_text(json.dumps(rx))
    result = run_protokit("validate", "rx.json", cwd=tmp_path)
    assert result.code == 1
    assert "rx.json" in result.stdout and "RX015" in result.stdout
    assert "plays it down" in result.stdout
