"""A dose with no number in the patient's text (DOSE005, H532): "as many as you can",
"until exhausted", "hold for as long as you can". The dosage line gives a number; the text
beside it tells the patient to go on to exhaustion, and a home programme has no one there to
stop them. CERT item 8 and TIDieR item 8 ask for the dose as an amount: say it in the dosage."""

from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.bounded import text_cache
from protocol_kit.findings import shown
from protocol_kit.lint.base import english
from protocol_kit.model import Exercise, Text
from protocol_kit.pattern_needs import cannot_match
from protocol_kit.patterns import compiled

# "As many as you can." and "as long as you can." end the instruction there: "as long as you
# can keep your back straight" is a condition, and "as far as you can" a range of movement.
_UNBOUNDED = compiled(
    r"\bas (?:many|long)(?: [\w-]+){0,2} as (?:you )?(?:can|possibly can|possible|are able(?: to)?)"
    r"(?=\s*(?:[.,;:!)]|$|\b(?:manage|do|bear|hold)\b))"
    r"|\b(?:until|till|to the point of|to) (?:you are |you're |you feel |you get )?"
    r"(?:completely |totally )?"
    r"(?:exhausted|exhaustion|failure|fatigued?|you drop)\b"
    r"|\buntil (?:you )?(?:can't|cannot|can no longer|are unable to|could not|couldn't) "
    r"(?:do|manage|lift|hold|keep going|go on|continue|carry on|move)\b"
    r"(?: (?:it|them|one|another|any))?(?: (?:more|anymore|any ?more|any longer|again))?"
    r"|\buntil (?:your (?:muscles?|legs?|arms?) )?(?:gives? out|gives? way|fails?)\b"
    # Failure in plain words (H1408): "until your muscles are too tired to do one more",
    # "until your leg is exhausted".
    r"|\b(?:until|till) (?:you are |you're |you feel |you get |your (?:muscles?|legs?|arms?|body) "
    r"(?:is |are |feels? |gets? )?)(?:completely |totally )?(?:too tired|exhausted|worn out|"
    r"tired out)\b",
    re.IGNORECASE,
)
# "Never work to exhaustion", "stop before you are exhausted": the right advice.
_NEGATION = compiled(
    r"\b(?:never|do not|don't|not|no|avoid|without|rather than|instead of|stop(?:ping)? "
    r"(?:well )?before|short of)\b[^.;:,]{0,30}$",
    re.IGNORECASE,
)


@text_cache()
def unbounded_words(value: str) -> str | None:
    """The words of `value` that give a dose with no number, or None (kept per text: the same
    steps recur in most files of a run); not searched in a text that lacks what the pattern
    needs (most texts)."""
    if cannot_match(_UNBOUNDED, value):
        return None
    for found in _UNBOUNDED.finditer(value):
        if not _NEGATION.search(value[: found.start()]):
            return found.group(0)
    return None


def unbounded_doses(exercise: Exercise) -> Iterator[tuple[Text, str, str]]:
    """(text, dosage field, what is wrong) for each step, cue, intensity or progression of
    the exercise that gives a dose with no number."""
    dosage = exercise.dosage
    texts = [("step", t) for t in exercise.steps] + [("cue", t) for t in exercise.cues]
    texts += [("intensity", dosage.intensity)] if dosage.intensity is not None else []
    texts += [("progression", exercise.progression)] if exercise.progression else []
    for kind, text in texts:
        value = english(text)
        words = None if value is None else unbounded_words(value)
        if words is None:
            continue
        field = "intensity" if kind == "intensity" else "text"  # the text, not an override
        yield (
            text,
            field,
            f"{kind} says {shown(words)}: a dose with no number, which a patient at home may "
            "take to exhaustion, beside a dosage line that gives one; give the amount (or a "
            "range) in the dosage and say it in the text, or take those words out",
        )
