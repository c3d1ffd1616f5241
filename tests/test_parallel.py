"""Large runs are spread over worker processes: the report must be the one a single process
gives, file for file and in the same order, lint hooks included."""

from __future__ import annotations

import pickle

from test_engine_agreement import corpus_module

from protocol_kit.app.check import PARALLEL_THRESHOLD, CheckOptions, check_paths
from protocol_kit.findings import Finding, Severity


def note_protocol_id(protocol, document):
    """A stand-in lint hook: one warning naming the protocol, so that its findings show."""
    yield Finding(document.name, "TST001", f"saw {protocol.id}", Severity.WARNING, "/id")


def test_workers_give_the_report_of_one_process(tmp_path):
    corpus = corpus_module.generate(tmp_path / "corpus", PARALLEL_THRESHOLD, 27, seed=11)
    paths = [str(corpus.root / "protocols")]
    options = CheckOptions(hooks=(note_protocol_id,))
    pickle.dumps(options)  # workers started by spawn or forkserver receive it pickled
    parallel = check_paths(paths, CheckOptions(hooks=options.hooks, jobs=2))
    single = check_paths(paths, CheckOptions(hooks=options.hooks, jobs=1))
    assert parallel.files == single.files
    assert len(parallel.files) == len(corpus.protocols)
    hooked = [f for f in parallel.findings() if f.code == "TST001"]
    # Every schema-valid protocol without reference or translation problems reaches the hook.
    assert len(hooked) == len(corpus.valid)
    assert all(f.line is not None for f in hooked)  # located in the file, like every finding


def test_jobs_never_start_more_workers_than_cores_or_items(monkeypatch):
    """`--jobs 100000` on a 2-core machine starts two workers, not a hundred thousand
    processes that exhaust its memory; 0 still means one per core."""
    from protocol_kit.app import workers

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    assert workers.worker_count(100_000, 5_000) == 2
    assert workers.worker_count(0, 5_000) == 2
    assert workers.worker_count(1, 5_000) == 1
    assert workers.worker_count(8, 1) == 1


def test_a_huge_jobs_value_checks_like_one_process(tmp_path):
    corpus = corpus_module.generate(tmp_path / "corpus", PARALLEL_THRESHOLD, 3, seed=5)
    paths = [str(corpus.root / "protocols")]
    many = check_paths(paths, CheckOptions(jobs=100_000))
    single = check_paths(paths, CheckOptions(jobs=1))
    assert many.files == single.files


def _where_checked(checker, item):
    import os

    return os.getpid(), id(checker), item


def test_forked_workers_start_from_the_checker_the_parent_warmed(monkeypatch):
    # The first files load what every later one uses (schemas compiled, the lint's data):
    # the parent checks them, and workers forked from it go on with that same checker rather
    # than loading it all again, once each.
    import multiprocessing
    import os

    import pytest

    from protocol_kit.app import workers
    from protocol_kit.app.check import map_with_checker

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)  # two workers on any machine

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers share the parent's checker only when they are forked")
    items = list(range(PARALLEL_THRESHOLD))
    results = list(map_with_checker(_where_checked, items, CheckOptions(jobs=2)))
    assert [item for _, _, item in results] == items
    here = [item for pid, _, item in results if pid == os.getpid()]
    assert here and here == items[: len(here)] and len(here) < len(items)
    assert len({checker for _, checker, _ in results}) == 1


