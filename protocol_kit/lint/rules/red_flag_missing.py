from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule, remembered
from protocol_kit.lint.rules._red_flags import red_flag_texts, red_flags_key
from protocol_kit.model import Protocol
from protocol_kit.redflags import red_flag_sets


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
    SAFE007 then checks.

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
        covered: set[str] = set()
        for routed in red_flag_texts(protocol, context):
            if routed.kind == "red flag":
                covered.update(routed.named)
                covered.update(routed.covers)
        reported: set[str] = set()
        for family in families:
            for item_id in family.required:
                if item_id in covered or item_id in reported:
                    continue
                reported.add(item_id)
                item = sets.items[item_id]
                yield Problem(
                    "/safety/red_flags",
                    f"no red flag for {item.summary} (required for {family.title}; sources: "
                    f"{', '.join(item.sources)}): add one with action '{_shown(item.action)}'"
                    f", or name it in an existing one's covers ('{item_id}')",
                    at_key=True,
                )


def _shown(action: str) -> str:
    return "urgent" if action == "clinician" else action
