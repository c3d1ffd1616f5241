from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem
from protocol_kit.lint.rules._red_flags import RedFlagRule, Routed, red_flag_texts
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
    flag. Where the item's source names several parts of the sign (`elements` in the red-flag
    data: the UK cauda equina card's tingling and "between your legs" beside numbness, not
    feeling the bladder fill, erection and ejaculation), the red flags that name the item must
    name each part between them: a text shortened to fit a page can drop the very words a
    patient with an early, incomplete cauda equina syndrome would recognise.

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
    protocol_part = True  # reads only the part files copied from one another share
    summary = "a red flag's covers names an unknown item, or one its text does not mention"
    ignorable = False  # keeps the patient safe: never turned off

    def _check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        sets = red_flag_sets()
        texts = red_flag_texts(protocol, context)
        for routed in texts:
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
        yield from _left_out(texts)


def _left_out(texts: list[Routed]) -> Iterator[Problem]:
    """The parts of a sign its source names that no red flag naming the item names, in each
    language with words for them: reported once, at the first red flag that names the item."""
    sets = red_flag_sets()
    first: dict[tuple[str, str], Routed] = {}
    together: dict[tuple[str, str], list[str]] = {}
    for routed in texts:
        for item_id in dict.fromkeys((*routed.named, *routed.covers)):
            item = sets.items.get(item_id)
            if item is None or not item.elements:
                continue
            key = (item_id, routed.language.split("-")[0])
            first.setdefault(key, routed)
            together.setdefault(key, []).append(routed.value)
    for (item_id, language), values in together.items():
        item = sets.items[item_id]
        missing = item.left_out(" ".join(values), language)
        if missing:
            yield Problem(
                first[item_id, language].pointer.rpartition("/")[0] + "/text",
                f"the red flags name {item.summary} ('{item_id}') but leave out "
                f"{' and '.join(missing)}, which its source tells the patient to act on: say "
                "them in the text",
            )
