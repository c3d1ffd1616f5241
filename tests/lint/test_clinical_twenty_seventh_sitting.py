"""Cases of the twenty-seventh sitting's clinical review (docs/safety/clinical-review.md, hazards
H1086-H1095): a crack heard at the injury goes to the emergency department; the ankle's
Achilles tendon and a clot in the leg or lungs; RICE's "raise your leg to help the swelling go
down" is not a clot; a sign named in an exercise's harder version is routed as its own."""

import pytest
from lint_helpers import (
    ICD,
    coding,
    exercise,
    family_sheet,
    library_exercise,
    lint,
    only,
)

from protocol_kit.model import Coding, Origin
from protocol_kit.redflags import red_flag_sets
from protocol_kit.starter.conditions import starting_red_flags

_ANKLE = coding(ICD, "S93.401A", "Sprain of unspecified ligament of right ankle, initial encounter")
_ACHILLES = coding(ICD, "M76.62", "Achilles tendinitis, left leg")


def _flag(text, action, covers=None):
    flag = {"text": text, "action": action}
    if covers:
        flag["covers"] = covers
    return flag


def _ankle_sheet_with(*extra, advice=(), stops=()):
    """An ankle sprain's sheet: the red flags `protokit new` starts with, then `extra`."""

    def change(data):
        family_sheet([_ANKLE], advice=advice, stops=stops)(data)
        data["safety"]["red_flags"] += list(extra)

    return change


# -- A crack heard at the injury (H1086) -----------------------------------------------------

_CRACK = "You heard a crack or a snap when you twisted your ankle."


@pytest.mark.parametrize(("action", "errors"), [("urgent", 1), ("emergency", 0)])
def test_a_crack_heard_at_the_injury_needs_the_emergency_department(tmp_path, action, errors):
    # Portsmouth's "Sprains and strains" puts it in its red group (999 or A&E at once); the
    # urgent box ("see a doctor the same day") sent the patient to a GP, who cannot X-ray.
    findings = only(lint(tmp_path, _ankle_sheet_with(_flag(_CRACK, action))), "SAFE006")
    assert len(findings) == errors
    if errors:
        assert "needs 'emergency'" in findings[0].message
        assert "crack or snap you heard" in findings[0].message  # the item's summary


def test_every_ankle_sheet_starts_the_crack_in_the_emergency_box():
    started, _ = starting_red_flags([_ANKLE])
    boxes = {flag["action"] for flag in started if "crack" in flag["text"]}
    assert boxes == {"emergency"}


@pytest.mark.parametrize(
    "text",
    [
        "When you sprained your ankle, you heard a crack.",
        "You heard a snap as you went over on your ankle.",
        "You heard a crack when you rolled your ankle.",
        "You heard a crack when you landed.",
    ],
)
def test_a_crack_heard_in_a_sprains_own_words_needs_999(tmp_path, text):
    # The words a patient uses for the injury: a sprain, going over, rolling the ankle.
    [found] = only(lint(tmp_path, _ankle_sheet_with(stops=[text])), "SAFE006")
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "You may hear a click or a crack in your knee when you bend it: this is normal.",
        "After you have rolled along the foam roller, you may hear a crack in your back.",
        "Roll the ball under your foot; you may hear a crack in your toes.",
    ],
)
def test_a_joints_everyday_crack_is_still_no_crack_of_an_injury(tmp_path, text):
    assert only(lint(tmp_path, _ankle_sheet_with(advice=[text])), "SAFE006") == []


# -- The Achilles tendon torn (H1087) ---------------------------------------------------------


def test_an_ankle_sheet_must_carry_the_achilles_tear_and_a_clot(tmp_path):
    def without(data):
        family_sheet([_ANKLE])(data)
        data["safety"]["red_flags"] = [
            flag
            for flag in data["safety"]["red_flags"]
            if not set(flag.get("covers", ())) & {"achilles-rupture", "dvt", "pulmonary-embolism"}
        ]

    missing = only(lint(tmp_path, without), "SAFE005")
    for item in ("achilles-rupture", "dvt", "pulmonary-embolism"):
        assert any(f"'{item}'" in f.message for f in missing), item


@pytest.mark.parametrize(
    "text",
    [
        "A sudden snap at the back of your heel, as if someone kicked you there.",
        "You feel as if you were kicked in the back of your calf.",
        "It felt as if someone kicked you in the heel.",
        "It felt like being hit in the calf.",
        "After a bang at the back of your ankle you suddenly cannot stand on tiptoe.",
        "You think you may have torn your Achilles tendon.",
    ],
)
def test_an_achilles_tear_needs_the_emergency_department(tmp_path, text):
    [found] = only(lint(tmp_path, _ankle_sheet_with(stops=[text])), "SAFE006")
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "If you cannot stand on tiptoe on one leg yet, use both feet.",
        "After your injury, if you cannot stand on your toes, hold a chair.",
        "Your heel may pop up as you rise on your toes.",
        "Do not kick your heel up behind you.",
        "Hold the stretch until you feel it in the calf.",
        "After your Achilles rupture was repaired, your calf will feel weak for some months.",
    ],
)
def test_a_heel_raises_everyday_words_are_not_an_achilles_tear(tmp_path, text):
    assert only(lint(tmp_path, _ankle_sheet_with(advice=[text])), "SAFE006") == []


