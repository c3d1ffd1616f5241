"""Who publishes a FHIR resource, and so what its canonical URL and identifiers are.

Every export names its publisher, and every identity in it is built from the publisher, so that
two clinics exporting the same protocol never give two different resources one identity:

- with a canonical base URL (`[fhir] canonical_base` in the configuration, or
  `--canonical-base`), a canonical resource's `url` is `<base>/<ResourceType>/<id>`, the form
  HL7's own implementation guides use;
- without one (the documented default), it is `urn:uuid:` and a name-based UUID (RFC 9562
  version 5) of the publisher's name and contact, the resource type and its id: stable for one
  clinic across exports, different for every other clinic.

A resource that is not a canonical resource (ClinicalUseDefinition, and the patient-level
resources of a prescription) is identified by an `identifier` built the same way, with the
version folded in, since its content belongs to one version of the protocol.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from protocol_kit.errors import UsageError
from protocol_kit.findings import shown
from protocol_kit.untrusted.text import printable, quoted

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://schemas.protocol-kit.org/fhir/publisher")
URI_IDENTIFIER = "urn:ietf:rfc:3986"  # an identifier whose value is a URI
# What RFC 3986 lets a URI hold: its unreserved and reserved characters, and `%` with two
# hexadecimal digits (section 2). A quote, `<`, `>`, a backslash, braces, `^`, `|` and a
# backquote are none of them (H1144).
_URI_TEXT = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


@dataclass(frozen=True)
class Publisher:
    """The publishing clinic as FHIR sees it."""

    name: str
    contact: str | None = None
    canonical_base: str | None = None  # e.g. https://fhir.northside.example

    def __post_init__(self) -> None:
        if self.canonical_base is not None:
            object.__setattr__(self, "canonical_base", checked_base(self.canonical_base))

    @property
    def namespace(self) -> uuid.UUID:
        """The publisher's own UUID namespace (when it has no canonical base URL)."""
        return uuid.uuid5(_NAMESPACE, f"{self.name}\n{self.contact or ''}")

    def url(self, resource_type: str, resource_id: str) -> str:
        """The canonical URL of a resource this publisher defines."""
        if self.canonical_base:
            return f"{self.canonical_base}/{resource_type}/{resource_id}"
        return f"urn:uuid:{uuid.uuid5(self.namespace, f'{resource_type}/{resource_id}')}"

    def identifier(self, resource_type: str, resource_id: str, version: str) -> dict[str, str]:
        """A business identifier for a resource of one version (non-canonical resources)."""
        if self.canonical_base:
            value = f"{self.canonical_base}/{resource_type}/{resource_id}/_history/{version}"
        else:
            name = f"{resource_type}/{resource_id}|{version}"
            value = f"urn:uuid:{uuid.uuid5(self.namespace, name)}"
        return {"system": URI_IDENTIFIER, "value": value}

    def entry_uuid(self, resource_type: str, resource_id: str, version: str) -> str:
        """The `fullUrl` of a transaction entry: a `urn:uuid:` the server replaces with the id
        it gives the resource, stable for a resource of one version."""
        name = f"{self.url(resource_type, resource_id)}|{version}"
        return f"urn:uuid:{uuid.uuid5(self.namespace, name)}"


# A URI's scheme, with no space after its colon (`javascript:`, `data:`; not "Phone: 0113").
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(?=\S)")
# What neither an e-mail address nor a telephone number holds: the characters RFC 3986 keeps
# out of a URI (an address in non-Latin letters is still one), a space aside.
_NOT_IN_LINK = frozenset('"<>\\^`{|}')


def contact_system(contact: str) -> str:
    """FHIR's ContactPoint `system` of the publisher's contact (free text: an e-mail address,
    a telephone number or a web address), judged by its form. A receiver's viewer makes a
    link of an `email`, `url` or `phone`; what is none of them for sure is `other`, which it
    shows as text (H1187): `javascript:alert(1)` was a `phone` (it holds a digit),
    `https://nhs.example@evil.example` an `email` (it holds an `@`), and
    `http://x.example/"><script>` a `url`, for a viewer that writes it into a page."""
    scheme = _SCHEME.match(contact)
    named = scheme.group(1).lower() if scheme else ""
    if named in ("http", "https"):
        # A web address as the canonical base must be (H1144): RFC 3986's characters, and
        # no user name before the host, which reads as one site and is another.
        host = urlsplit(contact).netloc if _URI_TEXT.fullmatch(contact) else ""
        return "url" if host and "@" not in host else "other"
    if named not in ("", "mailto", "tel"):
        return "other"  # another scheme (`javascript:`, `data:`, `file:`) is no contact
    if not contact.isprintable() or _NOT_IN_LINK.intersection(contact):
        return "other"  # what a viewer writes into a `mailto:` or `tel:` link: no markup
    if "@" in contact and " " not in contact.strip():
        return "email"
    return "phone" if any(c.isdigit() for c in contact) else "other"


def checked_base(value: str) -> str:
    """A canonical base URL: absolute http(s), no query or fragment; a trailing `/` dropped.
    Raises UsageError naming what is wrong."""
    base = value.strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"canonical base {quoted(value)} is not an http(s) URL such as https://fhir.clinic.example"
        )
    if parts.query or parts.fragment or any(c.isspace() for c in base):
        raise UsageError(f"canonical base {shown(value)} must have no spaces, query or fragment")
    # It starts every resource's canonical URL, the identity other systems match on (H236):
    # RFC 3986 characters only (an escape sequence or a direction override reached every
    # resource), no user name before the host (`https://nhs.uk@attacker.example` reads as one
    # site and is another, and a password was shared with every receiver), and no `.` or
    # `..` segment, which servers resolve so that two bases name one resource.
    if not (base.isascii() and base.isprintable()):
        raise UsageError(
            f"canonical base '{printable(value)}' holds a character a URL cannot: write it "
            "in plain ASCII (percent-encode the rest)"
        )
    # Printable ASCII was not enough (H1144): `"`, `<` and `>` reached every resource's URL,
    # where a receiver that writes it into a page or an XML attribute ends the attribute, and
    # a backslash reads as `/` in browsers (two bases naming one resource, as `..` does).
    unfit = _URI_TEXT.match(base).end()
    if unfit < len(base):
        what = f"the character {base[unfit]!r}, which a URL cannot hold"
        if base[unfit] == "%":
            what = "a '%' not followed by two hexadecimal digits"
        raise UsageError(
            f"canonical base {shown(value)} holds {what}: percent-encode it (RFC 3986)"
        )
    try:
        parts.port  # noqa: B018 (read for its check: a port out of range raises)
    except ValueError:
        raise UsageError(
            f"canonical base {shown(value)} has a port that is not a number from 0 to 65535"
        ) from None
    if "@" in parts.netloc:
        raise UsageError(
            f"canonical base {shown(value)} has a user name before the host: give the address "
            "without it (https://fhir.clinic.example)"
        )
    # A dot written as %2E is a dot to a server (RFC 3986 6.2.2.2: unreserved characters
    # are decoded before dot segments are resolved).
    if any(unquote(segment) in (".", "..") for segment in parts.path.split("/")):
        raise UsageError(f"canonical base {shown(value)} has a '.' or '..' segment: write it out")
    return base
