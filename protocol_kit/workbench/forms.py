"""The published JSON Schemas as the form library (json-editor) reads them.

The forms are generated from the schemas, so a field added to a schema appears in the forms
with no form code to change. json-editor resolves `$ref`s only within one document and only
under `definitions` (draft 7), while the published schemas are draft 2020-12 files that refer
to each other by `$id`: this module bundles one kind's schema and every definition it reaches
into one document, rewriting each reference, and changes nothing else.
"""

from __future__ import annotations

import copy
import functools
from typing import Any
from urllib.parse import urljoin

from protocol_kit.package_data import read_json
from protocol_kit.schemas import KIND_BY_NAME, all_schemas

# The language of the form's labels and help (`field_labels.json` holds them by language).
FORM_LANGUAGE = "en"


def _stem(schema_id: str) -> str:
    return schema_id.rsplit("/", 1)[-1].removesuffix(".schema.json")


@functools.cache
def form_schema(kind_name: str) -> dict[str, Any]:
    """One self-contained draft-7 style schema for the form of `kind_name` (protocol,
    exercise, prescription)."""
    schemas = all_schemas()
    root_id = KIND_BY_NAME[kind_name].uri
    definitions: dict[str, Any] = {}
    pending: list[tuple[str, str]] = []  # (schema $id, definition name or "" for the whole)

    def target(reference: str, base: str) -> str:
        document, _, fragment = reference.partition("#")
        document = urljoin(base, document) if document else base
        if document not in schemas:
            raise ValueError(f"{base}: $ref {reference} names no shipped schema")
        name = fragment.removeprefix("/$defs/") if fragment else ""
        if "/" in name:
            raise ValueError(f"{base}: $ref {reference} is deeper than a definition")
        key = f"{_stem(document)}.{name}" if name else _stem(document)
        if key not in definitions:
            definitions[key] = None  # reserved: filled below
            pending.append((document, name))
        return "#/definitions/" + key

    def rewrite(node: Any, base: str, names: bool = False) -> Any:
        """`names`: the node maps names to schemas (`properties`), where a member called
        `$schema` is a field, not a keyword."""
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if names:
                    out[key] = rewrite(value, base)
                elif key in ("$id", "$schema", "$defs", "$comment"):
                    continue
                elif key == "$ref":
                    out[key] = target(value, base)
                else:
                    out[key] = rewrite(value, base, key in ("properties", "patternProperties"))
            return out
        if isinstance(node, list):
            return [rewrite(item, base) for item in node]
        return node

    root = rewrite(copy.deepcopy(schemas[root_id]), root_id)
    while pending:
        document, name = pending.pop()
        source = schemas[document] if not name else schemas[document]["$defs"][name]
        key = f"{_stem(document)}.{name}" if name else _stem(document)
        definitions[key] = rewrite(source, document)
    # The `$schema` member says what the file is: fixed, and not a field to fill in.
    properties = root.get("properties", {})
    if "$schema" in properties:
        properties["$schema"] = {
            "type": "string",
            "const": root_id,
            "default": root_id,
            "options": {"hidden": True},
        }
    if kind_name == "prescription":
        _in_the_order_a_therapist_fills(properties)
    answers = root.get("properties", {}).get("screening", {}).get("additionalProperties")
    if isinstance(answers, dict) and answers.get("enum") == ["yes", "no"]:
        # A question not answered yet (`protokit new prescription` writes "TODO: yes or no:
        # ..."): without an empty first choice the form showed, and saved, "yes" for every
        # question the therapist had not asked. Left empty, the answer is left out of the file
        # and the checks name the question (RX009).
        answers["enum"] = ["", "yes", "no"]
        answers["options"] = {"enum_titles": ["not answered yet", "yes", "no"]}
    override = definitions.get("prescription.override")
    if override is not None:
        # Leaving an exercise out is the page's own tick at each entry (workbench.js
        # `omitSwitches`), which also takes the dosage away; json-editor's true/false choice
        # for `omit` would be a second control for the same thing.
        omit = override["properties"]["omit"]
        override["properties"]["omit"] = {**omit, "options": {"hidden": True}}
        # Each entry titled by its exercise, not "item 1", "item 2".
        override["headerTemplate"] = "{{ i1 }}. {{ self.exercise }}"
    # Optional parts start out of the form and are added under "Optional fields": a new
    # library exercise in a protocol is its `ref` (the library's dosage stands), and a dosage
    # change starts with no field. json-editor drew every optional member and filled each
    # number with 0, so an exercise added from the library came with seven "0 is too small"
    # errors, and the library's dosage was replaced by whatever the therapist typed to clear
    # them.
    for key, shown in (("protocol.exercise_reference", ["ref"]), ("common.dosage_override", [])):
        if key in definitions:
            definitions[key] = {**definitions[key], "defaultProperties": shown}
    for key, definition in definitions.items():
        definitions[key] = _lists_left_out_until_added(definition)
    phone = definitions.get("common.phone")
    if phone is not None:
        # json-editor printed its own message under the prescriber's telephone while it still
        # said what to write there: "Value must match the pattern ^[+(]{0,2}[0-9]...", the
        # expression itself; the checks say it in words at the field (H1531).
        # So did its length limit under the form's own instruction in the box, longer than a
        # number ("Value must be at most 100 characters long", s41-users).
        definitions["common.phone"] = {
            k: v for k, v in phone.items() if k not in ("pattern", "maxLength")
        }
    text = definitions.get("common.text")
    if text is not None and len(text.get("anyOf", ())) == 2:
        # The choice beside every patient-facing text read "string" or "object" (JSON's
        # words): it is one language or several, each by its tag.
        one, several = text["anyOf"]
        text["anyOf"] = [
            {**one, "title": "one language"},
            {**several, "title": "translations"},
        ]
        # Under each entry of a list of them (a step, a reason to stop) the form showed the
        # schema's description, written for developers: "a plain string ... or an object from
        # language tag to string" (s41-users).
        text["description"] = field_words(FORM_LANGUAGE)["(patient text)"]["help"]
    root["definitions"] = {key: drawable(value) for key, value in definitions.items()}
    document = drawable(_fields_inlined(root))
    # Each definition labelled once, as the part it is (a red flag's `text` is not a goal's).
    words = field_words(FORM_LANGUAGE)
    drawn = document.pop("definitions")
    document = labelled(document, words, kind_name, drawn)
    document["definitions"] = {
        key: labelled(value, words, key.rsplit(".", 1)[-1], drawn) for key, value in drawn.items()
    }
    return document


