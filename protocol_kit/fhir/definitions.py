"""protocol-kit's StructureDefinitions and CodeSystem, written from definitions.toml.

FHIR requires an extension's URL to resolve to a StructureDefinition, and a validator reports
an extension it does not know; `protokit export fhir-definitions` writes these definitions (a
Bundle of type collection, or a transaction to load them into a server), and `bundle create
--fhir` puts them into the bundle, so that a receiving system can load them beside the export.
Each StructureDefinition gives its differential: the slices of a complex extension, each
part's type and cardinality, and fixed URLs.
"""

from __future__ import annotations

from typing import Any

from protocol_kit import __version__
from protocol_kit.fhir import codes
from protocol_kit.fhir.bundles import Entry, make_bundle
from protocol_kit.fhir.extensions import definitions, extension_url
from protocol_kit.fhir.identity import Publisher
from protocol_kit.fhir.narrative import Heading, Items, Paragraph, narrative

PUBLISHER = "protocol-kit"
# The definitions are protocol-kit's, whoever exports: their URLs are under PROFILE_BASE.
DEFINITIONS_PUBLISHER = Publisher(PUBLISHER, canonical_base=codes.PROFILE_BASE.rstrip("/"))
_VALUE_TYPES = {"text": "string"}


def _name(slug: str) -> str:
    return "".join(word.capitalize() for word in slug.split("-"))


def _cardinality(spec: dict[str, Any]) -> tuple[int, str]:
    return spec.get("min", 0), spec.get("max", "1")


def _text_elements(prefix: str, path: str) -> list[dict[str, Any]]:
    """A text: a string value, or a nested `text` part per language (lang, content)."""
    elements = [
        {"id": f"{prefix}.extension", "path": f"{path}.extension", **_slicing()},
        {
            "id": f"{prefix}.extension:text",
            "path": f"{path}.extension",
            "sliceName": "text",
            "short": "The text in one language (a protocol with translations)",
            "min": 0,
            "max": "*",
        },
    ]
    elements += _parts_elements(
        f"{prefix}.extension:text",
        f"{path}.extension",
        [
            {"name": "lang", "type": "code", "min": 1, "description": "The language tag."},
            {"name": "content", "type": "string", "min": 1, "description": "The text."},
        ],
    )
    elements.append(
        {
            "id": f"{prefix}.value[x]",
            "path": f"{path}.value[x]",
            "short": "The text (a protocol in one language)",
            "min": 0,
            "type": [{"code": "string"}],
        }
    )
    return elements


def _slicing() -> dict[str, Any]:
    return {"slicing": {"discriminator": [{"type": "value", "path": "url"}], "rules": "open"}}


