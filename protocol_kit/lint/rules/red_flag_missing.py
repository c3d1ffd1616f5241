from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule, remembered
from protocol_kit.lint.rules._red_flags import Routed, red_flag_texts, red_flags_key
from protocol_kit.model import SYSTEM_NAMES, Protocol
from protocol_kit.redflags import Family, RedFlagSets, red_flag_sets


class RedFlagMissing(Rule):
    """The sheet lacks a red flag that its conditions require.

    A patient reads the red-flag box to know when exercise is no longer the answer. For each
    condition family a protocol's indications belong to, the toolkit's red-flag sets
    (`protocol_kit/redflags/red_flags.json`, documented with their sources in
    `docs/safety/red-flags.md`) list the signs the sheet must name and where each sends the
    patient: for low back pain every sign of cauda equina syndrome on the UK patient card
    (saddle numbness, altered feeling when wiping, bladder, bowel and sexual changes, symptoms
    in both legs), new leg weakness or difficulty walking, and the signs of a serious cause
    NICE NG59 asks about; for any exercise programme, chest pain. A red flag covers an item when
    its text names it (each item has its own patterns), or when it says so with
    `"covers": ["item-id"]` (for wording the patterns do not know, or another language), which
    SAFE007 then checks. The action asked for is the item's own, or the one a family of the
    sheet gives it (a fever on a pregnancy sheet: `maternity`, whatever its other families).

    A red flag whose action belongs to one family alone (`maternity`: the midwife or maternity
    unit, for a pregnancy's signs) is reported on a sheet whose conditions are not of that
    family (no pregnancy coded): a patient who is not pregnant would be told to call a
    midwife, and a pregnant patient's sheet would not be checked for the pregnancy's other
    red flags (the 999 signs among them). So is a red flag in any box that covers a sign of
    that family alone (`needed_by_items`), or names one in words that say the patient is
    pregnant ("Heavy bleeding from your vagina while pregnant: call 999" on a knee sheet): the
    same harm, the pregnancy's other signs never asked for. Not a bleed named after the birth
    or after the menopause. Code the pregnancy among the indications (ICD-10-CM Z33.1,
    pregnant state), or take the red flag out.

    Bad (a low back pain protocol):

        "red_flags": [{"text": "Numbness between your legs.", "action": "emergency"}]

    Good:

        "red_flags": [
          {"text": "New numbness between your legs, or around your genitals or back passage.",
           "action": "emergency"},
          {"text": "You cannot feel the toilet paper when you wipe.", "action": "emergency"},
          ... one for every item the family requires ...
        ]
    """

    code = "SAFE005"
    name = "red-flag-missing"
    default_severity = Severity.ERROR
    protocol_part = True  # reads only the part files copied from one another share
    summary = "a red flag the protocol's conditions require is not on the sheet"
    ignorable = False  # keeps the patient safe: never turned off

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        conditions = tuple((c.system, c.code) for c in protocol.indications)
        key = (self.code, conditions, red_flags_key(protocol, context))
        return iter(remembered(context, key, lambda: self._check(protocol, context)))

    def _check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        sets = red_flag_sets()
        families = sets.families_for(protocol.indications)
        flags = red_flag_texts(protocol, context)
        covered: set[str] = set()
        for routed in flags:
            if routed.kind == "red flag":
                covered.update(routed.named)
                covered.update(routed.covers)
        reported: set[str] = set()
        # Where the sheet's families send an item other than its own (H1032), and why.
        actions = sets.item_actions(families)
        for family in families:
            for item_id in family.required:
                if item_id in covered or item_id in reported:
                    continue
                reported.add(item_id)
                item = sets.items[item_id]
                cited = item.sources + _sources_of_action(families, item_id)
                yield Problem(
                    "/safety/red_flags",
                    f"no red flag for {item.summary} (required for {family.title}; sources: "
                    f"{', '.join(dict.fromkeys(cited))}): add one with action "
                    f"'{_shown(sets.needed(item_id, actions))}', or name it in an existing "
                    f"one's covers ('{item_id}')",
                    at_key=True,
                )
        yield from _action_without_family(sets, families, flags)


def _action_without_family(
    sets: RedFlagSets, its: list[Family], flags: list[Routed]
) -> Iterator[Problem]:
    """A red flag whose action is right only on a sheet of a family (`needed_by_actions`, H972),
    or that covers a sign of that family alone (`needed_by_items`, H1002), or names one in
    words that say the family's condition (`Family.says_it`: a pregnancy's 999 signs "while
    pregnant" in the emergency box), when the protocol's conditions are not in the family:
    one finding a red flag, the action's first."""
    for family in sets.families:
        if not (family.needed_by_actions or family.needed_by_items) or family in its:
            continue
        codes = "; ".join(
            f"{SYSTEM_NAMES.get(system, system)} {', '.join(listed)}"
            for system, listed in family.codes.items()
        )
        uncoded = (
            f"none of the protocol's conditions is coded for it (red-flag family "
            f"'{family.id}': {codes})"
        )
        for routed in flags:
            if routed.kind != "red flag":
                continue
            if routed.level in family.needed_by_actions:
                yield Problem(
                    routed.pointer,
                    f"red flag {shown(routed.value)} has action '{routed.level}' "
                    f"({sets.actions[routed.level]}), but {uncoded}: {family.without_it}",
                )
                continue
            named = [i for i in routed.covers if i in family.needed_by_items]
            if not named and family.says_it(routed.value, routed.language):
                named = [i for i in routed.named if i in family.needed_by_items]
            if named:
                yield Problem(
                    routed.pointer,
                    f"red flag {shown(routed.value)} names {sets.items[named[0]].summary} "
                    f"('{named[0]}', a sign of {family.title} alone), but {uncoded}: "
                    f"{family.without_it_named}",
                )


def _sources_of_action(families: list[Family], item_id: str) -> tuple[str, ...]:
    """The sources of the sheet's families that send `item_id` elsewhere (`item_actions`)."""
    return tuple(s for f in families for s in f.item_actions.get(item_id, ("", ()))[1])


def _shown(action: str) -> str:
    return "urgent" if action == "clinician" else action
