from __future__ import annotations

import functools
from collections.abc import Collection, Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol, Text


class StarterText(Rule):
    """A safety or delivery text is still the starting text `protokit new protocol` wrote, and
    no clinician has signed the protocol off.

    So that a first protocol takes minutes, `protokit new protocol` (and the workbench's New
    protocol) fill in what every home programme needs with reviewed starting texts: a chest
    pain red flag that sends the patient to the emergency number, two stop criteria, the pain
    guide's three bands, one piece of general advice, and who prescribes, how the starting
    dosage is chosen and adjusted and how sessions are recorded; with `--condition`, the red
    flags that condition's red-flag set requires (`protokit redflags`). Each is generic: it may not
    fit this programme (a pain guide for a post-operative knee, advice for a balance class).
    Each one left unchanged is marked here for review until the protocol has a `sign_off`,
    which records that a clinician read the whole protocol. The texts and their sources are
    in `protocol_kit/starter/data/protocol_texts.json` and docs/safety/clinical-review.md; a
    condition's red flags are the items' summaries in the red-flag sets
    (docs/safety/red-flags.md).

    Bad (a draft without a sign-off):

        "stop_criteria": ["Pain that turns sharp, or rises into the red band of the pain guide."]

    Good (the text changed to fit the programme, or kept and the protocol signed off):

        "stop_criteria": ["Pain that turns sharp, or new swelling or giving way of the knee."]
    """

    code = "GOV009"
    name = "starter-text"
    default_severity = Severity.WARNING
    protocol_part = True  # reads only the part files copied from one another share
    summary = "a safety or delivery text is still `protokit new`'s starting text, not yet reviewed"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if protocol.sign_off is not None:
            return  # a clinician signed the protocol off: its texts are reviewed
        from protocol_kit.starter.texts import protocol_texts

        texts = protocol_texts()
        safety, delivery = protocol.safety, protocol.delivery
        kept: list[tuple[str, str]] = []
        red_flags = _red_flag_starters(texts["red_flag"]["text"])
        for flag in safety.red_flags:
            kept += _kept(flag.text, red_flags)
        for text in safety.stop_criteria:
            kept += _kept(text, texts["stop_criteria"])
        guide = safety.pain_guide
        for band in ("green", "amber", "red"):
            kept += _kept(getattr(guide, band), (texts["pain_guide"][band],))
        for text in safety.general_advice:
            kept += _kept(text, texts["general_advice"])
        starter = texts["delivery"]
        for pointer, value, start in (
            (
                "/delivery/provider/qualifications",
                delivery.provider_qualifications,
                "qualifications",
            ),
            ("/delivery/starting_level", delivery.starting_level, "starting_level"),
            ("/delivery/tailoring", delivery.tailoring, "tailoring"),
            ("/delivery/adherence/description", delivery.adherence_description, "adherence"),
        ):
            if value == starter[start]:
                kept.append((pointer, value))
        for pointer, value in kept:
            quoted = shown(value)
            yield Problem(
                pointer,
                "starting text (from protokit new, or New protocol in the workbench), not yet "
                f"reviewed: {quoted}: read it and change it to fit this programme, or keep it "
                "(a sign_off records the review)",
                quoted_value=quoted,
            )


@functools.cache
def _red_flag_starters(chest_pain: str) -> frozenset[str]:
    """Every red flag `protokit new protocol` writes (with --condition, a condition's too), as
    texts: a set, since a protocol has a dozen red flags to look up on every validate."""
    from protocol_kit.starter.texts import red_flag_starting_texts

    return frozenset((chest_pain, *red_flag_starting_texts().values()))


def _kept(text: Text, starters: Collection[str]) -> list[tuple[str, str]]:
    """The place of `text` when one of its languages still says a starting text."""
    for value in text.values.values():
        if value in starters:
            return [(text.origin.pointer, value)]
    return []
