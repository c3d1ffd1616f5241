"""A JSON pointer's tokens (RFC 6901): a member name or index escaped into a pointer, and a
pointer's tokens read back. The one pair the package escapes and unescapes with: the model's
origins, the loader's limits, the schema's and the lint's findings, the workbench's and the
bundle's places, FHIR's and prescribing's pointers.

Most tokens are field names and indexes, with neither "~" nor "/": they are given back as
they are after a test for the two characters, which costs less than the two replacements
(`Origin.child` escapes every token of every place the model records, issue 17)."""

from __future__ import annotations


def escape_token(token: object) -> str:
    """`token` as one token of a pointer: "~" written "~0", then "/" written "~1"."""
    text = str(token)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def pointer_tokens(pointer: str) -> list[str]:
    """The member names and indexes a JSON pointer goes through, unescaped (`escape_token`
    undone, "~1" before "~0" so that "~01" gives "~1"): `/a~1b/0` gives `["a/b", "0"]`,
    the document itself (`""`) none."""
    tokens = pointer.split("/")[1:]
    if "~" not in pointer:
        return tokens
    return [t.replace("~1", "/").replace("~0", "~") for t in tokens]
