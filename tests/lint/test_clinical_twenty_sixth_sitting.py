"""Cases of the twenty-sixth sitting's clinical review (docs/safety/clinical-review.md, hazards
H1032-H1039): a fever in pregnancy goes to the maternity unit, in one place on the sheet, its
back pain's or not; the ankle's red-flag family."""

import copy

import pytest
from lint_helpers import (
    ICD,
    TODAY,
    coding,
    family_sheet,
    findings_of,
    lint,
    minimal,
    only,
    pregnant,
    red_flag_findings,
    variant_files,
)

from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.starter.conditions import starting_red_flags

_PREGNANT = ("Z33.1", "Pregnant state, incidental")
_KNEE = ("M17.11", "Unilateral primary osteoarthritis, right knee")
_FEVER = "A high temperature (a fever), or you feel generally unwell."

# -- A fever in pregnancy (H1032) ------------------------------------------------------------


def _pregnant_back_sheet(action):
    """The minimal protocol (low back pain) coded for a pregnancy, its fever red flag's action
    `action`."""

    def change(data):
        pregnant(data, *_PREGNANT)
        [fever] = [f for f in data["safety"]["red_flags"] if f["covers"] == ["fever-or-unwell"]]
        fever["action"] = action

    return change


@pytest.mark.parametrize(("action", "errors"), [("urgent", 1), ("maternity", 0), ("emergency", 0)])
def test_a_fever_on_a_pregnancy_sheet_coded_for_back_pain_goes_to_the_maternity_unit(
    tmp_path, action, errors
):
    # Before: the back's fever had to be `urgent` ("see a doctor the same day") and the
    # maternity box refused it, so the sheet could not send it where UHB does.
    findings = only(lint(tmp_path, _pregnant_back_sheet(action)), "SAFE006")
    assert len(findings) == errors
    if errors:
        assert "needs 'maternity'" in findings[0].message
        assert "set the action to 'maternity'" in findings[0].message
        assert "pregnancy" in findings[0].message  # why: the sheet's pregnancy


def test_a_fever_in_the_maternity_box_of_a_back_sheet_is_still_an_error(tmp_path):
    def change(data):
        [fever] = [f for f in data["safety"]["red_flags"] if f["covers"] == ["fever-or-unwell"]]
        fever["action"] = "maternity"

    [found] = only(lint(tmp_path, change), "SAFE006")
    assert "needs 'urgent'" in found.message


def test_a_pregnancy_sheet_must_name_a_fever_for_the_maternity_unit(tmp_path):
    # A knee sheet of a pregnant patient: no back family asks for the fever; the pregnancy does.
    def change(data):
        data["indications"] = [coding(ICD, *_KNEE), coding(ICD, *_PREGNANT)]
        data["safety"]["red_flags"] = data["safety"]["red_flags"][:1]  # chest pain

    missing = only(lint(tmp_path, change), "SAFE005")
    [fever] = [f for f in missing if "'fever-or-unwell'" in f.message]
    assert "add one with action 'maternity'" in fever.message
    assert "maternity-when-to-call" in fever.message


def test_an_exercises_text_naming_a_fever_is_read_by_the_sheets_conditions(tmp_path):
    # The same exercise in two files, one coded for a pregnancy: its answers are kept by the
    # exercise, and the pregnancy's file must not be told what the back sheet was (nor the
    # other way), in either order.
    tip = "If you have a fever, see a doctor today."

    def with_tip(data):
        data["exercises"][0]["steps"].append(tip)

    paths = variant_files(
        tmp_path,
        {"back": None, "pregnant": _pregnant_back_sheet("maternity"), "back2": None},
        copies=2,
        prepare=with_tip,
    )
    checker = FileChecker(
        CheckOptions(hooks=(Linter(LintSettings(today=TODAY)),), share_parts=True)
    )
    for path in paths:
        routing = [f for f in findings_of(checker, path) if f[0] == "SAFE006"]
        if "pregnant" in path:
            [(_, pointer, message)] = routing
            assert pointer.startswith("/exercises/0/steps/") and "needs 'maternity'" in message
        else:
            assert routing == [], path


