"""Reading and writing protocol-kit's extensions, as definitions.toml describes them.

The exporter builds an extension's parts with `part`/`text_part`, the importer reads them back
with `Parts`; both use the part names of definitions.toml, from which `definitions.py` writes
the StructureDefinitions, so the three cannot drift apart.

Text in a part: in a protocol of one language, `valueString`; in a protocol with translations,
one nested `text` part per language with `lang` (code) and `content` (string), primary
language first. (FHIR's translation extension on `_valueString` would be the other way, but
widely used libraries refuse it inside an extension.)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from protocol_kit.fhir import codes
from protocol_kit.model import Text


@cache
def definitions() -> dict[str, Any]:
    """definitions.toml, parsed."""
    from protocol_kit.package_data import read_toml

    return read_toml("protocol_kit.fhir", "definitions.toml")


def extension_url(slug: str) -> str:
    return f"{codes.PROFILE_BASE}StructureDefinition/{slug}"


def part(name: str, value_type: str, value: Any) -> dict[str, Any]:
    """A part with a FHIR value: `valuePositiveInt`, `valueCode`, ..."""
    return {"url": name, f"value{value_type[0].upper()}{value_type[1:]}": value}


def text_part(name: str, text: Text, languages: tuple[str, ...]) -> dict[str, Any]:
    """A part holding a text in every language of the protocol."""
    if len(languages) == 1:
        return {"url": name, "valueString": text.get(languages[0])}
    return {
        "url": name,
        "extension": [
            {
                "url": "text",
                "extension": [
                    {"url": "lang", "valueCode": language},
                    {"url": "content", "valueString": text.get(language)},
                ],
            }
            for language in languages
        ],
    }


def complex_extension(slug: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"url": extension_url(slug), "extension": [p for p in parts if p is not None]}


class Parts:
    """The parts of a complex extension (or of a part), read by name."""

    def __init__(self, element: Mapping[str, Any]) -> None:
        self.element = element
        self.parts = list(element.get("extension", ()))

    def all(self, name: str) -> list[Mapping[str, Any]]:
        return [p for p in self.parts if p.get("url") == name]

    def first(self, name: str) -> Mapping[str, Any] | None:
        found = self.all(name)
        return found[0] if found else None

    def value(self, name: str, default: Any = None) -> Any:
        found = self.first(name)
        return value_of(found) if found is not None else default

    def values(self, name: str) -> list[Any]:
        return [value_of(p) for p in self.all(name)]

    def text(self, name: str) -> str | dict[str, str] | None:
        found = self.first(name)
        return text_of(found) if found is not None else None

    def texts(self, name: str) -> list[str | dict[str, str]]:
        return [text_of(p) for p in self.all(name)]

    def child(self, name: str) -> Parts:
        return Parts(self.first(name) or {})


def value_of(element: Mapping[str, Any]) -> Any:
    return next((v for k, v in element.items() if k.startswith("value")), None)


def text_of(element: Mapping[str, Any]) -> str | dict[str, str]:
    """A text part as the protocol format writes it: a string, or one entry per language."""
    if "valueString" in element:
        return element["valueString"]
    values = {}
    for entry in Parts(element).all("text"):
        parts = Parts(entry)
        values[parts.value("lang")] = parts.value("content")
    return values


def find_extension(element: Mapping[str, Any], slug: str) -> Mapping[str, Any] | None:
    url = extension_url(slug)
    return next((e for e in element.get("extension", ()) if e.get("url") == url), None)


def extensions_named(element: Mapping[str, Any], slug: str) -> Iterator[Mapping[str, Any]]:
    url = extension_url(slug)
    return (e for e in element.get("extension", ()) if e.get("url") == url)
