"""JSON pointers' tokens escaped and read back by the one pair in `protocol_kit.jsontext.pointers`
(RFC 6901), and no module of the package writing the escaping again on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

import protocol_kit
from protocol_kit.jsontext.pointers import escape_token, pointer_tokens
from protocol_kit.model import Origin

NAMES = ["a", "a/b", "a~b", "~1", "~01", "/", "~", "", "0", "é/ß~"]


@pytest.mark.parametrize("name", NAMES)
def test_a_token_escaped_reads_back_as_it_was(name: str) -> None:
    assert pointer_tokens(f"/x/{escape_token(name)}/0") == ["x", name, "0"]


def test_the_rfc_examples() -> None:
    assert escape_token("a/b") == "a~1b"
    assert escape_token("m~n") == "m~0n"
    assert escape_token("~1") == "~01"  # "~" first: "~1" is not read back as "/"
    assert escape_token(3) == "3"
    assert pointer_tokens("/a~1b/m~0n/~01") == ["a/b", "m~n", "~1"]
    assert pointer_tokens("") == []
    assert pointer_tokens("/") == [""]


def test_the_models_places_escape_a_member_name() -> None:
    origin = Origin("p.json", "/screening").child("a/b~c", 2)
    assert origin.pointer == "/screening/a~1b~0c/2"


def test_no_module_escapes_or_unescapes_on_its_own() -> None:
    package = Path(protocol_kit.__file__).parent
    own = package / "jsontext" / "pointers.py"
    written = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path != own and any(piece in path.read_bytes() for piece in (b'"~1"', b'"~0"'))
    ]
    assert written == []