def test_the_parent_of_a_large_run_warms_more_files_but_a_small_share(monkeypatch):
    # After 8 files each worker of a large run worked out again, from its own first files,
    # what later files share (the lint's answers about repeated texts, the parts kept): the
    # parent checks more of a large run first, which every forked worker then starts with,
    # but never more than a small share of the run, while the other cores wait.
    import multiprocessing
    import os

    import pytest

    from protocol_kit.app import workers
    from protocol_kit.app.check import (
        WARM_ITEMS,
        WARM_ITEMS_AT_MOST,
        WARM_SHARE,
        map_with_checker,
    )

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers share the parent's checker only when they are forked")
    for count in (PARALLEL_THRESHOLD, 40 * WARM_SHARE, (WARM_ITEMS_AT_MOST + 8) * WARM_SHARE):
        items = list(range(count))
        results = list(map_with_checker(_where_checked, items, CheckOptions(jobs=2)))
        assert [item for _, _, item in results] == items
        here = [item for pid, _, item in results if pid == os.getpid()]
        assert here == items[: len(here)]
        assert len(here) == min(WARM_ITEMS_AT_MOST, max(WARM_ITEMS, count // WARM_SHARE))
    assert len(here) == WARM_ITEMS_AT_MOST > WARM_ITEMS


def _fast_validators_at_start(checker, item):
    import os

    return os.getpid(), sorted(checker.schemas._fast), item


def test_forked_workers_start_with_the_schema_engine_the_parent_built(monkeypatch):
    # The parent's first files may all pass by verdicts kept from an earlier run, so that it
    # never builds the schema engine: it builds the validators every worker needs before it
    # starts them, rather than each worker building its own. Here nothing is checked at all,
    # so a worker has them only from the parent.
    import multiprocessing
    import os

    import pytest

    from protocol_kit.app import workers
    from protocol_kit.app.check import map_with_checker

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers share the parent's checker only when they are forked")
    items = list(range(PARALLEL_THRESHOLD))
    results = list(map_with_checker(_fast_validators_at_start, items, CheckOptions(jobs=2)))
    in_workers = [kinds for pid, kinds, _ in results if pid != os.getpid()]
    assert in_workers and all(kinds == ["exercise", "protocol"] for kinds in in_workers)


def _quick_reader_at_start(checker, item):
    import os

    from protocol_kit import loading

    return os.getpid(), loading._quick_read["read"] is not None, item


def test_workers_of_a_large_run_read_their_first_files_the_quicker_way(monkeypatch):
    # Each worker counted the files it parsed itself and read its first few hundred the
    # slower way, then imported orjson: a run on two cores paid that twice. The parent of a
    # run of that many files imports the quicker reader before it forks them; a smaller run
    # never imports it (one file stays quick to start).
    import multiprocessing
    import os

    import pytest

    from protocol_kit import loading
    from protocol_kit.app import workers
    from protocol_kit.app.check import map_with_checker

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers share the parent's modules only when they are forked")
    monkeypatch.setattr(loading, "_quick_read", {"parsed": 0, "read": None})
    small = list(range(PARALLEL_THRESHOLD))
    assert not any(
        quick
        for _, quick, _ in map_with_checker(_quick_reader_at_start, small, CheckOptions(jobs=2))
    )
    large = list(range(loading.QUICK_READ_AFTER))
    results = list(map_with_checker(_quick_reader_at_start, large, CheckOptions(jobs=2)))
    assert {pid for pid, _, _ in results} - {os.getpid()}  # workers did check files
    assert all(quick for _, quick, _ in results)


_PARENT = __import__("os").getpid()


def _ends_in_a_worker(checker, item):
    import os

    if os.getpid() != _PARENT:
        os._exit(9)  # as the system's out-of-memory killer leaves it: no exception, no word
    return item


def test_a_worker_killed_midway_is_one_error_not_an_internal_one(monkeypatch):
    import multiprocessing

    import pytest

    from protocol_kit.app import workers
    from protocol_kit.app.check import WORKER_LOST, map_with_checker
    from protocol_kit.errors import ProtokitError

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the test's worker function is found by fork")
    items = list(range(PARALLEL_THRESHOLD))
    with pytest.raises(ProtokitError) as raised:
        list(map_with_checker(_ends_in_a_worker, items, CheckOptions(jobs=2)))
    assert str(raised.value) == WORKER_LOST


def test_an_interrupted_run_cancels_nothing_from_its_own_thread_and_ends_every_worker(
    monkeypatch,
):
    """H1280: Ctrl-C or SIGTERM while the run waits for results. The futures not begun were
    cancelled from the run's thread while the pool's own thread, seeing its workers ended by
    the same signal, marked each of them broken: `InvalidStateError`, a traceback printed
    under `protokit: terminated` (3 of 8 `kill -TERM -PGID` of a 2,100-file run). Now the
    pool's thread cancels them (`cancel_futures`), and the workers are ended, not waited for."""
    import multiprocessing
    import threading
    from concurrent.futures import Future

    import pytest

    from protocol_kit.app import workers
    from protocol_kit.app.check import map_with_checker, warm_items

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the test's worker function is found by fork")
    cancelled_here: list[Future] = []
    cancel = Future.cancel

    def noted_cancel(future: Future) -> bool:
        if threading.current_thread() is threading.main_thread():
            cancelled_here.append(future)
        return cancel(future)

    monkeypatch.setattr(Future, "cancel", noted_cancel)
    items = list(range(4_000))  # more chunks than are given to the pool at once
    results = map_with_checker(_where_checked, items, CheckOptions(jobs=2))
    for _ in range(warm_items(len(items)) + 1):  # the last one from a worker
        next(results)
    with pytest.raises(KeyboardInterrupt):
        results.throw(KeyboardInterrupt)
    assert cancelled_here == []
    assert multiprocessing.active_children() == []


def _interrupted_in_a_worker(checker, item):
    import os
    import signal

    if os.getpid() != _PARENT and item % 500 == 0:
        os.kill(os.getpid(), signal.SIGINT)  # the terminal's Ctrl-C, as this worker gets it
    return item


def test_a_ctrl_c_in_a_worker_is_the_runs_to_handle(monkeypatch):
    """H1418: Ctrl-C reaches every process of the run. A worker that raised its own
    KeyboardInterrupt while it waited for work or saved its kept answers at its end printed
    "Process ForkProcess-1: Traceback ... KeyboardInterrupt" under "protokit: interrupted"
    (1 in 12 group Ctrl-Cs of a 215-protocol `build --jobs 2`). Now a worker leaves Ctrl-C
    to the run, which ends its workers (`stop_workers`); here the run, never interrupted
    itself, gets every result."""
    import multiprocessing

    import pytest

    from protocol_kit.app import workers
    from protocol_kit.app.check import map_with_checker

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the test's worker function is found by fork")
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    items = list(range(3_000))
    try:
        results = list(map_with_checker(_interrupted_in_a_worker, items, CheckOptions(jobs=2)))
    except KeyboardInterrupt:
        pytest.fail("a worker's own KeyboardInterrupt reached the run")
    assert results == items


def _interrupt_handler_of_a_sheet_worker(answer) -> None:  # noqa: ANN001
    import signal

    from protocol_kit.app import build

    build._start_pool_worker(None, {})
    answer.send(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)


def test_a_sheet_worker_leaves_ctrl_c_to_the_build(monkeypatch):
    """H1418, for `build`'s pool of sheet makers (a build of one process keeps Ctrl-C)."""
    import multiprocessing
    import signal

    from protocol_kit.app import build

    monkeypatch.setattr(build, "_start_worker", lambda options, checked: None)
    # (compared with what this process had: a test run started in the background of a
    # non-interactive shell inherits Ctrl-C ignored, and the run's own handler is kept as is)
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        context = multiprocessing.get_context("fork")
        answer, sent = context.Pipe(duplex=False)
        worker = context.Process(target=_interrupt_handler_of_a_sheet_worker, args=(sent,))
        worker.start()
        assert answer.recv() is True
        worker.join()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, before)


def _sleeps(seconds: float) -> float:
    import time

    time.sleep(seconds)
    return seconds


def test_a_stopped_pool_has_closed_what_the_interpreter_exit_wakes(monkeypatch):
    """H1417: after an interrupted `build`, "Exception ignored in: <module 'threading'>" and an
    OSError's traceback (EBADF, from `thread_wakeup.wakeup()` in CPython's `_python_exit`)
    under `protokit: interrupted`, once in 13 group Ctrl-Cs (1 in 40 of a script that stops a
    pool and exits at once): the run stopped its pool and exited while the pool's thread was
    still closing its wake-up pipe, which the exit writes to without the pool's lock. Now
    `stop_workers` waits (bounded) for that thread to end. Made certain here by a pool's thread
    slower to close than the workers are to end."""
    import multiprocessing
    import time
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures import process as pool_module

    import pytest

    from protocol_kit.app.workers import stop_workers

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the test's worker function is found by fork")
    closing = pool_module._ExecutorManagerThread.join_executor_internals

    def slow_closing(self):  # noqa: ANN001, ANN202
        time.sleep(0.5)
        return closing(self)

    monkeypatch.setattr(pool_module._ExecutorManagerThread, "join_executor_internals", slow_closing)
    pool = ProcessPoolExecutor(2)
    futures = [pool.submit(_sleeps, 30) for _ in range(4)]
    while not any(future.running() for future in futures):
        time.sleep(0.01)
    manager = pool._executor_manager_thread
    wakeup = pool._executor_manager_thread_wakeup
    stop_workers(pool)
    assert not manager.is_alive() and wakeup._closed
    assert multiprocessing.active_children() == []


def test_a_worker_killed_while_it_sends_its_results_ends_the_run_with_one_error():
    """H1281: a worker the system kills while it writes a chunk's results into the pipe leaves
    half a message there; the pool's own thread waited for the rest for ever, and the run with
    it (no word, no end; also after a SIGTERM, its exit joined that thread). Now the run looks
    whether its workers live while it waits, says the one line a lost worker gets, and closes
    its end of the pipe so that the pool's thread ends. A process of its own: the hang
    without the fix must not be the suite's."""
    import multiprocessing
    import subprocess
    import sys
    import textwrap

    import pytest

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the script's worker function is found by fork")
    script = textwrap.dedent(
        """
        import os, signal, struct, sys
        from protocol_kit.app import workers
        from protocol_kit.app.check import (
            PARALLEL_THRESHOLD, WORKER_LOST, CheckOptions, map_with_checker)
        from protocol_kit.errors import ProtokitError

        PARENT = os.getpid()

        def half_sent(checker, item):
            if os.getpid() != PARENT:
                frame = sys._getframe()
                while frame.f_code.co_name != "_process_worker":
                    frame = frame.f_back
                writer = frame.f_locals["result_queue"]._writer
                # A message's length, and only the start of the message.
                os.write(writer.fileno(), struct.pack("!i", 1 << 20) + b"half")
                os.kill(os.getpid(), signal.SIGKILL)
            return item

        workers.os.cpu_count = lambda: 2
        try:
            list(map_with_checker(half_sent, list(range(PARALLEL_THRESHOLD)),
                                  CheckOptions(jobs=2)))
        except ProtokitError as error:
            print("lost" if str(error) == WORKER_LOST else error)
        """
    )
    ended = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert (ended.stdout, ended.stderr, ended.returncode) == ("lost\n", "", 0)


def _sheet_ends_in_a_worker(path, output):
    import os

    if os.getpid() != _PARENT:
        os._exit(9)  # as the system's out-of-memory killer leaves it
    return path, None, ()


def test_a_worker_killed_while_it_makes_sheets_is_one_error_not_an_internal_one(
    monkeypatch, tmp_path
):
    """H1282: `protokit build` of 200 protocols or more makes its sheets on worker processes;
    one the system killed ended the build in `internal error: BrokenProcessPool`. Now the one
    line a lost worker gets, and the other workers ended."""
    import multiprocessing

    import pytest

    from protocol_kit.app import build, workers
    from protocol_kit.errors import ProtokitError

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the test's worker function is found by fork")
    monkeypatch.setattr(build, "_render_one", _sheet_ends_in_a_worker)
    tasks = {f"p{number}.json": tmp_path / f"p{number}.pdf" for number in range(250)}
    with pytest.raises(ProtokitError) as raised:
        build._render_all(tasks, build.BuildOptions(tmp_path, jobs=2), None, {})
    assert str(raised.value) == build.SHEET_WORKER_LOST
    assert multiprocessing.active_children() == []


def _young_threshold(checker, item):
    import gc
    import os

    return os.getpid(), gc.get_threshold()[0], item


def test_a_large_run_collects_less_often_in_every_process_and_restores_the_collector(
    monkeypatch,
):
    # Each worker of a first run spent ~45 ms of CPU in young collections that went over the
    # tables it was filling (issue 17): a large run's young collections are further apart,
    # in the run's process and in the workers forked from it, and the collector is as it was
    # once the run ends; a small run leaves it alone.
    import gc
    import os

    from protocol_kit.app import workers
    from protocol_kit.app.check import map_with_checker
    from protocol_kit.app.collector import RUN_YOUNG

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    before = gc.get_threshold()
    gc.set_threshold(700, *before[1:])
    try:
        for jobs in (2, 1):
            items = list(range(PARALLEL_THRESHOLD))
            results = list(map_with_checker(_young_threshold, items, CheckOptions(jobs=jobs)))
            assert [item for _, _, item in results] == items
            assert {young for _, young, _ in results} == {RUN_YOUNG}
            if jobs == 2:
                assert {pid for pid, _, _ in results} - {os.getpid()}  # workers answered
            assert gc.get_threshold()[0] == 700
        small = list(map_with_checker(_young_threshold, [1, 2], CheckOptions(jobs=2)))
        assert {young for _, young, _ in small} == {700}
    finally:
        gc.set_threshold(*before)
