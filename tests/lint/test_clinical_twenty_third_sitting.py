"""Cases of the twenty-third sitting's clinical review (docs/safety/clinical-review.md, hazards
H942-H949): the maternity unit as a red flag's fourth action. A pregnancy's signs for the
midwife (bleeding that is not heavy, fluid leaking from the vagina, regular tightenings before
37 weeks, the baby moving less or differently) are required on a pregnant patient's sheet and
routed right by `maternity` or `emergency`, never by `urgent` or the clinician; no other sign
goes in the maternity box; "call your midwife" is the maternity unit wherever a text says it;
and fluid leaking from the vagina is no longer read as leaking urine (cauda equina)."""

import pytest
from lint_helpers import lint, only
from lint_helpers import pregnant as as_pregnant

_PREGNANT = ("O26.892", "Other specified pregnancy related conditions, second trimester")
_MATERNITY_ITEMS = [
    "pregnancy-bleeding",
    "pregnancy-waters",
    "pregnancy-tightenings",
    "pregnancy-baby-movements",
]
_SIGNS = {
    "pregnancy-bleeding": "Any bleeding or spotting from your vagina, even if it is light.",
    "pregnancy-waters": "Fluid leaking or gushing from your vagina.",
    "pregnancy-tightenings": "Regular tightenings or period-like pains before 37 weeks.",
    "pregnancy-baby-movements": "Your baby moving less than usual, or differently.",
}


def _with(*, flags=(), stops=(), advice=(), pregnant=True):
    def change(data):
        if pregnant:
            as_pregnant(data, *_PREGNANT)
        data["safety"]["red_flags"] += list(flags)
        data["safety"]["stop_criteria"] += list(stops)
        data["safety"]["general_advice"] += list(advice)

    return change


def _routing(tmp_path, **parts):
    return only(lint(tmp_path, _with(pregnant=False, **parts)), "SAFE006")


def test_a_pregnant_patients_sheet_must_carry_each_maternity_sign(tmp_path):
    missing = only(lint(tmp_path, _with()), "SAFE005")
    for item in _MATERNITY_ITEMS:
        [found] = [f for f in missing if f"'{item}'" in f.message]
        assert "add one with action 'maternity'" in found.message


def test_the_maternity_signs_in_the_maternity_box_are_enough(tmp_path):
    flags = [{"text": t, "action": "maternity"} for t in _SIGNS.values()]
    findings = lint(tmp_path, _with(flags=flags))
    assert not any(f"'{i}'" in f.message for f in only(findings, "SAFE005") for i in _SIGNS)
    assert only(findings, "SAFE006") == []


@pytest.mark.parametrize("item", _MATERNITY_ITEMS)
def test_a_maternity_sign_in_the_urgent_box_is_a_detour(tmp_path, item):
    # A GP or 111 for the baby moving less loses hours the maternity unit would not.
    [found] = _routing(tmp_path, flags=[{"text": _SIGNS[item], "action": "urgent"}])
    assert "needs 'maternity'" in found.message and "set the action to 'maternity'" in found.message


@pytest.mark.parametrize("item", _MATERNITY_ITEMS)
def test_a_maternity_sign_in_the_emergency_box_is_not_an_error(tmp_path, item):
    # 999 for it is over-referral, not harm.
    assert _routing(tmp_path, flags=[{"text": _SIGNS[item], "action": "emergency"}]) == []


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("Chest pain or tightness, or sudden severe breathlessness.", "emergency"),
        ("Back pain with a fever or a high temperature.", "urgent"),
        ("Heavy bleeding from your vagina or passing blood clots.", "emergency"),
    ],
)
def test_no_other_sign_goes_in_the_maternity_box(tmp_path, text, needs):
    # The midwife does not see chest pain, and the 999 signs of a pregnancy go to 999.
    [found] = _routing(tmp_path, flags=[{"text": text, "action": "maternity"}])
    assert f"needs '{needs}'" in found.message and "action 'maternity'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Spotting or light bleeding from your vagina: call your midwife or maternity unit.",
        "Your waters break: tell your therapist.",
    ],
)
def test_a_maternity_sign_among_the_stop_criteria_is_an_error(tmp_path, text):
    [found] = _routing(tmp_path, stops=[text])
    assert "move it to the red flags with action 'maternity'" in found.message


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("If you notice any bleeding from your vagina, call your midwife straight away.", 0),
        ("If you notice any spotting, go to the maternity assessment unit.", 0),
        ("Mention any spotting to your midwife at your next appointment.", 1),
        ("There is no need to call your midwife about light spotting.", 1),
        ("Light spotting is usually nothing to worry about: tell your midwife.", 1),
        ("If your baby moves less than usual, see a doctor today.", 1),
    ],
)
def test_the_maternity_unit_s_words_in_advice(tmp_path, text, errors):
    assert len(_routing(tmp_path, advice=[text])) == errors


