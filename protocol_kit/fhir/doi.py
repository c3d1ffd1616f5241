"""A reference's DOI as the web address a FHIR `relatedArtifact.url` holds.

A DOI may hold characters a URI cannot hold as they are: SICI DOIs such as
`10.1002/(SICI)1097-4636(199601)30:1<1::AID-JBM1>3.0.CO;2-T` hold `<` and `>`, older ones `#`
(which a browser reads as the start of a fragment), and the schema's DOI pattern takes any
visible character. The DOI Handbook's "DOI Name Encoding Rules for URL Presentation"
(https://www.doi.org/doi-handbook/HTML/encoding-rules-for-urls.html) lists the characters to
percent-encode: `%`, `"`, `#`, a space and `?` (mandatory), `<`, `>`, `{`, `}`, `^`, `[`,
`]`, a backquote, `|`, a backslash and `+` (recommended); a character outside ASCII is
percent-encoded as its UTF-8 bytes (RFC 3986, section 2.1).
"""

from __future__ import annotations

from urllib.parse import quote

RESOLVER = "https://doi.org/"

# Printable ASCII the DOI Handbook leaves as it is (letters, digits and `_.-~` are kept by
# `quote` itself).
_KEPT = "/:;()=&$!*',@"


def doi_url(doi: str) -> str:
    """`https://doi.org/` and the DOI, percent-encoded as the DOI Handbook asks."""
    return RESOLVER + quote(doi, safe=_KEPT)


def doi_urls(doi: str) -> tuple[str, ...]:
    """Every address protocol-kit has written for the DOI: `doi_url`'s, and the DOI as
    written after `https://doi.org/`, as exports made before H1242 wrote it (bundles made
    with `--fhir` then must still verify, and their exports import)."""
    encoded = doi_url(doi)
    written = RESOLVER + doi
    return (encoded,) if written == encoded else (encoded, written)