@pytest.mark.parametrize(
    ("code", "achilles"),
    [("M76.62", True), ("S86.011A", True), ("M76.52", False)],  # M76.5: the knee's tendon
)
def test_an_achilles_sheet_is_asked_for_the_tear(code, achilles):
    sets = red_flag_sets()
    families = sets.families_for([Coding(ICD, code, "", Origin("", ""))])
    needed = {item for family in families for item in family.required}
    assert ("achilles-rupture" in needed) == achilles


def test_the_achilles_starting_red_flag_passes_every_red_flag_rule(tmp_path):
    started, titles = starting_red_flags([_ACHILLES])
    assert [(f["covers"], f["action"]) for f in started] == [(["achilles-rupture"], "emergency")]
    assert titles == ["an Achilles tendon problem (tendinopathy, or after a tear)"]
    findings = lint(tmp_path, family_sheet([_ACHILLES]))
    assert [f for f in findings if f.code in ("SAFE005", "SAFE006", "SAFE007", "SAFE008")] == []


# -- Raising the leg to help the swelling go down (H1089) -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Keep your leg raised on a pillow to help the swelling go down.",
        "Raise your leg to reduce swelling.",
        "Elevate: keep your leg up to help prevent swelling.",
    ],
)
def test_raising_the_leg_for_the_swelling_is_not_a_clot(tmp_path, text):
    assert only(lint(tmp_path, _ankle_sheet_with(advice=[text])), "SAFE006") == []


@pytest.mark.parametrize(
    "text",
    [
        "Your calf becomes swollen and painful, and it is new.",
        "Calf swelling that does not go down when you raise your leg, and pain in it.",
        "Wear the stocking to reduce swelling; your calf becomes swollen and painful.",
    ],
)
def test_a_swollen_calf_is_still_a_clot(tmp_path, text):
    [found] = only(lint(tmp_path, _ankle_sheet_with(advice=[text])), "SAFE006")
    assert "blood clot in a leg" in found.message


# -- A sign in an exercise's harder version (H1088) -------------------------------------------

_HARDER = "Do a third set. If you get chest pain, mention it at your next appointment."


def test_a_sign_in_the_harder_version_is_routed_as_the_exercises_own(tmp_path):
    def harder(data):
        exercise(data)["progression"] = _HARDER

    [found] = only(lint(tmp_path, harder), "SAFE006")
    assert found.pointer == "/exercises/0/progression"
    assert found.message.startswith("harder version")
    assert "needs 'emergency'" in found.message


def test_a_sign_in_a_library_exercises_harder_version_is_routed_too(tmp_path):
    def harder(body):
        body["progression"] = _HARDER

    reference = library_exercise(tmp_path, harder)

    def use(data):
        data["exercises"] = [{"ref": reference}]

    findings = only(lint(tmp_path, use), "SAFE006")
    assert any("needs 'emergency'" in f.message and "harder version" in f.message for f in findings)


def test_a_harder_version_without_a_sign_is_not_read_as_one(tmp_path):
    def harder(data):
        exercise(data)["progression"] = "Hold for 5 seconds at the top, or do a third set."

    assert only(lint(tmp_path, harder), "SAFE006") == []


# -- The fever's starting text (H1090) ---------------------------------------------------------


def test_the_fevers_starting_text_asks_for_no_pain(tmp_path):
    # "Pain with a fever" read as a fever with pain only: a pregnant patient, or an ankle's,
    # with a high temperature and no pain waited (UHB and Portsmouth name the temperature).
    started, _ = starting_red_flags([_ANKLE])
    [fever] = [f for f in started if f["covers"] == ["fever-or-unwell"]]
    assert not fever["text"].lower().startswith("pain")
    assert "hot and shivery" in fever["text"]
    text = "You feel hot and shivery: tell your therapist at your next appointment."
    [found] = only(lint(tmp_path, _ankle_sheet_with(stops=[text])), "SAFE006")
    assert "needs 'urgent'" in found.message


# -- A clot after an Achilles tendon injury (H1091) -------------------------------------------


@pytest.mark.parametrize(
    ("code", "display", "clot"),
    [
        ("S86.011A", "Strain of right Achilles tendon, initial encounter", True),
        ("M76.62", "Achilles tendinitis, left leg", False),  # no boot, no cast
    ],
)
def test_an_achilles_injury_sheet_must_carry_a_clot(tmp_path, code, display, clot):
    def bare(data):
        family_sheet([coding(ICD, code, display)])(data)
        data["safety"]["red_flags"] = [
            flag
            for flag in data["safety"]["red_flags"]
            if not set(flag.get("covers", ())) & {"dvt", "pulmonary-embolism"}
        ]

    missing = only(lint(tmp_path, bare), "SAFE005")
    for item in ("dvt", "pulmonary-embolism"):
        assert any(f"'{item}'" in f.message for f in missing) == clot, item
