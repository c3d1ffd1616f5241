from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule, english
from protocol_kit.lint.rules.safety_translation import safety_texts
from protocol_kit.model import Protocol, Text
from protocol_kit.redflags import stated_level


class EmergencyTranslation(Rule):
    """A translation of an emergency's safety text that sends the patient lower or later.

    A sheet printed in another language (`render --language`) prints only that language. A
    red flag in the emergency box, "Chest pain: call 999 now", translated as "Douleur dans
    la poitrine : appelez la clinique demain" (call the clinic tomorrow) sends the patient
    who reads French to the clinic tomorrow with chest pain: the English words would be
    SAFE006's error, and the French were only SAFE015's warning. Reported, as an error,
    for a red flag in the `emergency` or `maternity` box, and for a stop criterion, band of
    the pain guide, piece of general advice or precaution's advice whose English says
    where to go in an emergency ("call 999", "go to A&E", "call your midwife"), when a
    translation leaves out the emergency number the original gives, names none of the
    places of its box (the emergency department, the emergency number or an ambulance; for
    the maternity box the midwife or the maternity unit too) where the original names one,
    whether it sends the patient to a lower place instead ("appelez votre
    kinésithérapeute") or names none, leaves out the original's "now" or "straight away",
    or puts it off ("demain", "plus tard", "mañana", "morgen") where the original does not.
    The words are data, per language (`data/emergency_translation.json`, with the
    straight-away and later words of `data/translation_meaning.json`); a language without
    them is not compared (SAFE016 says red flags in such a language were not read). Texts
    sent to a doctor the same day or to the clinician keep SAFE015's warning.

    Bad:

        "red_flags": [{"text": {"en-GB": "Chest pain: call 999 now.",
                                "fr": "Douleur dans la poitrine : appelez la clinique demain."},
                       "action": "emergency", "covers": ["chest-pain"]}]

    Good:

        "red_flags": [{"text": {"en-GB": "Chest pain: call 999 now.",
                                "fr": "Douleur dans la poitrine : appelez le 999 maintenant."},
                       "action": "emergency", "covers": ["chest-pain"]}]
    """

    code = "SAFE018"
    name = "emergency-translation"
    default_severity = Severity.ERROR
    protocol_part = True  # reads only the part files copied from one another share
    summary = (
        "a translation of an emergency's text drops its number or 'now', or sends it lower "
        "or later"
    )
    ignorable = False  # keeps the patient safe: never turned off

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if not protocol.translations:
            return  # one language: nothing to compare (most files)
        # Imported for a file with a translation: not at every start-up (issue 17).
        from protocol_kit.lint.rules._emergency_translation import SENT_NOW, emergency_changed

        own = protocol.language
        for kind, text, box in _routed(protocol):
            values = text.values
            source = values.get(own)
            if box not in SENT_NOW or source is None:
                continue
            for language, translated in values.items():
                if language == own:
                    continue
                changed = emergency_changed(source, own, translated, language, box)
                if changed is not None:
                    yield Problem(
                        f"{text.origin.pointer}/{language}",
                        f"the {language} translation of {kind} {shown(source)} ('{box}') "
                        f"{changed}: the patient who reads the sheet in {language} would not "
                        f"go there now; translate where and when to go as the original says",
                    )


def _routed(protocol: Protocol) -> Iterator[tuple[str, Text, str]]:
    """The safety texts with where each sends the patient: a red flag's box, and for the
    other texts where their English words say (the clinician's when there is no English)."""
    for flag in protocol.safety.red_flags:
        yield "red flag", flag.text, flag.action
    for kind, text in safety_texts(protocol):
        if kind != "red flag":
            said = english(text)
            yield kind, text, "clinician" if said is None else stated_level(said)
