"""Everything a patient must read is in the PDF, exactly as written."""

from __future__ import annotations

import json

import pytest
from sheet_helpers import (
    EXAMPLE,
    EXAMPLES,
    contains_words,
    pages_text,
    patient_texts,
    render,
    rewrite_texts,
    self_contained,
    text004_switched_off,
    write_json,
)

from conftest import REPO, run_protokit
from protocol_kit.app.check import load_protocol
from protocol_kit.loading import locate

PRESCRIPTION = REPO / "docs" / "examples" / "prescription-psoas.json"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_text_of_every_example_protocol_is_printed(path):
    protocol = load_protocol(str(path))
    pages = pages_text(render(path))
    document = "\n".join(pages)
    missing = [t for t in patient_texts(protocol) if not contains_words(document, t)]
    assert missing == []
    first_page = pages[0]
    for flag in protocol.safety.red_flags:
        assert contains_words(first_page, flag.text.get(protocol.language))
    for criterion in protocol.safety.stop_criteria:
        assert contains_words(first_page, criterion.get(protocol.language))


def test_markup_in_a_protocol_is_printed_literally(tmp_path):
    markup = [
        "<b>not bold</b>",
        '<img src="x.png"/> & <font color="red">red</font>',
        "AT&T &amp; a < b > c",
    ]
    data = self_contained()
    data["exercises"][0]["steps"] = markup
    data["title"] = "Back <i>care</i> & more"
    path = rewrite_texts(tmp_path, data, lambda s: s)
    document = "\n".join(pages_text(render(path)))
    for text in [*markup, "Back <i>care</i> & more"]:
        assert text in document


@pytest.mark.parametrize(
    "language, prefix",
    [
        ("el", "Σταματήστε αμέσως την άσκηση:"),
        ("pl", "Zażółć gęślą jaźń, źdźbło:"),
        ("de", "Größe Übung, Fußgänger:"),
        ("fr", "Œuvre à côté, garçon:"),
        ("es", "¿Señal? ¡Pequeño!"),
    ],
)
def test_each_sheet_language_prints_its_own_letters(tmp_path, language, prefix):
    path = rewrite_texts(tmp_path, self_contained(), lambda s: f"{prefix} {s}", language)
    protocol = load_protocol(str(path))
    document = "\n".join(pages_text(render(path, language=language)))
    assert prefix in document
    assert all(contains_words(document, t) for t in patient_texts(protocol))


def place_of(path, pointer: str, shown: str | None = None) -> str:
    """`file:line:column`, as `protokit validate` names the value at `pointer` (the file
    `shown` as the command was given it)."""
    line, column = locate(path.read_text("utf-8"), pointer)
    return f"{shown or path}:{line}:{column}"


def test_a_character_the_font_cannot_show_is_a_one_line_error(tmp_path):
    # The protocol's own check (TEXT004) finds it before the sheet is drawn.
    data = self_contained()
    data["exercises"][1]["steps"][2] = "Hold it \u4e2d\u6587 there"
    path = rewrite_texts(tmp_path, data, lambda s: s)
    output = tmp_path / "sheet.pdf"
    result = run_protokit("render", str(path), "-o", str(output))
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert f"{place_of(path, '/exercises/1/steps/2')}: " in result.stderr
    assert "U+4E2D" in result.stderr
    assert not output.exists()


@pytest.mark.parametrize("where", ["protocol", "prescription"])
def test_the_sheets_own_check_names_the_line_and_column_of_an_unprintable_character(
    tmp_path, where, monkeypatch
):
    text004_switched_off(monkeypatch)
    # With TEXT004 switched off (in this test only: H705), the renderer still refuses the
    # character, and says where it is as validate would: file:line:column. A prescription's
    # TEXT004 is not a lint rule (H191): it cannot be switched off, and refuses the character
    # at the same place.
    (tmp_path / "protokit.toml").write_text(
        '[clinic]\nphone = "0113 496 0000"\nemergency_number = "999"\nurgent_number = "111"\n'
        '[lint]\nignore = ["TEXT004"]\n',
        "utf-8",
    )
    data = self_contained()
    prescription = json.loads(PRESCRIPTION.read_text("utf-8"))
    if where == "protocol":
        data["safety"]["general_advice"][0] = "Smile \U0001f600 every day"
        pointer = "/safety/general_advice/0"
    else:
        prescription["notes"][0] = "Smile \U0001f600 every day"
        pointer = "/notes/0"
    path = rewrite_texts(tmp_path, data, lambda s: s)
    rx = write_json(tmp_path, "rx.json", prescription)
    result = run_protokit(
        "render", "protocol.json", "--prescription", "rx.json", "-o", "sheet.pdf", cwd=tmp_path
    )
    assert result.code == 2, result.stderr
    file = path if where == "protocol" else rx
    expected = place_of(file, pointer, shown=file.name)
    if where == "protocol":
        assert result.stderr.startswith(f"protokit: error: {expected}: {pointer}: character '")
    else:
        assert result.stderr.startswith(f"protokit: error: {expected}: character U+1F600")
    assert "U+1F600" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "sheet.pdf").exists()


