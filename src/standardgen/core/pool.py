"""A small pool of worker processes for batches, with this process working beside them.

Why not ``concurrent.futures.ProcessPoolExecutor``: with ``max_tasks_per_child`` and workers
that end on SIGTERM, CPython 3.11's executor can hang for ever in ``shutdown()`` after the batch
is terminated (its manager thread spins while an idle, freshly started worker waits), so a
``kill`` of a letter run left a process behind. This pool has no manager thread and no recycling
(a renderer's memory stays flat: ~175 MB after 500 PDF letters and after 3,000, measured), and
every way out of :meth:`Pool.map` goes through one :meth:`Pool.terminate` that signals the
workers, waits for them a bounded time and then kills what is left.

Tasks go to the workers through one shared queue, so a free worker takes the next one. This
process keeps each ready worker one task ahead and otherwise does tasks itself (``local``): on two
cores one worker and this process do the work of two workers, without a second worker's start-up
(~0.3 s of imports). At the end it takes back tasks no worker has started, so the last seconds
are not spent waiting for a queue.

Workers are started with ``spawn`` (a fork of a process that has run a multi-threaded engine such
as Typst is unsafe) as soon as the pool is made, so their start-up overlaps with whatever this
process does before the first task (reading and checking the cases). Each worker ends on SIGTERM
by raising ``SystemExit`` (so ``finally`` blocks, such as ``fileio.write_all_atomic``'s clean-up,
run), ignores SIGINT (this process decides what Ctrl-C means) and ends on its own when this
process dies, even by SIGKILL.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_READY = -1  # the number of the message a worker sends once it is set up
ORPHAN_GRACE = 5.0  # seconds a worker whose main process died has to end cleanly
STOP_GRACE = 10.0  # seconds a worker told to stop has to finish its clean-up before a SIGKILL


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it): how many
    processes a batch may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class WorkerDied(Exception):
    """A worker ended without being asked to. ``lost`` holds the tasks that were given out and
    not answered: they may or may not have been done."""

    def __init__(self, exitcode: int | None, lost: list[Any]) -> None:
        super().__init__(f"en arbejdsproces stoppede uventet (kode {exitcode})")
        self.exitcode = exitcode
        self.lost = lost


class TaskFailed(Exception):
    """A task raised in a worker (a programming error: expected failures are results)."""


class Pool(Generic[T, R]):
    """``workers`` processes that each run ``init(*args)`` once, then ``task(item)`` per item."""

    def __init__(self, workers: int, task: Callable[[T], R], init: Callable[..., None],
                 args: tuple[Any, ...] = ()) -> None:
        context = multiprocessing.get_context("spawn")
        self._tasks: multiprocessing.Queue[tuple[int, T] | None] = context.Queue()
        self._processes: list[multiprocessing.process.BaseProcess] = []
        self._results: dict[Connection, multiprocessing.process.BaseProcess] = {}
        self._given: dict[int, T] = {}  # tasks in the queue or in a worker, by number
        self._next = 0
        self._stopped = False
        self._ready: set[multiprocessing.process.BaseProcess] = set()  # set up, asking for tasks
        for number in range(workers):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_serve, args=(init, args, task, self._tasks, writer),
                                      name=f"standardgen-{number + 1}", daemon=True)
            process.start()
            writer.close()  # the worker's end: this process only reads
            self._processes.append(process)
            self._results[reader] = process

    def map(self, items: Iterable[T], done: Callable[[T, R], None],
            local: Callable[[T], R] | None = None) -> None:
        """Run every item, calling ``done(item, result)`` here as each is finished (in no
        particular order). With ``local``, this process does the items no worker is free for,
        and gives none to a worker before it is ready: a batch this process finishes before any
        worker has started never waits for one."""
        for item in items:
            try:
                self._answer(done, block=False)
            except WorkerDied as exc:
                exc.lost.append(item)  # taken from ``items``, given to nobody
                raise
            if local is not None and len(self._given) >= self._ahead(local):
                done(item, local(item))
                continue
            self._give(item)
            while local is None and len(self._given) >= self._ahead(local):
                self._answer(done, block=True)
        while self._given:
            taken = self._take_back() if local is not None else None
            if taken is None:
                self._answer(done, block=True)
            else:
                done(taken, local(taken))  # type: ignore[misc]  # local is set when taken is

    def close(self) -> None:
        """Stop the workers after their current task; then :meth:`terminate` what is left
        (at once for a worker still starting: waiting for its set-up would serve nothing)."""
        if self._stopped:
            return
        ready = [process for process in self._processes if process in self._ready]
        for _ in ready:
            self._tasks.put(None)
        deadline = time.monotonic() + STOP_GRACE
        for process in ready:
            process.join(max(0.0, deadline - time.monotonic()))
        self.terminate()

    def _ahead(self, local: Callable[[T], R] | None) -> int:
        """How many tasks may be given out: one being done and one waiting, per worker (per
        ready worker when this process works too)."""
        return 2 * (len(self._ready) if local is not None else len(self._processes))

    def terminate(self) -> None:
        """SIGTERM to every worker still running (each cleans up and ends), a bounded wait, then
        SIGKILL. Safe to call more than once."""
        if self._stopped:
            return
        self._stopped = True
        for process in self._processes:
            if process.exitcode is None:
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE
        for process in self._processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.exitcode is None:
                process.kill()
                process.join()
        # Tasks still in the queue's buffer must not keep this process from exiting.
        self._tasks.cancel_join_thread()
        self._tasks.close()
        for reader in self._results:
            reader.close()
        self._results.clear()

    def _give(self, item: T) -> None:
        self._given[self._next] = item
        self._tasks.put((self._next, item))
        self._next += 1

    def _take_back(self) -> T | None:
        """A task no worker has started, or None when there is none (or none ready yet)."""
        try:
            entry = self._tasks.get_nowait()
        except queue.Empty:
            return None
        if entry is None:  # cannot happen before close(); put it back to be safe
            self._tasks.put(None)
            return None
        number, item = entry
        del self._given[number]
        return item

    def _answer(self, done: Callable[[T, R], None], block: bool) -> None:
        """Hand every result that has arrived to ``done``; with ``block``, wait for one first.
        A worker that has ended and has nothing more to say is a :class:`WorkerDied`."""
        sentinels = {process.sentinel: process for process in self._processes}
        ready = wait([*self._results, *sentinels], timeout=None if block else 0)
        for reader in [r for r in ready if isinstance(r, Connection)]:
            self._receive(reader, done)
        for process in (sentinels[r] for r in ready if isinstance(r, int)):
            reader = next(r for r, p in self._results.items() if p is process)
            self._receive(reader, done)
            # The sentinel is ready when the process's files are closed, a moment before the
            # kernel has its exit status.
            process.join(STOP_GRACE)
            raise WorkerDied(process.exitcode, list(self._given.values()))

    def _receive(self, reader: Connection, done: Callable[[T, R], None]) -> None:
        while reader.poll():
            try:
                number, ok, payload = reader.recv()
            except EOFError:
                return
            if number == _READY:
                self._ready.add(self._results[reader])
                continue
            item = self._given.pop(number)
            if not ok:
                raise TaskFailed(payload)
            done(item, payload)


@contextmanager
def running(workers: int, task: Callable[[T], R], init: Callable[..., None],
            args: tuple[Any, ...] = ()) -> Iterator[Pool[T, R] | None]:
    """A :class:`Pool` for the ``with`` block, or None for no workers. SIGTERM to this process
    inside the block raises ``SystemExit`` here too, so the workers are stopped (and clean up)
    before it ends; any other way out of the block stops them as well."""
    if workers < 1:
        yield None
        return
    with sigterm_exits():
        pool = Pool(workers, task, init, args)
        try:
            yield pool
        except BaseException:
            pool.terminate()
            raise
        pool.close()


def run_all(pool: Pool[T, R] | None, items: Iterable[T], done: Callable[[T, R], None],
            local: Callable[[T], R], tidy: Callable[[], object]) -> WorkerDied | None:
    """Every item, through ``pool`` and this process (:meth:`Pool.map`), or here alone when
    there is no pool. A worker that dies stops the pool; ``tidy`` then removes what it was
    writing, and this process does its tasks and the rest (doing one again is harmless: the
    same bytes, renamed into place). Returns that death, for the caller's warning."""
    todo = iter(items)
    died = None
    if pool is not None:
        try:
            pool.map(todo, done, local=local)
        except WorkerDied as exc:
            pool.terminate()
            tidy()
            died, todo = exc, chain(exc.lost, todo)
    for item in todo:
        done(item, local(item))
    return died


