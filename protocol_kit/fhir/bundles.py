"""FHIR Bundles of the resources protocol-kit writes: `collection` to read, `transaction` and
`batch` to post.

A `collection` cannot be posted to a FHIR server; a `transaction` or a `batch` can. In both,
each entry is a conditional update (`PUT`) on the resource's canonical identity, the canonical
URL and version of a canonical resource, the identifier of any other: the server updates the
resource it already holds, or creates it, so that exporting again updates rather than
duplicates. The server, not protocol-kit, chooses the resources' ids there, so the resources
carry none, and their `fullUrl`s are `urn:uuid:`s, which a server replaces in the references
between them in a transaction only. A transaction is all or nothing; a batch is a set of
independent requests, for servers that limit transactions with conditional updates (Medplum
takes at most 8 entries in one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from protocol_kit.fhir.identity import Publisher

BUNDLE_TYPES = ("collection", "transaction", "batch")


@dataclass(frozen=True)
class Entry:
    """One resource for a bundle: its type and id (protocol-kit's), and how it is identified."""

    resource: dict[str, Any]
    version: str

    @property
    def resource_type(self) -> str:
        return self.resource["resourceType"]

    @property
    def resource_id(self) -> str:
        return self.resource["id"]


def full_url(entry: Entry, publisher: Publisher, bundle_type: str) -> str:
    """The `fullUrl` of an entry: the canonical URL in a collection, a `urn:uuid:` in a
    transaction or a batch (where the server assigns the id)."""
    if bundle_type != "collection":
        return publisher.entry_uuid(entry.resource_type, entry.resource_id, entry.version)
    return publisher.url(entry.resource_type, entry.resource_id)


def make_bundle(
    entries: list[Entry], publisher: Publisher, bundle_type: str = "collection"
) -> dict[str, Any]:
    """The Bundle of `entries`. References between them must already use `full_url`."""
    if bundle_type not in BUNDLE_TYPES:
        raise ValueError(f"unsupported bundle type {bundle_type}")
    return {
        "resourceType": "Bundle",
        "type": bundle_type,
        "entry": [_entry(entry, publisher, bundle_type) for entry in entries],
    }


def _entry(entry: Entry, publisher: Publisher, bundle_type: str) -> dict[str, Any]:
    url = full_url(entry, publisher, bundle_type)
    if bundle_type == "collection":
        return {"fullUrl": url, "resource": entry.resource}
    resource = {k: v for k, v in entry.resource.items() if k != "id"}
    return {"fullUrl": url, "resource": resource, "request": conditional_put(entry.resource)}


def conditional_put(resource: dict[str, Any]) -> dict[str, str]:
    """`PUT Type?url=...&version=...` for a canonical resource, `PUT Type?identifier=...`
    for another: an update of the resource the server holds under that identity, or a create."""
    kind = resource["resourceType"]
    if "url" in resource:
        query = f"url={quote(resource['url'], safe='')}"
        if "version" in resource:
            query += f"&version={quote(resource['version'], safe='')}"
    else:
        identifier = resource["identifier"][0]
        token = f"{identifier['system']}|{identifier['value']}"
        query = f"identifier={quote(token, safe='')}"
    return {"method": "PUT", "url": f"{kind}?{query}"}
