"""The stop box's maternity group (twenty-third sitting, H942-H943): a pregnancy's signs for
the midwife or maternity unit printed under their own heading, with whom to call, whole on
page 1 beside the urgent group; and a sheet in a language whose wording no clinician has
reviewed refused with one line naming the language and the file, never printed in English
or without the group."""

from __future__ import annotations

import pytest
from sheet_helpers import (
    URGENT,
    html_text,
    pages_text,
    render,
    rewrite_texts,
    self_contained,
    words,
)
from test_stop_box import check_box_on_first_page, find

from protocol_kit.errors import InputError
from protocol_kit.sheet.wording import LANGUAGES, wording_for

EN = wording_for("en")
# Whom to call, as the sheet prints it: the patient's own unit, and before she has maternity
# notes (early pregnancy) her GP or the urgent line (twenty-fourth sitting, H976).
ACTION = EN("maternity_action", number=URGENT)
MATERNITY = [
    "Any bleeding or spotting from your vagina that is not heavy, while you are pregnant.",
    "Your baby moving less than usual, or differently, or you cannot feel it moving.",
]


def pregnancy_sheet(tmp_path, language: str | None = None):
    data = self_contained()
    data["safety"]["red_flags"] += [{"text": t, "action": "maternity"} for t in MATERNITY]
    return rewrite_texts(tmp_path, data, lambda s: s, language)


def groups(data_path):
    """(heading, items) of the box as the sheet must print it, in order."""
    from protocol_kit.app.check import load_protocol

    safety = load_protocol(str(data_path)).safety
    by = {a: [f.text.get("en-GB") for f in safety.red_flags if f.action == a] for a in
          ("emergency", "maternity", "urgent")}  # fmt: skip
    return [
        (EN["emergency_intro"], by["emergency"]),
        (EN["maternity_intro"], by["maternity"]),
        (EN["urgent_intro"], by["urgent"]),
        (EN["stop_intro"], [t.get("en-GB") for t in safety.stop_criteria]),
    ]


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_the_maternity_signs_are_under_their_own_heading_with_whom_to_call(tmp_path, large_print):
    path = pregnancy_sheet(tmp_path)
    pdf = render(path, large_print=large_print)
    # Each sign under its own group's heading (every non-emergency red flag was printed under
    # the urgent one: "see a doctor the same day ... 111").
    check_box_on_first_page(pdf, groups(path))
    first = words(pages_text(pdf)[0])
    heading = find(first, EN["maternity_intro"])
    last = max(find(first, item) for item in MATERNITY)
    # Whom to call follows the group's signs, before the urgent group's heading.
    action = find(first, ACTION, heading)
    assert 0 <= heading < last < action


def test_the_html_twin_has_the_maternity_group(tmp_path):
    page = render(pregnancy_sheet(tmp_path), output_format="html")
    assert b'class="stop-group stop-group-maternity"' in page
    text = words(html_text(page))
    heading = find(text, EN["maternity_intro"])
    assert 0 <= heading < find(text, MATERNITY[1]) < find(text, ACTION)


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_a_sheet_in_an_unreviewed_language_is_refused(tmp_path, language):
    assert not wording_for(language).reviewed
    path = pregnancy_sheet(tmp_path, language)
    with pytest.raises(InputError) as refused:
        render(path, language=language)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert f"'{language}'" in message and "'maternity'" in message
    assert "/safety/red_flags/" in message


def test_whom_to_call_before_there_are_maternity_notes():
    # Early pregnancy: no midwife booked yet, no notes with a number in them (RCOG: the GP or
    # NHS 111 in the first 3 months). The urgent line is the clinic's, as in the urgent box.
    assert (
        "Call your midwife or maternity unit straight away, day or night: the number is in "
        "your maternity notes. If you do not have maternity notes yet, call your GP surgery or "
        f"{URGENT} straight away. Do not wait for your next appointment."
    ) == ACTION
    assert URGENT == "111"
