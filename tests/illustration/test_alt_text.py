"""The alt text: the picture in words, in every language of the sheet; the author's own
description wins."""

from __future__ import annotations

import pytest
from pose_helpers import exercise_with, library

from protocol_kit.errors import UsageError
from protocol_kit.illustration import alt_text, vocabulary

LANGUAGES = vocabulary.languages()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_library_picture_is_described_in_every_language(language):
    for exercise in library():
        text = alt_text(exercise, language)
        posture = vocabulary.postures()[exercise.poses.start.posture]["names"][language]
        assert posture[1:] in text, (exercise.id, language)
        assert "{" not in text and "}" not in text
        assert text.endswith("."), text


def test_english_description_says_what_changes():
    bridge = next(e for e in library() if e.id == "glute-bridge")
    text = alt_text(bridge, "en-GB")
    assert text.startswith("Start: lying on the back with the knees bent. End: as at the start")
    assert "both hips straight" in text and "both knees bent 85°" in text
    assert "Equipment: exercise mat." in text and "Seen from the side." in text


def test_knee_rolls_read_as_the_knees_rolling():
    rolls = next(e for e in library() if e.id == "lying-knee-rolls")
    assert "knees and hips rolled to the right 40°" in alt_text(rolls, "en")
    assert "Seen from the feet." in alt_text(rolls, "en")


def test_props_take_the_case_their_preposition_needs():
    roller = next(e for e in library() if e.id == "mid-back-extension-foam-roller")
    assert "foam roller under the upper back" in alt_text(roller, "en")
    assert "Schaumstoffrolle unter dem oberen Rücken" in alt_text(roller, "de")
    assert "wałek piankowy pod górną częścią pleców" in alt_text(roller, "pl")
    ball = next(e for e in library() if e.id == "buttock-release-ball-wall")
    spanish = alt_text(ball, "es")
    assert "detrás del glúteo derecho" in spanish and "de el " not in spanish


def test_author_alt_text_wins_in_its_language():
    data = {
        "start": {"posture": "standing"},
        "alt": {"en": "A person standing tall.", "fr": "Une personne debout."},
    }
    exercise = exercise_with(data)
    assert alt_text(exercise, "en-GB") == "A person standing tall."
    assert alt_text(exercise, "fr") == "Une personne debout."
    assert alt_text(exercise, "de").startswith("Position: im Stand.")


def test_language_the_sheet_cannot_print_is_a_clear_error():
    with pytest.raises(UsageError, match="no illustration wording for language 'ja'"):
        alt_text(library()[0], "ja")


def test_no_poses_no_description():
    assert alt_text(exercise_with(None), "en") == ""


def test_a_dosage_for_the_other_side_only_mirrors_the_picture():
    """Poses written for the right knee down, prescribed for the left side only: the picture
    and its description show the left knee down (the author's alt text would say right)."""
    import json

    from pose_helpers import PROTOCOLS

    from protocol_kit.illustration import scene_for
    from protocol_kit.illustration.mirror import mirrored
    from protocol_kit.model import Origin, build_exercise

    path = PROTOCOLS / "library" / "kneeling-hip-flexor-stretch.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["poses"]["alt"] = "Kneeling on the right knee."
    data["dosage"]["side"] = "left"
    left = build_exercise(data, data["language"], Origin(str(path)))
    text = alt_text(left, "en-GB")
    assert "half-kneeling on the left knee" in text and "left hip moved backwards" in text
    assert "The left side works." in text and "right" not in text
    data["dosage"]["side"] = "each"
    each = build_exercise(data, data["language"], Origin(str(path)))
    assert alt_text(each, "en-GB") == "Kneeling on the right knee."
    assert scene_for(left) != scene_for(each)
    from dataclasses import replace

    assert mirrored(mirrored(each.poses)) == replace(each.poses, alt=None)


def test_every_name_has_its_mirror_in_the_vocabulary():
    from protocol_kit.illustration.mirror import swap

    for names in (
        vocabulary.postures(),
        vocabulary.joints(),
        vocabulary.landmarks(),
        vocabulary.movement_names(),
    ):
        assert all(swap(name) in names for name in names)
