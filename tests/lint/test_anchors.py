"""Keys of a file's parts found again by the parts themselves (issue 17, `lint.anchors`): a key
is given again only for the very objects it was worked out from, an exercise built for one
file is keyed from that file's data every time, a file's own title is always read, and the
tables are bounded."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

from lint_helpers import TODAY, minimal

from protocol_kit.lint import anchors, base
from protocol_kit.lint.base import Context, RunMemo, exercises_key
from protocol_kit.model import build_exercise, build_protocol, origin_at, shared_exercise
from protocol_kit.shared_parts import PartTable, SharedParts


class Part:
    """An object standing for a part of a model."""


def _kept_by_a_table(*objects, limit=1000):
    """A part table that keeps `objects` as parts (each built twice, as `validate` keeps a
    part files have alike): the anchor tables keep keys only for objects such a table holds.
    The table must be kept alive by the caller."""
    table = PartTable(kept=limit, trial=limit)
    for number, value in enumerate(objects):
        for _ in range(2):
            table.part("part", "en", {"n": number}, lambda value=value: value)
    return table


def _counted():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_a_key_is_given_again_for_the_same_objects_only():
    context = Context(today=TODAY, memo=RunMemo())
    one, other = Part(), Part()
    table = _kept_by_a_table(one, other)
    calls, compute = _counted()
    first = anchors.anchored(context, "part", (one, "en"), compute)
    assert anchors.anchored(context, "part", (one, "en"), compute) == first  # came back
    assert anchors.anchored(context, "part", (one, "en"), compute) == first  # kept
    assert len(calls) == 1
    # Another object, or the same with another language: worked out.
    assert anchors.anchored(context, "part", (other, "en"), compute) == 2
    assert anchors.anchored(context, "part", (one, "fr"), compute) == 3
    # A language equal by value, though another string object, is the same key.
    assert anchors.anchored(context, "part", (one, "".join(["e", "n"])), compute) == first
    assert len(calls) == 3
    assert len(table) == 2


def test_the_tables_are_bounded(monkeypatch):
    monkeypatch.setattr(anchors, "KEPT", 4)
    monkeypatch.setattr(anchors, "TRIAL", 8)
    context = Context(today=TODAY, memo=RunMemo())
    parts = [Part() for _ in range(50)]
    table = _kept_by_a_table(*parts)
    for part in parts:
        for _ in range(2):  # each comes back once: kept
            anchors.anchored(context, "part", (part,), lambda: 0)
    kept, seen_once, _ = context.memo[("anchors", "part")]
    assert len(kept) == 4 and len(seen_once) <= 8
    # The last ones kept are found; the first were let go, and are worked out again.
    calls, compute = _counted()
    anchors.anchored(context, "part", (parts[-1],), compute)
    anchors.anchored(context, "part", (parts[0],), compute)
    assert len(calls) == 1
    assert len(table) == 50


def test_a_part_no_table_keeps_is_never_kept():
    """A part built once (or outside `validate`'s sharing) is never met again: its key is
    worked out and not kept, so the table does not hold the part (issue 17)."""
    context = Context(today=TODAY, memo=RunMemo())
    alone = Part()
    calls, compute = _counted()
    for _ in range(3):
        anchors.anchored(context, "part", (alone, "en"), compute)
    assert len(calls) == 3
    kept, seen_once, _ = context.memo[("anchors", "part")]
    assert not kept and not seen_once


def test_keys_go_when_the_part_tables_let_go_of_their_objects(monkeypatch):
    """Once the part tables have let go of a part, the anchor tables let go of its keys and
    of the part with them, at the latest `LOOK_AFTER` parts later (issue 17): before, they
    held up to `KEPT` parts that no file could have any more."""
    monkeypatch.setattr(anchors, "LOOK_AFTER", 4)
    context = Context(today=TODAY, memo=RunMemo())
    table = PartTable(kept=3, trial=1000)
    parts = []
    for number in range(20):
        for _ in range(2):  # built twice: kept by the part table
            part = table.part("part", "en", {"n": number}, Part)
        parts.append(part)
        for _ in range(2):  # comes back: kept by the anchor table too
            anchors.anchored(context, "part", (part, "en"), lambda number=number: number)
    kept, seen_once, _ = context.memo[("anchors", "part")]
    held = [part for part in parts if any(part in entry[0] for entry in kept.values())]
    # The part table keeps the last 3; the anchor table at most those and the few let go
    # since it last looked.
    assert parts[-1] in held and len(held) <= 3 + 4
    assert parts[0] not in held
    # What it keeps is still given again for the same objects.
    assert anchors.anchored(context, "part", (parts[-1], "en"), lambda: -1) == 19


def _protocol(data, exercise):
    return build_protocol(data, "p.json", (exercise,))


def test_an_exercise_built_for_one_file_is_keyed_from_its_data_each_time():
    """The same exercise object linted under other data (a model built for one file, used
    again): its key is that data's, never the first one's."""
    data = minimal()
    exercise = build_exercise(data["exercises"][0], "en", origin_at("p.json", "/exercises/0"))
    changed = copy.deepcopy(data)
    changed["exercises"][0]["steps"][0] = "Arch your back slowly."
    memo = RunMemo()
    keys = [
        exercises_key(_protocol(d, exercise), Context(today=TODAY, memo=memo, data=d))
        for d in (data, data, changed, changed)
    ]
    assert keys[0] == keys[1] and keys[2] == keys[3] and keys[0] != keys[2]


def test_an_exercise_files_share_keeps_its_key():
    """An exercise `validate` shares between files (its place names no file) is built only from
    equal data: its key is worked out for the first files that have it, then given again."""
    data = minimal()
    exercise = shared_exercise(data["exercises"][0], "en", 0)
    table = _kept_by_a_table(exercise)
    memo = RunMemo()
    written = []
    real = base.exercise_key

    def counting(*args):
        written.append(1)
        return real(*args)

    keys = []
    for _ in range(4):
        context = Context(today=TODAY, memo=memo, data=data)
        base.exercise_key, saved = counting, base.exercise_key
        try:
            keys.append(exercises_key(_protocol(data, exercise), context))
        finally:
            base.exercise_key = saved
    assert len(set(keys)) == 1
    assert len(written) == 1
    assert len(table) == 1


def test_a_files_own_title_is_read_though_the_rest_is_shared(monkeypatch):
    """Files with the same safety, delivery and summary (the same objects, as `validate` shares
    them) but their own titles: a search that finds something only in one title is found
    there, and only there."""
    monkeypatch.setattr(base, "_TEXT_CHECKS", list(base._TEXT_CHECKS))
    bit = base.text_check(lambda value, language: "Zebra" in value)
    shared = SharedParts()
    memo = RunMemo()
    found = []
    for title in ("Back basics", "Back basics 2", "Zebra back basics", "Back basics 3"):
        data = minimal()
        data["title"] = title
        protocol = build_protocol(data, "p.json", (), shared)
        context = Context(today=TODAY, memo=memo, data=data)
        found.append(base.texts_may_hold(protocol, context, bit))
        found.append(protocol.safety)
    assert found[0::2] == [False, False, True, False]
    assert found[3] is found[5] is found[7]  # the rest was shared


def git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def _repository_and_plain_folder(tmp_path: Path) -> tuple[Path, Path]:
    """A git repository with protocol.json committed at version 1.0.0, and a folder beside it
    that is no repository."""
    inside, outside = tmp_path / "repo", tmp_path / "plain"
    inside.mkdir()
    outside.mkdir()
    git(inside, "init", "-q")
    git(inside, "config", "user.email", "t@example.org")
    git(inside, "config", "user.name", "T")
    (inside / "protocol.json").write_text('{"version": "1.0.0"}')
    git(inside, "add", "protocol.json")
    git(inside, "commit", "-qm", "first")
    return inside, outside


def test_a_file_is_looked_for_in_the_repository_of_the_folder_it_is_named_from(
    tmp_path, monkeypatch
):
    """GOV004's history finds a file's repository once per folder as named and per working
    folder: the same relative name from another working folder is another file. A history
    is made for each run, in the run's working folder (H1455)."""
    from protocol_kit.lint import history

    inside, outside = _repository_and_plain_folder(tmp_path)
    (outside / "protocol.json").write_text('{"version": "1.0.0"}')
    monkeypatch.chdir(inside)
    assert history.GitHistory().previous("protocol.json", "HEAD") == {"version": "1.0.0"}
    monkeypatch.chdir(outside)
    assert history.GitHistory().previous("protocol.json", "HEAD") is None
    monkeypatch.chdir(inside)
    assert history.GitHistory().previous("protocol.json", "HEAD") == {"version": "1.0.0"}


def test_a_history_names_files_from_the_working_folder_it_was_made_in(tmp_path, monkeypatch):
    """The working folder is read once, when the run's history is made, not for each file
    (a `getcwd` a file was 40 % of `previous`: H1455). That is the same answer only because
    nothing in a run changes the working folder: `test_protokit_never_changes_the_working_
    folder` holds that."""
    from protocol_kit.lint import history

    inside, outside = _repository_and_plain_folder(tmp_path)
    monkeypatch.chdir(inside)
    reader = history.GitHistory()
    monkeypatch.chdir(outside)
    assert reader.previous("protocol.json", "HEAD") == {"version": "1.0.0"}


def test_protokit_never_changes_the_working_folder():
    """GOV004's history reads the working folder once a run (H1455): a run that changed it
    would name its later files from the wrong folder. No module of the toolkit calls
    `chdir` (nor `fchdir`), so none can."""
    import re
    from pathlib import Path

    import protocol_kit

    package = Path(protocol_kit.__file__).parent
    calls = re.compile(r"\b(?:f?chdir)\s*\(")
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if calls.search(line)
    ]
    assert found == []
