"""The lint's answers kept between runs (`lint.across_runs`, issue 17, twenty-sixth sitting):
a kept answer is given only where everything it depends on is the same. Each run is a
linter as `protokit validate` makes it (`expect`), over files that share parts, its kept
answers written as at its end; each file's findings must be those a new linter without the
cache gives it alone."""

from __future__ import annotations

import datetime as dt
import json
import shutil

# Imported, as in a run of `loading.QUICK_READ_AFTER` files or more: the schema check then
# writes each file's parts (`shared_parts.writing_of`), which the kept answers' keys are of.
import orjson  # noqa: F401
import pytest
from lint_helpers import TODAY, findings_of, library_exercise, minimal, variant_files
from test_media_missing import PNG  # a real PNG: LINK001 reads its whole structure

from protocol_kit import cache as cache_module
from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.cache import UNKNOWN, ThisRunOnly
from protocol_kit.findings import LibraryPlace
from protocol_kit.lint import across_runs, digest_answers
from protocol_kit.lint.base import Problem
from protocol_kit.lint.engine import Linter, LintSettings

SETTINGS = LintSettings(select=("SAFE013", "TEXT001"), today=TODAY)
# TEXT001's reading grade at most 1: every text of the minimal protocol is above it.
STRICTER = LintSettings(
    select=("SAFE013", "TEXT001"),
    today=TODAY,
    options={"TEXT001": {"max_grade": 1.0, "min_words": 1}},
)
PAIN = "Push through the pain to finish the set."
CALM = "Stop the set if the pain goes above 3 out of 10, and rest."


def _step(text):
    return lambda data: data["exercises"][0]["steps"].append(text)


def _in_french(data):
    _step(PAIN)(data)
    data["language"] = "fr-FR"


# Each file's content in the first run and in the second: the exercise's text changed both
# ways, a library exercise given the protocol's own dose, the same text in another language,
# and a file unchanged (whose kept answers the second run must use).
RUNS = {
    "text": (_step(PAIN), _step(CALM)),
    "back": (_step(CALM), _step(PAIN)),
    "dose": (
        lambda data: data.update(exercises=[{"ref": "cat-cow"}]),
        lambda data: data.update(exercises=[{"ref": "cat-cow", "dosage": {"repetitions": 500}}]),
    ),
    "language": (_step(PAIN), _in_french),
    "same": (_step(PAIN), _step(PAIN)),
}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(folder))
    return folder


def _write(tmp_path, run):
    paths = []
    for name, changes in RUNS.items():
        data = minimal()
        changes[run](data)
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data))
        paths.append(str(path))
    return paths


class _Counted:
    """The kept answers a run reads, counting those it is given."""

    def __init__(self, kept):
        self.kept, self.given = kept, 0

    def get(self, key):
        found = self.kept.get(key)
        self.given += found is not UNKNOWN
        return found

    def add(self, key, answer):
        self.kept.add(key, answer)


def _linted(paths, settings):
    """Each file's findings in one run as `validate` lints them (`paths`, `settings`), and the
    run's `Linter`."""
    linter = Linter(settings)
    linter.expect(paths)
    checker = FileChecker(CheckOptions(hooks=(linter,), share_parts=True))
    return {path: findings_of(checker, path) for path in paths}, linter


@pytest.fixture
def validate(monkeypatch):
    """Each file's findings in one run as `validate` lints them (`paths`, `settings`), its
    answers kept at its end, and how many kept answers it was given."""
    opened = across_runs._opened
    monkeypatch.setattr(across_runs, "_opened", lambda: _Counted(opened()))

    def run(paths, settings):
        found, linter = _linted(paths, settings)
        counted = linter._across.kept
        counted.kept._save()
        return found, counted.given

    return run


def _alone(paths, settings):
    return {
        path: findings_of(FileChecker(CheckOptions(hooks=(Linter(settings),))), path)
        for path in paths
    }


def test_a_kept_answer_is_given_only_where_nothing_it_depends_on_differs(tmp_path, cache, validate):
    library_exercise(tmp_path)
    paths = _write(tmp_path, 0)
    first, _ = validate(paths, SETTINGS)
    assert first == _alone(paths, SETTINGS)
    _write(tmp_path, 1)
    expected = _alone(paths, SETTINGS)
    # Each changed file's findings differ from the first run's: an answer kept without what
    # changed would give the first run's.
    assert [first[path] != expected[path] for path in paths] == [True] * 4 + [False]
    second, kept = validate(paths, SETTINGS)
    assert kept > 0  # the cache was there to be used
    assert second == expected
    # A changed rule option: TEXT001's reading grade lowered.
    third, _ = validate(paths, STRICTER)
    assert third == _alone(paths, STRICTER) != second


