"""What the lint stopped working out again in every file (issue 17, twenty-fifth sitting),
checked where a kept answer could be reused wrongly: SAFE001's answer about an exercise is
its indications' and its place's own; an id is read itself wherever its shape may hold a
placeholder; TEXT003 finds what it found when it searched each file's text for "TODO"; a
kept day is not used after it ends."""

from __future__ import annotations

import copy

from lint_helpers import ICD, TODAY, coding, findings_of, variant_files

from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.lean_imports.dates import dt
from protocol_kit.lint.base import RunMemo
from protocol_kit.lint.engine import Linter, LintSettings
from protocol_kit.lint.rules.placeholder import _holds, _id_holds

SETTINGS = LintSettings(select=("SAFE001", "TEXT003"), today=TODAY)


def _contraindicated_at(index):
    """The minimal protocol's exercise, contraindicated for low back pain, at `index`."""

    def change(data):
        entry = data["exercises"][0]
        entry["contraindications"] = [
            {"coding": coding(ICD, "M54", "Dorsalgia"), "description": "Not for back pain."}
        ]
        if index:
            other = copy.deepcopy(entry)
            other["id"] = "other-exercise"
            del other["contraindications"]
            data["exercises"].insert(0, other)

    return change


def _treats_knee_pain(data):
    """The same exercises, for knee pain: nothing contraindicated."""
    _contraindicated_at(0)(data)
    data["indications"] = [coding(ICD, "M25.561", "Pain in right knee")]


def _todo_in_a_word(data):
    """ "TODO" in the file's text, but in no placeholder: part of a word of a clinician's text."""
    data["delivery"]["tailoring"] = "Dosage set at assessment (TODOS los pacientes)."


def _tbc_in_a_note(data):
    """A placeholder in a clinician's text, and no "TODO" anywhere in the file."""
    data["delivery"]["tailoring"] = "Dosage TBC at assessment."


def test_each_file_gets_the_answers_of_its_own_indications_and_places(tmp_path):
    variants = {
        "first": _contraindicated_at(0),
        "knee": _treats_knee_pain,
        "second": _contraindicated_at(1),
        "word": _todo_in_a_word,
        "note": _tbc_in_a_note,
    }
    paths = variant_files(tmp_path, variants, 1)
    # Each file on its own, a new linter each: nothing kept from another file.
    expected = {
        path: findings_of(FileChecker(CheckOptions(hooks=(Linter(SETTINGS),))), path)
        for path in paths
    }
    found = {
        name: [
            (code, pointer)
            for code, pointer, _ in expected[str(tmp_path / f"{name}-0.json")]
            if code in ("SAFE001", "TEXT003")  # not the rules that always run
        ]
        for name in variants
    }
    assert found == {
        "first": [("SAFE001", "/exercises/0/contraindications/0/coding")],
        "knee": [],
        "second": [("SAFE001", "/exercises/1/contraindications/0/coding")],
        "word": [],
        "note": [("TEXT003", "/delivery/tailoring")],
    }
    for order in (paths, paths[::-1]):
        shared = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),), share_parts=True))
        for path in order:
            assert findings_of(shared, path) == expected[path], path


def test_an_id_is_read_itself_wherever_its_shape_may_hold_a_placeholder():
    memo = RunMemo()
    ids = ["back-basics-7", "back-basics-8", "xx-1", "xx-2", "back-xx7", "tbc", "TODO-3", "x"]
    for _ in range(2):  # the second time, the shapes' verdicts are kept
        assert [_id_holds(i, memo) for i in ids] == [_holds(i) for i in ids]
    assert [_holds(i) for i in ids] == [False, False, True, True, False, True, True, True]


def test_a_kept_day_is_not_used_after_it_ends():
    linter = Linter(LintSettings())
    today = linter._today()
    assert today == dt.date.today()
    start, end, _ = linter._day
    # A day found before, whose end the clock has passed: asked of the clock again.
    linter._day = (start - 2 * 86400, start - 86400, today - dt.timedelta(days=2))
    assert linter._today() == dt.date.today()