def _parts_elements(prefix: str, path: str, parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The slices of `parts` under the element `prefix` (id) at `path`, with their url, value
    and nested parts. `prefix` is the element whose `.extension` the parts are."""
    elements: list[dict[str, Any]] = []
    for spec in parts:
        low, high = _cardinality(spec)
        slice_id = f"{prefix}.extension:{spec['name']}"
        elements.append(
            {
                "id": slice_id,
                "path": f"{path}.extension",
                "sliceName": spec["name"],
                "short": spec["description"],
                "definition": spec["description"],
                "min": low,
                "max": high,
            }
        )
        kind = spec["type"]
        if kind == "complex":
            elements.append(
                {"id": f"{slice_id}.extension", "path": f"{path}.extension.extension", **_slicing()}
            )
            elements += _parts_elements(slice_id, f"{path}.extension", spec["parts"])
        elif kind == "text":
            elements += _text_elements(slice_id, f"{path}.extension")[:-1]
        else:
            elements.append(
                {"id": f"{slice_id}.extension", "path": f"{path}.extension.extension", "max": "0"}
            )
        elements.append(
            {
                "id": f"{slice_id}.url",
                "path": f"{path}.extension.url",
                "fixedUri": spec["name"],
            }
        )
        if kind == "complex":
            elements.append(
                {"id": f"{slice_id}.value[x]", "path": f"{path}.extension.value[x]", "max": "0"}
            )
        else:
            elements.append(
                {
                    "id": f"{slice_id}.value[x]",
                    "path": f"{path}.extension.value[x]",
                    "min": 0 if kind == "text" else 1,
                    "type": [{"code": _VALUE_TYPES.get(kind, kind)}],
                }
            )
    return elements


def structure_definition(slug: str, spec: dict[str, Any], version: str) -> dict[str, Any]:
    """The StructureDefinition of one extension, for FHIR `version`."""
    url = extension_url(slug)
    root = {
        "id": "Extension",
        "path": "Extension",
        "short": spec["title"],
        "definition": spec["description"],
    }
    elements: list[dict[str, Any]] = [root]
    if "parts" in spec:
        elements.append({"id": "Extension.extension", "path": "Extension.extension", **_slicing()})
        elements += _parts_elements("Extension", "Extension", spec["parts"])
        elements.append({"id": "Extension.url", "path": "Extension.url", "fixedUri": url})
        elements.append({"id": "Extension.value[x]", "path": "Extension.value[x]", "max": "0"})
    elif spec["value"] == "text":
        elements += _text_elements("Extension", "Extension")[:-1]
        elements.append({"id": "Extension.url", "path": "Extension.url", "fixedUri": url})
        elements.append(_text_elements("Extension", "Extension")[-1])
    else:
        elements.append({"id": "Extension.extension", "path": "Extension.extension", "max": "0"})
        elements.append({"id": "Extension.url", "path": "Extension.url", "fixedUri": url})
        elements.append(
            {
                "id": "Extension.value[x]",
                "path": "Extension.value[x]",
                "min": 1,
                "type": [{"code": spec["value"]}],
            }
        )
    parts = [p["name"] for p in spec.get("parts", ())]
    blocks = [Heading(spec["title"]), Paragraph(spec["description"])]
    if parts:
        blocks += [Paragraph("Parts:"), Items(parts)]
    blocks.append(Paragraph(", ".join(spec["context"]), label="Used on:"))
    return {
        **_canonical("StructureDefinition", slug, url, spec, blocks),
        "fhirVersion": version,
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": where} for where in spec["context"]],
        "type": "Extension",
        "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Extension",
        "derivation": "constraint",
        "differential": {"element": elements},
    }


def _canonical(
    kind: str, slug: str, url: str, spec: dict[str, Any], blocks: list[Any]
) -> dict[str, Any]:
    """What every definition starts with: identity, narrative, status and publisher."""
    return {
        "resourceType": kind,
        "id": slug,
        "text": narrative([("en", blocks)]),
        "url": url,
        "version": __version__,
        "name": _name(slug),
        "title": spec["title"],
        "status": "active",
        "publisher": PUBLISHER,
        "description": spec["description"],
    }


def code_system(slug: str, spec: dict[str, Any]) -> dict[str, Any]:
    concepts = [
        {"code": c["code"], "display": c["display"], "definition": c["definition"]}
        for c in spec["concepts"]
    ]
    blocks = [
        Heading(spec["title"]),
        Paragraph(spec["description"]),
        Items([f"{c['code']}: {c['display']}. {c['definition']}" for c in concepts]),
    ]
    url = f"{codes.PROFILE_BASE}CodeSystem/{slug}"
    return {
        **_canonical("CodeSystem", slug, url, spec, blocks),
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": concepts,
    }


def definition_resources(version: str = codes.DEFAULT_VERSION) -> list[dict[str, Any]]:
    """Every StructureDefinition and CodeSystem an export for FHIR `version` uses."""
    table = definitions()
    resources = [
        structure_definition(slug, spec, version)
        for slug, spec in table["extension"].items()
        if version == codes.FHIR_R4 or not spec.get("r4_only")
    ]
    resources += [code_system(slug, spec) for slug, spec in table["codesystem"].items()]
    return resources


def definitions_bundle(
    version: str = codes.DEFAULT_VERSION, bundle_type: str = "collection", release: str = ""
) -> dict[str, Any]:
    """The definitions as a Bundle: `collection` to read, `transaction` or `batch` to load
    into a server. Each definition's `version` is this protokit's, or `release` when given:
    the protokit that made a bundle whose definitions file is checked."""
    resources = definition_resources(version)
    if release:
        for resource in resources:
            resource["version"] = release
    entries = [Entry(r, r["version"]) for r in resources]
    return make_bundle(entries, DEFINITIONS_PUBLISHER, bundle_type)
