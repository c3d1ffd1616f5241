"""The "Stop and seek care" box as a patient reads it: whole on the first page, at any print
size and in every sheet language, each red flag under the heading that says what to do, and
each group ending with whom to call: the emergency number and the place, a doctor the same
day, the clinic's number. Never split; a box taller than a page is refused."""

from __future__ import annotations

import pytest
from sheet_helpers import (
    EMERGENCY,
    EXAMPLE,
    EXAMPLES,
    PHONE,
    URGENT,
    clinic,
    pages_text,
    render,
    rewrite_texts,
    self_contained,
    words,
)

from conftest import REPO
from protocol_kit.app.check import load_protocol
from protocol_kit.app.render import clinic_profile
from protocol_kit.config import load_config
from protocol_kit.errors import InputError
from protocol_kit.sheet.wording import LANGUAGES, wording_for

EN = wording_for("en")
PRESCRIPTION = REPO / "docs" / "examples" / "prescription-psoas.json"

# The complete list a lower-back sheet carries, as issue 12's review wrote it for the examples:
# every sign of the UK cauda equina patient card, chest pain and the NICE NG59 signs, combined
# into as few items as say them all (each red flag's `covers` names the items it carries), and
# the clinician's stop criteria. `test_the_complete_list_covers_every_required_item` holds
# that it is complete; the box is the longest a reviewed lower-back sheet has.


def find(haystack: list[str], needle: str, start: int = 0) -> int:
    """Where the words of `needle` start in `haystack` (a page's words), or -1."""
    wanted = words(needle)
    for i in range(start, len(haystack) - len(wanted) + 1):
        if haystack[i : i + len(wanted)] == wanted:
            return i
    return -1


def box_groups(path, language: str = "en") -> list[tuple[str, list[str]]]:
    """The box's groups as the sheet must print them: (heading, items), in order."""
    protocol = load_protocol(str(path))
    safety, words_ = protocol.safety, wording_for(language)
    groups = [
        ("emergency_intro", [f.text for f in safety.red_flags if f.action == "emergency"]),
        ("urgent_intro", [f.text for f in safety.red_flags if f.action != "emergency"]),
        ("stop_intro", list(safety.stop_criteria)),
    ]
    tag = language if language != "en" else protocol.language
    return [(words_[key], [t.get(tag) for t in texts]) for key, texts in groups if texts]


def check_box_on_first_page(pdf: bytes, groups, language: str = "en") -> None:
    """Every item on page 1, once, under its own group's heading, below the box's title; and
    nothing of the box on any other page."""
    pages = [words(text) for text in pages_text(pdf)]
    first = pages[0]
    headings = [heading for heading, _ in groups]
    title_at = find(first, wording_for(language)["stop_heading"])
    assert title_at >= 0, "no box title on page 1"
    for heading, items in groups:
        for item in items:
            found = [n for n, page in enumerate(pages) if find(page, item) >= 0]
            assert found == [0], f"{item!r} is on pages {[n + 1 for n in found]}"
            at = find(first, item)
            above = [(find(first, h), h) for h in headings]
            above = [(i, h) for i, h in above if title_at < i < at]
            assert above and max(above)[1] == heading, f"{item!r} is not under {heading!r}"


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_have_the_whole_box_on_the_first_page(path, large_print):
    # With this repository's clinic, as `protokit build protocols` prints them.
    profile = clinic_profile(load_config(start=REPO))
    pdf = render(path, large_print=large_print, clinic=profile)
    check_box_on_first_page(pdf, box_groups(path))


def test_personalised_example_has_the_whole_box_on_the_first_page():
    pdf = render(EXAMPLE, prescription=str(PRESCRIPTION))
    check_box_on_first_page(pdf, box_groups(EXAMPLE))


def test_each_group_says_whom_to_call():
    first = words(pages_text(render(EXAMPLE))[0])
    emergency = EN("emergency_action", number=EMERGENCY, place=EN["emergency_place"])
    assert emergency == "Call 999 or go to the nearest hospital emergency department."
    stop = EN("stop_action", phone=PHONE)
    urgent = EN("urgent_action", number=URGENT)
    assert urgent == (
        "See a doctor the same day; if you cannot, or it is night or the weekend, call 111. "
        "Do not wait for your next appointment."
    )
    for heading, action in (
        ("emergency_intro", emergency),
        ("urgent_intro", urgent),
        ("stop_intro", stop),
    ):
        at = find(first, EN[heading])
        assert at >= 0 and find(first, action, at) > at, action
    # ... and the clinic's number is at the top of the sheet too.
    assert find(first, EN("clinic_phone", phone=PHONE)) < find(first, EN["stop_heading"])


def test_the_clinic_names_the_emergency_place_per_language(tmp_path):
    profile = clinic(emergency_place=(("en", "A&E at St James's <Hospital>"),))
    first = pages_text(render(EXAMPLE, clinic=profile))[0]
    assert "Call 999 or go to A&E at St James's <Hospital>." in " ".join(first.split())