def test_protokit_new_starts_a_pregnancy_sheets_fever_in_the_maternity_box(tmp_path):
    back = coding(ICD, "M54.50", "Low back pain, unspecified")
    for conditions in ([coding(ICD, *_PREGNANT)], [back, coding(ICD, *_PREGNANT)]):
        flags, _ = starting_red_flags(conditions)
        [fever] = [f for f in flags if f["covers"] == ["fever-or-unwell"]]
        assert fever["action"] == "maternity"
    [fever] = [f for f in starting_red_flags([back])[0] if f["covers"] == ["fever-or-unwell"]]
    assert fever["action"] == "urgent"


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"action": "midwife", "sources": ["maternity-when-to-call"]}, "item_actions"),
        ({"action": "maternity", "sources": []}, "sources"),
        ({"action": "maternity", "sources": ["no-such-source"]}, "sources"),
    ],
)
def test_a_familys_item_action_must_be_an_action_with_a_source(given, says):
    from protocol_kit.package_data import read_json
    from protocol_kit.redflags import parse

    data = copy.deepcopy(read_json("protocol_kit.redflags", "red_flags.json"))
    family = next(f for f in data["families"] if f["id"] == "pregnancy")
    family["item_actions"] = {"fever-or-unwell": given}
    with pytest.raises(ValueError, match=says):
        parse(data)


@pytest.mark.parametrize(
    ("conditions", "note", "found"),
    [
        ([_PREGNANT], "If you get a fever, see a doctor today.", ["needs 'maternity'"]),
        ([_PREGNANT], "If you get a fever, call your midwife straight away.", []),
        ([], "If you get a fever, see a doctor today.", []),
        ([], "If you get a fever, call your midwife straight away.", ["needs 'urgent'"]),
    ],
)
def test_a_prescription_note_naming_a_fever_is_read_by_the_sheets_conditions(
    conditions, note, found
):
    from types import SimpleNamespace

    from protocol_kit.model import Coding, Origin
    from protocol_kit.prescribing.notes import note_findings

    back = Coding(ICD, "M54.50", "Low back pain, unspecified", Origin("", ""))
    protocol = SimpleNamespace(
        language="en",
        exercises=(),
        indications=[back, *(Coding(ICD, *c, Origin("", "")) for c in conditions)],
        safety=SimpleNamespace(pain_guide=SimpleNamespace(amber_max=5)),
    )
    findings = [f for f in note_findings({"notes": [note]}, protocol) if f.code == "RX015"]
    assert [says for says in found if any(says in f.message for f in findings)] == found
    assert len(findings) == len(found)


# -- The ankle (H1033) -------------------------------------------------------------------------

_ANKLE = ("S93.401A", "Sprain of unspecified ligament of right ankle, initial encounter")
# The twenty-seventh sitting added the Achilles tendon's tear and a clot in the leg or lungs.
_ANKLE_ITEMS = (
    "fracture-emergency",
    "injury-numb-cold",
    "achilles-rupture",
    "pulmonary-embolism",
    "suspected-fracture",
    "dvt",
    "fever-or-unwell",
)


def _ankle_sheet(*, flags=None, advice=(), stops=()):
    """The minimal protocol as an ankle sprain's sheet: its red flags those `protokit new
    protocol --condition S93.401A` starts with (or `flags`), after chest pain."""
    return family_sheet([coding(ICD, *_ANKLE)], flags=flags, advice=advice, stops=stops)


def test_an_ankle_sheet_must_carry_the_ankles_red_flags(tmp_path):
    missing = only(lint(tmp_path, _ankle_sheet(flags=[])), "SAFE005")
    assert sorted(i for i in _ANKLE_ITEMS if any(f"'{i}'" in f.message for f in missing)) == sorted(
        _ANKLE_ITEMS
    )
    assert not any("'ces-" in f.message or "'trauma'" in f.message for f in missing)


