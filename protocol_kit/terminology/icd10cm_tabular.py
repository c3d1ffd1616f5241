"""The ICD-10-CM code list read from `simple_icd_10_cm`'s own data files in a stream.

Importing the package parses its 9.7 MB tabular list whole into an XML tree and then into a
tree of objects that hold every note of every code: about 190 MB, in the one process that
builds the code index (a first run into an empty cache folder peaked at 235 MB; issue 17).
The index needs three things of each code (its description, whether it is billable, and
that it is a code, not a chapter or block), so `rows` reads the same two files as the
package does, an element at a time, and gives each code as soon as it is known, dropping
each element once read: the index is built with the rows never held together.

The rows are the package's answers, in the package's order (its `get_all_codes`): the
codes of its tree without the chapters and blocks (`is_chapter_or_block`), each with its
description and whether it is a leaf (`is_leaf`). The package adds the codes of a seventh
character itself, to a leaf under a `sevenChrDef` (its own or its nearest ancestor's), named
with placeholder X's, when its plain list of codes has them; so does `rows`.
`tests/test_icd10cm_tabular.py` compares every row with the package's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

_PLAIN_LIST = ("code-list-", ".txt")  # every code the release confirms, one a line
_TABULAR_LIST = ("icd10c-tabular-", ".xml")  # the codes' tree, descriptions and notes
# Children of an element that are codes of their own (the package's `_CodeTree`); below the
# root, every element from the third on (the first two are its version and introduction).
_CODE_ELEMENTS = frozenset(("section", "diag"))
_SKIPPED_AT_ROOT = 2


def data_files() -> tuple[str, str] | None:
    """The package's plain list and tabular list, or None when its data folder does not
    hold exactly one of each (another layout: the caller imports the package instead)."""
    from protocol_kit.lean_imports import installed_spec

    spec = installed_spec("simple_icd_10_cm")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.join(next(iter(spec.submodule_search_locations)), "data")
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    found = []
    for start, end in (_PLAIN_LIST, _TABULAR_LIST):
        matching = [name for name in names if name.startswith(start) and name.endswith(end)]
        if len(matching) != 1:
            return None
        found.append(os.path.join(folder, matching[0]))
    return found[0], found[1]


class _Code:
    """An element of the tree being read: what its row and its children's rows need."""

    __slots__ = (
        "element",
        "parent",
        "name",
        "description",
        "kind",
        "inherited",
        "own_characters",
        "characters",
        "has_children",
        "given",
    )

    def __init__(self, element, parent: _Code | None, inherited: dict | None) -> None:
        self.element = element
        self.parent = parent
        self.name = element.get("id", "")
        self.description = ""
        self.kind = element.tag
        # The meanings of the seventh characters of its nearest ancestor with a sevenChrDef
        # read before this code began, its own sevenChrDef's, and those its children
        # inherit (its own once read, else the same as it inherited).
        self.inherited = inherited
        self.own_characters: dict[str, str] = {}
        self.characters = inherited
        self.has_children = False
        self.given = False  # its row given (or left out)

    def row(self) -> tuple[str, str, bool] | None:
        """Its row, or None for a chapter or block (a section, or a code named as the section
        holding it)."""
        if self.kind in ("chapter", "section"):
            return None
        if self.parent is not None and self.parent.name == self.name:
            return None
        return self.name, self.description, not self.has_children


def rows(plain_list: str, tabular_list: str) -> Iterator[tuple[str, str, bool]]:
    """(code, description, billable) of every code, in the package's order."""
    import xml.etree.ElementTree as ET  # only while the index is built

    confirmed = _seventh_character_codes(plain_list)
    open_elements: list = []  # the elements started and not yet ended, outermost first
    codes: list[_Code] = []  # the codes open now, outermost first
    root_children = 0
    for event, element in ET.iterparse(tabular_list, events=("start", "end")):
        if event == "start":
            holder = open_elements[-1] if open_elements else None
            open_elements.append(element)
            if holder is None:
                continue
            if len(open_elements) == 2:  # a child of the root
                root_children += 1
                if root_children > _SKIPPED_AT_ROOT:
                    codes.append(_Code(element, None, None))
            elif codes and holder is codes[-1].element and element.tag in _CODE_ELEMENTS:
                parent = codes[-1]
                if not parent.has_children:  # its row comes before its children's
                    parent.has_children = True
                    yield from _given(parent)
                codes.append(_Code(element, parent, parent.characters))
            continue
        open_elements.pop()
        holder = open_elements[-1] if open_elements else None
        if codes and element is codes[-1].element:
            code = codes.pop()
            if not code.has_children:
                yield from _leaf_rows(code, confirmed)
        elif codes and holder is codes[-1].element:
            _read_detail(codes[-1], element)
        elif len(open_elements) != 1:
            continue  # within a detail (a note of a list): read with the detail, if at all
        element.clear()
        if holder is not None and len(holder) and holder[-1] is element:
            del holder[-1]  # read: not kept in its parent's list


def _given(code: _Code) -> Iterator[tuple[str, str, bool]]:
    if not code.given:
        code.given = True
        row = code.row()
        if row is not None:
            yield row


def _leaf_rows(code: _Code, confirmed: set[str]) -> Iterator[tuple[str, str, bool]]:
    """The row of a code with no child in the tree, and the codes of its seventh characters
    that the plain list confirms (the package's children of such a leaf)."""
    characters = code.own_characters or code.inherited
    extended = []
    if characters:
        name = code.name if len(code.name) != 3 else code.name + "."
        name = name.ljust(7, "X")
        stem = name[:3] + name[4:]
        extended = [
            (name + character, f"{code.description}, {meaning}")
            for character, meaning in characters.items()
            if stem + character in confirmed
        ]
    code.has_children = bool(extended)
    yield from _given(code)
    for extended_code, description in extended:
        yield extended_code, description, True


def _read_detail(code: _Code, element) -> None:
    """What `code`'s own child `element` says of it: its name, description or the meanings
    of its seventh characters (the notes are not read)."""
    tag = element.tag
    if tag == "name":
        if element.text is None:
            raise ValueError(f"a <name> with no text under {code.name!r}")
        code.name = element.text
    elif tag == "desc":
        if element.text is not None:
            code.description = element.text
    elif tag == "sevenChrDef":
        meanings: dict[str, str] = {}
        last = None
        for part in element:
            if part.tag == "extension":
                last = part.get("char")
                meanings[last] = part.text if part.text is not None else ""
            elif part.tag == "note" and last is not None and part.text is not None:
                meanings[last] = f"{meanings[last]}/{part.text}"
        code.own_characters = meanings
        code.characters = meanings  # for the children that follow it


def _seventh_character_codes(plain_list: str) -> set[str]:
    """The codes of the plain list (without their dots) that a seventh character could
    make: seven characters long, the only ones the tree's leaves are checked against (52,000
    of its 98,000 lines, about 5 MB: the largest thing held while the index is built)."""
    found = set()
    with open(plain_list, encoding="utf-8") as lines:
        for line in lines:
            code = line.rstrip("\n").split(" ")[0].replace(".", "")
            if len(code) == 7:
                found.add(code)
    return found
