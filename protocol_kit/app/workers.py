"""The worker processes of a large run: how many it starts, how the run waits for their
results, and how it ends them when it stops before the last result."""

from __future__ import annotations

import os

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


def worker_count(requested: int, items: int) -> int:
    """`--jobs` as a run uses it: 0 means one per core, and never more processes than cores
    or items. The work is CPU-bound, so a worker beyond the cores gains nothing, and each one
    costs tens of megabytes: `--jobs 10000` must not start ten thousand processes."""
    cores = os.cpu_count() or 1
    return max(1, min(requested or cores, cores, items))


def leave_interrupts_to_the_run() -> None:
    """Called first in each worker of a pool (its initializer): Ctrl-C, which the terminal
    sends to every process of the run, is the run's to handle (it ends its workers,
    `stop_workers`). A worker raising its own KeyboardInterrupt while it waited for work, or
    while it saved its kept answers at its end (waiting for the cache folder's lock), printed
    "Process ForkProcess-1: Traceback ... KeyboardInterrupt" under "protokit: interrupted"
    (H1418). SIGTERM still ends a worker at once."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


# How long the run waits for a chunk's results before it looks whether every worker it has
# seen is still alive. A worker the system kills while it writes its results into the pipe
# leaves half a message there, and the pool's own thread then waits for the rest for ever
# (CPython's process pool notices a worker's end only between messages): the run hung with
# no word and no end (H1281). The look costs one `waitpid` a worker a second of waiting.
LOOK_AFTER_SECONDS = 1.0


# How long a stopped run waits for its pool's thread to end (`stop_workers`): it ends as soon
# as its workers have, well within this.
MANAGER_END_SECONDS = 5.0


class WorkersLost(Exception):
    """A worker of the run ended before the run's last result."""


class WorkerWatch:
    """The run's waits for results, each given up when a worker of `pool` has ended."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool
        self._seen: set[int] = set()
        self._looked = False

    def result(self, future: Any) -> Any:
        """`future.result()`; WorkersLost when a worker has ended meanwhile."""
        from concurrent.futures import TimeoutError as NotYet

        if not self._looked:
            self._looked = True
            self.lost()  # the workers the first tasks started, seen
        while True:
            try:
                return future.result(timeout=LOOK_AFTER_SECONDS)
            except NotYet:
                if self.lost():
                    raise WorkersLost from None

    def as_completed(self, futures: Any) -> Any:
        """Each of `futures` as it is done, in the order they end (`concurrent.futures.
        as_completed`); WorkersLost when a worker has ended while none was done."""
        from concurrent.futures import FIRST_COMPLETED, wait

        pending = set(futures)
        while pending:
            done, pending = wait(pending, LOOK_AFTER_SECONDS, FIRST_COMPLETED)
            if not done and self.lost():
                raise WorkersLost
            yield from done

    def lost(self) -> bool:
        """Whether a worker has ended: one of the pool's processes (as CPython's pool names
        them: a worker that ended before a first look is found too), else one seen alive
        before among the processes multiprocessing started here (the run's process starts
        no other meanwhile)."""
        processes = getattr(self._pool, "_processes", None)
        if isinstance(processes, dict):
            return any(process.exitcode is not None for process in list(processes.values()))
        from multiprocessing import active_children

        alive = {process.pid for process in active_children()}
        gone = bool(self._seen - alive)
        self._seen |= alive
        return gone


def stop_workers(pool: Any) -> None:
    """End a pool the run leaves before its last result (an interruption, a lost worker):
    what has not started is cancelled by the pool's own thread (`cancel_futures`; a future
    cancelled from the run's thread while that thread marked the pool broken ended it with
    `InvalidStateError`, a traceback under `protokit: terminated`, H1280), every worker is
    ended rather than waited for, and the run's end of the results' pipe is closed, so that
    the pool's thread, if it waits for the rest of a message a killed worker left half
    written, reads the pipe's end and stops (it was joined at exit, for ever: H1281)."""
    from multiprocessing import active_children

    # Read before `shutdown`, which lets go of the queue; `_writer` is the pipe's writing end
    # (multiprocessing.SimpleQueue), held by this process although it never writes to it
    # (as CPython's pool names them; a pool without them is left as it was before).
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    # The pool's own processes where it says which (`shutdown` lets go of them too), else
    # every child multiprocessing started here: the run's process starts no other meanwhile.
    workers = list((getattr(pool, "_processes", None) or {}).values()) or active_children()
    # The pool's own thread (`shutdown` lets go of it too): see the end of this function.
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.terminate()
    for process in workers:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
    if writer is not None:
        import contextlib  # only when a run is stopped

        with contextlib.suppress(OSError):
            writer.close()
    if manager is not None:
        # Its workers gone, the pool's thread closes its wake-up pipe and ends; the exit of
        # the interpreter wakes it through that pipe without the pool's lock, so a run that
        # ended while the thread was closing it printed "Exception ignored in: <module
        # 'threading'>" and an OSError's traceback under "protokit: interrupted" (H1417).
        # Bounded: a thread that does not end is left to the exit, as before.
        manager.join(MANAGER_END_SECONDS)