def test_a_later_day_is_given_the_kept_answers_and_its_own_date_findings(tmp_path, cache, validate):
    # The day is in no key: no rule about a part or an exercise reads the date (their
    # contract), so a day's first run finds what the day before kept. The rules that read the
    # date are about the whole file and worked out for every file: the later run reports the
    # review that fell due in between (GOV001), which it would not if a kept rule read the date
    # and its answer of the first day were given again.
    paths = variant_files(tmp_path, {"pain": _step(PAIN), "calm": _step(CALM)}, 2)
    first_day = LintSettings(select=(*SETTINGS.select, "GOV001", "GOV005"), today=TODAY)
    due = dt.date.fromisoformat(minimal()["next_review"]) + dt.timedelta(days=1)
    later_day = LintSettings(select=first_day.select, today=due)
    first, _ = validate(paths, first_day)
    assert first == _alone(paths, first_day)
    expected = _alone(paths, later_day)
    assert all("GOV001" in {code for code, _, _ in expected[path]} for path in paths)
    assert all(first[path] != expected[path] for path in paths)
    second, kept = validate(paths, later_day)
    assert kept > 0  # given the first day's answers
    assert second == expected


def test_one_file_reads_no_kept_answers(tmp_path, cache):
    paths = _write(tmp_path, 0)
    linter = Linter(SETTINGS)
    linter.expect(paths[:1])
    findings_of(FileChecker(CheckOptions(hooks=(linter,), share_parts=True)), paths[0])
    assert linter._across is None and not list(cache.glob("lint-answers-*"))


def test_answers_of_another_shape_or_a_damaged_file_are_worked_out_again(tmp_path, cache, validate):
    paths = _write(tmp_path, 0)
    validate(paths, SETTINGS)
    (kept,) = cache.glob("lint-answers-*")
    kept.write_bytes(kept.read_bytes()[:-20])  # damaged: its check fails
    assert validate(paths, SETTINGS)[0] == _alone(paths, SETTINGS)
    assert not across_runs._fits((("SAFE013",), (("/x", "message", "no", None, None),)))
    assert not across_runs._fits({"SAFE013": [("/x", "message", False, None, None)]})
    assert across_runs._fits((("SAFE013",), (("/x", "message", False, None, None, None),)))
    assert across_runs._fits((("GOV009",), (("/x", "message", False, None, '"text"', None),)))
    assert not across_runs._fits((("GOV009",), (("/x", "message", False, None, 7, None),)))
    place = ("library/a.json", "a", "/steps/0", "text", 3, 5)
    assert across_runs._fits((("SAFE013",), (("/x", "message", False, None, None, place),)))
    assert not across_runs._fits((("SAFE013",), (("/x", "message", False, None, None, place[:5]),)))
    # The shape before the quoted value (format 2): worked out again, not misread.
    assert not across_runs._fits((("SAFE013",), (("/x", "message", False, None, place),)))
    assert not across_runs._fits(7)


def test_a_changed_data_file_or_version_labels_another_file(tmp_path, cache, monkeypatch):
    package = across_runs._package()
    names = across_runs._files(package)
    assert {"redflags/red_flags.json", "lint/data/ignore_pain.json", "lint/engine.py"} <= set(names)
    copy = tmp_path / "package"
    for name in names:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f"{package}/{name}", copy / name)
    monkeypatch.setattr(across_runs, "_package", lambda: str(copy))
    kept = across_runs._opened()
    kept.add(b"p" * 16, {})
    kept._save()
    assert across_runs._opened().get(b"p" * 16) == {}
    # The whole files' answers (by digest, `digest_answers`) under the same label.
    files = across_runs._opened_files()
    files.add(b"f" * 16, {})
    files._save()
    assert across_runs._opened_files().get(b"f" * 16) == {}
    with (copy / "redflags" / "red_flags.json").open("a") as red_flags:
        red_flags.write(" ")
    changed = across_runs._opened()
    assert changed.get(b"p" * 16) is UNKNOWN and changed.label != kept.label
    changed_files = across_runs._opened_files()
    assert changed_files.get(b"f" * 16) is UNKNOWN and changed_files.label != files.label
    monkeypatch.setattr("protocol_kit.__version__", "0.0.0")
    assert across_runs._opened().label != changed.label


