"""What the prescription template says, in the words of the form.

The template's instructions tell a therapist who edits the JSON file what to write there; a
therapist in the workbench has no file in front of them, only the form, whose tick at each
exercise's entry is how an exercise is left out. (A check's finding that says what to write
in the file carries the form's words itself, made where the finding is: `Finding.form_message`.)
"""

from __future__ import annotations

from protocol_kit.templates import TODO

# The template's instructions (protocol_kit.templates.new_prescription) for the form. (A
# new prescription in the form has no override entry to explain: H719.)
PATIENT_IDENTIFIER = (
    f"{TODO} the clinic's patient number (or empty this box and give the date of birth)"
)
# The prescriber's telephone, asked for with their name (H1531): the form shows only the
# members a value has, and an empty box would be dropped from the file unasked.
PRESCRIBER_PHONE = (
    f"{TODO} the number the patient reaches you on (or empty this box: the sheet then gives "
    "the clinic's number only)"
)


def prescription_for_the_form(data: dict) -> dict:
    """A new prescription (`new_prescription`) with its instructions for the form."""
    patient = data.get("patient")
    if isinstance(patient, dict) and "identifier" in patient:
        patient["identifier"] = PATIENT_IDENTIFIER
    return with_the_phone_box(data)


def with_the_phone_box(data: dict) -> dict:
    """A prescription the form starts from (a new one, a follow-up) with the box of the
    prescriber's telephone where its therapist gives none (`asks_for_the_prescriber_phone`)."""
    from protocol_kit.prescribing.follow_up import asks_for_the_prescriber_phone

    if asks_for_the_prescriber_phone(data):
        data["therapist"]["phone"] = PRESCRIBER_PHONE
    return data


# Why a check's error stops the sheet, where the error alone does not say it to a therapist
# who is still editing: the preview is the sheet that would be printed (H1155).
WHY_NO_SHEET = {
    "GOV004": "the sheet prints the version on every page, and a sheet of the changed "
    "content must not carry the number of the sheets printed before the change: raise "
    "Version in the form to see and print it",
}
