from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem
from protocol_kit.lint.rules._red_flags import READ_LANGUAGES, RedFlagRule, read_language
from protocol_kit.model import Protocol


class RedFlagLanguageUnread(RedFlagRule):
    """Red flags in a language whose words the red-flag checks cannot read.

    SAFE006 reads a red flag's words for a wait or a reason not to worry ("wait for your next
    appointment", "this is rarely serious") and for a place lower than its box ("ring your
    physiotherapist" among the emergencies), and SAFE006 and SAFE008 read the signs a text
    names, in English only: a red flag printed in French that says "attendez le prochain
    rendez-vous" (wait for the next appointment) under "call the emergency number" passes
    every one of them. Rather than let a check pass what it cannot read, this rule says once
    per language that red flags with no English text were not read: a clinician who reads
    the language checks each red flag, stop criterion and piece of advice before the sheet is
    given. It is a warning, since nothing in the text is known to be wrong; words for more languages
    belong in the red-flag data (`routing_words`), with a native-speaking clinician's reading,
    before a language is read (eighteenth sitting, H825).

    A red flag that also has an English text is read in English, and its translations are
    compared with it by SAFE015, which reports one that adds a delay ("le prochain
    rendez-vous") the English does not have, and by SAFE018, for which that delay in the
    translation of a red flag in the emergency or maternity box is an error.

    Bad (a protocol in French only):

        "language": "fr-FR",
        "red_flags": [{"text": "Douleur dans la poitrine : attendez le prochain rendez-vous.",
                       "action": "emergency", "covers": ["chest-pain"]}]

    Good (the English the checks read, and its translation that SAFE015 compares with it):

        "language": "en-GB", "translations": ["fr"],
        "red_flags": [{"text": {"en-GB": "Chest pain or tightness: call 999 now.",
                                "fr": "Douleur dans la poitrine : appelez le 999 tout de suite."},
                       "action": "emergency", "covers": ["chest-pain"]}]
    """

    code = "SAFE016"
    name = "red-flag-language-unread"
    default_severity = Severity.WARNING
    protocol_part = True  # reads only the part files copied from one another share
    summary = "red flags in a language the red-flag checks cannot read (only English is read)"
    ignorable = False  # keeps the patient safe: never turned off

    def _check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        read = ", ".join(f"'{language}'" for language in READ_LANGUAGES)
        for language in _unread_languages(protocol):
            yield Problem(
                "/safety/red_flags",
                f"the red flags in '{language}' were not read for words that tell the patient "
                f"to wait, play a sign down or send them lower than their box (the red-flag "
                f"checks read {read} only): a clinician who reads '{language}' must check every "
                "red flag, stop criterion and piece of advice in it before the sheet is given",
                at_key=True,
            )


def _unread_languages(protocol: Protocol) -> list[str]:
    """The languages of the red flags that have no text in a language the checks read, each
    once, in the order the red flags give them. A red flag with an English text is read in
    it, and its translations are compared with it by SAFE015 (numbers, sentences, "not",
    stop, straight away, a delay such as the next appointment)."""
    languages: dict[str, None] = {}
    for flag in protocol.safety.red_flags:
        tags = tuple(flag.text.values) or (protocol.language,)
        if not any(read_language(tag) for tag in tags):
            languages.update(dict.fromkeys(tags))
    return list(languages)