def test_a_version_that_cannot_be_told_keeps_nothing_between_runs(cache, monkeypatch):
    def unknown(distribution, package):
        raise LookupError(distribution)

    monkeypatch.setattr(across_runs, "package_version", unknown)
    kept = across_runs._opened()
    kept.add(b"p" * 16, {})
    assert isinstance(kept, ThisRunOnly) and not list(cache.glob("lint-answers-*"))


def _places(checker, path):
    """A file's findings with where in a library file each one's text is, as the reports
    read it (`Finding.in_library`)."""
    return [
        (f.code, f.pointer, f.message, f.in_library and f.in_library.__getstate__())
        for f in checker.check(path).findings
    ]


def test_a_kept_answer_keeps_where_in_the_library_file_its_text_is(tmp_path, cache, monkeypatch):
    # A library exercise's text read as a safety problem: the finding names its place in the
    # library file (`Finding.in_library`), which a run given the kept answer must name too.
    library_exercise(tmp_path, lambda body: body["steps"].append(PAIN))
    path = tmp_path / "uses-library.json"
    data = minimal()
    data["exercises"] = [{"ref": "cat-cow"}]
    path.write_text(json.dumps(data))
    path = str(path)
    expected = _places(FileChecker(CheckOptions(hooks=(Linter(SETTINGS),))), path)
    assert any(place for *_, place in expected)
    opened = across_runs._opened
    monkeypatch.setattr(across_runs, "_opened", lambda: _Counted(opened()))
    runs = []
    for _ in range(2):
        linter = Linter(SETTINGS)
        linter.expect([path, path])
        checker = FileChecker(CheckOptions(hooks=(linter,), share_parts=True))
        runs.append(_places(checker, path))
        linter._across.kept.kept._save()
    assert linter._across.kept.given > 0  # the second run was given the kept answers
    assert runs == [expected, expected]


def test_a_kept_answer_keeps_the_starting_text_its_finding_quotes(tmp_path, cache, monkeypatch):
    # GOV009's quoted text is data (`Finding.quoted_value`, H1107), which the text report
    # lists each starting text by: a run given the kept answer must carry it too.
    from protocol_kit.starter.texts import protocol_texts

    data = minimal()
    data.pop("sign_off", None)
    data["safety"]["stop_criteria"] = list(protocol_texts()["stop_criteria"])
    path = tmp_path / "starting.json"
    path.write_text(json.dumps(data))
    path = str(path)
    settings = LintSettings(select=("GOV009",), today=TODAY)

    def quoted(checker):
        return [(f.code, f.pointer, f.quoted_value) for f in checker.check(path).findings]

    expected = quoted(FileChecker(CheckOptions(hooks=(Linter(settings),))))
    assert len(expected) == 2 and all(value.startswith('"') for *_, value in expected)
    opened = across_runs._opened
    monkeypatch.setattr(across_runs, "_opened", lambda: _Counted(opened()))
    runs = []
    for _ in range(2):
        linter = Linter(settings)
        linter.expect([path, path])
        runs.append(quoted(FileChecker(CheckOptions(hooks=(linter,), share_parts=True))))
        linter._across.kept.kept._save()
    assert linter._across.kept.given > 0  # the second run was given the kept answers
    assert runs == [expected, expected]


class _Kinds(_Counted):
    """The kept answers a run reads, with the kind of each one it is given (`b"f"`: a whole
    file's, `b"pe"`: a part's or an exercise's), each store's kind (both are keyed by a
    digest alone)."""

    def __init__(self, kept, kind):
        super().__init__(kept)
        self.kinds, self.kind = [], kind

    def get(self, key):
        found = super().get(key)
        if found is not UNKNOWN:
            self.kinds.append(self.kind)
        return found


@pytest.fixture
def kinds(monkeypatch):
    """As `validate`, giving the kinds of the kept answers each run is given."""
    opened, opened_files = across_runs._opened, across_runs._opened_files
    monkeypatch.setattr(across_runs, "_opened", lambda: _Kinds(opened(), b"pe"))
    monkeypatch.setattr(across_runs, "_opened_files", lambda: _Kinds(opened_files(), b"f"))

    def run(paths, settings):
        found, linter = _linted(paths, settings)
        stores = [linter._across.kept, linter._across.files]
        for store in stores:
            if store is not None:
                store.kept._save()
        return found, [kind for store in stores if store is not None for kind in store.kinds]

    return run


