"""The forms are generated from the published schemas: every field of a schema is in its form,
and a field added to a schema appears with no form code changed."""

from __future__ import annotations

import copy
import json

import pytest

from protocol_kit import schemas as schema_module
from protocol_kit.workbench import forms


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


@pytest.mark.parametrize("kind", ["protocol", "exercise", "prescription"])
def test_every_reference_resolves_inside_the_form_schema(kind):
    schema = forms.form_schema(kind)
    for node in walk(schema):
        reference = node.get("$ref")
        if isinstance(reference, str):
            assert reference.startswith("#/definitions/")
            assert reference.removeprefix("#/definitions/") in schema["definitions"]
        assert "$defs" not in node and "if" not in node


@pytest.mark.parametrize("kind", ["protocol", "exercise", "prescription"])
def test_every_top_level_field_of_the_schema_is_in_the_form(kind):
    published = schema_module.schema_for(schema_module.KIND_BY_NAME[kind])
    # A library exercise's fields of the exercise itself are written into the form's root.
    assert set(published["properties"]) <= set(forms.form_schema(kind)["properties"])


def test_a_library_exercise_form_holds_its_own_fields_and_the_exercise_s_at_its_root():
    """json-editor checked the `allOf` part on its own and printed "No additional properties
    allowed, but property $schema is set" in red on every library exercise."""
    schema = forms.form_schema("exercise")
    assert "allOf" not in schema
    exercise = schema["definitions"]["exercise.exercise"]
    assert list(schema["properties"])[:3] == ["$schema", "version", "language"]
    assert set(exercise["properties"]) <= set(schema["properties"])
    assert set(exercise["required"]) <= set(schema["required"])


def test_a_field_added_to_a_schema_appears_in_the_form(monkeypatch):
    shipped = schema_module.all_schemas()
    changed = copy.deepcopy(shipped)
    uri = schema_module.KIND_BY_NAME["prescription"].uri
    changed[uri]["properties"]["goals"] = {
        "type": "array",
        "items": {"$ref": "common.schema.json#/$defs/text"},
    }
    monkeypatch.setattr(forms, "all_schemas", lambda: changed)
    forms.form_schema.cache_clear()
    try:
        schema = forms.form_schema("prescription")
        # Each entry named as the labels' data names the list's entries ("Goal 2").
        assert schema["properties"]["goals"]["items"] == {
            "$ref": "#/definitions/common.text",
            "title": "Goal",
        }
        assert "anyOf" in schema["definitions"]["common.text"]  # text or translations
    finally:
        forms.form_schema.cache_clear()


def test_choices_the_form_would_misread_become_checks_not_fields():
    schema = forms.form_schema("protocol")
    entry = schema["definitions"]["protocol.exercise_entry"]
    # if/then/else (a reference or an exercise written in place) is a choice of two forms.
    assert len(entry["oneOf"]) == 2
    dosage = schema["definitions"]["common.dosage"]
    # "repetitions, a hold or a duration": a requirement the checks report, not three forms.
    assert "anyOf" not in dosage
    assert json.dumps(dosage).count("dosage_fields") == 1


@pytest.mark.parametrize("kind", ["protocol", "exercise", "prescription"])
def test_fields_are_labelled_in_words_and_lists_of_words_are_plain_choices(kind):
    """A new user's form labelled the name, purpose, steps and progression all "Patient-facing
    text" (the shared definition's title), and put a switch between every JSON type (string,
    number, ..., null) beside each list of words (type, laterality, side). Then it labelled
    each field by its key (`contraindications`, `hold_seconds`): every field now has a label
    in words from the data file, never its key."""
    schema = forms.form_schema(kind)
    words = forms.field_words("en")
    for node in walk(schema):
        for name, field in node.get("properties", {}).items():
            if isinstance(field, dict):
                assert field.get("title") in {w["label"] for w in words.values()}, (name, field)
            if isinstance(field, dict) and isinstance(field.get("enum"), list):
                assert field.get("type") == "string", (name, field)
    exercise = forms.form_schema("exercise")["definitions"]["exercise.exercise"]["properties"]
    assert exercise["progression"]["title"] == "Harder version"


def test_a_therapist_reads_labels_and_help_not_the_files_keys():
    protocol = forms.form_schema("protocol")
    safety = protocol["definitions"]["protocol.safety"]["properties"]
    assert safety["contraindications"]["title"] == "Who must not do it"
    assert safety["contraindications"]["description"].startswith("Conditions in which")
    dosage = protocol["definitions"]["common.dosage_fields"]["properties"]
    assert dosage["hold_seconds"]["title"] == "Hold (seconds)"
    # The same name in another part says what it is there.
    red_flag = protocol["definitions"]["protocol.red_flag"]["properties"]["text"]
    goal = forms.form_schema("prescription")["definitions"]["prescription.goal"]["properties"]
    assert red_flag["title"] == "What the patient notices"
    assert goal["text"]["title"] == "The goal, in the patient's words"
    # The help is written for a therapist, not a developer: no JSON names in backticks.
    for node in walk(protocol):
        for field in node.get("properties", {}).values():
            if isinstance(field, dict) and field["title"] in ("Status", "Who must not do it"):
                assert "`" not in field.get("description", ""), field


def test_a_red_flag_s_action_offers_the_maternity_unit_and_says_what_each_choice_is():
    # Twenty-third sitting (H947): the choice is the schema's, and the help named the clinic,
    # which is no red flag's action, and no maternity unit.
    action = forms.form_schema("protocol")["definitions"]["protocol.red_flag"]["properties"]
    action = action["action"]
    assert action["enum"] == ["emergency", "urgent", "maternity"]
    for choice in action["enum"]:
        assert choice in action["description"]
    assert "midwife" in action["description"] and "clinic" not in action["description"]
