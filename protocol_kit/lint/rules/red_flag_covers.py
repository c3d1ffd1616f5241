from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem
from protocol_kit.lint.rules._red_flags import RedFlagRule, red_flag_texts
from protocol_kit.model import Protocol
from protocol_kit.redflags import red_flag_sets
from protocol_kit.suggestions import did_you_mean
from protocol_kit.untrusted.text import quoted


class RedFlagCovers(RedFlagRule):
    """A red flag's `covers` names an item that is not in the red-flag sets, or one its text
    does not mention.

    `covers` lets a protocol say which required red flags a text is for, so that wording the
    sets' patterns do not recognise, or a language they have no patterns for, still counts
    (SAFE005). The claim is checked: an id must be one of the sets' items (`protokit rules
    SAFE005` names the file), and where the sets have patterns in the text's language, the
    text must name the item. A claim the text does not bear out would hide a missing red
    flag.

    Bad:

        {"text": "Numbness between your legs.", "action": "emergency",
         "covers": ["ces-sexual-function"]}

    Good:

        {"text": "Numbness between your legs, or less feeling in your genitals during sex.",
         "action": "emergency", "covers": ["ces-saddle-sensation", "ces-sexual-function"]}
    """

    code = "SAFE007"
    name = "red-flag-covers"
    default_severity = Severity.ERROR
    summary = "a red flag's covers names an unknown item, or one its text does not mention"
    ignorable = False  # keeps the patient safe: never turned off

    def _check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        sets = red_flag_sets()
        for routed in red_flag_texts(protocol, context):
            if not any(c.isalpha() for c in routed.value):
                continue  # a text that says nothing is SAFE003's
            base = routed.pointer.rpartition("/")[0]
            for index, item_id in enumerate(routed.covers):
                pointer = f"{base}/covers/{index}"
                item = sets.items.get(item_id)
                if item is None:
                    hint = did_you_mean(item_id, list(sets.items))
                    yield Problem(pointer, f"no red-flag item {quoted(item_id)}{hint}")
                elif (
                    item_id not in routed.named
                    and item.named_in(routed.value, routed.language) is False
                ):
                    yield Problem(
                        pointer,
                        f"the text says nothing about {item.summary} ('{item_id}'): say it in "
                        "the text, or remove the id from covers",
                    )