def test_the_ankles_starting_red_flags_pass_every_red_flag_rule(tmp_path):
    started, titles = starting_red_flags([coding(ICD, *_ANKLE)])
    assert [f["covers"] for f in started] == [[i] for i in _ANKLE_ITEMS]
    # A suspected broken bone is an emergency since the twenty-eighth sitting (H1133).
    assert [f["action"] for f in started] == [*["emergency"] * 5, *["urgent"] * 2]
    assert titles == ["an ankle sprain or ankle pain"]
    assert red_flag_findings(lint(tmp_path, _ankle_sheet())) == []


@pytest.mark.parametrize(
    "text",
    [
        "After a new twist of your ankle, your foot goes cold and pale or numb: call your clinic.",
        "Your foot is numb after a fall.",
    ],
)
def test_a_cold_numb_foot_after_an_injury_needs_999(tmp_path, text):
    [found] = only(lint(tmp_path, _ankle_sheet(stops=[text])), "SAFE006")
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Some bruising after a sprain is normal: the skin may look blue or purple for a week.",
        "Put an ice pack on for up to 20 minutes; stop if your skin feels numb.",
        "After your sprain, your ankle may stay a little swollen for some weeks.",
        "Your foot may feel cold in winter: wear warm socks for the exercises.",
    ],
)
def test_an_ankle_sheets_everyday_words_are_not_a_red_flag(tmp_path, text):
    assert only(lint(tmp_path, _ankle_sheet(advice=[text])), "SAFE006") == []


@pytest.mark.parametrize(
    ("system", "code", "ankle"),
    [
        (ICD, "M25.572", True),
        (ICD, "S93.491A", True),
        (ICD, "M25.562", False),  # the knee
        ("http://hl7.org/fhir/sid/icd-10", "S93.4", True),
    ],
)
def test_the_ankles_codes(system, code, ankle):
    from protocol_kit.model import Coding, Origin
    from protocol_kit.redflags import red_flag_sets

    families = red_flag_sets().families_for([Coding(system, code, "", Origin("", ""))])
    assert ("ankle" in [f.id for f in families]) == ankle


# -- Night pain in an exercise's text on a shoulder sheet (H1034) -----------------------------

_NIGHT = "Shoulder pain at night is common with this problem: lie on your other side."


def test_usual_night_pain_in_an_exercises_text_is_read_by_the_sheets_conditions(tmp_path):
    # The same exercise step on a shoulder sheet (usual night pain: no red flag) and on one
    # also coded for the back (NG59's night pain: the red flag), in one run, either order.
    back = coding(ICD, "M54.50", "Low back pain, unspecified")
    shoulder = coding(ICD, "M75.01", "Adhesive capsulitis of right shoulder")

    shoulder_sheet = family_sheet([shoulder])

    def also_back(data):
        shoulder_sheet(data)
        data["indications"].append(back)
        data["safety"]["red_flags"] = minimal_flags + data["safety"]["red_flags"][1:]

    minimal_flags = minimal()["safety"]["red_flags"]
    paths = variant_files(
        tmp_path,
        {"shoulder": shoulder_sheet, "both": also_back},
        copies=2,
        prepare=lambda data: data["exercises"][0]["steps"].append(_NIGHT),
    )
    checker = FileChecker(
        CheckOptions(hooks=(Linter(LintSettings(today=TODAY)),), share_parts=True)
    )
    for path in paths:
        steps = [
            message
            for code, pointer, message in findings_of(checker, path)
            if code == "SAFE006" and pointer.startswith("/exercises/0/steps/")
        ]
        if "both" in path:
            assert len(steps) == 1 and "needs 'urgent'" in steps[0], path
        else:
            assert steps == [], path
