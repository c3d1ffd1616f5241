"""The clinic's own texts on a sheet printed in another language than they are written in.

The clinic's name, its address and the notes after its numbers are written once in the
configuration and printed as written on every sheet: on a French sheet, an English clinic's
"Physiotherapy Clinic" and "(not a real number)" stood among the French words, and no command
said so (users' round, nineteenth sitting). Only `emergency_place` can be written per language
(`{en = "...", fr = "..."}`); the others are the clinic's words in every language. A sheet in
another language than the clinic's (`[clinic] language`, else the protocol's, as the sheet's
own default) names each of its texts that holds words, for the therapist to check that the
patient can read them: never a refusal (a clinic's name is often the same in every language),
never silent.
"""

from __future__ import annotations

import json

from protocol_kit.config import config_key
from protocol_kit.findings import shown
from protocol_kit.sheet.request import ClinicProfile

NUMBERS = ("phone", "emergency_number", "urgent_number")


def _primary(tag: str) -> str:
    return tag.split("-", 1)[0].casefold()


def printed_as_written(clinic: ClinicProfile) -> list[tuple[str, str]]:
    """(dotted key, text) of every clinic text the sheet prints as written in any language
    that holds a word (a letter): a number alone says the same in every language."""
    found = [("clinic.name", clinic.name)] if clinic.name else []
    found += [("clinic.address", line) for line in clinic.address]
    found += [(f"clinic.{key}", getattr(clinic, key)) for key in NUMBERS if getattr(clinic, key)]
    # One string is the place in every language (tag ""); a table's places are each in its
    # own language, and a sheet in another prints the sheet's own words.
    found += [("clinic.emergency_place", place) for tag, place in clinic.emergency_place if not tag]
    return [(key, text) for key, text in found if any(c.isalpha() for c in text)]


def checked_in(clinic: ClinicProfile, sheet: str) -> set[str]:
    """The clinic's texts a clinician recorded as checked on sheets in `sheet`'s language
    (`[clinic] checked_texts`, by language: "fr" for every French sheet)."""
    return {
        text
        for tag, texts in clinic.checked_texts
        if _primary(tag) == _primary(sheet)
        for text in texts
    }


def other_language_warning(clinic: ClinicProfile, sheet: str, written_in: str) -> str | None:
    """One line naming the clinic's texts printed as written on a sheet in language `sheet`,
    when the clinic's texts are taken to be in `written_in`; None in the same language, or
    when every one is recorded as checked for that language. A text is recorded as written:
    one changed or added since is named again (the warning could not be silenced, H900)."""
    if _primary(sheet) == _primary(written_in):
        return None
    checked = checked_in(clinic, sheet)
    found = [(key, text) for key, text in printed_as_written(clinic) if text not in checked]
    if not found:
        return None
    listed = ", ".join(f"{config_key(clinic.where, key)} {shown(text)}" for key, text in found)
    unique = dict.fromkeys(text for _, text in found)
    texts = ", ".join(json.dumps(text, ensure_ascii=False) for text in unique)
    record = config_key(clinic.where, "clinic.checked_texts")
    return (
        f"{clinic.where}: {listed}: printed as written on this {sheet!r} sheet, though the "
        f"clinic's texts are taken to be in {written_in!r} ([clinic] language, else the "
        "protocol's): check that the patient can read them (emergency_place can be written "
        'per language, {en = "...", fr = "..."}; see docs/sheets.md); once checked, record '
        f"it, and they are not named again on such a sheet: {record} = "
        f"{{{_primary(sheet)} = [{texts}]}}"
    )
