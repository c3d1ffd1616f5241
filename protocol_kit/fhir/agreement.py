"""Whether a FHIR export says what its protocol says.

A bundle made with `--fhir` carries `fhir/<id>.json` beside `protocols/<id>.json`. The receiving
clinic checks the protocol, but may load the FHIR file into its own server; a FHIR file with
another dosage or another red flag than the checked protocol would pass unseen. The export is
read back (as `protokit import fhir` reads it) and compared with the protocol in every clinical
field: where each part was read from, library provenance and lint suppressions are not clinical
content and are not exported, and the blanks at the start of a line of a text are layout that
a `markdown` element drops (docs/fhir.md, "Not exported").

Reading back reads protocol-kit's own extensions; a FHIR server or viewer reads the standard
elements (a narrative, an action's timing, a body site). `export_difference` compares the
whole export with the one the protocol itself gives, so that no element says something else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from protocol_kit.jsontext.pointers import escape_token
from protocol_kit.model import Origin, Protocol
from protocol_kit.record import Record

# Fields that are not clinical content: not exported, so not compared.
NOT_EXPORTED = frozenset({"library", "suppressions"})


def first_difference(written: Any, exported: Any, where: str = "") -> str | None:
    """Where `exported` first says something else than `written` (a path of field names and
    list places, "/" for the whole), or None when they agree in every clinical field."""
    if isinstance(written, Origin) and isinstance(exported, Origin):
        return None
    if type(written) is not type(exported):
        return where or "/"
    if isinstance(written, (tuple, list)):
        if len(written) != len(exported):
            return where or "/"
        for index, (a, b) in enumerate(zip(written, exported, strict=True)):
            found = first_difference(a, b, f"{where}/{index}")
            if found is not None:
                return found
        return None
    if isinstance(written, Record):
        skipped = NOT_EXPORTED | set(getattr(written, "_not_compared", ()))
        for field in dataclasses.fields(written):
            if field.name in skipped:
                continue
            found = first_difference(
                getattr(written, field.name), getattr(exported, field.name), f"{where}/{field.name}"
            )
            if found is not None:
                return found
        return None
    if isinstance(written, str):
        return None if _words(written) == _words(exported) else (where or "/")
    if isinstance(written, dict):
        if written.keys() != exported.keys():
            return where or "/"
        for key, value in written.items():
            found = first_difference(value, exported[key], f"{where}/{key}")
            if found is not None:
                return found
        return None
    return None if written == exported else (where or "/")


def _words(text: str) -> str:
    """A text without the blanks at the start of its lines."""
    return "\n".join(line.lstrip(" \t") for line in text.split("\n"))


def disagreement(written: Protocol, exported: Protocol) -> str | None:
    """Where a protocol read back from its FHIR export differs from the protocol, or None."""
    return first_difference(written, exported)


def export_difference(
    data: dict[str, Any],
    protocol: Protocol,
    read_image: Callable[[Any], bytes],
    publisher: str,
    contact: str | None,
) -> str | None:
    """Where the FHIR Bundle `data` differs from the export `protocol` itself gives (in the
    FHIR version and bundle type it is closest to, under its canonical base), as a JSON
    pointer, or None when it is that export exactly. Every element counts: what a FHIR viewer
    shows (the narratives) and what a server reads (an action's timing, a body site, a code)
    as much as the extensions reading back reads (H332, H387)."""
    from protocol_kit.errors import UsageError
    from protocol_kit.fhir.export import FhirOptions, protocol_bundle

    def made(version: str) -> dict[str, Any]:
        options = FhirOptions(version, _canonical_base(data), publisher, contact, data.get("type"))
        try:
            return protocol_bundle(protocol, read_image, options)
        except UsageError as error:  # no export of this version and type (an R4B batch)
            raise ValueError(error) from None

    return _closest_difference(_doi_links_as_now(data), made)


def _doi_links_as_now(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with each DOI link an export made before H1242 wrote (the DOI as written after
    `https://doi.org/`, not percent-encoded) as the export writes it now, so that a bundle
    made then still verifies; `data` itself when it has none. Only a link that is the
    reference's own DOI is rewritten: any other address still differs."""
    from protocol_kit.fhir.codes import REFERENCE_DOI
    from protocol_kit.fhir.doi import doi_url, doi_urls

    entries = data.get("entry")
    if not isinstance(entries, list):
        return data
    changed = False
    rewritten = []
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        artifacts = resource.get("relatedArtifact") if isinstance(resource, dict) else None
        if not isinstance(artifacts, list):
            rewritten.append(entry)
            continue
        now = []
        for artifact in artifacts:
            # Any shape may come from the bundle: only protocol-kit's own is rewritten.
            parts = artifact.get("extension") if isinstance(artifact, dict) else None
            value = next(
                (
                    part.get("valueString")
                    for part in (parts if isinstance(parts, list) else ())
                    if isinstance(part, dict) and part.get("url") == REFERENCE_DOI
                ),
                None,
            )
            if isinstance(value, str) and artifact.get("url") in doi_urls(value)[1:]:
                artifact = {**artifact, "url": doi_url(value)}
                changed = True
            now.append(artifact)
        rewritten.append({**entry, "resource": {**resource, "relatedArtifact": now}})
    return {**data, "entry": rewritten} if changed else data


def definitions_difference(data: dict[str, Any], release: str = "") -> str | None:
    """Where the FHIR Bundle `data` differs from protocol-kit's own StructureDefinitions (in
    the FHIR version and bundle type it is closest to), or None: a server that loads them
    reads what each extension means from them (H387). `release`: the protocol-kit version
    they are said to be made by (a bundle's generator), which each definition carries."""
    from protocol_kit.fhir.definitions import definitions_bundle

    return _closest_difference(
        data, lambda version: definitions_bundle(version, data.get("type"), release)
    )


def _closest_difference(data: dict[str, Any], made: Callable[[str], dict[str, Any]]) -> str | None:
    """None when `data` is what `made` gives for one FHIR version, else where it differs from
    the version that agrees the furthest down. `made` raises ValueError, KeyError or TypeError
    for a version (or bundle type: the file's `type` may be anything) it cannot make."""
    from protocol_kit.fhir.codes import FHIR_VERSIONS

    closest: str | None = None
    for version in FHIR_VERSIONS:
        try:
            own = made(version)
        except (ValueError, KeyError, TypeError):
            continue
        place = _first_change(own, data, "")
        if place is None:
            return None
        if closest is None or place.count("/") > closest.count("/"):
            closest = place
    return closest or "/"


def _canonical_base(data: dict[str, Any]) -> str | None:
    """The canonical base the export's PlanDefinition was named under (`[fhir] canonical_base`
    of the publisher), or None for `urn:uuid:` names."""
    for entry in data.get("entry") or ():
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "PlanDefinition":
            url = resource.get("url")
            marker = "/PlanDefinition/"
            if isinstance(url, str) and not url.startswith("urn:") and marker in url:
                return url.rsplit(marker, 1)[0]
            return None
    return None


def _first_change(made: Any, said: Any, where: str) -> str | None:
    """The JSON pointer of the first place where `said` is not `made`, or None."""
    if type(made) is not type(said) and not (_number(made) and _number(said)):
        return where or "/"
    if isinstance(made, dict):
        for key in list(made) + [k for k in said if k not in made]:
            if key not in made or key not in said:
                return f"{where}/{escape_token(key)}"
            found = _first_change(made[key], said[key], f"{where}/{escape_token(key)}")
            if found is not None:
                return found
        return None
    if isinstance(made, list):
        for index, (a, b) in enumerate(zip(made, said, strict=False)):
            found = _first_change(a, b, f"{where}/{index}")
            if found is not None:
                return found
        return None if len(made) == len(said) else f"{where}/{min(len(made), len(said))}"
    return None if made == said else (where or "/")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
