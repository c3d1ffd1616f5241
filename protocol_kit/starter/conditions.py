"""`protokit new protocol ID --condition CODE`: the condition's coding, exactly as the code
lists write it, and the red flags its red-flag set requires as starting texts.

A therapist starting a low back pain protocol was told by `validate` that 13 red flags were
missing (SAFE005) and had to write each from nothing or copy them from an example. The
starting text of each is the item's own summary from the red-flag sets (`red_flags.json`,
each with its sources in docs/safety/red-flags.md), written as a sentence, with the item's
action and `covers`; lint rule GOV009 marks each kept unchanged until the protocol is signed
off, as it does the other starting texts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from protocol_kit.model import ICD10CM, ICD10WHO, SNOMED, SYSTEM_NAMES
from protocol_kit.untrusted.text import QUOTED_LIMIT, capped, quoted

# What a therapist may write before the code to name its system: the tail of the system's URI.
SYSTEM_PREFIXES = {"icd-10-cm": ICD10CM, "icd-10": ICD10WHO, "snomed": SNOMED}


class ConditionError(ValueError):
    """A --condition that names no usable code: the message says what to write instead."""


# Where the therapist finds a code by its name, or the codes under a heading: the one thing
# the command line and the workbench say differently (the rest of each message is the same
# words, s24-users): the workbench's user has the form's code search, not `protokit codes`.
COMMAND_LINE = {
    "by_name": "protokit codes WORDS finds a condition's code by its name",
    "under": "protokit codes {code} lists them",
    "name_given": "protokit codes {words} finds its code",
}
WORKBENCH = {
    "by_name": "leave it empty and find the code by its name in the form's \"Find a condition "
    'code"',
    "under": 'the form\'s "Find a condition code" lists them',
    "name_given": "leave it empty and find its code by the name in the form's \"Find a "
    'condition code"',
}


def condition_coding(value: str, finder: Mapping[str, str] = COMMAND_LINE) -> dict[str, str]:
    """The coding (system, code, display) of `value`: a code (`M54.50`, `279039007`) or a
    code after its system (`icd-10:M54.5`). ConditionError when no list has it, when it is
    a heading with codes under it, or when two lists have it and the system is not named;
    `finder` says where to look for the code instead."""
    prefix, _, code = value.rpartition(":")
    code = code.strip().upper()
    if prefix and prefix.lower() not in SYSTEM_PREFIXES:
        raise ConditionError("a code's system is written icd-10-cm:, icd-10: or snomed: before it")
    systems = (SYSTEM_PREFIXES[prefix.lower()],) if prefix else tuple(SYSTEM_PREFIXES.values())
    found = [entry for entry in (_lookup(s, code) for s in systems) if entry is not None]
    if not found:
        where = SYSTEM_NAMES[systems[0]] if prefix else "ICD-10-CM, WHO ICD-10 or SNOMED CT"
        raise ConditionError(f"no such code in {where}: {finder['by_name']}")
    if len(found) > 1:
        choices = " or ".join(f"{_prefix(s)}:{code}" for s, _, _ in found)
        listed = "; ".join(f"{SYSTEM_NAMES[s]}: {d}" for s, d, _ in found)
        raise ConditionError(
            f"a code in more than one list ({listed}): write {choices} (ICD-10-CM in the "
            "United States, WHO ICD-10 elsewhere)"
        )
    system, display, narrower = found[0]
    if narrower:
        raise ConditionError(
            f"a heading in {SYSTEM_NAMES[system]} ({display}): use one of the codes "
            f"under it ({', '.join(narrower[:8])}{', ...' if len(narrower) > 8 else ''}; "
            f"{finder['under'].format(code=code)})"
        )
    return {"system": system, "code": code, "display": display}


def _prefix(system: str) -> str:
    return next(p for p, s in SYSTEM_PREFIXES.items() if s == system)


def _lookup(system: str, code: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(system, display, the codes to use instead when it is a heading), or None."""
    if system == ICD10CM:
        from protocol_kit.terminology import icd10cm

        entry = icd10cm.lookup(code)
        if entry is None:
            return None
        return system, entry.description, () if entry.billable else entry.billable_children
    if system == ICD10WHO:
        from protocol_kit.terminology import icd10who
        from protocol_kit.terminology.search import search_codes

        who = icd10who.lookup(code)
        if who is None:
            return None
        if who.leaf:
            return system, who.description, ()
        under = search_codes(code, (ICD10WHO,), limit=50)
        return system, who.description, tuple(m.code for m in under if m.code != code)
    from protocol_kit.terminology import snomed

    known = snomed.known_display(code)
    return None if known is None else (system, known[0], ())


