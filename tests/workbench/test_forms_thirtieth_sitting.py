"""The workbench's forms as the thirtieth sitting's therapist read them: a field named as a
field of another kind of file is labelled for the file it is in."""

from __future__ import annotations

from protocol_kit.workbench import forms


def test_the_version_prescribed_is_not_told_to_be_raised_as_a_protocol_s_own_version_is():
    """A prescription's `protocol` holds the protocol's id and version, as a protocol does at
    its top, and its form showed the protocol's help ("Raise it whenever the content changes:
    1.1.0 for a change of exercise or dosage"): a therapist changing this patient's dosage
    was told to raise the version prescribed, which names the protocol, not the prescription
    (H1253)."""
    prescribed = forms.form_schema("prescription")["properties"]["protocol"]["properties"]
    assert prescribed["version"]["title"] == "Protocol version"
    assert "Raise it" not in prescribed["version"]["description"]
    # A prescription the patient was given is followed up, not changed (H1435).
    assert "follow it up from Prescribe" in prescribed["version"]["description"]
    assert "not given yet, check it against what changed" in prescribed["version"]["description"]
    assert "never changes once the protocol is shared" not in prescribed["id"]["description"]
    # The protocol's own version and id keep their help.
    own = forms.form_schema("protocol")["properties"]
    assert own["version"]["description"].startswith("Raise it whenever the content changes")
    assert own["id"]["description"].endswith("It never changes once the protocol is shared.")


def test_a_date_s_help_does_not_give_a_format_the_browser_s_date_box_does_not_show():
    """Every date of the forms is the browser's date box, which shows the day in the order of
    the computer's language (dd/mm/yyyy in the UK, mm/dd/yyyy in the US) and saves it
    YYYY-MM-DD whatever is typed: the help under the date of birth said "YYYY-MM-DD" above a
    box that read mm/dd/yyyy, and a goal's date had no other help (H1254)."""
    prescription = forms.form_schema("prescription")
    born = prescription["properties"]["patient"]["properties"]["date_of_birth"]
    assert born["description"] == "Give it or the patient number (or both)."
    helps = [
        field.get("description", "")
        for kind in ("protocol", "exercise", "prescription")
        for node in _walk(forms.form_schema(kind))
        for field in node.get("properties", {}).values()
        if isinstance(field, dict) and _is_date(field, forms.form_schema(kind))
    ]
    assert helps and not [h for h in helps if "YYYY" in h]


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _is_date(field, document):
    """Whether the form draws `field` (or each of its items) as a date box."""
    while True:
        if field.get("format") == "date":
            return True
        reference = field.get("$ref", "")
        if reference.startswith("#/definitions/"):
            field = document["definitions"][reference.removeprefix("#/definitions/")]
        elif isinstance(field.get("items"), dict):
            field = field["items"]
        else:
            return False
