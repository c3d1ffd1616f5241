"""Whether two coded conditions are the same, across code systems where a mapping is known.

Within ICD-10-CM or WHO ICD-10 a code contains every code below it (`M54` contains `M54.50`);
SNOMED CT concepts are compared by identifier (the toolkit has no SNOMED hierarchy). Across
systems, two codes are the same condition when the crosswalk table
(`terminology/data/crosswalk.json`) puts them in one group, or when an ICD-10-CM and a WHO
ICD-10 code are written the same and both code lists describe them in the same words (as for
`G83.4` Cauda equina syndrome). Otherwise the answer is "unknown", and the rules say so rather
than guess.
"""

from __future__ import annotations

import functools

from protocol_kit.model import ICD10CM, ICD10WHO
from protocol_kit.package_data import read_json

ICD_SYSTEMS = (ICD10CM, ICD10WHO)


def _key(code: str) -> str:
    return code.replace(".", "").upper()


def at_or_below(system: str, code: str, top: str) -> bool:
    return _key(code).startswith(_key(top)) if system in ICD_SYSTEMS else code == top


def within(system: str, a: str, b: str) -> bool:
    """The same condition, or one containing the other, in one system."""
    if system in ICD_SYSTEMS:
        x, y = _key(a), _key(b)
        return x.startswith(y) or y.startswith(x)
    return a == b


@functools.lru_cache(maxsize=1)
def _groups() -> tuple[dict[str, tuple[str, ...]], ...]:
    data = read_json("protocol_kit.terminology", "data/crosswalk.json")
    systems = data["systems"]
    return tuple(
        {systems[name]: tuple(codes) for name, codes in group["codes"].items()}
        for group in data["groups"]
    )


def equivalents(system: str, code: str, target: str) -> tuple[str, ...]:
    """The codes of `target` that name the condition `system`/`code` or one containing it."""
    found: list[str] = []
    for group in _groups():
        # Only when `code` is at or below the group's code: M54.50 is low back pain, but M54
        # (dorsalgia) is not, though it contains it.
        if target in group and any(at_or_below(system, code, c) for c in group.get(system, ())):
            found.extend(group[target])
    if not found and {system, target} == set(ICD_SYSTEMS) and _same_words(system, code):
        found.append(code)
    return tuple(found)


def _same_words(system: str, code: str) -> bool:
    """An ICD-10-CM and a WHO ICD-10 code written alike that both lists describe alike."""
    from protocol_kit.terminology import icd10cm, icd10who

    cm, who = icd10cm.lookup(code), icd10who.lookup(code)
    return (
        cm is not None
        and who is not None
        and cm.description.casefold() == (who.description.casefold())
    )


@functools.lru_cache(maxsize=8192)
def same_condition(a_system: str, a_code: str, b_system: str, b_code: str) -> bool | None:
    """True: the same condition (or one contains the other); False: different; None: the
    systems differ and no mapping is known, so the toolkit cannot tell."""
    if a_system == b_system:
        return within(a_system, a_code, b_code)
    mapped = equivalents(a_system, a_code, b_system)
    if mapped:
        return any(within(b_system, m, b_code) for m in mapped)
    back = equivalents(b_system, b_code, a_system)
    if back:
        return any(within(a_system, m, a_code) for m in back)
    return None
