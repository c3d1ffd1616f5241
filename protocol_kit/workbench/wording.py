"""What the checks and the prescription template say, in the words of the form.

The command-line messages tell a therapist who edits the JSON file what to write there
(`"omit": true`, "delete this line"); a therapist in the workbench has no file in front of
them, only the form, whose tick at each exercise's entry is how an exercise is left out. The
findings keep their code, place and severity; only these instructions are said in the form's
terms. The command-line messages are unchanged (`protokit validate` prints them).
"""

from __future__ import annotations

import re

from protocol_kit.templates import TODO


def _tick(exercise: str) -> str:
    return f"tick \u201cLeave {exercise} out of this patient's sheet\u201d at its entry"


# (code, what the message says for the file, what it says in the form). A pattern that stops
# matching a message (its wording changed) is caught by the workbench's tests, which check
# every message below in both forms.
_FOR_THE_FORM: tuple[tuple[str, re.Pattern[str], object], ...] = (
    (
        # prescription.override_findings: `"omit": false` and no dosage.
        "RX017",
        re.compile(
            r'^this override of "(?P<x>[^"]*)" changes nothing: "omit": false keeps the '
            r'exercise; write "omit": true to leave it out, give a "dosage" to change it, or '
            r"delete the override$"
        ),
        lambda m: (
            f'this entry of "{m["x"]}" changes nothing: {_tick(m["x"])} to leave it out, add '
            "its dosage (Object Properties) to change it, or remove the entry (Delete item)"
        ),
    ),
    (
        # prescribing.against_protocol: the dosage repeats the protocol's.
        "RX017",
        re.compile(
            r"^override \(exercise '(?P<x>[^']*)'\): the dosage is the protocol's own, so the "
            r"sheet prints it unchanged although a reason is given: change the numbers, write "
            r'"omit": true to leave the exercise out, or delete the override$'
        ),
        lambda m: (
            f"override (exercise '{m['x']}'): the dosage is the protocol's own, so the sheet "
            f"prints it unchanged although a reason is given: change the numbers, "
            f"{_tick(m['x'])} to leave the exercise out, or remove the entry (Delete item)"
        ),
    ),
    (
        # prescribing.fit: a yes answer rules an exercise out.
        "RX010",
        re.compile(
            r'^(?P<head>.*); leave it out with an override \{"exercise": "(?P<x>[^"]*)", '
            r'"omit": true, "reason": \.\.\.\}$'
        ),
        lambda m: (
            f"{m['head']}; leave it out: {_tick(m['x'])} under Overrides, and say why under reason"
        ),
    ),
    (
        # prescribing.fit: a screening question not answered. The form has a yes/no choice per
        # question under "screening", not a member to add (H437).
        "RX009",
        re.compile(
            r"^(?P<head>screening question '(?P<q>[^']*)' is not answered \(.*\)): add "
            r'"(?P=q)": "yes" or "no" to "screening"$',
            re.DOTALL,
        ),
        lambda m: (
            f"{m['head']}: ask the patient, and choose yes or no at this question under screening"
        ),
    ),
)


def for_the_form(code: str, message: str) -> str:
    """`message` as the workbench shows it: an instruction to edit the file said as what to
    do in the form; any other message as it is."""
    for rule, pattern, words in _FOR_THE_FORM:
        if rule == code:
            found = pattern.match(message)
            if found:
                return words(found)  # type: ignore[operator]
    return message


# The template's instructions (protocol_kit.templates.new_prescription) for the form.
OVERRIDE_REASON = (
    f"{TODO} why this patient's dosage differs (change the numbers above); or tick \u201cLeave "
    "\u2026 out of this patient's sheet\u201d above to leave the exercise out; or remove this "
    "entry (Delete item) to keep the protocol's dosage"
)
PATIENT_IDENTIFIER = (
    f"{TODO} the clinic's patient number (or empty this box and give the date of birth)"
)


def prescription_for_the_form(data: dict) -> dict:
    """A new prescription (`new_prescription`) with its instructions for the form."""
    patient = data.get("patient")
    if isinstance(patient, dict) and "identifier" in patient:
        patient["identifier"] = PATIENT_IDENTIFIER
    for override in data.get("overrides", ()):
        if "reason" in override:
            override["reason"] = OVERRIDE_REASON
    return data
