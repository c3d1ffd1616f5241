"""SAFE014 pain-target: a text that sends the patient into a pain the pain guide says means
stop (H392). The minimal protocol's guide: 0-3 carry on, 4-5 take care, above 5 stop."""

import pytest
from lint_helpers import advice, library_exercise, lint, only, step


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("Aim for a pain of 7 out of 10.", 7),
        ("Aim for a pain of seven out of ten.", 7),
        ("It is fine to feel pain up to 7/10 while you exercise.", 7),
        ("Pain of 6 out of 10 during the exercise is acceptable.", 6),
        ("Work at a pain level of 6-7/10.", 7),
        ("A pain score of 6 to 8 out of 10 is normal during this exercise.", 8),
        ("Some soreness, up to 7/10, is expected.", 7),
        ("You should feel a pain of about 7/10 at the end of each set.", 7),
        ("Keep the pain below 8 out of 10.", 7),
        ("Let the pain reach no more than 7 out of 10.", 7),
        ("It's okay to work into discomfort of 7 out of 10.", 7),
        ("Aim for a pain of 7 out of 10, and stop if it is sharp.", 7),
        ("Pain up to 7 out of 10 is acceptable if it settles by the next morning.", 7),
        ("Target pain: 6 out of 10.", 6),
    ],
)
def test_a_pain_the_guide_says_means_stop_given_as_a_target(tmp_path, text, score):
    findings = only(lint(tmp_path, step(text)), "SAFE014")
    assert [f.pointer for f in findings] == ["/exercises/0/steps/2"]
    assert f"a pain of {score} out of 10" in findings[0].message
    assert "stop above 5" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Stop if the pain goes above 3 out of 10, and rest.",
        "If your pain reaches 6/10, stop for today.",
        "When the pain gets up to 7/10, stop.",
        "Pain above 5 out of 10 means stop.",
        "Pain of 7 out of 10 or more: stop.",
        "Reduce the range if pain gets to 6/10.",
        "Do not let the pain get above 4/10.",
        "If the pain is 6 out of 10 or more the next morning, call us.",
        "Some discomfort is fine, up to 3 out of 10.",
        "Pain up to 5 out of 10 is acceptable if it settles by the next morning.",
        "Aim for an effort of 7 out of 10.",
        "Work hard: about 7 out of 10 effort, with no more than 2/10 pain.",
        "Work at an effort of 8 out of 10 (hard), pain-free.",
        "Aim to hold for 7 seconds; pain should stay below 3/10.",
        "Rate your pain from 0 to 10 after each session.",
        "Pain should settle to 2 out of 10 within an hour.",
    ],
)
def test_a_score_to_stop_at_or_within_the_guide_is_not_reported(tmp_path, text):
    assert only(lint(tmp_path, step(text)), "SAFE014") == []


def test_the_score_is_judged_against_this_protocols_guide(tmp_path):
    def wider(data):
        data["safety"]["pain_guide"].update({"green_max": 4, "amber_max": 7})
        data["exercises"][0]["steps"].append("Aim for a pain of 7 out of 10.")

    assert only(lint(tmp_path, wider), "SAFE014") == []


def test_how_it_should_feel_sets_a_target_without_target_words(tmp_path):
    def feel(data):
        data["exercises"][0]["dosage"]["intensity"] = "A strong stretch, about 8 out of 10 pain"

    findings = only(lint(tmp_path, feel), "SAFE014")
    assert [f.pointer for f in findings] == ["/exercises/0/dosage/intensity"]


@pytest.mark.parametrize(
    "change",
    [
        advice("It is fine to feel pain up to 7/10 while you exercise."),
        lambda data: data["safety"]["pain_guide"].__setitem__(
            "amber", "Pain up to 8 out of 10 is fine: carry on."
        ),
    ],
)
def test_a_target_in_the_protocols_own_texts(tmp_path, change):
    findings = only(lint(tmp_path, change), "SAFE014")
    assert len(findings) == 1
    assert findings[0].pointer in ("/safety/general_advice/0", "/safety/pain_guide/amber")


def test_a_target_in_a_library_exercise_is_reported_where_the_protocol_uses_it(tmp_path):
    def aim(body):
        body["steps"].append("Aim for a pain of 7 out of 10.")

    exercise_id = library_exercise(tmp_path, aim)

    findings = only(lint(tmp_path, lambda d: d.update(exercises=[{"ref": exercise_id}])), "SAFE014")
    assert len(findings) == 1 and findings[0].pointer.startswith("/exercises/0")
    assert "library/cat-cow.json" in findings[0].message


@pytest.mark.parametrize(
    "text",
    ["Pain above 5: carry on but do fewer.", "Strong pain is normal at first."],
)
def test_a_red_band_that_tells_the_patient_to_carry_on(tmp_path, text):
    def red(data):
        data["safety"]["pain_guide"]["red"] = text

    findings = only(lint(tmp_path, red), "SAFE014")
    assert [f.pointer for f in findings] == ["/safety/pain_guide/red"]


@pytest.mark.parametrize(
    "text",
    [
        "Strong pain: stop the exercises for today and contact your therapist before you "
        "start again.",
        "Stop for today; continue tomorrow only if it has settled.",
    ],
)
def test_a_red_band_that_says_stop_is_fine(tmp_path, text):
    def red(data):
        data["safety"]["pain_guide"]["red"] = text

    assert only(lint(tmp_path, red), "SAFE014") == []


def _library_file_findings(tmp_path, text):
    """SAFE014's findings for the library file alone (as the pre-commit hook checks a commit
    of only that file) whose "how it should feel" is `text`."""
    from lint_helpers import lint_file

    def feel(body):
        body["dosage"]["intensity"] = text

    library_exercise(tmp_path, feel)
    return only(lint_file(tmp_path / "library" / "cat-cow.json"), "SAFE014")


def test_a_library_exercise_alone_is_judged_against_the_starting_guide(tmp_path):
    """H655: a library file has no pain guide; its stand-in's bands were 0 and 0, so "keep
    any pain at 3 out of 10 or less" (the rule's own good example) was an error in the
    library file, "the pain guide says stop above 0", and passed in every protocol using it.
    It is judged against the starting pain guide's bands (stop above 5)."""
    assert _library_file_findings(tmp_path, "Keep any pain at 3 out of 10 or less.") == []


def test_a_library_exercise_alone_still_refuses_a_target_above_the_starting_guide(tmp_path):
    findings = _library_file_findings(tmp_path, "Work at a pain of 8 out of 10.")
    assert [f.pointer for f in findings] == ["/dosage/intensity"]
    message = findings[0].message
    assert "a pain of 8 out of 10" in message
    assert "a library exercise has no pain guide of its own" in message
    assert "stop above 5" in message and "stop above 0" not in message


def test_the_starting_bands_are_those_a_new_protocol_gets():
    from protocol_kit.starter.texts import starting_pain_bands
    from protocol_kit.templates import new_protocol

    guide = new_protocol("knee")["safety"]["pain_guide"]
    assert (guide["green_max"], guide["amber_max"]) == (3, 5)
    assert starting_pain_bands() == {"green_max": 3, "amber_max": 5}