def test_missing_translation_is_an_error_never_a_fallback(tmp_path):
    output = tmp_path / "sheet.pdf"
    result = run_protokit("render", str(EXAMPLE), "--language", "fr", "-o", str(output))
    assert result.code == 2
    assert result.stderr == (
        f"protokit: error: {place_of(EXAMPLE, '/title')}: /title: no 'fr' translation of this "
        "text: a sheet is printed only when every text is translated (list 'fr' in the file's "
        '"translations" and write each text as {"en-GB": "...", "fr": "..."}, see '
        "docs/format.md#text)\n"
    )
    assert not output.exists()


def test_a_language_without_sheet_wording_is_refused(tmp_path):
    result = run_protokit("render", str(EXAMPLE), "--language", "ja", "-o", str(tmp_path / "x.pdf"))
    assert result.code == 2
    assert "no sheet wording for language 'ja'" in result.stderr


def test_retired_protocol_is_refused(tmp_path):
    data = self_contained()
    data["status"] = "retired"
    path = rewrite_texts(tmp_path, data, lambda s: s)
    result = run_protokit("render", str(path), "-o", str(tmp_path / "x.pdf"))
    assert result.code == 2
    assert result.stderr.strip().endswith("is retired: it must not be printed for patients")
    assert not (tmp_path / "x.pdf").exists()


def test_draft_banner_on_every_page_and_only_on_drafts(tmp_path):
    banner = "DRAFT \u2014 not reviewed for patient use"
    draft_pages = pages_text(render(EXAMPLE))
    assert len(draft_pages) >= 2
    assert all(banner in page for page in draft_pages)
    data = self_contained()
    data["status"] = "active"
    data["sign_off"] = {
        "name": "A. Reviewer",
        "profession": "physiotherapist",
        "registration": {"body": "HCPC", "number": "PH100001"},
        "date": data["updated"],
    }
    path = rewrite_texts(tmp_path, data, lambda s: s)
    active_pages = pages_text(render(path))
    assert not any(banner in page for page in active_pages)
    # Who approved it, with the registration a patient or a colleague can look up: on page 1,
    # in the block of who the programme is for and who prescribed it (issue 13's layout).
    approval = f"Approved by A. Reviewer, physiotherapist (HCPC PH100001), {data['updated']}"
    assert approval in " ".join(active_pages[0].split())
    assert not any("Approved by" in page for page in draft_pages)
    # A draft that still carries a sign-off (an earlier version's, or one written ahead of the
    # review) is not approved: the banner says so, and nothing beside it says the opposite.
    data["status"] = "draft"
    path = rewrite_texts(tmp_path, data, lambda s: s)
    resigned_pages = pages_text(render(path))
    assert all(banner in page for page in resigned_pages)
    assert not any("Approved by" in page for page in resigned_pages)


def test_pages_are_numbered_n_of_m():
    pages = pages_text(render(EXAMPLE))
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_same_inputs_give_the_same_bytes_and_metadata(tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert run_protokit("render", str(EXAMPLE), "-o", str(first)).code == 0
    assert run_protokit("render", str(EXAMPLE), "-o", str(second)).code == 0
    assert first.read_bytes() == second.read_bytes()
    from pypdf import PdfReader

    reader = PdfReader(first)
    assert reader.metadata.title == "Lower back pain: hip flexor stretch and glute bridge"
    assert reader.metadata.creation_date.date().isoformat() == "2026-12-04"  # updated
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    later = tmp_path / "c.pdf"
    env = {"SOURCE_DATE_EPOCH": "1800000000"}
    assert run_protokit("render", str(EXAMPLE), "-o", str(later), env=env).code == 0
    assert PdfReader(later).metadata.creation_date.year == 2027
