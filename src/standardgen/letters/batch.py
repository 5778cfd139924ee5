"""Render finished letters to files, in this process or spread over a pool of processes.

The main process reads and checks the cases and builds each letter's content; the workers only
render (Typst for PDF, the compiled Word body) and write. Workers are started with ``spawn``,
build their renderers once, import neither the case model nor docxtpl, and are replaced after a
number of chunks, so memory stays flat over a long batch. Chunks are submitted a few at a time,
so the main process never holds more than a few chunks of letters either.

Every file is written to a hidden temporary name and renamed (``write_atomic``), so a killed
run leaves only whole files; the next run removes stale temporary files and writes every letter
again (the output is byte-identical for the same input, and a letter takes a few milliseconds).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from standardgen.fileio import private_dir
from standardgen.letters.worker import (
    Failure,
    Format,
    Item,
    Job,
    Renderer,
    exit_cleanly,
    init_worker,
    remove_stale_temporaries,
    render_chunk,
)
from standardgen.problems import Problem, Severity, display_path

__all__ = ["Format", "Item", "Job", "render_all", "render_problem"]

CHUNK = 25  # letters per task: large enough to amortise the hand-over, small for the progress bar
TASKS_PER_WORKER = 40  # tasks; then the worker process is replaced (1,000 letters)
SERIAL_BELOW = 2 * CHUNK  # smaller batches render in-process: starting workers costs more


def render_problem(origin: str, message: str) -> Problem:
    file, _, line = origin.rpartition(":")
    file, line = (file, line) if line.isdigit() else (origin, "0")
    return Problem(file, int(line), 0, Severity.ERROR, f"brevet kunne ikke skrives: {message}",
                   "render")


def chunks(items: Iterable[Item], size: int = CHUNK) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def render_all(job: Job, items: Iterable[Item], total: int, jobs: int,
               progress: Callable[[int], None] = lambda n: None) -> list[Problem]:
    """Render and write every item; problems for the ones that failed (and a warning when the
    output folder already existed readable by others)."""
    found = private_dir(job.out)
    warnings = [Problem(display_path(job.out), 0, 0, Severity.WARNING, found, "private-dir")
                ] if found else []
    remove_stale_temporaries(job.out)
    return warnings + _render(job, items, total, jobs, progress)


def _render(job: Job, items: Iterable[Item], total: int, jobs: int,
            progress: Callable[[int], None]) -> list[Problem]:
    if jobs <= 1 or total < SERIAL_BELOW:
        renderer, failures = Renderer(job), []
        for chunk in chunks(items):
            failures += renderer.render(chunk)
            progress(len(chunk))
        return [render_problem(origin, message) for origin, message in failures]
    return _pool(job, items, jobs, progress)


def _pool(job: Job, items: Iterable[Item], jobs: int,
          progress: Callable[[int], None]) -> list[Problem]:
    problems: list[Problem] = []
    previous = signal.signal(signal.SIGTERM, exit_cleanly)
    executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=init_worker, initargs=(job,),
                                   max_tasks_per_child=TASKS_PER_WORKER)
    try:
        pending: dict[Future[list[Failure]], int] = {}
        for chunk in chunks(items):
            pending[executor.submit(render_chunk, chunk)] = len(chunk)
            if len(pending) >= 2 * jobs:
                problems += _collect(pending, progress)
        while pending:
            problems += _collect(pending, progress)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        signal.signal(signal.SIGTERM, previous)
    return problems


def _collect(pending: dict[Future[list[Failure]], int],
             progress: Callable[[int], None]) -> list[Problem]:
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    problems = []
    for future in done:
        problems += [render_problem(origin, message) for origin, message in future.result()]
        progress(pending.pop(future))
    return problems

