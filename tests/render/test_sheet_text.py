"""Everything a patient must read is in the PDF, exactly as written."""

from __future__ import annotations

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
)

from conftest import run_protokit
from protocol_kit.app.check import load_protocol


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


def test_a_character_the_font_cannot_show_is_a_one_line_error(tmp_path):
    data = self_contained()
    data["exercises"][1]["steps"][2] = "Hold it \u4e2d\u6587 there"
    path = rewrite_texts(tmp_path, data, lambda s: s)
    output = tmp_path / "sheet.pdf"
    result = run_protokit("render", str(path), "-o", str(output))
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    # Found when the protocol is checked, before rendering: the line and column of the step.
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "Hold it" in text)
    column = lines[line - 1].index('"Hold it') + 1
    assert f"{path}:{line}:{column}: character U+4E2D" in result.stderr
    assert not output.exists()


def test_missing_translation_is_an_error_never_a_fallback(tmp_path):
    output = tmp_path / "sheet.pdf"
    result = run_protokit("render", str(EXAMPLE), "--language", "fr", "-o", str(output))
    assert result.code == 2
    assert result.stderr == (
        f"protokit: error: {EXAMPLE.relative_to(EXAMPLE.parent.parent)}: no 'fr' translation"
        " of the text at /title: a sheet is printed only when every text is translated\n"
    ) or ("no 'fr' translation" in result.stderr and result.stderr.count("\n") == 1)
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
    data["reviewer"] = {"name": "A. Reviewer", "credentials": "Physiotherapist"}
    path = rewrite_texts(tmp_path, data, lambda s: s)
    assert not any(banner in page for page in pages_text(render(path)))


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
    assert reader.metadata.creation_date.date().isoformat() == "2026-11-22"  # last reviewed
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    later = tmp_path / "c.pdf"
    env = {"SOURCE_DATE_EPOCH": "1800000000"}
    assert run_protokit("render", str(EXAMPLE), "-o", str(later), env=env).code == 0
    assert PdfReader(later).metadata.creation_date.year == 2027
