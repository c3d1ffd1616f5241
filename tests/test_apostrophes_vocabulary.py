"""The apostrophes' vocabulary (`protocol_kit/package_data/apostrophes.txt`) edited, emptied or
damaged in an installed package (H1550): one line naming the file and the line, never an
internal error, and never a vocabulary every pattern with an apostrophe silently reads nothing
with ("]" closed each pattern's class early: "can't" no longer matched "can't")."""

from __future__ import annotations

import pytest

import protocol_kit.package_data
from protocol_kit import patterns
from protocol_kit.errors import InputError
from protocol_kit.package_data import read_text

_FILE = "protocol_kit/package_data/apostrophes.txt"


def _read_as(monkeypatch, text):
    def read(package, name):
        if name == "package_data/apostrophes.txt":
            if isinstance(text, Exception):
                raise text
            return text
        return read_text(package, name)

    monkeypatch.setattr(protocol_kit.package_data, "read_text", read)
    return patterns._apostrophes()


def test_the_shipped_vocabulary_is_read_as_it_is(monkeypatch):
    shipped = read_text("protocol_kit", "package_data/apostrophes.txt")
    assert _read_as(monkeypatch, shipped) == patterns.APOSTROPHES
    # An editor's byte-order mark and Windows line ends change nothing.
    windows = "\ufeff" + shipped.replace("\n", "\r\n")
    assert _read_as(monkeypatch, windows) == patterns.APOSTROPHES


@pytest.mark.parametrize(
    ("text", "line", "said"),
    [
        # Each fails without H1550: "]" and U+D800 were taken (every apostrophe pattern then
        # read nothing, or a lone surrogate was a mark), "u+2019" silently skipped, the others
        # an internal error (a ValueError, or the patterns' "bad character range").
        ("U+0027 APOSTROPHE\nU+005D RIGHT SQUARE BRACKET\n", 2, "not a mark typed"),
        ("U+0027 APOSTROPHE\nU+005C REVERSE SOLIDUS\n", 2, "not a mark typed"),
        ("U+0027 A\nU+2019 B\nU+002D HYPHEN-MINUS\nU+02BC C\n", 3, "not a mark typed"),
        ("U+0027 APOSTROPHE\nU+0073 LATIN SMALL LETTER S\n", 2, "not a mark typed"),
        ("U+0027 APOSTROPHE\nU+D800 A LONE SURROGATE\n", 2, "not a mark typed"),
        ("U+0027 APOSTROPHE\nU+110000 BEYOND UNICODE\n", 2, "not a mark typed"),
        ("U+0027 APOSTROPHE\nU+0085 NEXT LINE\n", 2, "not a mark typed"),
        ("U+0027 APOSTROPHE\nU+ZZ NOT HEX\n", 2, "is not a mark (U+"),
        ("U+0027 APOSTROPHE\nu+2019 LOWER CASE\n", 2, "is not a mark (U+"),
        ("U+0027 APOSTROPHE\n\u2019\n", 2, "is not a mark (U+"),
        ("U+0027 APOSTROPHE\nU+2019 A\n# a note\nU+2019 B\n", 4, "listed twice"),
    ],
)
def test_a_line_out_of_shape_is_an_error_naming_its_line(monkeypatch, text, line, said):
    with pytest.raises(InputError) as refused:
        _read_as(monkeypatch, text)
    message = str(refused.value)
    assert message.startswith(f"{_FILE}:{line}:1: ")
    assert said in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "text",
    ["", "# only a note\n\n", "U+2019 RIGHT SINGLE QUOTATION MARK\nU+0027 APOSTROPHE\n"],
)
def test_no_ascii_apostrophe_first_is_an_error(monkeypatch, text):
    # Fails without H1550: a ValueError, the command's "internal error".
    with pytest.raises(InputError, match="first mark must be the ASCII apostrophe"):
        _read_as(monkeypatch, text)


@pytest.mark.parametrize(
    "failure",
    [
        FileNotFoundError(2, "No such file or directory"),
        IsADirectoryError(21, "Is a directory"),
        UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
    ],
)
def test_a_file_that_cannot_be_read_says_to_reinstall(monkeypatch, failure):
    # Fails without H1550 for the undecodable file (an internal error).
    with pytest.raises(InputError, match="reinstall protocol-kit") as refused:
        _read_as(monkeypatch, failure)
    assert str(refused.value).startswith(f"{_FILE}: ")
