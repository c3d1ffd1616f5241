"""The translation check of a part `validate` shares between files (issue 17): which texts of
a kept part differ from the declared languages is worked out once while the part is kept
(`shared_parts.PartTable.note`, `consistency._noted_differing`), and every file is given
exactly the findings the check gives text by text: code, pointer, message, line and column,
in the same order. The notes never outlive their part."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, corpus_module
from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.consistency import translation_findings
from protocol_kit.record import replace
from protocol_kit.shared_parts import PartTable

OTHER_LANGUAGES = ("cy", "fr", "de")
EXAMPLE = json.loads(
    (REPO / "protocols" / "psoas-stretch-glute-bridge.json").read_text(encoding="utf-8")
)


def test_a_note_is_worked_out_once_while_its_part_is_kept_and_never_outlives_it():
    table = PartTable(kept=2, trial=8)
    parts = {n: table.part("n", "en", {"n": n}, lambda n=n: [n]) for n in range(3)}
    worked = []

    def note(n: int):
        return table.note(parts[n], lambda: worked.append(n) or f"note {n}")

    assert note(0) is None and worked == []  # built once, not kept: no note
    for n in range(3):  # the second build of each is kept
        parts[n] = table.part("n", "en", {"n": n}, lambda n=n: [n])
    # Parts 1 and 2 are kept (0 was given up for 2): each noted once, however often asked.
    assert [note(1), note(1), note(2), note(2)] == ["note 1", "note 1", "note 2", "note 2"]
    assert worked == [1, 2]
    assert note(0) is None
    # A part given up takes its note with it: the same data kept again is another part.
    table.part("n", "en", {"n": 3}, lambda: [3])
    parts[3] = table.part("n", "en", {"n": 3}, lambda: [3])
    assert note(1) is None and note(3) == "note 3"
    # An object equal to a kept part but not it has no note.
    assert table.note([2], lambda: "another") is None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    made = tmp_path_factory.mktemp("notes") / "corpus"
    corpus_module().generate(made, 12, 0, seed=5)
    return made


def _with_inline(corpus: Path) -> dict:
    """A protocol of the corpus with an exercise of its own, and the example's screening
    questions (the corpus writes none)."""
    for path in sorted((corpus / "protocols").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if any("ref" not in e for e in data["exercises"]):
            data.setdefault("screening", EXAMPLE["screening"])
            return data
    raise AssertionError("the corpus has no protocol with an exercise of its own")


def _variant(base: dict, translations: tuple[str, ...], languages: dict[str, tuple]) -> dict:
    """`base` declaring `translations`, with the texts at the places named in `languages`
    written in those languages (the main one as itself, each other as a made-up text)."""
    data = copy.deepcopy(base)
    main = data["language"]
    if translations:
        data["translations"] = list(translations)
    else:
        data.pop("translations", None)
    inline = next(e for e in data["exercises"] if "ref" not in e)
    places = {
        "summary": (data, "summary"),
        "stop": (data["safety"]["stop_criteria"], 0),
        "name": (inline, "name"),
        "step": (inline["steps"], 0),
        "question": (data["screening"][0], "question"),
    }
    for place, chosen in languages.items():
        holder, key = places[place]
        text = holder[key] if isinstance(holder[key], str) else holder[key][main]
        holder[key] = (
            text
            if chosen == (main,)
            else {
                language: text if language == main else f"{text} ({language})"
                for language in chosen
            }
        )
    return data


def _seen(report) -> list[tuple]:
    return [(f.code, f.pointer, f.message, f.line, f.column) for f in report.findings]


def _check_alike(corpus: Path, variants: list[dict]) -> None:
    """Each variant written to two files, every file checked three times in turn by a
    checker that shares parts (so that they are kept and noted), each time with the findings
    a checker building each model gives."""
    folder = corpus / "protocols"
    paths = []
    for i, data in enumerate(variants):
        for copy_number in range(2):
            path = folder / f"variant-{i}-{copy_number}.json"
            path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
            paths.append(str(path))
    alone = {path: _seen(FileChecker(CheckOptions()).check(path)) for path in paths}
    assert not any(
        code.startswith(("SCHEMA", "JSON", "REF")) for f in alone.values() for code, *_ in f
    )
    sharing = FileChecker(CheckOptions(share_parts=True))
    for _ in range(3):
        for path in paths:
            assert _seen(sharing.check(path)) == alone[path], path
    for path in paths:
        Path(path).unlink()


def test_one_exercise_shared_by_protocols_of_other_languages_gets_each_its_own_findings(corpus):
    """The exercises' table keeps an exercise by its main language only: protocols that
    declare other translations share it, and its note is for the languages it was asked
    about (without that check, the second protocol's missing Welsh went unreported)."""
    base = _with_inline(corpus)
    main = base["language"]
    both = {"name": (main, "cy"), "step": (main, "cy")}
    variants = [
        _variant(base, ("cy",), both),  # nothing missing
        _variant(base, ("cy", "fr"), both),  # every text lacks French
        _variant(base, (), both),  # Welsh given but not declared
        _variant(base, ("cy",), {}),  # Welsh missing everywhere
    ]
    _check_alike(corpus, variants)


def test_a_protocol_made_otherwise_than_from_its_part_is_checked_text_by_text(corpus):
    """A protocol with the kept part's safety section but another delivery (made by
    `replace`) is given the findings of its own texts, not the part's note."""
    base = _with_inline(corpus)
    path = corpus / "protocols" / "made.json"
    path.write_text(json.dumps(base, indent=2, ensure_ascii=False), encoding="utf-8")
    checker = FileChecker(CheckOptions(share_parts=True))
    for _ in range(3):
        checker.check(str(path))
    document = checker.document
    protocol, _ = checker.build_protocol(document)
    assert translation_findings(protocol, None, checker.shared) == []
    # The same protocol, its delivery's education now lacking a declared language.
    delivery = protocol.delivery
    education = delivery.education[0]
    missing = replace(education, values={"xx": "text"})
    changed = replace(protocol, delivery=replace(delivery, education=(missing,)))
    found = translation_findings(changed, None, checker.shared)
    assert found == translation_findings(changed)
    assert {f.code for f in found} == {"I18N001", "I18N002"}
    path.unlink()


LANGUAGE_SETS = st.lists(st.sampled_from(OTHER_LANGUAGES), unique=True, max_size=2)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    variants=st.lists(
        st.tuples(
            LANGUAGE_SETS,
            st.dictionaries(
                st.sampled_from(["summary", "stop", "name", "step", "question"]),
                LANGUAGE_SETS,
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_noted_translation_findings_are_those_found_text_by_text(corpus, variants):
    base = _with_inline(corpus)
    main = base["language"]
    made = [
        _variant(
            base,
            tuple(translations),
            {place: (main, *chosen) for place, chosen in languages.items()},
        )
        for translations, languages in variants
    ]
    _check_alike(corpus, made)