def with_conditions(document: dict, codings: list[dict[str, str]]) -> tuple[list[dict], list[str]]:
    """Write the conditions and the red flags their sets require into a new protocol (from
    `new_protocol`); the red flags added and the titles of their sets."""
    if not codings:
        return [], []
    red_flags, sets = starting_red_flags(codings)
    document["indications"] = list(codings)
    document["safety"]["red_flags"] += red_flags
    return red_flags, sets


def condition_codings(
    values: Iterable[str], finder: Mapping[str, str] = COMMAND_LINE
) -> list[dict[str, str]]:
    """The codings of `values`, each once; ConditionError names the value at fault. A value
    may hold several codes separated by commas or spaces, as the workbench's field does
    (`-c "M54.50, icd-10:M54.2"` was one code, "no such code", at the command line)."""
    codings: list[dict[str, str]] = []
    for typed in values:
        codes = typed.replace(",", " ").split()
        if not codes:
            raise ConditionError(f"{quoted(typed)}: no code given ({finder['by_name']})")
        if not any(ch.isdigit() for ch in typed):
            # Every code has a digit: words are the condition's name. `-c "neck pain"` was
            # read as two codes and refused as "neck: no such code" (s41-users).
            words = " ".join(re.findall(r"[^\W_]+", typed))
            raise ConditionError(
                f"{quoted(typed)}: a condition's name, not its code: "
                + finder["name_given"].format(words=capped(words, QUOTED_LIMIT))
            )
        for value in codes:
            if not any(ch.isdigit() for ch in value):
                raise ConditionError(
                    f"{capped(value, QUOTED_LIMIT)}: a word, not a code: write only the codes, "
                    "separated by commas (M54.50, icd-10:M54.5)"
                )
            try:
                coding = condition_coding(value, finder)
            except ConditionError as error:
                # The value as typed, shortened: a pasted paragraph is not repeated whole.
                raise ConditionError(f"{capped(value, QUOTED_LIMIT)}: {error}") from None
            if coding not in codings:
                codings.append(coding)
    return codings


def starting_red_flags(codings: Iterable[Mapping[str, str]]) -> tuple[list[dict], list[str]]:
    """The red flags the conditions' red-flag sets require beyond the one every protocol
    starts with (chest pain), each once, in the sets' order; and the titles of the sets."""
    from protocol_kit.model import Coding, Origin

    sets = _red_flag_sets()
    conditions = [Coding(c["system"], c["code"], c["display"], Origin("", "")) for c in codings]
    families = [f for f in sets.families_for(conditions) if not f.all_protocols]
    from protocol_kit.starter.texts import red_flag_starting_texts

    texts = red_flag_starting_texts()
    every_protocol = {i for f in sets.families if f.all_protocols for i in f.required}
    # Where the sheet's families send an item other than its own (a fever in pregnancy to the
    # maternity unit, H1032): the action SAFE006 asks for, started here.
    actions = sets.item_actions(families)
    flags: dict[str, dict] = {}
    for family in families:
        for item_id in family.required:
            if item_id not in every_protocol and item_id not in flags:
                flags[item_id] = {
                    "text": texts[item_id],
                    "action": sets.needed(item_id, actions),
                    "covers": [item_id],
                }
    return list(flags.values()), [f.title for f in families]


def _red_flag_sets():  # -> RedFlagSets
    from protocol_kit.redflags import red_flag_sets

    return red_flag_sets()
