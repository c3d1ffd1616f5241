"""The answers of the rules about a protocol's shared part (`Rule.protocol_part`) kept with
the part and given to every file that holds the same part (issue 17): a file whose part
differs in anything such a rule reads gets its own findings, in a run that shares parts as
`protokit validate` does, in any order."""

from __future__ import annotations

from lint_helpers import TODAY, findings_of, minimal, variant_files

from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.lint.base import Context, RunMemo
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.lint.registry import RULES
from protocol_kit.starter.texts import protocol_texts

SETTINGS = LintSettings(today=TODAY)


def _retired(data):
    data["status"] = "retired"  # GOV002


def _starter_stop(data):
    data["safety"]["stop_criteria"] = [protocol_texts()["stop_criteria"][0]]  # GOV009


def _unknown_measure(data):
    data["measures"] = ["no-such-measure"]  # CODE007


def _no_trauma_flag(data):
    flags = data["safety"]["red_flags"]
    flags[:] = [f for f in flags if f["covers"] != ["trauma"]]  # SAFE005, a safety rule


VARIANTS = {"plain": None, "retired": _retired, "starter": _starter_stop}
VARIANTS.update(measure=_unknown_measure, missing=_no_trauma_flag)


def _files(tmp_path):
    """Copies of the minimal protocol, each variant several times (a part is kept the second
    time it is built), under their own ids and titles, the variants interleaved."""
    return variant_files(tmp_path, VARIANTS, 4)


def test_each_file_gets_the_findings_of_its_own_part(tmp_path):
    paths = _files(tmp_path)
    alone = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),)))
    expected = {path: findings_of(alone, path) for path in paths}
    codes = {path: {code for code, _, _ in found} for path, found in expected.items()}
    for path in paths:  # each variant has its finding, and no other file has it
        name = path.rsplit("/", 1)[1].split("-")[0]
        assert ("GOV002" in codes[path]) == (name == "retired"), path
        assert ("GOV009" in codes[path]) == (name == "starter"), path
        assert ("CODE007" in codes[path]) == (name == "measure"), path
        assert ("SAFE005" in codes[path]) == (name == "missing"), path
    for order in (paths, paths[::-1]):
        shared = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),), share_parts=True))
        for path in order:
            assert findings_of(shared, path) == expected[path], path


def test_a_part_is_answered_once_and_its_findings_are_in_the_rules_order(tmp_path):
    paths = [p for p in _files(tmp_path) if "retired" in p or "missing" in p]
    linter = Linter(SETTINGS)
    asked = []
    part_answers = linter._part_answers

    def counted(protocol, context):
        asked.append(protocol.id)
        return part_answers(protocol, context)

    linter._part_answers = counted
    shared = FileChecker(CheckOptions(hooks=(linter,), share_parts=True))
    alone = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),)))
    for path in paths:
        assert findings_of(shared, path) == findings_of(alone, path)
    # Two parts, each built twice before it is kept, then found: not one answer a file.
    assert len(asked) < len(paths)
    order = [rule.code for rule in RULES]
    for path in paths:
        found = [code for code, _, _ in findings_of(shared, path) if code in order]
        assert len(found) >= 1 and found == sorted(found, key=order.index)


def test_the_kept_answers_are_charged_to_the_memo():
    """A part answer with problems is weighed into the run memo's budget (`RunMemo`)."""
    from protocol_kit.model import build_protocol

    data = minimal()
    _retired(data)
    protocol = build_protocol(data, "p.json", ())
    linter = Linter(SETTINGS)
    memo = linter._memo
    assert isinstance(memo, RunMemo)
    context = Context(today=TODAY, data=data, memo=memo)
    before = memo.held
    answers = linter._part_answers(protocol, context)
    assert "GOV002" in answers
    assert memo.held > before
