"""The workbench's messages name the folder's files as its lists do (from the served folder,
not from the working folder of `protokit serve`: H1196); a prescription whose protocol is in
the folder but not valid says so (H1197); a rule's explanation is shown in paragraphs the page
wraps, not in a terminal's lines."""

from __future__ import annotations

import html
import json
import shutil

import pytest
from workbench_helpers import example_folder, start

from conftest import run_protokit
from protocol_kit.workbench.explanation import flowing
from protocol_kit.workbench.folder import Folder
from protocol_kit.workbench.folder_names import in_folder_words
from protocol_kit.workbench.service import NotPrintable, Workbench

PROTOCOL = "psoas-stretch-glute-bridge.json"


def _edited(path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _clinic_with_broken_library(tmp_path):
    """The example folder, served as `clinic/`, whose protocol names an exercise no library
    has, and whose library holds two files with one id and one that fails its schema."""
    folder = example_folder(tmp_path)
    library = folder / "library"
    shutil.copy(library / "glute-bridge.json", library / "glute-bridge-copy.json")

    def three_as_a_word(data):
        data["dosage"]["sets"] = "three"

    _edited(library / "pelvic-tilt.json", three_as_a_word)
    return folder


def _messages(bench, relative, data):
    return {
        f["code"] + " " + f["message"]
        for f in bench.findings_json(bench.check(relative, data).findings, data)
    }


@pytest.mark.parametrize("working", ["above", "elsewhere"])
def test_a_library_message_names_the_files_as_the_workbench_lists_them(
    tmp_path, monkeypatch, working
):
    # `protokit serve clinic/` from the folder above said "(searched: clinic/library)" and
    # "library exercise 'pelvic-tilt' in clinic/library/pelvic-tilt.json", where Browse lists
    # "library/pelvic-tilt.json"; from anywhere else, the server's whole path (H1196).
    folder = _clinic_with_broken_library(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(tmp_path if working == "above" else elsewhere)
    bench = Workbench(Folder(folder))
    data = json.loads((folder / PROTOCOL).read_text(encoding="utf-8"))
    data["exercises"].append({"ref": "no-such-exercise"})
    data["exercises"].append({"ref": "pelvic-tilt"})
    said = _messages(bench, PROTOCOL, data)
    assert "REF001 no library exercise with id 'no-such-exercise' (searched: library)" in said
    assert (
        "REF003 library exercise 'pelvic-tilt' in library/pelvic-tilt.json cannot be used: "
        "it does not pass its schema" in said
    )
    assert (
        "REF003 library exercise 'glute-bridge' in library/glute-bridge-copy.json cannot be "
        "used: library/glute-bridge.json gives the same id, so which of the two is meant "
        "cannot be told; give each library exercise its own id" in said
    )
    assert not [m for m in said if str(tmp_path) in m or "clinic/" in m]
    # The command line still names them from its working folder.
    printed = run_protokit("validate", str(folder / PROTOCOL), cwd=tmp_path).stdout
    assert "clinic/library/glute-bridge-copy.json" in printed


def test_the_preview_names_the_first_error_s_files_as_the_workbench_lists_them(
    tmp_path, monkeypatch
):
    folder = _clinic_with_broken_library(tmp_path)
    monkeypatch.chdir(tmp_path)
    bench = Workbench(Folder(folder))
    data = json.loads((folder / PROTOCOL).read_text(encoding="utf-8"))
    data["exercises"].insert(0, {"ref": "no-such-exercise"})
    with pytest.raises(NotPrintable) as refused:
        bench.protocol_sheet(PROTOCOL, data)
    assert "(searched: library)" in str(refused.value), refused.value


def test_a_path_quoted_from_the_file_is_left_as_written(tmp_path, monkeypatch):
    # A file's own text that happens to name a file of the folder is the author's words.
    folder = example_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    named = Folder(folder).name_of
    message = 'placeholder left: "TBC: see clinic/library/glute-bridge.json" at clinic/library'
    assert in_folder_words(message, named) == (
        'placeholder left: "TBC: see clinic/library/glute-bridge.json" at library'
    )
    # A JSON pointer, a file outside the folder and one that does not exist are not renamed.
    for words in ("[/exercises/0/ref]", "/etc", "clinic/library/none.json", "clinic."):
        assert in_folder_words(words, named) == words
    assert in_folder_words("in clinic/library/glute-bridge.json.", named) == (
        "in library/glute-bridge.json."
    )


def test_a_prescription_whose_protocol_is_in_the_folder_but_not_valid_says_so(tmp_path):
    # The workbench said "protocol ... was not found beside this prescription or in a
    # protocols or drafts folder above it" of a protocol listed beside it in Browse, with
    # errors of its own; `protokit validate` says "found but is not valid yet" (H720, H1197).
    folder = example_folder(tmp_path)

    def with_a_placeholder(data):
        data["title"] = "TODO: the title"

    _edited(folder / PROTOCOL, with_a_placeholder)
    bench = Workbench(Folder(folder))
    prescription = {
        "$schema": "https://schemas.protocol-kit.org/v1/prescription.schema.json",
        "protocol": {"id": "psoas-stretch-glute-bridge", "version": "1.0.6"},
        "patient": {"name": "Alex Example", "date_of_birth": "1980-02-03"},
        "therapist": {"name": "Sam Example", "credentials": "Physiotherapist"},
        "date": "2026-12-07",
    }
    said = bench.findings_json(bench.check("alex.json", prescription).findings, prescription)
    (rx008,) = [f for f in said if f["code"] == "RX008"]
    assert "was found but is not valid yet" in rx008["message"], rx008
    assert "open it from Browse" in rx008["message"]
    # A protocol the folder does not have is still "not found".
    prescription["protocol"]["id"] = "no-such-protocol"
    said = bench.findings_json(bench.check("alex.json", prescription).findings, prescription)
    (rx008,) = [f for f in said if f["code"] == "RX008"]
    assert "was not found" in rx008["message"]


def test_a_rule_s_explanation_is_one_line_a_paragraph_with_its_examples_kept(tmp_path):
    # In the page's box, narrower than a terminal, each 90-character line of `protokit rules`
    # broke again: a paragraph read as long and short lines in turn.
    printed = run_protokit("rules", "TEXT003").stdout
    served, stop = start(example_folder(tmp_path))
    try:
        status, answer = served.json("/api/rules/TEXT003")
        page_status, _, page = served.request("/rules/TEXT003")
    finally:
        stop()
    assert status == 200 and page_status == 200
    shown = answer["text"]
    assert shown.split() == printed.split()  # the same words
    lines = shown.splitlines()
    assert lines[0] == "TEXT003 placeholder (patient text, error)"  # the heading as it is
    assert lines[1].startswith("a placeholder")
    (paragraph,) = [line for line in lines if line.startswith("`protokit new` writes")]
    assert paragraph.endswith("never between words.")
    assert '    "intensity": "Hold for xx seconds"' in lines  # an example keeps its lines
    assert paragraph in html.unescape(page.decode("utf-8"))  # the rule's own page
    items = "Head\nsummary\n\nA list:\n- one\n  more\n- two\n1. three"
    assert flowing(items) == "Head\nsummary\n\nA list:\n- one\n  more\n- two\n1. three"
