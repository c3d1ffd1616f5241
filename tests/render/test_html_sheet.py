"""The HTML twin: the same texts as the PDF, in the same order, escaped, self-contained, the
same bytes for the same inputs; and accessible, checked in a real browser (Debian's Chromium
driven by Playwright, with axe-core's WCAG 2.2 AA rules)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from session_setup import npm_installed
from sheet_helpers import (
    EXAMPLE,
    EXAMPLES,
    clinic,
    contains_words,
    html_text,
    patient_texts,
    pdftotext,
    render,
    rewrite_texts,
    self_contained,
    with_pictures,
    words,
    write_json,
)

from conftest import REPO, run_protokit, session_folder
from protocol_kit.app.check import load_protocol
from protocol_kit.app.render import RenderOptions, sheet_request
from protocol_kit.render.sheet import font_check
from protocol_kit.sheet.content import build_sheet
from protocol_kit.sheet.document import walk_texts

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def squashed(text: str) -> str:
    return re.sub(r"\W+", "", text)


def in_order(document: list[str], texts: list[str]) -> list[str]:
    """The texts not found in `document` (its words) in this order, each after the last."""
    position, missing = 0, []
    for text in texts:
        wanted = words(text)
        if not wanted:
            continue
        for i in range(position, len(document) - len(wanted) + 1):
            if document[i : i + len(wanted)] == wanted:
                position = i + len(wanted)
                break
        else:
            missing.append(text)
    return missing


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_text_of_every_example_is_in_both_formats(path, tmp_path):
    protocol = load_protocol(str(path))
    html = html_text(render(path, output_format="html"))
    pdf = "\n".join(pdftotext(render(path), tmp_path))
    for document in (html, pdf):
        assert [t for t in patient_texts(protocol) if not contains_words(document, t)] == []


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_the_html_says_what_the_sheet_document_says_in_the_same_order(tmp_path, large_print):
    data = with_pictures(self_contained(), tmp_path)
    path = write_json(tmp_path, "protocol.json", data)
    request = sheet_request(
        load_protocol(str(path)), RenderOptions(clinic=clinic(), large_print=large_print)
    )
    texts = list(walk_texts(build_sheet(request, font_check())))
    html = words(html_text(render(path, output_format="html", large_print=large_print)))
    assert in_order(html, texts) == []
    # pdftotext reads the large dosage figures without the narrow space ("3s" for "3 s"):
    # the PDF is compared letter by letter.
    pdf = squashed("\n".join(pdftotext(render(path, large_print=large_print), tmp_path)))
    assert [t for t in texts if squashed(t) not in pdf] == []


def test_text_from_a_file_is_never_markup_in_the_html(tmp_path):
    markup = [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)"> & "quotes"',
        "AT&T &amp; a < b > c",
    ]
    data = self_contained()
    data["exercises"][0]["steps"] = markup
    data["title"] = "Back <i>care</i> & more"
    path = rewrite_texts(tmp_path, data, lambda s: s)
    page = render(path, output_format="html").decode()
    assert "<script" not in page and "<i>care" not in page and '<img src="x"' not in page
    text = html_text(page.encode())
    for value in [*markup, "Back <i>care</i> & more"]:
        assert value in text
    assert "<title>Back &lt;i&gt;care&lt;/i&gt; &amp; more</title>" in page


def test_a_line_break_in_a_text_is_kept_in_the_html_as_in_the_pdf(tmp_path):
    # The PDF breaks the line where the therapist did; the HTML ran the lines together into
    # one ("...the cushion.Then swap..."), which a screen reader reads as one sentence.
    data = self_contained()
    data["exercises"][0]["steps"][0] = "Kneel on the cushion.\nThen swap sides & repeat."
    data["title"] = "Back care\nfor the morning"
    path = rewrite_texts(tmp_path, data, lambda s: s)
    page = render(path, output_format="html").decode()
    assert "Kneel on the cushion.<br>Then swap sides &amp; repeat." in page
    # A title is an attribute-like text in <title>: no markup there, the break shown as a space.
    assert "<title>Back care\nfor the morning</title>" in page
    pdf = pdftotext(render(path), tmp_path)
    joined = "\n".join(pdf)
    assert "Kneel on the cushion.\n" in joined and "Then swap sides & repeat." in joined


def test_each_drawing_is_named_by_its_own_description_in_the_html(tmp_path):
    # Every inline drawing had the ids "pk-title" and "pk-desc": a screen reader named every
    # picture after the first one ("half-kneeling on the right knee" for the glute bridge).
    page = render(EXAMPLE, output_format="html").decode()
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    drawings = re.findall(r"<svg .*?</desc>", page, re.S)
    assert len(drawings) == 2
    for drawing in drawings:
        names = re.search(r'aria-labelledby="([^"]+)"', drawing).group(1).split()
        assert names and all(f'id="{name}"' in drawing for name in names)


def test_the_html_is_self_contained_and_the_same_for_the_same_inputs(tmp_path):
    data = with_pictures(self_contained(), tmp_path)
    path = write_json(tmp_path, "protocol.json", data)
    first = render(path, output_format="html")
    assert render(path, output_format="html") == first
    page = first.decode()
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert 'alt="A drawing of the exercise"' in page
    assert "<style>" in page and "@media print" in page and "<link" not in page


def test_render_format_html_writes_the_page_and_keeps_other_files(tmp_path):
    output = tmp_path / "sheet.html"
    result = run_protokit("render", str(EXAMPLE), "--format", "html", "-o", str(output))
    assert result.code == 0, result.stderr
    assert result.stdout.startswith(f"wrote {output} (")
    assert output.read_bytes().startswith(b"<!DOCTYPE html>")
    notes = tmp_path / "notes.html"
    notes.write_text("<p>my notes</p>", "utf-8")
    refused = run_protokit("render", str(EXAMPLE), "--format", "html", "-o", str(notes))
    assert refused.code == 2 and "is not an HTML sheet" in refused.stderr
    assert notes.read_text("utf-8") == "<p>my notes</p>"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """`check(sheet)`: axe-core's results and what a reader would notice, from Chromium."""
    node, npm = shutil.which("node"), shutil.which("npm")
    missing = [name for name, found in (("node", node), ("npm", npm),
               ("chromium", os.path.exists(CHROMIUM))) if not found]  # fmt: skip
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {', '.join(missing)} (.ci/run)")
        pytest.skip(f"not installed: {', '.join(missing)}")
    folder = npm_installed(session_folder(), "browser", npm)  # started at collection

    def check(sheet):
        result = subprocess.run(
            [node, str(folder / "check.mjs"), str(sheet)],
            capture_output=True, text=True, timeout=180,
            env={**os.environ, "CHROMIUM": CHROMIUM},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return check


@pytest.mark.parametrize(
    "options",
    [{}, {"large_print": True}, {"language": "el"}],
    ids=["standard", "large-print", "greek"],
)
def test_the_html_sheet_passes_axe_wcag_22_aa_in_chromium(browser, tmp_path, options):
    data = with_pictures(self_contained(), tmp_path)
    language = options.get("language")
    prefix = "Δοκιμή: " if language else ""
    path = rewrite_texts(tmp_path, data, lambda s: prefix + s, language)
    rx = write_json(
        tmp_path,
        "rx.json",
        {
            **json.loads((REPO / "docs/examples/prescription-psoas.json").read_text("utf-8")),
            "notes": ["Start gently <b>not bold</b>."],
        },
    )
    sheet = tmp_path / "sheet.html"
    sheet.write_bytes(render(path, output_format="html", prescription=str(rx), **options))
    found = browser(sheet)
    assert found["axe"]["violations"] == []
    assert found["requests"] == []  # nothing fetched
    # Reflow: no sideways scrolling on a 320 px phone or at 200% zoom.
    assert found["horizontal_overflow"] == {"phone": 0, "zoom200": 0, "desktop": 0}
    headings = found["headings"]
    assert [h for h in headings if h.startswith("H1 ")] == [
        f"H1 {prefix}" + ("Lower back pain: hip flexor stretch and glute bridge")
    ]
    assert headings[1].startswith("H2 ")  # the stop box comes first
    assert "Start gently <b>not bold</b>." in found["text"]
