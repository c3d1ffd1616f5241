"""A run keeps a full report only for the files with findings (issue 17: memory flat from 1,000
to 100,000 files); every report format must read the same as from a list of full reports, and
the workers' chunks are given out a few at a time, read in order."""

from __future__ import annotations

from concurrent.futures import Future

import pytest

from protocol_kit.app import check
from protocol_kit.app.file_reports import FileReports
from protocol_kit.findings import FileReport, Finding, RunReport, Severity
from protocol_kit.report import REPORTERS, ReportContext


def _reports() -> list[FileReport]:
    error = Finding("b.json", "SCHEMA001", "missing 'title'", pointer="", line=1, column=1)
    warning = Finding("d.json", "DOSE001", "many sets", Severity.WARNING, "/x", 3, 5)
    return [
        FileReport("a.json", "protocol", seconds=0.25),
        FileReport("b.json", "protocol", [error], seconds=0.5, rules_waiting=True),
        FileReport("c.json", "exercise", seconds=0.125),
        FileReport("d.json", "protocol", [warning], seconds=0.75),
        FileReport("e.json", None, seconds=1.0),
    ]


def _compact(reports: list[FileReport]) -> FileReports:
    compact = FileReports()
    for report in reports:
        if report.findings or report.rules_waiting:
            compact.append(report)
        else:
            compact.add_plain(report.path, report.kind, report.seconds)
    return compact


def test_the_compact_reports_read_as_the_list_of_full_ones():
    reports = _reports()
    compact = _compact(reports)
    assert len(compact) == 5
    assert list(compact) == reports
    assert compact == reports and reports == compact
    assert [r.seconds for r in compact] == [0.25, 0.5, 0.125, 0.75, 1.0]  # JUnit's times
    assert [r.kind for r in compact] == ["protocol", "protocol", "exercise", "protocol", None]
    assert compact[2] == reports[2] and compact[-1] == reports[-1]
    assert compact[1:4] == reports[1:4]
    with pytest.raises(IndexError):
        compact[5]
    # Only the two files with something to say are held whole.
    assert [r.path for r in compact.with_findings()] == ["b.json", "d.json"]
    assert compact != reports[:4]
    other = _reports()
    other[0] = FileReport("a.json", "exercise")
    assert compact != other


@pytest.mark.parametrize("name", list(REPORTERS))
def test_every_format_reads_the_same_from_compact_reports(name, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the SARIF and GitHub paths are relative to the project root
    context = ReportContext(rule_summaries={"DOSE001": "many sets"})
    for strict in (False, True):
        listed = RunReport(_reports(), warnings_as_errors=strict, seconds=2.0)
        compact = RunReport(_compact(_reports()), warnings_as_errors=strict, seconds=2.0)
        assert REPORTERS[name](compact, context) == REPORTERS[name](listed, context)
        assert compact.exit_code == listed.exit_code
        assert [r.path for r in compact.failed_files] == [r.path for r in listed.failed_files]


def test_a_run_holds_full_reports_only_for_files_with_findings(tmp_path):
    from test_engine_agreement import corpus_module

    corpus = corpus_module.generate(tmp_path / "corpus", check.PARALLEL_THRESHOLD, 12, seed=3)
    for jobs in (1, 2):
        report = check.check_paths([str(corpus.root / "protocols")], check.CheckOptions(jobs=jobs))
        assert isinstance(report.files, FileReports)
        assert len(report.files) == len(corpus.protocols)
        held = report.files.with_findings()
        assert held and all(r.findings or r.rules_waiting for r in held)
        assert {r.path for r in held} == {r.path for r in report.files if r.findings}


class _CountingPool:
    """Runs each chunk when submitted; counts the chunks given out and not yet read."""

    def __init__(self) -> None:
        self.given: list[Future] = []
        self.most_outstanding = 0

    def submit(self, function, task):
        future: Future = Future()
        future.add_done_callback(lambda _: None)
        future.set_result([len(task[1])])
        self.given.append(future)
        outstanding = sum(1 for f in self.given if not getattr(f, "read", False))
        self.most_outstanding = max(self.most_outstanding, outstanding)
        original = future.result

        def result(timeout=None):
            future.read = True
            return original(timeout)

        future.result = result
        return future


def test_chunks_are_given_out_a_few_ahead_and_read_in_order():
    pool = _CountingPool()
    tasks = ((None, list(range(size))) for size in range(1, 101))
    assert list(check._in_order(pool, tasks, ahead=4)) == list(range(1, 101))
    assert len(pool.given) == 100
    assert pool.most_outstanding == 4  # pool.map had given out all 100 at once


def test_a_finding_added_after_the_run_is_reported():
    """`build` adds a sheet that could not be made to its file's report, found by iterating
    the run's reports: the finding must fail the run and be printed, not be lost with a report
    made for the moment."""
    compact = _compact(_reports())
    report = RunReport(compact)
    by_path = {file.path: file for file in report.files}
    late = Finding("a.json", "PDF001", "sheets/a.pdf: exists and is not a PDF")
    by_path["a.json"].findings.append(late)
    assert [r.path for r in report.failed_files] == ["a.json", "b.json"]
    assert late in list(report.findings())
    assert "a.json: error PDF001" in REPORTERS["text"](report, ReportContext())
    assert compact[0].findings == [late]
    # Reading every file for a report format keeps nothing more than it found.
    assert len(list(compact.each())) == 5