@pytest.mark.parametrize(
    "text",
    [
        "Fluid leaking from your vagina: see your GP.",
        "Fluid leaking from your vagina: wait to see if it settles.",
    ],
)
def test_a_maternity_red_flag_that_sends_lower_or_waits(tmp_path, text):
    assert len(_routing(tmp_path, flags=[{"text": text, "action": "maternity"}])) == 1


def test_fluid_from_the_vagina_is_not_read_as_leaking_urine(tmp_path):
    # Part 8: a low back pain sheet's maternity red flag is not the cauda equina sign, which
    # needs 999; leaking urine still is, however it is worded.
    flag = {"text": "Fluid leaking from your vagina.", "action": "maternity"}
    assert _routing(tmp_path, flags=[flag]) == []
    stop = "Leaking urine, or leaking when you cough."
    [found] = _routing(tmp_path, stops=[stop])
    assert "needs 'emergency'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "Squeeze your pelvic floor: do regular pelvic floor contractions through the day.",
        "Hold each contraction of your pelvic floor muscles for 5 seconds.",
        "Take baby steps and move slowly as you turn.",
        "Lift the baby by moving slowly and bending your knees.",
        "Drink plenty of water during the day.",
    ],
)
def test_everyday_words_of_a_pregnancy_sheet_are_not_the_signs(tmp_path, text):
    assert _routing(tmp_path, advice=[text]) == []


# -- The named lists of words that play a sign down (`plays_down_sets`) ----------------------


def test_items_that_share_words_that_play_a_sign_down_name_the_list():
    # Ten items carried one copy each of the same six patterns, seven another's eight: a
    # correction made in one copy and not the others would read the same wait differently.
    import json

    from protocol_kit.package_data import read_json
    from protocol_kit.redflags import red_flag_sets

    data = read_json("protocol_kit.redflags", "red_flags.json")
    named = data["plays_down_sets"]["en"]
    for item_id, raw in data["items"].items():
        listed = [p for p in raw.get("plays_down", {}).get("en", ()) if isinstance(p, str)]
        for patterns in named.values():
            assert not set(patterns) <= set(listed), item_id
    used = red_flag_sets().plays_down_sets
    assert set(used) == set(named) and all(len(ids) > 1 for ids in used.values())
    # The item reads the set's patterns in its place (the set first, then its own), compiled
    # once for every item naming the set.
    items = red_flag_sets().items
    shared = items["stroke"].plays_down["en"]
    assert len(shared) == len(named["call-made-to-wait-or-taken"])
    own = data["items"]["pregnancy-emergency"]["plays_down"]["en"]
    assert own[0] == {"set": "call-made-to-wait-or-taken"}, json.dumps(own[:1])
    read = items["pregnancy-emergency"].plays_down["en"]
    assert len(read) == len(shared) + len(own) - 1
    assert all(a is b for a, b in zip(read, shared, strict=False))


def test_a_list_named_that_the_file_does_not_define_is_refused():
    from protocol_kit.package_data import read_json
    from protocol_kit.redflags import parse

    data = read_json("protocol_kit.redflags", "red_flags.json")
    data = {**data, "items": {**data["items"]}}
    data["items"]["stroke"] = {**data["items"]["stroke"], "plays_down": {"en": [{"set": "x"}]}}
    with pytest.raises(ValueError, match="stroke: unknown plays_down set"):
        parse(data)