def test_the_complete_list_covers_every_required_item():
    from protocol_kit.redflags import red_flag_sets

    protocol = load_protocol(str(EXAMPLE))
    required = {i for f in red_flag_sets().families_for(protocol.indications) for i in f.required}
    covered = {item for flag in protocol.safety.red_flags for item in flag.covers}
    assert len(required) >= 14 and required <= covered


def complete_box(tmp_path, language: str | None = None):
    data = self_contained()  # the example's complete list, as reviewed
    prefix = {"de": "Übersetzt: ", "el": "Μετάφραση: ", "pl": "Tłumaczenie: ", "fr": "Traduit : ",
              "es": "Traducido: "}.get(language or "", "")  # fmt: skip
    return rewrite_texts(tmp_path, data, lambda s: prefix + s, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_a_complete_red_flag_list_is_whole_on_page_one_in_every_language(
    tmp_path, language, large_print
):
    path = complete_box(tmp_path, None if language == "en" else language)
    pdf = render(path, language=language, large_print=large_print)
    check_box_on_first_page(pdf, box_groups(path, language), language)


TRANSLATED = (
    REPO / "tests" / "cases" / "validate" / "valid" / "translated-protocol" / "protocol.json"
)


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("language", ["en-GB", "fr"])
def test_a_translated_protocol_has_the_whole_box_on_the_first_page_in_each_language(
    language, large_print
):
    # Issue 13: the stop box is never split, at any print size or language; here a protocol
    # written in two languages, printed in each, as `protokit render --language` prints it.
    pdf = render(TRANSLATED, language=language, large_print=large_print)
    check_box_on_first_page(pdf, box_groups(TRANSLATED, language), language)


def test_a_box_taller_than_a_page_is_refused_not_split(tmp_path):
    data = self_contained()
    data["safety"]["red_flags"] = [
        {"text": f"Red flag {n}: new weakness, numbness or loss of control in a leg that does "
                 "not settle within a few minutes of resting.", "action": "emergency"}
        for n in range(1, 31)  # the schema's most (issue 18's limits): 30 red flags
    ]  # fmt: skip
    path = rewrite_texts(tmp_path, data, lambda s: s)
    with pytest.raises(InputError) as refused:
        render(path, large_print=True)
    assert "is taller than a page and is never split" in str(refused.value)
    assert str(refused.value).startswith(str(path))


@pytest.mark.parametrize("output_format", ["pdf", "html"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_urgent_group_gives_the_out_of_hours_number_in_every_language(
    tmp_path, language, output_format
):
    # A patient with back pain and a fever at night needs a doctor's advice that night: the
    # urgent group names the clinic's configured urgent number (NHS 111 in the UK), after its
    # heading and its red flags, in the sheet's language (H246). It said only "see a doctor
    # the same day".
    from sheet_helpers import html_text

    path = complete_box(tmp_path, None if language == "en" else language)
    profile = clinic(urgent_number="116117")
    sheet = render(path, language=language, clinic=profile, output_format=output_format)
    text = html_text(sheet) if output_format == "html" else pages_text(sheet)[0]
    first, wording = words(text), wording_for(language)
    action = wording("urgent_action", number="116117")
    assert "116117" in action and "{" not in action
    heading = find(first, wording["urgent_intro"])
    last_flag = max(find(first, item) for item in box_groups(path, language)[1][1])
    assert 0 <= heading < last_flag < find(first, action, heading)


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_in_standard_print_the_emergency_is_first_and_the_other_groups_side_by_side(large_print):
    # The emergency group at the full width, then "urgent" beside "contact your therapist",
    # each whole: 29 pt shorter for the examples (258.5 -> 229.1 pt); in large print, where
    # 16 pt text in two columns would be read across them, one column.
    from protocol_kit.app.render import RenderOptions, sheet_request
    from protocol_kit.render.document import Unsplittable
    from protocol_kit.render.sheet import _Writer, font_check
    from protocol_kit.render.stop_box import _box, stop_box_table
    from protocol_kit.sheet.content import build_sheet
    from protocol_kit.sheet.document import StopBox

    options = RenderOptions(clinic=clinic(), large_print=large_print)
    written = _Writer(build_sheet(sheet_request(load_protocol(str(EXAMPLE)), options),
                                  font_check()))  # fmt: skip
    look, width = written.look, written.width
    [box] = [block for block in written.sheet.body if isinstance(block, StopBox)]
    table = stop_box_table(box, look, width)
    assert isinstance(table, Unsplittable)  # never split
    stacked, paired = (_box(box, look, width, pairs).wrap(width, 1e5) for pairs in (False, True))
    if large_print:
        assert table.wrap(width, 1e5) == stacked
        return
    assert paired[1] < stacked[1]
    assert table.wrap(width, 1e5) == paired
    # a row for the title, the emergency group's heading, items and action, then one row
    # holding the two other groups side by side
    emergency = box.groups[0]
    assert len(table._cellvalues) == 1 + 1 + len(emergency.items) + 1 + 1
    [side_by_side] = table._cellvalues[-1][0]
    assert [len(row) for row in side_by_side._cellvalues] == [2]
