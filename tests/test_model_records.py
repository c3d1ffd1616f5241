"""The model's builders make each Origin and Text from the slots' own setters, without the
class's `__init__` (`model.origin_at`, `model._text`): the records must be the very ones the
classes make (equal, shown, frozen and copied alike; an Origin hashed alike), and every
finding about a text must still name its place: the line and column of its value in the file,
however the file is written (multi-byte characters, escapes, CRLF line ends, one line)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.library import Library
from protocol_kit.model import Origin, Text, build_protocol, iter_texts, origin_at
from protocol_kit.record import replace

EXAMPLES = Path(__file__).resolve().parent.parent / "protocols"
EXAMPLE = json.loads((EXAMPLES / "psoas-stretch-glute-bridge.json").read_text(encoding="utf-8"))


def _built(tmp_path: Path):
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    checker = FileChecker(CheckOptions(library_dirs=(EXAMPLES / "library",)))
    report = checker.check(str(path))
    assert not report.errors(), report.findings
    assert checker.built is not None
    return checker.built


def test_origin_at_is_an_origin():
    made = origin_at("a.json", "/safety/red_flags/0")
    same = Origin("a.json", "/safety/red_flags/0")
    assert type(made) is Origin
    assert (made.path, made.pointer) == ("a.json", "/safety/red_flags/0")
    assert made == same and hash(made) == hash(same) and repr(made) == repr(same)
    assert made != Origin("a.json", "/safety/red_flags/1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.pointer = "/title"  # type: ignore[misc]
    assert made.child("text") == Origin("a.json", "/safety/red_flags/0/text")


def test_every_built_text_is_the_text_its_class_makes(tmp_path):
    protocol = _built(tmp_path)
    texts = list(iter_texts(protocol))
    assert len(texts) > 30
    for text in texts:
        assert type(text) is Text and type(text.origin) is Origin
        same = Text(dict(text.values), Origin(text.origin.path, text.origin.pointer))
        assert text == same and repr(text) == repr(same)  # (values is a dict: no hash)
        assert (text.origin.path, text.origin.pointer) == (same.origin.path, same.origin.pointer)
        with pytest.raises(dataclasses.FrozenInstanceError):
            text.values = {}  # type: ignore[misc]
        moved = replace(text, origin=Origin("elsewhere.json", "/x"))
        assert moved == text and moved.origin.path == "elsewhere.json"
        assert dataclasses.replace(text, values={"xx": "y"}).origin == text.origin
    # Each own text is located at its own place in the protocol file.
    own = [t.origin.pointer for t in texts if t.origin.path == protocol.origin.path]
    assert len(own) == len(set(own)) and "/title" in own and "/safety/pain_guide/red" in own


def test_a_protocol_built_twice_is_equal(tmp_path):
    library = Library(FileChecker(CheckOptions()).schemas, extra_dirs=(EXAMPLES / "library",))
    from protocol_kit.library import resolve_exercises

    built = []
    for _ in range(2):
        exercises, problems = resolve_exercises(EXAMPLE, "p.json", library)
        assert not problems
        built.append(build_protocol(EXAMPLE, "p.json", exercises))
    assert built[0] == built[1]


# Texts given values that are unique in the file and hold what moves a column: characters of
# two, three and four bytes, escapes (a quote, a backslash, \n, \u00e9) and a tab escape.
MARKED = {
    ("title",): 'Étirement du psoas — «pont» 🦵 "fessier" \\ 1',
    ("summary",): "Résumé: ça va\nligne \u00e9 ✓ 2",
    ("safety", "stop_criteria", 0): 'Arrêtez si 🦵 "douleur"\t3',
    ("safety", "pain_guide", "red"): "Rouge — arrêtez 4 \\\\",
    ("safety", "red_flags", 0, "text"): "Drapeau 🚩 «rouge» 5",
}


def _marked() -> dict:
    data = json.loads(json.dumps(EXAMPLE))
    for where, value in MARKED.items():
        holder = data
        for token in where[:-1]:
            holder = holder[token]
        holder[where[-1]] = value
    data["translations"] = ["fr"]  # every own text lacks 'fr': one finding at each
    return data


def _expected(text: str, value: str, ascii_only: bool) -> tuple[int, int]:
    """Line and column (1-based, in characters) of the one place `value` is written."""
    written = json.dumps(value, ensure_ascii=ascii_only)
    assert text.count(written) == 1
    offset = text.index(written)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.mark.parametrize("layout", ["indented, CRLF", "one line", "indented, LF, \\u escapes"])
def test_findings_about_texts_name_their_line_and_column(tmp_path, layout):
    data = _marked()
    if layout == "one line":
        text = json.dumps(data, ensure_ascii=False)
    elif layout == "indented, CRLF":
        text = json.dumps(data, ensure_ascii=False, indent=3).replace("\n", "\r\n")
    else:
        text = json.dumps(data, ensure_ascii=True, indent=1)
    path = tmp_path / "protocol.json"
    path.write_bytes(text.encode("utf-8"))
    report = FileChecker(CheckOptions(library_dirs=(EXAMPLES / "library",))).check(str(path))
    missing = {f.pointer: (f.line, f.column) for f in report.findings if f.code == "I18N001"}
    shown = text.replace("\r\n", "\n")  # a CRLF is one line end; the CR ends its line
    ascii_only = layout.endswith("escapes")
    for where, value in MARKED.items():
        pointer = "/" + "/".join(map(str, where))
        assert missing.get(pointer) == _expected(shown, value, ascii_only), (layout, pointer)
    if layout == "one line":
        # Everything on line 1: the columns are characters, not bytes.
        assert {line for line, _ in missing.values()} == {1}
        title_column = missing["/title"][1]
        assert title_column == text.index(json.dumps(MARKED[("title",)], ensure_ascii=False)) + 1
        summary_column = missing["/summary"][1]
        raw_offset = text.encode("utf-8").index(
            json.dumps(MARKED[("summary",)], ensure_ascii=False).encode("utf-8")
        )
        assert summary_column < raw_offset + 1  # multi-byte characters come before it
