from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.bounded import text_cache
from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol, Text
from protocol_kit.patterns import compiled

# Numbers are written with the same digits in every language the sheets print; only the
# separators differ ("1.5" and "1,5"), so the runs of digits are compared.
_DIGITS = compiled(r"\d+")
# A sentence ends at ".", "!" or "?" before the end of the text or before a word that does
# not start in lower case: "e.g. the" is no end; "z. B." in a translation only adds one,
# and only a translation with fewer sentences is reported.
_SENTENCE_END = compiled(r"[.!?\u3002](?=\s*$|\s+(?![a-z]))")


class SafetyTranslation(Rule):
    """A translation of a safety text that leaves out a number, a sentence or a negation.

    A sheet printed in another language (`render --language`) prints only that language: a
    red flag, stop criterion, band of the pain guide, piece of general advice or precaution's
    advice whose translation lacks "999", "90 degrees" or the sentence "Stop and call 999"
    loses it for the patient who reads that language, and no other check compares the
    languages. Reported when a number written in digits in the protocol's own language is
    missing from a translation, or when a translation has fewer sentences: write the
    translation with the same numbers and sentences (merged sentences are reported too: the
    reviewer cannot tell a merge from a sentence left out without reading both). Reported
    too when the original says "not" ("Do not bounce", "do not wait") and the translation has
    no word that says it in its language (`data/negation_words.json`): the same numbers and
    sentences then tell the patient the opposite. And when the translation changes the action
    while keeping all of those (`data/translation_meaning.json`): the original says stop and
    the translation has no stop word ("Stop if you feel dizzy" as "Continuez si vous avez des
    vertiges"), the original says straight away or immediately and the translation does not,
    or the translation puts it off ("demain", "plus tard") where the original does not.
    Where the text sends the patient to the emergency department or the maternity unit, a
    translation that puts it off, sends the patient lower, or leaves out the emergency number
    or "now" is SAFE018's error besides: the sheet in that language is not printed.

    Bad:

        "stop_criteria": [{"en": "Sharp pain. Pain above 5 out of 10.",
                           "fr": "Douleur vive."}]

    Good:

        "stop_criteria": [{"en": "Sharp pain. Pain above 5 out of 10.",
                           "fr": "Douleur vive. Douleur au-dessus de 5 sur 10."}]
    """

    code = "SAFE015"
    name = "safety-translation"
    default_severity = Severity.WARNING
    protocol_part = True  # reads only the part files copied from one another share
    summary = "a translation of a safety text leaves out a number, a sentence or a negation"
    ignorable = False  # keeps the patient safe: never turned off

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if not protocol.translations:
            return  # one language: nothing to compare (most files)
        # Imported for a file with a translation: not at every start-up (issue 17).
        from protocol_kit.lint.rules._negation import drops_negation
        from protocol_kit.lint.rules._translation_meaning import meaning_lost

        own = protocol.language
        for kind, text in safety_texts(protocol):
            values = text.values
            source = values.get(own)
            if source is None or len(values) < 2:
                continue
            for language, translated in values.items():
                if language == own:
                    continue
                lost = left_out(source, translated)
                if lost is None and drops_negation(source, own, translated, language):
                    lost = 'leaves out its "not"'  # H653: the opposite, same numbers
                if lost is None:  # H713: stop, straight away or a delay changed
                    lost = meaning_lost(source, own, translated, language)
                if lost is not None:
                    yield Problem(
                        f"{text.origin.pointer}/{language}",
                        f"the {language} translation of {kind} {shown(source)} {lost}: the "
                        f"sheet printed in {language} would not say it; translate it whole",
                    )


def safety_texts(protocol: Protocol) -> Iterator[tuple[str, Text]]:
    """The safety texts a translation must keep whole, each with its kind for a message:
    the red flags, stop criteria, pain guide bands, general advice and precautions' advice."""
    safety = protocol.safety
    for flag in safety.red_flags:
        yield "red flag", flag.text
    for text in safety.stop_criteria:
        yield "stop criterion", text
    guide = safety.pain_guide
    for text in (guide.green, guide.amber, guide.red):
        yield "pain guide band", text
    for text in safety.general_advice:
        yield "general advice", text
    for precaution in safety.precautions:
        if precaution.patient_advice:
            yield "precaution's advice", precaution.patient_advice


@text_cache()
def left_out(source: str, translated: str) -> str | None:
    """What `translated` leaves out of `source` (its numbers, then its sentences), said for
    the message, or None. Kept per pair for the run: most files share their safety texts."""
    missing = sorted(set(_DIGITS.findall(source)) - set(_DIGITS.findall(translated)), key=len)
    if missing:
        return "leaves out " + ", ".join(f'"{n}"' for n in missing)
    sentences, translated_sentences = _sentences(source), _sentences(translated)
    if translated_sentences < sentences:
        return (
            f"has {translated_sentences} sentence{'s' if translated_sentences != 1 else ''} "
            f"where the original has {sentences}: a sentence may be left out"
        )
    return None


def _sentences(text: str) -> int:
    return max(1, len(_SENTENCE_END.findall(text.strip())))