def _with_image(data):
    data["exercises"][0]["media"] = [
        {"kind": "image", "path": "img/cat.png", "alt": "Cat pose", "author": "A", "licence": "CC0"}
    ]


def test_a_file_checked_before_is_one_look_up_and_the_rules_beyond_it_are_asked_again(
    tmp_path, cache, kinds
):
    # The second run is given each file's answers whole (twenty-eighth sitting: one look-up
    # a file, not its part's and each exercise's), and still works out the rules that read
    # beyond the file: its image, gone since the first run (LINK001), and the review that
    # fell due (GOV001). Either kept with the file would give the first run's findings.
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "cat.png").write_bytes(PNG)
    paths = variant_files(tmp_path, {"pain": _step(PAIN), "calm": _step(CALM)}, 3, _with_image)
    select = (*SETTINGS.select, "LINK001", "GOV001")
    first_day = LintSettings(select=select, today=TODAY)
    first, _ = kinds(paths, first_day)
    assert first == _alone(paths, first_day)
    assert not any(code in ("LINK001", "GOV001") for p in paths for code, _, _ in first[p])
    (tmp_path / "img" / "cat.png").unlink()
    due = dt.date.fromisoformat(minimal()["next_review"]) + dt.timedelta(days=1)
    later_day = LintSettings(select=select, today=due)
    expected = _alone(paths, later_day)
    assert all({"LINK001", "GOV001"} <= {code for code, _, _ in expected[p]} for p in paths)
    second, given = kinds(paths, later_day)
    assert given == [b"f"] * len(paths)
    assert second == expected


def test_a_file_whose_library_exercise_changed_is_not_given_its_kept_answer(tmp_path, cache, kinds):
    # The protocol's own text is the same in both runs; its library exercise's is not.
    library_exercise(tmp_path, lambda body: body["steps"].append(CALM))
    paths = variant_files(
        tmp_path, {"library": lambda d: d.update(exercises=[{"ref": "cat-cow"}])}, 2
    )
    first, _ = kinds(paths, SETTINGS)
    assert first == _alone(paths, SETTINGS)
    library_exercise(tmp_path, lambda body: body["steps"].append(PAIN))
    expected = _alone(paths, SETTINGS)
    assert all("SAFE013" in {code for code, _, _ in expected[p]} for p in paths)
    second, given = kinds(paths, SETTINGS)
    assert b"f" not in given
    assert second == expected


# What a rule's module reads beyond the file: today's date, git, another file.
_BEYOND = ("context.today", "context.previous", "read_file", "image_problem")


def test_the_rules_that_read_beyond_the_file_say_so():
    # Their answers are never kept with the file (`Rule.reads_beyond_the_file`); a rule whose
    # module reads the date, git or another file and does not say so would be given a
    # file's answer of another day, commit or image.
    import inspect

    from protocol_kit.lint.registry import RULES

    beyond = set()
    for rule in RULES:
        source = inspect.getsource(inspect.getmodule(type(rule)))
        if any(name in source for name in _BEYOND):
            beyond.add(rule.code)
    assert beyond == {rule.code for rule in RULES if rule.reads_beyond_the_file}
    assert beyond >= {"GOV001", "GOV004", "GOV005", "LINK001"}
    # Each is a rule about the whole file, called for every file (`Linter._plan`).
    assert not any(
        rule.protocol_part or rule.exercise_part for rule in RULES if rule.reads_beyond_the_file
    )


def test_a_file_whose_text_changed_in_any_way_is_not_given_its_kept_answer(tmp_path, cache, kinds):
    # H1285: a whole file's answers are kept by one digest of the run's settings, its path,
    # its library files and every byte of its text as written (`file_answers`), held as two
    # numbers (`digest_answers`): a file whose text changed, however little, is another
    # question, and only the unchanged file is given its kept answer.
    library_exercise(tmp_path)
    paths = _write(tmp_path, 0)
    first, _ = kinds(paths, SETTINGS)
    assert first == _alone(paths, SETTINGS)
    _write(tmp_path, 1)
    expected = _alone(paths, SETTINGS)
    assert [first[path] != expected[path] for path in paths] == [True] * 4 + [False]
    second, given = kinds(paths, SETTINGS)
    assert given.count(b"f") == 1  # the file written again as it was
    assert second == expected


