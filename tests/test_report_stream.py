"""`protokit validate` writes its report while the files are checked (issue 17: memory flat from
1,000 to 100,000 files): every format must read, byte for byte, as the report of the whole run
written at its end (what `validate` printed before), with the same summary and exit status; a
run that stops leaves no report, half-written or not."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from conftest import PROTOCOLS, REPO, run_protokit
from protocol_kit.app import check
from protocol_kit.app.path_list import PathList
from protocol_kit.findings import FileReport, Finding, RunReport, RunTally, Severity
from protocol_kit.report import FORMATS, REPORTERS, ReportContext, report_stream, summary_line

MISSING = Finding("nowhere.json", "IO001", "no such file or folder")


def _files() -> list[FileReport]:
    error = Finding("b.json", "SCHEMA001", "missing 'title'", pointer="", line=1, column=1)
    warning = Finding("d.json", "DOSE001", 'many "sets"\nnext', Severity.WARNING, "/x", 3, 5)
    unread = Finding("f\udcff.json", "IO001", "cannot read: permission denied")
    return [
        FileReport("a.json", "protocol", seconds=0.25),
        FileReport("b.json", "protocol", [error], seconds=0.5, rules_waiting=True),
        FileReport("c é.json", "exercise", seconds=0.125),
        FileReport("d.json", "protocol", [warning], seconds=0.75),
        FileReport("e.json", None, seconds=1.0),
        FileReport("f\udcff.json", None, [unread], seconds=0.0),
    ]


def _counted(files: Iterable[FileReport], tally: RunTally, seconds: float) -> Iterator[FileReport]:
    # What `check.each_report` does: each file counted as it is given, the time at the end.
    for file in files:
        tally.add(file)
        yield file
    tally.seconds = seconds


RUNS = [
    RunReport(_files(), seconds=2.5),
    RunReport(_files(), warnings_as_errors=True, path_errors=[MISSING], seconds=1.0),
    RunReport(_files()[:1] + _files()[2:3], seconds=0.5),  # all valid
    RunReport([], path_errors=[MISSING, MISSING], seconds=0.1),  # nothing checked
]


@pytest.mark.parametrize("report_format", FORMATS)
@pytest.mark.parametrize("run", RUNS, ids=["findings", "strict", "valid", "none"])
def test_each_format_streamed_is_the_whole_report(report_format, run):
    context = ReportContext(rule_summaries={"DOSE001": "a dose"})
    whole = REPORTERS[report_format](run, context)
    tally = RunTally(run.warnings_as_errors, run.path_errors)
    files = _counted(iter(run.files), tally, run.seconds)
    streamed = "".join(report_stream(report_format, files, tally, context))
    assert streamed == whole
    assert tally == run.tally()
    assert summary_line(tally) == summary_line(run)
    assert tally.exit_code == run.exit_code


def test_the_exit_status_and_summary_from_the_counts():
    tally = RunReport(_files()).tally()
    assert (tally.files, tally.failed, tally.errors, tally.warnings) == (6, 2, 2, 1)
    assert tally.rules_waiting == 1 and tally.exit_code == 2  # f.json could not be read
    assert RunReport(_files()[:4]).exit_code == 1
    assert RunReport(_files()[3:5]).exit_code == 0
    assert RunReport(_files()[3:5], warnings_as_errors=True).exit_code == 1


def test_the_text_report_is_written_as_the_files_are_checked():
    tally = RunTally()
    given: list[str] = []

    def files() -> Iterator[FileReport]:
        for file in _files()[:4]:
            given.append(file.path)
            tally.add(file)
            yield file

    pieces = report_stream("text", files(), tally, ReportContext())
    first = next(iter(pieces))
    # b.json's line is out before c.json and d.json are checked.
    assert first.startswith("b.json:1:1: error SCHEMA001") and given == ["a.json", "b.json"]


def test_the_path_list_reads_as_the_list_of_paths():
    paths = ["protocols/a.json", "é/b.json", "", "-", "x\udcff.json"]
    found = PathList(paths)
    assert found == paths and list(found) == paths and len(found) == 5
    assert found[1] == "é/b.json" and found[-1] == "x\udcff.json" and found[2] == ""
    assert found[1:4] == paths[1:4] and found[::2] == paths[::2]
    assert "-" in found and "c.json" not in found
    with pytest.raises(IndexError):
        found[5]
    assert PathList() == [] and not PathList()


def test_the_path_list_keeps_each_folder_once_and_gives_every_path_back():
    # Paths in runs of one folder, folders met again later, names across the pieces the
    # names are joined in (4,096 a piece), a path that is only a folder or only a name.
    folders = ["protocols/", "protocols/library/", "", "/abs/é/", "a//b/", "protocols/"]
    paths = [f"{folders[i // 1500]}{i:05d}.json" for i in range(9000)]
    paths[4095:4098] = ["only/folder/", "bare", "protocols/library/x.json"]
    found = PathList(iter(paths))
    assert list(found) == paths and len(found) == len(paths)
    assert [found[i] for i in (0, 4095, 4096, 4097, 8191, 8192, 8999, -1)] == [
        paths[i] for i in (0, 4095, 4096, 4097, 8191, 8192, 8999, -1)
    ]
    assert found[4090:4200:3] == paths[4090:4200:3] and found[::-1] == paths[::-1]
    # The folder part is held once for a run of paths in it, not once a path; the full
    # pieces' names and ends are held packed, in a few bytes a path (about 14 unpacked).
    assert len(found._run_folders) == 10 and len(found._packed) == 2
    assert sum(len(names) + len(ends) for names, ends in found._packed) < 4 * 8192


def test_a_walk_kept_a_folder_at_a_time_is_the_walk_one_path_at_a_time(tmp_path, monkeypatch):
    # `validate` keeps a walk's paths as the folders give them (a folder's part and its
    # names, `PathList.of_runs`), not cut again one path at a time: the same paths in the
    # same order, a folder's run across the pieces the names are joined in (4,096 a piece),
    # files named on their own, and what the exclude patterns leave.
    runs = [("protocols/", [f"{i:05d}.json" for i in range(4090)]), ("a/", ["x.json"])]
    runs += [("b/", []), ("protocols/", [f"{i:05d}.json" for i in range(4090, 8200)])]
    runs.append(("", ["-"]))
    found = PathList.of_runs(iter(runs))
    paths = [folder + name for folder, names in runs for name in names]
    assert found == PathList(paths) == paths and len(found) == 8202
    assert found[4095:4097] == paths[4095:4097] and found[-1] == "-"
    assert len(found._run_folders) == 4 and len(found._packed) == 2
    for name in ("b/z.json", "b/c/y.json", "b/.h/w.json", "top.json", "b/drafts/d.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    drafts = (str(tmp_path / "b" / "drafts"),)
    for named, exclude in (([".", "top.json", "b/c/y.json"], ()), (["b", "./b/"], drafts)):
        one_at_a_time = list(check.each_path(named, exclude))
        assert list(PathList.of_runs(check.each_run(named, exclude))) == one_at_a_time
    assert one_at_a_time == ["b/z.json", "b/c/y.json", "b/z.json", "b/c/y.json"]


def test_the_path_list_gives_back_names_the_file_system_could_not_decode():
    # Undecodable bytes come as lone surrogates (os.fsdecode): packed and read back whole,
    # in a full piece (packed) and in the last one (not).
    odd = ["protocols/x\udcff\udc80.json", "é/ü.json", "\ud800", "-", "a/b"]
    paths = [odd[i % 5] + str(i) for i in range(4096 + 7)]
    found = PathList(paths)
    assert list(found) == paths and found[::-1] == paths[::-1] and found[4100] == paths[4100]


def test_a_folder_walk_names_each_file_as_its_path_normalised(tmp_path, monkeypatch):
    # The folder's part of each name is normalised once a folder: each name must still be
    # `os.path.normpath(os.path.join(root, name))`, however the folder was written.
    import os

    from protocol_kit.untrusted.files import names_under

    for name in ("a/b/x.json", "a/y.json", "a/.h/z.json", "top.json", "a/b/note.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    spellings = (".", "./", "a", "a/", "./a/./b/..", "a//b", str(tmp_path), "../" + tmp_path.name)
    for folder in spellings:
        expected = [
            os.path.normpath(os.path.join(root, name))
            for root, _, names in sorted(os.walk(folder))
            for name in sorted(names)
            if name.endswith(".json") and "/.h" not in os.path.join(root, name)
        ]
        found = list(names_under(folder, ".json", lambda d: not d.startswith(".")))
        assert sorted(found) == sorted(expected), folder
        assert "top.json" in found if folder in (".", "./") else True


def test_chunks_shrink_to_the_end_of_a_run_and_cover_it_in_order():
    # Large chunks first, small ones last, so that the workers end together;
    # a bundle's chunks of a protocol's bytes stay at their size.
    def sizes(count, start, jobs, most):
        tasks = list(check._chunks(len, list(range(count)), start, jobs, most))
        assert [item for _, items in tasks for item in items] == list(range(start, count))
        return [len(items) for _, items in tasks]

    run = sizes(10_500, 128, 2, 256)
    assert run[0] == 256 and max(run) == 256 and run == sorted(run, reverse=True)
    assert run[-2:] == [16, 16] or run[-1] < 16
    assert sum(run[-4:]) < 80  # the last four chunks: a few ms of work
    assert set(sizes(1_000, 8, 2, check.BYTES_CHUNK)[:-1]) == {check.BYTES_CHUNK}


def _corpus(folder: Path) -> list[str]:
    """The repository's protocols and files that fail in every way a run reports."""
    (folder / "broken.json").write_text('{"title": "no end"', encoding="utf-8")
    (folder / "schema.json").write_text(
        '{"$schema": "https://schemas.protocol-kit.org/protocol/v1.json", "title": "TODO"}',
        encoding="utf-8",
    )
    (folder / "empty.json").write_text("", encoding="utf-8")
    return [str(PROTOCOLS), str(folder), str(folder / "missing.json")]