@functools.cache
def field_words(language: str) -> dict[str, dict[str, str]]:
    """Each field's label and short help in `language`, by the field's name or PARENT/NAME
    (`field_labels.json`): the form showed the files' keys (`contraindications`,
    `hold_seconds`) as labels, which a therapist who does not read JSON could not use."""
    # not kept: read_json keeps what it decodes in the cache file every one-file `validate`
    # reads at its start, and only the workbench reads these labels.
    return read_json("protocol_kit.workbench", "field_labels.json", kept=False)[language]


def field_label(
    words: dict[str, dict[str, str]], name: str, parent: str, outer: str = ""
) -> dict[str, str]:
    """The label and help of the field `name` inside `parent` (a field's or definition's
    name), itself inside `outer`: OUTER/PARENT/NAME where PARENT/NAME means something else
    there, else PARENT/NAME where the same name means something else there, else NAME; a
    field the data does not name yet is labelled by its name in words. (A prescription's
    `protocol` holds an `id` and a `version` as a protocol does at its top, and its form
    showed the protocol's help: "Raise it whenever the content changes" at the version
    prescribed, H1253.)"""
    found = (
        (words.get(f"{outer}/{parent}/{name}") if outer else None)
        or words.get(f"{parent}/{name}")
        or words.get(name)
    )
    if found is None:
        spaced = name.lstrip("$").replace("_", " ")
        return {"label": spaced[:1].upper() + spaced[1:]}
    return found


# The prescription form in the order a therapist fills it in: the patient and the prescriber,
# the screening answers (a yes may rule out the programme), then each exercise's dosage, the
# goals and measures; the dates and the protocol, filled in already, come last. The form
# opened on the protocol's id and version, which the therapist chose on the page before and
# must not change, with the patient a screen further down. (json-editor still gives the value
# in the schema's order, so a saved file reads as `protokit new prescription` writes one.)
PRESCRIPTION_FORM_ORDER = (
    "patient",
    "therapist",
    "screening",
    "overrides",
    "goals",
    "measures",
    "stages",
    "start_date",
    "review_date",
    "notes",
    "date",
    "follows",
    "protocol",
)


def _in_the_order_a_therapist_fills(properties: dict[str, Any]) -> None:
    for place, name in enumerate(PRESCRIPTION_FORM_ORDER, start=1):
        if isinstance(properties.get(name), dict):
            properties[name] = {**properties[name], "propertyOrder": place}


def _lists_left_out_until_added(definition: Any) -> Any:
    """An object whose optional lists must not be empty starts without them (they are added
    under "Optional fields"): json-editor drew such a list with one empty item, so that a
    red flag added with "Add" came with `"covers": [""]` and an error about an id the
    therapist had not written, for a field they need not use."""
    if not isinstance(definition, dict) or "defaultProperties" in definition:
        return definition
    fields = definition.get("properties")
    if not isinstance(fields, dict):
        return definition
    required = set(definition.get("required", ()))
    left_out = [
        name
        for name, field in fields.items()
        if name not in required and isinstance(field, dict) and field.get("minItems", 0) > 0
    ]
    if not left_out:
        return definition
    shown = [name for name in fields if name not in left_out]
    return {**definition, "defaultProperties": shown}


