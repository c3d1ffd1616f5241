"""The field reference (docs/format.md), generated from the schemas themselves.

The schemas are the contract; writing their documentation by hand would let the two drift
apart. `protokit schemas --markdown` prints this reference; a test fails when docs/format.md is
out of date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from protocol_kit.schemas import DOCUMENT_KINDS, SCHEMA_BASE, all_schemas, required_only

# Sections in reading order: (title, schema file, JSON pointer to the object's schema).
SECTIONS = (
    ("Protocol file", "protocol.schema.json", ""),
    ("Safety", "protocol.schema.json", "/$defs/safety"),
    ("Red flag", "protocol.schema.json", "/$defs/red_flag"),
    ("Pain guide", "protocol.schema.json", "/$defs/pain_guide"),
    ("Delivery", "protocol.schema.json", "/$defs/delivery"),
    ("Provider", "protocol.schema.json", "/$defs/delivery/properties/provider"),
    ("Adherence", "protocol.schema.json", "/$defs/delivery/properties/adherence"),
    ("Exercise", "exercise.schema.json", "/$defs/exercise"),
    ("Targets", "exercise.schema.json", "/$defs/exercise/properties/targets"),
    ("Library exercise reference", "protocol.schema.json", "/$defs/exercise_reference"),
    ("Dosage", "common.schema.json", "/$defs/dosage_fields"),
    ("Coded concept", "common.schema.json", "/$defs/coding"),
    ("Contraindication (absolute)", "common.schema.json", "/$defs/contraindication"),
    ("Precaution (relative)", "common.schema.json", "/$defs/precaution"),
    ("Image or video", "common.schema.json", "/$defs/media"),
    ("Poses", "pose.schema.json", "/$defs/poses"),
    ("Pose", "pose.schema.json", "/$defs/pose"),
    ("Joint angles", "pose.schema.json", "/$defs/joints"),
    ("Hip angles", "pose.schema.json", "/$defs/hip"),
    ("Knee angle", "pose.schema.json", "/$defs/knee"),
    ("Ankle angles", "pose.schema.json", "/$defs/ankle"),
    ("Shoulder angles", "pose.schema.json", "/$defs/shoulder"),
    ("Elbow angle", "pose.schema.json", "/$defs/elbow"),
    ("Wrist angles", "pose.schema.json", "/$defs/wrist"),
    ("Lumbar angles", "pose.schema.json", "/$defs/lumbar"),
    ("Thoracic angles", "pose.schema.json", "/$defs/thoracic"),
    ("Neck angles", "pose.schema.json", "/$defs/neck"),
    ("Lean", "pose.schema.json", "/$defs/lean"),
    ("Prop", "pose.schema.json", "/$defs/prop"),
    ("Person", "common.schema.json", "/$defs/person"),
    ("Reference", "common.schema.json", "/$defs/reference"),
    ("Lint suppression", "protocol.schema.json", "/$defs/suppression"),
    ("Library exercise file", "exercise.schema.json", ""),
    ("Prescription file", "prescription.schema.json", ""),
    ("Prescribed protocol", "prescription.schema.json", "/properties/protocol"),
    ("Patient", "prescription.schema.json", "/properties/patient"),
    ("Prescriber", "prescription.schema.json", "/$defs/prescriber"),
    ("Earlier prescription followed", "prescription.schema.json", "/properties/follows"),
    ("Prescription override", "prescription.schema.json", "/$defs/override"),
)

# Simple values documented inline rather than as sections.
SCALARS = {
    "common.schema.json#/$defs/identifier": "identifier",
    "common.schema.json#/$defs/version": "semantic version",
    "common.schema.json#/$defs/date": "date (YYYY-MM-DD)",
    "common.schema.json#/$defs/language_tag": "language tag",
    "common.schema.json#/$defs/text": "[text](#text)",
    "common.schema.json#/$defs/text_list": "list of [text](#text)",
    "common.schema.json#/$defs/note": "clinician note",
    "common.schema.json#/$defs/line": "one line of text",
    "common.schema.json#/$defs/email": "e-mail address",
    "common.schema.json#/$defs/phone": "telephone number",
    "common.schema.json#/$defs/dosage": "[dosage](#dosage)",
    "common.schema.json#/$defs/dosage_override": "[dosage](#dosage) (only the fields that change)",
    "protocol.schema.json#/$defs/exercise_entry": (
        "[exercise](#exercise) or [library exercise reference](#library-exercise-reference)"
    ),
}


def _anchor(title: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-").replace("--", "-")


def _section_for(file: str, pointer: str) -> str | None:
    for title, section_file, section_pointer in SECTIONS:
        if (section_file, section_pointer) == (file, pointer):
            return title
    return None


def _resolve(file: str, pointer: str) -> dict[str, Any]:
    node: Any = all_schemas()[SCHEMA_BASE + file]
    for token in pointer.strip("/").split("/") if pointer else ():
        node = node[token]
    return node


def _split_ref(ref: str, current_file: str) -> tuple[str, str]:
    file, _, pointer = ref.partition("#")
    return (file.removeprefix(SCHEMA_BASE) or current_file), pointer


def _describe_type(node: dict[str, Any], file: str) -> str:
    ref = node.get("$ref")
    if ref:
        target_file, pointer = _split_ref(ref, file)
        key = f"{target_file}#{pointer}"
        if key in SCALARS:
            base = SCALARS[key]
        else:
            title = _section_for(target_file, pointer)
            base = f"[{title.lower()}](#{_anchor(title)})" if title else "object"
        extra = _constraints(node)
        return f"{base}{extra}"
    if "const" in node:
        return f"always `{node['const']}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if "then" in node and "else" in node:
        branches = (_describe_type(node[key], file) for key in ("else", "then"))
        return " or ".join(branches)
    kind = node.get("type")
    if kind == "array":
        items = node.get("items", {})
        return f"list of {_describe_type(items, file)}{_constraints(node)}"
    if isinstance(kind, list):
        return " or ".join(kind)
    names = {
        "integer": "whole number",
        "number": "number",
        "string": "text",
        "boolean": "true/false",
    }
    return f"{names.get(kind, kind or 'value')}{_constraints(node)}"


def _constraints(node: dict[str, Any]) -> str:
    parts = []
    if "minimum" in node:
        parts.append(f"at least {node['minimum']}")
    if "exclusiveMinimum" in node:
        parts.append(f"more than {node['exclusiveMinimum']}")
    if "maximum" in node:
        parts.append(f"at most {node['maximum']}")
    if node.get("minItems"):
        parts.append(f"at least {node['minItems']} item{'s' * (node['minItems'] != 1)}")
    if node.get("uniqueItems"):
        parts.append("no repeats")
    return f" ({', '.join(parts)})" if parts else ""


def _description(node: dict[str, Any]) -> str:
    return node.get("description", "").replace("\n", " ").replace("|", "\\|")


def _rows(schema: dict[str, Any], file: str, pointer: str) -> Iterator[str]:
    required = set(schema.get("required", ()))
    for name, node in schema.get("properties", {}).items():
        mark = "yes" if name in required else ""
        title = _section_for(file, f"{pointer}/properties/{name}")
        value = f"[{title.lower()}](#{_anchor(title)})" if title else _describe_type(node, file)
        yield f"| `{name}` | {value} | {mark} | {_description(node)} |"


def _conditions(schema: dict[str, Any]) -> Iterator[str]:
    condition = schema.get("if", {}).get("properties", {})
    then = schema.get("then", {})
    for field, rule in condition.items():
        needed = then.get("required", [])
        if "const" in rule and needed:
            yield (
                f"When `{field}` is `{rule['const']}`, also required: "
                + ", ".join(f"`{n}`" for n in needed)
                + "."
            )
        ruled_out = [n for n, sub in then.get("properties", {}).items() if sub is False]
        if "const" in rule and ruled_out:
            yield (
                f"When `{field}` is `{json.dumps(rule['const'])}`, not allowed: "
                + ", ".join(f"`{n}`" for n in ruled_out)
                + "."
            )
    branches = [required_only(branch) for branch in schema.get("anyOf", ())]
    if branches and all(branches):
        names = [n for branch in branches for n in branch]
        yield "At least one of " + ", ".join(f"`{n}`" for n in names) + " is required."


def markdown() -> str:
    """The whole field reference as Markdown."""
    out = [
        "# The protocol format: field reference",
        "",
        "Generated from `schemas/` by `protokit schemas --markdown`; do not edit by hand.",
        "",
        "| file kind | `$schema` value |",
        "|---|---|",
        *(f"| {kind.summary} | `{kind.uri}` |" for kind in DOCUMENT_KINDS),
        "",
        "Every object also accepts extension fields whose names start with `x-` (ignored by "
        "protokit, kept in bundles). Any other unknown field is an error, so that a misspelt "
        "safety field is never silently ignored.",
        "",
        "## Text",
        "",
        _describe_common("text"),
        "",
    ]
    for title, file, pointer in SECTIONS:
        schema = _resolve(file, pointer)
        if "$ref" in schema and "properties" not in schema:
            file, pointer = _split_ref(schema["$ref"], file)
            schema = _resolve(file, pointer)
        out += [f"## {title}", ""]
        description = schema.get("description")
        if description:
            out += [description, ""]
        if title == "Exercise":
            out += [
                "An exercise is written in full inside a protocol's `exercises`, or kept in the "
                "shared library as its own file and referred to by id.",
                "",
            ]
        if title == "Library exercise file":
            out += ["All the fields of an [exercise](#exercise), and:", ""]
        if title == "Dosage":
            dosage = _resolve("common.schema.json", "/$defs/dosage")
            required = [
                n for part in dosage.get("allOf", [dosage]) for n in part.get("required", ())
            ]
            out += [
                "Required in a full dosage: "
                + ", ".join(f"`{n}`" for n in required)
                + "; and at least one of `repetitions`, `hold_seconds`, `duration_seconds`.",
                "",
            ]
        out += ["| field | value | required | meaning |", "|---|---|---|---|"]
        out += list(_rows(schema, file, pointer))
        conditions = list(_conditions(schema))
        if conditions:
            out += ["", *conditions]
        out.append("")
    out += _ONLY_PROTOKIT
    out += _CHANGES
    return "\n".join(out).rstrip() + "\n"


# Additive changes to the published v1 schemas, newest first: what a file using one needs.
_CHANGES = [
    "",
    "## Changes within v1",
    "",
    "- **A red flag's `maternity` action** (twenty-third sitting): a pregnancy's signs for the "
    "midwife or maternity unit (bleeding that is not heavy, fluid leaking from the vagina, "
    "regular tightenings before 37 weeks, the baby moving less or differently). An additive "
    "value: a protokit from before it refuses a file or bundle that uses it (the schema's "
    "`enum`), which is the safe failure: it refuses rather than prints the sign under the "
    "wrong heading. A sheet with a `maternity` red flag is printed only in a language whose "
    "sheet wording a clinician has reviewed (English today); in any other it is refused. "
    "On a sheet whose conditions include no pregnancy code it is an error (SAFE005, "
    "twenty-fourth sitting): code the pregnancy among the indications (ICD-10-CM Z33.1).",
]


# What a JSON Schema validator alone (an editor, ajv, check-jsonschema) cannot catch.
_ONLY_PROTOKIT = [
    "## What only `protokit validate` catches",
    "",
    "The schemas are plain JSON Schema 2020-12: any validator can use them (protokit's tests "
    "check them with ajv in strict mode, and VS Code uses them as you type). Some checks cannot "
    "be written in a schema, and only `protokit validate` makes them:",
    "",
    "- **Impossible dates, fully.** The date pattern refuses a month other than 01-12 and a day "
    "the month never has (2027-02-30, 2027-04-31), so that a validator which treats `format` as "
    "an annotation, as JSON Schema 2020-12 does by default, still refuses them. It admits "
    "29 February in every year: telling leap years apart takes arithmetic a simple pattern "
    'cannot do. `"format": "date"` refuses 2027-02-29 in a validator that checks '
    "formats, and `protokit validate` always does.",
    "- **Strict JSON.** A key given twice in one object (most JSON readers keep one value "
    "silently), `NaN` and `Infinity`, a file that is not UTF-8, half of a UTF-16 surrogate "
    "pair, and the size and nesting limits (codes `JSON001`-`JSON008`).",
    "- **Translations.** Every patient-facing text in every language the file declares, and no "
    "text in a language it does not declare (`I18N001`, `I18N002`).",
    "- **Library references.** That a referenced library exercise exists, is valid, and is "
    "defined once (`REF001`-`REF003`).",
    "- **Prescriptions.** Dates in order, a plausible date of birth, no placeholder left "
    "(`RX001`-`RX003`).",
    "- **Clinical content.** The lint rules (docs/rules/): codes that exist in ICD-10-CM (the "
    "schema checks only their shape) with the right display text, SNOMED CT check digits, "
    "dosages within safe bounds, contraindications that contradict an indication, review "
    "dates, reviewers, versions that go up when the content changes, readable text, pictures "
    "that exist.",
    "",
    "The reason a field is not allowed in one place is given by protokit too: a schema says "
    "only that it is not allowed (for example the `dosage` of an exercise left out of a "
    'prescription with `"omit": true`).',
    "",
]


def _describe_common(name: str) -> str:
    return _resolve("common.schema.json", f"/$defs/{name}")["description"]
