"""The pose vocabulary's data files agree with the published schema and with each other, and
every word of the alt text exists in every language of the sheet."""

from __future__ import annotations

import json
import string

import pytest

from conftest import REPO
from protocol_kit.illustration import vocabulary
from protocol_kit.illustration.checks import check
from protocol_kit.illustration.placement import PoseRequest

SCHEMA = json.loads((REPO / "schemas" / "pose.schema.json").read_text(encoding="utf-8"))
DEFS = SCHEMA["$defs"]


def test_schema_enums_are_the_vocabulary():
    pose = DEFS["pose"]["properties"]
    assert pose["posture"]["enum"] == list(vocabulary.postures())
    assert pose["view"]["enum"] == list(vocabulary.style()["views"])
    prop = DEFS["prop"]["properties"]
    assert prop["prop"]["enum"] == list(vocabulary.props())
    assert prop["at"]["enum"] == list(vocabulary.landmarks())
    assert prop["position"]["enum"] == list(vocabulary.prop_positions())
    assert list(DEFS["joints"]["properties"]) == list(vocabulary.joints())


def test_schema_ranges_are_the_vocabulary_ranges():
    for joint, spec in vocabulary.joints().items():
        target = DEFS["joints"]["properties"][joint]["$ref"].rsplit("/", 1)[1]
        movements = DEFS[target]["properties"]
        assert set(movements) == set(spec["movements"]), joint
        for movement, entry in spec["movements"].items():
            assert movements[movement]["minimum"] == 0
            assert movements[movement]["maximum"] == entry["max"], (joint, movement)
        pairs = [axis for axis in spec["axes"] if len(axis) == 2]
        assert {a: [b] for a, b in pairs} == {
            a: rule["not"]["required"]
            for a, rule in DEFS[target].get("dependentSchemas", {}).items()
        }


def test_languages_are_the_sheets():
    # The sheet's wording is data now (protocol_kit/sheet/wording/<language>.json): the
    # pictures' words come in exactly the languages a sheet is printed in.
    from importlib.resources import files

    from protocol_kit.sheet.wording import LANGUAGES

    wording = files("protocol_kit.sheet").joinpath("wording")
    sheet_languages = {p.name.split(".")[0] for p in wording.iterdir() if p.name.endswith(".json")}
    assert sheet_languages == set(LANGUAGES)
    assert set(vocabulary.languages()) == sheet_languages


def _texts():
    """(where, language, text) for every name and sentence of the vocabulary."""
    languages = vocabulary.languages()
    for name, spec in vocabulary.postures().items():
        yield from ((f"posture {name}", lang, spec["names"].get(lang)) for lang in languages)
    for name, spec in vocabulary.joints().items():
        yield from ((f"joint {name}", lang, spec["names"].get(lang)) for lang in languages)
        for movement, entry in spec["movements"].items():
            for lang in languages:
                names = entry.get("names") or vocabulary.movement_names()[movement]
                yield (f"{name} {movement}", lang, names.get(lang))
    for kind, names in vocabulary.load("joints")["both"].items():
        yield from ((f"both {kind}", lang, names.get(lang)) for lang in languages)
    for name, spec in vocabulary.landmarks().items():
        for lang in languages:
            yield (f"landmark {name}", lang, spec["names"].get(lang))
            yield (f"landmark {name} place", lang, spec["place"].get(lang))
    for name, spec in vocabulary.props().items():
        yield from ((f"prop {name}", lang, spec["names"].get(lang)) for lang in languages)
    for name, words in vocabulary.prop_positions().items():
        yield from ((f"position {name}", lang, words.get(lang)) for lang in languages)


def test_every_name_is_in_every_language():
    missing = [(where, lang) for where, lang, text in _texts() if not text or not text.strip()]
    assert missing == []


def test_every_language_has_every_sentence_with_its_placeholders():
    reference = vocabulary.words("en")
    for language in vocabulary.languages():
        words = vocabulary.words(language)
        assert set(words) == set(reference), language
        for key, text in reference.items():
            if isinstance(text, str):
                assert _fields(words[key]) == _fields(text), (language, key)
            elif isinstance(text, dict):
                assert set(words[key]) == set(text), (language, key)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("posture", list(vocabulary.postures()))
def test_every_posture_alone_is_a_valid_pose(posture):
    """A posture with its default angles must pass the checks it imposes on authors."""
    assert check({"start": PoseRequest(posture, {})}) == []


def test_vocabulary_files_are_read_once():
    vocabulary.load.cache_clear()
    first = vocabulary.load("joints")
    assert vocabulary.load("joints") is first
    with pytest.raises(KeyError):
        vocabulary.load("nonsense")


def test_docs_show_the_vocabulary_as_it_is():
    from protocol_kit.illustration.reference import markdown

    page = (REPO / "docs" / "illustrations.md").read_text(encoding="utf-8")
    assert markdown() in page, (
        "docs/illustrations.md is out of date: replace its vocabulary section with the output "
        "of `python -m protocol_kit.illustration.reference`"
    )
