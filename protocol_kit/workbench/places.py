"""Where a finding is, in the words of the form: "Exercise 3 (Glute bridge) › Dosage › Hold
(seconds)" for `/exercises/2/dosage/hold_seconds`.

The workbench's Checks list showed each finding's JSON pointer, which a therapist who does not
read JSON cannot follow to a field. The words are the form's own labels (the labelled form
schema, `forms.form_schema`) and each list entry's name ("Exercise 3", "Red flag 2"), with the
exercise's name as the patient reads it; the command line's reports keep the pointer.
"""

from __future__ import annotations

from typing import Any

from protocol_kit.jsontext.pointers import pointer_tokens
from protocol_kit.lint.placeholders import placeholder_in
from protocol_kit.workbench.forms import form_schema

SEPARATOR = " \u203a "  # "›"
# The members that name a list's entry, in the order looked for: an exercise's name as the
# patient reads it, a library exercise's id, the exercise an override changes.
_NAMING = ("name", "ref", "exercise")


def place_parts(kind: str, data: Any, pointer: str) -> list[str]:
    """Where `pointer` is in a `kind` file holding `data`, said with the form's labels,
    outermost first: "Exercise 3 (Glute bridge)", "Dosage", "Hold (seconds)" (joined with
    `SEPARATOR`); none for the root."""
    schema = form_schema(kind)
    definitions = schema.get("definitions", {})
    node: Any = schema
    value = data
    words: list[str] = []
    for segment in _segments(pointer):
        node = _resolved(node, definitions)
        items = node.get("items") if isinstance(node, dict) else None
        if segment.isdigit() and (isinstance(value, list) or isinstance(items, dict)):
            place = int(segment)
            value = value[place] if isinstance(value, list) and place < len(value) else None
            entry = items.get("title") if isinstance(items, dict) else None
            if words and entry:
                words.pop()  # "Exercise 3", not "Exercises › Exercise 3"
            said = f"{entry or 'Entry'} {place + 1}"
            name = _name_of(value)
            words.append(f"{said} ({name})" if name else said)
            node = items
            continue
        field = _member(node, segment, definitions)
        value = value.get(segment) if isinstance(value, dict) else None
        title = field.get("title") if isinstance(field, dict) else None
        words.append(title if isinstance(title, str) and title else segment)
        node = field
    return words


def _segments(pointer: str) -> list[str]:
    if not pointer or pointer == "/":
        return []
    return pointer_tokens(pointer)


def _resolved(node: Any, definitions: dict[str, Any]) -> Any:
    """`node` with its `$ref` (one of the form's definitions) followed, its own members kept."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        seen += 1
        target = definitions.get(str(node["$ref"]).removeprefix("#/definitions/"))
        if not isinstance(target, dict):
            return node
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _member(node: Any, name: str, definitions: dict[str, Any]) -> Any:
    """The schema of the member `name` of `node`: among its fields, or in one of the forms it
    chooses between (an exercise written out or taken from the library; a text in one
    language or in several)."""
    node = _resolved(node, definitions)
    if not isinstance(node, dict):
        return None
    fields = node.get("properties")
    if isinstance(fields, dict) and name in fields:
        return fields[name]
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in node.get(key, ()):
            found = _member(branch, name, definitions)
            if found is not None:
                return found
    return None


def _name_of(entry: Any) -> str:
    """The name a list's entry goes by, when it has one: in the first language it is written
    in when it is written in several. Not a placeholder: a new protocol's Checks list read
    "Exercise 1 (TODO: the exercise's name as the patient will read it)" on every line of the
    exercise."""
    if not isinstance(entry, dict):
        return ""
    for member in _NAMING:
        said = entry.get(member)
        if isinstance(said, dict):
            said = next((v for v in said.values() if isinstance(v, str)), "")
        if isinstance(said, str) and said.strip():
            return "" if placeholder_in(said) else said.strip()
    return ""
