"""The translation check keeps which texts of a shared part lack a declared language, or have
another, by the part's identity (`consistency._PROTOCOL_PARTS` and `_EXERCISES`, issue 17):
an answer is only ever used for the same records and the same declared languages, so that
every protocol gets exactly the findings a check without kept answers gives. Each test fails
when the kept answer's key leaves out what it depends on (tried: the languages, the
protocol's other records)."""

from __future__ import annotations

import pytest

from conftest import corpus_module
from protocol_kit import consistency
from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.consistency import translation_findings
from protocol_kit.loading import load
from protocol_kit.model import Text
from protocol_kit.record import replace
from protocol_kit.shared_parts import SharedParts


def _shown(findings) -> list[tuple]:
    return [(f.path, f.code, f.pointer, f.at_key, f.message) for f in findings]


def _without_kept_answers(protocol) -> list[tuple]:
    consistency._PROTOCOL_PARTS.clear()
    consistency._EXERCISES.clear()
    return _shown(translation_findings(protocol, {}))


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    return corpus_module().generate(tmp_path_factory.mktemp("corpus"), 12, 0, seed=3)


@pytest.fixture
def protocol(made, monkeypatch):
    """A protocol model with an exercise written in it, whose own part and exercises are
    shared parts, as `validate` builds it, its kept answers made by a first check."""
    monkeypatch.chdir(made.root)
    checker = FileChecker(CheckOptions(share_parts=True))
    checker.shared = SharedParts()
    for path in made.valid:
        built, problems = checker.build_protocol(load(str(path)))
        assert built is not None and not problems
        if any(e.library is None for e in built.exercises):
            translation_findings(built, {})
            return built
    raise AssertionError("no protocol of the corpus has an exercise written in it")


def test_another_set_of_languages_is_another_answer(protocol):
    other = replace(protocol, translations=("fr",))
    found = _shown(translation_findings(other, {}))
    assert found == _without_kept_answers(other)
    # Every text of the protocol and its written exercises lacks its French version.
    assert sum("no 'fr' version" in message for *_, message in found) > 30


def test_a_protocol_with_one_record_of_the_part_changed_is_checked_again(protocol):
    summary = protocol.summary
    changed = Text({**summary.values, "de": "Zusammenfassung"}, summary.origin)
    other = replace(protocol, summary=changed)  # the same safety record, another summary
    found = _shown(translation_findings(other, {}))
    assert found == _without_kept_answers(other)
    assert [(code, pointer) for _, code, pointer, *_ in found] == [("I18N002", "/summary/de")]


def test_the_same_records_get_the_same_findings_as_a_check_without_kept_answers(protocol):
    assert _shown(translation_findings(protocol, {})) == _without_kept_answers(protocol)
