"""The starting texts of a new protocol (data/protocol_texts.json). Read by lint rule GOV009
on every `protokit validate`, so this module imports only what validate has loaded already."""

from __future__ import annotations

import functools

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.package_data import read_json

if TYPE_CHECKING:
    from typing import Any


@functools.cache
def protocol_texts() -> dict[str, Any]:
    """The starting texts of a new protocol (data/protocol_texts.json)."""
    return read_json("protocol_kit.starter", "data/protocol_texts.json")


def starting_pain_bands() -> dict[str, int]:
    """`green_max` and `amber_max` of the starting pain guide: the bands its texts are
    written for."""
    bands = protocol_texts()["pain_bands"]
    return {"green_max": bands["green_max"], "amber_max": bands["amber_max"]}


@functools.cache
def red_flag_starting_texts() -> dict[str, str]:
    """Item id -> the starting text of its red flag, as `protokit new protocol --condition`
    writes it (the item's `starting_text` in the red-flag sets, else its summary as a
    sentence), for every item a condition's set requires. Here, not in `conditions`, so that
    GOV009 imports no module `validate` has not loaded (the red-flag sets are SAFE005's)."""
    from protocol_kit.redflags import red_flag_sets

    sets = red_flag_sets()
    required = dict.fromkeys(i for f in sets.families for i in f.required)
    items = [sets.items[item_id] for item_id in required]
    return {item.id: item.starting_text or _as_sentence(item.summary) for item in items}


def _as_sentence(summary: str) -> str:
    return summary[:1].upper() + summary[1:] + "."