def _fields_inlined(root: dict[str, Any]) -> dict[str, Any]:
    """The root with the fields of the definitions it takes through `allOf` written into it
    (the library exercise: its own `$schema`, `version`, `language`, then the exercise's).
    json-editor checks each `allOf` part on its own, and with the form's
    `no_additional_properties` printed "No additional properties allowed, but property
    $schema is set" in red on every library exercise."""
    parts = root.get("allOf")
    if not isinstance(parts, list) or not all(set(p) == {"$ref"} for p in parts):
        return root
    merged = {key: value for key, value in root.items() if key != "allOf"}
    for part in parts:
        definition = root["definitions"][part["$ref"].removeprefix("#/definitions/")]
        merged["properties"] = {**merged.get("properties", {}), **definition["properties"]}
        required = [*merged.get("required", []), *definition.get("required", [])]
        merged["required"] = list(dict.fromkeys(required))
        for key in ("patternProperties",):
            if key in definition:
                merged[key] = {**definition[key], **merged.get(key, {})}
    return merged


def _field(
    name: str,
    field: Any,
    words: dict[str, dict[str, str]],
    parent: str,
    definitions: dict[str, Any],
    outer: str = "",
) -> Any:
    if not isinstance(field, dict):
        return field
    # Labelled in plain words, with short help where the schema's description is written for
    # developers; a field that takes a shared definition too, which json-editor labelled
    # with the definition's title.
    said = field_label(words, name, parent, outer)
    if "item" in said:
        field = _items_named(field, said["item"], definitions)
    field = {**field, "title": said["label"]}
    if "help" in said:
        field["description"] = said["help"]
    # A field chosen from a list of words, with no type: json-editor offers a switch between
    # every JSON type (string, number, ..., null) beside the list. (Not for a list's items:
    # a list of words stays a list of choices, one per item.)
    choices = field.get("enum")
    if "type" not in field and choices and all(isinstance(c, str) for c in choices):
        field = {**field, "type": "string"}
    return field


def _items_named(field: dict[str, Any], item: str, definitions: dict[str, Any]) -> dict[str, Any]:
    """A list whose entries are called `item` ("Exercise 2", "Add Exercise"): json-editor
    titles each entry by its schema's title, else "item" ("item 2", "Add item"). A list
    that takes a shared definition (steps and tips are both lists of patient texts) gets its
    own copy of it, so that each list names its entries."""
    shared = field.get("$ref", "")
    if shared.startswith("#/definitions/") and isinstance(definitions, dict):
        definition = definitions.get(shared.removeprefix("#/definitions/"))
        if isinstance(definition, dict) and isinstance(definition.get("items"), dict):
            field = {**definition, **{k: v for k, v in field.items() if k != "$ref"}}
    items = field.get("items")
    if not isinstance(items, dict):
        return field
    return {**field, "items": {**items, "title": item}}


def labelled(
    node: Any,
    words: dict[str, dict[str, str]],
    parent: str = "",
    definitions: dict[str, Any] | None = None,
    outer: str = "",
) -> Any:
    """Each field labelled in plain words, with its help (`field_label`), and a choice of
    words given its type (`_field`). json-editor labels a field by its key, or by the title
    of the shared definition it takes, so that a protocol's name, purpose, steps and
    progression all read "Patient-facing text" and a therapist could not tell which box is
    which. `parent`: the name of the field or definition `node` is part of, `outer` the name
    of the one `parent` is part of. Applied to every node."""
    if isinstance(node, list):
        return [labelled(item, words, parent, definitions, outer) for item in node]
    if not isinstance(node, dict):
        return node
    shared = definitions or {}
    out = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {
                name: labelled(
                    _field(name, field, words, parent, shared, outer), words, name, shared, parent
                )
                for name, field in value.items()
            }
        elif key in ("enum", "const", "default", "examples"):
            out[key] = value
        else:
            out[key] = labelled(value, words, parent, shared, outer)
    return out


# Keywords that only constrain (the workbench shows `protokit validate`'s findings for them)
# and that the form library either ignores or misreads as choices between forms.
_CONSTRAINTS = (
    "not",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
)


def _only_constrains(branch: Any) -> bool:
    """A branch that adds no field, only requirements (`{"required": ["repetitions"]}`)."""
    if not isinstance(branch, dict):
        return True
    fields = branch.get("properties", {})
    described = [v for v in fields.values() if v is not True and v != {}]
    return (
        not described
        and not any(k in branch for k in ("$ref", "items", "enum", "const"))
        and branch.get("type", "object") == "object"
    )


def drawable(node: Any) -> Any:
    """The schema as json-editor can draw it without losing a value: `if`/`then`/`else`
    becomes a choice (`oneOf`) between its two forms, and the keywords that only constrain are
    left to the checks, which the page shows at each field. Applied to every node."""
    if isinstance(node, list):
        return [drawable(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    if "if" in node and "then" in node and "else" in node:
        node.pop("if")
        node["oneOf"] = [node.pop("then"), node.pop("else")]
    else:
        for key in ("if", "then", "else"):
            node.pop(key, None)
    for key in _CONSTRAINTS:
        node.pop(key, None)
    for key in ("anyOf", "oneOf"):
        if key in node and all(_only_constrains(b) for b in node[key]):
            node.pop(key)
    if "allOf" in node:
        kept = [b for b in node["allOf"] if not _only_constrains(b)]
        if kept:
            node["allOf"] = kept
        else:
            node.pop("allOf")
    return {
        key: (
            value
            if key in ("enum", "const", "default", "examples", "required")
            else drawable(value)
        )
        for key, value in node.items()
    }
