"""Render finished letters to files, in this process or with a pool of processes beside it.

The main process reads and checks the cases and builds each letter's content; rendering (Typst
for PDF, the compiled Word body) and writing happen a chunk of letters at a time, in the main
process and in ``jobs - 1`` worker processes (``standardgen.core.pool``) that build their renderers
once and import neither the case model nor docxtpl. The workers are started before the cases are
read (:func:`workers`), so their start-up overlaps with the reading.

Every file is written to a hidden temporary name and renamed once it is on the disk
(``fileio.write_all_atomic``, a chunk at a time), so a killed run leaves only whole files; the
next run removes stale temporary files and writes every letter again (the output is
byte-identical for the same input, and a letter takes a few milliseconds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from standardgen.core.codes import Code
from standardgen.core.fileio import folder_lock, private_dir
from standardgen.core.pool import Pool, run_all, running, sigterm_exits
from standardgen.core.problems import Problem, Severity, display_path
from standardgen.letters.worker import (
    Failure,
    Format,
    Item,
    Job,
    Renderer,
    init_worker,
    remove_stale_temporaries,
    render_chunk,
)

T = TypeVar("T")

__all__ = ["Format", "Item", "Job", "Workers", "render_all", "render_problem", "workers"]

CHUNK = 25  # letters per task: large enough to amortise the hand-over, small for the progress bar
#: Rough CPU milliseconds a letter costs in each format, and the work a batch must hold before a
#: worker pays: a worker takes ~0.35 s to start (Python, the renderers, the first letter), and
#: on two cores a batch of 100 PDF letters was no faster with one (bench_letters.py
#: --letters 100), of 1,000 twice as fast.
#: A message carries the follow-up form for most kinds, which WeasyPrint renders (~180 ms CPU a
#: form, benchmarks/bench_memo.py); the XML itself is ~1 ms.
COST_MS = {Format.pdf: 5.0, Format.docx: 1.5, Format.memo: 120.0}
WORKER_PAYS_MS = 1000.0

Workers = Pool[Sequence[Item], list[Failure]]


@contextmanager
def workers(job: Job, jobs: int, expected: int) -> Iterator[Workers | None]:
    """Worker processes for a batch of about ``expected`` letters, started now; None when this
    process does better alone (one job, or a batch too small to pay for a worker's start)."""
    count = jobs - 1 if worth_workers(job, expected) else 0
    with running(count, render_chunk, init_worker, (job,)) as pool:
        yield pool


def worth_workers(job: Job, letters: int) -> bool:
    """Whether ``letters`` letters in the job's formats are work enough for worker processes."""
    return letters * sum(COST_MS[fmt] for fmt in job.formats) >= WORKER_PAYS_MS


def render_problem(origin: str, message: str) -> Problem:
    file, _, line = origin.rpartition(":")
    file, line = (file, line) if line.isdigit() else (origin, "0")
    return Problem(file, int(line), 0, Severity.ERROR, f"brevet kunne ikke skrives: {message}",
                   Code.RENDER)


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def render_all(job: Job, items: Iterable[Item], total: int, pool: Workers | None,
               progress: Callable[[int], None] = lambda n: None) -> list[Problem]:
    """Render and write every item; problems for the ones that failed (and a warning when the
    output folder already existed readable by others, or a worker stopped)."""
    found = private_dir(job.out)
    warnings = [Problem(display_path(job.out), 0, 0, Severity.WARNING, found, Code.PRIVATE_DIR)
                ] if found else []
    renderer, failures = Renderer(job), []

    def done(chunk: Sequence[Item], found: list[Failure]) -> None:
        failures.extend(found)
        progress(len(chunk))

    # A kill ends the run by SystemExit: no torn temporary file. The lock keeps a second run
    # from removing this run's temporary files as stale.
    with sigterm_exits(), folder_lock(job.out):
        remove_stale_temporaries(job.out)
        if pool is not None and not worth_workers(job, total):
            pool.terminate()  # fewer letters than the cases suggested: a worker would cost more
            pool = None
        died = run_all(pool, chunks(items), done, renderer.render,
                       lambda: remove_stale_temporaries(job.out))
    if died is not None:
        warnings.append(Problem(display_path(job.out), 0, 0, Severity.WARNING,
                                f"{died}; hovedprocessen skrev resten af brevene",
                                Code.WORKER_DIED))
    return warnings + [render_problem(origin, message) for origin, message in failures]