# Every kind of problem a rule about a part or an exercise gives: at a key or a value, naming
# a library file or not, quoting a value or not, with a place in a library file whose line and
# column are known or not, and texts in any script, with a lone surrogate (JSON's `\ud800`).
_EVERY_KIND = (
    Problem("/exercises/0/steps/1", "«Stop» — 疼痛 > 3/10 🚑", False),
    Problem("/safety", "no stop criteria", True, "library/cat-cow.json"),
    Problem("/title", 'quoted "\ud800"', False, None, '"Übung \ud800 𝔸"'),
    Problem(
        "/exercises/2/dosage",
        "dose",
        False,
        "library/ü.json",
        None,
        LibraryPlace("library/ü.json", "bird-dog", "/steps/0", "Ébauche ✓", 3, 17),
    ),
    Problem(
        "/exercises/1", "m", True, None, None, LibraryPlace("l.json", "x", "", None, None, None)
    ),
)


def _in_a_new_run():
    """The answers about parts and exercises as the next run reads them, this one's saved."""
    return across_runs.AcrossRuns(SETTINGS)


def test_a_packed_answer_read_back_is_the_answer_stored(cache):
    # H1505: the answers about parts and exercises are held packed (`digest_answers`): each
    # is read back, in this run and the next, with every field of every problem as stored.
    across = _in_a_new_run()
    part = {"SAFE013": _EVERY_KIND[:3], "TEXT001": _EVERY_KIND[3:]}
    exercise = (tuple(f"C{n}" for n in range(len(_EVERY_KIND))), _EVERY_KIND)
    digest = b"\x01" * 32
    assert across.part_answers(digest, None, lambda: part) == part
    key = across._key((b"e", digest, ("library", b"x", "cat-cow"), (0, "/exercises/0")))
    across._kept().add(key, (exercise[0], across_runs._plain(exercise[1])))

    def worked_out_again():
        raise AssertionError("worked out again")

    for reader in (across, _in_a_new_run()):
        assert reader.part_answers(digest, None, worked_out_again) == part
        found = reader._kept().get(key)
        assert (found[0], across_runs._problems(found[1])) == exercise
        for problem, stored in zip(across_runs._problems(found[1]), exercise[1], strict=True):
            assert problem.__getstate__() == stored.__getstate__()
        if reader is across:
            across.kept._save()


def test_a_part_and_an_exercise_are_never_one_question(cache):
    # H1508: both kinds are kept in one file by one digest each (`_key`), the kind written
    # first: a part's question and an exercise's with the same rest are two questions.
    across = _in_a_new_run()
    across._salted()
    rest = b"\x02" * 16
    assert across._key((b"p", rest)) != across._key((b"e", rest))
    assert len(across._key((b"p", rest))) == 16
    across.part_answers(rest, None, lambda: {"SAFE013": _EVERY_KIND[:1]})
    assert across._kept().get(across._key((b"e", rest))) is UNKNOWN


def test_a_first_runs_answers_about_exercises_are_held_packed_and_bounded(cache):
    # H1509: a first run of 100,000 files held the answers it added about parts and exercises
    # as a dictionary of objects until its end (two of them: about 300 bytes an answer, up to
    # 16,384 answers). They are held packed, about 20 bytes each, at most `MOST`: a run
    # adding three times as many holds no more, and keeps its first `MOST` for the next run.
    import tracemalloc

    across = _in_a_new_run()
    across._kept()
    found = (("SAFE013",), across_runs._plain(_EVERY_KIND[:1]))
    count = 3 * across_runs.MOST
    tracemalloc.start()
    try:
        for number in range(count):
            key = across._key((b"e", b"\x03" * 16, ("inline", number), (0, "/exercises/0")))
            across.kept.add(key, found if number % 50 == 0 else ())
        # What the answers' own modules hold, not the whole process's: a table elsewhere that
        # an earlier test of the same worker filled to its next resize (the test order is
        # random) grew the process's count past the bound once.
        held = sum(
            stat.size
            for stat in tracemalloc.take_snapshot()
            .filter_traces(
                [
                    tracemalloc.Filter(True, across_runs.__file__),
                    tracemalloc.Filter(True, digest_answers.__file__),
                    tracemalloc.Filter(True, cache_module.__file__),
                ]
            )
            .statistics("filename")
        )
    finally:
        tracemalloc.stop()
    assert 0 < held < 40 * across_runs.MOST, held
    across.kept._save()
    again = _in_a_new_run()._kept()
    keys = [
        across._key((b"e", b"\x03" * 16, ("inline", n), (0, "/exercises/0")))
        for n in (0, across_runs.MOST - 1, across_runs.MOST)
    ]
    assert [again.get(key) for key in keys] == [found, (), UNKNOWN]