@contextmanager
def sigterm_exits() -> Iterator[None]:
    """SIGTERM to this process inside the block raises ``SystemExit`` (:func:`exit_cleanly`),
    so clean-up code runs (a temporary file is removed) before the process ends. Only the main
    thread can set a signal handler; elsewhere (the desk's batches) the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, exit_cleanly)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def exit_cleanly(signum: int, frame: object) -> None:
    """SIGTERM as ``SystemExit``, so clean-up code runs. Further SIGTERMs are ignored: one
    arriving inside the clean-up would cut it short and leave a temporary file behind."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def _serve(init: Callable[..., None], args: tuple[Any, ...], task: Callable[[Any], Any],
           tasks: multiprocessing.Queue[tuple[int, Any] | None], results: Connection) -> None:
    """A worker's life: set up, then do tasks until told to stop."""
    signal.signal(signal.SIGTERM, exit_cleanly)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent()
    init(*args)
    results.send((_READY, True, None))
    while (entry := tasks.get()) is not None:
        number, item = entry
        try:
            results.send((number, True, task(item)))
        except Exception as exc:  # reported to the main process, which raises
            results.send((number, False, f"{type(exc).__name__}: {exc}"))


def watch_parent() -> None:
    """End this worker when the main process is gone. A main process killed with SIGKILL
    cannot stop its workers, and a worker waiting for its next task would wait for ever (it
    holds the task queue's pipe open itself); so a thread waits on the parent's sentinel, which
    becomes ready when the parent exits, and then ends the worker as SIGTERM does."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    main = threading.main_thread().ident
    assert main is not None

    def watch() -> None:
        wait([parent.sentinel])
        # To the main thread itself: a signal the kernel hands to this thread would not wake a
        # main thread blocked reading the task queue. Then, if it still runs (a result it tries
        # to send back can block on a full pipe), end it outright.
        if hasattr(signal, "pthread_kill"):  # POSIX; elsewhere straight to the end
            signal.pthread_kill(main, signal.SIGTERM)
            time.sleep(ORPHAN_GRACE)
        os._exit(128 + signal.SIGTERM)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