@pytest.mark.parametrize("report_format", FORMATS)
@pytest.mark.parametrize("strict", [False, True], ids=["", "strict"])
def test_validate_writes_what_the_whole_run_reports(tmp_path, monkeypatch, report_format, strict):
    from protocol_kit.cli.validate_run import lint_settings, validate_args
    from protocol_kit.config import load_config
    from protocol_kit.lint.engine import Linter
    from protocol_kit.loading import Limits

    paths = _corpus(tmp_path)
    extra = ["--warnings-as-errors"] if strict else []
    out = tmp_path / "out" / "report"
    out.parent.mkdir()
    shown = run_protokit("validate", "-f", report_format, *extra, *paths, cwd=REPO)
    written = run_protokit(
        "validate", "-f", report_format, *extra, "-o", str(out), *paths, cwd=REPO
    )

    # The same run as `validate` made it before it wrote while checking: every file checked
    # into a report of the whole run, then that report written.
    args = validate_args(tuple(paths), report_format, warnings_as_errors=strict)
    monkeypatch.chdir(REPO)
    config = load_config(None)
    settings, warnings_as_errors = lint_settings(args, config)
    linter = Linter(settings)
    linter.expect(args.paths)
    options = check.configured_check_options(
        config, limits=Limits(args.max_bytes, args.max_depth, raisable=True), hooks=(linter,)
    )
    run = check.check_paths(args.paths, options, keep_going=True)
    run.warnings_as_errors = warnings_as_errors
    from protocol_kit.lint.registry import rule_summaries

    whole = REPORTERS[report_format](run, ReportContext(rule_summaries=rule_summaries()))

    assert run.files and run.path_errors and run.failed_files  # the report says something
    assert _timeless(shown.stdout) == _timeless(whole)
    assert _timeless(out.read_text(encoding="utf-8")) == _timeless(whole)
    assert shown.code == written.code == run.exit_code == 2
    assert summary_line(run) in shown.stderr and summary_line(run) in written.stderr


def _timeless(text: str) -> str:
    return re.sub(r'time="[0-9.]+"', 'time=""', text)  # JUnit's seconds differ run to run


@pytest.mark.parametrize("report_format", ["text", "json"])
def test_a_run_that_stops_leaves_the_earlier_report(tmp_path, monkeypatch, report_format):
    from protocol_kit.cli.validate_run import execute, validate_args

    out = tmp_path / "report"
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "no end"', encoding="utf-8")
    before = run_protokit("validate", "-f", report_format, "-o", str(out), str(broken), cwd=REPO)
    earlier = out.read_bytes()
    assert before.code == 1 and b"broken.json" in earlier
    checking = check.FileChecker.check
    seen: list[str] = []

    def stops(self, path):
        seen.append(path)
        if len(seen) == 3:
            raise RuntimeError("the machine went away")
        return checking(self, path)

    monkeypatch.setattr(check.FileChecker, "check", stops)
    monkeypatch.chdir(REPO)
    args = validate_args((str(PROTOCOLS),), report_format, output=str(out), jobs=1)
    with pytest.raises(RuntimeError):
        execute(args)
    assert len(seen) == 3  # it stopped while checking, after a report was begun
    assert out.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "broken.json",
        "report",
    ]  # no temporary file left
